"""Raw data of action plans for the platform operator; daily work happens on the workspace
pages. The admin writes the tree's ``path`` and ``depth`` as it finds them: move items on the
workspace pages, which keep the tree consistent and recompute progress."""

from __future__ import annotations

from django.contrib import admin

from dialogos.core.admin import AuditedAdmin
from dialogos.plans.models import (
    ActionPlan,
    Indicator,
    IndicatorValue,
    ItemLink,
    ItemState,
    PlanItem,
    ProgressStatus,
    ReportAnswer,
    ReportingCycle,
    ReportReminder,
    ReportValue,
    StateReport,
)


@admin.register(ProgressStatus)
class ProgressStatusAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "code", "progress", "order", "is_default"]
    list_filter = ["dialogue"]


@admin.register(ActionPlan)
class ActionPlanAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "period_start", "period_end", "status", "progress"]
    list_filter = ["dialogue", "status", "access_level"]
    search_fields = ["title", "slug"]
    readonly_fields = ["progress", "progress_computed_at"]
    raw_id_fields = ["meeting", "text"]


class ItemStateInline(admin.TabularInline):
    model = ItemState
    extra = 0
    raw_id_fields = ["country"]


@admin.register(PlanItem)
class PlanItemAdmin(AuditedAdmin):
    list_display = ["__str__", "plan", "kind", "depth", "weight", "status", "progress"]
    list_filter = ["plan", "kind", "depth"]
    search_fields = ["title", "code"]
    readonly_fields = ["path", "depth", "progress"]
    raw_id_fields = ["parent", "plan"]
    inlines = [ItemStateInline]


@admin.register(ItemLink)
class ItemLinkAdmin(AuditedAdmin):
    list_display = ["__str__", "item", "meeting", "url"]
    raw_id_fields = ["item", "meeting"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["__str__", "item", "unit", "baseline", "target"]
    raw_id_fields = ["item"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(AuditedAdmin):
    list_display = ["__str__", "indicator", "country", "report"]
    raw_id_fields = ["indicator", "report"]


@admin.register(ReportingCycle)
class ReportingCycleAdmin(AuditedAdmin):
    list_display = ["__str__", "plan", "deadline", "status"]
    list_filter = ["status"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["items", "indicators"]


class ReportAnswerInline(admin.TabularInline):
    model = ReportAnswer
    extra = 0
    raw_id_fields = ["item"]


@admin.register(StateReport)
class StateReportAdmin(AuditedAdmin):
    list_display = ["__str__", "cycle", "country", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["cycle"]
    inlines = [ReportAnswerInline]


@admin.register(ReportValue)
class ReportValueAdmin(AuditedAdmin):
    list_display = ["__str__", "report", "indicator", "value"]
    raw_id_fields = ["report", "indicator"]


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cycle", "country", "days_before", "created_at", "sent_at"]
    raw_id_fields = ["cycle", "user"]
