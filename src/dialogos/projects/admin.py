"""Raw data of projects for the platform operator; daily work happens on the workspace pages."""

from __future__ import annotations

from django.contrib import admin

from dialogos.core.admin import AuditedAdmin
from dialogos.projects.models import (
    Funding,
    Indicator,
    IndicatorCategory,
    Place,
    Project,
    ProjectMember,
    ProjectType,
    ResultValue,
)


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0


class MemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    raw_id_fields = ["user"]


class CategoryInline(admin.TabularInline):
    model = IndicatorCategory
    extra = 0


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "type", "status", "start", "end", "access_level"]
    list_filter = ["dialogue", "status", "access_level", "type"]
    search_fields = ["title"]
    date_hierarchy = "start"
    readonly_fields = ["created_at", "updated_at"]
    filter_horizontal = ["countries", "places", "implementers"]
    inlines = [FundingInline, MemberInline]


@admin.register(ProjectType)
class ProjectTypeAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "slug", "order"]
    list_filter = ["dialogue"]


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "country", "latitude", "longitude"]
    list_filter = ["dialogue", "country"]
    search_fields = ["name"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["__str__", "project", "frequency", "order"]
    list_filter = ["frequency", "project__dialogue"]
    search_fields = ["title"]
    raw_id_fields = ["project"]
    inlines = [CategoryInline]


@admin.register(ResultValue)
class ResultValueAdmin(AuditedAdmin):
    list_display = ["indicator", "category", "period", "value", "entered_by", "entered_at"]
    list_filter = ["indicator__project__dialogue"]
    date_hierarchy = "period"
    raw_id_fields = ["indicator", "category", "entered_by"]
