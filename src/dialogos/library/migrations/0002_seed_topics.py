"""The starting thematic taxonomy; the secretariat edits it afterwards."""

from typing import Any

from django.db import migrations

TOPICS = [
    ("migration-and-development", "Migration and development", "Миграция и развитие"),
    (
        "legal-and-labour-migration",
        "Legal and labour migration",
        "Легальная и трудовая миграция",
    ),
    ("irregular-migration", "Irregular migration", "Нерегулярная миграция"),
    ("return-and-reintegration", "Return and reintegration", "Возвращение и реинтеграция"),
    (
        "asylum-and-international-protection",
        "Asylum and international protection",
        "Убежище и международная защита",
    ),
    ("trafficking-and-smuggling", "Trafficking and smuggling", "Торговля людьми и незаконный ввоз мигрантов"),
    ("border-management", "Border management", "Управление границами"),
    ("integration", "Integration", "Интеграция"),
    ("diaspora", "Diaspora", "Диаспора"),
    ("data", "Migration data", "Данные о миграции"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Topic = apps.get_model("library", "Topic")
    for order, (slug, en, ru) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": {"en": en, "ru": ru}, "order": order * 10}
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    Topic = apps.get_model("library", "Topic")
    Topic.objects.filter(slug__in=[slug for slug, _en, _ru in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
