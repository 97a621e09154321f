"""Template helpers available in every template (registered as builtins)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import translate_url
from django.utils.safestring import SafeString

from dialogos.core import markdown
from dialogos.core.i18n import to_translated

register = template.Library()


@register.filter
def tr(value: Any, language: str | None = None) -> str:
    """The text of a translatable value in ``language`` (or the active one)."""
    if value in (None, ""):
        return ""
    return to_translated(value).get_text(language)


@register.filter
def tr_lang(value: Any) -> str:
    """The language code of the text ``tr`` shows, for a ``lang`` attribute."""
    if value in (None, ""):
        return ""
    return to_translated(value).language_of()


@register.filter(name="markdown")
def markdown_filter(value: Any) -> SafeString:
    text = to_translated(value).get_text() if isinstance(value, dict) else str(value or "")
    return markdown.render(text)


@register.simple_tag(takes_context=True)
def url_in_language(context: dict[str, Any], language: str) -> str:
    request = context.get("request")
    if request is None:
        return f"/{language}/"
    path = request.get_full_path()
    return translate_url(path, language)
