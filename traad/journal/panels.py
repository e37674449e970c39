"""What the case overview shows from the journal app: goals, the journal and samvær.

The overview lives in the cases app; it asks this module for its panels, so the cases app
does not reach into the journal's models.
"""

from __future__ import annotations

from typing import Any

from traad.cases.models import Case
from traad.journal import rules
from traad.journal.selectors import (
    delivered_hours,
    goals_overview,
    journal_for,
    sessions_for,
)

RECENT_ENTRIES = 5
RECENT_SESSIONS = 5


def case_panels(user: Any, case: Case) -> dict[str, Any]:
    if not rules.can_read_journal(user, case):
        return {"journal_readable": False}
    return {
        "journal_readable": True,
        "journal_writable": rules.can_write_journal(user, case),
        "goal_summaries": goals_overview(case),
        "recent_entries": list(journal_for(user, case)[:RECENT_ENTRIES]),
        "delivered": delivered_hours(case),
        "is_visitation_case": case.is_visitation_case,
        "recent_sessions": list(sessions_for(case)[:RECENT_SESSIONS])
        if case.is_visitation_case
        else [],
    }
