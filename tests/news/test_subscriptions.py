"""Subscriptions: double opt-in by a signed link, one-click unsubscribe, tampered links."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from dialogos.news.models import Subscriber
from dialogos.news.services import subscriptions

pytestmark = pytest.mark.django_db


def subscribe(client: Any, email: str = "reader@example.org", **extra: Any) -> Any:
    return client.post(
        "/en/news/subscribe/", {"email": email, "language": "ru", **extra}, follow=False
    )


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+/news/subscribe/confirm/\S+/", message.body)
    assert found
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_subscribing_sends_a_link_and_confirming_activates(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, dialogues=[world.pp.pk])
    assert response.status_code == 302
    assert response["Location"] == "/en/news/subscribe/sent/"
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "подписк" in message.subject.lower()  # in the chosen language
    page = client.get(link_in(message))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.language == "ru"
    assert list(subscriber.dialogues.all()) == [world.pp]


def test_the_form_answers_the_same_for_a_known_address(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Subscriber.objects.create(email="known@example.org", status=Subscriber.Status.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(world.client_for(None), email="known@example.org")
    assert response["Location"] == "/en/news/subscribe/sent/"
    assert Subscriber.objects.get(email="known@example.org").status == Subscriber.Status.ACTIVE


@pytest.mark.parametrize("email", ["not-an-address", "", "a@b", "x" * 300 + "@example.org"])
def test_a_bad_address_is_refused_on_the_form(world: Any, email: str) -> None:
    response = subscribe(world.client_for(None), email=email)
    assert response.status_code == 200
    assert "field--invalid" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_a_tampered_confirmation_link_is_refused_with_a_clear_page(world: Any) -> None:
    token = subscriptions.confirm_token("reader@example.org", "en", [])
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    response = world.client_for(None).get(f"/en/news/subscribe/confirm/{forged}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).exists()


def test_an_expired_confirmation_link_says_so(world: Any, settings: Any) -> None:
    settings.NEWS_CONFIRM_MAX_AGE = -1
    token = subscriptions.confirm_token("reader@example.org", "en", [])
    response = world.client_for(None).get(f"/en/news/subscribe/confirm/{token}/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_a_confirmation_link_cannot_unsubscribe_and_the_reverse(world: Any) -> None:
    subscriber = Subscriber.objects.create(email="r@example.org", status="active")
    confirm = subscriptions.confirm_token("r@example.org", "en", [])
    unsubscribe = subscriptions.unsubscribe_token(subscriber.pk)
    client = world.client_for(None)
    assert client.post(f"/en/news/unsubscribe/{confirm}/").status_code == 400
    assert client.get(f"/en/news/subscribe/confirm/{unsubscribe}/").status_code == 400


def test_unsubscribing_takes_a_post_and_get_only_asks(world: Any) -> None:
    subscriber = Subscriber.objects.create(email="r@example.org", status="active")
    url = f"/en/news/unsubscribe/{subscriptions.unsubscribe_token(subscriber.pk)}/"
    client = world.client_for(None)
    page = client.get(url)
    assert page.status_code == 200 and "r@example.org" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE  # a link scanner changes nothing
    done = client.post(url)
    assert done.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert client.post(url).status_code == 200  # twice is fine


def test_one_click_unsubscribe_works_without_a_session_or_csrf(world: Any) -> None:
    """RFC 8058: the mail program POSTs List-Unsubscribe=One-Click to the link."""
    from django.test import Client

    subscriber = Subscriber.objects.create(email="r@example.org", status="active")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/en/news/unsubscribe/{subscriptions.unsubscribe_token(subscriber.pk)}/",
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize("token", ["1", "1:abc", "999:" + "a" * 27, "%00", "a" * 500])
def test_tampered_unsubscribe_links_are_refused(world: Any, token: str) -> None:
    Subscriber.objects.create(email="r@example.org", status="active")
    client = world.client_for(None)
    for method in (client.get, client.post):
        response = method(f"/en/news/unsubscribe/{token}/")
        assert response.status_code in (400, 404)
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE
