"""The difference between versions: words inserted and deleted, paragraphs added, removed,
moved and renumbered, everything escaped."""

from __future__ import annotations

from typing import Any

from dialogos.texts import diff, services
from tests.texts.conftest import Negotiation


def test_words_are_marked() -> None:
    html = diff.words_diff("The Chair is thanked.", "The Chair is warmly thanked today.")
    assert html == "The Chair is <ins>warmly </ins>thanked <ins>today</ins>."


def test_markup_is_escaped() -> None:
    html = diff.words_diff("a <b>", "a <script>")
    assert "<script>" not in html and "&lt;" in html and "&gt;" in html


def test_paragraphs_added_removed_moved_and_renumbered(world: Any, circulated: Negotiation) -> None:
    version = services.issue_next_version(actor=world.alice, text=circulated.text)
    rows = list(version.paragraphs.order_by("position"))
    services.delete_paragraph(actor=world.alice, paragraph=rows[0])
    services.save_paragraph(actor=world.alice, version=version, content={"en": "A new ending."})
    services.move_paragraph(actor=world.alice, paragraph=rows[2], up=True)
    services.save_paragraph(
        actor=world.alice,
        version=version,
        paragraph=rows[1],
        content={"en": "The Secretariat writes."},
    )
    old = list(circulated.version.paragraphs.order_by("position"))
    new = list(version.paragraphs.order_by("position"))
    result = diff.compare(old, new, language="en")
    assert [(r.status, r.old_label, r.new_label) for r in result] == [
        ("removed", "1", ""),
        ("same", "3", "1"),
        ("changed", "2", "2"),
        ("added", "", "3"),
    ]
    assert result[1].renumbered and result[1].moved
    assert not result[2].renumbered and not result[2].moved
    assert result[2].html == "The Secretariat <del>prepares a report</del><ins>writes</ins>."
    summary = diff.summary(result)
    assert (summary["added"], summary["removed"], summary["changed"]) == (1, 1, 1)


def test_comparing_in_russian(world: Any, circulated: Negotiation) -> None:
    version = services.issue_next_version(actor=world.alice, text=circulated.text)
    p = version.paragraphs.order_by("position").first()
    assert p is not None
    services.save_paragraph(
        actor=world.alice,
        version=version,
        paragraph=p,
        content={"en": p.content["en"], "ru": "Государства встречаются раз в два года."},
    )
    old = list(circulated.version.paragraphs.order_by("position"))
    result = diff.compare(old, list(version.paragraphs.order_by("position")), language="ru")
    assert "<del>ежегодно</del>" in result[0].html
    assert "<ins>раз в два года</ins>" in result[0].html
    assert (
        diff.compare(old, list(version.paragraphs.order_by("position")), language="en")[0].status
        == "same"
    )
