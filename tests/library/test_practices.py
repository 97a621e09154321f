"""Good practices through their pages: a contributor drafts, the focal point submits, the
secretariat publishes or sends back with comments; only published ones are public."""

from __future__ import annotations

from typing import Any

import pytest

from dialogos.library import services
from dialogos.library.models import Practice, PracticeEvent, PracticeStatus

pytestmark = pytest.mark.django_db

WS = "/en/workspace/prague-process/library"


def draft_form(**extra: str) -> dict[str, str]:
    data = {
        "state": "CZ",
        "title_en": "Mobile counselling for labour migrants (example data)",
        "summary_en": "A bus visits towns **every week**. (example data)",
        "problem_en": "People far from the capital had no advice.",
        "approach_en": "- one bus\n- two counsellors",
    }
    data.update(extra)
    return data


def test_the_whole_journey_through_the_pages(world: Any) -> None:
    carol, bob, alice = (world.client_for(u) for u in (world.carol, world.bob, world.alice))
    response = carol.post("/en/account/library/practices/new/prague-process/", draft_form())
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert practice.status == PracticeStatus.DRAFT and practice.country_id == "CZ"
    assert practice.created_by == world.carol
    # A contributor cannot submit: the page offers no button and the action is refused.
    page = carol.get(f"/en/account/library/practices/{practice.pk}/").content.decode()
    assert "Submit to the secretariat" not in page
    assert carol.post(f"/en/account/library/practices/{practice.pk}/submit/").status_code == 403
    # The public does not see the draft.
    assert world.client_for(None).get(f"/en/practices/{practice.pk}/").status_code == 404
    # The focal point submits.
    assert bob.post(f"/en/account/library/practices/{practice.pk}/submit/").status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED and practice.submitted_at
    # In review, the state can no longer change it.
    assert (
        "Change the draft"
        not in carol.get(f"/en/account/library/practices/{practice.pk}/").content.decode()
    )
    # The secretariat sends it back with comments, which the state then reads.
    review = alice.get(f"{WS}/review/").content.decode()
    assert "Mobile counselling" in review
    alice.post(f"{WS}/practices/{practice.pk}/", {"action": "return", "comment": "Add figures."})
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETURNED
    assert (
        "Add figures."
        in carol.get(f"/en/account/library/practices/{practice.pk}/").content.decode()
    )
    carol.post(
        f"/en/account/library/practices/{practice.pk}/edit/",
        {"title_en": "Mobile counselling (example data)", "summary_en": "Now with figures."},
    )
    bob.post(f"/en/account/library/practices/{practice.pk}/submit/")
    alice.post(f"{WS}/practices/{practice.pk}/", {"action": "publish", "comment": ""})
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED and practice.published_at
    steps = list(practice.events.values_list("action", flat=True))
    assert steps == ["created", "submitted", "returned", "submitted", "published"]
    # Now anyone reads it, with sanitised Markdown.
    public = world.client_for(None).get(f"/en/practices/{practice.pk}/")
    assert public.status_code == 200
    assert "Now with figures." in public.content.decode()
    listing = world.client_for(None).get("/en/practices/").content.decode()
    assert "Mobile counselling (example data)" in listing


def test_html_in_any_text_is_refused_with_a_clear_message(world: Any) -> None:
    carol = world.client_for(world.carol)
    response = carol.post(
        "/en/account/library/practices/new/prague-process/",
        draft_form(title_en="<script>alert(1)</script>Title"),
    )
    assert response.status_code == 200
    assert "Remove the HTML" in response.content.decode()
    assert not Practice.objects.exists()


def test_markdown_is_rendered_without_scripts(world: Any, make_practice: Any) -> None:
    practice = make_practice(
        summary={"en": "Plain **bold** [link](javascript:alert(1))"},
    )
    services.submit_practice(actor=world.bob, practice=practice)
    services.publish_practice(actor=world.alice, practice=practice)
    html = world.client_for(None).get(f"/en/practices/{practice.pk}/").content.decode()
    assert "<strong>bold</strong>" in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize("name", ["dan", "erin", "frank"])
def test_people_outside_the_state_cannot_draft(world: Any, name: str) -> None:
    client = world.client_for(getattr(world, name))
    assert client.get("/en/account/library/practices/new/prague-process/").status_code == 404
    assert (
        client.post("/en/account/library/practices/new/prague-process/", draft_form()).status_code
        == 404
    )
    assert not Practice.objects.exists()


def test_visitors_are_asked_to_sign_in(world: Any) -> None:
    response = world.client_for(None).get("/en/account/library/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


@pytest.mark.parametrize(
    ("name", "sees_draft"),
    [
        (None, False),
        ("frank", False),
        ("dan", False),
        ("erin", False),
        ("carol", True),
        ("bob", True),
        ("alice", True),
        ("olga", True),
    ],
)
def test_each_role_sees_a_draft_only_if_it_works_on_it(
    world: Any, make_practice: Any, name: str | None, sees_draft: bool
) -> None:
    practice = make_practice()
    client = world.client_for(getattr(world, name) if name else None)
    assert (client.get(f"/en/practices/{practice.pk}/").status_code == 200) is sees_draft
    api = client.get(f"/api/v1/library/practices/{practice.pk}")
    assert (api.status_code == 200) is sees_draft
    listing = client.get("/en/practices/").content.decode()
    assert "One-stop shop" not in listing  # the public list shows only published ones
    if name is not None:
        member = client.get(f"/en/account/library/practices/{practice.pk}/")
        assert (member.status_code == 200) is sees_draft


def test_a_practice_published_for_members_only(world: Any, published_practice: Any) -> None:
    services.update_practice(actor=world.alice, practice=published_practice, access_level="members")
    assert world.client_for(None).get(f"/en/practices/{published_practice.pk}/").status_code == 404
    assert (
        world.client_for(world.dan).get(f"/en/practices/{published_practice.pk}/").status_code
        == 200
    )
    assert "One-stop shop" not in world.client_for(None).get("/en/practices/").content.decode()


def test_the_state_cannot_change_a_practice_in_review(world: Any, make_practice: Any) -> None:
    practice = make_practice()
    services.submit_practice(actor=world.bob, practice=practice)
    response = world.client_for(world.carol).post(
        f"/en/account/library/practices/{practice.pk}/edit/",
        {"title_en": "Changed", "summary_en": "Changed"},
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.title["en"] != "Changed"


def test_only_the_secretariat_reviews(world: Any, make_practice: Any) -> None:
    practice = make_practice()
    services.submit_practice(actor=world.bob, practice=practice)
    for user in (world.bob, world.carol, world.erin, world.dan):
        response = world.client_for(user).post(
            f"{WS}/practices/{practice.pk}/", {"action": "publish"}
        )
        assert response.status_code == 404
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED


def test_sending_back_needs_a_comment(world: Any, make_practice: Any) -> None:
    practice = make_practice()
    services.submit_practice(actor=world.bob, practice=practice)
    page = world.client_for(world.alice).post(
        f"{WS}/practices/{practice.pk}/", {"action": "return", "comment": "  "}
    )
    assert page.status_code == 200
    assert "Say what should change." in page.content.decode()
    assert not PracticeEvent.objects.filter(action="returned").exists()


def test_a_draft_can_be_deleted_by_its_state_but_not_after_submission(
    world: Any, make_practice: Any
) -> None:
    practice = make_practice()
    carol = world.client_for(world.carol)
    assert carol.post(f"/en/account/library/practices/{practice.pk}/delete/").status_code == 302
    assert not Practice.objects.exists()
    other = make_practice()
    services.submit_practice(actor=world.bob, practice=other)
    carol.post(f"/en/account/library/practices/{other.pk}/delete/")
    assert Practice.objects.filter(pk=other.pk).exists()


def test_a_contributor_attaches_a_file_to_the_draft(world: Any, make_practice: Any) -> None:
    from tests.library.conftest import pdf_bytes, upload

    practice = make_practice()
    carol = world.client_for(world.carol)
    bad = carol.post(
        f"/en/account/library/practices/{practice.pk}/",
        {"language": "en", "file": upload("evidence.pdf", b"not a pdf at all")},
    )
    assert bad.status_code == 200 and "is not a PDF file" in bad.content.decode()
    good = carol.post(
        f"/en/account/library/practices/{practice.pk}/",
        {"language": "en", "file": upload("evidence.pdf", pdf_bytes("Evidence"))},
    )
    assert good.status_code == 302
    record = practice.files.get()
    assert record.text == "Evidence"
    # The draft's file is the state's and the secretariat's only.
    assert world.client_for(None).get(f"/en/library/files/{record.pk}/").status_code == 404
    assert world.client_for(world.dan).get(f"/en/library/files/{record.pk}/").status_code == 404
    assert world.client_for(world.bob).get(f"/en/library/files/{record.pk}/").status_code == 200


def test_calls_list_what_they_received(world: Any, make_practice: Any) -> None:
    import datetime

    call = services.save_call(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Call on return (example data)"},
        criteria={"en": "- Results shown"},
        opens=datetime.date(2026, 1, 1),
        deadline=datetime.date(2026, 12, 31),
    )
    published = make_practice(call=call, title={"en": "Published answer"})
    services.submit_practice(actor=world.bob, practice=published)
    services.publish_practice(actor=world.alice, practice=published)
    submitted = make_practice(call=call, title={"en": "Waiting answer"})
    services.submit_practice(actor=world.bob, practice=submitted)
    make_practice(call=call, title={"en": "Draft answer"})
    public = world.client_for(None).get(f"/en/practices/calls/{call.pk}/").content.decode()
    assert "Published answer" in public and "Waiting answer" not in public
    assert "Draft answer" not in public
    received = world.client_for(world.alice).get(f"{WS}/calls/{call.pk}/").content.decode()
    assert "Published answer" in received and "Waiting answer" in received
    assert "Draft answer" not in received and "1 more practice is being drafted" in received
    assert world.client_for(world.bob).get(f"{WS}/calls/{call.pk}/").status_code == 404


def test_a_call_deadline_before_its_opening_is_refused(world: Any) -> None:
    response = world.client_for(world.alice).post(
        f"{WS}/calls/new/",
        {
            "title_en": "Call",
            "opens": "2026-05-01",
            "deadline": "2026-04-01",
            "access_level": "public",
        },
    )
    assert response.status_code == 200
    assert "The deadline must not be before the opening." in response.content.decode()


def test_related_items_are_offered_only_on_a_published_practice(
    world: Any, make_practice: Any, published_practice: Any
) -> None:
    carol = world.client_for(world.carol)
    published = carol.get(f"/en/practices/{published_practice.pk}/").content.decode()
    assert 'id="related-heading"' in published
    # A draft is in no index: no region waiting for items that cannot come.
    draft = carol.get(f"/en/practices/{make_practice().pk}/").content.decode()
    assert 'id="related-heading"' not in draft
