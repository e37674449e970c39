"""Reads of goals, the journal and samvær. Access: ``get_case_for`` (404) and then the
``journal.read`` rule; every function here assumes the caller has checked both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from traad.accounts.models import Role
from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import visible_to
from traad.journal.models import (
    EntryStatus,
    Goal,
    GoalRating,
    JournalEntry,
    VisitationSession,
)

SEARCH_CONFIG = "danish"


def search_entries(entries: QuerySet[JournalEntry], query: str) -> QuerySet[JournalEntry]:
    """Full-text search: PostgreSQL's ``danish`` configuration (stemming, so "besøg" finds
    "besøget", served by a GIN index); on SQLite every word must occur as typed."""
    query = query.strip()
    if not query:
        return entries
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        return entries.annotate(search=journal_search_vector()).filter(
            search=SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        )
    for word in query.split():
        entries = entries.filter(
            Q(description__icontains=word)
            | Q(reflections__icontains=word)
            | Q(participants__icontains=word)
        )
    return entries


def journal_search_vector() -> Any:
    # Keep in step with the GIN index in migrations/0002_journal_search_index.py.
    from django.contrib.postgres.search import SearchVector

    return SearchVector("description", "reflections", "participants", config=SEARCH_CONFIG)


@dataclass(frozen=True)
class JournalFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""
    goal_id: int | None = None
    author_id: int | None = None
    query: str = ""


def _with_entry_data(entries: QuerySet[JournalEntry]) -> QuerySet[JournalEntry]:
    return entries.select_related("author", "case").prefetch_related("goals", "amendments__author")


def journal_for(
    user: Any, case: Case, filters: JournalFilters | None = None
) -> QuerySet[JournalEntry]:
    """A case's journal, newest first: signed entries, and the user's own drafts."""
    filters = filters or JournalFilters()
    entries = JournalEntry.objects.filter(case=case).filter(
        Q(status=EntryStatus.SIGNED) | Q(author=user)
    )
    if filters.date_from:
        entries = entries.filter(date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(date__lte=filters.date_to)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.goal_id:
        entries = entries.filter(goals__id=filters.goal_id)
    if filters.author_id:
        entries = entries.filter(author_id=filters.author_id)
    entries = search_entries(entries, filters.query)
    return _with_entry_data(entries).order_by("-date", "-start_time", "-id").distinct()


def search_own_journal(user: Any, query: str) -> QuerySet[JournalEntry]:
    """Search the journals of the cases the user works on (signed entries and own drafts)."""
    if user.role not in (Role.CONSULTANT, Role.COORDINATOR, Role.LEADER):
        return JournalEntry.objects.none()
    cases = visible_to(user)
    entries = JournalEntry.objects.filter(case__in=cases).filter(
        Q(status=EntryStatus.SIGNED) | Q(author=user)
    )
    return _with_entry_data(search_entries(entries, query)).order_by("-date", "-id")[:200]


def unsigned_drafts_for(user: Any) -> QuerySet[JournalEntry]:
    return (
        JournalEntry.objects.filter(author=user, status=EntryStatus.DRAFT)
        .select_related("case")
        .order_by("-updated_at")
    )


def get_entry_for(user: Any, entry_id: int) -> JournalEntry:
    """An entry of a case the user may read (404 otherwise); drafts only for their author."""
    from django.http import Http404

    from traad.journal.rules import can_read_journal

    entry = (
        JournalEntry.objects.select_related("case", "author")
        .filter(pk=entry_id, case__in=visible_to(user))
        .first()
    )
    if entry is None or not can_read_journal(user, entry.case):
        raise Http404
    if entry.status == EntryStatus.DRAFT and entry.author_id != user.pk:
        raise Http404
    return entry


def view_entry(user: Any, entry_id: int) -> JournalEntry:
    entry = get_entry_for(user, entry_id)
    record_event(actor=user, action="journal.viewed", obj=entry, case_id=entry.case_id)
    return entry


@dataclass(frozen=True)
class GoalSummary:
    goal: Goal
    latest: GoalRating | None
    previous: GoalRating | None

    @property
    def trend(self) -> int | None:
        """Change from the previous rating to the latest (positive is progress)."""
        if self.latest is None or self.previous is None:
            return None
        return self.latest.score - self.previous.score


def goals_overview(case: Case) -> list[GoalSummary]:
    ratings = GoalRating.objects.order_by("rated_on", "created_at", "id")
    goals = (
        Goal.objects.filter(case=case)
        .select_related("child")
        .prefetch_related(Prefetch("ratings", queryset=ratings, to_attr="rating_list"))
    )
    summaries = []
    for goal in goals:
        history = goal.rating_list  # type: ignore[attr-defined]
        summaries.append(
            GoalSummary(
                goal=goal,
                latest=history[-1] if history else None,
                previous=history[-2] if len(history) > 1 else None,
            )
        )
    return summaries


@dataclass(frozen=True)
class DeliveredHours:
    weeks: int
    delivered_per_week: Decimal
    approved_per_week: Decimal | None

    @property
    def share(self) -> int | None:
        if not self.approved_per_week:
            return None
        return round(self.delivered_per_week / self.approved_per_week * 100)


def delivered_hours(case: Case, *, weeks: int = 4, today: dt.date | None = None) -> DeliveredHours:
    """Average hours per week of signed contact in the last ``weeks`` weeks (journal) against
    the approved hours of the current order."""
    from traad.cases.services import latest_order

    today = today or timezone.localdate()
    since = today - dt.timedelta(weeks=weeks)
    entries = JournalEntry.objects.filter(
        case=case, status=EntryStatus.SIGNED, date__gt=since, date__lte=today
    ).only("date", "start_time", "end_time")
    minutes = sum(entry.duration_minutes or 0 for entry in entries)
    order = latest_order(case)
    per_week = (Decimal(minutes) / 60 / weeks).quantize(Decimal("0.1"))
    return DeliveredHours(
        weeks=weeks,
        delivered_per_week=per_week,
        approved_per_week=order.approved_hours_per_week if order else None,
    )


def sessions_for(case: Case) -> QuerySet[VisitationSession]:
    return (
        VisitationSession.objects.filter(case=case)
        .select_related("author", "signed_by")
        .prefetch_related("amendments__author")
        .order_by("-starts_at", "-id")
    )


def signed_sessions_in_period(
    case: Case, date_from: dt.date, date_to: dt.date
) -> QuerySet[VisitationSession]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return (
        VisitationSession.objects.filter(
            case=case, signed_at__isnull=False, starts_at__gte=start, starts_at__lt=end
        )
        .prefetch_related("amendments__author")
        .select_related("author", "signed_by")
        .order_by("starts_at")
    )
