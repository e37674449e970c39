"""Writes of user accounts. The admin pages and the demo seed go through these."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from traad.accounts.models import Role, User
from traad.audit.services import diff_values, record_event


def snapshot(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "role": user.role,
        "team": user.team_id,
        "municipality": user.municipality_id,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
    }


def sync_admin_access(user: User) -> None:
    """Administrators use the administration pages; nobody else does (superusers aside)."""
    user.is_staff = user.role == Role.ADMIN or user.is_superuser


@transaction.atomic
def create_user(*, by: Any, email: str, password: str | None, **fields: Any) -> User:
    user = User(email=email.strip().lower(), **fields)
    sync_admin_access(user)
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean()
    user.save()
    record_event(actor=by, action="user.created", obj=user, changes=diff_values({}, snapshot(user)))
    return user


@transaction.atomic
def save_user_changes(user: User, *, by: Any, before: dict[str, Any] | None) -> User:
    """Persist ``user`` as edited by a form (new when ``before`` is None); audit old → new."""
    created = before is None
    sync_admin_access(user)
    user.save()
    changes = diff_values(before or {}, snapshot(user))
    if created or changes:
        action = "user.created" if created else "user.changed"
        record_event(actor=by, action=action, obj=user, changes=changes)
    return user
