"""Text handling shared by both engines: folding, tokens, light stemming, query parsing,
snippets with highlights.

Both engines index the *folded* text (no diacritics, case folded, ё as its base letter), so what matches does
not depend on the engine's own folding. Query terms are folded the same way, reduced to a
light stem and matched as prefixes, so "миграционной политики" finds "миграционная политика"
and "migrations" finds "migration" on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

#: Longest query we look at (characters) and most terms we keep.
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MIN_STEM = 3
#: A query term shorter than this matches a whole word only ("eu"), not every word it starts.
MIN_PREFIX = 3
#: The start of the index words that stand for facet values (``search.engines.facet_token``):
#: no query term and no word of an indexed text may begin with it.
FACET_WORD_PREFIX = "qqf"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TOKEN = re.compile(r'(-?)("?)([^\s"]+)', re.UNICODE)

# Endings removed from query terms, longest first (a light stemmer, not Snowball: matched as
# a prefix afterwards, so being too eager costs a little precision, never a miss).
# Endings in their folded form (й is folded to и like every other diacritic).
_RU_ENDINGS = sorted(
    {
        *("иями", "ями", "ами", "ах", "ях", "ов", "ев", "еи", "ии", "ыи", "ои"),
        *("ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ым", "им", "ом", "ем"),
        *("ую", "юю", "ого", "его", "ому", "ему", "ыми", "ими", "ию", "ия", "ья"),
        *("ье", "ьи", "ью", "остью", "ости", "ость", "ование", "ования"),
        *("а", "я", "о", "е", "и", "ы", "у", "ю", "ь"),
    },
    key=lambda ending: (-len(ending), ending),
)
_EN_ENDINGS = ["ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s", "y", "e"]


#: Characters outside ASCII and the basic Cyrillic block (after й/ё are replaced): only text
#: with one of them needs the full Unicode decomposition.
_NOT_PLAIN = re.compile(r"[^\x00-\x7f\u0410-\u044f]")


def fold(text: str) -> str:
    """Lower-case, without diacritics (ё and й too): the form both engines index and search."""
    if not text:
        return ""
    plain = text.replace("й", "и").replace("Й", "И").replace("ё", "е").replace("Ё", "Е")
    if _NOT_PLAIN.search(plain) is None:
        # ASCII and basic Cyrillic decompose to themselves: the fast path gives the same result.
        return plain.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # NFKD splits ё and й into a base letter and a combining mark, dropped above.
    return unicodedata.normalize("NFC", stripped).casefold()


def words(text: str) -> list[str]:
    """Folded word tokens of ``text``."""
    return _WORD.findall(fold(text))


def word_line(text: str, limit: int | None = None) -> str:
    """Folded words of ``text`` (of its first ``limit`` characters), each after a space, with a
    space at the end: ``" term" in line`` tells whether a word starts with ``term``."""
    found = words(text[:limit] if limit else text)
    return f" {' '.join(found)} " if found else ""


def is_cyrillic(word: str) -> bool:
    return any("а" <= ch <= "я" for ch in word)


def stem(word: str) -> str:
    """A light stem of a folded word (Russian or English endings), at least MIN_STEM long."""
    if word.isdigit() or len(word) <= MIN_STEM + 1:
        return word
    endings = _RU_ENDINGS if is_cyrillic(word) else _EN_ENDINGS
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM + 1:
            return word[: -len(ending)]
    return word


@dataclass(frozen=True)
class ParsedQuery:
    """A user's query reduced to safe terms: every term is letters and digits only."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    raw_words: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.include)

    @property
    def highlight_stems(self) -> tuple[str, ...]:
        return self.include


def parse_query(query: str | None) -> ParsedQuery:
    """Turn any input into term lists. Never raises: quotes, operators, ``*``, ``-`` and very
    long input reduce to plain prefix terms (``-word`` excludes a word)."""
    if not query:
        return ParsedQuery()
    text = str(query)[:MAX_QUERY_CHARS].replace("\x00", " ")
    include: list[str] = []
    exclude: list[str] = []
    raw: list[str] = []
    for minus, _quote, token in _TOKEN.findall(text):
        field_name, colon, rest = token.partition(":")
        # "title:word" is field syntax of other engines: keep the word, not the field.
        chunk = rest if colon and words(rest) and field_name.isalpha() else token
        for position, word in enumerate(words(chunk)):
            if word in {"and", "or", "not", "near"} and not minus:
                # Operators of other search syntaxes carry no meaning here.
                continue
            if word.startswith(FACET_WORD_PREFIX):
                # The index's own words for facet values are reached through the filters only.
                continue
            term = stem(word)
            target = exclude if (minus and position == 0) else include
            if term not in target:
                target.append(term)
                if target is include:
                    raw.append(word)
    include = include[:MAX_TERMS]
    exclude = [t for t in exclude if t not in include][:MAX_TERMS]
    return ParsedQuery(tuple(include), tuple(exclude), tuple(raw[:MAX_TERMS]))


def _plain_folded(text: str) -> str | None:
    """``text`` folded letter for letter (same length, same positions) when it holds only
    ASCII and basic Cyrillic; ``None`` otherwise (folding could move positions)."""
    plain = text.replace("й", "и").replace("Й", "И").replace("ё", "е").replace("Ё", "Е")
    if _NOT_PLAIN.search(plain) is not None:
        return None
    folded = plain.casefold()
    return folded if len(folded) == len(text) else None


def _word_starts(folded: str, stems: tuple[str, ...], *, first: bool = False) -> list[int]:
    """Positions in ``folded`` where a word (not after a letter or digit) starts with one of
    ``stems``, in order; only the first one when ``first``. ``str.find`` skips to each
    candidate, far faster than a regular expression over a long text that holds none."""
    found: set[int] = set()
    best = -1
    for stem in stems:
        if not stem:
            continue
        pos = folded.find(stem)
        while pos != -1 and not (first and best != -1 and pos > best):
            if pos == 0 or not folded[pos - 1].isalnum():
                found.add(pos)
                if first:
                    best = pos if best == -1 else min(best, pos)
                    break
            pos = folded.find(stem, pos + 1)
    if first:
        return [best] if best != -1 else []
    return sorted(found)


def _spans(text: str, stems: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` that start with one of ``stems``."""
    if not stems:
        return []
    folded = _plain_folded(text)
    if folded is not None:
        spans: list[tuple[int, int]] = []
        for start in _word_starts(folded, stems):
            match = _WORD.match(folded, start)
            end = match.end() if match else start + 1
            if not spans or start >= spans[-1][1]:
                spans.append((start, end))
        return spans
    spans = []
    for match in _WORD.finditer(text):
        if fold(match.group()).startswith(stems):
            spans.append(match.span())
    return spans


def highlight(text: str, stems: tuple[str, ...]) -> SafeString:
    """``text`` escaped, with matching words wrapped in ``<mark>`` (the only markup added).
    The standard library's ``escape`` is what Django's calls, without its lazy wrapper."""
    spans = _spans(text, stems)
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


#: Characters other than ASCII, basic Cyrillic and ё/Ё, in text not yet folded: casefolding
#: the others (then ё and й to their base letters) is exactly what ``fold`` does.
_NOT_PLAIN_RAW = re.compile(r"[^\x00-\x7f\u0410-\u044f\u0401\u0451]")


def _first_match(text: str, stems: tuple[str, ...], limit: int) -> int | None:
    """Where the first word starting with one of ``stems`` begins (within ``limit`` chars)."""
    if not stems:
        return None
    window = text[:limit]
    # First look in the window casefolded (one pass; ё and й, only when present, lose their
    # marks as ``fold`` drops them): a match found there is the first one if everything before it
    # folds letter for letter too — at once for an ASCII text.
    quick = window.casefold()
    if len(quick) == len(window):
        if "й" in quick or "ё" in quick:
            quick = quick.replace("й", "и").replace("ё", "е")
        starts = _word_starts(quick, stems, first=True)
        stop = starts[0] if starts else len(window)
        if window.isascii() or _NOT_PLAIN_RAW.search(window, 0, stop) is None:
            return starts[0] if starts else None
    for match in _WORD.finditer(text, 0, min(len(text), limit)):
        word = match.group()
        # Cheap test first: the word's first letter, folded, must start some stem.
        # (A ligature such as "ﬁ" folds to two letters: its first one counts.)
        if fold(word[0])[:1] in _initials(stems) and fold(word).startswith(stems):
            return match.start()
    return None


def _initials(stems: tuple[str, ...]) -> frozenset[str]:
    return frozenset(stem[0] for stem in stems if stem)


SNIPPET_SCAN_CHARS = 60_000
#: A snippet is first looked for in this many characters of each text (``SearchHead``); only
#: the texts whose first match lies beyond are read further, up to ``SNIPPET_SCAN_CHARS``.
SNIPPET_HEAD_CHARS = 2000
SNIPPET_WIDTH = 240


def first_match(text: str, stems: tuple[str, ...], limit: int = SNIPPET_SCAN_CHARS) -> int | None:
    """Where the first word of ``text`` starting with one of ``stems`` begins, within its first
    ``limit`` characters; ``None`` when there is none."""
    return _first_match(text, stems, limit)


_UNKNOWN = -1


def snippet(
    text: str, stems: tuple[str, ...], *, width: int = SNIPPET_WIDTH, first: int | None = _UNKNOWN
) -> SafeString:
    """A window of ``text`` around the first match (or its start), highlighted and escaped.
    Only the start of a long text is scanned for the match (``SNIPPET_SCAN_CHARS``); ``first``
    is that match's place when the caller has found it already (``first_match``)."""
    if not text:
        return mark_safe("")
    if first == _UNKNOWN:
        first = _first_match(text, stems, SNIPPET_SCAN_CHARS)
    start = 0
    if first is not None:
        start = max(0, first - width // 3)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 and first - space < width else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = highlight(" ".join(text[start:end].split()), stems)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{piece}{suffix}")  # noqa: S308 - piece is escaped by highlight
