"""A readable difference between two versions of a text, paragraph by paragraph.

Paragraphs are matched by their ``key`` (which a paragraph keeps from version to version), so
a paragraph that moved or was renumbered is recognised as the same one. Within a paragraph the
words inserted and deleted are marked with ``<ins>`` and ``<del>`` (``difflib``). Everything
else is escaped: the result is safe HTML.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dialogos.texts.models import Paragraph

# A word or a punctuation mark, with the whitespace after it. Words are compared without their
# whitespace: a space is not a token (it repeats so often that difflib would slow down).
_TOKENS = re.compile(r"(\w+|[^\w\s])(\s*)", re.UNICODE)


class Change:
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass
class ParagraphDiff:
    status: str
    old_label: str
    new_label: str
    html: SafeString
    renumbered: bool
    moved: bool
    is_heading: bool

    @property
    def label(self) -> str:
        return self.new_label or self.old_label


def words_diff(old: str, new: str) -> SafeString:
    """``new`` with the words removed from ``old`` in ``<del>`` and the words added in ``<ins>``."""
    a_parts = _TOKENS.findall(old.strip())
    b_parts = _TOKENS.findall(new.strip())
    a = [word for word, _space in a_parts]
    b = [word for word, _space in b_parts]

    def text(parts: list[tuple[str, str]], start: int, end: int) -> str:
        return "".join(word + space for word, space in parts[start:end])

    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(text(b_parts, j1, j2)))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(text(a_parts, i1, i2))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(text(b_parts, j1, j2))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 — every piece escaped above


def compare(
    old: Iterable[Paragraph], new: Iterable[Paragraph], *, language: str
) -> list[ParagraphDiff]:
    """The rows of the difference, in the order of ``new`` with removed paragraphs where they
    stood in ``old``."""
    old_list = list(old)
    new_list = list(new)
    old_by_key = {p.key: p for p in old_list}
    new_keys = {p.key for p in new_list}
    # Order of the paragraphs both versions keep, to tell a move from a mere renumbering.
    kept_old = [p.key for p in old_list if p.key in new_keys]
    kept_new = [p.key for p in new_list if p.key in old_by_key]
    stable = set()
    matcher = difflib.SequenceMatcher(a=kept_old, b=kept_new, autojunk=False)
    for block in matcher.get_matching_blocks():
        stable.update(kept_old[block.a : block.a + block.size])

    rows: list[ParagraphDiff] = []
    removed_before: dict[str | None, list[Paragraph]] = {}
    previous_kept: str | None = None
    for p in old_list:
        if p.key in new_keys:
            previous_kept = p.key
        else:
            removed_before.setdefault(previous_kept, []).append(p)

    def removed_rows(after: str | None) -> None:
        for p in removed_before.get(after, []):
            text = p.content.get_text(language)
            rows.append(
                ParagraphDiff(
                    Change.REMOVED,
                    p.label,
                    "",
                    mark_safe(f"<del>{escape(text)}</del>"),  # noqa: S308 — escaped
                    False,
                    False,
                    p.is_heading,
                )
            )

    removed_rows(None)
    for p in new_list:
        before = old_by_key.get(p.key)
        new_text = p.content.get_text(language)
        if before is None:
            rows.append(
                ParagraphDiff(
                    Change.ADDED,
                    "",
                    p.label,
                    mark_safe(f"<ins>{escape(new_text)}</ins>"),  # noqa: S308 — escaped
                    False,
                    False,
                    p.is_heading,
                )
            )
            continue
        old_text = before.content.get_text(language)
        same = old_text == new_text
        rows.append(
            ParagraphDiff(
                Change.SAME if same else Change.CHANGED,
                before.label,
                p.label,
                escape(new_text) if same else words_diff(old_text, new_text),
                before.label != p.label,
                p.key not in stable,
                p.is_heading,
            )
        )
        removed_rows(p.key)
    return rows


def summary(rows: list[ParagraphDiff]) -> dict[str, int]:
    counts = {Change.SAME: 0, Change.CHANGED: 0, Change.ADDED: 0, Change.REMOVED: 0}
    for row in rows:
        counts[row.status] += 1
    counts["renumbered"] = sum(1 for row in rows if row.renumbered)
    counts["moved"] = sum(1 for row in rows if row.moved)
    return counts
