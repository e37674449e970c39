"""Who may do what with a report, in each state (domain.md, workflow 8).

- Staff working on the case (its consultants, coordinators and the team's leader) read every
  version; the caseworker of the case reads sent versions only.
- Coordinators and the leader of the case start a report and send it for review; consultants
  on the case may write in a draft too.
- The second reader is anyone on the case other than the person who sent it for review.
- A leader of the case's team approves, and may be neither the one who sent it for review nor
  its second reader: a report is checked by three people.
- Coordinators and the leader send an approved report, and start a correction of an approved
  or sent one (a new version that goes through the review again).
"""

from __future__ import annotations

from typing import Any

import rules

from traad.accounts.models import Role
from traad.cases.rules import can_see, is_on_case
from traad.reports.models import ReportState

STAFF = (Role.CONSULTANT, Role.COORDINATOR, Role.LEADER)
MANAGERS = (Role.COORDINATOR, Role.LEADER)


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _on_case(user: Any, case: Any, roles: tuple[str, ...]) -> bool:
    return _active(user) and user.role in roles and is_on_case(user, case)


@rules.predicate
def can_read_reports(user: Any, case: Any) -> bool:
    """The report list and every version of a case: the provider's staff on the case."""
    return _on_case(user, case, STAFF)


@rules.predicate
def can_start_report(user: Any, case: Any) -> bool:
    return _on_case(user, case, MANAGERS) and case.status in ("active", "paused", "ended")


@rules.predicate
def can_read_report(user: Any, report: Any) -> bool:
    if _active(user) and user.role == Role.CASEWORKER:
        return report.state == ReportState.SENT and can_see(user, report.case)
    return bool(can_read_reports(user, report.case))


@rules.predicate
def can_edit_report(user: Any, report: Any) -> bool:
    return report.state == ReportState.DRAFT and _on_case(user, report.case, STAFF)


@rules.predicate
def can_submit_report(user: Any, report: Any) -> bool:
    return report.state == ReportState.DRAFT and _on_case(user, report.case, MANAGERS)


@rules.predicate
def can_review_report(user: Any, report: Any) -> bool:
    """Comment, mark reviewed, or send back: a second reader, not the one who submitted it."""
    return (
        report.state == ReportState.READY
        and _on_case(user, report.case, STAFF)
        and report.submitted_by_id != user.pk
    )


@rules.predicate
def can_approve_report(user: Any, report: Any) -> bool:
    return (
        report.state == ReportState.REVIEWED
        and _on_case(user, report.case, (Role.LEADER,))
        and user.pk not in (report.submitted_by_id, report.reviewed_by_id)
    )


def _has_correction(report: Any) -> bool:
    from traad.reports.models import Report

    return Report.objects.filter(previous_id=report.pk).exists()


@rules.predicate
def can_send_report(user: Any, report: Any) -> bool:
    """An approved version that no correction has replaced."""
    return (
        report.state == ReportState.APPROVED
        and _on_case(user, report.case, MANAGERS)
        and not _has_correction(report)
    )


@rules.predicate
def can_correct_report(user: Any, report: Any) -> bool:
    """Start a new version of an approved or sent report that has no correction yet."""
    if report.state not in (ReportState.APPROVED, ReportState.SENT):
        return False
    return _on_case(user, report.case, MANAGERS) and not _has_correction(report)


@rules.predicate
def can_manage_letterhead(user: Any) -> bool:
    return _active(user) and user.role == Role.ADMIN


rules.add_perm("reports.read_reports", can_read_reports)
rules.add_perm("reports.start_report", can_start_report)
rules.add_perm("reports.read_report", can_read_report)
rules.add_perm("reports.edit_report", can_edit_report)
rules.add_perm("reports.submit_report", can_submit_report)
rules.add_perm("reports.review_report", can_review_report)
rules.add_perm("reports.approve_report", can_approve_report)
rules.add_perm("reports.send_report", can_send_report)
rules.add_perm("reports.correct_report", can_correct_report)
rules.add_perm("reports.manage_letterhead", can_manage_letterhead)
