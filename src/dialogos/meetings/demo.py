"""Demo meetings: the ones the seed and the notes name, and clearly marked examples.

Called by the demo command as ``load(loader)`` after the dialogues exist; idempotent (every row
is found by a fixed key and only updated when it differs).
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from dialogos.dialogues.models import Body, Dialogue
from dialogos.meetings.models import Meeting, ScheduleAction, ScheduleChange, ScheduleDecision


def _at(zone: str, y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=zoneinfo.ZoneInfo(zone))


def _body(dialogue: Dialogue, slug: str) -> Body | None:
    return Body.objects.filter(dialogue=dialogue, slug=slug).first()


def load(loader: Any) -> None:
    pp = Dialogue.objects.filter(slug="prague-process").first()
    bp = Dialogue.objects.filter(slug="budapest-process").first()
    if pp is not None:
        _prague(loader, pp)
    if bp is not None:
        _budapest(loader, bp)


def _meeting(loader: Any, uid: str, host_states: list[str], **values: Any) -> Meeting:
    meeting: Meeting = loader.ensure(Meeting, {"ical_uid": uid}, **values)
    wanted = {loader.country(code).pk for code in host_states}
    if set(meeting.host_states.values_list("pk", flat=True)) != wanted:
        meeting.host_states.set(wanted)
    return meeting


def _prague(loader: Any, pp: Dialogue) -> None:
    zone = "Europe/Prague"
    _meeting(
        loader,
        "demo-pp-ministerial-2022@dialogos",
        ["CZ"],
        dialogue=pp,
        body=_body(pp, "ministerial-conference"),
        title={
            "en": "4th Ministerial Conference of the Prague Process",
            "ru": "4-я министерская конференция Пражского процесса",
        },
        objectives={
            "en": "To adopt a new Action Plan and political mandate for 2023–2027. The Joint "
            "Declaration and the Action Plan 2023–2027 were endorsed.",
            "ru": "Принять новый План действий и политический мандат на 2023–2027 годы. "
            "Совместная декларация и План действий на 2023–2027 годы были одобрены.",
        },
        type=Meeting.Type.MINISTERIAL,
        level=Meeting.Level.MINISTERIAL,
        format=Meeting.Format.IN_PERSON,
        city={"en": "Prague", "ru": "Прага"},
        country=loader.country("CZ"),
        occasion={
            "en": "Official event of the Czech Presidency of the Council of the EU",
            "ru": "Официальное мероприятие председательства Чехии в Совете ЕС",
        },
        start=_at(zone, 2022, 10, 24, 9),
        end=_at(zone, 2022, 10, 25, 18),
        time_zone=zone,
        status=Meeting.Status.HELD,
        registration_mode=Meeting.RegistrationMode.NONE,
        access_level="public",
    )
    zone = "Europe/Lisbon"
    _meeting(
        loader,
        "demo-pp-som-2023-lisbon@dialogos",
        ["PT", "CZ"],
        dialogue=pp,
        body=_body(pp, "senior-officials-meeting"),
        title={
            "en": "Senior Officials' Meeting of the Prague Process",
            "ru": "Совещание старших должностных лиц Пражского процесса",
        },
        objectives={
            "en": "Launched the fourth phase of the Prague Process and the Czech Chair's "
            "“Comprehensive Action Plan Support (CAPS)” initiative.",
        },
        type=Meeting.Type.SENIOR_OFFICIALS,
        level=Meeting.Level.SENIOR_OFFICIALS,
        format=Meeting.Format.IN_PERSON,
        city={"en": "Lisbon", "ru": "Лиссабон"},
        country=loader.country("PT"),
        occasion={
            "en": "Hosted by Portugal and the Czech Republic as Chair",
            "ru": "Принимающие стороны: Португалия и Чешская Республика как председатель",
        },
        start=_at(zone, 2023, 4, 27, 9),
        end=_at(zone, 2023, 4, 28, 17),
        time_zone=zone,
        status=Meeting.Status.HELD,
        registration_mode=Meeting.RegistrationMode.NONE,
        reported_participants=60,
        reported_countries=27,
        attendance_note={
            "en": "60 officials from 27 countries, the European Commission, EUAA, IOM and ICMPD.",
            "ru": "60 должностных лиц из 27 стран, Европейская комиссия, EUAA, МОМ и МЦРМП.",
        },
        access_level="public",
    )
    _spring_2020(loader, pp)


def _spring_2020(loader: Any, pp: Dialogue) -> None:
    """The seed: on 6 April 2020 all face-to-face activities planned before summer were
    rescheduled because of COVID-19. The sources do not name them: these are examples."""
    zone = "Europe/Vienna"
    examples = [
        (
            "demo-pp-example-2020-workshop@dialogos",
            {
                "en": "Example: expert workshop (example data)",
                "ru": "Пример: экспертный семинар (пример данных)",
            },
            Meeting.Type.WORKSHOP,
            Meeting.Level.EXPERTS,
            _at(zone, 2020, 5, 12, 9),
            _at(zone, 2020, 5, 13, 17),
        ),
        (
            "demo-pp-example-2020-study-visit@dialogos",
            {
                "en": "Example: study visit (example data)",
                "ru": "Пример: ознакомительный визит (пример данных)",
            },
            Meeting.Type.STUDY_VISIT,
            Meeting.Level.PRACTITIONERS,
            _at(zone, 2020, 6, 9, 9),
            _at(zone, 2020, 6, 11, 17),
        ),
    ]
    decision: ScheduleDecision = loader.ensure(
        ScheduleDecision,
        {"dialogue": pp, "selection": {"demo": "spring-2020"}},
        action=ScheduleAction.POSTPONE,
        reason={
            "en": "On 6 April 2020 the Chair of the Strategic Group informed the 50 participating "
            "states of the joint decision to reschedule all face-to-face activities planned "
            "before summer due to the COVID-19 outbreak.",
            "ru": "6 апреля 2020 года председатель Стратегической группы сообщил 50 "
            "государствам-участникам о совместном решении перенести все очные мероприятия, "
            "запланированные до лета, в связи со вспышкой COVID-19.",
        },
        announcement={
            "en": "Example announcement (example data): face-to-face activities planned before "
            "summer 2020 are rescheduled because of COVID-19; new dates will follow."
        },
        created_at=_at("Europe/Vilnius", 2020, 4, 6, 12),
    )
    for uid, title, kind, level, start, end in examples:
        meeting = _meeting(
            loader,
            uid,
            [],
            dialogue=pp,
            title=title,
            objectives={
                "en": "Illustrates a face-to-face activity rescheduled in April 2020; the "
                "sources do not name the actual activities.",
            },
            type=kind,
            level=level,
            format=Meeting.Format.IN_PERSON,
            start=start,
            end=end,
            time_zone=zone,
            status=Meeting.Status.POSTPONED,
            ical_sequence=1,
            registration_mode=Meeting.RegistrationMode.INVITATION,
            is_example=True,
            access_level="public",
        )
        loader.ensure(
            ScheduleChange,
            {"decision": decision, "meeting": meeting},
            action=ScheduleAction.POSTPONE,
            old_start=start,
            old_end=end,
            new_start=start,
            new_end=end,
            old_status=Meeting.Status.PLANNED,
            new_status=Meeting.Status.POSTPONED,
            old_format=Meeting.Format.IN_PERSON,
            new_format=Meeting.Format.IN_PERSON,
            sequence=1,
            created_at=decision.created_at,
        )


def _budapest(loader: Any, bp: Dialogue) -> None:
    zone = "Europe/Istanbul"
    _meeting(
        loader,
        "demo-bp-ministerial-2019-istanbul@dialogos",
        ["TR"],
        dialogue=bp,
        title={
            "en": "6th Ministerial Conference of the Budapest Process",
            "ru": "6-я министерская конференция Будапештского процесса",
        },
        objectives={
            "en": "Adopted the Istanbul Commitments and Call for Action: 5 commitments, "
            "6 priority goals and 41 actions.",
        },
        type=Meeting.Type.MINISTERIAL,
        level=Meeting.Level.MINISTERIAL,
        format=Meeting.Format.IN_PERSON,
        city={"en": "Istanbul", "ru": "Стамбул"},
        country=loader.country("TR"),
        occasion={"en": "Hosted by Turkey", "ru": "Принимающая сторона: Турция"},
        start=_at(zone, 2019, 2, 19, 9),
        end=_at(zone, 2019, 2, 20, 18),
        time_zone=zone,
        status=Meeting.Status.HELD,
        registration_mode=Meeting.RegistrationMode.NONE,
        reported_countries=46,
        attendance_note={
            "en": "46 participating countries, the European Commission and 10 organisations."
        },
        access_level="public",
    )
