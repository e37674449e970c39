"""Writes of teams. The administration pages go through these so every change is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from traad.audit.services import diff_values, record_event
from traad.organisations.models import Team


def team_snapshot(team: Team) -> dict[str, Any]:
    return {"name": team.name, "is_active": team.is_active}


@transaction.atomic
def save_team(team: Team, *, by: Any, before: dict[str, Any] | None) -> Team:
    """Persist ``team`` (new when ``before`` is None) and audit old → new."""
    created = before is None
    team.save()
    changes = diff_values(before or {}, team_snapshot(team))
    if created or changes:
        record_event(
            actor=by,
            action="team.created" if created else "team.changed",
            obj=team,
            changes=changes,
        )
    return team
