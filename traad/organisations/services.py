"""Writes of teams and municipality settings, each audited (the admin pages use these)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from traad.audit.services import diff_values, record_event
from traad.organisations.models import Municipality, Team


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


@transaction.atomic
def set_caseworkers_cover_each_other(
    municipality: Municipality, *, by: Any, value: bool
) -> Municipality:
    """Whether the municipality's caseworkers see each other's cases in the portal."""
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    changes = diff_values(
        {"caseworkers_cover_each_other": municipality.caseworkers_cover_each_other},
        {"caseworkers_cover_each_other": value},
    )
    if changes:
        municipality.caseworkers_cover_each_other = value
        municipality.save(update_fields=["caseworkers_cover_each_other"])
        record_event(actor=by, action="municipality.changed", obj=municipality, changes=changes)
    return municipality
