"""Related items: by multilingual embeddings, only among what the user may see."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from dialogos.core.models import AccessLevel
from dialogos.search.models import SearchText


@pytest.fixture
def embeddings_on(settings: Any) -> None:
    settings.SEARCH_EMBEDDINGS = True


def related_titles(client: Any, meeting: Any) -> list[str]:
    url = reverse("search:related", args=["meeting", meeting.pk])
    response = client.get(url)
    assert response.status_code == 200
    return [str(item["title"]) for item in response.context["items"]]


def test_related_items_cross_languages_and_respect_access(
    world: Any, make_meeting: Any, embeddings_on: None
) -> None:
    labour = make_meeting(
        "Labour migration from Central Asia",
        objectives={"en": "Recruitment of migrant workers and their rights."},
    )
    make_meeting(
        {"ru": "Трудовая миграция из Центральной Азии"},
        objectives={"ru": "Набор трудящихся-мигрантов и их права."},
    )
    make_meeting("Budget of the secretariat for the next year")
    make_meeting("Trafficking in human beings: victim identification")
    make_meeting(
        "Labour migration and migrant workers' rights (internal)",
        access_level=AccessLevel.SECRETARIAT,
    )
    # Embeddings are computed by the worker or by reindex, never inside a request.
    assert not SearchText.objects.filter(vector__isnull=False).exists()
    call_command("reindex", stdout=StringIO())
    assert SearchText.objects.filter(vector__isnull=False).count() == 5
    # Stored as half-precision floats: 512 of them, 2 bytes each.
    assert {len(bytes(v)) for v in SearchText.objects.values_list("vector", flat=True)} == {1024}
    public = related_titles(world.client_for(None), labour)
    assert public[0] == "Трудовая миграция из Центральной Азии"
    assert "Labour migration and migrant workers' rights (internal)" not in public
    assert labour.title["en"] not in public
    assert len(public) == 3
    alice = related_titles(world.client_for(world.alice), labour)
    assert "Labour migration and migrant workers' rights (internal)" in alice[:2]


def test_without_vectors_shared_countries_decide(world: Any, make_meeting: Any) -> None:
    first = make_meeting("Visit", country="LT", dialogue=world.bp)
    make_meeting("Another visit", host_states=("LT", "CZ"), dialogue=world.bp)
    make_meeting("Unrelated", dialogue=world.pp, country="HU")
    assert related_titles(world.client_for(None), first) == ["Another visit"]


def test_related_of_a_hidden_or_unknown_object_is_not_found(world: Any, make_meeting: Any) -> None:
    hidden = make_meeting("Closed meeting", access_level=AccessLevel.SECRETARIAT, country="CZ")
    make_meeting("Open meeting", country="CZ")
    url = reverse("search:related", args=["meeting", hidden.pk])
    assert world.client_for(None).get(url).status_code == 404
    assert world.client_for(world.dan).get(url).status_code == 404
    assert related_titles(world.client_for(world.alice), hidden) == ["Open meeting"]
    assert world.client_for(None).get("/en/search/related/nothing/12345/").status_code == 404
    assert world.client_for(None).get("/en/search/related/meeting/abc/").status_code == 404


def test_a_value_that_starts_another_does_not_make_entries_near(
    world: Any, make_meeting: Any
) -> None:
    """Related items match the object's values as whole tokens: dialogue n's token starts
    dialogue n1's (7 and 71), and still they share nothing."""
    from dialogos.dialogues.models import Dialogue

    # Free numbers: on PostgreSQL the sequence may already have handed out 7 and 71.
    n = (Dialogue.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 7
    seven, seventy_one = (
        Dialogue.objects.create(pk=pk, slug=f"example-{pk}", name={"en": f"Example {pk}"})
        for pk in (n, int(f"{n}1"))
    )
    first = make_meeting("Visit", dialogue=seven, country="LT")
    make_meeting("Elsewhere", dialogue=seventy_one, country="HU")
    make_meeting("Same dialogue", dialogue=seven, country="CZ")
    make_meeting("Same state", dialogue=seventy_one, country="LT")
    assert sorted(related_titles(world.client_for(None), first)) == ["Same dialogue", "Same state"]


def test_each_related_item_names_its_kind_in_the_readers_language(
    world: Any, make_meeting: Any
) -> None:
    """Items of different kinds may share a title (a declaration's document and its outcome
    text): the fragment names each item's kind beside its year."""
    first = make_meeting("Visit", country="LT", dialogue=world.bp)
    make_meeting("Another visit", country="LT", dialogue=world.bp)
    client = world.client_for(None)
    english = client.get(reverse("search:related", args=["meeting", first.pk]))
    assert '<span class="meta">Meetings · 2024</span>' in english.content.decode()
    russian = client.get(
        reverse("search:related", args=["meeting", first.pk]).replace("/en/", "/ru/", 1)
    )
    assert '<span class="meta">Мероприятия · 2024</span>' in russian.content.decode()


def test_stored_vectors_become_a_matrix_and_a_malformed_one_counts_for_nothing() -> None:
    """``embeddings.to_array``: vectors stored as float16, and those stored as float32 by
    earlier versions, are read as they are (the joined bytes in one step when all are stored
    alike); a stored value of another length becomes a row of zeros, so it never comes out
    near anything. Half precision moves a cosine by about a thousandth."""
    import numpy as np

    from dialogos.search import embeddings

    rng = np.random.default_rng(3)
    rows = rng.standard_normal((3, embeddings.DIMENSIONS)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    half = embeddings.to_bytes(rows)
    assert {len(blob) for blob in half} == {embeddings.STORED_BYTES} == {1024}
    assert np.allclose(embeddings.to_array(half), rows, atol=1e-3)
    # Widened exactly as numpy widens float16.
    assert np.array_equal(embeddings.to_array(half), rows.astype(np.float16).astype(np.float32))
    legacy = [row.tobytes() for row in rows]
    assert np.array_equal(embeddings.to_array(legacy), rows)
    mixed = embeddings.to_array([half[0], b"\x00\x01\x02", legacy[2]])
    assert np.allclose(mixed[0], rows[0], atol=1e-3) and np.array_equal(mixed[2], rows[2])
    assert not mixed[1].any()
    best = embeddings.cosine_top(half[2], [legacy[0], b"short", half[2]], 1)
    assert best[0][0] == 2 and abs(best[0][1] - 1.0) < 1e-3
    exact = rows @ rows[0]
    assert np.allclose(
        [s for _i, s in embeddings.cosine_top(half[0], half, 3)],
        sorted(exact, reverse=True),
        atol=2e-3,
    )


def test_vectors_stored_as_float32_become_float16_and_back(db: None) -> None:
    """Migration ``0016``: each stored float32 vector becomes float16 (and float32 again
    backwards); a value of another length is left as it is."""
    import importlib

    import numpy as np
    from django.apps import apps

    from dialogos.search.models import SearchEntry

    migration = importlib.import_module("dialogos.search.migrations.0016_vectors_half")
    rng = np.random.default_rng(4)
    vector = rng.standard_normal(512).astype(np.float32)
    entries = [
        SearchEntry.objects.create(kind="meeting", object_id=900 + n, title={}, url={})
        for n in range(2)
    ]
    SearchText.objects.create(entry=entries[0], vector=vector.tobytes())
    SearchText.objects.create(entry=entries[1], vector=b"odd")
    migration.forward(apps, None)
    stored = bytes(SearchText.objects.get(entry=entries[0]).vector)
    assert len(stored) == 1024
    assert np.allclose(np.frombuffer(stored, dtype=np.float16), vector, atol=1e-2)
    assert bytes(SearchText.objects.get(entry=entries[1]).vector) == b"odd"
    migration.backward(apps, None)
    back = bytes(SearchText.objects.get(entry=entries[0]).vector)
    assert len(back) == 2048
    assert np.array_equal(
        np.frombuffer(back, dtype=np.float32),
        np.frombuffer(stored, dtype=np.float16).astype(np.float32),
    )
