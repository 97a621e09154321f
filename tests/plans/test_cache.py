"""The rendered tree shared per visibility class: each class sees exactly its own content,
whatever order the classes come in, and a change shows at once; deeper levels start folded.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from dialogos.core.cache import bump_content_version
from dialogos.core.models import AccessLevel
from dialogos.meetings.models import Meeting
from dialogos.plans import caching, queries, services
from dialogos.plans.models import ItemLink, PlanItem

pytestmark = pytest.mark.django_db

PLAN = "/en/plans/prague-process/"
API = "/api/v1/plans/prague-process/action-plan"
STATE = f"{PLAN}states/CZ/"


@pytest.fixture
def cached(settings: Any) -> Iterator[None]:
    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _levels(world: Any, pw: Any) -> None:
    """Action A1 members only, Action A2 secretariat only (through the audited service, which
    bumps the content version as every real change does)."""
    services.update_item(actor=world.alice, item=pw.action1, access_level=AccessLevel.MEMBERS)
    services.update_item(actor=world.alice, item=pw.action2, access_level=AccessLevel.SECRETARIAT)


def test_visibility_classes_come_from_the_roles(world: Any, pw: Any, cached: None) -> None:
    pp = world.pp.pk
    assert caching.visibility_class(None, pw.plan) == caching.PUBLIC
    assert caching.visibility_class(world.frank, pw.plan) == caching.PUBLIC  # no role
    assert caching.visibility_class(world.erin, pw.plan) == caching.PUBLIC  # another dialogue
    assert caching.visibility_class(world.bob, pw.plan) == f"{pp}m"
    assert caching.visibility_class(world.carol, pw.plan) == f"{pp}m"
    assert caching.visibility_class(world.dan, pw.plan) == f"{pp}m"
    assert caching.visibility_class(world.alice, pw.plan) == f"{pp}s"
    assert caching.visibility_class(world.olga, pw.plan) == caching.OPERATOR


def test_a_link_into_another_dialogue_adds_that_dialogue_to_the_class(
    world: Any, pw: Any, cached: None
) -> None:
    meeting = Meeting.objects.create(
        dialogue=world.bp,
        title={"en": "Budapest meeting"},
        start=timezone.now(),
        end=timezone.now() + datetime.timedelta(hours=2),
        time_zone="Europe/Budapest",
        access_level=AccessLevel.MEMBERS,
    )
    # The services refuse such a link; the class is still right if one is in the data.
    ItemLink.objects.create(item=pw.action1, meeting=meeting)
    bump_content_version()
    pp, bp = world.pp.pk, world.bp.pk
    assert caching.visibility_class(world.erin, pw.plan) == f"{bp}s"
    assert caching.visibility_class(world.bob, pw.plan) == f"{pp}m"
    assert caching.visibility_class(world.frank, pw.plan) == caching.PUBLIC


def test_a_link_to_a_group_meeting_is_never_shared_between_signed_in_readers(
    world: Any, pw: Any, cached: None
) -> None:
    meeting = Meeting.objects.create(
        dialogue=world.pp,
        title={"en": "Registered only"},
        start=timezone.now(),
        end=timezone.now() + datetime.timedelta(hours=2),
        time_zone="Europe/Prague",
        access_level=AccessLevel.GROUP,
    )
    services.add_link(actor=world.alice, item=pw.action1, meeting=meeting)
    assert caching.visibility_class(world.bob, pw.plan) is None
    assert caching.visibility_class(world.frank, pw.plan) is None
    assert caching.visibility_class(None, pw.plan) == caching.PUBLIC  # never in a group


# Who sees what: everyone the public component, members A1, only the secretariat A2; each
# class asked in several orders.
SEES = {
    "anonymous": ("Component A",),
    "frank": ("Component A",),
    "bob": ("Component A", "Action A1"),
    "dan": ("Component A", "Action A1"),
    "alice": ("Component A", "Action A1", "Action A2"),
    "olga": ("Component A", "Action A1", "Action A2"),
}
HIDDEN = ("Action A1", "Action A2")


def _client(world: Any, name: str) -> Any:
    return world.client_for(None if name == "anonymous" else getattr(world, name))


def _check(world: Any, name: str, url: str) -> None:
    response = _client(world, name).get(url)
    assert response.status_code == 200, (name, url)
    body = response.content.decode()
    for title in SEES[name]:
        assert title in body, (name, url, title)
    for title in set(HIDDEN) - set(SEES[name]):
        assert title not in body, (name, url, title)


@pytest.mark.parametrize(
    "order",
    [
        ["anonymous", "bob", "alice", "olga", "frank", "dan"],
        ["alice", "bob", "anonymous", "dan", "frank", "olga"],
        ["olga", "alice", "dan", "bob", "frank", "anonymous"],
    ],
)
@pytest.mark.parametrize("url", [PLAN, f"{PLAN}?pillar=", API, f"{API}?state=CZ"])
def test_no_class_sees_another_class_s_tree(
    world: Any, pw: Any, cached: None, order: list[str], url: str
) -> None:
    _levels(world, pw)
    if url.endswith("pillar="):
        url += str(pw.pillar1.pk)
    for name in order + order:  # the second round is served from the cache
        _check(world, name, url)


@pytest.mark.parametrize(
    "order", [["anonymous", "bob", "alice"], ["alice", "bob", "anonymous"], ["bob", "alice"]]
)
def test_no_class_sees_another_class_s_state_page(
    world: Any, pw: Any, cached: None, order: list[str]
) -> None:
    _levels(world, pw)
    services.add_indicator_value(
        actor=world.alice,
        indicator=pw.indicator,
        on=datetime.date(2026, 6, 30),
        value=42,
        country=pw.cz_report.country,
    )
    for name in order + order:
        body = _client(world, name).get(STATE).content.decode()
        assert ("Action A1" in body) is (name != "anonymous"), name
        assert ("Action A2" in body) is (name == "alice"), name
        # The value of an indicator on a members-only item is members-only too.
        assert ("Officials trained" in body) is (name != "anonymous"), name


def test_signed_in_readers_share_the_rendered_tree(
    world: Any, pw: Any, cached: None, monkeypatch: Any
) -> None:
    calls: list[Any] = []
    real = queries.plan_tree

    def counting(user: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(user)
        return real(user, *args, **kwargs)

    monkeypatch.setattr(queries, "plan_tree", counting)
    for user in (world.bob, world.carol, world.dan, world.bob):
        assert world.client_for(user).get(PLAN).status_code == 200
    assert len(calls) == 1  # one member rendered it; the other three read it
    world.client_for(world.alice).get(PLAN)
    assert len(calls) == 2  # the secretariat is another class


def test_a_change_shows_at_once_for_every_class(world: Any, pw: Any, cached: None) -> None:
    for user in (None, world.bob, world.alice):
        assert "Action B1" in world.client_for(user).get(PLAN).content.decode()
    services.update_item(
        actor=world.alice, item=pw.action3, title={"en": "Action B1 renamed", "ru": "B1"}
    )
    for user in (None, world.bob, world.alice):
        body = world.client_for(user).get(PLAN).content.decode()
        assert "Action B1 renamed" in body
    body = world.client_for(world.bob).get(API).content.decode()
    assert "Action B1 renamed" in body


def test_languages_and_filters_are_kept_apart(world: Any, pw: Any, cached: None) -> None:
    bob = world.client_for(world.bob)
    assert "Action A1 (ru)" not in bob.get(PLAN).content.decode()
    assert "Action A1 (ru)" in bob.get("/ru/plans/prague-process/").content.decode()
    narrowed = bob.get(PLAN, {"state": "LT"}).content.decode()
    assert "Action B1" in narrowed and "Action A2" not in narrowed
    assert "Action A2" in bob.get(PLAN).content.decode()


def _deep(world: Any, pw: Any) -> PlanItem:
    """Two levels under Action A1: A1 (depth 2) → sub (3) → task (4)."""
    sub = services.create_item(
        actor=world.alice, plan=pw.plan, parent=pw.action1, title={"en": "Sub-action A1.1"}
    )
    return services.create_item(
        actor=world.alice, plan=pw.plan, parent=sub, title={"en": "Task A1.1.1"}, leads=["LT"]
    )


def _balanced(page: str) -> None:
    tree = page[page.index('<ul class="plan-tree">') : page.index("<footer")]
    for tag in ("li", "ul", "details"):
        assert len(re.findall(rf"<{tag}[\s>]", tree)) == tree.count(f"</{tag}>"), tag


def test_deeper_levels_start_folded_but_stay_in_the_page(world: Any, pw: Any) -> None:
    _deep(world, pw)
    page = world.client_for(None).get(PLAN).content.decode()
    assert page.count("<details") == 1 and page.count("</details>") == 1
    folded = page[page.index("<details") : page.index("</details>")]
    assert "Show the 2 items below" in folded
    assert "Sub-action A1.1" in folded and "Task A1.1.1" in folded
    assert "Action A2" not in folded  # a sibling of the folded item's parent stays open
    _balanced(page)
    russian = world.client_for(None).get("/ru/plans/prague-process/").content.decode()
    assert "Показать 2 пункта ниже" in russian


def test_a_state_filter_shows_everything_open(world: Any, pw: Any) -> None:
    _deep(world, pw)
    page = world.client_for(None).get(PLAN, {"state": "LT"}).content.decode()
    assert "<details" not in page and "Task A1.1.1" in page
    _balanced(page)
    # The state page links into the plan filtered by the state, where nothing is folded.
    state = world.client_for(None).get(f"{PLAN}states/LT/").content.decode()
    assert "/en/plans/prague-process/action-plan/?state=LT#item-" in state


def test_a_members_plan_stays_hidden_whoever_came_first(world: Any, pw: Any, cached: None) -> None:
    services.save_plan(
        actor=world.alice, dialogue=world.pp, plan=pw.plan, access_level=AccessLevel.MEMBERS
    )
    for user in (world.bob, None, world.alice, world.erin, world.frank, world.olga, world.dan):
        status = world.client_for(user).get(PLAN).status_code
        assert status == (404 if user in (None, world.erin, world.frank) else 200), user
        api = world.client_for(user).get(API).status_code
        assert api == status, user
    assert caching.roles_class(None) == caching.roles_class(world.frank) == caching.PUBLIC
    assert caching.roles_class(world.bob) == caching.roles_class(world.dan)
    assert caching.roles_class(world.bob) != caching.roles_class(world.alice)
