"""Raw data of outcome texts for the platform operator; daily work happens on the workspace
pages, which keep the rules of the negotiation (the admin does not)."""

from __future__ import annotations

from django.contrib import admin

from dialogos.core.admin import AuditedAdmin
from dialogos.texts.models import (
    Circulation,
    Comment,
    Objection,
    OutcomeText,
    Paragraph,
    TextNotification,
    TextVersion,
)


class VersionInline(admin.TabularInline):
    model = TextVersion
    extra = 0
    fields = ["number", "issued_at", "access_level"]
    show_change_link = True


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0
    fields = ["position", "label", "is_heading", "content"]


@admin.register(OutcomeText)
class OutcomeTextAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "kind", "status", "adopted_at", "access_level"]
    list_filter = ["dialogue", "kind", "status", "access_level", "is_example"]
    search_fields = ["title"]
    raw_id_fields = ["adopted_at_meeting", "adopted_version", "document", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [VersionInline]


@admin.register(TextVersion)
class TextVersionAdmin(AuditedAdmin):
    list_display = ["__str__", "number", "issued_at", "access_level"]
    raw_id_fields = ["text", "based_on", "created_by"]
    inlines = [ParagraphInline]


@admin.register(Circulation)
class CirculationAdmin(AuditedAdmin):
    list_display = ["__str__", "kind", "deadline", "outcome"]
    list_filter = ["kind", "outcome"]
    raw_id_fields = ["version", "body", "created_by"]
    filter_horizontal = ["states"]


@admin.register(Comment)
class CommentAdmin(AuditedAdmin):
    list_display = ["__str__", "circulation", "paragraph", "status", "decision", "sent_at"]
    list_filter = ["kind", "status", "decision"]
    raw_id_fields = ["circulation", "paragraph", "author", "sent_by"]


@admin.register(Objection)
class ObjectionAdmin(AuditedAdmin):
    list_display = ["__str__", "circulation", "raised_by", "raised_at"]
    raw_id_fields = ["circulation", "raised_by"]


@admin.register(TextNotification)
class TextNotificationAdmin(admin.ModelAdmin[TextNotification]):
    list_display = ["__str__", "kind", "status", "created_at", "sent_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["key", "circulation", "user", "created_at", "sent_at", "attempts"]
