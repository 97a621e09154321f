"""Raw data of meetings for the platform operator; daily work happens on the workspace pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dialogos.core.admin import AuditedAdmin
from dialogos.meetings import services
from dialogos.meetings.models import (
    AgendaDay,
    AgendaSession,
    CalendarFeed,
    Credentials,
    Meeting,
    MeetingDocument,
    MeetingFile,
    MinutesRevision,
    Notification,
    Registration,
    ScheduleChange,
    ScheduleDecision,
    StateQuota,
)


class StateQuotaInline(admin.TabularInline):
    model = StateQuota
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "type", "start", "status", "format", "access_level"]
    list_filter = ["dialogue", "type", "level", "format", "status", "access_level", "is_example"]
    search_fields = ["title", "ical_uid"]
    date_hierarchy = "start"
    readonly_fields = ["ical_uid", "ical_sequence", "created_at", "updated_at"]
    filter_horizontal = ["host_states"]
    inlines = [StateQuotaInline]


@admin.register(AgendaDay)
class AgendaDayAdmin(AuditedAdmin):
    list_display = ["meeting", "date"]


@admin.register(AgendaSession)
class AgendaSessionAdmin(AuditedAdmin):
    list_display = ["__str__", "meeting", "day", "start_time", "access_level"]
    raw_id_fields = ["chairs", "speakers"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(AuditedAdmin):
    list_display = ["__str__", "meeting", "kind", "access_level"]


@admin.register(MeetingFile)
class MeetingFileAdmin(AuditedAdmin):
    list_display = ["original_name", "document", "language", "content_type", "size"]
    readonly_fields = ["file", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]


@admin.register(MinutesRevision)
class MinutesRevisionAdmin(AuditedAdmin):
    list_display = ["minutes", "number", "author", "created_at"]


@admin.register(Registration)
class RegistrationAdmin(AuditedAdmin):
    list_display = ["person", "meeting", "country", "organisation", "status", "waiting_position"]
    list_filter = ["status", "delegation_role", "channel", "meeting__dialogue"]
    raw_id_fields = ["person", "user", "meeting", "nominated_by", "decided_by"]
    search_fields = ["person__family_name", "person__given_name"]


@admin.register(Credentials)
class CredentialsAdmin(AuditedAdmin):
    list_display = ["country", "meeting", "status", "submitted_at"]
    list_filter = ["status"]


@admin.register(ScheduleDecision)
class ScheduleDecisionAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "action", "created_at"]


@admin.register(ScheduleChange)
class ScheduleChangeAdmin(admin.ModelAdmin):
    list_display = ["meeting", "action", "old_start", "new_start", "sequence", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "email", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "email"]
    readonly_fields = ["last_error"]
    actions = ["send_again", "mark_sent"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send again (the mail log shows they did not leave)"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        self._resolve(request, queryset, resend=True)

    @admin.action(description=_("Mark as sent (the mail log shows they left)"))
    def mark_sent(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        self._resolve(request, queryset, resend=False)

    def _resolve(
        self, request: HttpRequest, queryset: QuerySet[Notification], *, resend: bool
    ) -> None:
        try:
            changed = services.resolve_notifications(
                actor=request.user, ids=queryset.values_list("pk", flat=True), resend=resend
            )
        except PermissionDenied as exc:
            self.message_user(request, str(exc), level=messages.ERROR)
            return
        skipped = queryset.count() - changed
        self.message_user(
            request,
            _("%(changed)d e-mails changed; %(skipped)d were neither uncertain nor failed.")
            % {"changed": changed, "skipped": skipped},
        )


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
