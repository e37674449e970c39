from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from traad.accounts.admin import AdminRoleOnly
from traad.organisations.models import Competence, Language, Municipality, Team
from traad.organisations.services import (
    save_team,
    set_caseworkers_cover_each_other,
    team_snapshot,
)


@admin.register(Team)
class TeamAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("name", "is_active")
    search_fields = ("name",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = team_snapshot(Team.objects.get(pk=obj.pk)) if change else None
        save_team(obj, by=request.user, before=before)


@admin.register(Municipality)
class MunicipalityAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("code", "name", "region", "caseworkers_cover_each_other")
    list_filter = ("region", "caseworkers_cover_each_other")
    search_fields = ("name", "code")
    # The 98 municipalities are fixed by law (a data migration); the administrator only
    # decides whether a municipality's caseworkers cover for each other in the portal.
    fields = ("code", "name", "region", "caseworkers_cover_each_other")
    readonly_fields = ("code", "name", "region")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        set_caseworkers_cover_each_other(
            obj, by=request.user, value=obj.caseworkers_cover_each_other
        )


@admin.register(Competence)
class CompetenceAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("name", "is_active")
    search_fields = ("name",)


@admin.register(Language)
class LanguageAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("name", "code")
    search_fields = ("name", "code")
