"""How each app tells search about its own objects.

Search knows no domain app. An app that wants its objects found writes ``<app>/search.py``,
subclasses :class:`Source` and calls :func:`register`; ``SearchConfig.ready()`` imports every
installed app's ``search`` module, then listens to ``post_save``/``post_delete`` (and the
``m2m_changed`` of its many-to-many fields) of each registered model and of the models named in
``Source.parents``, and queues a reindex of the touched objects in the worker after commit.

A minimal source::

    from dialogos.core.models import AccessLevel
    from dialogos.search.registry import IndexEntry, Source, effective_access, register, urls_for

    class NewsSource(Source["NewsItem"]):
        kind = "news"                     # stable key, used in URLs and facets
        label = _("News")                 # plural, shown as the type facet
        model = NewsItem
        parents = {}                      # {"meetings.Meeting": "meeting"}: see below
        contents = {}                     # {"news.Attachment": "item"}: see below

        def queryset(self):               # what is indexed; join what entry() reads
            return NewsItem.objects.select_related("dialogue").prefetch_related("countries")

        def entry(self, obj):             # None: do not index (a draft, say)
            if not obj.published_at:
                return None
            return IndexEntry(
                title=obj.title,                       # {"en": ..., "ru": ...}
                body={"en": obj.text.get("en", ""), "ru": obj.text.get("ru", "")},
                url=urls_for("news:detail", obj.pk),   # {"en": "/en/news/1/", "ru": ...}
                dialogue_id=obj.dialogue_id,
                access=effective_access(obj),          # after inheritance
                countries=[c.code for c in obj.countries.all()],
                topics={t.slug: t.name for t in obj.topics.all()},  # key -> {lang: label}
                date=obj.published_at.date(),
                languages=[code for code, text in obj.title.items() if text],
            )

    register(NewsSource())

Contract:

- ``IndexEntry.access`` is the *effective* level (``core.access.effective_level``), never
  ``inherit``. ``public``, ``members`` and ``secretariat`` are filtered in SQL against
  ``core.access.principal(user)``; for ``group`` rows search asks the source which keys the
  user may see through :meth:`Source.visible_group_queryset` (by default
  ``core.access.visible`` on ``queryset()``), inside the same query, before counting.
- ``parents`` maps ``"app_label.ModelName"`` to the ORM path from the source's model to that
  model. Saving or deleting such a parent (for instance a meeting whose access level changed)
  reindexes every object of this source below it, so inherited access never goes stale.
- ``contents`` maps ``"app_label.ModelName"`` of rows that are *part of* an entry (files with
  their extracted text, say) to the name of their foreign key to the source's model:
  ``{"library.LibraryFile": "document"}``. Saving or deleting such a row reindexes its owner.
- ``topics`` maps a stable topic key to its label per language; ``countries`` are ISO codes.
  Every name of each country (English, Russian, former and other names) is added to the indexed
  text, so "Turkey" finds an entry tagged TR.
- ``keywords`` is indexed text that is never shown (names, codes, extracted file text that
  should match but not be quoted, …); ``body`` is indexed and quoted in snippets.
- Index work happens in the worker (``dialogos.search.tasks``); in tests tasks run at once.
- ``dialogos reindex`` rebuilds everything; ``dialogos reindex --kind news`` one source.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import Promise

from dialogos.core import access
from dialogos.core.models import AccessLevel, Protected

M = TypeVar("M", bound=models.Model)

#: Levels an index row may carry (``inherit`` is resolved before indexing).
INDEX_LEVELS = (
    AccessLevel.PUBLIC,
    AccessLevel.MEMBERS,
    AccessLevel.GROUP,
    AccessLevel.SECRETARIAT,
)


@dataclass(frozen=True)
class IndexEntry:
    """What search stores about one object."""

    title: Mapping[str, str]
    url: Mapping[str, str]
    access: str
    dialogue_id: int | None = None
    body: Mapping[str, str] = field(default_factory=dict)
    keywords: str = ""
    countries: Sequence[str] = ()
    topics: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date: datetime.date | None = None
    languages: Sequence[str] = ()

    def __post_init__(self) -> None:
        if self.access not in INDEX_LEVELS:
            raise ValueError(f"IndexEntry.access must be an effective level, not {self.access!r}")


class Source(Generic[M]):
    """One kind of object in the index. Subclass, set the class attributes, register."""

    kind: ClassVar[str]
    label: ClassVar[str | Promise]
    model: type[M]
    parents: ClassVar[Mapping[str, str]] = {}
    contents: ClassVar[Mapping[str, str]] = {}
    batch_size: ClassVar[int] = 200

    def queryset(self) -> models.QuerySet[M]:
        """Every object that may be indexed, with what ``entry`` reads joined in."""
        return self.model._default_manager.all()

    def entry(self, obj: M) -> IndexEntry | None:
        """The index entry of ``obj``, or ``None`` to keep it out of the index."""
        raise NotImplementedError

    def visible_group_queryset(self, user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        """Narrow ``queryset`` to the objects ``user`` may see (used for ``group`` rows)."""
        return access.visible(user, queryset)

    def children_of(self, parent_label: str, parent_pk: Any) -> models.QuerySet[M]:
        """Objects of this source below a parent named in ``parents``."""
        path = self.parents[parent_label]
        return self.queryset().filter(**{f"{path}__pk": parent_pk})


_SOURCES: dict[str, Source[Any]] = {}


def register(source: Source[Any]) -> Source[Any]:
    """Add a source; registering the same kind again replaces it (module reloads in tests)."""
    if not getattr(source, "kind", "") or not source.kind.replace("_", "").isalnum():
        raise ValueError("A search source needs a kind made of letters, digits and _.")
    _SOURCES[source.kind] = source
    from django.apps import apps

    if apps.ready:  # registered late (a test): listen now; otherwise SearchConfig.ready does
        from dialogos.search import signals

        signals.connect_all()
    return source


def unregister(kind: str) -> None:
    _SOURCES.pop(kind, None)


def sources() -> list[Source[Any]]:
    """Registered sources in registration order."""
    return list(_SOURCES.values())


def get_source(kind: str) -> Source[Any] | None:
    return _SOURCES.get(kind)


def sources_for_model(model: type[models.Model]) -> list[Source[Any]]:
    return [s for s in _SOURCES.values() if s.model is model or issubclass(model, s.model)]


def effective_access(obj: Protected) -> str:
    """The effective access level of ``obj`` after inheritance (never ``inherit``)."""
    level, _source = access.effective_level(obj)
    return str(level)


def effective_dialogue_id(obj: Protected) -> int | None:
    """The dialogue whose roles decide about ``obj`` (that of the object setting its level)."""
    _level, source = access.effective_level(obj)
    return source.access_dialogue_id()


def urls_for(viewname: str, *args: Any, **kwargs: Any) -> dict[str, str]:
    """The URL of a view in every interface language: ``{"en": "/en/…", "ru": "/ru/…"}``."""
    result: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                result[code] = reverse(viewname, args=args or None, kwargs=kwargs or None)
            except NoReverseMatch:
                continue
    return result


def choice_labels(value: str, choices: Any) -> dict[str, str]:
    """The label of a choice in every interface language (so that "семинар" finds a
    workshop): from the choices' lazy labels, not ``get_FOO_display()``, which answers in the
    current language only."""
    label = dict(choices).get(value)
    if not label:
        return {}
    result: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = str(label)
    return result


def label_words(value: str, choices: Any) -> str:
    """``choice_labels`` as one string of keywords, each distinct label once."""
    return " ".join(dict.fromkeys(choice_labels(value, choices).values()))


def texts(*values: Mapping[str, str] | None) -> dict[str, str]:
    """Join several translated texts per language (empty parts skipped)."""
    result: dict[str, list[str]] = {}
    for value in values:
        if not value:
            continue
        for code, text in value.items():
            if text:
                result.setdefault(code, []).append(str(text))
    return {code: "\n".join(parts) for code, parts in result.items()}


def languages_of(*values: Mapping[str, str] | None) -> list[str]:
    """Language codes that have text in any of ``values``."""
    found: list[str] = []
    for value in values:
        for code, text in (value or {}).items():
            if text and code not in found:
                found.append(code)
    return found


def object_keys(objs: Iterable[models.Model]) -> list[int]:
    return [int(o.pk) for o in objs]
