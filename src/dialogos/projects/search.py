"""How projects appear in search: title, summary, objectives, type, places and implementers,
countries (named directly or through a place) and the start date; access is the project's own.
A project's ``group`` level means its staff, which ``core.access.visible`` decides.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dialogos.projects.models import Project
from dialogos.search.registry import (
    IndexEntry,
    Source,
    effective_access,
    effective_dialogue_id,
    languages_of,
    register,
    texts,
    urls_for,
)


class ProjectSource(Source[Project]):
    kind = "project"
    label = _("Projects")
    model = Project
    # Places and types are shown with the project: renaming one reindexes its projects.
    parents = {"projects.ProjectType": "type", "projects.Place": "places"}

    def queryset(self) -> QuerySet[Project]:
        return Project.objects.select_related("dialogue", "type").prefetch_related(
            "countries", "places", "implementers"
        )

    def entry(self, obj: Project) -> IndexEntry:
        places = list(obj.places.all())
        countries = [c.code for c in obj.countries.all()]
        for place in places:
            if place.country_id not in countries:
                countries.append(str(place.country_id))
        body = texts(
            obj.summary,
            obj.objectives,
            *(place.name for place in places),
        )
        keywords = texts(
            obj.dialogue.name,
            obj.type.name if obj.type else None,
            *(organisation.name for organisation in obj.implementers.all()),
        )
        acronyms = " ".join(o.acronym for o in obj.implementers.all() if o.acronym)
        return IndexEntry(
            title=dict(obj.title),
            body=body,
            url=urls_for("projects:detail", obj.pk),
            dialogue_id=effective_dialogue_id(obj),
            access=effective_access(obj),
            countries=countries,
            date=obj.start,
            languages=languages_of(obj.title, obj.summary, obj.objectives)
            or [obj.dialogue.main_language],
            keywords=" ".join([*keywords.values(), acronyms]).strip(),
        )


register(ProjectSource())
