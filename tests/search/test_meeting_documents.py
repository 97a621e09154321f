"""Meeting documents in search: each role finds exactly the documents ``core.access`` lets it
see — inherited from the meeting or set on the document — and a change of the meeting or of a
file reindexes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dialogos.core import access
from dialogos.core.models import AccessLevel

ROLES = ["anonymous", "frank", "bob", "carol", "dan", "alice", "erin", "olga"]

EXPECTED = {
    "anonymous": {"public", "own public in members"},
    "frank": {"public", "own public in members"},
    "bob": {"public", "own public in members", "members"},
    "carol": {"public", "own public in members", "members"},
    "dan": {"public", "own public in members", "members", "group"},
    "alice": {
        "public",
        "own public in members",
        "members",
        "group",
        "group other",
        "own secretariat in public",
    },
    "erin": {"public", "own public in members"},
    "olga": {
        "public",
        "own public in members",
        "members",
        "group",
        "group other",
        "own secretariat in public",
    },
}


@pytest.fixture
def make_document(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    from dialogos.meetings.models import MeetingDocument

    def make(meeting: Any, name: str, **extra: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return MeetingDocument.objects.create(
                meeting=meeting, title={"en": f"Annotated agenda {name}"}, **extra
            )

    return make


@pytest.fixture
def documents(
    world: Any, make_meeting: Any, make_registration: Any, make_document: Any
) -> dict[str, Any]:
    public = make_meeting("Senior officials in Vilnius", country="CZ")
    members = make_meeting("Senior officials members", access_level=AccessLevel.MEMBERS)
    group = make_meeting("Senior officials group", access_level=AccessLevel.GROUP)
    other = make_meeting("Senior officials other group", access_level=AccessLevel.GROUP)
    make_registration(group, world.dan)
    return {
        "public": make_document(public, "public", kind="agenda"),
        "members": make_document(members, "members"),
        "group": make_document(group, "group"),
        "group other": make_document(other, "group other"),
        "own public in members": make_document(
            members, "own public in members", access_level=AccessLevel.PUBLIC
        ),
        "own secretariat in public": make_document(
            public, "own secretariat in public", access_level=AccessLevel.SECRETARIAT
        ),
    }


def user_of(world: Any, role: str) -> Any:
    return None if role == "anonymous" else getattr(world, role)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_exactly_the_meeting_documents_it_may_see(
    world: Any, documents: dict[str, Any], role: str
) -> None:
    user = user_of(world, role)
    client = world.client_for(user)
    data = client.get("/api/v1/search", {"q": "annotated agenda"}).json()
    found = {h["title"].removeprefix("Annotated agenda ") for h in data["results"]}
    assert found == EXPECTED[role]
    assert found == {name for name, d in documents.items() if access.can_view(user, d)}
    assert data["total"] == len(EXPECTED[role])
    assert data["facets"]["kind"] == [
        {
            "value": "meetingdocument",
            "label": "Meeting documents",
            "count": len(EXPECTED[role]),
            "selected": False,
        }
    ]
    page = client.get("/en/search/", {"q": "annotated", "kind": "meetingdocument"})
    body = page.content.decode()
    for name in set(documents) - EXPECTED[role]:
        assert f"agenda {name}<" not in body


def test_a_document_is_found_by_its_meeting_kind_and_file_name(
    world: Any, documents: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from dialogos.meetings.models import MeetingFile

    anon = world.client_for(None)
    # "Vilnius" is a word of the meeting's title only.
    hits = anon.get("/api/v1/search", {"q": "vilnius agenda"}).json()["results"]
    assert {(h["kind"], h["title"]) for h in hits} == {
        ("meetingdocument", "Annotated agenda public")
    }
    assert hits[0]["url"] == f"/en/meetings/{documents['public'].meeting_id}/#documents"
    # The kind's label in every language is indexed ("Agenda" is "Повестка дня").
    russian = anon.get("/api/v1/search", {"q": "повестка"}).json()["results"]
    assert [h["title"] for h in russian] == ["Annotated agenda public"]
    with django_capture_on_commit_callbacks(execute=True):
        file = MeetingFile.objects.create(
            document=documents["public"],
            language="en",
            file="private/meetings/not-stored.pdf",
            original_name="PP-SOM-2024-agenda.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
        )
    hits = anon.get("/api/v1/search", {"q": "PP-SOM-2024"}).json()["results"]
    assert [(h["title"], h["url"]) for h in hits] == [
        ("Annotated agenda public", f"/en/meetings/files/{file.pk}/")
    ]


def test_a_change_of_the_meeting_reindexes_its_documents(
    world: Any, documents: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = documents["public"].meeting
    meeting.access_level = AccessLevel.SECRETARIAT
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save(update_fields=["access_level"])
    data = world.client_for(world.frank).get("/api/v1/search", {"q": "annotated"}).json()
    assert {h["title"] for h in data["results"]} == {"Annotated agenda own public in members"}
    alice = world.client_for(world.alice).get("/api/v1/search", {"q": "annotated"}).json()
    assert "Annotated agenda public" in {h["title"] for h in alice["results"]}


def test_a_deleted_document_leaves_the_index(
    world: Any, documents: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        documents["public"].delete()
    data = world.client_for(None).get("/api/v1/search", {"q": "annotated"}).json()
    assert {h["title"] for h in data["results"]} == {"Annotated agenda own public in members"}
