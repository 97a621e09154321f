"""Raw data of the library for the platform operator; daily work happens on workspace pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dialogos.core.admin import AuditedAdmin
from dialogos.library.models import (
    CountryProfile,
    Document,
    LibraryFile,
    Practice,
    PracticeCall,
    PracticeEvent,
    ProfileEvent,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = ["__str__", "slug", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["slug", "name"]


class FileInline(admin.TabularInline):
    model = LibraryFile
    extra = 0
    fields = ["language", "version", "is_current", "original_name", "size", "downloads"]
    readonly_fields = ["language", "version", "is_current", "original_name", "size", "downloads"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "type", "date", "access_level", "is_example"]
    list_filter = ["dialogue", "type", "access_level", "is_example"]
    search_fields = ["title"]
    date_hierarchy = "date"
    raw_id_fields = ["meeting"]
    filter_horizontal = ["topics", "countries", "bodies", "related_dialogues"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [FileInline]


@admin.register(PracticeCall)
class PracticeCallAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "opens", "deadline", "access_level"]
    list_filter = ["dialogue"]


class PracticeEventInline(admin.TabularInline):
    model = PracticeEvent
    extra = 0


@admin.register(Practice)
class PracticeAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "country", "status", "published_at", "access_level"]
    list_filter = ["dialogue", "status", "access_level", "is_example"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["topics", "countries"]
    inlines = [PracticeEventInline, FileInline]


class ProfileEventInline(admin.TabularInline):
    model = ProfileEvent
    extra = 0


@admin.register(CountryProfile)
class CountryProfileAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "country", "kind", "status", "published_at"]
    list_filter = ["dialogue", "kind", "status", "is_example"]
    search_fields = ["title", "country__code"]
    filter_horizontal = ["topics"]
    inlines = [ProfileEventInline, FileInline]


@admin.register(LibraryFile)
class LibraryFileAdmin(AuditedAdmin):
    list_display = ["original_name", "language", "version", "is_current", "size", "downloads"]
    list_filter = ["is_current", "extension"]
    readonly_fields = [
        "file",
        "content_type",
        "size",
        "sha256",
        "text",
        "downloads",
        "uploaded_by",
        "uploaded_at",
    ]
    raw_id_fields = ["document", "practice", "profile"]
