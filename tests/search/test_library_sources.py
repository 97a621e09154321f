"""Documents (with their files' text), good practices and country profiles in search."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dialogos.core.models import AccessLevel


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what the worker would run once the transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def make_document(world: Any, committed: Any, title: str, **fields: Any) -> Any:
    from dialogos.library.models import Document

    with committed():
        return Document.objects.create(
            dialogue=fields.pop("dialogue", world.pp),
            title={"en": title},
            date=fields.pop("date", datetime.date(2024, 3, 1)),
            **fields,
        )


def add_file(document: Any, committed: Any, language: str, text: str) -> Any:
    from dialogos.library.models import LibraryFile

    with committed():
        return LibraryFile.objects.create(
            document=document,
            language=language,
            file=f"private/library/test-{document.pk}-{language}.pdf",
            original_name=f"report-{language}.pdf",
            extension="pdf",
            content_type="application/pdf",
            size=len(text),
            sha256="0" * 64,
            text=text,
        )


def found(client: Any, q: str, **params: str) -> list[str]:
    data = client.get("/api/v1/search", {"q": q, **params}).json()
    return [h["title"] for h in data["results"]]


def test_the_text_of_a_documents_files_is_searchable_in_each_language(
    world: Any, committed: Any
) -> None:
    document = make_document(world, committed, "Annual report")
    add_file(document, committed, "en", "Chapter on circular migration schemes.")
    add_file(document, committed, "ru", "Глава о циркулярной миграции.")
    anon = world.client_for(None)
    assert found(anon, "circular schemes") == ["Annual report"]
    assert found(anon, "циркулярная") == ["Annual report"]
    page = anon.get("/ru/search/", {"q": "циркулярной"}).content.decode()
    assert "Глава о <mark>циркулярной</mark> миграции." in page
    languages = anon.get("/api/v1/search", {"q": "annual"}).json()["facets"]["language"]
    assert {v["value"] for v in languages} == {"en", "ru"}


def test_topics_are_a_facet_with_their_labels(world: Any, committed: Any) -> None:
    from dialogos.library.models import Topic

    topic, _ = Topic.objects.get_or_create(
        slug="labour-migration-test", defaults={"name": {"en": "Labour migration (test)"}}
    )
    document = make_document(world, committed, "Seasonal work")
    with committed():
        document.topics.add(topic)
    data = world.client_for(None).get("/api/v1/search", {"q": "seasonal"}).json()
    assert data["facets"]["topic"] == [
        {"value": topic.slug, "label": "Labour migration (test)", "count": 1, "selected": False}
    ]
    assert found(world.client_for(None), "seasonal", topic=topic.slug) == ["Seasonal work"]


def test_a_document_follows_the_access_of_its_meeting(
    world: Any, committed: Any, make_meeting: Any
) -> None:
    meeting = make_meeting("Senior officials", access_level=AccessLevel.PUBLIC)
    make_document(
        world, committed, "Conclusions of the chair", meeting=meeting, access_level="inherit"
    )
    frank = world.client_for(world.frank)
    assert found(frank, "conclusions") == ["Conclusions of the chair"]
    meeting.access_level = AccessLevel.MEMBERS
    with committed():
        meeting.save(update_fields=["access_level"])
    assert found(frank, "conclusions") == []
    assert found(world.client_for(world.dan), "conclusions") == ["Conclusions of the chair"]
    assert found(world.client_for(world.erin), "conclusions") == []


def test_deleting_a_document_removes_it(world: Any, committed: Any) -> None:
    document = make_document(world, committed, "Obsolete handbook")
    with committed():
        document.delete()
    assert found(world.client_for(world.olga), "obsolete") == []


def test_only_published_practices_are_found(world: Any, committed: Any) -> None:
    from django.utils import timezone

    from dialogos.library.models import Practice, PracticeStatus

    with committed():
        practice = Practice.objects.create(
            dialogue=world.pp,
            country_id="CZ",
            title={"en": "One-stop shop for migrants"},
            summary={"en": "A single desk for residence and work permits."},
        )
    assert found(world.client_for(world.olga), "one-stop") == []
    practice.status = PracticeStatus.PUBLISHED
    practice.published_at = timezone.now()
    with committed():
        practice.save(update_fields=["status", "published_at"])
    assert found(world.client_for(None), "permits") == ["One-stop shop for migrants"]
    assert found(world.client_for(None), "Czech Republic") == ["One-stop shop for migrants"]


def test_published_profiles_are_found_by_country_name(world: Any, committed: Any) -> None:
    from django.utils import timezone

    from dialogos.library.models import CountryProfile

    with committed():
        CountryProfile.objects.create(
            dialogue=world.pp,
            country_id="LT",
            title={"en": "Migration profile light", "ru": "Миграционный профиль"},
            published_at=timezone.now(),
        )
        CountryProfile.objects.create(
            dialogue=world.pp, country_id="CZ", title={"en": "Migration profile (draft)"}
        )
    assert found(world.client_for(None), "profile lithuania") == ["Migration profile light"]
    assert found(world.client_for(world.olga), "profile", kind="profile") == [
        "Migration profile light"
    ]


def test_a_result_found_by_its_topic_names_the_topic(world: Any, committed: Any) -> None:
    """A document found by the name of its topic (a word in neither its title nor its text)
    names the topic, in the reader's language, with the matching words highlighted."""
    from dialogos.library.models import Topic

    topic, _ = Topic.objects.get_or_create(
        slug="readmission-test",
        defaults={"name": {"en": "Readmission (test)", "ru": "Реадмиссия (тест)"}},
    )
    document = make_document(world, committed, "Annual overview", summary={"en": "Figures."})
    with committed():
        document.topics.add(topic)
    anon = world.client_for(None)
    data = anon.get("/api/v1/search", {"q": "readmission"}).json()
    assert [h["title"] for h in data["results"]] == ["Annual overview"]
    assert data["results"][0]["matched"] == [
        {
            "facet": "topic",
            "value": "readmission-test",
            "label": "Readmission (test)",
            "label_html": "<mark>Readmission</mark> (test)",
        }
    ]
    page = anon.get("/ru/search/", {"q": "readmission"}).content.decode()
    assert "Тема: Реадмиссия (тест) (<mark>Readmission</mark> (test))" in page
