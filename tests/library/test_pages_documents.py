"""The public document list and page: filters, pagination, access per role, a fixed number
of queries, bad query strings, the Related region and structured data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dialogos.core.models import Country
from dialogos.library.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(world: Any, make_document: Any, attach_pdf: Any) -> dict[str, Any]:
    topic = Topic.objects.get(slug="border-management")
    public = make_document(
        title={"en": "Public declaration"},
        type="declaration",
        date=datetime.date(2019, 5, 1),
        topics=[topic],
        countries=[Country.objects.get(code="CZ")],
    )
    attach_pdf(public, language="ru")
    members = make_document(title={"en": "Members report"}, type="report", access_level="members")
    secret = make_document(
        title={"en": "Secretariat note"}, type="report", access_level="secretariat"
    )
    other = make_document(
        actor=world.erin, dialogue=world.bp, title={"en": "Budapest factsheet"}, type="factsheet"
    )
    return {"public": public, "members": members, "secret": secret, "other": other}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (None, {"Public declaration", "Budapest factsheet"}),
        ("frank", {"Public declaration", "Budapest factsheet"}),
        ("dan", {"Public declaration", "Budapest factsheet", "Members report"}),
        ("erin", {"Public declaration", "Budapest factsheet"}),
        (
            "alice",
            {"Public declaration", "Budapest factsheet", "Members report", "Secretariat note"},
        ),
        (
            "olga",
            {"Public declaration", "Budapest factsheet", "Members report", "Secretariat note"},
        ),
    ],
)
def test_each_role_sees_exactly_its_documents(
    world: Any, shelf: dict[str, Any], name: str | None, expected: set[str]
) -> None:
    client = world.client_for(getattr(world, name) if name else None)
    html = client.get("/en/library/").content.decode()
    titles = {"Public declaration", "Budapest factsheet", "Members report", "Secretariat note"}
    assert {t for t in titles if t in html} == expected
    for key, document in shelf.items():
        visible = str(document.title) in expected
        assert (client.get(f"/en/library/{document.pk}/").status_code == 200) is visible, key
        api = client.get(f"/api/v1/library/documents/{document.pk}")
        assert (api.status_code == 200) is visible, key
    listed = {r["title"] for r in client.get("/api/v1/library/documents").json()["results"]}
    assert listed == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=declaration", {"Public declaration"}),
        ("dialogue=budapest-process", {"Budapest factsheet"}),
        ("topic=border-management", {"Public declaration"}),
        ("country=cz", {"Public declaration"}),
        ("year=2019", {"Public declaration"}),
        ("language=ru", {"Public declaration"}),
        ("type=report", {"Members report", "Secretariat note"}),
    ],
)
def test_filters(world: Any, shelf: dict[str, Any], query: str, expected: set[str]) -> None:
    html = world.client_for(world.alice).get(f"/en/library/?{query}").content.decode()
    titles = {"Public declaration", "Budapest factsheet", "Members report", "Secretariat note"}
    assert {t for t in titles if t in html} == expected


@pytest.mark.parametrize(
    "query",
    [
        "type=%00",
        "year=abc",
        "year=99999999999999999999",
        "page=-1",
        "page=zzz",
        "country=<script>",
        "dialogue=" + "x" * 5000,
        "language=xx",
        "topic[]=1&type[]=2",
    ],
)
def test_malformed_query_strings_never_fail(world: Any, shelf: dict[str, Any], query: str) -> None:
    assert world.client_for(None).get(f"/en/library/?{query}").status_code == 200
    assert world.client_for(None).get(f"/api/v1/library/documents?{query}").status_code in (
        200,
        422,
    )
    assert world.client_for(None).get(f"/en/practices/?{query}").status_code == 200
    assert world.client_for(None).get(f"/en/profiles/?{query}").status_code == 200


def test_the_list_paginates(world: Any, make_document: Any) -> None:
    for n in range(30):
        make_document(
            title={"en": f"Document number {n:02d}"}, date=datetime.date(2020, 1, 1 + n % 28)
        )
    client = world.client_for(None)
    first = client.get("/en/library/").content.decode()
    assert "30 documents" in first and "Page 1 of 2" in first
    second = client.get("/en/library/?page=2").content.decode()
    assert second.count("Document number") == 5


def test_list_and_page_cost_a_fixed_number_of_queries(
    world: Any, make_document: Any, attach_pdf: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        document = make_document(title={"en": f"Doc {n}"}, topics=list(Topic.objects.all()[:3]))
        attach_pdf(document)
        attach_pdf(document, language="ru")
    for user in (None, world.alice, world.dan):
        client = world.client_for(user)
        client.get("/en/library/")  # sessions and the like warm up
        with django_assert_max_num_queries(14):
            assert client.get("/en/library/").status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get(f"/en/library/{document.pk}/").status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get("/api/v1/library/documents").status_code == 200


def test_the_htmx_request_gets_only_the_results(world: Any, shelf: dict[str, Any]) -> None:
    html = world.client_for(None).get("/en/library/?type=declaration", HTTP_HX_REQUEST="true")
    text = html.content.decode()
    assert text.lstrip().startswith('<div id="document-results"')
    assert "Public declaration" in text


def test_the_page_shows_files_and_structured_data(world: Any, shelf: dict[str, Any]) -> None:
    document = shelf["public"]
    html = world.client_for(None).get(f"/en/library/{document.pk}/").content.decode()
    assert "Download in Russian (PDF" in html
    assert '"@type": "DigitalDocument"' in html
    assert "Border management" in html


def test_the_related_region_appears_only_when_search_provides_it(
    world: Any, shelf: dict[str, Any]
) -> None:
    from django.urls import NoReverseMatch, reverse

    html = world.client_for(None).get(f"/en/library/{shelf['public'].pk}/").content.decode()
    try:
        url = reverse("search:related", args=["document", shelf["public"].pk])
    except NoReverseMatch:
        assert 'hx-trigger="load"' not in html
    else:
        assert f'hx-get="{url}"' in html


def test_a_summary_with_html_is_refused_and_rendered_safely(world: Any, make_document: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        make_document(summary={"en": "<img src=x onerror=alert(1)>"})
    assert "summary" in refused.value.message_dict
    document = make_document(summary={"en": "Text with [a link](https://example.org) & more"})
    html = world.client_for(None).get(f"/en/library/{document.pk}/").content.decode()
    assert 'href="https://example.org"' in html and "&amp; more" in html


def test_pages_speak_russian(world: Any, shelf: dict[str, Any]) -> None:
    html = world.client_for(None).get("/ru/library/").content.decode()
    assert "Библиотека" in html
    page = world.client_for(None).get(f"/ru/library/{shelf['public'].pk}/").content.decode()
    assert "Скачать" in page


@pytest.mark.parametrize(
    "path",
    [
        "/en/library/99999999999999999999/",
        "/en/practices/99999999999999999999/",
        "/en/profiles/99999999999999999999/",
        "/en/practices/calls/99999999999999999999/",
        "/en/library/files/99999999999999999999/",
        "/en/library/0/",
    ],
)
def test_ids_beyond_the_database_are_not_found(world: Any, path: str) -> None:
    assert world.client_for(world.alice).get(path).status_code == 404


def test_the_filter_choices_follow_every_change(world: Any, make_document: Any) -> None:
    make_document(date=datetime.date(2019, 5, 1))
    client = world.client_for(None)
    assert '<option value="2015"' not in client.get("/en/library/").content.decode()
    make_document(date=datetime.date(2015, 5, 1), title={"en": "Older"})
    assert '<option value="2015"' in client.get("/en/library/").content.decode()
    # A members-only year is not offered to visitors, but is to members.
    make_document(date=datetime.date(2011, 1, 1), title={"en": "Hidden"}, access_level="members")
    assert '<option value="2011"' not in client.get("/en/library/").content.decode()
    assert (
        '<option value="2011"' in world.client_for(world.dan).get("/en/library/").content.decode()
    )
