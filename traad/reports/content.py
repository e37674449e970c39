"""A report's content as one structure, read by the HTML page, the PDF and the Word document
alike, so the three always say the same thing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from traad.cases.models import PersonRole
from traad.journal.models import ContactKind, FocusArea
from traad.reports.drafting import excerpt_text
from traad.reports.models import Report, ReportGoal
from traad.safety.charts import scale_chart
from traad.safety.models import DangerPair, ScaleRating
from traad.safety.selectors.maps import ScaleSeries, _series


@dataclass(frozen=True)
class Excerpt:
    date: dt.date | None
    kind: str
    text: str


@dataclass(frozen=True)
class GoalPart:
    section: ReportGoal
    excerpts: list[Excerpt]

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def score(self) -> int | None:
        return self.section.score

    @property
    def previous_score(self) -> int | None:
        return self.section.previous_score

    @property
    def trend(self) -> int | None:
        return self.section.trend

    @property
    def text(self) -> str:
        return self.section.text


@dataclass(frozen=True)
class Side:
    key: str
    label: str
    goals: list[GoalPart]


@dataclass(frozen=True)
class ScalePart:
    danger_statement: str
    safety_goal: str
    history: list[ScaleSeries]
    chart: SafeString


@dataclass(frozen=True)
class ReportContent:
    report: Report
    title: str
    case_number: str
    children: list[str]
    municipality: str
    caseworker: str
    intervention: str
    period: str
    sides: list[Side]
    sos_meeting_on: dt.date | None
    scales: list[ScalePart]

    @property
    def goal_count(self) -> int:
        return sum(len(side.goals) for side in self.sides)


def _day(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def report_title(report: Report) -> str:
    title = str(report.get_kind_display())
    if report.version > 1:
        title = _("%(title)s, version %(version)s") % {"title": title, "version": report.version}
    return title


def _sides(report: Report) -> list[Side]:
    sections = list(report.goal_sections.prefetch_related("excerpts").order_by("position", "id"))
    kinds = dict(ContactKind.choices)
    grouped: dict[str, list[GoalPart]] = {side: [] for side in FocusArea.values}
    for section in sections:
        excerpts = [
            Excerpt(entry.date, str(kinds.get(entry.kind, entry.kind)), excerpt_text(entry))
            for entry in sorted(section.excerpts.all(), key=lambda e: (e.date or dt.date.min, e.pk))
        ]
        grouped.setdefault(section.focus_area, []).append(GoalPart(section, excerpts))
    return [Side(side, str(FocusArea(side).label), grouped[side]) for side in FocusArea.values]


def _scales(report: Report) -> list[ScalePart]:
    if report.sos_meeting_id is None:
        return []
    pairs = list(
        DangerPair.objects.filter(meeting_id=report.sos_meeting_id).order_by("position", "id")
    )
    ratings: dict[object, list[ScaleRating]] = {pair.thread: [] for pair in pairs}
    for rating in ScaleRating.objects.filter(
        case_id=report.case_id, thread__in=list(ratings), rated_on__lte=report.period_end
    ).order_by("rated_on", "created_at", "id"):
        ratings[rating.thread].append(rating)
    parts = []
    for index, pair in enumerate(pairs, start=1):
        history = _series(ratings[pair.thread])
        chart = scale_chart(
            history,
            chart_id=f"report-{report.pk}-scale-{index}",
            title=_("Scale for: %(goal)s") % {"goal": pair.safety_goal},
        )
        parts.append(ScalePart(pair.danger_statement, pair.safety_goal, history, chart))
    return parts


def report_content(report: Report) -> ReportContent:
    case = report.case
    children = [
        member.person.name
        for member in case.members.filter(role=PersonRole.CHILD)
        .select_related("person")
        .order_by("person__name")
    ]
    caseworker = case.caseworker
    return ReportContent(
        report=report,
        title=report_title(report),
        case_number=case.number,
        children=children,
        municipality=str(case.municipality) if case.municipality_id else "",
        caseworker=(caseworker.full_name or caseworker.email) if caseworker else "",
        intervention=str(case.intervention_type) if case.intervention_type_id else "",
        period=f"{_day(report.period_start)}–{_day(report.period_end)}",
        sides=_sides(report),
        sos_meeting_on=report.sos_meeting.held_on if report.sos_meeting else None,
        scales=_scales(report),
    )
