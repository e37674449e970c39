"""Writes of reports: the case's report rhythm, drafting, the review workflow, sending."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from traad.accounts.models import Role, User
from traad.audit.services import record_event
from traad.cases import rules as case_rules
from traad.cases.models import Case
from traad.core.mail import absolute_url, send_link_mail
from traad.reports import drafting, rules
from traad.reports.models import (
    Recommendation,
    Report,
    ReportGoal,
    ReportKind,
    ReportSection,
    ReportState,
    ReviewComment,
    SentDocument,
)


@transaction.atomic
def set_report_interval(case: Case, *, by: User, months: int) -> Case:
    """The municipality's rhythm for status reports after the first one (§ 95)."""
    if not case_rules.can_manage_case(by, case):
        raise PermissionDenied
    if not 1 <= months <= 24:
        raise ValidationError({"months": _("Choose between 1 and 24 months.")})
    old = case.report_interval_months
    case.report_interval_months = months
    case.save(update_fields=["report_interval_months"])
    record_event(
        actor=by,
        action="case.report_interval_changed",
        obj=case,
        case_id=case.pk,
        changes={"report_interval_months": [old, months]},
    )
    return case


# --- Reports --------------------------------------------------------------------------------


class StaleReportError(Exception):
    """Someone else saved the draft after this copy was loaded: saving would overwrite them."""


def _require(allowed: Any) -> None:
    if not allowed:
        raise PermissionDenied


CONTENT_FIELDS = (
    "sos_works",
    "sos_worries",
    "sos_next",
    "child_perspective",
    "assessment",
    "recommendation",
    "recommendation_reasons",
    "period_start",
    "period_end",
)


def report_link(report: Report, base_url: str = "") -> str:
    return absolute_url(reverse("reports:detail", args=[report.pk]), base_url)


def open_report_for(case: Case, kind: str, deadline_number: int | None) -> Report | None:
    """The newest version answering this deadline, if one exists."""
    if deadline_number is None:
        return None
    return (
        Report.objects.filter(case=case, kind=kind, deadline_number=deadline_number)
        .order_by("-version", "-id")
        .first()
    )


@transaction.atomic
def start_report(
    case: Case,
    *,
    by: User,
    kind: str,
    deadline_number: int | None = None,
    due_on: dt.date | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> Report:
    """A new draft, pre-filled from the case for its period (``drafting.draft_content``)."""
    _require(rules.can_start_report(by, case))
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one report per deadline
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Choose a kind of report.")})
    if kind == ReportKind.ADHOC:
        deadline_number, due_on = None, None
    elif deadline_number is None or due_on is None:
        raise ValidationError({"kind": _("Choose the deadline the report answers.")})
    elif open_report_for(case, kind, deadline_number) is not None:
        raise ValidationError(
            {"kind": _("A report for this deadline has already been started. Open it instead.")}
        )
    if kind == ReportKind.END and case.ended_on is None:
        raise ValidationError({"kind": _("An end report is written when the case has ended.")})
    today = timezone.localdate()
    default_until = min(today, due_on) if due_on else today
    if kind == ReportKind.END and case.ended_on is not None:
        default_until = case.ended_on
    if period_end is None:
        period_end = default_until
    if period_start is None:
        period_start = drafting.default_period(case, until=period_end)[0]
    if period_start > period_end:
        raise ValidationError({"period_start": _("The period must start before it ends.")})
    content = drafting.draft_content(case, period_start, period_end)
    report = Report.objects.create(
        case=case,
        kind=kind,
        deadline_number=deadline_number,
        due_on=due_on,
        period_start=period_start,
        period_end=period_end,
        sos_meeting=content.sos_meeting,
        sos_works=content.sos_works,
        sos_worries=content.sos_worries,
        sos_next=content.sos_next,
        child_perspective=content.child_perspective,
        created_by=by,
        updated_by=by,
    )
    ReportGoal.objects.bulk_create(
        ReportGoal(
            report=report,
            goal=item.goal,
            focus_area=item.goal.focus_area,
            title=item.goal.title,
            score=item.score,
            previous_score=item.previous_score,
            position=position,
        )
        for position, item in enumerate(content.goals)
    )
    record_event(
        actor=by,
        action="report.started",
        obj=report,
        case_id=case.pk,
        changes={"kind": kind, "deadline_number": deadline_number},
    )
    return report


@transaction.atomic
def save_report(
    report: Report,
    *,
    by: User,
    revision: int,
    fields: Mapping[str, Any],
    goal_texts: Mapping[int, str] | None = None,
    excerpts: Mapping[int, Iterable[int]] | None = None,
) -> Report:
    """Store edits to a draft. ``revision`` is the revision the editor loaded: if someone saved
    in between, nothing is stored and StaleReportError is raised, so no one overwrites a
    colleague's text without seeing it. ``goal_texts`` and ``excerpts`` are keyed by the id
    of the report's goal section; excerpts are ids of signed notes of the period."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require(rules.can_edit_report(by, report))
    if revision != report.revision:
        raise StaleReportError
    changed = []
    for name in CONTENT_FIELDS:
        if name in fields and getattr(report, name) != fields[name]:
            setattr(report, name, fields[name])
            changed.append(name)
    if report.period_start > report.period_end:
        raise ValidationError({"period_start": _("The period must start before it ends.")})
    if report.recommendation and report.recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": _("Choose a recommendation.")})
    sections = {section.pk: section for section in report.goal_sections.all()}
    for section_id, text in (goal_texts or {}).items():
        section = sections.get(section_id)
        if section is None:
            raise ValidationError(_("The goal is not part of this report."))
        if section.text != text:
            section.text = text
            section.save(update_fields=["text"])
            changed.append(f"goal:{section_id}")
    for section_id, entry_ids in (excerpts or {}).items():
        section = sections.get(section_id)
        if section is None:
            raise ValidationError(_("The goal is not part of this report."))
        wanted = set(entry_ids)
        allowed = set(
            drafting.excerpt_candidates(
                section.goal, report.period_start, report.period_end
            ).values_list("pk", flat=True)
        )
        if not wanted <= allowed:
            raise ValidationError(
                _("Choose signed journal notes about the goal from the report's period.")
            )
        if wanted != set(section.excerpts.values_list("pk", flat=True)):
            section.excerpts.set(wanted)
            changed.append(f"excerpts:{section_id}")
    report.revision = F("revision") + 1
    report.updated_at = timezone.now()
    report.updated_by = by
    report.save(
        update_fields=[
            *[c for c in changed if c in CONTENT_FIELDS],
            "revision",
            "updated_at",
            "updated_by",
        ]
    )
    report.refresh_from_db(fields=["revision"])
    record_event(
        actor=by,
        action="report.saved",
        obj=report,
        case_id=report.case_id,
        changes={"fields": changed},
    )
    return report


def completeness_errors(report: Report) -> dict[str, list[str]]:
    """What a draft still needs before it can go for review (Danish messages)."""
    errors: dict[str, list[str]] = {}
    if not report.assessment.strip():
        errors["assessment"] = [_("Write the overall professional assessment.")]
    if not report.recommendation:
        errors["recommendation"] = [_("Choose a recommendation.")]
    if not report.recommendation_reasons.strip():
        errors["recommendation_reasons"] = [_("Give the reasons for the recommendation.")]
    return errors


def _transition(
    report: Report,
    *,
    by: User,
    action: str,
    fields: Iterable[str],
    changes: dict[str, Any] | None = None,
) -> None:
    report.save(update_fields=["state", *fields])
    record_event(actor=by, action=action, obj=report, case_id=report.case_id, changes=changes or {})


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("case").get(pk=report.pk)


@transaction.atomic
def submit_for_review(report: Report, *, by: User) -> Report:
    report = _locked(report)
    _require(rules.can_submit_report(by, report))
    errors = completeness_errors(report)
    if errors:
        raise ValidationError(errors)
    report.state = ReportState.READY
    report.review_round += 1
    report.submitted_by = by
    report.submitted_at = timezone.now()
    report.reviewed_by = None
    report.reviewed_at = None
    _transition(
        report,
        by=by,
        action="report.submitted",
        fields=["review_round", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"],
        changes={"round": report.review_round},
    )
    return report


@transaction.atomic
def add_review_comment(report: Report, *, by: User, section: str, text: str) -> ReviewComment:
    report = _locked(report)
    _require(rules.can_review_report(by, report))
    if section not in ReportSection.values:
        raise ValidationError({"section": _("Choose the part of the report the comment is about.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the comment.")})
    comment = ReviewComment.objects.create(
        report=report,
        section=section,
        text=text.strip(),
        review_round=report.review_round,
        author=by,
    )
    record_event(
        actor=by,
        action="report.commented",
        obj=report,
        case_id=report.case_id,
        changes={"section": section},
    )
    return comment


@transaction.atomic
def mark_reviewed(report: Report, *, by: User) -> Report:
    report = _locked(report)
    _require(rules.can_review_report(by, report))
    report.state = ReportState.REVIEWED
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    _transition(report, by=by, action="report.reviewed", fields=["reviewed_by", "reviewed_at"])
    return report


@transaction.atomic
def send_back(
    report: Report, *, by: User, comment: str = "", section: str = ReportSection.GENERAL
) -> Report:
    """Back to draft from review (the second reader) or from reviewed (the approving leader),
    with a comment saying what to fix."""
    report = _locked(report)
    _require(rules.can_review_report(by, report) or rules.can_approve_report(by, report))
    has_comments = report.comments.filter(review_round=report.review_round, author=by).exists()
    if not comment.strip() and not has_comments:
        raise ValidationError({"text": _("Say what should be fixed before sending it back.")})
    if comment.strip():
        ReviewComment.objects.create(
            report=report,
            section=section if section in ReportSection.values else ReportSection.GENERAL,
            text=comment.strip(),
            review_round=report.review_round,
            author=by,
        )
    previous_state = report.state
    report.state = ReportState.DRAFT
    _transition(
        report, by=by, action="report.sent_back", fields=[], changes={"from": previous_state}
    )
    return report


@transaction.atomic
def approve_report(report: Report, *, by: User) -> Report:
    report = _locked(report)
    _require(rules.can_approve_report(by, report))
    report.state = ReportState.APPROVED
    report.approved_by = by
    report.approved_at = timezone.now()
    _transition(report, by=by, action="report.approved", fields=["approved_by", "approved_at"])
    return report


def send_report(report: Report, *, by: User, base_url: str = "", notify: bool = True) -> Report:
    """Store the PDF once (with its SHA-256), mark the report sent and tell the caseworker by
    mail with a link and no case content (``notify=False`` only for loading old reports, such as
    the demo's). The PDF is made before the transaction: it is slow,
    and a failure leaves the report approved and unsent."""
    from traad.reports import documents

    report = Report.objects.select_related("case__caseworker").get(pk=report.pk)
    _require(rules.can_send_report(by, report))
    caseworker = report.case.caseworker
    if caseworker is None or not caseworker.is_active or not caseworker.email:
        raise ValidationError(
            _("The case has no caseworker with an email address. Add one before sending.")
        )
    pdf = documents.render_report_pdf(report)
    with transaction.atomic():
        report = _locked(report)
        _require(rules.can_send_report(by, report))
        SentDocument.objects.create(
            report=report,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            pages=documents.count_pages(pdf),
        )
        report.state = ReportState.SENT
        report.sent_by = by
        report.sent_at = timezone.now()
        report.sent_to = caseworker
        _transition(
            report,
            by=by,
            action="report.sent",
            fields=["sent_by", "sent_at", "sent_to"],
            changes={"to": str(caseworker.pk), "met_deadline": report.met_deadline},
        )
        if notify:
            send_link_mail("reports/email/report_sent", [caseworker], report_link(report, base_url))
        # A recommendation to scale up or down or to end reaches the caseworker as an item to
        # answer in the portal.
        from traad.portal.services import recommend_from_report

        recommend_from_report(report, by=by)
    return report


@transaction.atomic
def start_correction(report: Report, *, by: User) -> Report:
    """A new version of an approved or sent report, with its text, as a draft that goes
    through the review again. The earlier version stays as it is."""
    report = _locked(report)
    _require(rules.can_correct_report(by, report))
    copy = Report.objects.create(
        case=report.case,
        kind=report.kind,
        deadline_number=report.deadline_number,
        due_on=report.due_on,
        period_start=report.period_start,
        period_end=report.period_end,
        version=report.version + 1,
        previous=report,
        sos_meeting=report.sos_meeting,
        **{name: getattr(report, name) for name in CONTENT_FIELDS if not name.startswith("period")},
        created_by=by,
        updated_by=by,
    )
    for section in report.goal_sections.prefetch_related("excerpts"):
        new = ReportGoal.objects.create(
            report=copy,
            goal=section.goal,
            focus_area=section.focus_area,
            title=section.title,
            score=section.score,
            previous_score=section.previous_score,
            text=section.text,
            position=section.position,
        )
        new.excerpts.set(section.excerpts.all())
    record_event(
        actor=by,
        action="report.correction_started",
        obj=copy,
        case_id=report.case_id,
        changes={"corrects": str(report.pk), "version": copy.version},
    )
    return copy


def record_opening(report: Report, *, by: User, what: str = "page") -> None:
    """Every opening is audited; the caseworker's first opening is also kept on the report."""
    if by.role == Role.CASEWORKER and report.first_opened_at is None:
        Report.objects.filter(pk=report.pk, first_opened_at__isnull=True).update(
            first_opened_at=timezone.now()
        )
        report.refresh_from_db(fields=["first_opened_at"])
    record_event(
        actor=by, action="report.opened", obj=report, case_id=report.case_id, changes={"what": what}
    )
