from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from traad.accounts.admin import AdminRoleOnly
from traad.audit.services import diff_values, record_event
from traad.cases.models import InterventionType


@admin.register(InterventionType)
class InterventionTypeAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[misc]
    """Admins extend the list of intervention types; cases themselves are not in the admin."""

    list_display = (
        "name",
        "legal_basis",
        "is_family_treatment",
        "is_visitation",
        "is_active",
        "position",
    )
    list_editable = ("position",)
    filter_horizontal = ("competences",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = {k: form.initial.get(k) for k in form.changed_data} if change else {}
        obj.save()
        record_event(
            actor=request.user,
            action="settings.intervention_type_saved",
            obj=obj,
            changes=diff_values(before, {k: form.cleaned_data.get(k) for k in form.changed_data}),
        )
