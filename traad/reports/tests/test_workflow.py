"""The review workflow of a report, tested against the real rules and services: every action in
every state for every persona (the rule and the service agree, and a refusal changes nothing),
the completeness check, the lost-update guard, the lock after approval and corrections, sending
(the stored PDF, the deadline, the link-only mail), the caseworker's first opening, and the one
audit row each service writes."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from traad.accounts.models import Role, User
from traad.audit.models import AuditEvent
from traad.cases.models import PersonRole, Relation
from traad.cases.services import add_person_to_case
from traad.factories import UserFactory
from traad.journal.models import EntryStatus, FocusArea, Goal, GoalRating, JournalEntry, RaterRole
from traad.reports import services
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

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 5, 20, 12, 0, tzinfo=CPH)
DUE = dt.date(2026, 6, 1)
BASE = "https://traad.example.dk"
CHILD_NAME = "Emma Jensen"
GOAL_TITLE = "Emma kommer i skole hver dag"
GOAL_TEXT = "Emma har været i skole alle dage i maj."
NOTE_TEXT = "Mor fulgte Emma i skole og talte med læreren."
ASSESSMENT = "Familien samarbejder godt, og Emmas fremmøde er steget."
REASONS = "Målene er ikke nået endnu, men udviklingen er god."

COMPLETE = {
    "assessment": ASSESSMENT,
    "recommendation": Recommendation.CONTINUE,
    "recommendation_reasons": REASONS,
}

# Who is on the case (world.case): coordinator (its coordinator), consultant (its consultant),
# leader and second_coordinator (of its team). In the table the report is submitted by the
# coordinator and marked reviewed by the consultant.
ON_CASE = {"coordinator", "consultant", "leader", "second_coordinator"}
MANAGERS = {"coordinator", "leader", "second_coordinator"}
SECOND_READERS = ON_CASE - {"coordinator"}
PERSONAS = (
    "coordinator",
    "second_coordinator",
    "consultant",
    "leader",
    "intake",
    "admin",
    "caseworker",
    "other_caseworker",
    "outsider_consultant",
    "other_leader",
)
STATES = tuple(ReportState.values)
ACTIONS = ("save", "submit", "comment", "mark_reviewed", "send_back", "approve", "send", "correct")

ALLOWED: dict[tuple[str, str], set[str]] = {
    (ReportState.DRAFT, "save"): ON_CASE,
    (ReportState.DRAFT, "submit"): MANAGERS,
    (ReportState.READY, "comment"): SECOND_READERS,
    (ReportState.READY, "mark_reviewed"): SECOND_READERS,
    (ReportState.READY, "send_back"): SECOND_READERS,
    # From reviewed, the approving leader sends it back (neither submitter nor reviewer).
    (ReportState.REVIEWED, "send_back"): {"leader"},
    (ReportState.REVIEWED, "approve"): {"leader"},
    (ReportState.APPROVED, "send"): MANAGERS,
    (ReportState.APPROVED, "correct"): MANAGERS,
    (ReportState.SENT, "correct"): MANAGERS,
}

PERMS = {
    "save": ("reports.edit_report",),
    "submit": ("reports.submit_report",),
    "comment": ("reports.review_report",),
    "mark_reviewed": ("reports.review_report",),
    "send_back": ("reports.review_report", "reports.approve_report"),
    "approve": ("reports.approve_report",),
    "send": ("reports.send_report",),
    "correct": ("reports.correct_report",),
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(world) -> dict[str, User]:
    second = UserFactory(email="koordinator2@traad.example", role=Role.COORDINATOR, team=world.team)
    return {**world.personas(), "second_coordinator": second}


# --- Helpers --------------------------------------------------------------------------------


def start(world, **kwargs: Any) -> Report:
    options: dict[str, Any] = {
        "kind": ReportKind.STATUS,
        "deadline_number": 1,
        "due_on": DUE,
        **kwargs,
    }
    return services.start_report(world.case, by=world.coordinator, **options)


def fill(report: Report, by: User) -> Report:
    return services.save_report(report, by=by, revision=report.revision, fields=COMPLETE)


def mark_sent(report: Report, world) -> Report:
    """The sent state for the permission table, set directly: the table is about who may act
    in each state, and rendering a PDF for each of its rows would only make it slow.
    ``send_report`` itself is tested below."""
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.SENT,
        sent_at=NOW,
        sent_by=world.coordinator,
        sent_to=world.caseworker,
    )
    report.refresh_from_db()
    return report


def report_in(world, state: str) -> Report:
    """A complete report taken through the real services to ``state``: submitted by the
    coordinator, reviewed by the consultant, approved by the leader."""
    report = fill(start(world), world.coordinator)
    if state == ReportState.DRAFT:
        return report
    report = services.submit_for_review(report, by=world.coordinator)
    if state == ReportState.READY:
        return report
    report = services.mark_reviewed(report, by=world.consultant)
    if state == ReportState.REVIEWED:
        return report
    report = services.approve_report(report, by=world.leader)
    if state == ReportState.APPROVED:
        return report
    return mark_sent(report, world)


def goal_with_note(world) -> tuple[Goal, JournalEntry]:
    goal = Goal.objects.create(
        case=world.case,
        title=GOAL_TITLE,
        focus_area=FocusArea.CHILD_DEVELOPMENT,
        created_by=world.coordinator,
    )
    GoalRating.objects.create(
        goal=goal,
        score=6,
        rated_on=NOW.date(),
        rater_role=RaterRole.CONSULTANT,
        created_by=world.consultant,
    )
    note = JournalEntry.objects.create(
        case=world.case,
        author=world.consultant,
        status=EntryStatus.SIGNED,
        signed_at=NOW,
        date=NOW.date(),
        description=NOTE_TEXT,
    )
    note.goals.set([goal])
    return goal, note


def snapshot() -> tuple[Any, ...]:
    """Everything a report action can change."""
    return (
        list(Report.objects.order_by("pk").values()),
        list(ReportGoal.objects.order_by("pk").values()),
        list(ReviewComment.objects.order_by("pk").values()),
        SentDocument.objects.count(),
        AuditEvent.objects.count(),
    )


def new_audit(since: int) -> list[tuple[str, User | None]]:
    return [(e.action, e.actor) for e in AuditEvent.objects.order_by("id")[since:]]


def act(action: str, report: Report, user: User) -> Any:
    if action == "save":
        return services.save_report(
            report, by=user, revision=report.revision, fields={"assessment": "Ny vurdering."}
        )
    if action == "submit":
        return services.submit_for_review(report, by=user)
    if action == "comment":
        return services.add_review_comment(
            report, by=user, section=ReportSection.ASSESSMENT, text="Uddyb anbefalingen."
        )
    if action == "mark_reviewed":
        return services.mark_reviewed(report, by=user)
    if action == "send_back":
        return services.send_back(report, by=user, comment="Ret vurderingen.")
    if action == "approve":
        return services.approve_report(report, by=user)
    if action == "send":
        return services.send_report(report, by=user, base_url=BASE)
    if action == "correct":
        return services.start_correction(report, by=user)
    raise AssertionError(action)


# --- Every action in every state for every persona ------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_who_may_act_in_each_state(world, people, state, action, persona):
    report = report_in(world, state)
    user = people[persona]
    allowed = persona in ALLOWED.get((state, action), set())

    assert any(user.has_perm(perm, report) for perm in PERMS[action]) is allowed

    before = snapshot()
    audit_count = AuditEvent.objects.count()
    if not allowed:
        with pytest.raises(PermissionDenied):
            act(action, report, user)
        assert snapshot() == before
        return
    if action == "send":
        # The rule is checked above; sending itself (a PDF per call) is tested below.
        return

    result = act(action, report, user)
    report.refresh_from_db()
    expected_event = {
        "save": "report.saved",
        "submit": "report.submitted",
        "comment": "report.commented",
        "mark_reviewed": "report.reviewed",
        "send_back": "report.sent_back",
        "approve": "report.approved",
        "correct": "report.correction_started",
    }[action]
    assert new_audit(audit_count) == [(expected_event, user)]
    if action == "save":
        assert (report.state, report.assessment) == (ReportState.DRAFT, "Ny vurdering.")
        assert report.updated_by == user
    elif action == "submit":
        assert (report.state, report.submitted_by, report.review_round) == (
            ReportState.READY,
            user,
            1,
        )
    elif action == "comment":
        assert report.state == ReportState.READY
        comment = ReviewComment.objects.get(report=report)
        assert (comment.author, comment.section, comment.review_round) == (
            user,
            ReportSection.ASSESSMENT,
            1,
        )
    elif action == "mark_reviewed":
        assert (report.state, report.reviewed_by, report.reviewed_at) == (
            ReportState.REVIEWED,
            user,
            NOW,
        )
    elif action == "send_back":
        assert report.state == ReportState.DRAFT
        assert list(ReviewComment.objects.values_list("author", "text")) == [
            (user.pk, "Ret vurderingen.")
        ]
        assert AuditEvent.objects.get(action="report.sent_back").changes == {"from": state}
    elif action == "approve":
        assert (report.state, report.approved_by, report.approved_at) == (
            ReportState.APPROVED,
            user,
            NOW,
        )
    elif action == "correct":
        assert report.state == state  # the earlier version stays as it was
        assert (result.previous, result.version, result.state) == (report, 2, ReportState.DRAFT)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_start_a_report(world, people, persona):
    user = people[persona]
    allowed = persona in MANAGERS
    assert user.has_perm("reports.start_report", world.case) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.start_report(
                world.case, by=user, kind=ReportKind.STATUS, deadline_number=1, due_on=DUE
            )
        assert not Report.objects.exists()
        assert not AuditEvent.objects.filter(action="report.started").exists()
        return
    report = services.start_report(
        world.case, by=user, kind=ReportKind.STATUS, deadline_number=1, due_on=DUE
    )
    assert (report.state, report.created_by, report.version) == (ReportState.DRAFT, user, 1)
    event = AuditEvent.objects.get(action="report.started")
    assert (event.actor, event.object_id, event.case_id) == (user, str(report.pk), world.case.pk)
    assert event.changes == {"kind": ReportKind.STATUS, "deadline_number": 1}


# --- Three people check a report -----------------------------------------------------------


def test_the_submitter_cannot_review_their_own_report(world, people):
    second = people["second_coordinator"]
    report = services.submit_for_review(fill(start(world), world.coordinator), by=second)
    assert not second.has_perm("reports.review_report", report)
    before = snapshot()
    for call in (
        lambda: services.add_review_comment(report, by=second, section="general", text="Fint."),
        lambda: services.mark_reviewed(report, by=second),
        lambda: services.send_back(report, by=second, comment="Ret."),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot() == before
    # The case's own coordinator, who did not submit it this time, can be the second reader.
    assert world.coordinator.has_perm("reports.review_report", report)
    services.mark_reviewed(report, by=world.coordinator)
    report.refresh_from_db()
    assert (report.state, report.reviewed_by) == (ReportState.REVIEWED, world.coordinator)


def test_a_second_coordinator_of_the_team_reviews_and_the_leader_approves(world, people):
    second = people["second_coordinator"]
    report = services.submit_for_review(fill(start(world), world.coordinator), by=world.coordinator)
    comment = services.add_review_comment(
        report, by=second, section=ReportSection.SOS, text="Tilføj næste skridt."
    )
    services.mark_reviewed(report, by=second)
    services.approve_report(report, by=world.leader)
    report.refresh_from_db()
    assert (report.state, report.submitted_by, report.reviewed_by, report.approved_by) == (
        ReportState.APPROVED,
        world.coordinator,
        second,
        world.leader,
    )
    assert (comment.author, comment.section, comment.review_round) == (second, "sos", 1)


def test_the_approver_is_a_leader_of_the_team_who_neither_submitted_nor_reviewed(world, people):
    second_leader = UserFactory(email="leder3@traad.example", role=Role.LEADER, team=world.team)
    # The leader sent it for review: the leader may not approve it, another leader may.
    report = services.submit_for_review(fill(start(world), world.coordinator), by=world.leader)
    services.mark_reviewed(report, by=world.consultant)
    report.refresh_from_db()
    assert not world.leader.has_perm("reports.approve_report", report)
    with pytest.raises(PermissionDenied):
        services.approve_report(report, by=world.leader)
    for name in ("coordinator", "second_coordinator", "consultant", "other_leader"):
        assert not people[name].has_perm("reports.approve_report", report)
        with pytest.raises(PermissionDenied):
            services.approve_report(report, by=people[name])
    report.refresh_from_db()
    assert report.state == ReportState.REVIEWED
    services.approve_report(report, by=second_leader)
    report.refresh_from_db()
    assert (report.state, report.approved_by) == (ReportState.APPROVED, second_leader)


def test_the_second_reader_cannot_approve(world):
    second_leader = UserFactory(email="leder3@traad.example", role=Role.LEADER, team=world.team)
    report = services.submit_for_review(fill(start(world), world.coordinator), by=world.coordinator)
    services.mark_reviewed(report, by=world.leader)
    report.refresh_from_db()
    assert not world.leader.has_perm("reports.approve_report", report)
    with pytest.raises(PermissionDenied):
        services.approve_report(report, by=world.leader)
    assert second_leader.has_perm("reports.approve_report", report)
    services.approve_report(report, by=second_leader)
    report.refresh_from_db()
    assert report.approved_by == second_leader


def test_sending_back_needs_a_comment_and_a_new_round_clears_the_reviewer(world):
    report = services.submit_for_review(fill(start(world), world.coordinator), by=world.coordinator)
    with pytest.raises(ValidationError):
        services.send_back(report, by=world.consultant, comment="  ")
    report.refresh_from_db()
    assert report.state == ReportState.READY
    # A comment written before sending back is enough.
    services.add_review_comment(report, by=world.consultant, section="child", text="Barnets ord?")
    services.send_back(report, by=world.consultant)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    services.submit_for_review(report, by=world.coordinator)
    services.mark_reviewed(report, by=world.consultant)
    services.send_back(report, by=world.leader, comment="Kortere, tak.", section="assessment")
    report.refresh_from_db()
    assert (report.state, report.review_round) == (ReportState.DRAFT, 2)
    services.submit_for_review(report, by=world.coordinator)
    report.refresh_from_db()
    assert (report.state, report.review_round, report.reviewed_by) == (ReportState.READY, 3, None)
    assert list(ReviewComment.objects.values_list("author", "section", "review_round")) == [
        (world.consultant.pk, "child", 1),
        (world.leader.pk, "assessment", 2),
    ]
    assert list(
        AuditEvent.objects.filter(action="report.sent_back").values_list("changes", flat=True)
    ) == [{"from": "reviewed"}, {"from": "ready"}]  # newest first


# --- Completeness -----------------------------------------------------------------------------


def test_an_incomplete_draft_cannot_go_for_review(world):
    report = start(world)
    with pytest.raises(ValidationError) as exc:
        services.submit_for_review(report, by=world.coordinator)
    assert set(exc.value.error_dict) == {"assessment", "recommendation", "recommendation_reasons"}
    report.refresh_from_db()
    assert (report.state, report.review_round, report.submitted_by) == (ReportState.DRAFT, 0, None)
    assert not AuditEvent.objects.filter(action="report.submitted").exists()

    report = services.save_report(
        report,
        by=world.coordinator,
        revision=report.revision,
        fields={"assessment": "   ", "recommendation": Recommendation.END},
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_for_review(report, by=world.coordinator)
    assert set(exc.value.error_dict) == {"assessment", "recommendation_reasons"}
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_an_unknown_recommendation_is_refused(world):
    report = start(world)
    with pytest.raises(ValidationError) as exc:
        services.save_report(
            report, by=world.coordinator, revision=0, fields={"recommendation": "maybe"}
        )
    assert set(exc.value.error_dict) == {"recommendation"}
    report.refresh_from_db()
    assert (report.recommendation, report.revision) == ("", 0)


# --- The lost-update guard --------------------------------------------------------------------


def test_the_second_of_two_saves_from_the_same_revision_is_refused(world):
    report = start(world)
    mine = Report.objects.get(pk=report.pk)
    theirs = Report.objects.get(pk=report.pk)
    assert mine.revision == theirs.revision == 0

    services.save_report(
        mine, by=world.coordinator, revision=mine.revision, fields={"assessment": "Min tekst."}
    )
    saved_count = AuditEvent.objects.filter(action="report.saved").count()
    with pytest.raises(services.StaleReportError):
        services.save_report(
            theirs, by=world.consultant, revision=theirs.revision, fields={"assessment": "Deres."}
        )
    report.refresh_from_db()
    assert (report.assessment, report.revision, report.updated_by) == (
        "Min tekst.",
        1,
        world.coordinator,
    )
    assert AuditEvent.objects.filter(action="report.saved").count() == saved_count == 1
    # Loaded again, the colleague saves on top of the newest text.
    services.save_report(
        report, by=world.consultant, revision=report.revision, fields={"assessment": "Begge."}
    )
    report.refresh_from_db()
    assert (report.assessment, report.revision) == ("Begge.", 2)


def test_a_stale_save_changes_no_goal_text_either(world):
    goal_with_note(world)
    report = start(world)
    section = report.goal_sections.get()
    services.save_report(
        report, by=world.coordinator, revision=0, goal_texts={section.pk: "A"}, fields={}
    )
    with pytest.raises(services.StaleReportError):
        services.save_report(
            report, by=world.consultant, revision=0, goal_texts={section.pk: "B"}, fields={}
        )
    section.refresh_from_db()
    assert section.text == "A"


# --- The lock after approval and corrections --------------------------------------------------


@pytest.mark.parametrize("state", [ReportState.APPROVED, ReportState.SENT])
def test_approved_and_sent_reports_are_locked(world, state):
    report = report_in(world, state)
    before = snapshot()
    for user in (world.coordinator, world.leader, world.consultant):
        assert not user.has_perm("reports.edit_report", report)
        with pytest.raises(PermissionDenied):
            services.save_report(
                report, by=user, revision=report.revision, fields={"assessment": "Ændret."}
            )
    assert snapshot() == before
    report.refresh_from_db()
    assert report.assessment == ASSESSMENT


@pytest.mark.parametrize("state", [ReportState.APPROVED, ReportState.SENT])
def test_a_correction_is_a_new_version_that_is_reviewed_again(world, people, state):
    goal, note = goal_with_note(world)
    report = start(world)
    section = report.goal_sections.get()
    report = services.save_report(
        report,
        by=world.coordinator,
        revision=report.revision,
        fields=COMPLETE,
        goal_texts={section.pk: GOAL_TEXT},
        excerpts={section.pk: [note.pk]},
    )
    services.submit_for_review(report, by=world.coordinator)
    services.mark_reviewed(report, by=world.consultant)
    services.approve_report(report, by=world.leader)
    if state == ReportState.SENT:
        mark_sent(report, world)
    report.refresh_from_db()
    earlier = list(Report.objects.filter(pk=report.pk).values())
    earlier_sections = list(ReportGoal.objects.filter(report=report).values())

    audit_count = AuditEvent.objects.count()
    copy = services.start_correction(report, by=world.coordinator)

    assert new_audit(audit_count) == [("report.correction_started", world.coordinator)]
    event = AuditEvent.objects.get(action="report.correction_started")
    assert (event.object_id, event.changes) == (
        str(copy.pk),
        {"corrects": str(report.pk), "version": 2},
    )
    copy.refresh_from_db()
    assert (copy.version, copy.previous, copy.state, copy.review_round) == (
        2,
        report,
        ReportState.DRAFT,
        0,
    )
    assert (copy.kind, copy.deadline_number, copy.due_on) == (report.kind, 1, DUE)
    assert (copy.period_start, copy.period_end) == (report.period_start, report.period_end)
    for name in ("assessment", "recommendation", "recommendation_reasons", "sos_works"):
        assert getattr(copy, name) == getattr(report, name)
    assert (copy.submitted_by, copy.reviewed_by, copy.approved_by, copy.sent_at) == (
        None,
        None,
        None,
        None,
    )
    new_section = copy.goal_sections.get()
    assert new_section.pk != section.pk
    assert (new_section.goal, new_section.title, new_section.text, new_section.score) == (
        goal,
        GOAL_TITLE,
        GOAL_TEXT,
        6,
    )
    assert list(new_section.excerpts.all()) == [note]
    # The earlier version is untouched.
    assert list(Report.objects.filter(pk=report.pk).values()) == earlier
    assert list(ReportGoal.objects.filter(report=report).values()) == earlier_sections
    assert list(section.excerpts.all()) == [note]

    # One correction per version, whoever asks.
    for name in ("coordinator", "second_coordinator", "leader"):
        assert not people[name].has_perm("reports.correct_report", report)
        with pytest.raises(PermissionDenied):
            services.start_correction(report, by=people[name])
    assert Report.objects.count() == 2

    # The correction is written and goes through the whole review again.
    services.save_report(
        copy, by=world.coordinator, revision=copy.revision, fields={"assessment": "Rettet."}
    )
    with pytest.raises(PermissionDenied):
        services.approve_report(copy, by=world.leader)  # not reviewed yet
    services.submit_for_review(copy, by=world.coordinator)
    with pytest.raises(PermissionDenied):
        services.mark_reviewed(copy, by=world.coordinator)
    services.mark_reviewed(copy, by=people["second_coordinator"])
    services.approve_report(copy, by=world.leader)
    copy.refresh_from_db()
    report.refresh_from_db()
    assert (copy.state, copy.assessment) == (ReportState.APPROVED, "Rettet.")
    assert (report.state, report.assessment) == (state, ASSESSMENT)


def test_a_version_with_a_correction_under_way_cannot_be_sent(world):
    report = report_in(world, ReportState.APPROVED)
    services.start_correction(report, by=world.coordinator)
    report.refresh_from_db()
    assert not world.coordinator.has_perm("reports.send_report", report)


# --- Sending ------------------------------------------------------------------------------


@pytest.fixture
def child(world):
    membership, _linked = add_person_to_case(
        world.case,
        by=world.coordinator,
        name=CHILD_NAME,
        cpr="0503164321",
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    return membership.person


def approved_with_content(world) -> Report:
    _goal, note = goal_with_note(world)
    report = start(world)
    section = report.goal_sections.get()
    services.save_report(
        report,
        by=world.coordinator,
        revision=report.revision,
        fields={**COMPLETE, "child_perspective": f"{CHILD_NAME} siger, at skolen er god."},
        goal_texts={section.pk: GOAL_TEXT},
        excerpts={section.pk: [note.pk]},
    )
    services.submit_for_review(report, by=world.coordinator)
    services.mark_reviewed(report, by=world.consultant)
    return services.approve_report(report, by=world.leader)


@pytest.mark.parametrize("persona", sorted(MANAGERS))
def test_sending_stores_the_pdf_once_and_mails_a_link_without_case_content(
    world, people, child, persona, django_capture_on_commit_callbacks
):
    report = approved_with_content(world)
    user = people[persona]
    audit_count = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_report(report, by=user, base_url=BASE)

    report.refresh_from_db()
    assert sent.pk == report.pk
    assert (report.state, report.sent_by, report.sent_to, report.sent_at) == (
        ReportState.SENT,
        user,
        world.caseworker,
        NOW,
    )
    assert report.met_deadline is True
    document = SentDocument.objects.get()
    pdf = bytes(document.pdf)
    assert document.report == report
    assert pdf.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.size == len(pdf)
    assert document.pages >= 1

    assert new_audit(audit_count) == [("report.sent", user)]
    event = AuditEvent.objects.get(action="report.sent")
    assert event.changes == {"to": str(world.caseworker.pk), "met_deadline": True}

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.caseworker.email]
    assert services.report_link(report, BASE) in message.body
    text = f"{message.subject}\n{message.body}"
    for content in (
        world.case.number,
        CHILD_NAME,
        "Emma",
        GOAL_TITLE,
        GOAL_TEXT,
        NOTE_TEXT,
        ASSESSMENT,
        world.case.municipality.name,
    ):
        assert content not in text
    assert not user.has_perm("reports.send_report", report)


def test_a_report_sent_after_its_deadline_did_not_meet_it(
    world, django_capture_on_commit_callbacks
):
    report = approved_with_content(world)
    late = dt.datetime(2026, 6, 2, 9, 0, tzinfo=CPH)
    with time_machine.travel(late, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.send_report(report, by=world.coordinator, base_url=BASE)
    report.refresh_from_db()
    assert (report.sent_at, report.met_deadline) == (late, False)
    assert AuditEvent.objects.get(action="report.sent").changes["met_deadline"] is False


def test_sent_late_in_the_evening_of_the_deadline_day_is_on_time(
    world, django_capture_on_commit_callbacks
):
    report = approved_with_content(world)
    # 23:30 in Copenhagen is already the next day in UTC.
    evening = dt.datetime(2026, 6, 1, 23, 30, tzinfo=CPH)
    with time_machine.travel(evening, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.send_report(report, by=world.coordinator, base_url=BASE)
    report.refresh_from_db()
    assert report.met_deadline is True


@pytest.mark.parametrize("problem", ["none", "inactive", "no_email"])
def test_sending_is_refused_without_a_caseworker_to_send_to(
    world, problem, django_capture_on_commit_callbacks
):
    report = report_in(world, ReportState.APPROVED)
    if problem == "none":
        world.case.caseworker = None
        world.case.save(update_fields=["caseworker"])
    elif problem == "inactive":
        User.objects.filter(pk=world.caseworker.pk).update(is_active=False)
    else:
        User.objects.filter(pk=world.caseworker.pk).update(email="")
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.send_report(report, by=world.coordinator, base_url=BASE)
    assert snapshot() == before
    report.refresh_from_db()
    assert (report.state, report.sent_at) == (ReportState.APPROVED, None)
    assert mail.outbox == []


# --- Opening --------------------------------------------------------------------------------


def test_the_caseworkers_first_opening_is_kept_and_every_opening_is_audited(world):
    report = report_in(world, ReportState.SENT)
    audit_count = AuditEvent.objects.count()

    services.record_opening(report, by=world.caseworker)
    report.refresh_from_db()
    assert report.first_opened_at == NOW

    later = NOW + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        services.record_opening(report, by=world.caseworker, what="pdf")
    report.refresh_from_db()
    assert report.first_opened_at == NOW

    assert new_audit(audit_count) == [
        ("report.opened", world.caseworker),
        ("report.opened", world.caseworker),
    ]
    events = AuditEvent.objects.filter(action="report.opened").order_by("id")
    assert [(e.object_id, e.case_id, e.changes) for e in events] == [
        (str(report.pk), world.case.pk, {"what": "page"}),
        (str(report.pk), world.case.pk, {"what": "pdf"}),
    ]
    assert [e.at for e in events] == [NOW, later]


def test_a_staff_opening_is_audited_but_is_not_the_caseworkers_first_opening(world, people):
    report = report_in(world, ReportState.SENT)
    audit_count = AuditEvent.objects.count()
    for name in ("coordinator", "leader", "consultant"):
        services.record_opening(report, by=people[name])
    report.refresh_from_db()
    assert report.first_opened_at is None
    assert new_audit(audit_count) == [
        ("report.opened", world.coordinator),
        ("report.opened", world.leader),
        ("report.opened", world.consultant),
    ]


# --- The audit trail of a whole report --------------------------------------------------------


def test_each_step_of_a_report_writes_one_audit_row(
    world, people, django_capture_on_commit_callbacks
):
    audit_count = AuditEvent.objects.count()
    second = people["second_coordinator"]
    report = start(world)
    report = fill(report, world.consultant)
    services.submit_for_review(report, by=world.coordinator)
    services.add_review_comment(report, by=second, section="general", text="Kortere.")
    services.send_back(report, by=second)
    report.refresh_from_db()
    report = services.save_report(
        report, by=world.coordinator, revision=report.revision, fields={"assessment": "Kort."}
    )
    services.submit_for_review(report, by=world.coordinator)
    services.mark_reviewed(report, by=second)
    services.approve_report(report, by=world.leader)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.send_report(report, by=world.coordinator, base_url=BASE)
    services.record_opening(report, by=world.caseworker)
    copy = services.start_correction(report, by=world.leader)

    assert new_audit(audit_count) == [
        ("report.started", world.coordinator),
        ("report.saved", world.consultant),
        ("report.submitted", world.coordinator),
        ("report.commented", second),
        ("report.sent_back", second),
        ("report.saved", world.coordinator),
        ("report.submitted", world.coordinator),
        ("report.reviewed", second),
        ("report.approved", world.leader),
        ("report.sent", world.coordinator),
        ("report.opened", world.caseworker),
        ("report.correction_started", world.leader),
    ]
    events = AuditEvent.objects.order_by("id")[audit_count:]
    assert {e.case_id for e in events} == {world.case.pk}
    assert [e.object_id for e in events] == [str(report.pk)] * 11 + [str(copy.pk)]
    saved = AuditEvent.objects.filter(action="report.saved").order_by("id").first()
    assert saved is not None
    # The log says which fields changed, never the text itself.
    assert saved.changes == {"fields": ["assessment", "recommendation", "recommendation_reasons"]}
    assert AuditEvent.objects.filter(action="report.submitted").first().changes == {"round": 2}
