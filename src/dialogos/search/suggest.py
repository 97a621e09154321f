"""Type-ahead suggestions for the search box: a few entries the user may see whose text matches
what has been typed so far.

The typed text is read exactly as the search reads it (``search.text.parse_query``): every word
must appear, each as the start of a word, so the last, unfinished word works as a prefix
("labour mig" suggests "Labour migration …"); a word of one or two letters is matched whole, as
in the search ("EU"). Only while such a short word is the last one and still being typed after
other words ("labour m", no space after it) is it read as the start of a word of the *title*: the
other words are matched, and the candidates whose title has a word starting with it are kept.
The engine returns the newest ``CANDIDATES`` matching entries the user may see
(``search.query.visible_where`` inside the same statement), ``search.query.rank`` puts those whose
title holds the words first, and the best ``limit`` (at most ``MAX_LIMIT``) are shown with the
matched words highlighted. Runs on every keystroke: a bounded number of rows, three or four
queries whatever the size of the index, and no query at all for input that cannot match.

Input under ``MIN_CHARS`` characters, longer than ``MAX_CHARS`` or without a letter or digit
gives an empty list, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from dialogos.search.engines import get_engine
from dialogos.search.query import page_entries, rank, visible_where
from dialogos.search.registry import get_source
from dialogos.search.text import MIN_PREFIX, ParsedQuery, highlight, parse_query, words

#: Shortest typed text (after trimming spaces) that is looked up.
MIN_CHARS = 2
#: Longest typed text looked up; a longer one is no longer being typed into a search box.
MAX_CHARS = 100
#: Most suggestions returned.
MAX_LIMIT = 8
#: Newest matching entries ranked to pick the suggestions from (three times the list: enough for
#: the title matches to come first, few enough that a keystroke stays cheap).
CANDIDATES = 24


@dataclass(frozen=True)
class Suggestion:
    kind: str
    kind_label: str
    #: The title in the current language, escaped, with the matched words in ``<mark>``.
    title: SafeString
    #: The title as plain text.
    text: str
    url: str


def clean(q: Any) -> str:
    """The typed text worth looking up, or "" (too short, too long)."""
    text = str(q or "")
    if len(text) > MAX_CHARS:
        return ""
    text = " ".join(text.replace("\x00", " ").split())
    return text if len(text) >= MIN_CHARS else ""


def _unfinished_short_word(typed: str, parsed: ParsedQuery) -> str:
    """The last word when it is still being typed (no space after it), shorter than the
    engine's shortest prefix and not the only term: "" otherwise."""
    if not typed or not typed[-1].isalnum() or len(parsed.include) < 2:
        return ""
    tail = words(typed.rsplit(None, 1)[-1])
    last = tail[-1] if tail else ""
    if len(last) >= MIN_PREFIX or parsed.include[-1] != last or typed.rsplit(None, 1)[-1][0] == "-":
        return ""
    return last


def suggest(user: Any, q: Any, limit: int = MAX_LIMIT) -> list[Suggestion]:
    """Up to ``limit`` (at most ``MAX_LIMIT``) entries ``user`` may see that match ``q``, those
    whose title holds the typed words first, then the newest."""
    typed = str(q or "").replace("\x00", " ")
    text = clean(typed)
    parsed = parse_query(text) if text else None
    if not parsed:
        return []
    limit = max(1, min(int(limit), MAX_LIMIT))
    short = _unfinished_short_word(typed, parsed)
    match = (
        ParsedQuery(parsed.include[:-1], parsed.exclude, parsed.raw_words[:-1]) if short else parsed
    )
    rows = get_engine().top(visible_where(user), match, limit=CANDIDATES)
    ranked = rank(rows)
    ids = ranked if short else ranked[:limit]
    if not ids:
        return []
    entries = page_entries(ids)  # one plain statement, as for a page of results
    language = get_language()
    stems = parsed.highlight_stems
    found: list[Suggestion] = []
    for entry_id in ids:
        entry = entries.get(entry_id)
        if entry is None:  # removed since the match
            continue
        title = entry.title_text(language)
        if short and not any(word.startswith(short) for word in words(title)):
            continue
        source = get_source(entry.kind)
        found.append(
            Suggestion(
                kind=entry.kind,
                kind_label=str(source.label) if source else entry.kind,
                title=highlight(title, stems),
                text=title,
                url=entry.url_for(language),
            )
        )
        if len(found) == limit:
            break
    return found
