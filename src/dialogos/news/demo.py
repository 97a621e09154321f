"""Demo news: the four dated items of the seed (the first is the MPF introduction), their
topics, a stand-in for the group photo, and one example review issue.

Every English text is the seed's own; titles are plain descriptions of it. Russian texts are
translations made for the demo and say so. Called by the demo command as ``load(loader)``
after the meetings; idempotent (every row is found by a fixed key).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.files.base import ContentFile

from dialogos.dialogues.models import Dialogue
from dialogos.meetings.models import Meeting
from dialogos.news import images
from dialogos.news.models import NewsImage, NewsItem, ReviewEntry, ReviewIssue, Topic

RU_NOTE = "\n\n*(Русский перевод: пример данных / Russian translation: example data)*"


def _day(y: int, m: int, d: int) -> datetime.datetime:
    return datetime.datetime(y, m, d, 9, 0, tzinfo=datetime.UTC)


TOPICS = [
    ("migration-dialogues", {"en": "Migration dialogues", "ru": "Миграционные диалоги"}, 1),
    (
        "ministerial-conferences",
        {"en": "Ministerial conferences", "ru": "Министерские конференции"},
        2,
    ),
    ("changes-of-schedule", {"en": "Changes of schedule", "ru": "Изменения расписания"}, 3),
    ("border-governance", {"en": "Border governance", "ru": "Управление границами"}, 4),
]

MPF_EN = """Migration dialogues are powerful instruments for advancing migration governance, bringing together stakeholders at all levels – from Ministers and policy makers to experts and practitioners. They enable governments to exchange good practices in managing migration, asylum and border security.

Through the MPF, the EU facilitates migration dialogues between Member States and Western Balkans, the Middle East, Central Asia, Silk Routes and South Asia by supporting the Prague Process and the Budapest Process.

## Prague Process

The Prague Process is a targeted migration dialogue and a policy process promoting migration partnerships among the countries of the European Union, Schengen area, Eastern Partnership, Western Balkans, Central Asian, as well as Türkiye.

MPF supports the implementation of the PP Action Plan 2023-2027 through sustaining the three pillars of work and through four Thematic Components led by different Prague Process participating states.

### What has the Prague Process achieved? – Impact Note

Key achievements were brought to light during a recent external evaluation and compiled in an Impact Note – a short, visually engaging summary with key results since 2009.

## Budapest Process

Over the past 30 years, the Budapest Process has developed into an influential interregional and inter-governmental dialogue on migration. The Chair, Türkiye, supported by the Co-Chair, Hungary, oversees the daily running of the process, implemented by ICMPD, which serves as the Secretariat of the dialogue.

The dialogue has come to master the balance and interplay between political dialogue and operational action, with concrete projects flanking the dialogue and creating tangible outcomes of the established political objectives, such as the Migrant Resource Centres – MRCs."""

MPF_RU = (
    """Миграционные диалоги — действенный инструмент совершенствования управления миграцией: они объединяют участников всех уровней — от министров и разработчиков политики до экспертов и практиков. Они позволяют правительствам обмениваться передовым опытом в области управления миграцией, убежища и безопасности границ.

Через MPF ЕС содействует миграционным диалогам между государствами-членами и Западными Балканами, Ближним Востоком, Центральной Азией, странами Шёлкового пути и Южной Азией, поддерживая Пражский процесс и Будапештский процесс.

## Пражский процесс

Пражский процесс — целевой миграционный диалог и политический процесс, развивающий миграционные партнёрства между странами Европейского союза, Шенгенской зоны, Восточного партнёрства, Западных Балкан, Центральной Азии, а также Турцией.

MPF поддерживает выполнение Плана действий Пражского процесса на 2023–2027 годы, поддерживая три направления работы и четыре тематических компонента, которые возглавляют разные государства — участники Пражского процесса.

### Чего достиг Пражский процесс? — Записка о результатах

Основные достижения были выявлены в ходе недавней внешней оценки и собраны в Записке о результатах — краткой наглядной сводке ключевых результатов с 2009 года.

## Будапештский процесс

За последние 30 лет Будапештский процесс стал влиятельным межрегиональным и межправительственным диалогом по миграции. Председатель, Турция, при поддержке сопредседателя, Венгрии, руководит повседневной работой процесса, который осуществляет МЦРМП, выполняющий функции секретариата диалога.

Диалогу удаётся сочетать политический диалог и оперативные действия: конкретные проекты сопровождают диалог и дают ощутимые результаты поставленных политических целей — например, центры ресурсов для мигрантов (MRC)."""
    + RU_NOTE
)

MINISTERIAL_EN = (
    "Over the past months, the Prague Process activities have largely focused on preparing the "
    "4th Ministerial Conference, scheduled for 24-25 October 2022 as an official event of the "
    "Czech EU Presidency. The Conference shall result in the adoption of a new Action Plan and "
    "political mandate for the years 2023-2027."
)
MINISTERIAL_RU = (
    "В последние месяцы деятельность Пражского процесса была в основном сосредоточена на "
    "подготовке 4-й министерской конференции, запланированной на 24–25 октября 2022 года как "
    "официальное мероприятие председательства Чехии в ЕС. Итогом конференции должно стать "
    "принятие нового Плана действий и политического мандата на 2023–2027 годы." + RU_NOTE
)
COVID_EN = (
    "On 6 April 2020, Mr. Tautvydas Tamulevičius, Vice-minister of the Interior of the Republic "
    "of Lithuania, as the current Chair of the Prague Process Strategic Group, informed the 50 "
    "participating states about the joint decision to reschedule all face-to-face activities "
    "planned before summer due to the COVID-19 outbreak."
)
COVID_RU = (
    "6 апреля 2020 года г-н Таутвидас Тамулявичюс, заместитель министра внутренних дел "
    "Литовской Республики, как действующий председатель Стратегической группы Пражского "
    "процесса, сообщил 50 государствам-участникам о совместном решении перенести все очные "
    "мероприятия, запланированные до лета, в связи со вспышкой COVID-19." + RU_NOTE
)
BORDERS_EN = (
    "Well-functioning and efficient borders form the foundation for regional mobility and "
    "development. Whether we consider the transit of cargo trains or containers full of goods, "
    "business people flying to meet their associates, tourism communities that cross national "
    "borders as part of their leisure patterns or even people fleeing persecution, the success "
    "or failure of these activities is dependent on well-governed borders. With the number of "
    "border crossings accelerating year by year, the need for national authorities to adopt a "
    "more progressive concept of comprehensive border governance becomes imperative."
)
BORDERS_RU = (
    "Хорошо функционирующие и эффективные границы — основа региональной мобильности и "
    "развития. Идёт ли речь о транзите грузовых поездов или контейнеров с товарами, о деловых "
    "людях, летящих на встречу с партнёрами, о туристах, пересекающих национальные границы во "
    "время отдыха, или даже о людях, спасающихся от преследований, успех или неудача всех этих "
    "перемещений зависит от хорошо управляемых границ. Поскольку число пересечений границ год "
    "от года растёт, национальным органам необходимо перейти к более прогрессивной концепции "
    "комплексного управления границами." + RU_NOTE
)


def load(loader: Any) -> None:
    topics = {
        slug: loader.ensure(Topic, {"slug": slug}, name=name, order=order)
        for slug, name, order in TOPICS
    }
    pp = Dialogue.objects.filter(slug="prague-process").first()
    mpf = loader.ensure(
        NewsItem,
        {"slug": "migration-dialogues-supported-by-the-mpf", "dialogue": None},
        title={
            "en": "Migration dialogues supported by the MPF",
            "ru": "Миграционные диалоги при поддержке MPF",
        },
        lead={
            "en": "Through the MPF, the EU supports the Prague Process and the Budapest Process.",
            "ru": "Через MPF ЕС поддерживает Пражский процесс и Будапештский процесс.",
        },
        body={"en": MPF_EN, "ru": MPF_RU},
        status=NewsItem.Status.PUBLISHED,
        published_at=_day(2025, 8, 14),
    )
    _topics(mpf, [topics["migration-dialogues"]])
    _photo(mpf)
    borders = loader.ensure(
        NewsItem,
        {"slug": "comprehensive-border-governance", "dialogue": None},
        title={
            "en": "Comprehensive border governance",
            "ru": "Комплексное управление границами",
        },
        lead={
            "en": "With border crossings accelerating year by year, national authorities need a "
            "more progressive concept of comprehensive border governance.",
            "ru": "Поскольку число пересечений границ растёт год от года, национальным органам "
            "нужна более прогрессивная концепция комплексного управления границами.",
        },
        body={"en": BORDERS_EN, "ru": BORDERS_RU},
        status=NewsItem.Status.PUBLISHED,
        published_at=_day(2019, 12, 2),
    )
    _topics(borders, [topics["border-governance"]])
    if pp is None:
        return
    ministerial = loader.ensure(
        NewsItem,
        {"slug": "preparing-the-4th-ministerial-conference", "dialogue": pp},
        title={
            "en": "Preparing the 4th Ministerial Conference",
            "ru": "Подготовка 4-й министерской конференции",
        },
        lead={
            "en": "The 4th Ministerial Conference is scheduled for 24-25 October 2022 as an "
            "official event of the Czech EU Presidency.",
            "ru": "4-я министерская конференция запланирована на 24–25 октября 2022 года как "
            "официальное мероприятие председательства Чехии в ЕС.",
        },
        body={"en": MINISTERIAL_EN, "ru": MINISTERIAL_RU},
        status=NewsItem.Status.PUBLISHED,
        published_at=_day(2021, 11, 4),
    )
    _topics(ministerial, [topics["ministerial-conferences"]])
    conference = Meeting.objects.filter(ical_uid="demo-pp-ministerial-2022@dialogos").first()
    if conference is not None and not ministerial.meetings.filter(pk=conference.pk).exists():
        ministerial.meetings.add(conference)
    covid = loader.ensure(
        NewsItem,
        {"slug": "face-to-face-activities-rescheduled-because-of-covid-19", "dialogue": pp},
        title={
            "en": "Face-to-face activities rescheduled because of COVID-19",
            "ru": "Очные мероприятия перенесены из-за COVID-19",
        },
        lead={
            "en": "The Chair of the Strategic Group informed the 50 participating states.",
            "ru": "Председатель Стратегической группы сообщил об этом 50 государствам-участникам.",
        },
        body={"en": COVID_EN, "ru": COVID_RU},
        status=NewsItem.Status.PUBLISHED,
        published_at=_day(2020, 6, 4),
    )
    _topics(covid, [topics["changes-of-schedule"]])
    _review(loader, pp)


def _topics(item: NewsItem, wanted: list[Topic]) -> None:
    if set(item.topics.values_list("pk", flat=True)) != {t.pk for t in wanted}:
        item.topics.set(wanted)


def _photo(item: NewsItem) -> None:
    """A plain stand-in picture: the real group photo is not part of the demo data."""
    if item.images.exists():
        return
    from PIL import Image, ImageDraw, ImageFont

    picture = Image.new("RGB", (1600, 900), (29, 112, 184))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((60, 60, 1540, 840), outline=(255, 255, 255), width=6)
    font = ImageFont.load_default(size=44)
    white = (255, 255, 255)
    draw.text((110, 380), "Placeholder (example data)", fill=white, font=font)
    draw.text((110, 450), "Prague Process Ministerial 2022 group photo", fill=white, font=font)
    raw = io.BytesIO()
    picture.save(raw, "PNG")
    processed = images.process(raw)
    image = NewsImage(
        item=item,
        alt={
            "en": "Placeholder for the Prague Process Ministerial 2022 group photo (example data: "
            "the photo itself is not included)",
            "ru": "Заглушка вместо групповой фотографии министерской конференции Пражского "
            "процесса 2022 года (пример данных: сама фотография не включена)",
        },
        credit={"en": "Prague Process Ministerial 2022 group photo (placeholder)"},
        content_type=processed.content_type,
        width=processed.renditions["large"].width,
        height=processed.renditions["large"].height,
        small_width=processed.renditions["small"].width,
        small_height=processed.renditions["small"].height,
        sha256=processed.sha256,
    )
    for name in ("large", "small"):
        getattr(image, name).save(
            f"{name}.{processed.extension}",
            ContentFile(processed.renditions[name].data),
            save=False,
        )
    image.save()


def _review(loader: Any, pp: Dialogue) -> None:
    issue: ReviewIssue = loader.ensure(
        ReviewIssue,
        {"dialogue": pp, "period_start": datetime.date(2021, 10, 1)},
        period_end=datetime.date(2021, 12, 31),
        title={
            "en": "Quarterly Review, October–December 2021 (example data)",
            "ru": "Ежеквартальный обзор, октябрь–декабрь 2021 года (пример данных)",
        },
        introduction={
            "en": "An example issue built by Dialogos from the quarter's news (example data).",
            "ru": "Пример выпуска, собранного Dialogos из новостей квартала (пример данных).",
        },
        status=ReviewIssue.Status.PUBLISHED,
        published_at=_day(2022, 1, 10),
    )
    item = NewsItem.objects.filter(
        dialogue=pp, slug="preparing-the-4th-ministerial-conference"
    ).first()
    if item is not None:
        loader.ensure(
            ReviewEntry,
            {"issue": issue, "news_item": item},
            section=ReviewEntry.Section.NEWS,
            order=1,
            title=item.title,
            summary=item.lead,
        )
