from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from traad.accounts.admin import AdminRoleOnly
from traad.audit.services import diff_values, record_event
from traad.organisations.models import Competence, Language, Municipality, Team
from traad.organisations.services import save_team, team_snapshot


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

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = Municipality.objects.select_for_update().get(pk=obj.pk)
        old = {"caseworkers_cover_each_other": before.caseworkers_cover_each_other}
        new = {"caseworkers_cover_each_other": obj.caseworkers_cover_each_other}
        changes = diff_values(old, new)
        if not changes:
            return
        obj.save(update_fields=["caseworkers_cover_each_other"])
        record_event(actor=request.user, action="municipality.changed", obj=obj, changes=changes)


@admin.register(Competence)
class CompetenceAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("name", "is_active")
    search_fields = ("name",)


@admin.register(Language)
class LanguageAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("name", "code")
    search_fields = ("name", "code")
