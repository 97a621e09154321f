"""The index: one row per indexed object, and its facet values.

The full-text part lives beside these tables and is engine-specific (see ``engines``): on
SQLite an FTS5 table ``search_fts`` (``detail=none``, a prefix index) whose rowid is the entry's
recency key, over the folded text kept in ``search_fts_doc``; on PostgreSQL a stripped,
GIN-indexed ``tsvector`` column ``fulltext`` of ``search_searchentry``. Both are created by
migration 0004 with SQL for their own vendor only. Matching reads the engine; ranking reads the
small ``fts_head`` (title words) and ``fts_summary`` (words of the start of the text) columns.
"""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import TranslatedText


class Facet(models.TextChoices):
    KIND = "kind", _("Type")
    DIALOGUE = "dialogue", _("Dialogue")
    COUNTRY = "country", _("Country")
    TOPIC = "topic", _("Topic")
    YEAR = "year", _("Year")
    LANGUAGE = "language", _("Language")


class SearchEntry(models.Model):
    """What search knows about one object of a registered source."""

    kind = models.CharField(_("type"), max_length=32)
    object_id = models.BigIntegerField(_("object"))
    title = models.JSONField(_("title"), default=dict)
    url = models.JSONField(_("address"), default=dict)
    dialogue_id = models.BigIntegerField(_("dialogue"), null=True, blank=True)
    access = models.CharField(_("access"), max_length=16)
    countries = models.JSONField(_("countries"), default=list)
    topics = models.JSONField(_("topics"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    date = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    #: The folded words of the title and of the start of the text, each word after a space:
    #: what ranking reads (a query term found in the title weighs ten times one in the start).
    fts_head = models.TextField(default="", editable=False)
    fts_summary = models.TextField(default="", editable=False)
    #: The entry's facet values as index words (``engines.facet_token``), separated by spaces:
    #: the engine matches them for facet filters, and facet counts read them from this column.
    facets = models.TextField(default="", editable=False)
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique"),
        ]
        indexes = [
            models.Index(fields=["access", "dialogue_id"]),
            models.Index(fields=["kind", "access"]),
            # Newest first: the order a bulk load leaves the PostgreSQL table in (CLUSTER), so
            # that the newest entries share pages; on SQLite, the order of results without words.
            models.Index(fields=["-date", "-id"], name="search_entry_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"

    def title_text(self, language: str | None = None) -> str:
        return TranslatedText(self.title or {}).get_text(language)

    def url_for(self, language: str | None = None) -> str:
        return TranslatedText(self.url or {}).get_text(language)


class CompactJSONEncoder(DjangoJSONEncoder):
    """JSON with letters as they are (not ``\\uXXXX``): a Russian text stored in a text column
    (SQLite) takes a third of the room and decodes faster. PostgreSQL's jsonb is unaffected."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class SearchText(models.Model):
    """The entry's embedding, kept apart so that filtering, counting and faceting entries never
    reads through it."""

    entry = models.OneToOneField(
        SearchEntry, on_delete=models.CASCADE, primary_key=True, related_name="text"
    )
    vector = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("search text")
        verbose_name_plural = _("search texts")

    def __str__(self) -> str:
        return str(self.entry_id)


class LanguageText(models.Model):
    """Some of an entry's text in one language, one row per entry and language: what a
    result's snippet is cut from, read as plain text in the reader's language alone."""

    entry_id: int
    language = models.CharField(max_length=16)
    text = models.TextField()

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["entry", "language"], name="%(class)s_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.language}"


class SearchBody(LanguageText):
    """The start of an entry's text in one language, as far as a snippet is ever looked for
    (``search.text.SNIPPET_SCAN_CHARS`` characters)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="bodies")

    class Meta(LanguageText.Meta):
        verbose_name = _("search text")
        verbose_name_plural = _("search texts")


class SearchHead(LanguageText):
    """The first ``search.text.SNIPPET_HEAD_CHARS`` (+1) characters of an entry's text in one
    language, apart from the longer ``SearchBody``: most snippets are cut from there, and a
    page of results then reads twenty short rows instead of twenty long texts (SQLite reads a
    whole text value to take its start)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="heads")

    class Meta(LanguageText.Meta):
        verbose_name = _("start of a search text")
        verbose_name_plural = _("starts of search texts")


class SearchTag(models.Model):
    """One facet value of an entry (its type, dialogue, each country, topic, year, language)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tags")
    facet = models.CharField(max_length=16, choices=Facet.choices)
    value = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("search facet value")
        verbose_name_plural = _("search facet values")
        constraints = [
            models.UniqueConstraint(fields=["entry", "facet", "value"], name="searchtag_unique"),
        ]
        indexes = [models.Index(fields=["facet", "value", "entry"])]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class SearchTopic(models.Model):
    """A topic's label per language, as its source last reported it (for the topic facet)."""

    key = models.CharField(max_length=64, primary_key=True)
    label = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("search topic")
        verbose_name_plural = _("search topics")

    def __str__(self) -> str:
        return self.key

    def label_text(self, language: str | None = None) -> str:
        return TranslatedText(self.label or {}).get_text(language) or self.key

    @classmethod
    def labels(cls, keys: Any) -> dict[str, str]:
        return {t.key: t.label_text() for t in cls.objects.filter(key__in=list(keys))}
