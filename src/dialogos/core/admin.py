from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from dialogos.core import audit
from dialogos.core.models import AuditEntry, Country


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions are written to the audit log."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                old = type(obj)._default_manager.filter(pk=obj.pk).first()
                before = audit.snapshot(old)
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
                obj=obj,
                before=before,
                after=audit.snapshot(obj),
                source="admin",
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=AuditEntry.Action.DELETE,
                obj=obj,
                before=audit.snapshot(obj),
                source="admin",
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Model]) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(
                    actor=request.user,
                    action=AuditEntry.Action.DELETE,
                    obj=obj,
                    before=audit.snapshot(obj),
                    source="admin",
                )
            super().delete_queryset(request, queryset)


@admin.register(Country)
class CountryAdmin(AuditedAdmin):
    list_display = ["code", "alpha3", "__str__", "is_active"]
    search_fields = ["code", "alpha3", "name"]
    list_filter = ["is_active"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "verb", "object_repr", "source"]
    list_filter = ["action", "source", "content_type"]
    search_fields = ["object_repr", "verb"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
