"""The negotiation workflow through the services, and every refusal leaving nothing behind."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dialogos.core.models import AccessLevel, AuditEntry, Country
from dialogos.library.models import Document
from dialogos.texts import services
from dialogos.texts.models import (
    Circulation,
    Comment,
    Objection,
    OutcomeText,
    Paragraph,
    TextNotification,
    TextVersion,
)
from tests.texts.conftest import Negotiation, soon


def counts() -> tuple[int, ...]:
    return (
        OutcomeText.objects.count(),
        TextVersion.objects.count(),
        Paragraph.objects.count(),
        Circulation.objects.count(),
        Comment.objects.count(),
        Objection.objects.count(),
        TextNotification.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_new_text_is_a_secretariat_only_draft(world: Any, draft: Negotiation) -> None:
    assert draft.text.status == OutcomeText.Status.DRAFT
    assert draft.text.access_level == AccessLevel.SECRETARIAT
    assert [p.label for p in draft.paragraphs] == ["1", "2", "3"]
    assert draft.version.is_draft


def test_only_the_secretariat_creates_texts(world: Any) -> None:
    for user in (world.bob, world.erin, world.frank):
        with pytest.raises(PermissionDenied):
            services.create_text(
                actor=user, dialogue=world.pp, kind="declaration", title={"en": "X"}
            )
    assert OutcomeText.objects.count() == 0


def test_headings_are_not_numbered_and_insertion_renumbers(world: Any, draft: Negotiation) -> None:
    services.save_paragraph(
        actor=world.alice,
        version=draft.version,
        content={"en": "Preamble"},
        is_heading=True,
        after=None,
    )
    services.save_paragraph(
        actor=world.alice,
        version=draft.version,
        content={"en": "Inserted"},
        after=draft.paragraphs[0],
    )
    rows = list(draft.version.paragraphs.order_by("position"))
    assert [(p.label, str(p.content)) for p in rows] == [
        ("1", "The participating states meet every year."),
        ("2", "Inserted"),
        ("3", "The Secretariat prepares a report."),
        ("4", "The Chair is thanked."),
        ("", "Preamble"),
    ]
    services.move_paragraph(actor=world.alice, paragraph=rows[1], up=True)
    labels = [str(p.content) for p in draft.version.paragraphs.order_by("position")]
    assert labels[0] == "Inserted"


def test_circulating_fixes_the_version_and_opens_it_to_the_states(
    world: Any, circulated: Negotiation
) -> None:
    assert circulated.text.status == OutcomeText.Status.NEGOTIATION
    assert circulated.text.access_level == AccessLevel.GROUP
    assert circulated.version.issued_at is not None
    assert circulated.version.access_level == AccessLevel.GROUP
    with pytest.raises(ValidationError):
        services.save_paragraph(
            actor=world.alice, version=circulated.version, content={"en": "Late change"}
        )


def test_circulating_an_empty_version_is_refused(world: Any) -> None:
    text = services.create_text(
        actor=world.alice, dialogue=world.pp, kind="declaration", title={"en": "Empty"}
    )
    before = counts()
    with pytest.raises(ValidationError, match="no paragraphs"):
        services.circulate_version(
            actor=world.alice,
            version=text.versions.get(),
            states=[Country.objects.get(code="CZ")],
            deadline=soon(),
        )
    assert counts() == before
    assert text.versions.get().is_draft


@pytest.mark.parametrize(
    ("deadline", "states", "field"),
    [
        (lambda: timezone.now() - datetime.timedelta(hours=1), ["CZ"], "deadline"),
        (lambda: soon(400), ["CZ"], "deadline"),
        (lambda: soon(), [], "states"),
        (lambda: soon(), ["HU"], "states"),  # not in the Prague Process
    ],
)
def test_bad_circulations_are_refused_naming_the_field(
    world: Any, draft: Negotiation, deadline: Any, states: list[str], field: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.circulate_version(
            actor=world.alice,
            version=draft.version,
            states=list(Country.objects.filter(code__in=states)),
            deadline=deadline(),
        )
    assert field in caught.value.message_dict
    assert counts() == before
    draft.version.refresh_from_db()
    assert draft.version.is_draft


def test_a_body_circulates_to_its_member_states(world: Any, draft: Negotiation) -> None:
    circulation = services.circulate_version(
        actor=world.alice,
        version=draft.version,
        states=[],
        body=world.strategic_group,
        deadline=soon(),
    )
    assert [c.code for c in circulation.states.all()] == ["LT"]


def test_focal_point_and_contributor_comment_only_the_focal_point_sends(
    world: Any, circulated: Negotiation
) -> None:
    circ = circulated.circulation
    assert circ is not None
    draft = services.save_comment(
        actor=world.carol,
        circulation=circ,
        country="CZ",
        paragraph=circulated.paragraphs[1],
        kind=Comment.Kind.AMENDMENT,
        proposed_text="The Secretariat prepares a short report.",
        language="en",
    )
    assert draft.status == Comment.Status.DRAFT
    with pytest.raises(PermissionDenied):
        services.send_comments(actor=world.carol, circulation=circ, country="CZ")
    with pytest.raises(PermissionDenied):
        services.save_comment(
            actor=world.carol, circulation=circ, country="CZ", body="Now!", send=True
        )
    assert services.send_comments(actor=world.bob, circulation=circ, country="CZ") == 1
    draft.refresh_from_db()
    assert draft.status == Comment.Status.SENT and draft.sent_by == world.bob


@pytest.mark.parametrize("user", ["dan", "erin", "frank", "alice"])
def test_nobody_else_comments_for_czechia(world: Any, circulated: Negotiation, user: str) -> None:
    assert circulated.circulation is not None
    with pytest.raises(PermissionDenied):
        services.save_comment(
            actor=getattr(world, user),
            circulation=circulated.circulation,
            country="CZ",
            body="Not mine to say.",
        )
    assert Comment.objects.count() == 0


def test_a_comment_after_the_deadline_is_refused(world: Any, circulated: Negotiation) -> None:
    assert circulated.circulation is not None
    later = circulated.circulation.deadline + datetime.timedelta(seconds=1)
    before = counts()
    with pytest.raises(ValidationError, match="deadline"):
        services.save_comment(
            actor=world.bob,
            circulation=circulated.circulation,
            country="CZ",
            body="Too late.",
            now=later,
        )
    assert counts() == before


def test_an_amendment_to_a_paragraph_that_does_not_exist_is_refused(
    world: Any, circulated: Negotiation, draft: Negotiation
) -> None:
    assert circulated.circulation is not None
    other = services.create_text(
        actor=world.alice, dialogue=world.pp, kind="declaration", title={"en": "Other"}
    )
    elsewhere = services.save_paragraph(
        actor=world.alice, version=other.versions.get(), content={"en": "Elsewhere"}
    )
    before = counts()
    for paragraph in (999999, elsewhere.pk):
        with pytest.raises(ValidationError) as caught:
            services.save_comment(
                actor=world.bob,
                circulation=circulated.circulation,
                country="CZ",
                paragraph=paragraph,
                kind=Comment.Kind.AMENDMENT,
                proposed_text="New words",
            )
        assert "paragraph" in caught.value.message_dict
    assert counts() == before


def test_an_amendment_needs_new_wording(world: Any, circulated: Negotiation) -> None:
    assert circulated.circulation is not None
    with pytest.raises(ValidationError) as caught:
        services.save_comment(
            actor=world.bob,
            circulation=circulated.circulation,
            country="CZ",
            paragraph=circulated.paragraphs[0],
            kind=Comment.Kind.AMENDMENT,
            proposed_text=circulated.paragraphs[0].content["en"],
        )
    assert "proposed_text" in caught.value.message_dict


def test_a_state_not_circulated_to_cannot_comment(world: Any, draft: Negotiation) -> None:
    circulation = services.circulate_version(
        actor=world.alice,
        version=draft.version,
        states=[Country.objects.get(code="LT")],
        deadline=soon(),
    )
    with pytest.raises(ValidationError) as caught:
        services.save_comment(actor=world.bob, circulation=circulation, country="CZ", body="Hm")
    assert "country" in caught.value.message_dict


def test_next_version_applies_the_chosen_amendments(world: Any, circulated: Negotiation) -> None:
    circ = circulated.circulation
    assert circ is not None
    amendment = services.save_comment(
        actor=world.bob,
        circulation=circ,
        country="CZ",
        paragraph=circulated.paragraphs[1],
        kind=Comment.Kind.AMENDMENT,
        proposed_text="The Secretariat prepares a short report.",
        language="en",
        send=True,
    )
    version = services.issue_next_version(
        actor=world.alice, text=circulated.text, apply_comments=[amendment.pk]
    )
    assert version.number == 2 and version.is_draft and version.based_on_id == circulated.version.pk
    rows = list(version.paragraphs.order_by("position"))
    assert rows[1].content == {
        "en": "The Secretariat prepares a short report.",
        "ru": "Секретариат готовит доклад.",
    }
    assert [p.key for p in rows] == [p.key for p in circulated.paragraphs]
    amendment.refresh_from_db()
    assert amendment.decision == Comment.Decision.ACCEPTED
    with pytest.raises(ValidationError, match="draft version exists"):
        services.issue_next_version(actor=world.alice, text=circulated.text)


def test_next_version_refuses_foreign_or_unsent_amendments(
    world: Any, circulated: Negotiation
) -> None:
    assert circulated.circulation is not None
    unsent = services.save_comment(
        actor=world.carol,
        circulation=circulated.circulation,
        country="CZ",
        paragraph=circulated.paragraphs[1],
        kind=Comment.Kind.AMENDMENT,
        proposed_text="Draft words",
    )
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.issue_next_version(
            actor=world.alice, text=circulated.text, apply_comments=[unsent.pk]
        )
    assert "apply_comments" in caught.value.message_dict
    assert counts() == before


def test_silence_procedure_adopts_at_the_deadline_once(world: Any, silence: Negotiation) -> None:
    assert silence.text.status == OutcomeText.Status.SILENCE
    circ = silence.circulation
    assert circ is not None
    assert services.conclude_silence_procedures() == 0
    later = circ.deadline + datetime.timedelta(minutes=1)
    assert services.conclude_silence_procedures(now=later) == 1
    assert services.conclude_silence_procedures(now=later) == 0
    text = OutcomeText.objects.get(pk=silence.text.pk)
    assert text.status == OutcomeText.Status.ADOPTED
    assert text.adoption_method == OutcomeText.Method.SILENCE
    assert text.adopted_at == circ.deadline
    assert text.adopted_version_id == silence.version.pk
    assert text.access_level == AccessLevel.PUBLIC
    circ.refresh_from_db()
    assert circ.outcome == Circulation.Outcome.ADOPTED
    assert text.document is not None and text.document.access_level == AccessLevel.PUBLIC
    assert "silence" in text.document.summary["en"]
    assert Document.objects.count() == 1


def test_an_objection_breaks_the_silence_and_is_recorded(world: Any, silence: Negotiation) -> None:
    circ = silence.circulation
    assert circ is not None
    objection = services.object_to_silence(
        actor=world.bob, circulation=circ, country="CZ", reason="Paragraph 2 needs work."
    )
    assert (objection.country_id, objection.raised_by, objection.reason) == (
        "CZ",
        world.bob,
        "Paragraph 2 needs work.",
    )
    circ.refresh_from_db()
    assert circ.outcome == Circulation.Outcome.BROKEN
    silence.text.refresh_from_db()
    assert silence.text.status == OutcomeText.Status.NEGOTIATION
    later = circ.deadline + datetime.timedelta(minutes=1)
    assert services.conclude_silence_procedures(now=later) == 0
    with pytest.raises(ValidationError):
        services.object_to_silence(actor=world.bob, circulation=circ, country="CZ", reason="Again")


def test_an_objection_from_a_state_not_in_the_procedure_is_refused(
    world: Any, silence: Negotiation
) -> None:
    from dialogos.people.models import Role

    Role.objects.create(
        user=world.dan, dialogue=world.pp, role=Role.Kind.FOCAL_POINT, country_id="LT"
    )
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.object_to_silence(
            actor=world.dan, circulation=silence.circulation, country="LT", reason="We object."
        )
    assert "country" in caught.value.message_dict
    assert counts() == before


@pytest.mark.parametrize("user", ["carol", "dan", "alice"])
def test_only_the_focal_point_objects(world: Any, silence: Negotiation, user: str) -> None:
    with pytest.raises(PermissionDenied):
        services.object_to_silence(
            actor=getattr(world, user), circulation=silence.circulation, country="CZ", reason="No"
        )


def test_objection_needs_a_reason_and_comes_before_the_deadline(
    world: Any, silence: Negotiation
) -> None:
    circ = silence.circulation
    assert circ is not None
    with pytest.raises(ValidationError) as caught:
        services.object_to_silence(actor=world.bob, circulation=circ, country="CZ", reason="  ")
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError, match="deadline"):
        services.object_to_silence(
            actor=world.bob,
            circulation=circ,
            country="CZ",
            reason="Late",
            now=circ.deadline + datetime.timedelta(seconds=1),
        )


def test_adoption_at_a_meeting_publishes_to_the_library(
    world: Any, circulated: Negotiation, meeting: Any
) -> None:
    text = services.adopt_text(
        actor=world.alice, text=circulated.text, meeting=meeting, note={"en": "By consensus."}
    )
    assert text.status == OutcomeText.Status.ADOPTED
    assert text.adopted_at_meeting == meeting and text.adopted_at == meeting.end
    document = Document.objects.get()
    assert text.document_id == document.pk
    assert document.meeting == meeting and document.type == "conclusions"
    assert "Senior Officials' Meeting" in document.summary["en"]
    assert "By consensus." in document.summary["en"]
    assert document.source_url.endswith(f"/en/texts/{text.pk}/")
    assert circulated.circulation is not None
    circulated.circulation.refresh_from_db()
    assert circulated.circulation.outcome == Circulation.Outcome.CLOSED
    with pytest.raises(ValidationError):
        services.adopt_text(actor=world.alice, text=text, meeting=meeting)


def test_adoption_at_another_dialogues_meeting_is_refused(
    world: Any, circulated: Negotiation, meeting: Any
) -> None:
    meeting.dialogue = world.bp
    meeting.save(update_fields=["dialogue"])
    with pytest.raises(ValidationError) as caught:
        services.adopt_text(actor=world.alice, text=circulated.text, meeting=meeting)
    assert "meeting" in caught.value.message_dict


def test_a_text_kept_within_members_is_not_public_once_adopted(
    world: Any, circulated: Negotiation, meeting: Any
) -> None:
    services.update_text(actor=world.alice, text=circulated.text, public_when_adopted=False)
    text = services.adopt_text(actor=world.alice, text=circulated.text, meeting=meeting)
    assert text.access_level == AccessLevel.MEMBERS
    assert text.document is not None and text.document.access_level == AccessLevel.MEMBERS


def test_every_write_is_audited(world: Any, circulated: Negotiation) -> None:
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"create text", "add paragraph", "circulate"} <= verbs
