"""The demo reports (``traad.core.demo_reports``): every state of the review, exactly one
overdue deadline and one due next week, every other passed deadline answered by a sent report
with its stored PDF, made through the report services (audit rows, no mail), and added once."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from traad.audit.models import AuditEvent
from traad.cases.models import Case, CaseStatus
from traad.reports.deadlines import Deadline
from traad.reports.models import Report, ReportState, ReviewComment, SentDocument
from traad.reports.selectors import deadlines_for_case

pytestmark = pytest.mark.django_db

OWING = (CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.ENDED)
DANISH_WORDS = (" og ", " at ", " i ", " på ", " med ")


def seed() -> None:
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def report_counts() -> dict[str, int]:
    return {
        "reports": Report.objects.count(),
        "documents": SentDocument.objects.count(),
        "comments": ReviewComment.objects.count(),
        "audit": AuditEvent.objects.filter(action__startswith="report.").count(),
    }


def test_seed_demo_adds_reports_in_every_state_once(settings):
    settings.TRAAD_REQUIRE_MFA = False
    seed()
    first = report_counts()

    assert_every_state()
    assert_deadline_situations()
    assert_sent_documents()
    assert_review_by_three_people()
    assert_audit_rows_in_the_past()
    assert_danish_text()
    assert mail.outbox == []  # reports "sent" months ago mail nobody today

    seed()
    assert report_counts() == first


def assert_every_state() -> None:
    states = Counter(Report.objects.values_list("state", flat=True))
    assert set(states) == set(ReportState.values), states
    reviewed = Report.objects.get(state=ReportState.REVIEWED)
    assert reviewed.comments.filter(review_round=reviewed.review_round).count() >= 1
    assert reviewed.reviewed_by is not None
    # A draft that a second reader sent back, with the comment saying why.
    sent_back = Report.objects.filter(state=ReportState.DRAFT, review_round__gte=1)
    assert sent_back.exists()
    assert all(report.comments.exists() for report in sent_back)
    # One sent report with a correction being written as version 2.
    correction = Report.objects.get(version=2)
    assert correction.state == ReportState.DRAFT
    assert correction.previous is not None
    assert correction.previous.state == ReportState.SENT
    assert correction.deadline_number == correction.previous.deadline_number
    assert correction.assessment.startswith(correction.previous.assessment)
    assert correction.assessment != correction.previous.assessment


def deadline_table() -> list[tuple[Case, Deadline, list[Report]]]:
    today = timezone.localdate()
    rows = []
    for case in Case.objects.filter(status__in=OWING).order_by("pk"):
        for deadline in deadlines_for_case(case, today=today):
            reports = list(
                Report.objects.filter(
                    case=case, kind=deadline.kind, deadline_number=deadline.number
                ).order_by("version")
            )
            rows.append((case, deadline, reports))
    return rows


def assert_deadline_situations() -> None:
    today = timezone.localdate()
    overdue, next_week = [], []
    for _case, deadline, reports in deadline_table():
        due = deadline.due
        assert all(report.due_on == due for report in reports)
        sent = [report for report in reports if report.state == ReportState.SENT]
        newest = reports[-1] if reports else None
        if due < today and not sent:
            overdue.append((due, newest))
        if today <= due <= today + dt.timedelta(days=7) and not sent:
            if newest is None or newest.state == ReportState.DRAFT:
                next_week.append((due, newest))
            else:  # the rest of the week's deadlines are well under way
                assert newest.state in (
                    ReportState.READY,
                    ReportState.REVIEWED,
                    ReportState.APPROVED,
                )
    assert len(overdue) == 1, overdue
    due, report = overdue[0]
    assert 2 <= (today - due).days <= 10
    assert report is not None and report.state == ReportState.DRAFT
    assert len(next_week) == 1, next_week
    due, report = next_week[0]
    assert 2 <= (due - today).days <= 7
    assert report is None  # not started: the coordinator can draft it in the demo


def assert_sent_documents() -> None:
    sent = Report.objects.filter(state=ReportState.SENT).select_related("case__caseworker")
    assert sent.count() >= 20
    late = [report for report in sent if report.met_deadline is False]
    assert 1 <= len(late) <= 2  # the on-time rate is a KPI: realistic, not 100 %
    now = timezone.now()
    for report in sent:
        document = SentDocument.objects.get(report=report)
        pdf = bytes(document.pdf)
        assert pdf.startswith(b"%PDF")
        assert document.sha256 == hashlib.sha256(pdf).hexdigest()
        assert document.size == len(pdf)
        assert 1 <= document.pages <= 4
        assert report.sent_at is not None and report.sent_at < now
        assert report.sent_to == report.case.caseworker
        assert report.sent_to is not None and report.sent_to.email
    assert not SentDocument.objects.exclude(report__state=ReportState.SENT).exists()


def assert_review_by_three_people() -> None:
    for report in Report.objects.filter(state__in=[ReportState.APPROVED, ReportState.SENT]):
        people = {report.submitted_by_id, report.reviewed_by_id, report.approved_by_id}
        assert None not in people and len(people) == 3, report.pk
        assert report.approved_by is not None and report.approved_by.role == "leader"
        assert report.created_at <= report.submitted_at  # type: ignore[operator]
        assert report.submitted_at < report.reviewed_at  # type: ignore[operator]
        assert report.reviewed_at < report.approved_at  # type: ignore[operator]
        if report.sent_at is not None:
            assert report.approved_at < report.sent_at  # type: ignore[operator]


def assert_audit_rows_in_the_past() -> None:
    """The services wrote the audit rows, at the time each step happened."""
    reports = Report.objects.all()
    events = AuditEvent.objects.filter(object_type="reports.report")
    assert events.filter(action="report.started").count() == reports.filter(version=1).count()
    assert events.filter(action="report.correction_started").count() == 1
    sent_events = {int(event.object_id): event for event in events.filter(action="report.sent")}
    sent = reports.filter(state=ReportState.SENT)
    assert set(sent_events) == set(sent.values_list("pk", flat=True))
    for report in sent:
        event = sent_events[report.pk]
        assert event.at == report.sent_at
        assert event.changes["met_deadline"] == report.met_deadline
        assert event.actor_id == report.sent_by_id
    for report in reports.filter(approved_at__isnull=False):
        approved = events.get(action="report.approved", object_id=str(report.pk))
        assert approved.at == report.approved_at
    assert events.filter(action="report.sent_back").exists()


def assert_danish_text() -> None:
    complete = Report.objects.exclude(state=ReportState.DRAFT)
    for report in complete:
        for text in (report.assessment, report.recommendation_reasons):
            assert any(word in text for word in DANISH_WORDS), (report.pk, text)
        assert report.recommendation
    texts: list[str] = []
    for report in Report.objects.prefetch_related("goal_sections"):
        texts += [report.assessment, report.recommendation_reasons, report.child_perspective]
        texts += [report.sos_works, report.sos_worries, report.sos_next]
        texts += [section.text for section in report.goal_sections.all()]
    texts += list(ReviewComment.objects.values_list("text", flat=True))
    for text in texts:
        assert "{" not in text and "}" not in text, text  # every placeholder filled
        assert "None" not in text, text
        assert "lorem" not in text.lower(), text
