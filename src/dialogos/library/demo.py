"""Demo library: the documents the sources name, and clearly marked examples.

Real documents (the Prague Process Joint Declaration and Action Plan 2023-2027, the Impact
Note, the Budapest Process Istanbul Commitments) carry only what the sources say about them;
their files here are small generated PDFs that say so. Practices, calls and profiles are
examples — every one says "(example data)" — to show the workflows.

Called by the demo command as ``load(loader)`` after the meetings; idempotent.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from dialogos.dialogues.models import Dialogue
from dialogos.library.files import extract_text
from dialogos.library.models import (
    CountryProfile,
    Document,
    LibraryFile,
    Practice,
    PracticeCall,
    PracticeEvent,
    PracticeStatus,
    ProfileEvent,
    ProfileStatus,
    Topic,
)
from dialogos.meetings.models import Meeting

GENERATED = "Example file generated for the Dialogos demonstration. "


def _pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` (Latin-1 only), readable by pypdf."""
    safe = text.encode("latin-1", "replace").decode("latin-1")
    safe = safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 11 Tf 56 760 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _file(owner_field: str, owner: Any, language: str, name: str, text: str) -> None:
    if LibraryFile.objects.filter(**{owner_field: owner}, language=language).exists():
        return
    content = _pdf(GENERATED + text)
    record = LibraryFile(
        **{owner_field: owner},
        language=language,
        original_name=name,
        extension="pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="",
        text=extract_text(io.BytesIO(content), "pdf"),
    )
    record.sha256 = hashlib.sha256(content).hexdigest()
    record.file.save(name, ContentFile(content), save=False)
    record.save()


def _topics(*slugs: str) -> list[Topic]:
    return list(Topic.objects.filter(slug__in=slugs))


def load(loader: Any) -> None:
    pp = Dialogue.objects.filter(slug="prague-process").first()
    bp = Dialogue.objects.filter(slug="budapest-process").first()
    if pp is not None:
        _prague_documents(loader, pp)
        _prague_examples(loader, pp)
    if bp is not None:
        _budapest_documents(loader, bp)


def _document(loader: Any, dialogue: Dialogue, **values: Any) -> Document:
    """Create the document when missing (found by dialogue, type and English title).

    An existing one is left as it is: the outcome-texts app refreshes the documents of the
    texts it adopted (date, summary, source), and a rerun must not undo that.
    """
    topics = values.pop("topics", [])
    countries = values.pop("countries", [])
    document = (
        Document.objects.filter(
            dialogue=dialogue, type=values["type"], title__en=values["title"]["en"]
        )
        .order_by("pk")
        .first()
    )
    if document is None:
        document = loader.ensure(Document, {"dialogue": dialogue, **values})
        document.topics.set(topics)
        document.countries.set([loader.country(c) for c in countries])
    return document


def _prague_documents(loader: Any, pp: Dialogue) -> None:
    ministerial = Meeting.objects.filter(ical_uid="demo-pp-ministerial-2022@dialogos").first()
    declaration = _document(
        loader,
        pp,
        type="declaration",
        date=datetime.date(2022, 10, 25),
        title={
            "en": "Joint Declaration of the 4th Ministerial Conference of the Prague Process",
            "ru": "Совместная декларация 4-й министерской конференции Пражского процесса",
        },
        summary={
            "en": "Endorsed at the 4th Ministerial Conference in Prague on 24–25 October 2022, "
            "an official event of the Czech EU Presidency, together with the Action Plan "
            "2023–2027 and the political mandate for those years.",
            "ru": "Одобрена на 4-й министерской конференции в Праге 24–25 октября 2022 года, "
            "официальном мероприятии председательства Чехии в ЕС, вместе с Планом действий "
            "на 2023–2027 годы и политическим мандатом на эти годы.",
        },
        meeting=ministerial,
        access_level="public",
        source_url="https://www.pragueprocess.eu/",
        topics=_topics("migration-and-development", "legal-and-labour-migration"),
    )
    _file("document", declaration, "en", "joint-declaration-2022-en.pdf", "Joint Declaration")
    plan = _document(
        loader,
        pp,
        type="action_plan",
        date=datetime.date(2022, 10, 24),
        title={
            "en": "Prague Process Action Plan 2023–2027",
            "ru": "План действий Пражского процесса на 2023–2027 годы",
        },
        summary={
            "en": "Adopted with the political mandate for 2023–2027 at the 4th Ministerial "
            "Conference. The EU's Migration Partnership Facility supports its implementation "
            "through three pillars of work and four Thematic Components, each led by a "
            "participating state.",
            "ru": "Принят вместе с политическим мандатом на 2023–2027 годы на 4-й министерской "
            "конференции. Механизм миграционного партнёрства ЕС поддерживает его выполнение "
            "через три направления работы и четыре тематических компонента, каждый из "
            "которых возглавляет одно из государств-участников.",
        },
        meeting=ministerial,
        access_level="public",
        source_url="https://www.pragueprocess.eu/",
        topics=_topics(
            "migration-and-development",
            "legal-and-labour-migration",
            "irregular-migration",
            "return-and-reintegration",
            "asylum-and-international-protection",
        ),
    )
    _file("document", plan, "en", "action-plan-2023-2027-en.pdf", "Action Plan 2023-2027")
    _file("document", plan, "ru", "action-plan-2023-2027-ru.pdf", "Action Plan 2023-2027 (RU)")
    note = _document(
        loader,
        pp,
        type="impact_note",
        date=datetime.date(2025, 8, 14),
        title={
            "en": "What has the Prague Process achieved? Impact Note",
            "ru": "Чего достиг Пражский процесс? Записка о результатах",
        },
        summary={
            "en": "A short, visually engaging summary of key results since 2009, compiled from "
            "a recent external evaluation. (The date is that of the page that mentions it.)",
            "ru": "Краткое наглядное изложение основных результатов с 2009 года, составленное "
            "по итогам недавней внешней оценки. (Дата — дата страницы, где она упомянута.)",
        },
        access_level="public",
        topics=_topics("data"),
    )
    _file("document", note, "en", "impact-note-en.pdf", "Impact Note")
    _document(
        loader,
        pp,
        type="concept_note",
        date=datetime.date(2020, 3, 1),
        title={
            "en": "Concept note for an expert workshop (example data)",
            "ru": "Концептуальная записка экспертного семинара (пример)",
        },
        summary={
            "en": "(example data) A members-only document: only accounts of the dialogue see it.",
            "ru": "(пример) Документ только для участников диалога.",
        },
        access_level="members",
        is_example=True,
        topics=_topics("border-management"),
    )


def _budapest_documents(loader: Any, bp: Dialogue) -> None:
    istanbul = _document(
        loader,
        bp,
        type="other",
        date=datetime.date(2019, 2, 20),
        title={
            "en": "Istanbul Commitments and Call for Action",
            "ru": "Стамбульские обязательства и Призыв к действию",
        },
        summary={
            "en": "Adopted at the 6th Ministerial Conference of the Budapest Process in "
            "Istanbul on 19–20 February 2019, hosted by Turkey, with 46 participating "
            "countries, the European Commission and 10 organisations: 5 commitments, 6 "
            "priority goals and 41 actions.",
            "ru": "Приняты на 6-й министерской конференции Будапештского процесса в Стамбуле "
            "19–20 февраля 2019 года (принимающая сторона — Турция) с участием 46 стран, "
            "Европейской комиссии и 10 организаций: 5 обязательств, 6 приоритетных целей "
            "и 41 действие.",
        },
        meeting=Meeting.objects.filter(
            ical_uid="demo-bp-ministerial-2019-istanbul@dialogos"
        ).first(),
        access_level="public",
        source_url="https://www.budapestprocess.org/",
        topics=_topics("migration-and-development", "return-and-reintegration"),
    )
    _file("document", istanbul, "en", "istanbul-commitments-en.pdf", "Istanbul Commitments")


def _practice(
    loader: Any, pp: Dialogue, key: str, status: str, steps: list[tuple[str, str]], **values: Any
) -> Practice:
    now = timezone.now()
    extra: dict[str, Any] = {"status": status, "is_example": True}
    if status != PracticeStatus.DRAFT:
        extra["submitted_at"] = now - datetime.timedelta(days=20)
    if status == PracticeStatus.PUBLISHED:
        extra["published_at"] = now - datetime.timedelta(days=10)
    topics = values.pop("topics", [])
    practice: Practice = loader.ensure(
        Practice,
        {"dialogue": pp, "title": {"en": key, "ru": values.pop("title_ru")}},
        country=loader.country("CZ"),
        **values,
        **extra,
    )
    if topics and not practice.topics.exists():
        practice.topics.set(topics)
    if not practice.events.exists():
        for days, (action, comment) in enumerate(steps):
            PracticeEvent.objects.create(
                practice=practice,
                action=action,
                comment=comment,
                at=now - datetime.timedelta(days=30 - 10 * days),
            )
    return practice


def _prague_examples(loader: Any, pp: Dialogue) -> None:
    today = timezone.localdate()
    call = loader.ensure(
        PracticeCall,
        {
            "dialogue": pp,
            "title": {
                "en": "Call for good practices on return and reintegration (example data)",
                "ru": "Сбор примеров передовой практики "
                "в области возвращения и реинтеграции (пример)",
            },
        },
        description={
            "en": "(example data) The secretariat asks the participating states for practices "
            "that helped returning migrants settle again.",
            "ru": "(пример) Секретариат просит государства-участников рассказать о практиках, "
            "которые помогли вернувшимся мигрантам вновь обустроиться.",
        },
        criteria={
            "en": "- Implemented for at least one year\n- Results can be shown\n"
            "- Another state could do the same",
            "ru": "- Реализуется не менее года\n- Результаты можно показать\n"
            "- Другое государство может сделать то же самое",
        },
        opens=today - datetime.timedelta(days=30),
        deadline=today + datetime.timedelta(days=60),
        is_example=True,
    )
    created = PracticeEvent.Action.CREATED
    submitted = PracticeEvent.Action.SUBMITTED
    text = {
        "summary": {
            "en": "(example data) Illustrative entry showing the workflow; not a real practice.",
            "ru": "(пример) Запись для демонстрации порядка работы; не реальная практика.",
        },
        "problem": {"en": "(example data) Returning migrants did not know where to turn."},
        "approach": {
            "en": "(example data) One office answers every question, in person and by phone."
        },
        "results": {"en": "(example data) No real figures: this is an example."},
        "transferability": {"en": "(example data) Needs one office and trained staff."},
    }
    _practice(
        loader,
        pp,
        "One-stop counselling for returning migrants (example data)",
        PracticeStatus.PUBLISHED,
        [(created, ""), (submitted, ""), (PracticeEvent.Action.PUBLISHED, "")],
        title_ru="Единое окно для вернувшихся мигрантов (пример)",
        call=call,
        topics=_topics("return-and-reintegration"),
        **text,
    )
    _practice(
        loader,
        pp,
        "Online pre-departure orientation (example data)",
        PracticeStatus.SUBMITTED,
        [(created, ""), (submitted, "")],
        title_ru="Онлайн-подготовка перед выездом (пример)",
        call=call,
        topics=_topics("legal-and-labour-migration"),
        **text,
    )
    _practice(
        loader,
        pp,
        "Joint training of border guards (example data)",
        PracticeStatus.RETURNED,
        [
            (created, ""),
            (submitted, ""),
            (
                PracticeEvent.Action.RETURNED,
                "(example data) Please add the results: how many officers were trained?",
            ),
        ],
        title_ru="Совместное обучение пограничников (пример)",
        topics=_topics("border-management"),
        **text,
    )
    _practice(
        loader,
        pp,
        "Diaspora mentoring network (example data)",
        PracticeStatus.DRAFT,
        [(created, "")],
        title_ru="Сеть наставничества диаспоры (пример)",
        topics=_topics("diaspora"),
        **text,
    )
    _profiles(loader, pp)


def _profiles(loader: Any, pp: Dialogue) -> None:
    now = timezone.now()
    submitted = now - datetime.timedelta(days=20)
    light = loader.ensure(
        CountryProfile,
        {"dialogue": pp, "country": loader.country("CZ"), "kind": CountryProfile.Kind.LIGHT},
        title={
            "en": "Migration Profile Light: Czechia (example data)",
            "ru": "Миграционный профиль (краткий): Чехия (пример)",
        },
        summary={
            "en": "(example data) Illustrative record to show the endorsement workflow; it "
            "says nothing about the state.",
            "ru": "(пример) Запись для демонстрации порядка одобрения; не содержит сведений о "
            "государстве.",
        },
        status=ProfileStatus.SUBMITTED,
        submitted_at=submitted,
        is_example=True,
    )
    _file("profile", light, "en", "profile-light-example.pdf", "Migration Profile Light")
    if not light.events.exists():
        ProfileEvent.objects.create(profile=light, action=ProfileEvent.Action.CREATED, at=submitted)
        ProfileEvent.objects.create(
            profile=light, action=ProfileEvent.Action.SUBMITTED, at=submitted
        )
    submitted = now - datetime.timedelta(days=200)
    published = now - datetime.timedelta(days=100)
    extended = loader.ensure(
        CountryProfile,
        {"dialogue": pp, "country": loader.country("CZ"), "kind": CountryProfile.Kind.EXTENDED},
        title={
            "en": "Extended Migration Profile: Czechia (example data)",
            "ru": "Расширенный миграционный профиль: Чехия (пример)",
        },
        summary={
            "en": "(example data) Published after three months without endorsement, to show "
            "how such a profile is marked. It says nothing about the state.",
            "ru": "(пример) Опубликован через три месяца без одобрения, чтобы показать, как "
            "отмечается такой профиль. Не содержит сведений о государстве.",
        },
        status=ProfileStatus.NOT_ENDORSED,
        submitted_at=submitted,
        published_at=published,
        published_submission_at=submitted,
        is_example=True,
    )
    _file("profile", extended, "en", "profile-extended-example.pdf", "Extended Migration Profile")
    # The file the state was given is the published version.
    LibraryFile.objects.filter(profile=extended, is_current=True).update(
        uploaded_at=submitted, is_published=True
    )
    if not extended.events.exists():
        for action, at in [
            (ProfileEvent.Action.CREATED, submitted),
            (ProfileEvent.Action.SUBMITTED, submitted),
            (ProfileEvent.Action.PUBLISHED_UNENDORSED, published),
        ]:
            ProfileEvent.objects.create(profile=extended, action=action, at=at)
