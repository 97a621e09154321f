"""Load the demo data idempotently: a second run finds everything in place and changes nothing."""

from __future__ import annotations

import datetime
import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from dialogos.core.cache import bump_content_version
from dialogos.core.models import Country
from dialogos.demo import data
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Dialogue,
    Grouping,
    GroupingMembership,
    Office,
    Organisation,
    Participation,
)
from dialogos.people.models import Person, Role, User

D = datetime.date

# Each later app adds its demo data through a ``load(loader)`` function in its ``demo`` module,
# run in this order (an app's demo may use what an earlier one created).
DEMO_APPS = ["meetings", "library", "texts", "plans", "projects", "news"]


def extra_loaders() -> list[Callable[[Any], None]]:
    loaders = []
    for app in DEMO_APPS:
        name = f"dialogos.{app}.demo"
        if importlib.util.find_spec(name) is not None:
            loaders.append(importlib.import_module(name).load)
    return loaders


class Loader:
    def __init__(self) -> None:
        self.created = 0
        self.updated = 0
        self.countries = {c.code: c for c in Country.objects.all()}

    def ensure(self, model: type[models.Model], lookup: dict[str, Any], **values: Any) -> Any:
        """Create the row when missing; update only the fields that differ."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            self.created += 1
            return model._default_manager.create(**lookup, **values)
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            self.updated += 1
            for k in changed:
                setattr(obj, k, values[k])
            obj.save(update_fields=changed)
        return obj

    def country(self, code: str) -> Country:
        return self.countries[code]

    def run(self) -> int:
        with transaction.atomic():
            orgs = {
                o["slug"]: self.ensure(
                    Organisation,
                    {"slug": o["slug"]},
                    acronym=o["acronym"],
                    kind=o["kind"],
                    name=o["name"],
                    description=o.get("description", {}),
                    country=self.countries.get(str(o.get("country", ""))),
                )
                for o in data.ORGANISATIONS
            }
            groupings = {g["slug"]: self.grouping(g) for g in data.GROUPINGS}
            pp = self.prague_process(orgs, groupings)
            bp = self.budapest_process(orgs, groupings)
            self.accounts({"prague-process": pp, "budapest-process": bp})
            for load in extra_loaders():
                load(self)
            if self.created or self.updated:
                bump_content_version()
        return self.created

    def grouping(self, spec: dict[str, Any]) -> Grouping:
        grouping = self.ensure(
            Grouping,
            {"slug": spec["slug"]},
            name=spec["name"],
            kind=spec["kind"],
            order=spec["order"],
            description=spec.get("description", {}),
        )
        for code, (start, end) in spec["members"].items():
            self.ensure(
                GroupingMembership,
                {"grouping": grouping, "country": self.country(code), "start": start},
                end=end,
            )
        return grouping

    def participate(self, dialogue: Dialogue, codes: set[str]) -> None:
        for code in sorted(codes):
            self.ensure(
                Participation,
                {"dialogue": dialogue, "country": self.country(code)},
                status=Participation.Status.PARTICIPATING,
            )

    def body(self, dialogue: Dialogue, slug: str, **values: Any) -> Body:
        return self.ensure(Body, {"dialogue": dialogue, "slug": slug}, **values)

    def office(
        self, dialogue: Dialogue, kind: str, holder: Country | Organisation, **values: Any
    ) -> Office:
        lookup: dict[str, Any] = {
            "dialogue": dialogue,
            "kind": kind,
            "body": values.pop("body", None),
            "start": values.pop("start", None),
        }
        if isinstance(holder, Country):
            lookup["country"] = holder
        else:
            lookup["organisation"] = holder
        return self.ensure(Office, lookup, **values)

    def prague_process(
        self, orgs: dict[str, Organisation], groupings: dict[str, Grouping]
    ) -> Dialogue:
        pp = self.ensure(
            Dialogue,
            {"slug": "prague-process"},
            name={"en": "Prague Process", "ru": "Пражский процесс"},
            short_name={"en": "Prague Process", "ru": "Пражский процесс"},
            tagline={
                "en": "A targeted migration dialogue promoting migration partnerships in Europe "
                "and Central Asia.",
                "ru": "Целевой диалог по вопросам миграции, содействующий миграционным "
                "партнёрствам в Европе и Центральной Азии.",
            },
            description=data.PRAGUE_DESCRIPTION,
            founded=2009,
            main_language="en",
            other_languages=["ru"],
            programme=orgs["mpf"],
            secretariat_host=orgs["icmpd"],
            website="https://www.pragueprocess.eu/",
            order=1,
        )
        slugs = ["eu", "schengen", "eastern-partnership", "western-balkans", "central-asia"]
        pp.groupings.set([groupings[s] for s in slugs])
        today = timezone.localdate()
        codes = {"TR"}
        for slug in slugs:
            codes |= set(
                GroupingMembership.objects.filter(grouping=groupings[slug])
                .current(today)
                .values_list("country_id", flat=True)
            )
        self.participate(pp, codes)
        for slug in ("european-commission", "euaa", "iom"):
            self.ensure(
                Participation,
                {"dialogue": pp, "organisation": orgs[slug]},
                status=Participation.Status.PARTNER,
            )

        ministerial = self.body(
            pp,
            "ministerial-conference",
            kind=Body.Kind.MINISTERIAL,
            order=10,
            name={"en": "Ministerial Conference", "ru": "Министерская конференция"},
            description={
                "en": "Ministerial Conferences evaluate results and set strategy: Prague 2009 (launch), Poznań 2011, Bratislava 2016 and Prague 2022."
            },
        )
        sg = self.body(
            pp,
            "strategic-group",
            kind=Body.Kind.STRATEGIC_GROUP,
            order=20,
            name={"en": "Strategic Group", "ru": "Стратегическая группа"},
            description={
                "en": "Set up in autumn 2017: a limited group of states with a rotating chair, "
                "plus the acting EU Council Presidency, the European Commission and the "
                "Secretariat (ICMPD).",
                "ru": "Создана осенью 2017 года: ограниченная группа государств с "
                "ротационным председательством, а также действующее председательство в Совете "
                "ЕС, Европейская комиссия и секретариат (МЦРМП). (Перевод с английского.)",
            },
        )
        som = self.body(
            pp,
            "senior-officials-meeting",
            kind=Body.Kind.SOM,
            order=30,
            name={"en": "Senior Officials' Meeting", "ru": "Совещание старших должностных лиц"},
            description={"en": "Meets at least once a year."},
        )
        self.body(
            pp,
            "national-contact-points",
            kind=Body.Kind.CONTACT_POINTS,
            order=40,
            name={"en": "National Contact Points", "ru": "Национальные контактные лица"},
            description={"en": "Handle the daily expert-level cooperation."},
            access_level="members",
        )
        del ministerial, som
        for code in ("CZ", "HU", "LT", "PL"):
            self.ensure(BodyMembership, {"body": sg, "country": self.country(code)})
        for slug in ("european-commission", "icmpd"):
            self.ensure(BodyMembership, {"body": sg, "organisation": orgs[slug]})

        self.office(
            pp,
            Office.Kind.CHAIR,
            self.country("CZ"),
            start=D(2009, 1, 1),
            end=D(2010, 12, 31),
            note={"en": "Leadership 2009–2010, years as given by pragueprocess.eu."},
        )
        self.office(
            pp,
            Office.Kind.CHAIR,
            self.country("PL"),
            start=D(2011, 1, 1),
            end=D(2017, 12, 31),
            note={"en": "Leadership 2011–2017, years as given by pragueprocess.eu."},
        )
        self.office(
            pp,
            Office.Kind.SECRETARIAT,
            orgs["icmpd"],
            note={"en": "ICMPD serves as the Secretariat."},
        )
        self.office(
            pp,
            Office.Kind.BODY_CHAIR,
            self.country("LT"),
            body=sg,
            start=D(2020, 4, 6),
            end=D(2020, 6, 4),
            note={
                "en": "Attested as Chair of the Strategic Group on 6 April 2020 (news of 4 June "
                "2020); the full term is not recorded.",
                "ru": "Подтверждён как председатель Стратегической группы 6 апреля 2020 года "
                "(новость от 4 июня 2020 года); полный срок не внесён.",
            },
        )
        self.office(
            pp,
            Office.Kind.BODY_CHAIR,
            self.country("CZ"),
            body=sg,
            start=D(2023, 4, 27),
            end=D(2023, 4, 28),
            note={
                "en": "Attested as Chair at the Senior Officials' Meeting in Lisbon, 27–28 April 2023; the full term is not recorded."
            },
        )
        return pp

    def budapest_process(
        self, orgs: dict[str, Organisation], groupings: dict[str, Grouping]
    ) -> Dialogue:
        bp = self.ensure(
            Dialogue,
            {"slug": "budapest-process"},
            name={"en": "Budapest Process", "ru": "Будапештский процесс"},
            short_name={"en": "Budapest Process", "ru": "Будапештский процесс"},
            tagline={
                "en": "An interregional, inter-governmental dialogue on migration, flanked by "
                "concrete projects.",
                "ru": "Межрегиональный межправительственный диалог по вопросам миграции, "
                "дополненный конкретными проектами.",
            },
            description=data.BUDAPEST_DESCRIPTION,
            founded=None,
            main_language="en",
            other_languages=["ru"],
            programme=orgs["mpf"],
            secretariat_host=orgs["icmpd"],
            website="https://www.budapestprocess.org/",
            order=2,
        )
        bp.groupings.set([groupings["eu"], groupings["silk-routes"]])
        self.participate(bp, {"TR", "HU", "AF", "BD", "IQ", "PK"})
        self.body(
            bp,
            "senior-officials-meeting",
            kind=Body.Kind.SOM,
            order=10,
            name={"en": "Senior Officials' Meeting", "ru": "Совещание старших должностных лиц"},
            description={"en": "Senior Officials' Meetings take the decisions."},
        )
        for order, (slug, en, ru) in enumerate(
            [
                (
                    "silk-routes-working-group",
                    "Silk Routes Regional Working Group",
                    "Региональная рабочая группа по Шёлковому пути",
                ),
                (
                    "south-east-europe-working-group",
                    "South East Europe Regional Working Group",
                    "Региональная рабочая группа по Юго-Восточной Европе",
                ),
                (
                    "black-sea-working-group",
                    "Black Sea Regional Working Group",
                    "Региональная рабочая группа по Черноморскому региону",
                ),
            ],
            start=20,
        ):
            self.body(
                bp, slug, kind=Body.Kind.WORKING_GROUP, order=order, name={"en": en, "ru": ru}
            )
        self.body(
            bp,
            "friends-of-the-chair",
            kind=Body.Kind.FRIENDS,
            order=40,
            name={"en": "Friends of the Chair", "ru": "Друзья председателя"},
        )
        self.body(
            bp,
            "reference-group",
            kind=Body.Kind.REFERENCE_GROUP,
            order=50,
            name={"en": "Reference Group", "ru": "Референтная группа"},
            description={"en": "Works with a rapporteur state."},
        )
        note = {"en": "As stated on 14 August 2025; the start of the term is not recorded."}
        self.office(bp, Office.Kind.CHAIR, self.country("TR"), note=note)
        self.office(bp, Office.Kind.CO_CHAIR, self.country("HU"), note=note)
        self.office(bp, Office.Kind.SECRETARIAT, orgs["icmpd"], note=note)
        return bp

    def accounts(self, dialogues: dict[str, Dialogue]) -> None:
        for email, name, roles, superuser in data.DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    data.DEMO_PASSWORD,
                    display_name=name,
                    is_superuser=superuser,
                    is_staff=superuser,
                )
                self.created += 1
            for slug, role, code in roles:
                country = self.country(code) if code else None
                if (
                    not Role.objects.active()
                    .filter(user=user, dialogue=dialogues[slug], role=role, country=country)
                    .exists()
                ):
                    Role.objects.create(
                        user=user, dialogue=dialogues[slug], role=role, country=country
                    )
                    self.created += 1
            if not superuser and not Person.objects.filter(user=user).exists():
                code = roles[0][2] if roles and roles[0][2] else ""
                Person.objects.create(
                    user=user,
                    given_name="Example",
                    family_name=name.split(" (")[0],
                    country=self.country(code) if code else None,
                    level=Person.Level.EXPERT,
                    is_example=True,
                )
                self.created += 1
