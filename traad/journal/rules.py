"""Who may read and write goals, journal entries and samvær sessions of a case.

Reading follows the case (``cases.selectors.visible_to``) but is limited to the provider's staff
who work on it: the journal is the provider's own record. Caseworkers get the signed
samværsbeskrivelser through the caseworker portal (a later issue), not the journal.
"""

from __future__ import annotations

from typing import Any

import rules

from traad.accounts.models import Role
from traad.cases.rules import is_on_case

WORKING_ROLES = (Role.CONSULTANT, Role.COORDINATOR, Role.LEADER)


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def can_read_journal(user: Any, case: Any) -> bool:
    return _active(user) and user.role in WORKING_ROLES and is_on_case(user, case)


@rules.predicate
def can_write_journal(user: Any, case: Any) -> bool:
    """Write notes, goals, ratings and samvær: the people working on a case under way."""
    return (
        _active(user)
        and user.role in WORKING_ROLES
        and case.status in ("assigned", "active", "paused")
        and is_on_case(user, case)
    )


@rules.predicate
def can_edit_entry(user: Any, entry: Any) -> bool:
    """A draft belongs to its author until it is signed."""
    return _active(user) and entry.status == "draft" and entry.author_id == user.pk


@rules.predicate
def can_amend(user: Any, case: Any) -> bool:
    return _active(user) and user.role in WORKING_ROLES and is_on_case(user, case)


rules.add_perm("journal.read", can_read_journal)
rules.add_perm("journal.write", can_write_journal)
rules.add_perm("journal.edit_entry", can_edit_entry)
rules.add_perm("journal.amend", can_amend)
