"""The public text pages shared per visibility class: each class sees exactly its own texts,
whatever order the classes come in; a change (an adoption, a role) shows at once."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dialogos.meetings.models import Meeting
from dialogos.people.models import Role
from dialogos.texts import caching, queries, services
from dialogos.texts.models import OutcomeText
from tests.texts.conftest import soon

pytestmark = pytest.mark.django_db

LIST = "/en/texts/"


@pytest.fixture
def cached(settings: Any) -> Iterator[None]:
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _adopted(world: Any, dialogue: Any, actor: Any, title: str, *, public: bool) -> OutcomeText:
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = Meeting.objects.create(
        dialogue=dialogue,
        title={"en": "Adopting meeting"},
        start=start,
        end=start + datetime.timedelta(days=1),
        access_level="public",
    )
    text = services.create_text(
        actor=actor, dialogue=dialogue, kind="declaration", title={"en": title}
    )
    version = text.versions.get()
    services.save_paragraph(actor=actor, version=version, content={"en": f"Body of {title}"})
    state = services.participating_states(dialogue).order_by("code").first()
    assert state is not None
    services.circulate_version(actor=actor, version=version, states=[state], deadline=soon())
    services.update_text(actor=actor, text=text, public_when_adopted=public)
    return services.adopt_text(actor=actor, text=text, meeting=meeting)


@pytest.fixture
def texts(world: Any) -> dict[str, OutcomeText]:
    return {
        "public": _adopted(world, world.pp, world.alice, "Open declaration", public=True),
        "members": _adopted(world, world.pp, world.alice, "Members declaration", public=False),
        "other": _adopted(world, world.bp, world.erin, "Budapest members text", public=False),
    }


SEES = {
    "anonymous": {"Open declaration"},
    "frank": {"Open declaration"},
    "bob": {"Open declaration", "Members declaration"},
    "dan": {"Open declaration", "Members declaration"},
    "alice": {"Open declaration", "Members declaration"},
    "erin": {"Open declaration", "Budapest members text"},
    "olga": {"Open declaration", "Members declaration", "Budapest members text"},
}
ALL = {"Open declaration", "Members declaration", "Budapest members text"}


def _client(world: Any, name: str) -> Any:
    return world.client_for(None if name == "anonymous" else getattr(world, name))


def test_visibility_classes_come_from_the_roles(world: Any) -> None:
    pp, bp = world.pp.pk, world.bp.pk
    assert caching.visibility_class(None) == caching.PUBLIC
    assert caching.visibility_class(world.frank) == caching.PUBLIC
    assert caching.visibility_class(world.bob) == f"{pp}mCZ"
    assert caching.visibility_class(world.carol) == f"{pp}mCZ"  # same states as bob: shared
    assert caching.visibility_class(world.dan) == f"{pp}mLT"
    assert caching.visibility_class(world.alice) == f"{pp}s"
    assert caching.visibility_class(world.erin) == f"{bp}s"
    assert caching.visibility_class(world.olga) == caching.OPERATOR


@pytest.mark.parametrize(
    "order",
    [
        ["anonymous", "bob", "alice", "erin", "olga", "frank", "dan"],
        ["olga", "erin", "alice", "dan", "bob", "frank", "anonymous"],
        ["bob", "anonymous", "erin", "frank", "alice", "olga", "dan"],
    ],
)
def test_no_class_sees_another_class_s_texts(
    world: Any, texts: dict[str, OutcomeText], cached: None, order: list[str]
) -> None:
    for name in order + order:  # the second round is served from the cache
        client = _client(world, name)
        body = client.get(LIST).content.decode()
        for title in ALL:
            assert (title in body) is (title in SEES[name]), (name, title)
        for text in texts.values():
            response = client.get(reverse("texts:detail", args=[text.pk]))
            seen = str(text.title) in SEES[name]
            assert response.status_code == (200 if seen else 404), (name, text.title)
            if seen:
                assert f"Body of {text.title}" in response.content.decode()


def test_signed_in_readers_of_a_class_share_the_list(
    world: Any, texts: dict[str, OutcomeText], cached: None, monkeypatch: Any
) -> None:
    calls: list[Any] = []
    real = queries.visible_texts

    def counting(user: Any) -> Any:
        calls.append(user)
        return real(user)

    monkeypatch.setattr(queries, "visible_texts", counting)
    for user in (world.bob, world.carol, world.bob):
        assert "Members declaration" in world.client_for(user).get(LIST).content.decode()
    assert len(calls) == 1
    world.client_for(world.dan).get(LIST)  # another state: another class
    assert len(calls) == 2


def test_a_change_shows_at_once(world: Any, texts: dict[str, OutcomeText], cached: None) -> None:
    frank = world.client_for(world.frank)
    assert "Members declaration" not in frank.get(LIST).content.decode()
    Role.objects.create(user=world.frank, dialogue=world.pp, role=Role.Kind.DELEGATE)
    # A role granted through the admin is audited; the class changes with the roles anyway.
    frank = world.client_for(world.frank)
    assert "Members declaration" in frank.get(LIST).content.decode()
    services.update_text(actor=world.alice, text=texts["public"], title={"en": "Renamed text"})
    for name in ("anonymous", "bob"):
        body = _client(world, name).get(LIST).content.decode()
        assert "Renamed text" in body and "Open declaration" not in body


def test_pages_and_languages_are_kept_apart(
    world: Any, texts: dict[str, OutcomeText], cached: None
) -> None:
    client = world.client_for(None)
    assert client.get(LIST + "?kind=conclusions").content.decode().count("Open declaration") == 0
    assert "Open declaration" in client.get(LIST + "?kind=declaration").content.decode()
    russian = client.get("/ru/texts/").content.decode()
    assert "Принятые тексты" in russian
    assert 'lang="ru"' in russian
