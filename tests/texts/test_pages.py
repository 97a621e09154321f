"""The workspace and member pages through HTTP: the whole negotiation, bad input shown as a
message with nothing saved, and a fixed number of queries whatever the size."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dialogos.core.models import Country
from dialogos.texts import services
from dialogos.texts.models import Circulation, Comment, Objection, OutcomeText, Paragraph
from tests.texts.conftest import Negotiation, soon


def ws(name: str, world: Any, *args: Any) -> str:
    return reverse(f"texts_workspace:{name}", args=[world.pp.slug, *args])


def deadline_field(days: int = 10) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_secretariat_drafts_and_circulates_through_the_pages(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    alice = world.client_for(world.alice)
    response = alice.post(
        ws("create", world),
        {
            "title_en": "Joint statement",
            "title_ru": "Совместное заявление",
            "kind": "joint_statement",
        },
    )
    text = OutcomeText.objects.get()
    assert response.status_code == 302 and response["Location"].endswith("/versions/1/")
    version_url = ws("version", world, text.pk, 1)
    for en in ("First paragraph.", "Second paragraph."):
        assert alice.post(version_url, {"new-content_en": en}).status_code == 302
    # An empty paragraph is refused on the form.
    response = alice.post(version_url, {"new-content_en": "", "new-content_ru": ""})
    assert response.status_code == 200 and "at least one language" in response.content.decode()
    assert Paragraph.objects.count() == 2
    page = alice.get(version_url).content.decode()
    assert "First paragraph." in page and "Second paragraph." in page
    # A deadline in the past is refused, nothing is circulated.
    circulate_url = ws("circulate", world, text.pk, 1)
    past = (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = alice.post(
        circulate_url, {"kind": "comments", "states": ["CZ", "LT"], "deadline": past}
    )
    assert response.status_code == 200
    assert "must be in the future" in response.content.decode()
    assert Circulation.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(
            circulate_url,
            {
                "kind": "comments",
                "states": ["CZ", "LT"],
                "deadline": deadline_field(),
                "message_en": "Hi",
            },
        )
    assert response.status_code == 302
    circulation = Circulation.objects.get()
    assert sorted(circulation.states.values_list("code", flat=True)) == ["CZ", "LT"]
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert "Joint statement" in mail.outbox[0].subject
    detail = alice.get(ws("detail", world, text.pk)).content.decode()
    assert "Issue version 2" in detail


def test_circulating_an_empty_version_shows_the_reason(world: Any) -> None:
    text = services.create_text(
        actor=world.alice, dialogue=world.pp, kind="declaration", title={"en": "Empty"}
    )
    response = world.client_for(world.alice).post(
        ws("circulate", world, text.pk, 1),
        {"kind": "comments", "states": ["CZ"], "deadline": deadline_field()},
    )
    assert response.status_code == 200
    assert "no paragraphs" in response.content.decode()
    assert Circulation.objects.count() == 0


def test_focal_point_comments_amends_and_sends(world: Any, circulated: Negotiation) -> None:
    circ = circulated.circulation
    assert circ is not None
    url = reverse("texts_member:comment", args=[circulated.text.pk])
    carol = world.client_for(world.carol)
    response = carol.post(
        url,
        {
            "circulation": circ.pk,
            "country": "CZ",
            "paragraph": circulated.paragraphs[1].pk,
            "kind": "amendment",
            "proposed_text": "The Secretariat prepares a brief report.",
            "language": "en",
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "draft" and comment.author == world.carol
    # The contributor may not send.
    assert (
        carol.post(
            reverse("texts_member:send", args=[circulated.text.pk]),
            {"circulation": circ.pk, "country": "CZ"},
        ).status_code
        == 403
    )
    bob = world.client_for(world.bob)
    page = bob.get(reverse("texts_member:detail", args=[circulated.text.pk])).content.decode()
    assert "<ins>brief</ins>" in page or "brief" in page
    assert "Send 1 draft" in page
    response = bob.post(
        reverse("texts_member:send", args=[circulated.text.pk]),
        {"circulation": circ.pk, "country": "CZ"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "sent"
    # The secretariat sees it side by side, with the words changed.
    alice = world.client_for(world.alice)
    page = alice.get(ws("circulation", world, circulated.text.pk, circ.pk)).content.decode()
    assert "<del>report</del>" not in page
    assert "<ins>brief </ins>" in page or "<ins>brief</ins>" in page
    assert "Czechia" in page or "Czech" in page


def test_a_comment_after_the_deadline_is_refused_with_a_message(
    world: Any, circulated: Negotiation
) -> None:
    circ = circulated.circulation
    assert circ is not None
    Circulation.objects.filter(pk=circ.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = world.client_for(world.bob).post(
        reverse("texts_member:comment", args=[circulated.text.pk]),
        {
            "circulation": circ.pk,
            "country": "CZ",
            "kind": "comment",
            "body": "Late",
            "language": "en",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "deadline" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"paragraph": "999999", "kind": "amendment", "proposed_text": "x"},
        {"paragraph": "abc", "kind": "comment", "body": "x"},
        {"kind": "nonsense", "body": "x"},
        {"kind": "comment", "body": ""},
    ],
)
def test_bad_comments_are_refused_without_a_500(
    world: Any, circulated: Negotiation, data: dict[str, str]
) -> None:
    circ = circulated.circulation
    assert circ is not None
    response = world.client_for(world.bob).post(
        reverse("texts_member:comment", args=[circulated.text.pk]),
        {"circulation": circ.pk, "country": "CZ", "language": "en", **data},
        follow=True,
    )
    assert response.status_code == 200
    assert Comment.objects.count() == 0


def test_comment_on_a_foreign_circulation_id_is_404(world: Any, circulated: Negotiation) -> None:
    response = world.client_for(world.bob).post(
        reverse("texts_member:comment", args=[circulated.text.pk]),
        {
            "circulation": "999999",
            "country": "CZ",
            "kind": "comment",
            "body": "x",
            "language": "en",
        },
    )
    assert response.status_code == 404


def test_secretariat_issues_the_next_version_from_amendments_and_compares(
    world: Any, circulated: Negotiation
) -> None:
    circ = circulated.circulation
    assert circ is not None
    amendment = services.save_comment(
        actor=world.bob,
        circulation=circ,
        country="CZ",
        paragraph=circulated.paragraphs[2],
        kind="amendment",
        proposed_text="The Chair is warmly thanked.",
        send=True,
    )
    alice = world.client_for(world.alice)
    response = alice.post(ws("next_version", world, circulated.text.pk), {"apply": [amendment.pk]})
    assert response.status_code == 302 and response["Location"].endswith("/versions/2/")
    page = alice.get(ws("compare", world, circulated.text.pk) + "?from=1&to=2").content.decode()
    assert "<ins>warmly </ins>" in page
    assert "1 changed" in page
    # Malformed query strings fall back to defaults.
    assert alice.get(ws("compare", world, circulated.text.pk) + "?from=x&to=99").status_code == 200


def test_silence_procedure_objection_through_the_member_page(
    world: Any, silence: Negotiation
) -> None:
    circ = silence.circulation
    assert circ is not None
    bob = world.client_for(world.bob)
    page = bob.get(reverse("texts_member:detail", args=[silence.text.pk])).content.decode()
    assert "Break the silence" in page
    response = bob.post(
        reverse("texts_member:object", args=[silence.text.pk]),
        {"circulation": circ.pk, "country": "CZ", "reason": "Paragraph 2 is not agreed."},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.raised_by == world.bob
    page = world.client_for(world.alice).get(ws("circulation", world, silence.text.pk, circ.pk))
    assert "Paragraph 2 is not agreed." in page.content.decode()


def test_silence_ends_in_adoption_on_page_view(world: Any, silence: Negotiation) -> None:
    Circulation.objects.filter(pk=silence.circulation.pk).update(  # type: ignore[union-attr]
        deadline=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = world.client_for(None).get(reverse("texts:detail", args=[silence.text.pk]))
    assert response.status_code == 200
    assert "silence procedure" in response.content.decode()


def test_adoption_at_a_meeting_through_the_page(
    world: Any, circulated: Negotiation, meeting: Any
) -> None:
    alice = world.client_for(world.alice)
    response = alice.post(
        ws("adopt", world, circulated.text.pk),
        {"meeting": meeting.pk, "version": circulated.version.pk, "note_en": "By consensus."},
    )
    assert response.status_code == 302
    circulated.text.refresh_from_db()
    assert circulated.text.status == "adopted"
    page = world.client_for(None).get(reverse("texts:detail", args=[circulated.text.pk]))
    assert "By consensus." in page.content.decode()
    # A meeting of another dialogue is not offered and is refused.
    response = alice.post(ws("adopt", world, circulated.text.pk), {"meeting": "abc"})
    assert response.status_code in (200, 302)


def test_paragraph_actions_on_a_fixed_version_are_refused(
    world: Any, circulated: Negotiation
) -> None:
    alice = world.client_for(world.alice)
    url = ws(
        "paragraph_action", world, circulated.text.pk, 1, circulated.paragraphs[0].pk, "delete"
    )
    response = alice.post(url, follow=True)
    assert response.status_code == 200
    assert Paragraph.objects.filter(version=circulated.version).count() == 3
    bad = ws("paragraph_action", world, circulated.text.pk, 1, circulated.paragraphs[0].pk, "zap")
    assert alice.post(bad).status_code == 404


def _many_texts(world: Any, n: int) -> None:
    cz = Country.objects.get(code="CZ")
    for i in range(n):
        text = services.create_text(
            actor=world.alice, dialogue=world.pp, kind="declaration", title={"en": f"T{i}"}
        )
        version = text.versions.get()
        for j in range(3):
            services.save_paragraph(actor=world.alice, version=version, content={"en": f"P{j}"})
        services.circulate_version(actor=world.alice, version=version, states=[cz], deadline=soon())


@pytest.mark.parametrize("n", [1, 6])
def test_pages_run_a_fixed_number_of_queries(
    world: Any, n: int, django_assert_max_num_queries: Any
) -> None:
    _many_texts(world, n)
    text = OutcomeText.objects.order_by("pk").first()
    assert text is not None
    circ = Circulation.objects.filter(version__text=text).get()
    for i in range(n):
        services.save_comment(
            actor=world.bob, circulation=circ, country="CZ", body=f"C{i}", send=True
        )
    alice = world.client_for(world.alice)
    bob = world.client_for(world.bob)
    pages = [
        (alice, ws("index", world)),
        (alice, ws("detail", world, text.pk)),
        (alice, ws("version", world, text.pk, 1)),
        (alice, ws("circulation", world, text.pk, circ.pk)),
        (bob, reverse("texts_member:index")),
        (bob, reverse("texts_member:detail", args=[text.pk])),
        (bob, "/api/v1/texts"),
        (alice, f"/api/v1/circulations/{circ.pk}/comments"),
    ]
    for c, url in pages:
        with django_assert_max_num_queries(30):
            assert c.get(url).status_code == 200, url


def test_public_list_runs_a_fixed_number_of_queries(
    world: Any, meeting: Any, django_assert_max_num_queries: Any
) -> None:
    _many_texts(world, 5)
    for text in OutcomeText.objects.all():
        services.adopt_text(actor=world.alice, text=text, meeting=meeting)
    c = world.client_for(None)
    with django_assert_max_num_queries(12):
        response = c.get(reverse("texts:list") + "?page=zz&kind=bogus")
    assert response.status_code == 200
    assert response.content.decode().count("texts/") >= 5
    with django_assert_max_num_queries(12):
        assert c.get(reverse("texts:detail", args=[text.pk])).status_code == 200


def test_russian_pages(world: Any, circulated: Negotiation) -> None:
    alice = world.client_for(world.alice)
    page = alice.get(f"/ru/workspace/{world.pp.slug}/texts/{circulated.text.pk}/")
    assert page.status_code == 200
    assert "Выводы совещания" in page.content.decode()


def test_the_adopted_text_links_to_its_library_record(
    world: Any, circulated: Negotiation, meeting: Any
) -> None:
    text = services.adopt_text(actor=world.alice, text=circulated.text, meeting=meeting)
    assert text.document is not None
    library_url = reverse("library:document", args=[text.document.pk])
    page = world.client_for(None).get(reverse("texts:detail", args=[text.pk])).content.decode()
    assert library_url in page
    response = world.client_for(None).get(library_url)
    assert response.status_code == 200
    assert "Conclusions of the meeting" in response.content.decode()


def test_secretariat_decides_on_comments_and_closes_early(
    world: Any, circulated: Negotiation
) -> None:
    circ = circulated.circulation
    assert circ is not None
    comment = services.save_comment(
        actor=world.bob, circulation=circ, country="CZ", body="Fine.", send=True
    )
    alice = world.client_for(world.alice)
    url = ws("circulation", world, circulated.text.pk, circ.pk)
    assert alice.post(url, {"action": "noted", "comment": comment.pk}).status_code == 302
    comment.refresh_from_db()
    assert comment.decision == "noted"
    assert alice.post(url, {"action": "noted", "comment": "abc"}).status_code in (302, 404)
    assert alice.post(url, {"action": "bogus"}).status_code == 302
    assert alice.post(url, {"action": "close"}).status_code == 302
    circ.refresh_from_db()
    assert circ.outcome == "closed"
    response = world.client_for(world.bob).post(
        reverse("texts_member:comment", args=[circulated.text.pk]),
        {"circulation": circ.pk, "country": "CZ", "kind": "comment", "body": "x", "language": "en"},
        follow=True,
    )
    assert "over" in response.content.decode()
    assert Comment.objects.count() == 1


def test_version_note_and_withdrawal(world: Any, draft: Negotiation) -> None:
    alice = world.client_for(world.alice)
    url = ws("version", world, draft.text.pk, 1)
    response = alice.post(url, {"form": "note", "note-note_en": "First draft."})
    assert response.status_code == 302
    draft.version.refresh_from_db()
    assert draft.version.note == {"en": "First draft."}
    assert alice.post(ws("withdraw", world, draft.text.pk)).status_code == 302
    draft.text.refresh_from_db()
    assert draft.text.status == "withdrawn"
    response = alice.post(url, {"new-content_en": "Too late"}, follow=True)
    assert Paragraph.objects.filter(version=draft.version).count() == 3


def test_comments_side_by_side_come_in_pages_of_paragraphs(world: Any) -> None:
    text = services.create_text(
        actor=world.alice, dialogue=world.pp, kind="action_plan", title={"en": "Long plan"}
    )
    version = text.versions.get()
    services.replace_paragraphs(
        actor=world.alice,
        version=version,
        paragraphs=[{"content": {"en": f"Paragraph text {n}."}} for n in range(60)],
    )
    circ = services.circulate_version(
        actor=world.alice, version=version, states=[Country.objects.get(code="CZ")], deadline=soon()
    )
    last = version.paragraphs.order_by("-position").first()
    services.save_comment(
        actor=world.bob,
        circulation=circ,
        country="CZ",
        paragraph=last,
        body="On the last one.",
        send=True,
    )
    alice = world.client_for(world.alice)
    url = ws("circulation", world, text.pk, circ.pk)
    first = alice.get(url).content.decode()
    assert "Paragraph text 0." in first and "Paragraph text 59." not in first
    assert "Page 1 of 3" in first
    third = alice.get(url + "?page=3").content.decode()
    assert "Paragraph text 59." in third and "On the last one." in third
    assert alice.get(url + "?page=999999999").status_code == 200
