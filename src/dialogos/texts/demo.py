"""Demo outcome texts, idempotent.

Real facts only from the project's sources: the Prague Process's Joint Declaration and Action
Plan 2023-2027 were endorsed at the 4th Ministerial Conference in Prague, 24-25 October 2022;
the Budapest Process adopted the Istanbul Commitments and Call for Action (5 commitments,
6 priority goals, 41 actions) at its 6th Ministerial Conference, 19-20 February 2019. No
source gives the wording of these texts, so every paragraph is marked "(example data)". One
text under negotiation is example data from end to end.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from dialogos.core.models import AccessLevel
from dialogos.dialogues.models import Dialogue, Participation
from dialogos.meetings.models import Meeting
from dialogos.texts import publishing
from dialogos.texts.models import (
    Circulation,
    Comment,
    OutcomeText,
    Paragraph,
    TextVersion,
)

EX_EN = " (example data)"
EX_RU = " (пример данных)"

ACTION_PLAN = [
    (True, "Introduction", "Введение"),
    (
        False,
        "The participating states of the Prague Process adopt this Action Plan and political "
        "mandate for the years 2023–2027.",
        "Государства — участники Пражского процесса принимают настоящий План действий и "
        "политический мандат на 2023–2027 годы.",
    ),
    (
        False,
        "The Action Plan is implemented through three pillars of work and four Thematic "
        "Components, each led by a participating state.",
        "План действий реализуется по трём направлениям работы и в рамках четырёх тематических "
        "компонентов, каждый из которых возглавляет одно из государств-участников.",
    ),
    (
        True,
        "Pillars of work (inferred from the three objectives of PP DATA)",
        "Направления работы (выведены из трёх целей PP DATA)",
    ),
    (
        False,
        "Dialogue among the participating states, at ministerial, senior officials' and "
        "expert level.",
        "Диалог между государствами-участниками на уровне министров, старших должностных лиц "
        "и экспертов.",
    ),
    (
        False,
        "The Migration Observatory: policy briefs, analytical reports and national factsheets.",
        "Миграционная обсерватория: аналитические записки, доклады и национальные справки.",
    ),
    (
        False,
        "The Training Academy: handbooks, training of trainers and study visits.",
        "Учебная академия: пособия, подготовка тренеров и ознакомительные визиты.",
    ),
]

DECLARATION = [
    (
        False,
        "We, the ministers and representatives of the Prague Process participating states, "
        "met in Prague on 24–25 October 2022.",
        "Мы, министры и представители государств — участников Пражского процесса, собрались "
        "в Праге 24–25 октября 2022 года.",
    ),
    (
        False,
        "We endorse the Action Plan 2023–2027 and renew the political mandate of the Prague "
        "Process.",
        "Мы одобряем План действий на 2023–2027 годы и обновляем политический мандат "
        "Пражского процесса.",
    ),
]

ISTANBUL = [
    (
        False,
        "The Istanbul Commitments set out 5 commitments and 6 priority goals.",
        "Стамбульские обязательства содержат 5 обязательств и 6 приоритетных целей.",
    ),
    (
        False,
        "The Call for Action lists 41 actions to implement them.",
        "Призыв к действию перечисляет 41 действие по их выполнению.",
    ),
]

CONCLUSIONS_V1 = [
    (
        False,
        "The Senior Officials welcome the progress made in implementing the Action Plan.",
        "Старшие должностные лица приветствуют прогресс в выполнении Плана действий.",
    ),
    (
        False,
        "They ask the Secretariat to prepare a mid-term review by the next meeting.",
        "Они поручают Секретариату подготовить среднесрочный обзор к следующему совещанию.",
    ),
    (
        False,
        "They thank the Chair for hosting the meeting.",
        "Они благодарят Председателя за проведение совещания.",
    ),
]


def _paragraphs(version: TextVersion, rows: list[tuple[bool, str, str]]) -> None:
    if version.paragraphs.exists():
        return
    number = 0
    objects = []
    for index, (heading, en, ru) in enumerate(rows, start=1):
        label = ""
        if not heading:
            number += 1
            label = str(number)
        objects.append(
            Paragraph(
                version=version,
                position=index * 10,
                label=label,
                is_heading=heading,
                content={"en": en + EX_EN, "ru": ru + EX_RU},
            )
        )
    Paragraph.objects.bulk_create(objects)


def _adopted(
    loader: Any,
    dialogue: Dialogue,
    meeting: Meeting | None,
    kind: str,
    title: dict[str, str],
    rows: list[tuple[bool, str, str]],
    note: dict[str, str],
) -> None:
    if meeting is None:
        return
    existing = OutcomeText.objects.filter(dialogue=dialogue, title__en=title["en"]).first()
    lookup: dict[str, Any] = (
        {"pk": existing.pk} if existing else {"dialogue": dialogue, "title": title}
    )
    text: OutcomeText = loader.ensure(
        OutcomeText,
        lookup,
        kind=kind,
        status=OutcomeText.Status.ADOPTED,
        adopted_at=meeting.end,
        adopted_at_meeting=meeting,
        adoption_method=OutcomeText.Method.MEETING,
        adoption_note=note,
        access_level=AccessLevel.PUBLIC,
        public_when_adopted=True,
    )
    version: TextVersion = loader.ensure(
        TextVersion,
        {"text": text, "number": 1},
        issued_at=meeting.start,
        access_level=AccessLevel.INHERIT,
    )
    _paragraphs(version, rows)
    if text.adopted_version_id != version.pk:
        text.adopted_version = version
        text.save(update_fields=["adopted_version"])
    publishing.publish_adopted(actor=None, text=text)


def _under_negotiation(loader: Any, pp: Dialogue) -> None:
    title = {
        "en": "Conclusions of a Senior Officials' Meeting (example data)",
        "ru": "Выводы совещания старших должностных лиц (пример данных)",
    }
    if OutcomeText.objects.filter(dialogue=pp, title__en=title["en"]).exists():
        return
    now = timezone.now()
    text = OutcomeText.objects.create(
        dialogue=pp,
        kind=OutcomeText.Kind.CONCLUSIONS,
        title=title,
        status=OutcomeText.Status.NEGOTIATION,
        access_level=AccessLevel.GROUP,
        is_example=True,
    )
    version = TextVersion.objects.create(
        text=text,
        number=1,
        issued_at=now - datetime.timedelta(days=3),
        access_level=AccessLevel.GROUP,
        note={
            "en": "First draft by the Secretariat." + EX_EN,
            "ru": "Первый проект Секретариата." + EX_RU,
        },
    )
    _paragraphs(version, CONCLUSIONS_V1)
    states = list(
        Participation.objects.filter(dialogue=pp, country__isnull=False)
        .order_by("country_id")
        .values_list("country_id", flat=True)
    )
    circulation = Circulation.objects.create(
        version=version,
        kind=Circulation.Kind.COMMENTS,
        deadline=now + datetime.timedelta(days=14),
        message={"en": "Comments are welcome." + EX_EN, "ru": "Ждём ваших замечаний." + EX_RU},
        created_at=now - datetime.timedelta(days=3),
    )
    circulation.states.set(states)
    second = version.paragraphs.order_by("position")[1]
    if "LT" in states:
        Comment.objects.create(
            circulation=circulation,
            paragraph=second,
            country_id="LT",
            kind=Comment.Kind.AMENDMENT,
            body="A clearer deadline would help." + EX_EN,
            proposed_text="They ask the Secretariat to prepare a mid-term review by the end of "
            "next year." + EX_EN,
            language="en",
            status=Comment.Status.SENT,
            sent_at=now - datetime.timedelta(days=1),
        )


def load(loader: Any) -> None:
    pp = Dialogue.objects.filter(slug="prague-process").first()
    bp = Dialogue.objects.filter(slug="budapest-process").first()
    if pp is not None:
        ministerial = Meeting.objects.filter(ical_uid="demo-pp-ministerial-2022@dialogos").first()
        _adopted(
            loader,
            pp,
            ministerial,
            OutcomeText.Kind.ACTION_PLAN,
            {
                "en": "Prague Process Action Plan 2023–2027",
                "ru": "План действий Пражского процесса на 2023–2027 годы",
            },
            ACTION_PLAN,
            {
                "en": "Endorsed at the 4th Ministerial Conference, an official event of the "
                "Czech EU Presidency.",
                "ru": "Одобрен на 4-й министерской конференции, официальном мероприятии "
                "председательства Чехии в ЕС.",
            },
        )
        _adopted(
            loader,
            pp,
            ministerial,
            OutcomeText.Kind.DECLARATION,
            {
                "en": "Joint Declaration of the 4th Ministerial Conference of the Prague Process",
                "ru": "Совместная декларация 4-й министерской конференции Пражского процесса",
            },
            DECLARATION,
            {
                "en": "Endorsed at the 4th Ministerial Conference in Prague, 24–25 October 2022.",
                "ru": "Одобрена на 4-й министерской конференции в Праге 24–25 октября 2022 года.",
            },
        )
        _under_negotiation(loader, pp)
    if bp is not None:
        istanbul = Meeting.objects.filter(
            ical_uid="demo-bp-ministerial-2019-istanbul@dialogos"
        ).first()
        _adopted(
            loader,
            bp,
            istanbul,
            OutcomeText.Kind.COMMITMENTS,
            {
                "en": "Istanbul Commitments and Call for Action",
                "ru": "Стамбульские обязательства и призыв к действию",
            },
            ISTANBUL,
            {
                "en": "Adopted at the 6th Ministerial Conference in Istanbul, hosted by Turkey.",
                "ru": "Приняты на 6-й министерской конференции в Стамбуле, принимающая сторона — "
                "Турция.",
            },
        )
