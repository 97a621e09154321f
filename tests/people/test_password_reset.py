"""Resetting a forgotten password by e-mail."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse


def test_it_mails_a_link_that_sets_a_new_password(world: Any) -> None:
    client = Client()
    response = client.post(reverse("people:password_reset"), {"email": "Dan@Example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dan@example.org"]
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"}
    )
    assert done["Location"] == reverse("people:password_reset_complete")
    world.dan.refresh_from_db()
    assert world.dan.check_password("brand-new-passphrase")


def test_it_answers_the_same_for_an_unknown_address(world: Any) -> None:
    response = Client().post(reverse("people:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_bad_link_says_so(world: Any) -> None:
    response = Client().get(
        reverse("people:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"})
    )
    assert response.status_code == 200
    assert "This link is not valid" in response.content.decode()
