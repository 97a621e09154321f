"""Every Russian catalogue is complete: no empty and no fuzzy translation, and compiled."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "dialogos"
CATALOGUES = sorted(SRC.glob("**/locale/ru/LC_MESSAGES/django.po"))


def unquote(value: str) -> str:
    return str(ast.literal_eval(f'"{value}"'))


def entries(text: str) -> list[tuple[str, str, bool, str | None, bool]]:
    """(msgid, first msgstr, fuzzy, context, plural) for every entry, still escaped."""
    result = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current = None
        parts: dict[str, str] = {}
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) "(.*)"$', line)
            if match:
                current = match.group(1)
                parts[current] = match.group(2)
            elif line.startswith('"') and current:
                parts[current] += line[1:-1]
        msgstr = parts.get("msgstr", parts.get("msgstr[0]", ""))
        result.append(
            (parts.get("msgid", ""), msgstr, fuzzy, parts.get("msgctxt"), "msgid_plural" in parts)
        )
    return result


def test_there_are_catalogues() -> None:
    assert SRC / "locale" / "ru" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_catalogue_is_complete_and_compiled(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [entry for entry in entries(text) if entry[0]]
    assert found, f"{path} holds no message"
    missing = [msgid for msgid, msgstr, *_rest in found if not msgstr]
    fuzzy = [msgid for msgid, _s, is_fuzzy, *_rest in found if is_fuzzy]
    assert missing == [], f"untranslated in {path}"
    assert fuzzy == [], f"fuzzy in {path}"
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: run make messages"
    with compiled.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = []
    for msgid, msgstr, _fuzzy, context, plural in found:
        key: object = (
            unquote(msgid) if context is None else f"{unquote(context)}\x04{unquote(msgid)}"
        )
        if plural:
            key = (key, 0)
        if catalog.get(key) != unquote(msgstr):
            stale.append(msgid)
    assert stale == [], f"{compiled} is older than its .po: run make messages"
