from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from traad.accounts.models import ConsultantProfile, Role, User
from traad.accounts.services import save_user_changes, snapshot
from traad.audit.services import record_event


def is_admin_role(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and (user.role == Role.ADMIN or user.is_superuser))


class AdminRoleOnly:
    """The admin pages are for the admin role. Deleting is never offered: deactivate instead."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin_role(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_role(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_role(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_role(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UserCreation(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "team", "municipality")


class UserChange(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ConsultantProfileInline(admin.StackedInline):  # type: ignore[type-arg]
    """Competences, languages, capacity and area that intake matches referrals against."""

    model = ConsultantProfile
    can_delete = False
    filter_horizontal = ("competences", "languages")
    verbose_name_plural = _("Consultant profile (for matching)")


@admin.register(User)
class UserAdmin(AdminRoleOnly, DjangoUserAdmin):  # type: ignore[misc]
    inlines = (ConsultantProfileInline,)
    form = UserChange
    add_form = UserCreation
    ordering = ("full_name",)
    list_display = ("full_name", "email", "role", "team", "municipality", "is_active")
    list_filter = ("role", "team", "is_active")
    search_fields = ("full_name", "email")
    autocomplete_fields = ("municipality",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "phone")}),
        (_("Role"), {"fields": ("role", "team", "municipality", "is_active")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "team",
                    "municipality",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(User.objects.get(pk=obj.pk)) if change else None
        save_user_changes(obj, by=request.user, before=before)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save()
        changed = sorted({name for f in formset.forms for name in f.changed_data})
        if changed:
            record_event(
                actor=request.user,
                action="user.profile_changed",
                obj=form.instance,
                changes={"fields": changed},
            )
