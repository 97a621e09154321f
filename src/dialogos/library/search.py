"""How the library appears in search: documents (with the extracted text of their current
files), published good practices and published country profiles (the text of their published
version, not of a revision in progress).

A document linked to a meeting with the level "inherit" follows the meeting: a change of the
meeting reindexes its documents (``parents``); a new or replaced file reindexes its owner
(``contents``). Drafts of practices and unpublished profiles stay out of the index.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from dialogos.library.models import (
    CountryProfile,
    Document,
    LibraryFile,
    Practice,
    PracticeStatus,
)
from dialogos.search.registry import (
    IndexEntry,
    Source,
    effective_access,
    effective_dialogue_id,
    label_words,
    languages_of,
    register,
    texts,
    urls_for,
)


def current_files() -> Prefetch[Any]:
    """The current file of each language, with its extracted text."""
    return Prefetch(
        "files",
        queryset=LibraryFile.objects.filter(is_current=True).only(
            "id", "document_id", "practice_id", "profile_id", "language", "text", "is_current"
        ),
        to_attr="current_files",
    )


def _file_texts(obj: Any) -> dict[str, str]:
    return {f.language: f.text for f in getattr(obj, "current_files", []) if f.text}


def _topics(obj: Any) -> dict[str, dict[str, str]]:
    return {t.slug: dict(t.name) for t in obj.topics.all()}


class DocumentSource(Source[Document]):
    kind = "document"
    label = _("Documents")
    model = Document
    parents = {"meetings.Meeting": "meeting"}
    contents = {"library.LibraryFile": "document"}
    batch_size = 100

    def queryset(self) -> QuerySet[Document]:
        return Document.objects.select_related("dialogue", "meeting").prefetch_related(
            "topics", "countries", current_files()
        )

    def entry(self, obj: Document) -> IndexEntry:
        files = _file_texts(obj)
        return IndexEntry(
            title=dict(obj.title),
            body=texts(obj.summary, files),
            url=urls_for("library:document", obj.pk),
            dialogue_id=effective_dialogue_id(obj),
            access=effective_access(obj),
            countries=[c.code for c in obj.countries.all()],
            topics=_topics(obj),
            date=obj.date,
            languages=languages_of(obj.title, files) or [obj.dialogue.main_language],
            keywords=label_words(obj.type, Document._meta.get_field("type").choices),
        )


class PracticeSource(Source[Practice]):
    kind = "practice"
    label = _("Good practices")
    model = Practice
    contents = {"library.LibraryFile": "practice"}

    def queryset(self) -> QuerySet[Practice]:
        return Practice.objects.select_related("dialogue", "country").prefetch_related(
            "topics", "countries", current_files()
        )

    def entry(self, obj: Practice) -> IndexEntry | None:
        if obj.status != PracticeStatus.PUBLISHED:
            return None
        countries = [obj.country_id, *(c.code for c in obj.countries.all())]
        published = obj.published_at.date() if obj.published_at else None
        return IndexEntry(
            title=dict(obj.title),
            body=texts(
                obj.summary,
                obj.problem,
                obj.approach,
                obj.results,
                obj.transferability,
                obj.implementing_bodies,
                obj.partners,
            ),
            keywords=" ".join(_file_texts(obj).values()),
            url=urls_for("library:practice", obj.pk),
            dialogue_id=effective_dialogue_id(obj),
            access=effective_access(obj),
            countries=list(dict.fromkeys(countries)),
            topics=_topics(obj),
            date=published or obj.created_at.date(),
            languages=languages_of(obj.title, obj.summary) or [obj.dialogue.main_language],
        )


class ProfileSource(Source[CountryProfile]):
    kind = "profile"
    label = _("Country profiles")
    model = CountryProfile
    contents = {"library.LibraryFile": "profile"}

    def queryset(self) -> QuerySet[CountryProfile]:
        # The published version's files only: a revision is not public until endorsed.
        return CountryProfile.objects.select_related("dialogue", "country").prefetch_related(
            "topics",
            Prefetch(
                "files",
                queryset=LibraryFile.objects.filter(is_published=True).only(
                    "id", "profile_id", "language", "text", "is_published"
                ),
                to_attr="current_files",
            ),
        )

    def entry(self, obj: CountryProfile) -> IndexEntry | None:
        if obj.published_at is None:
            return None
        files = _file_texts(obj)
        return IndexEntry(
            title=dict(obj.title),
            body=texts(obj.summary, files),
            keywords=" ".join(
                [
                    obj.period,
                    label_words(obj.kind, CountryProfile.Kind.choices),
                    *obj.dialogue.name.values(),
                ]
            ),
            url=urls_for("library:profile", obj.pk),
            dialogue_id=effective_dialogue_id(obj),
            access=effective_access(obj),
            countries=[obj.country_id],
            topics=_topics(obj),
            date=obj.published_at.date(),
            languages=languages_of(obj.title, obj.summary, files) or [obj.dialogue.main_language],
        )


register(DocumentSource())
register(PracticeSource())
register(ProfileSource())
