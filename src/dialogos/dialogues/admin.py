from __future__ import annotations

from django.contrib import admin

from dialogos.core.admin import AuditedAdmin
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Dialogue,
    Grouping,
    GroupingMembership,
    Office,
    Organisation,
    Participation,
)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["__str__", "slug", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["slug", "acronym", "name"]


class GroupingMembershipInline(admin.TabularInline):
    model = GroupingMembership
    extra = 0
    autocomplete_fields = ["country"]


@admin.register(Grouping)
class GroupingAdmin(AuditedAdmin):
    list_display = ["__str__", "slug", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["slug", "name"]
    inlines = [GroupingMembershipInline]


@admin.register(Dialogue)
class DialogueAdmin(AuditedAdmin):
    list_display = ["__str__", "slug", "founded", "main_language", "order"]
    search_fields = ["slug", "name"]
    filter_horizontal = ["groupings"]


@admin.register(Participation)
class ParticipationAdmin(AuditedAdmin):
    list_display = ["dialogue", "country", "organisation", "status", "start", "end"]
    list_filter = ["dialogue", "status"]
    autocomplete_fields = ["country", "organisation"]
    list_select_related = ["dialogue", "country", "organisation"]


class BodyMembershipInline(admin.TabularInline):
    model = BodyMembership
    extra = 0
    autocomplete_fields = ["country", "organisation"]


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ["__str__", "dialogue", "kind", "access_level", "order"]
    list_filter = ["dialogue", "kind", "access_level"]
    search_fields = ["slug", "name"]
    inlines = [BodyMembershipInline]


@admin.register(Office)
class OfficeAdmin(AuditedAdmin):
    list_display = ["dialogue", "kind", "body", "country", "organisation", "start", "end"]
    list_filter = ["dialogue", "kind"]
    autocomplete_fields = ["country", "organisation"]
    list_select_related = ["dialogue", "body", "country", "organisation"]
