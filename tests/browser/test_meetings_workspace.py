"""The secretariat postpones two face-to-face meetings at once, in a real browser."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail

from dialogos.meetings import services
from dialogos.meetings.models import Meeting, ScheduleChange
from dialogos.people.models import Person


def test_the_secretariat_postpones_two_meetings_with_the_mass_form(
    world: Any, page: Any, sign_in: Any
) -> None:
    def meeting(title: str, month: int, **extra: Any) -> Meeting:
        start = datetime.datetime(2030, month, 10, 9, 0)  # noqa: DTZ001 — wall clock in Prague
        return services.create_meeting(
            actor=world.alice,
            dialogue=world.pp,
            title={"en": title},
            start=start,
            end=start + datetime.timedelta(days=1),
            time_zone="Europe/Prague",
            **extra,
        )

    april, may = meeting("April workshop", 4), meeting("May study visit", 5)
    webinar = meeting("May webinar", 5, format=Meeting.Format.ONLINE)
    september = meeting("September conference", 9)
    guest = Person.objects.create(given_name="Guest", family_name="One", email="g@example.net")
    services.add_registration(actor=world.alice, meeting=april, person=guest)
    mail.outbox.clear()

    sign_in(world.alice)
    page.goto("/en/workspace/prague-process/meetings/")
    page.get_by_role("link", name="Change the schedule of several meetings").click()
    page.fill("input[name=start_before]", "2030-07-01")
    page.check("input[name=formats][value=in_person]")
    page.check("input[name=action][value=postpone]")
    page.fill("textarea[name=reason_en]", "Because of the outbreak.")
    page.fill("textarea[name=reason_ru]", "В связи со вспышкой.")
    page.get_by_role("button", name="Show the meetings").click()
    page.wait_for_load_state()
    preview = page.locator("main table").inner_text()
    assert "April workshop" in preview and "May study visit" in preview
    assert "May webinar" not in preview and "September" not in preview
    assert not ScheduleChange.objects.exists()

    page.get_by_role("button", name="Confirm the change").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "2 meetings changed" in text
    assert "notifications were queued" in text or "notification was queued" in text
    assert "Draft announcement" in text
    for m, status in ((april, "postponed"), (may, "postponed"), (webinar, "planned")):
        m.refresh_from_db()
        assert m.status == status
    september.refresh_from_db()
    assert september.status == "planned"
    assert [m.to for m in mail.outbox if "g@example.net" in m.to] == [["g@example.net"]]
