from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dialogos.core.admin import AuditedAdmin
from dialogos.people.models import Invitation, Person, Role, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, AuditedAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "display_name", "language")}),
        (_("Rights"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["__str__", "country", "organisation", "level", "is_example"]
    list_filter = ["level", "is_example"]
    search_fields = ["given_name", "family_name", "native_name", "email"]
    autocomplete_fields = ["country", "organisation", "user"]


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["user", "dialogue", "role", "country", "granted_at", "revoked_at"]
    list_filter = ["dialogue", "role"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user", "country", "organisation"]
    list_select_related = ["user", "dialogue", "country"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "dialogue",
        "role",
        "country",
        "created_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["dialogue", "role"]
    exclude = ["token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Invitations carry a secret link: they are sent from the workspace, not made here.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
