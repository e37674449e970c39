"""The report pages: a case's reports and starting one, the editor (the lost-update guard, the
lock after approval, the page-count warning), the review with comments and sending back, the
read-only report for staff and for the caseworker, and the POST view of each workflow step.
Every persona that must be refused is refused (404 when they may not open the case or report,
403 when they may open it but not act). Assertions are on the database, the audit log and the
outbox; the texts asserted are English msgids under an English language cookie."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from traad.audit.models import AuditEvent
from traad.journal import services as journal
from traad.journal.models import ContactKind, FocusArea, Goal, JournalEntry, RaterRole
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
from traad.reports.selectors import deadlines_for_case

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 5, 20, 12, 0, tzinfo=CPH)
GOAL_TITLE = "Emma kommer i skole hver dag"
NOTE_TEXT = "Mor fulgte Emma i skole og talte med læreren."
ASSESSMENT = "Familien samarbejder godt, og Emmas fremmøde er steget."
REASONS = "Målene er ikke nået endnu, men udviklingen er god."
COMPLETE = {
    "assessment": ASSESSMENT,
    "recommendation": Recommendation.CONTINUE,
    "recommendation_reasons": REASONS,
}
OUTSIDERS = ("outsider_consultant", "other_leader", "other_caseworker")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


# --- Helpers --------------------------------------------------------------------------------


def english(client):
    client.cookies["django_language"] = "en"
    return client


def actions(**filters: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def goal_with_note(
    world, title: str = GOAL_TITLE, text: str = NOTE_TEXT
) -> tuple[Goal, JournalEntry]:
    """An active goal scored 6, and a signed journal note of yesterday that worked on it."""
    goal = journal.create_goal(
        world.case, by=world.coordinator, title=title, focus_area=FocusArea.CHILD_DEVELOPMENT
    )
    journal.rate_goal(goal, by=world.consultant, score=6, rater_role=RaterRole.CONSULTANT)
    entry = journal.start_draft(world.case, by=world.consultant)
    entry = journal.save_draft(
        entry,
        by=world.consultant,
        fields={
            "date": NOW.date() - dt.timedelta(days=1),
            "start_time": dt.time(9),
            "end_time": dt.time(10),
            "kind": ContactKind.HOME_VISIT,
            "participants": "Mor og Emma",
            "description": text,
            "reflections": "Mor tager ansvar.",
        },
        goals=[goal],
    )
    return goal, journal.sign_entry(entry, by=world.consultant)


def first_deadline(world):
    return deadlines_for_case(world.case)[0]


def start(world, **kwargs: Any) -> Report:
    deadline = first_deadline(world)
    options: dict[str, Any] = {
        "kind": ReportKind.STATUS,
        "deadline_number": deadline.number,
        "due_on": deadline.due,
        **kwargs,
    }
    return services.start_report(world.case, by=world.coordinator, **options)


def fill(report: Report, by, **fields: Any) -> Report:
    return services.save_report(report, by=by, revision=report.revision, fields=COMPLETE | fields)


def report_in(world, state: str, **kwargs: Any) -> Report:
    """A complete report taken through the services to ``state``: submitted by the
    coordinator, reviewed by the consultant, approved by the leader, sent by the coordinator."""
    report = fill(start(world, **kwargs), world.coordinator)
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
    return services.send_report(report, by=world.coordinator, base_url="https://traad.example")


def editor_data(report: Report, **overrides: Any) -> dict[str, Any]:
    """What the editor posts when nothing is changed, with ``overrides``."""
    report.refresh_from_db()
    data: dict[str, Any] = {
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "sos_works": report.sos_works,
        "sos_worries": report.sos_worries,
        "sos_next": report.sos_next,
        "child_perspective": report.child_perspective,
        "assessment": report.assessment,
        "recommendation": report.recommendation,
        "recommendation_reasons": report.recommendation_reasons,
        "revision": report.revision,
        "action": "save",
    }
    for section in report.goal_sections.all():
        data[f"goal-{section.pk}-text"] = section.text
        data[f"goal-{section.pk}-excerpts"] = [e.pk for e in section.excerpts.all()]
    return data | overrides


def url(name: str, obj) -> str:
    return reverse(f"reports:{name}", args=[obj.pk])


def text_of(response) -> str:
    return response.content.decode()


# --- A case's reports and starting one ------------------------------------------------------


def test_case_reports_lists_every_version_and_starts_a_report_from_a_deadline(world, client_for):
    deadline = first_deadline(world)
    client = english(client_for(world.coordinator))
    page = client.get(reverse("reports:case_reports", args=[world.case.pk]))
    assert page.status_code == 200
    assert page.context["open_deadlines"][0] == deadline
    assert page.context["reports"] == []

    # A posted date is ignored: the deadline's date comes from the case.
    response = client.post(
        reverse("reports:start", args=[world.case.pk]),
        {"kind": "status", "deadline_number": deadline.number, "due_on": "2030-01-01"},
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("edit", report)
    assert (report.kind, report.deadline_number, report.due_on, report.state) == (
        ReportKind.STATUS,
        deadline.number,
        deadline.due,
        ReportState.DRAFT,
    )
    assert report.created_by == world.coordinator
    event = AuditEvent.objects.get(action="report.started")
    assert (event.actor, event.case_id, event.object_id) == (
        world.coordinator,
        world.case.pk,
        str(report.pk),
    )
    page = client.get(reverse("reports:case_reports", args=[world.case.pk]))
    assert page.context["reports"] == [report]
    assert deadline not in page.context["open_deadlines"]
    assert url("detail", report) in text_of(page)


def test_starting_an_unknown_deadline_or_a_second_report_is_refused(world, client_for):
    client = english(client_for(world.coordinator))
    start_url = reverse("reports:start", args=[world.case.pk])

    response = client.post(start_url, {"kind": "status", "deadline_number": "99"}, follow=True)
    assert Report.objects.count() == 0
    assert "Choose one of the case&#x27;s report deadlines." in text_of(response)

    report = start(world)
    response = client.post(
        start_url, {"kind": "status", "deadline_number": report.deadline_number}, follow=True
    )
    assert Report.objects.count() == 1
    assert "A report for this deadline has already been started." in text_of(response)


def test_an_adhoc_statement_has_no_deadline(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("reports:start", args=[world.case.pk]),
        {"kind": "adhoc", "deadline_number": "1"},
    )
    report = Report.objects.get()
    assert response["Location"] == url("edit", report)
    assert (report.kind, report.deadline_number, report.due_on) == (ReportKind.ADHOC, None, None)


@pytest.mark.parametrize(
    ("persona", "list_status", "start_status"),
    [
        ("coordinator", 200, 302),
        ("leader", 200, 302),
        ("consultant", 200, 403),
        ("caseworker", 403, 403),
        ("outsider_consultant", 404, 404),
        ("other_leader", 404, 404),
        ("other_caseworker", 404, 404),
        ("admin", 404, 404),
    ],
)
def test_who_may_list_and_start_reports(world, client_for, persona, list_status, start_status):
    client = client_for(world.personas()[persona])
    deadline = first_deadline(world)
    page = client.get(reverse("reports:case_reports", args=[world.case.pk]))
    response = client.post(
        reverse("reports:start", args=[world.case.pk]),
        {"kind": "status", "deadline_number": deadline.number},
    )
    assert (page.status_code, response.status_code) == (list_status, start_status)
    assert Report.objects.count() == (1 if start_status == 302 else 0)
    if start_status != 302:
        assert actions(action="report.started") == []
    if list_status == 200:
        assert ('data-testid="start-report"' in text_of(page)) is (start_status == 302)


# --- The editor -----------------------------------------------------------------------------


def test_the_editor_saves_text_and_excerpts(world, client_for):
    goal, note = goal_with_note(world)
    report = start(world)
    section = ReportGoal.objects.get(report=report)
    client = english(client_for(world.consultant))

    page = client.get(url("edit", report))
    assert page.status_code == 200
    html = text_of(page)
    assert GOAL_TITLE in html
    assert NOTE_TEXT in html  # the excerpt candidate
    assert f'name="goal-{section.pk}-excerpts" value="{note.pk}"' in html

    response = client.post(
        url("edit", report),
        editor_data(
            report,
            sos_works="Mor står op.\r\nEmma spiser.",
            **{
                f"goal-{section.pk}-text": "Fremmødet er steget.",
                f"goal-{section.pk}-excerpts": [note.pk],
            },
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == url("edit", report)
    report.refresh_from_db()
    section.refresh_from_db()
    assert report.sos_works == "Mor står op.\nEmma spiser."
    assert (report.revision, report.updated_by, report.state) == (
        1,
        world.consultant,
        ReportState.DRAFT,
    )
    assert section.text == "Fremmødet er steget."
    assert list(section.excerpts.all()) == [note]
    event = AuditEvent.objects.get(action="report.saved")
    assert event.actor == world.consultant
    assert set(event.changes["fields"]) == {
        "sos_works",
        f"goal:{section.pk}",
        f"excerpts:{section.pk}",
    }


def test_save_and_send_for_review_keeps_the_text_when_something_is_missing(world, client_for):
    report = start(world)
    client = english(client_for(world.coordinator))

    response = client.post(
        url("edit", report),
        editor_data(report, assessment="Min vurdering.", action="submit"),
    )

    assert response.status_code == 200
    assert "Give the reasons for the recommendation." in text_of(response)
    assert "Min vurdering." in text_of(response)
    report.refresh_from_db()
    assert (report.state, report.assessment) == (ReportState.DRAFT, "Min vurdering.")
    # The form now carries the saved revision, so the next save goes through.
    assert response.context["revision"] == report.revision == 1

    response = client.post(url("edit", report), editor_data(report, **COMPLETE, action="submit"))
    assert response.status_code == 302
    assert response["Location"] == url("detail", report)
    report.refresh_from_db()
    assert (report.state, report.submitted_by, report.review_round) == (
        ReportState.READY,
        world.coordinator,
        1,
    )
    assert actions(action__startswith="report.") == [
        "report.started",
        "report.saved",
        "report.saved",
        "report.submitted",
    ]


def test_a_consultant_saves_but_cannot_send_for_review(world, client_for):
    report = start(world)
    client = client_for(world.consultant)
    page = client.get(url("edit", report))
    assert 'value="submit"' not in text_of(page)
    response = client.post(url("edit", report), editor_data(report, **COMPLETE, action="submit"))
    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.state, report.assessment, report.revision) == (ReportState.DRAFT, "", 0)


def test_the_second_save_from_an_old_copy_is_refused_and_the_text_kept(world, client_for):
    goal_with_note(world)
    report = start(world)
    section = ReportGoal.objects.get(report=report)
    first = english(client_for(world.coordinator))
    second = english(client_for(world.consultant))
    assert first.get(url("edit", report)).context["revision"] == 0
    assert second.get(url("edit", report)).context["revision"] == 0
    loaded = editor_data(report)

    saved = first.post(
        url("edit", report),
        loaded | {"assessment": "Koordinatorens vurdering.", f"goal-{section.pk}-text": "A"},
    )
    assert saved.status_code == 302
    mine = "Konsulentens vurdering, skrevet samtidig."
    response = second.post(
        url("edit", report),
        loaded | {"assessment": mine, f"goal-{section.pk}-text": "B", "sos_next": "Nyt trin."},
    )

    assert response.status_code == 409
    html = text_of(response)
    assert "Someone else saved this report at 12:00 (" in html
    assert "Your text has not been saved: it is still in the form below." in html
    assert mine in html and "Nyt trin." in html  # the posted text is kept in the form
    # What is saved now is shown under the fields that differ, and only those.
    assert response.context["saved"] == {
        "assessment": "Koordinatorens vurdering.",
        f"goal-{section.pk}-text": "A",
        "sos_next": "(empty)",
    }
    assert 'data-testid="saved-assessment"' in html
    assert 'data-testid="saved-sos_works"' not in html
    assert re.search(r'name="revision" value="1"', html)
    report.refresh_from_db()
    section.refresh_from_db()
    assert (report.assessment, report.sos_next, report.revision) == (
        "Koordinatorens vurdering.",
        "",
        1,
    )
    assert section.text == "A"
    assert actions(action="report.saved") == ["report.saved"]

    # A deliberate second save, with the current revision from the form, goes through.
    response = second.post(
        url("edit", report),
        loaded | {"assessment": mine, f"goal-{section.pk}-text": "B", "revision": "1"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.assessment, report.revision, report.updated_by) == (
        mine,
        2,
        world.consultant,
    )


def test_an_invalid_form_keeps_the_loaded_revision(world, client_for):
    report = start(world)
    client = english(client_for(world.coordinator))
    response = client.post(
        url("edit", report),
        editor_data(report, period_start="2026-05-20", period_end="2026-05-01", assessment="X"),
    )
    assert response.status_code == 200
    assert "The end of the period must be on or after its start." in text_of(response)
    assert response.context["revision"] == 0
    report.refresh_from_db()
    assert (report.assessment, report.revision) == ("", 0)


@pytest.mark.parametrize("state", [ReportState.READY, ReportState.APPROVED])
def test_the_editor_refuses_a_report_out_of_draft(world, client_for, state):
    report = report_in(world, state)
    client = client_for(world.coordinator)
    before = AuditEvent.objects.count()

    assert client.get(url("edit", report)).status_code == 403
    response = english(client).post(url("edit", report), editor_data(report, assessment="Ændret."))

    assert response.status_code == 403
    # Refused, but what was typed is shown once more (without a save button) to be copied.
    html = text_of(response)
    assert 'data-testid="report-locked"' in html
    assert "Ændret." in html
    assert 'value="save"' not in html
    report.refresh_from_db()
    assert (report.state, report.assessment) == (state, ASSESSMENT)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona", [*OUTSIDERS, "caseworker", "admin"])
def test_the_editor_is_not_found_for_outsiders(world, client_for, persona):
    report = start(world)
    client = client_for(world.personas()[persona])
    assert client.get(url("edit", report)).status_code == 404
    assert client.post(url("edit", report), editor_data(report, assessment="X")).status_code == 404
    report.refresh_from_db()
    assert report.assessment == ""


def test_the_editor_warns_about_a_long_report(world, client_for):
    report = start(world)
    client = english(client_for(world.coordinator))
    short = client.get(url("edit", report))
    assert short.context["too_long"] is False
    assert "The report is longer than 4 pages" not in text_of(short)

    fill(report, world.coordinator, assessment="Lang tekst. " * 1200)

    page = client.get(url("edit", report))
    assert page.context["pages"] > 4
    html = text_of(page)
    assert "The report is longer than 4 pages" in html
    assert re.search(r'class="alert alert-warning"[^>]*data-testid="page-estimate"', html)


# --- Review, send back, fix, resubmit, approve, send, open ----------------------------------


def test_review_send_back_fix_resubmit_approve_send_and_open(
    world, client_for, django_capture_on_commit_callbacks
):
    goal_with_note(world)
    report = fill(start(world), world.coordinator)
    coordinator = english(client_for(world.coordinator))
    reader = english(client_for(world.consultant))
    leader = english(client_for(world.leader))

    assert coordinator.post(url("submit", report)).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.READY

    page = reader.get(url("review", report))
    assert page.status_code == 200
    assert 'data-testid="notes-assessment"' in text_of(page)
    response = reader.post(
        url("comment", report), {"section": ReportSection.ASSESSMENT, "text": "Uddyb anbefalingen."}
    )
    assert response.status_code == 302
    assert response["Location"] == url("review", report) + "#section-assessment"
    response = reader.post(
        url("send_back", report),
        {"section": ReportSection.SOS, "text": "Skaleringen mangler."},
    )
    assert response["Location"] == url("edit", report)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert list(
        ReviewComment.objects.order_by("id").values_list(
            "section", "text", "author", "review_round"
        )
    ) == [
        (ReportSection.ASSESSMENT, "Uddyb anbefalingen.", world.consultant.pk, 1),
        (ReportSection.SOS, "Skaleringen mangler.", world.consultant.pk, 1),
    ]

    # The coordinator sees the comments beside the sections they concern, fixes and resubmits.
    editor = coordinator.get(url("edit", report))
    html = text_of(editor)
    assert re.search(r'data-testid="notes-sos".*?Skaleringen mangler\.', html, re.S)
    assert re.search(r'data-testid="notes-assessment".*?Uddyb anbefalingen\.', html, re.S)
    response = coordinator.post(
        url("edit", report),
        editor_data(report, sos_next="Ny skalering i juni.", action="submit"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.review_round, report.sos_next) == (
        ReportState.READY,
        2,
        "Ny skalering i juni.",
    )
    # The new round starts without comments on the review page.
    page = reader.get(url("review", report))
    assert "Skaleringen mangler." not in text_of(page)

    assert reader.post(url("mark_reviewed", report)).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.reviewed_by) == (ReportState.REVIEWED, world.consultant)

    page = leader.get(url("review", report))
    assert page.status_code == 200
    assert url("approve", report) in text_of(page)
    assert leader.post(url("approve", report)).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.approved_by) == (ReportState.APPROVED, world.leader)

    detail = coordinator.get(url("detail", report))
    assert re.search(
        f'action="{re.escape(url("send", report))}"[^>]*data-confirm=', text_of(detail)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(url("send", report))
    assert response["Location"] == url("detail", report)
    report.refresh_from_db()
    assert (report.state, report.sent_by, report.sent_to) == (
        ReportState.SENT,
        world.coordinator,
        world.caseworker,
    )
    assert SentDocument.objects.get().report == report
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.caseworker.email]
    assert f"http://testserver{url('detail', report)}" in mail.outbox[0].body

    assert actions(
        action__startswith="report.",
        action__in=[
            "report.submitted",
            "report.commented",
            "report.sent_back",
            "report.reviewed",
            "report.approved",
            "report.sent",
        ],
    ) == [
        "report.submitted",
        "report.commented",
        "report.sent_back",
        "report.submitted",
        "report.reviewed",
        "report.approved",
        "report.sent",
    ]

    # The caseworker opens it: the header, the PDF and no staff-only parts.
    caseworker = english(client_for(world.caseworker))
    page = caseworker.get(url("detail", report))
    assert page.status_code == 200
    html = text_of(page)
    assert "The stored PDF is the document that was sent" in html
    assert "Uddyb anbefalingen." not in html
    assert 'data-testid="review-comments"' not in html
    assert url("edit", report) not in html
    assert reverse("reports:pdf", args=[report.pk]) in html
    report.refresh_from_db()
    assert report.first_opened_at == NOW
    opened = AuditEvent.objects.filter(action="report.opened", actor=world.caseworker)
    assert list(opened.values_list("changes", flat=True)) == [{"what": "page"}]
    # A second opening is audited again; the first opening stays.
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        assert caseworker.get(url("detail", report)).status_code == 200
    report.refresh_from_db()
    assert report.first_opened_at == NOW
    assert opened.count() == 2


def test_sending_without_a_caseworker_shows_the_error(world, client_for):
    report = report_in(world, ReportState.APPROVED)
    world.case.caseworker = None
    world.case.save(update_fields=["caseworker"])
    response = english(client_for(world.coordinator)).post(url("send", report), follow=True)
    assert "The case has no caseworker with an email address." in text_of(response)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert not SentDocument.objects.exists()
    assert mail.outbox == []


def test_sending_back_needs_a_comment(world, client_for):
    report = report_in(world, ReportState.READY)
    response = english(client_for(world.consultant)).post(
        url("send_back", report), {"section": "general", "text": "  "}, follow=True
    )
    assert "Say what should be fixed before sending it back." in text_of(response)
    report.refresh_from_db()
    assert report.state == ReportState.READY
    assert actions(action="report.sent_back") == []


def test_the_approving_leader_sends_back_from_reviewed(world, client_for):
    report = report_in(world, ReportState.REVIEWED)
    response = client_for(world.leader).post(
        url("send_back", report), {"section": "assessment", "text": "Kortere, tak."}
    )
    assert response["Location"] == url("edit", report)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    comment = ReviewComment.objects.get()
    assert (comment.author, comment.section) == (world.leader, ReportSection.ASSESSMENT)
    event = AuditEvent.objects.get(action="report.sent_back")
    assert (event.actor, event.changes) == (world.leader, {"from": ReportState.REVIEWED})


def test_a_correction_is_a_new_version_and_both_are_listed(world, client_for):
    report = report_in(world, ReportState.APPROVED)
    client = english(client_for(world.coordinator))

    response = client.post(url("correct", report))

    copy = Report.objects.get(previous=report)
    assert response["Location"] == url("edit", copy)
    assert (copy.version, copy.state, copy.assessment) == (2, ReportState.DRAFT, ASSESSMENT)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert AuditEvent.objects.get(action="report.correction_started").object_id == str(copy.pk)
    page = client.get(url("detail", report))
    assert page.context["versions"] == [report, copy]
    assert url("detail", copy) in text_of(page)
    listing = client.get(reverse("reports:case_reports", args=[world.case.pk]))
    assert listing.context["reports"] == [report, copy]
    # A second correction of the same version is refused.
    assert client.post(url("correct", report)).status_code == 403
    assert Report.objects.count() == 2


# --- The read-only report -------------------------------------------------------------------


def test_the_detail_page_shows_the_content_and_logs_each_opening(world, client_for):
    goal, note = goal_with_note(world)
    report = start(world)
    section = ReportGoal.objects.get(report=report)
    services.save_report(
        report,
        by=world.coordinator,
        revision=0,
        fields=COMPLETE | {"sos_works": "Mor står op.\nEmma spiser."},
        goal_texts={section.pk: "Fremmødet er steget."},
        excerpts={section.pk: [note.pk]},
    )
    client = english(client_for(world.leader))

    page = client.get(url("detail", report))

    assert page.status_code == 200
    html = text_of(page)
    for text in (GOAL_TITLE, "Fremmødet er steget.", NOTE_TEXT, ASSESSMENT, REASONS):
        assert text in html
    assert "Mor står op.<br>Emma spiser." in html
    assert "Continue the intervention" in html
    assert reverse("cases:detail", args=[world.case.pk]) in html
    assert reverse("reports:docx", args=[report.pk]) in html
    assert page.context["can"] == {
        "edit": True,
        "submit": True,
        "review": False,
        "approve": False,
        "send": False,
        "correct": False,
        "open_review": False,
    }
    event = AuditEvent.objects.get(action="report.opened")
    assert (event.actor, event.changes, event.case_id) == (
        world.leader,
        {"what": "page"},
        world.case.pk,
    )
    report.refresh_from_db()
    assert report.first_opened_at is None  # only the caseworker's first opening is kept


def test_the_detail_page_says_when_an_unsent_report_is_overdue(world, client_for):
    report = start(world)
    path = url("detail", report)
    assert "overdue" not in text_of(english(client_for(world.coordinator)).get(path))
    with time_machine.travel(
        dt.datetime.combine(report.due_on, dt.time(12), CPH) + dt.timedelta(days=1), tick=False
    ):
        page = english(client_for(world.coordinator)).get(path)
    assert page.context["overdue"] is True
    assert '<span class="badge badge-error">overdue</span>' in text_of(page)


@pytest.mark.parametrize("persona", [*OUTSIDERS, "admin", "intake"])
def test_the_detail_page_is_not_found_for_outsiders(world, client_for, persona):
    report = report_in(world, ReportState.DRAFT)
    assert client_for(world.personas()[persona]).get(url("detail", report)).status_code == 404
    assert not AuditEvent.objects.filter(action="report.opened").exists()


def test_a_caseworker_does_not_find_an_unsent_report(world, client_for):
    report = report_in(world, ReportState.APPROVED)
    client = client_for(world.caseworker)
    assert client.get(url("detail", report)).status_code == 404
    assert client.post(url("send", report)).status_code == 404
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED


# --- Who may take each step -----------------------------------------------------------------

STEPS: dict[str, tuple[str, dict[str, str]]] = {
    "submit": (ReportState.DRAFT, {}),
    "comment": (ReportState.READY, {"section": "general", "text": "Godt."}),
    "mark_reviewed": (ReportState.READY, {}),
    "send_back": (ReportState.READY, {"section": "general", "text": "Ret."}),
    "approve": (ReportState.REVIEWED, {}),
    "correct": (ReportState.APPROVED, {}),
    "send": (ReportState.APPROVED, {}),
}
# Personas who may open the report in that state but not take the step: 403.
REFUSED = {
    "submit": "consultant",
    "comment": "coordinator",  # the one who submitted it is not its second reader
    "mark_reviewed": "coordinator",
    "send_back": "coordinator",
    "approve": "consultant",
    "correct": "consultant",
    "send": "consultant",
}


@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_refuses_outsiders_and_those_who_may_not_act(world, client_for, step):
    state, data = STEPS[step]
    report = report_in(world, state)
    before = (
        list(Report.objects.values()),
        ReviewComment.objects.count(),
        actions(action__startswith="report."),
    )
    for persona in [*OUTSIDERS, "caseworker", "admin"]:
        response = client_for(world.personas()[persona]).post(url(step, report), data)
        assert response.status_code == 404, persona
    response = client_for(world.personas()[REFUSED[step]]).post(url(step, report), data)
    assert response.status_code == 403
    assert client_for(world.coordinator).get(url(step, report)).status_code == 405
    after = (
        list(Report.objects.values()),
        ReviewComment.objects.count(),
        actions(action__startswith="report."),
    )
    assert after == before


def test_the_review_page_is_for_the_second_reader_and_the_approving_leader(world, client_for):
    report = report_in(world, ReportState.READY)
    assert client_for(world.coordinator).get(url("review", report)).status_code == 403
    assert client_for(world.outsider_consultant).get(url("review", report)).status_code == 404
    page = client_for(world.leader).get(url("review", report))
    assert page.status_code == 200
    assert page.context["can"]["review"] is True
    assert page.context["can"]["approve"] is False
    services.mark_reviewed(report, by=world.consultant)
    assert client_for(world.consultant).get(url("review", report)).status_code == 403
    page = client_for(world.leader).get(url("review", report))
    assert page.context["can"]["approve"] is True
    assert 'name="text"' in text_of(page)  # the send-back comment
    assert url("comment", report) not in text_of(page)  # comments belong to the second reader


# --- Query counts and markup ----------------------------------------------------------------


def count_queries(client, path: str) -> int:
    client.get(path)  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_case_reports_list_makes_the_same_queries_for_one_and_three_reports(world, client_for):
    client = client_for(world.coordinator)
    path = reverse("reports:case_reports", args=[world.case.pk])
    start(world)
    one = count_queries(client, path)
    deadlines = deadlines_for_case(world.case)
    start(world, deadline_number=deadlines[1].number, due_on=deadlines[1].due)
    services.start_report(world.case, by=world.coordinator, kind=ReportKind.ADHOC)
    three = count_queries(client, path)
    assert len(client.get(path).context["reports"]) == 3
    assert three == one


def test_the_detail_page_makes_the_same_queries_for_one_and_three_goals(world, client_for):
    client = client_for(world.coordinator)
    goal_with_note(world)
    one_goal = report_in(world, ReportState.DRAFT)
    section = ReportGoal.objects.get(report=one_goal)
    services.save_report(
        one_goal,
        by=world.coordinator,
        revision=one_goal.revision,
        fields={},
        excerpts={section.pk: [JournalEntry.objects.get().pk]},
    )
    for number in (2, 3):
        goal_with_note(world, title=f"Mål {number}", text=f"Note {number}")
    three_goals = services.start_report(world.case, by=world.coordinator, kind=ReportKind.ADHOC)
    for section in three_goals.goal_sections.all():
        services.save_report(
            three_goals,
            by=world.coordinator,
            revision=Report.objects.get(pk=three_goals.pk).revision,
            fields={},
            excerpts={section.pk: [e.pk for e in JournalEntry.objects.filter(goals=section.goal)]},
        )
    assert three_goals.goal_sections.count() == 3

    assert count_queries(client, url("detail", three_goals)) == count_queries(
        client, url("detail", one_goal)
    )


def test_pages_have_no_inline_style_or_script(world, client_for):
    goal_with_note(world)
    draft = report_in(world, ReportState.DRAFT)
    deadlines = deadlines_for_case(world.case)
    ready = report_in(
        world, ReportState.READY, deadline_number=deadlines[1].number, due_on=deadlines[1].due
    )
    pages = [
        (world.coordinator, reverse("reports:case_reports", args=[world.case.pk])),
        (world.coordinator, url("detail", draft)),
        (world.coordinator, url("edit", draft)),
        (world.consultant, url("review", ready)),
        (world.consultant, url("detail", ready)),
    ]
    for user, path in pages:
        response = client_for(user).get(path)
        assert response.status_code == 200, path
        html = text_of(response)
        assert "style=" not in html, path
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, path
        assert " on" + "click=" not in html, path
