"""The texts API through HTTP with tokens: the negotiation end to end, and every refusal a
JSON answer naming the field (422), the right (403) or nothing (404) — never a 500."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from dialogos.api.services import create_api_token
from dialogos.texts.models import Circulation, Comment, OutcomeText, Paragraph
from tests.api.api_helpers import API, Caller, errors
from tests.texts.conftest import Negotiation


def caller(user: Any) -> Caller:
    return Caller(token=create_api_token(actor=user, user=user, name="tests")[1])


def later(days: int = 7) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def test_the_secretariat_runs_a_negotiation_through_the_api(world: Any, meeting: Any) -> None:
    alice, bob = caller(world.alice), caller(world.bob)
    response = alice.post(
        f"{API}/texts",
        {"dialogue": "prague-process", "kind": "declaration", "title": {"en": "Declaration"}},
    )
    assert response.status_code == 201, response.content
    text_id = response.json()["id"]
    assert response.json()["versions"][0]["is_draft"] is True
    response = alice.send(
        "put",
        f"{API}/texts/{text_id}/versions/1/paragraphs",
        {"paragraphs": [{"content": {"en": "One."}}, {"content": "Two.", "is_heading": False}]},
    )
    assert response.status_code == 200, response.content
    paragraphs = response.json()["paragraphs"]
    assert [p["label"] for p in paragraphs] == ["1", "2"]
    response = alice.post(
        f"{API}/texts/{text_id}/versions/1/circulate",
        {"states": ["CZ"], "deadline": later(), "message": "Please comment"},
    )
    assert response.status_code == 201, response.content
    circulation_id = response.json()["id"]
    response = bob.post(
        f"{API}/circulations/{circulation_id}/comments",
        {
            "country": "CZ",
            "paragraph": paragraphs[1]["id"],
            "kind": "amendment",
            "proposed_text": "Two and a half.",
            "send": True,
        },
    )
    assert response.status_code == 201, response.content
    comment_id = response.json()["id"]
    assert response.json()["paragraph_label"] == "2"
    response = alice.post(f"{API}/texts/{text_id}/next-version", {"apply_comments": [comment_id]})
    assert response.status_code == 201, response.content
    assert response.json()["paragraphs"][1]["content_i18n"]["en"] == "Two and a half."
    response = alice.post(
        f"{API}/texts/{text_id}/versions/2/circulate",
        {"kind": "silence", "states": ["CZ"], "deadline": later(3)},
    )
    assert response.status_code == 201, response.content
    response = alice.post(f"{API}/texts/{text_id}/adopt", {"meeting": meeting.pk, "version": 2})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "adopted"
    assert response.json()["adopted_at_meeting"]["id"] == meeting.pk
    public = Caller().get(f"{API}/texts/{text_id}/versions/2")
    assert public.status_code == 200
    assert Caller().get(f"{API}/texts/{text_id}/versions/1").status_code == 404


def test_objection_through_the_api(world: Any, silence: Negotiation) -> None:
    circ = silence.circulation
    assert circ is not None
    response = caller(world.bob).post(
        f"{API}/circulations/{circ.pk}/objections", {"country": "CZ", "reason": "Not agreed."}
    )
    assert response.status_code == 201, response.content
    listed = caller(world.alice).get(f"{API}/circulations/{circ.pk}/objections").json()
    assert [o["reason"] for o in listed] == ["Not agreed."]
    assert errors(
        caller(world.bob).post(
            f"{API}/circulations/{circ.pk}/objections", {"country": "CZ", "reason": "Again"}
        )
    )


def test_objection_from_a_state_not_in_the_procedure(world: Any, silence: Negotiation) -> None:
    from dialogos.people.models import Role

    Role.objects.create(
        user=world.dan, dialogue=world.pp, role=Role.Kind.FOCAL_POINT, country_id="LT"
    )
    response = caller(world.dan).post(
        f"{API}/circulations/{silence.circulation.pk}/objections",  # type: ignore[union-attr]
        {"country": "LT", "reason": "We object."},
    )
    # Lithuania received version 1 for comments, so Dan sees it; it is not in the procedure.
    assert "country" in errors(response)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"country": "CZ", "paragraph": 999999, "kind": "amendment", "proposed_text": "x"},
            "paragraph",
        ),
        ({"country": "CZ", "kind": "amendment", "proposed_text": "x"}, "paragraph"),
        ({"country": "CZ", "kind": "comment", "body": ""}, "body"),
        ({"country": "CZ", "kind": "nonsense", "body": "x"}, "kind"),
        ({"country": "CZ", "body": "x", "language": "xx"}, "language"),
        ({"country": "CZ", "body": "x", "colour": "red"}, "colour"),
        ({"body": "x"}, "country"),
    ],
)
def test_bad_comments_are_422_naming_the_field(
    world: Any, circulated: Negotiation, payload: dict[str, Any], field: str
) -> None:
    response = caller(world.bob).post(
        f"{API}/circulations/{circulated.circulation.pk}/comments",
        payload,  # type: ignore[union-attr]
    )
    assert field in errors(response)
    assert Comment.objects.count() == 0


def test_a_comment_after_the_deadline_is_422(world: Any, circulated: Negotiation) -> None:
    circ = circulated.circulation
    assert circ is not None
    Circulation.objects.filter(pk=circ.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = caller(world.bob).post(
        f"{API}/circulations/{circ.pk}/comments", {"country": "CZ", "body": "Late"}
    )
    assert response.status_code == 422
    assert "deadline" in response.json()["detail"][0]["message"]


def test_contributor_may_draft_but_not_send(world: Any, circulated: Negotiation) -> None:
    circ = circulated.circulation
    assert circ is not None
    carol = caller(world.carol)
    assert (
        carol.post(
            f"{API}/circulations/{circ.pk}/comments", {"country": "CZ", "body": "Draft"}
        ).status_code
        == 201
    )
    assert (
        carol.post(
            f"{API}/circulations/{circ.pk}/comments", {"country": "CZ", "body": "x", "send": True}
        ).status_code
        == 403
    )
    assert carol.post(f"{API}/circulations/{circ.pk}/send", {"country": "CZ"}).status_code == 403
    response = caller(world.bob).post(f"{API}/circulations/{circ.pk}/send", {"country": "CZ"})
    assert response.status_code == 200 and [c["body"] for c in response.json()] == ["Draft"]


def test_a_delegate_of_another_state_may_not_comment_for_czechia(
    world: Any, circulated: Negotiation
) -> None:
    response = caller(world.dan).post(
        f"{API}/circulations/{circulated.circulation.pk}/comments",  # type: ignore[union-attr]
        {"country": "CZ", "body": "x"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("user", ["bob", "carol", "dan"])
def test_secretariat_writes_are_403_for_states(
    world: Any, circulated: Negotiation, user: str
) -> None:
    c = caller(getattr(world, user))
    pk = circulated.text.pk
    assert c.post(f"{API}/texts/{pk}/next-version", {}).status_code == 403
    assert (
        c.post(
            f"{API}/texts/{pk}/versions/1/circulate", {"states": ["CZ"], "deadline": later()}
        ).status_code
        == 403
    )
    assert (
        c.post(
            f"{API}/texts", {"dialogue": "prague-process", "kind": "declaration", "title": "X"}
        ).status_code
        == 403
    )
    assert OutcomeText.objects.count() == 1


def test_outsiders_get_404_and_anonymous_writes_401(world: Any, circulated: Negotiation) -> None:
    pk = circulated.text.pk
    assert caller(world.erin).post(f"{API}/texts/{pk}/next-version", {}).status_code == 404
    assert Caller().post(f"{API}/texts/{pk}/next-version", {}).status_code == 401
    assert (
        Caller()
        .post(
            f"{API}/circulations/{circulated.circulation.pk}/comments",  # type: ignore[union-attr]
            {"country": "CZ", "body": "x"},
        )
        .status_code
        == 401
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"states": ["CZ"], "deadline": "2001-01-01T00:00:00Z"}, "deadline"),
        ({"states": ["CZ"], "deadline": "not a date"}, "deadline"),
        ({"states": [], "deadline": None}, "deadline"),
        ({"states": ["ZZ"], "deadline": "2099-01-01T00:00:00Z"}, "states"),
        ({"states": ["CZ"], "deadline": "2099-01-01T00:00:00Z", "kind": "x"}, "kind"),
        ({"states": ["CZ"], "deadline": "2099-01-01T00:00:00Z", "body": "nope"}, "body"),
    ],
)
def test_bad_circulations_are_422(
    world: Any, draft: Negotiation, payload: dict[str, Any], field: str
) -> None:
    response = caller(world.alice).post(
        f"{API}/texts/{draft.text.pk}/versions/1/circulate", payload
    )
    assert field in errors(response)
    assert Circulation.objects.count() == 0


def test_circulating_an_empty_version_is_422(world: Any) -> None:
    alice = caller(world.alice)
    text_id = alice.post(
        f"{API}/texts", {"dialogue": "prague-process", "kind": "declaration", "title": "Empty"}
    ).json()["id"]
    response = alice.post(
        f"{API}/texts/{text_id}/versions/1/circulate", {"states": ["CZ"], "deadline": later()}
    )
    assert response.status_code == 422
    assert "no paragraphs" in response.json()["detail"][0]["message"]


def test_replacing_paragraphs_of_a_fixed_version_is_refused(
    world: Any, circulated: Negotiation
) -> None:
    response = caller(world.alice).send(
        "put",
        f"{API}/texts/{circulated.text.pk}/versions/1/paragraphs",
        {"paragraphs": [{"content": "New"}]},
    )
    assert response.status_code == 422
    assert Paragraph.objects.filter(version=circulated.version).count() == 3


def test_malformed_requests(world: Any, circulated: Negotiation) -> None:
    alice = caller(world.alice)
    assert alice.get(f"{API}/texts/abc").status_code == 422
    assert alice.get(f"{API}/texts/999999").status_code == 404
    assert alice.get(f"{API}/texts?page=0").status_code == 422
    assert "status" in errors(alice.get(f"{API}/texts?status=bogus"))
    assert alice.post(f"{API}/texts", "{not json").status_code == 400


def test_texts_in_russian(world: Any, circulated: Negotiation) -> None:
    data = caller(world.bob).get(f"{API}/texts/{circulated.text.pk}?lang=ru").json()
    assert data["title"] == "Выводы совещания"
    assert data["title_i18n"]["en"] == "Conclusions of the meeting"
