"""Raw data of the news for the platform operator; daily work happens on the workspace pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dialogos.core.admin import AuditedAdmin
from dialogos.news.models import (
    Bounce,
    Dispatch,
    NewsImage,
    NewsItem,
    ReviewEntry,
    ReviewIssue,
    Subscriber,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = ["__str__", "slug", "order"]


class NewsImageInline(admin.TabularInline):
    model = NewsImage
    extra = 0
    fields = ["alt", "credit", "order", "width", "height", "content_type"]
    readonly_fields = ["width", "height", "content_type"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # pictures are checked and resized on the workspace page


@admin.register(NewsItem)
class NewsItemAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "status", "published_at", "access_level", "is_example"]
    list_filter = ["dialogue", "status", "access_level", "is_example"]
    search_fields = ["title", "slug"]
    date_hierarchy = "published_at"
    filter_horizontal = ["topics", "meetings"]
    raw_id_fields = ["schedule_decision", "author"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [NewsImageInline]


class ReviewEntryInline(admin.TabularInline):
    model = ReviewEntry
    extra = 0
    raw_id_fields = ["news_item", "meeting"]


@admin.register(ReviewIssue)
class ReviewIssueAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "period_start", "period_end", "status", "sending"]
    list_filter = ["dialogue", "status", "sending"]
    inlines = [ReviewEntryInline]


@admin.register(Subscriber)
class SubscriberAdmin(AuditedAdmin):
    list_display = ["email", "language", "status", "bounces", "confirmed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    filter_horizontal = ["dialogues"]


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ["issue", "email", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "issue"]
    search_fields = ["email"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Bounce)
class BounceAdmin(admin.ModelAdmin):
    """Recorded by ``dialogos news-bounces`` and by refusals while sending; read only."""

    list_display = ["subscriber", "kind", "status", "dispatch", "received_at"]
    list_filter = ["kind"]
    search_fields = ["subscriber__email", "status", "diagnostic"]
    raw_id_fields = ["subscriber", "dispatch"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
