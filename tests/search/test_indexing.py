"""The index follows the objects: saves, deletes and many-to-many changes queue a reindex in
the worker; ``dialogos reindex`` rebuilds everything; pages cost a fixed number of queries."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dialogos.search.engines import facet_token, get_engine
from dialogos.search.models import SearchEntry, SearchTag
from dialogos.search.text import parse_query


def total(client: Any, q: str, **params: str) -> int:
    return int(client.get("/api/v1/search", {"q": q, **params}).json()["total"])


def test_a_title_change_is_found_after_the_worker_ran(
    world: Any, make_meeting: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting("Working group on asylum")
    meeting.title = {"en": "Working group on legal migration"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting.save(update_fields=["title"])
    anon = world.client_for(None)
    assert total(anon, "legal") == 0  # the save itself only queued work
    for callback in callbacks:
        callback()
    assert total(anon, "asylum") == 0
    assert total(anon, "legal") == 1


def test_nothing_is_indexed_before_the_transaction_commits(world: Any) -> None:
    import datetime

    from dialogos.meetings.models import Meeting

    start = datetime.datetime(2024, 1, 1, 9, tzinfo=datetime.UTC)
    Meeting.objects.create(
        dialogue=world.pp,
        title={"en": "Uncommitted"},
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    assert not SearchEntry.objects.exists()


def test_host_state_changes_reindex_the_meeting(
    world: Any, make_meeting: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting("Regional conference")
    anon = world.client_for(None)
    assert total(anon, "conference", country="HU") == 0
    with django_capture_on_commit_callbacks(execute=True):
        meeting.host_states.add("HU")
    assert total(anon, "conference", country="HU") == 1
    assert total(anon, "Hungary conference") == 1
    with django_capture_on_commit_callbacks(execute=True):
        meeting.host_states.clear()
    assert total(anon, "conference", country="HU") == 0


def test_deleting_a_meeting_removes_its_entry_and_tags(
    world: Any, make_meeting: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting("Temporary meeting", country="CZ")
    assert SearchTag.objects.filter(entry__object_id=meeting.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        meeting.delete()
    assert not SearchEntry.objects.exists()
    assert not SearchTag.objects.exists()
    # The engine forgets its words too (on SQLite through the trigger on the entry table, which
    # migrations that rebuild that table create again).
    assert get_engine().raw_ids(parse_query("temporary"), limit=5) == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM search_fts_doc")
            assert cursor.fetchone()[0] == 0


def test_the_reindex_command_rebuilds_everything_with_progress(
    world: Any, make_meeting: Any
) -> None:
    for n in range(5):
        make_meeting(f"Expert meeting {n}", country="LT")
    SearchEntry.objects.all().delete()
    SearchEntry.objects.create(kind="meeting", object_id=999999, access="public", title={})
    SearchEntry.objects.create(kind="vanished", object_id=1, access="public", title={})
    out = StringIO()
    call_command("reindex", "--batch-size", "2", stdout=out)
    output = out.getvalue()
    assert "meeting: 2/5" in output and "meeting: 5/5" in output
    assert "Indexed 5, removed 2" in output
    assert SearchEntry.objects.filter(kind="meeting").count() == 5
    assert total(world.client_for(None), "expert", country="LT") == 5


def test_the_reindex_command_refuses_unknown_kinds(world: Any) -> None:
    with pytest.raises(CommandError, match="Unknown kind: nonsense"):
        call_command("reindex", "--kind", "nonsense", stdout=StringIO())
    with pytest.raises(CommandError, match="batch-size"):
        call_command("reindex", "--batch-size", "0", stdout=StringIO())


def test_the_search_page_costs_a_fixed_number_of_queries(
    world: Any, make_meeting: Any, django_assert_max_num_queries: Any
) -> None:
    client = world.client_for(world.dan)
    make_meeting("Return conference", country="CZ", year=2020)
    with django_assert_max_num_queries(14) as few:
        client.get("/en/search/", {"q": "return"})
    for n in range(25):
        make_meeting(f"Return meeting {n}", country=("CZ", "LT", "HU")[n % 3], year=2000 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/en/search/", {"q": "return"})
    assert response.context["results"].total == 26
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/search", {"q": "return"})


@pytest.mark.django_db(transaction=True)
def test_a_bulk_reindex_leaves_a_working_index(world: Any, make_meeting: Any) -> None:
    """``--bulk``: the engine's bulk mode around the rebuild (on PostgreSQL the table put in
    date order and the GIN index built again, outside any transaction)."""
    for n in range(6):
        make_meeting(f"Bulk seminar {n}", year=2015 + n, country="MD" if n % 2 else "LT")
    out = StringIO()
    call_command("reindex", "--bulk", "--no-vectors", stdout=out)
    assert "Indexed 6" in out.getvalue()
    rows = get_engine().top(("1 = 1", []), parse_query("seminar"), limit=10)
    assert [row[1] for row in rows] == [2020, 2019, 2018, 2017, 2016, 2015]
    md = get_engine().top(
        ("1 = 1", []), parse_query("bulk"), limit=10, require=[facet_token("country", "MD")]
    )
    assert len(md) == 3
