"""The list of participants: credentials, each registrant's choice of visibility, access."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.models import Credentials, Registration

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def letter(name: str = "credentials.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def names(regs: list[Registration]) -> set[str]:
    return {r.person.family_name for r in regs}


def test_only_accredited_delegations_appear_when_credentials_are_required(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    cz, lt = Country.objects.get(code="CZ"), Country.objects.get(code="LT")
    meeting = make_meeting(requires_credentials=True)
    for name, state in (("Novak", cz), ("Svoboda", cz), ("Kazlauskas", lt)):
        services.add_registration(
            actor=world.alice,
            meeting=meeting,
            person=make_person(name, country=state.pk),
            country=state,
            visibility=Registration.Visibility.EVERYONE,
        )
    services.add_registration(
        actor=world.alice,
        meeting=meeting,
        person=make_person("Expert", country=None),
        organisation=world.icmpd,
        visibility=Registration.Visibility.EVERYONE,
    )
    assert names(services.participants_list(meeting, world.alice)) == {"Expert"}

    with pytest.raises(PermissionDenied):
        services.submit_credentials(actor=world.bob, meeting=meeting, country=lt, upload=letter())
    submitted = services.submit_credentials(
        actor=world.bob, meeting=meeting, country=cz, upload=letter()
    )
    assert submitted.status == Credentials.Status.SUBMITTED
    assert names(services.participants_list(meeting, None)) == {"Expert"}
    with pytest.raises(PermissionDenied):
        services.decide_credentials(actor=world.bob, credentials=submitted, accredit=True)
    services.decide_credentials(actor=world.alice, credentials=submitted, accredit=True)
    assert names(services.participants_list(meeting, None)) == {"Expert", "Novak", "Svoboda"}

    # A new letter replaces the old and waits for a decision again.
    services.submit_credentials(actor=world.bob, meeting=meeting, country=cz, upload=letter())
    assert names(services.participants_list(meeting, None)) == {"Expert"}


def test_refusing_credentials_needs_a_reason(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting(requires_credentials=True)
    record = services.submit_credentials(
        actor=world.alice, meeting=meeting, country=Country.objects.get(code="LT"), upload=letter()
    )
    with pytest.raises(ValidationError) as caught:
        services.decide_credentials(actor=world.alice, credentials=record, accredit=False)
    assert "note" in caught.value.message_dict


def test_a_letter_that_is_not_a_pdf_is_refused(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting(requires_credentials=True)
    with pytest.raises(ValidationError) as caught:
        services.submit_credentials(
            actor=world.bob,
            meeting=meeting,
            country=Country.objects.get(code="CZ"),
            upload=letter(content=b"MZ\x90\x00 this is a program"),
        )
    assert "file" in caught.value.message_dict
    assert not Credentials.objects.exists()


def test_each_registrant_chooses_who_sees_them(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(access_level="members")
    visibility = Registration.Visibility
    for name, choice in (
        ("Public", visibility.EVERYONE),
        ("Peers", visibility.PARTICIPANTS),
        ("Hidden", visibility.NOBODY),
    ):
        services.add_registration(
            actor=world.alice, meeting=meeting, person=make_person(name), visibility=choice
        )
    pending = services.add_registration(
        actor=world.alice,
        meeting=meeting,
        person=make_person("Withdrawn"),
        visibility=visibility.EVERYONE,
    )
    services.withdraw_registration(actor=world.alice, registration=pending)

    # The secretariat sees every confirmed participant.
    assert names(services.participants_list(meeting, world.alice)) == {"Public", "Peers", "Hidden"}
    # A member who does not take part sees those who chose everyone.
    assert names(services.participants_list(meeting, world.bob)) == {"Public"}
    # A participant also sees those who chose participants, and always himself.
    services.add_registration(
        actor=world.alice,
        meeting=meeting,
        person=make_person("Dan", user=world.dan, country="LT"),
        visibility=visibility.NOBODY,
    )
    assert names(services.participants_list(meeting, world.dan)) == {"Public", "Peers", "Dan"}
    # Who may not see the meeting sees nobody.
    assert services.participants_list(meeting, None) == []
    assert services.participants_list(meeting, world.frank) == []
