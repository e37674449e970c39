"""Reads of the concern level and the notifications of concern (underretninger).

The current concern level of a case is its latest assessment. Lists that show many cases get
it annotated in the database (``with_concern_level``), never one query per case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from traad.accounts.models import Role
from traad.cases.models import OPEN_STATUSES, Case
from traad.cases.selectors import visible_to
from traad.safety.models import RAISED_LEVELS, ConcernAssessment, Notification


def current_concern(case: Case) -> ConcernAssessment | None:
    """The case's latest assessment, or None if its concern level has never been set."""
    return (
        ConcernAssessment.objects.filter(case=case)
        .select_related("set_by")
        .order_by("-set_at", "-id")
        .first()
    )


def concern_history(case: Case) -> QuerySet[ConcernAssessment]:
    """Every assessment of the case, newest first, with who set it."""
    return (
        ConcernAssessment.objects.filter(case=case)
        .select_related("set_by")
        .order_by("-set_at", "-id")
    )


def with_concern_level(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``concern_level`` and ``concern_since`` (when it was set) from each case's
    latest assessment: one subquery each, so a list costs the same for 1 and for 100 cases."""
    latest = ConcernAssessment.objects.filter(case=OuterRef("pk")).order_by("-set_at", "-id")
    return cases.annotate(
        concern_level=Subquery(latest.values("level")[:1]),
        concern_since=Subquery(latest.values("set_at")[:1]),
    )


def raised_concern_cases_for(user: Any) -> QuerySet[Case]:
    """Open cases whose current concern level is high or acute: a leader's team cases, a
    coordinator's own cases and their team's. Other roles get none (they see their cases'
    level on the case itself)."""
    role = getattr(user, "role", "")
    cases = visible_to(user).filter(status__in=OPEN_STATUSES)
    if role == Role.COORDINATOR:
        mine = Q(coordinator=user)
        if user.team_id is not None:
            mine |= Q(team_id=user.team_id)
        cases = cases.filter(mine)
    elif role != Role.LEADER:
        return cases.none()
    return (
        with_concern_level(cases)
        .filter(concern_level__in=RAISED_LEVELS)  # type: ignore[misc]  # annotated above
        .select_related("coordinator")
        .order_by("-concern_since", "-id")
    )


def notifications_of(case: Case) -> QuerySet[Notification]:
    """The case's notifications of concern, newest first."""
    return (
        Notification.objects.filter(case=case)
        .select_related("municipality", "made_by")
        .order_by("-made_at", "-id")
    )


def awaiting_receipt_for(user: Any) -> QuerySet[Notification]:
    """Notifications on the cases ``user`` may see that have no receipt yet, oldest first."""
    return (
        Notification.objects.filter(case__in=visible_to(user), receipt_at__isnull=True)
        .select_related("case")
        .order_by("receipt_due_on", "made_at", "id")
    )


def due_for_reminder(today: dt.date) -> QuerySet[Notification]:
    """Notifications without a receipt whose 6 working days have passed (the due date is
    before ``today``) and which have not had their reminder."""
    return Notification.objects.filter(
        receipt_at__isnull=True, reminder_sent_at__isnull=True, receipt_due_on__lt=today
    ).order_by("receipt_due_on", "id")


@dataclass(frozen=True)
class ConcernPanel:
    """What the case overview shows about concern: the level, the flags and the open
    notifications (``open_since``: when the oldest one without a receipt was made)."""

    current: ConcernAssessment | None
    flagged: bool
    earlier_violence: bool
    earlier_abuse: bool
    notification_count: int
    open_count: int
    open_since: dt.datetime | None
    overdue_count: int


def concern_panel(case: Case, *, today: dt.date) -> ConcernPanel:
    current = current_concern(case)
    flags = ConcernAssessment.objects.filter(case=case)
    notifications = list(Notification.objects.filter(case=case).order_by("made_at", "id"))
    open_ones = [n for n in notifications if n.receipt_at is None]
    return ConcernPanel(
        current=current,
        flagged=bool(notifications),
        earlier_violence=flags.filter(earlier_violence=True).exists(),
        earlier_abuse=flags.filter(earlier_abuse=True).exists(),
        notification_count=len(notifications),
        open_count=len(open_ones),
        open_since=open_ones[0].made_at if open_ones else None,
        overdue_count=sum(1 for n in open_ones if n.receipt_due_on < today),
    )
