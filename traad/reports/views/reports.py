"""The report pages: a case's reports, starting one, the editor (with the lost-update guard),
the second reader's and the leader's review, the read-only report, and one small POST view
per step of the workflow (domain.md, workflow 8).

Access: a report through ``get_report_for`` (404 for a missing report and for one the user may
not open), then the rule for the step (403 when they may open it but not act). A case through
``get_case_for`` (404), then ``reports.read_reports`` (403). Every write is one service call;
the services check the rules again and write the audit rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BoundField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from traad.cases.models import Case
from traad.cases.selectors import get_case_for
from traad.cases.views import AuthenticatedRequest, add_service_errors
from traad.journal.models import FocusArea
from traad.reports import drafting, services
from traad.reports.content import ReportContent, Side, report_content
from traad.reports.forms import (
    CommentForm,
    ReportForm,
    SendBackForm,
    StartReportForm,
    excerpts_name,
    text_name,
)
from traad.reports.models import Report, ReportGoal, ReportKind, ReportSection, ReviewComment
from traad.reports.selectors import deadlines_for_case, get_report_for
from traad.reports.services import StaleReportError

# --- Access ---------------------------------------------------------------------------------


def _reports_case(request: AuthenticatedRequest, case_id: int, perm: str | None = None) -> Case:
    """The case, 404 for anyone who may not see it; 403 for those who see it but may not read
    its reports (or lack ``perm``)."""
    case = get_case_for(request.user, case_id)
    if not request.user.has_perm("reports.read_reports", case):
        raise PermissionDenied
    if perm is not None and not request.user.has_perm(perm, case):
        raise PermissionDenied
    return case


def _report(request: AuthenticatedRequest, report_id: int, *perms: str) -> Report:
    """The report if the user may open it (else 404) and holds one of ``perms`` (else 403)."""
    report = get_report_for(request.user, report_id)
    if perms and not any(request.user.has_perm(perm, report) for perm in perms):
        raise PermissionDenied
    return report


def _error_message(request: AuthenticatedRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Presentation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionNotes:
    """The review comments on one section of a report, and the form to add one."""

    key: str
    label: str
    comments: list[ReviewComment]
    form: CommentForm | None = None


@dataclass(frozen=True)
class SideBlock:
    side: Side
    notes: SectionNotes | None


@dataclass(frozen=True)
class ReviewRound:
    number: int
    sections: list[SectionNotes]


@dataclass(frozen=True)
class GoalRow:
    section: ReportGoal
    text: BoundField
    excerpts: BoundField
    saved_text: str | None
    saved_excerpts: str | None


@dataclass(frozen=True)
class SideRows:
    key: str
    label: str
    rows: list[GoalRow]
    notes: SectionNotes


def _comments(report: Report) -> list[ReviewComment]:
    return list(
        report.comments.select_related("author").order_by("review_round", "created_at", "id")
    )


def _notes_by_section(
    comments: list[ReviewComment], *, with_forms: bool = False
) -> dict[str, SectionNotes]:
    return {
        key: SectionNotes(
            key,
            str(label),
            [comment for comment in comments if comment.section == key],
            CommentForm(initial={"section": key}, auto_id=f"id_{key}_%s") if with_forms else None,
        )
        for key, label in ReportSection.choices
    }


def _rounds(comments: list[ReviewComment]) -> list[ReviewRound]:
    rounds = []
    for number, in_round in groupby(comments, key=lambda comment: comment.review_round):
        notes = _notes_by_section(list(in_round))
        rounds.append(ReviewRound(number, [n for n in notes.values() if n.comments]))
    return rounds


def _side_blocks(content: ReportContent, notes: dict[str, SectionNotes] | None) -> list[SideBlock]:
    return [SideBlock(side, notes[side.key] if notes else None) for side in content.sides]


def _versions(report: Report) -> list[Report]:
    """Every version of the report, oldest first: earlier ones through ``previous``, later
    ones through their corrections."""
    earlier: list[Report] = []
    current = report
    while current.previous_id is not None:
        current = Report.objects.only("pk", "version", "state").get(pk=current.previous_id)
        earlier.insert(0, current)
    later: list[Report] = []
    current = report
    while (
        following := Report.objects.only("pk", "version", "state")
        .filter(previous_id=current.pk)
        .first()
    ) is not None:
        later.append(following)
        current = following
    return [*earlier, report, *later]


def _is_overdue(report: Report) -> bool:
    return (
        report.sent_at is None
        and report.due_on is not None
        and report.due_on < timezone.localdate()
    )


def _abilities(request: AuthenticatedRequest, report: Report) -> dict[str, bool]:
    user = request.user
    can = {
        name: user.has_perm(f"reports.{name}_report", report)
        for name in ("edit", "submit", "review", "approve", "send", "correct")
    }
    can["open_review"] = can["review"] or can["approve"]
    return can


# --- A case's reports -----------------------------------------------------------------------


@require_GET
def case_reports(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _reports_case(request, case_id)
    reports = list(
        Report.objects.filter(case=case)
        .select_related("sent_to")
        .order_by("due_on", "kind", "deadline_number", "version", "id")
    )
    started = {(report.kind, report.deadline_number) for report in reports}
    open_deadlines = [
        deadline
        for deadline in deadlines_for_case(case)
        if (str(deadline.kind), deadline.number) not in started
    ]
    return render(
        request,
        "reports/case_reports.html",
        {
            "case": case,
            "reports": reports,
            "open_deadlines": open_deadlines,
            "can_start": request.user.has_perm("reports.start_report", case),
            "adhoc": ReportKind.ADHOC,
        },
    )


@require_POST
def start(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _reports_case(request, case_id, "reports.start_report")
    form = StartReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the report to start."))
        return redirect("reports:case_reports", case.pk)
    kind = form.cleaned_data["kind"]
    number = form.cleaned_data["deadline_number"]
    due_on = None
    if kind == ReportKind.ADHOC:
        number = None
    else:
        # The date comes from the case's own deadlines, never from the post.
        deadline = next(
            (d for d in deadlines_for_case(case) if d.kind == kind and d.number == number), None
        )
        if deadline is None:
            messages.error(request, _("Choose one of the case's report deadlines."))
            return redirect("reports:case_reports", case.pk)
        due_on = deadline.due
    try:
        report = services.start_report(
            case, by=request.user, kind=kind, deadline_number=number, due_on=due_on
        )
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("reports:case_reports", case.pk)
    messages.success(request, _("The draft has been made from the case. Edit it below."))
    return redirect("reports:edit", report.pk)


# --- Reading --------------------------------------------------------------------------------


@require_GET
def detail(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id)
    services.record_opening(report, by=request.user, what="page")
    staff = request.user.has_perm("reports.read_reports", report.case)
    context: dict[str, Any] = {
        "report": report,
        "case": report.case,
        "staff": staff,
        "overdue": _is_overdue(report),
    }
    if staff:
        content = report_content(report)
        context.update(
            content=content,
            side_blocks=_side_blocks(content, None),
            rounds=_rounds(_comments(report)),
            versions=_versions(report),
            can=_abilities(request, report),
        )
    return render(request, "reports/report_detail.html", context)


# --- The editor -----------------------------------------------------------------------------


def _sections(report: Report) -> list[ReportGoal]:
    return list(
        report.goal_sections.select_related("goal")
        .prefetch_related("excerpts")
        .order_by("position", "id")
    )


def _report_form(report: Report, sections: list[ReportGoal], data: Any = None) -> ReportForm:
    candidates = {
        section.pk: list(
            drafting.excerpt_candidates(section.goal, report.period_start, report.period_end)
        )
        for section in sections
    }
    return ReportForm(data, report=report, sections=sections, candidates=candidates)


def _render_edit(
    request: AuthenticatedRequest,
    report: Report,
    form: ReportForm,
    *,
    revision: Any,
    conflict: bool = False,
    locked: bool = False,
    saved: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    saved = saved or {}
    latest = [c for c in _comments(report) if c.review_round == report.review_round]
    notes = _notes_by_section(latest) if report.review_round else _notes_by_section([])
    rows: dict[str, list[GoalRow]] = {side: [] for side in FocusArea.values}
    for section in form.sections:
        rows.setdefault(section.focus_area, []).append(
            GoalRow(
                section,
                form[text_name(section)],
                form[excerpts_name(section)],
                saved.get(text_name(section)),
                saved.get(excerpts_name(section)),
            )
        )
    sides = [
        SideRows(side, str(label), rows[side], notes[side]) for side, label in FocusArea.choices
    ]
    pages = drafting.estimate_pages(report)
    return render(
        request,
        "reports/report_edit.html",
        {
            "report": report,
            "case": report.case,
            "form": form,
            "sides": sides,
            "notes": notes,
            "has_comments": bool(latest),
            "scales": report_content(report).scales,
            "pages": pages,
            "page_limit": drafting.PAGE_LIMIT,
            "too_long": pages > drafting.PAGE_LIMIT,
            "revision": revision,
            "conflict": conflict,
            "locked": locked,
            "saved": saved,
            "can_submit": request.user.has_perm("reports.submit_report", report),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id)
    sections = _sections(report)
    if not request.user.has_perm("reports.edit_report", report):
        if request.method == "POST" and request.user.has_perm("reports.read_reports", report.case):
            # Sent for review (or approved) while this copy was open: refused, but the text
            # typed is shown once more so it can be copied, not lost.
            form = _report_form(report, sections, request.POST)
            form.is_valid()
            return _render_edit(
                request, report, form, revision=report.revision, locked=True, status=403
            )
        raise PermissionDenied
    if request.method == "GET":
        form = _report_form(report, sections)
        return _render_edit(request, report, form, revision=report.revision)
    submit = request.POST.get("action") == "submit"
    if submit and not request.user.has_perm("reports.submit_report", report):
        raise PermissionDenied
    form = _report_form(report, sections, request.POST)
    if not form.is_valid():
        # Keep the revision the writer loaded, so a colleague's save in between still counts.
        posted = form.cleaned_data.get("revision", report.revision)
        return _render_edit(request, report, form, revision=posted)
    try:
        report = services.save_report(
            report,
            by=request.user,
            revision=form.posted_revision(),
            fields=form.report_fields(),
            goal_texts=form.goal_texts(),
            excerpts=form.excerpts(),
        )
    except StaleReportError:
        # Show the posted text with what is saved now under each field that differs; the
        # current revision lets a deliberate second save go through.
        current = Report.objects.select_related("case", "updated_by").get(pk=report.pk)
        saved = form.differences(current, _sections(current))
        return _render_edit(
            request,
            current,
            form,
            revision=current.revision,
            conflict=True,
            saved=saved,
            status=409,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_edit(request, report, form, revision=form.posted_revision())
    if submit:
        try:
            services.submit_for_review(report, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
            report = get_report_for(request.user, report.pk)
            return _render_edit(request, report, form, revision=report.revision)
        messages.success(request, _("The report has been sent for review."))
        return redirect("reports:detail", report.pk)
    messages.success(request, _("The draft has been saved."))
    return redirect("reports:edit", report.pk)


# --- The review -----------------------------------------------------------------------------


@require_GET
def review(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, "reports.review_report", "reports.approve_report")
    can = _abilities(request, report)
    content = report_content(report)
    this_round = [c for c in _comments(report) if c.review_round == report.review_round]
    notes = _notes_by_section(this_round, with_forms=can["review"])
    return render(
        request,
        "reports/report_review.html",
        {
            "report": report,
            "case": report.case,
            "content": content,
            "side_blocks": _side_blocks(content, notes),
            "notes": notes,
            "can": can,
            "overdue": _is_overdue(report),
            "send_back_form": SendBackForm(auto_id="id_back_%s"),
        },
    )


# --- The steps of the workflow --------------------------------------------------------------


@require_POST
def submit(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, "reports.submit_report")
    try:
        services.submit_for_review(report, by=request.user)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("reports:edit", report.pk)
    messages.success(request, _("The report has been sent for review."))
    return redirect("reports:detail", report.pk)


@require_POST
def comment(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, "reports.review_report")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the part of the report the comment is about."))
        return redirect("reports:review", report.pk)
    section = form.cleaned_data["section"]
    try:
        services.add_review_comment(
            report, by=request.user, section=section, text=form.cleaned_data["text"]
        )
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Your comment has been added."))
    return redirect(reverse("reports:review", args=[report.pk]) + f"#section-{section}")


@require_POST
def mark_reviewed(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, "reports.review_report")
    services.mark_reviewed(report, by=request.user)
    messages.success(request, _("The report has been marked as reviewed. A leader approves it."))
    return redirect("reports:detail", report.pk)


@require_POST
def send_back(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, "reports.review_report", "reports.approve_report")
    form = SendBackForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.send_back(
            report,
            by=request.user,
            comment=data.get("text", ""),
            section=data.get("section") or ReportSection.GENERAL,
        )
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("reports:review", report.pk)
    messages.success(request, _("The report has been sent back to draft with your comments."))
    return redirect("reports:edit", report.pk)


@require_POST
def approve(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, "reports.approve_report")
    services.approve_report(report, by=request.user)
    messages.success(request, _("The report has been approved. It can now be sent."))
    return redirect("reports:detail", report.pk)


@require_POST
def send(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, "reports.send_report")
    try:
        services.send_report(report, by=request.user, base_url=request.build_absolute_uri("/"))
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("The report has been sent to the caseworker."))
    return redirect("reports:detail", report.pk)


@require_POST
def correct(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id, "reports.correct_report")
    copy = services.start_correction(report, by=request.user)
    messages.success(
        request, _("A new version has been made. It goes through the review again when ready.")
    )
    return redirect("reports:edit", copy.pk)


urlpatterns: list[URLPattern] = [
    path("sager/<int:case_id>/rapporter/", case_reports, name="case_reports"),
    path("sager/<int:case_id>/rapporter/ny/", start, name="start"),
    path("rapporter/<int:report_id>/", detail, name="detail"),
    path("rapporter/<int:report_id>/rediger/", edit, name="edit"),
    path("rapporter/<int:report_id>/gennemgang/", review, name="review"),
    path("rapporter/<int:report_id>/til-gennemgang/", submit, name="submit"),
    path("rapporter/<int:report_id>/kommentar/", comment, name="comment"),
    path("rapporter/<int:report_id>/gennemgaaet/", mark_reviewed, name="mark_reviewed"),
    path("rapporter/<int:report_id>/send-tilbage/", send_back, name="send_back"),
    path("rapporter/<int:report_id>/godkend/", approve, name="approve"),
    path("rapporter/<int:report_id>/send/", send, name="send"),
    path("rapporter/<int:report_id>/ret/", correct, name="correct"),
]
