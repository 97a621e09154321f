"""Country profiles written through the API: the secretariat drafts, stores the file and
formally submits; the state's focal point endorses or asks for changes; the secretariat may
publish without endorsement after three months. Those who may not see a profile get 404, those
who see it but may not do this 403, bad input 422 naming the field — and nothing changes."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pydantic import TypeAdapter

from dialogos.api.services import create_api_token
from dialogos.core.models import Country
from dialogos.library import services
from dialogos.library.api import ProfileDetailOut, ProfileOut
from dialogos.library.models import CountryProfile, LibraryFile, ProfileEvent, ProfileStatus
from tests.library.conftest import docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

PROFILES = "/api/v1/library/profiles"
_tokens: dict[int, str] = {}


def _headers(user: Any) -> dict[str, str]:
    if user is None:
        return {}
    if user.pk not in _tokens:
        _tokens[user.pk] = create_api_token(actor=user, user=user, name="test")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {_tokens[user.pk]}"}


@pytest.fixture(autouse=True)
def _fresh_tokens() -> None:
    _tokens.clear()


def call(user: Any, method: str, path: str, body: Any = None, **extra: Any) -> Any:
    return getattr(Client(), method)(
        f"{PROFILES}{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        **_headers(user),
        **extra,
    )


def detail(response: Any, status: int = 200) -> dict[str, Any]:
    """The answer, held to the declared schema."""
    assert response.status_code == status, response.content
    data = response.json()
    TypeAdapter(ProfileDetailOut).validate_python(data)
    return data


def errors(response: Any) -> dict[str | None, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


def send_file(user: Any, profile_id: int, name: str, content: bytes) -> Any:
    return Client().post(
        f"{PROFILES}/{profile_id}/files",
        {"language": "en", "file": upload(name, content)},
        **_headers(user),
    )


def row(profile_id: int) -> dict[str, Any]:
    """What is stored of a profile: to show a refused request changed nothing."""
    profile = CountryProfile.objects.get(pk=profile_id)
    return {
        "title": dict(profile.title),
        "summary": dict(profile.summary),
        "period": profile.period,
        "access_level": profile.access_level,
        "status": profile.status,
        "submitted_at": profile.submitted_at,
        "endorsed_at": profile.endorsed_at,
        "published_at": profile.published_at,
        "updated_at": profile.updated_at,
        "topics": sorted(profile.topics.values_list("slug", flat=True)),
        "events": list(profile.events.values_list("action", flat=True)),
    }


NEW = {
    "dialogue": "prague-process",
    "country": "cz",
    "kind": "extended",
    "title": {"en": "Extended Migration Profile: Czechia (example data)", "ru": "Профиль"},
    "summary": {"en": "Migration trends 2019–2023. (example data)"},
    "period": "2019–2023",
    "topics": ["integration", "data"],
}


@pytest.fixture
def lena(world: Any) -> Any:
    """The focal point of Lithuania in the Prague Process: another state's."""
    from dialogos.people.models import Role, User

    user = User.objects.create_user("lena@example.org", "pw-lena-1234", display_name="Lena")
    Role.objects.create(
        user=user,
        dialogue=world.pp,
        role=Role.Kind.FOCAL_POINT,
        country=Country.objects.get(code="LT"),
    )
    return user


def test_the_whole_journey_through_the_api(world: Any) -> None:
    created = detail(call(world.alice, "post", "", NEW), 201)
    pk = created["id"]
    assert (created["status"], created["kind"], created["country"]["code"]) == (
        "draft",
        "extended",
        "CZ",
    )
    assert created["title_i18n"]["ru"] == "Профиль" and created["period"] == "2019–2023"
    assert sorted(t["slug"] for t in created["topics"]) == ["data", "integration"]
    assert [h["step"] for h in created["history"]] == ["created"]
    assert created["submitted"] is None and created["endorsement_due"] is None
    # A draft is the secretariat's alone.
    assert call(None, "get", f"/{pk}").status_code == 404
    assert call(world.bob, "get", f"/{pk}").status_code == 404
    assert call(world.alice, "get", "").json() == []

    refused = call(world.alice, "post", f"/{pk}/submit")
    assert "Attach the profile's file" in errors(refused)["file"]
    assert CountryProfile.objects.get(pk=pk).status == ProfileStatus.DRAFT
    stored = send_file(world.alice, pk, "profile.pdf", pdf_bytes("Extended profile 2023"))
    assert stored.status_code == 201, stored.content

    submitted = detail(call(world.alice, "post", f"/{pk}/submit"))
    assert submitted["status"] == "submitted" and submitted["submitted"]
    assert datetime.datetime.fromisoformat(
        submitted["endorsement_due"]
    ) > datetime.datetime.fromisoformat(submitted["submitted"]) + datetime.timedelta(days=88)
    # From the formal submission the state's focal point sees it, with its status and history.
    seen = detail(call(world.bob, "get", f"/{pk}"))
    assert seen["status"] == "submitted" and seen["published"] is None
    assert [h["step"] for h in seen["history"]] == ["created", "submitted"]
    assert [f["name"] for f in seen["files"]] == ["profile.pdf"]
    assert call(None, "get", f"/{pk}").status_code == 404

    changes = {"decision": "request_changes", "comment": "Update the 2023 figures."}
    asked = detail(call(world.bob, "post", f"/{pk}/answer", changes))
    assert asked["status"] == "changes_requested"
    assert asked["history"][-1]["comment"] == "Update the 2023 figures."
    own = detail(call(world.alice, "get", f"/{pk}"))
    last = own["history"][-1]
    assert (last["step"], last["comment"]) == ("changes_requested", "Update the 2023 figures.")

    revised = detail(call(world.alice, "patch", f"/{pk}", {"period": "2020–2023"}))
    assert revised["period"] == "2020–2023" and revised["status"] == "changes_requested"
    assert revised["title_i18n"] == NEW["title"]  # only the fields sent change
    revision = send_file(world.alice, pk, "profile.docx", docx_bytes("Revised profile 2023"))
    assert revision.status_code == 201 and revision.json()["version"] == 2
    assert detail(call(world.alice, "post", f"/{pk}/submit"))["status"] == "submitted"

    endorsed = detail(call(world.bob, "post", f"/{pk}/answer", {"decision": "endorse"}))
    assert endorsed["status"] == "endorsed" and endorsed["endorsed"] is True
    assert endorsed["published"] and endorsed["endorsed_at"] and endorsed["endorsement_due"] is None

    public = detail(call(None, "get", f"/{pk}"))
    assert public["status"] == "endorsed" and public["period"] == "2020–2023"
    assert [h["step"] for h in public["history"]] == [
        "created",
        "submitted",
        "changes_requested",
        "submitted",
        "endorsed",
    ]
    assert all(h["comment"] == "" for h in public["history"])  # the state's comments stay inside
    assert [(f["name"], f["version"]) for f in public["files"]] == [("profile.docx", 2)]
    listed = call(None, "get", "").json()
    TypeAdapter(list[ProfileOut]).validate_python(listed)
    assert [p["id"] for p in listed] == [pk]


def test_publishing_without_endorsement_waits_three_months(world: Any, make_profile: Any) -> None:
    profile = make_profile()
    submitted = detail(call(world.alice, "post", f"/{profile.pk}/submit"))
    due = datetime.datetime.fromisoformat(submitted["endorsement_due"])
    refused = call(world.alice, "post", f"/{profile.pk}/publish-unendorsed")
    message = errors(refused)["status"]
    assert "has until" in message and due.date().isoformat() in message
    before = row(profile.pk)
    assert before["status"] == ProfileStatus.SUBMITTED and before["published_at"] is None
    # A day before the three months are up: still refused.
    almost = timezone.now() - datetime.timedelta(days=89)
    CountryProfile.objects.filter(pk=profile.pk).update(submitted_at=almost)
    assert (
        "has until"
        in errors(call(world.alice, "post", f"/{profile.pk}/publish-unendorsed"))["status"]
    )
    assert CountryProfile.objects.get(pk=profile.pk).published_at is None
    assert call(None, "get", f"/{profile.pk}").status_code == 404

    CountryProfile.objects.filter(pk=profile.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=100)
    )
    published = detail(call(world.alice, "post", f"/{profile.pk}/publish-unendorsed"))
    assert published["status"] == "not_endorsed" and published["endorsed"] is False
    assert published["published"] and published["endorsement_due"] is None
    public = detail(call(None, "get", f"/{profile.pk}"))
    assert public["status"] == "not_endorsed"
    assert public["history"][-1]["step"] == "published_unendorsed"
    again = call(world.alice, "post", f"/{profile.pk}/publish-unendorsed")
    assert "status" in errors(again)


def _all_writes(pk: int) -> list[tuple[str, str, Any]]:
    return [
        ("patch", f"/{pk}", {"period": "1990–1991"}),
        ("delete", f"/{pk}", None),
        ("post", f"/{pk}/submit", None),
        ("post", f"/{pk}/publish-unendorsed", None),
        ("post", f"/{pk}/answer", {"decision": "endorse"}),
        ("post", f"/{pk}/answer", {"decision": "request_changes", "comment": "No."}),
    ]


def _refused(user: Any, requests: list[tuple[str, str, Any]], pk: int, code: int) -> None:
    before = row(pk)
    for method, path, body in requests:
        response = call(user, method, path, body)
        assert response.status_code == code, (user, method, path, response.content)
    assert row(pk) == before


def test_anonymous_writes_are_401(world: Any, make_profile: Any) -> None:
    profile = make_profile()
    assert call(None, "post", "", NEW).status_code == 401
    _refused(None, _all_writes(profile.pk), profile.pk, 401)
    assert CountryProfile.objects.count() == 1


@pytest.mark.parametrize("name", ["bob", "carol", "dan", "erin", "frank", "lena"])
def test_only_the_secretariat_drafts(world: Any, lena: Any, name: str) -> None:
    user = lena if name == "lena" else getattr(world, name)
    response = call(user, "post", "", NEW)
    assert response.status_code == 403, response.content
    assert "secretariat" in response.json()["detail"]
    assert not CountryProfile.objects.exists()


@pytest.mark.parametrize("name", ["bob", "carol", "dan", "erin", "frank", "lena"])
def test_a_draft_is_not_found_by_anyone_but_the_secretariat(
    world: Any, make_profile: Any, lena: Any, name: str
) -> None:
    profile = make_profile()
    user = lena if name == "lena" else getattr(world, name)
    assert call(user, "get", f"/{profile.pk}").status_code == 404
    _refused(user, _all_writes(profile.pk), profile.pk, 404)


def test_a_submitted_profile_is_the_focal_points_to_answer_and_no_one_elses(
    world: Any, make_profile: Any, lena: Any
) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    pk = profile.pk
    writes = _all_writes(pk)
    secretariat_writes, answers = writes[:4], writes[4:]
    # The focal point sees it but does the secretariat's part of nothing.
    _refused(world.bob, secretariat_writes, pk, 403)
    # The secretariat sees it but does not answer for the state.
    _refused(world.alice, answers, pk, 403)
    # Everyone else does not see it yet: another state's focal point, the state's contributor,
    # a delegate, another dialogue's secretariat, an account with no role.
    for user in (lena, world.carol, world.dan, world.erin, world.frank):
        assert call(user, "get", f"/{pk}").status_code == 404
        _refused(user, writes, pk, 404)


def test_a_published_profile_is_read_by_others_but_not_changed(
    world: Any, make_profile: Any, lena: Any
) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    services.endorse_profile(actor=world.bob, profile=profile)
    pk = profile.pk
    for user in (lena, world.carol, world.dan, world.erin, world.frank):
        seen = detail(call(user, "get", f"/{pk}"))
        assert seen["status"] == "endorsed"
        _refused(user, _all_writes(pk), pk, 403)
    refused = call(lena, "post", f"/{pk}/answer", {"decision": "endorse"})
    assert refused.json()["detail"] == "Only the state's focal point may answer for the state."


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"country": "ZZ"}, "country", "Unknown country code."),
        ({"dialogue": "nowhere"}, "dialogue", "There is no such dialogue."),
        ({"title": {"en": "<b>Czechia</b>"}}, "title", "Remove the HTML"),
        ({"summary": "<script>alert(1)</script>"}, "summary", "Remove the HTML"),
        ({"title": ""}, "title", ""),
        ({"title": {"xx": "Unknown language"}}, "title", ""),
        ({"kind": "medium"}, "kind", ""),
        ({"access_level": "inherit"}, "access_level", ""),
        ({"topics": ["nonexistent"]}, "topics", "Unknown topic: nonexistent"),
        ({"period": "x" * 41}, "period", ""),
        ({"status": "endorsed"}, "status", "This field is not known."),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_created(
    world: Any, body: dict[str, Any], field: str, message: str
) -> None:
    found = errors(call(world.alice, "post", "", {**NEW, **body}))
    assert field in found and message in found[field], found
    assert not CountryProfile.objects.exists()


def test_a_second_profile_of_the_same_kind_is_refused(world: Any, make_profile: Any) -> None:
    profile = make_profile()  # Czechia, light
    before = row(profile.pk)
    found = errors(call(world.alice, "post", "", {**NEW, "kind": "light"}))
    assert found == {"kind": "This state already has a profile of this kind; change that one."}
    assert CountryProfile.objects.count() == 1 and row(profile.pk) == before
    # Another kind, or another state, is a new profile.
    assert call(world.alice, "post", "", NEW).status_code == 201
    assert call(world.alice, "post", "", {**NEW, "country": "LT"}).status_code == 201


def test_the_focal_point_must_say_what_should_change(world: Any, make_profile: Any) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    before = row(profile.pk)
    path = f"/{profile.pk}/answer"
    for comment in (None, "", "   "):
        body: dict[str, Any] = {"decision": "request_changes"}
        if comment is not None:
            body["comment"] = comment
        assert errors(call(world.bob, "post", path, body)) == {"comment": "Say what should change."}
    russian = call(
        world.bob, "post", path, {"decision": "request_changes"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert errors(russian)["comment"] == "Укажите, что следует изменить."
    html = {"decision": "request_changes", "comment": "<a href='x'>see</a>"}
    assert "Remove the HTML" in errors(call(world.bob, "post", path, html))["comment"]
    assert "decision" in errors(call(world.bob, "post", path, {"decision": "maybe"}))
    assert row(profile.pk) == before
    assert not ProfileEvent.objects.filter(action="changes_requested").exists()


def test_a_frozen_profiles_content_cannot_change(world: Any, make_profile: Any) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    pk = profile.pk
    before = row(pk)
    for body in ({"title": {"en": "Another title"}}, {"summary": "New"}, {"period": "2000"}):
        found = errors(call(world.alice, "patch", f"/{pk}", body))
        assert found == {
            next(iter(body)): "The profile is with the state for endorsement; it cannot change "
            "until the state answers."
        }
    for body in ({"country": "LT"}, {"kind": "extended"}):
        assert errors(call(world.alice, "patch", f"/{pk}", body)) == {
            next(iter(body)): "This field is not known."
        }
    assert errors(call(world.alice, "patch", f"/{pk}", {"title": None})) == {
        "title": "This field cannot be empty."
    }
    russian = call(world.alice, "patch", f"/{pk}", {"period": "2000"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert errors(russian)["period"].startswith("Профиль")
    assert row(pk) == before
    # Who may see it and its topics still can change.
    changed = detail(call(world.alice, "patch", f"/{pk}", {"topics": ["data"]}))
    assert [t["slug"] for t in changed["topics"]] == ["data"] and changed["status"] == "submitted"
    # Once endorsed, the content is what the state answered for.
    services.endorse_profile(actor=world.bob, profile=profile)
    endorsed = row(pk)
    found = errors(call(world.alice, "patch", f"/{pk}", {"title": "Renamed"}))
    assert found == {
        "title": "The state has endorsed this version of the profile; it cannot change."
    }
    assert row(pk) == endorsed


def test_the_secretariat_removes_a_draft_but_not_a_published_profile(
    world: Any, make_profile: Any
) -> None:
    draft = make_profile(country=Country.objects.get(code="LT"))
    assert LibraryFile.objects.filter(profile=draft).exists()
    assert call(world.alice, "delete", f"/{draft.pk}").status_code == 204
    assert not CountryProfile.objects.filter(pk=draft.pk).exists()
    assert not LibraryFile.objects.filter(profile_id=draft.pk).exists()
    assert call(world.alice, "get", f"/{draft.pk}").status_code == 404

    published = services.submit_profile(actor=world.alice, profile=make_profile())
    services.endorse_profile(actor=world.bob, profile=published)
    before = row(published.pk)
    found = errors(call(world.alice, "delete", f"/{published.pk}"))
    assert found == {None: "A published profile stays on record; it cannot be deleted."}
    assert row(published.pk) == before


def test_a_step_out_of_turn_is_refused_by_status(world: Any, make_profile: Any) -> None:
    draft = make_profile()
    before = row(draft.pk)
    found = errors(call(world.alice, "post", f"/{draft.pk}/publish-unendorsed"))
    assert found == {"status": "This cannot be done while the profile is “Draft”."}
    assert row(draft.pk) == before
    submitted = services.submit_profile(actor=world.alice, profile=draft)
    before = row(submitted.pk)
    found = errors(call(world.alice, "post", f"/{submitted.pk}/submit"))
    assert "This cannot be done while the profile is" in found["status"], found
    assert row(submitted.pk) == before
    services.endorse_profile(actor=world.bob, profile=submitted)
    before = row(submitted.pk)
    for decision in ("endorse", "request_changes"):
        body = {"decision": decision, "comment": "Again."}
        found = errors(call(world.bob, "post", f"/{submitted.pk}/answer", body))
        assert "This cannot be done while the profile is" in found["status"], found
    assert row(submitted.pk) == before
