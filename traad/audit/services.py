"""Writing the audit log. Service functions call ``record_event`` inside their transaction."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from traad.audit.context import current_ip
from traad.audit.models import AuditEvent

MASK = "***"
# Keys whose values never reach the log in clear text (old and new values alike).
SENSITIVE_KEYS = frozenset({"cpr", "cpr_number", "password", "token", "secret", "key"})


def is_sensitive(key: str) -> bool:
    key = key.lower()
    return key in SENSITIVE_KEYS or key.endswith(("_cpr", "password", "_token", "_secret"))


def mask_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {key: (MASK if is_sensitive(key) else value) for key, value in changes.items()}


def diff_values(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{"field": [old, new]}`` for every key whose value differs, sensitive ones masked."""
    out: dict[str, list[Any]] = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before != after:
            out[key] = [MASK, MASK] if is_sensitive(key) else [_jsonable(before), _jsonable(after)]
    return out


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Decimal):
        # 6, 6.0 and 6.00 are one amount: log it one way.
        return format(value.normalize(), "f")
    return str(value)


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    case_id: int | None = None,
    person_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` is a user, or None for the system (jobs, migrations)."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=getattr(actor, "email", "") if is_user else "system",
        ip_address=current_ip.get(),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        case_id=case_id,
        person_id=person_id,
        changes=mask_changes(changes or {}),
    )
