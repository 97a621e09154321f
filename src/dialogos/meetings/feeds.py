"""Atom feed of meetings: what the public may see, with the list's filters, in one language.

Feed readers carry no session, so the feed always shows the public's view, whoever asks; a
dialogue's members follow their other meetings through their private calendar feed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from dialogos.meetings.models import Meeting
from dialogos.meetings.views import MeetingFilters, filtered_meetings

FEED_SIZE = 50


class MeetingsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> MeetingFilters:
        return MeetingFilters.from_query(request.GET)

    def title(self, obj: MeetingFilters) -> str:
        return _("Meetings · Dialogos")

    def subtitle(self, obj: MeetingFilters) -> str:
        return _("Meetings of the migration dialogues on Dialogos, with changes of schedule.")

    def link(self, obj: MeetingFilters) -> str:
        query = obj.query()
        return reverse("meetings:list") + (f"?{query}" if query else "")

    def items(self, obj: MeetingFilters) -> list[Meeting]:
        meetings = filtered_meetings(AnonymousUser(), obj).select_related("dialogue", "country")
        return list(meetings[:FEED_SIZE])

    def item_title(self, item: Meeting) -> str:
        title = f"{item.title} — {item.local_start():%Y-%m-%d}"
        if item.status not in {Meeting.Status.PLANNED, Meeting.Status.CONFIRMED}:
            title += f" ({item.get_status_display()})"
        return title

    def item_description(self, item: Meeting) -> str:
        parts = [str(item.dialogue.name), str(item.get_type_display())]
        place = ", ".join(
            p for p in (str(item.city), str(item.country.name) if item.country else "") if p
        )
        if place:
            parts.append(place)
        parts.append(str(item.get_status_display()))
        text = " · ".join(parts)
        objectives = str(item.objectives)
        return f"{text}\n\n{objectives}" if objectives else text

    def item_link(self, item: Meeting) -> str:
        return reverse("meetings:detail", args=[item.pk])

    def item_guid(self, item: Meeting) -> str:
        return item.ical_uid

    def item_guid_is_permalink(self, item: Meeting) -> bool:
        return False

    def item_pubdate(self, item: Meeting) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Meeting) -> datetime.datetime:
        return item.updated_at

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response
