"""What a new report starts from: the case's goals, journal, Signs of Safety map and the child's
own words, for the report's period. Pure reads; ``services.start_report`` stores the result.

The pre-filled text is Danish (the report goes to the municipality) whatever the screen's
language, and it is only a starting point: staff edit every part before it goes for review.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from traad.cases.models import Case
from traad.journal.models import (
    EntryStatus,
    FocusArea,
    Goal,
    GoalRating,
    GoalStatus,
    JournalEntry,
)
from traad.reports.models import Report, ReportKind, ReportState
from traad.safety.models import DangerPair, FollowUpMeeting, MapPart, ThreeHouses
from traad.safety.selectors.maps import map_of

# The aim is a report the caseworker reads: at most this many pages (domain.md, workflow 8).
PAGE_LIMIT = 4


@dataclass
class GoalDraft:
    goal: Goal
    score: int | None
    previous_score: int | None


@dataclass
class DraftContent:
    goals: list[GoalDraft] = field(default_factory=list)
    sos_meeting: FollowUpMeeting | None = None
    sos_works: str = ""
    sos_worries: str = ""
    sos_next: str = ""
    child_perspective: str = ""


def previous_sent(case: Case, *, before: Report | None = None) -> Report | None:
    """The latest sent status or end report of the case (the last thing the caseworker read)."""
    reports = Report.objects.filter(case=case, state=ReportState.SENT).exclude(
        kind=ReportKind.ADHOC
    )
    if before is not None and before.pk:
        reports = reports.exclude(pk=before.pk)
    return reports.order_by("-period_end", "-sent_at").first()


def default_period(case: Case, *, until: dt.date) -> tuple[dt.date, dt.date]:
    """From the day after the last sent report (or the start of the intervention) to ``until``."""
    last = previous_sent(case)
    if last is not None and last.period_end < until:
        start = last.period_end + dt.timedelta(days=1)
    elif case.first_contact_at is not None:
        start = timezone.localtime(case.first_contact_at).date()
    else:
        start = timezone.localtime(case.received_at).date()
    return min(start, until), until


def _score_on(ratings: list[GoalRating], day: dt.date) -> int | None:
    """The latest score given on or before ``day``."""
    score = None
    for rating in ratings:  # oldest first
        if rating.rated_on <= day:
            score = rating.score
    return score


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def goal_drafts(case: Case, period_start: dt.date, period_end: dt.date) -> list[GoalDraft]:
    """The goals a report covers: active ones, and those reached or dropped in the period,
    with the score at the end of the period and the score just before it began."""
    ratings = GoalRating.objects.order_by("rated_on", "created_at", "id")
    goals = (
        Goal.objects.filter(case=case)
        .filter(
            # Active now, or reached/dropped during the period or after it (an overdue report
            # written later still covers a goal that was active in its period).
            Q(status=GoalStatus.ACTIVE) | Q(status_changed_at__gte=_start_of(period_start))
        )
        .prefetch_related(Prefetch("ratings", queryset=ratings, to_attr="rating_list"))
        .order_by("focus_area", "created_at", "id")
    )
    day_before = period_start - dt.timedelta(days=1)
    return [
        GoalDraft(
            goal=goal,
            score=_score_on(goal.rating_list, period_end),  # type: ignore[attr-defined]
            previous_score=_score_on(goal.rating_list, day_before),  # type: ignore[attr-defined]
        )
        for goal in goals
    ]


def excerpt_candidates(
    goal: Goal, period_start: dt.date, period_end: dt.date
) -> QuerySet[JournalEntry]:
    """Signed journal notes of the period that worked on ``goal``: what staff pick from."""
    return (
        JournalEntry.objects.filter(
            goals=goal,
            status=EntryStatus.SIGNED,
            date__gte=period_start,
            date__lte=period_end,
        )
        .select_related("author")
        .order_by("date", "start_time", "id")
    )


def _bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line.strip()}" for line in lines if line.strip())


def latest_meeting_until(case: Case, day: dt.date) -> FollowUpMeeting | None:
    return (
        FollowUpMeeting.objects.filter(case=case, held_on__lte=day)
        .order_by("-held_on", "-created_at", "-id")
        .first()
    )


def sos_texts(meeting: FollowUpMeeting) -> tuple[str, str, str]:
    """What works, what worries, and what should happen, from the map of ``meeting``."""
    safety_map = map_of(meeting)
    items = safety_map.items
    works = _bullets(item.text for item in items[MapPart.STRENGTHS] + items[MapPart.SAFETY])
    worries = _bullets(
        [item.text for item in items[MapPart.HARM]]
        + [pair.danger_statement for pair in safety_map.pairs]
        + [item.text for item in items[MapPart.COMPLICATING]]
    )
    steps = []
    for item in safety_map.next_steps:
        owner = item.owner.full_name if item.owner else item.owner_name
        detail = ", ".join(
            part
            for part in (
                owner,
                date_format(item.due_on, "SHORT_DATE_FORMAT") if item.due_on else "",
            )
            if part
        )
        steps.append(f"{item.text} ({detail})" if detail else item.text)
    needs = _bullets([pair.safety_goal for pair in safety_map.pairs] + steps)
    return works, worries, needs


def child_perspective_text(case: Case, period_start: dt.date, period_end: dt.date) -> str:
    """The child's own words: the latest Three Houses of each child in the period, and what
    the children have said about their goals."""
    parts: list[str] = []
    seen: set[int] = set()
    for record in (
        ThreeHouses.objects.filter(
            case=case, spoken_on__gte=period_start, spoken_on__lte=period_end
        )
        .select_related("child")
        .order_by("-spoken_on", "-id")
    ):
        if record.child_id in seen:
            continue
        seen.add(record.child_id)
        lines = [
            _("%(child)s, %(date)s:")
            % {
                "child": record.child.name,
                "date": date_format(record.spoken_on, "SHORT_DATE_FORMAT"),
            }
        ]
        for label, text in (
            (_("Worries"), record.worries),
            (_("Good things"), record.good_things),
            (_("Dreams"), record.dreams),
        ):
            if text.strip():
                lines.append(f"- {label}: {text.strip()}")
        parts.append("\n".join(lines))
    wishes = [
        f"- {goal.title}: {goal.child_perspective.strip()}"
        for goal in Goal.objects.filter(case=case, status=GoalStatus.ACTIVE).order_by("id")
        if goal.child_perspective.strip()
    ]
    if wishes:
        parts.append("\n".join([_("About the goals:"), *wishes]))
    return "\n\n".join(parts)


def draft_content(case: Case, period_start: dt.date, period_end: dt.date) -> DraftContent:
    with translation.override(settings.LANGUAGE_CODE):
        content = DraftContent(goals=goal_drafts(case, period_start, period_end))
        meeting = latest_meeting_until(case, period_end)
        if meeting is not None:
            content.sos_meeting = meeting
            content.sos_works, content.sos_worries, content.sos_next = sos_texts(meeting)
        content.child_perspective = child_perspective_text(case, period_start, period_end)
    return content


# --- Length ---------------------------------------------------------------------------------

# Measured on WeasyPrint output of the report template (A4, 11 pt): about 2,600 characters of
# running text per page; the letterhead, case block and goal table take about half a page; each
# scale chart about a fifth; each goal heading with its score line about a tenth.
CHARS_PER_PAGE = 2600
FIXED_PAGES = 0.5
PAGES_PER_CHART = 0.2
PAGES_PER_GOAL = 0.1


def excerpt_text(entry: JournalEntry) -> str:
    """What a report quotes from a journal note: its description (the facts), not the
    consultant's reflections."""
    return entry.description.strip()


def estimate_pages(report: Report) -> int:
    """An estimate of the report's printed length in whole pages."""
    text = sum(
        len(value)
        for value in (
            report.sos_works,
            report.sos_worries,
            report.sos_next,
            report.child_perspective,
            report.assessment,
            report.recommendation_reasons,
        )
    )
    goals = list(report.goal_sections.prefetch_related("excerpts")) if report.pk else []
    text += sum(len(section.text) for section in goals)
    text += sum(
        len(excerpt_text(entry)) + 40 for section in goals for entry in section.excerpts.all()
    )
    charts = (
        DangerPair.objects.filter(meeting_id=report.sos_meeting_id).count()
        if report.sos_meeting_id
        else 0
    )
    pages = FIXED_PAGES + text / CHARS_PER_PAGE + charts * PAGES_PER_CHART
    pages += len(goals) * PAGES_PER_GOAL
    return max(1, math.ceil(pages))


def goals_by_side(sections: Iterable[object]) -> list[tuple[str, str, list[object]]]:
    """(side, label, sections) for each ICS side, in the order of ICS, empty sides kept."""
    grouped: dict[str, list[object]] = {side: [] for side in FocusArea.values}
    for section in sections:
        grouped[section.focus_area].append(section)  # type: ignore[attr-defined]
    return [(side, str(FocusArea(side).label), grouped[side]) for side in FocusArea.values]
