"""The portal's services against the real rules: each change, its one audit row, its link-only
mail, and the personas it refuses (nothing changes when refused)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from traad.accounts.models import Role
from traad.audit.models import AuditEvent
from traad.factories import CaseFactory, UserFactory
from traad.portal import services
from traad.portal.models import Feedback, InformationPreference, Recommendation, StatementRequest
from traad.reports import services as report_services
from traad.reports.models import ReportKind, ReportState

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 5, 20, 12, 0, tzinfo=CPH)
TEXT = "Familien klarer sig godt uden aftenbesøg."
NOT_CASEWORKERS = (
    "coordinator",
    "consultant",
    "leader",
    "intake",
    "admin",
    "other_caseworker",
    "outsider_consultant",
    "other_leader",
)
NOT_MANAGERS = (
    "consultant",
    "intake",
    "admin",
    "caseworker",
    "other_caseworker",
    "outsider_consultant",
    "other_leader",
)


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def sent_report(world, recommendation: str):  # type: ignore[no-untyped-def]
    """A report taken through the real workflow and sent."""
    report = report_services.start_report(
        world.case,
        by=world.coordinator,
        kind=ReportKind.STATUS,
        deadline_number=1,
        due_on=dt.date(2026, 6, 1),
    )
    report = report_services.save_report(
        report,
        by=world.coordinator,
        revision=report.revision,
        fields={
            "assessment": "Familien samarbejder godt.",
            "recommendation": recommendation,
            "recommendation_reasons": TEXT,
        },
    )
    report = report_services.submit_for_review(report, by=world.coordinator)
    report = report_services.mark_reviewed(report, by=world.consultant)
    report = report_services.approve_report(report, by=world.leader)
    return report_services.send_report(report, by=world.coordinator, base_url="https://t.example")


# --- recommend ------------------------------------------------------------------------------


def test_recommend_mails_a_link_only_and_audits(world):
    recommendation = services.recommend(
        world.case, by=world.coordinator, kind="scale_down", text=f"  {TEXT} "
    )
    assert (recommendation.kind, recommendation.text, recommendation.created_by) == (
        "scale_down",
        TEXT,
        world.coordinator,
    )
    assert recommendation.is_open
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.caseworker.email]
    assert f"/portal/sager/{world.case.pk}/" in mail.outbox[0].body
    assert TEXT not in mail.outbox[0].body
    assert world.case.number not in mail.outbox[0].body
    [event] = events("portal.recommendation_made")
    assert (event.actor, event.case_id, event.changes) == (
        world.coordinator,
        world.case.pk,
        {"kind": "scale_down"},
    )


@pytest.mark.parametrize("kind,text", [("nonsense", TEXT), ("scale_up", "  ")])
def test_recommend_needs_a_kind_and_reasons(world, kind, text):
    with pytest.raises(ValidationError):
        services.recommend(world.case, by=world.coordinator, kind=kind, text=text)
    assert Recommendation.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_recommend_refused(world, persona):
    with pytest.raises(PermissionDenied):
        services.recommend(world.case, by=getattr(world, persona), kind="scale_up", text=TEXT)
    assert Recommendation.objects.count() == 0
    assert events("portal.recommendation_made") == []


# --- recommend_from_report ------------------------------------------------------------------


def test_a_sent_report_recommending_to_scale_down_becomes_a_recommendation(world):
    report = sent_report(world, "scale_down")
    assert report.state == ReportState.SENT
    [recommendation] = Recommendation.objects.all()
    assert (recommendation.kind, recommendation.report, recommendation.text) == (
        "scale_down",
        report,
        TEXT,
    )
    # Only the report's own mail reached the caseworker.
    assert [m.to for m in mail.outbox if m.to == [world.caseworker.email]] == [
        [world.caseworker.email]
    ]
    assert len(events("portal.recommendation_made")) == 1


def test_a_sent_report_recommending_to_continue_makes_none(world):
    sent_report(world, "continue")
    assert Recommendation.objects.count() == 0
    assert events("portal.recommendation_made") == []


# --- answer_recommendation ------------------------------------------------------------------


@pytest.fixture
def recommendation(world):  # type: ignore[no-untyped-def]
    made = services.recommend(world.case, by=world.coordinator, kind="scale_down", text=TEXT)
    mail.outbox.clear()
    return made


def test_agree_without_text(world, recommendation):
    services.answer_recommendation(recommendation, by=world.caseworker, answer="agree")
    recommendation.refresh_from_db()
    assert (recommendation.answer, recommendation.answer_text, recommendation.answered_by) == (
        "agree",
        "",
        world.caseworker,
    )
    assert recommendation.answered_at == NOW
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]
    assert f"/sager/{world.case.pk}/" in mail.outbox[0].body
    [event] = events("portal.recommendation_answered")
    assert (event.actor, event.case_id, event.changes) == (
        world.caseworker,
        world.case.pk,
        {"answer": "agree"},
    )


def test_disagree_needs_text(world, recommendation):
    with pytest.raises(ValidationError):
        services.answer_recommendation(recommendation, by=world.caseworker, answer="disagree")
    recommendation.refresh_from_db()
    assert recommendation.is_open
    services.answer_recommendation(
        recommendation, by=world.caseworker, answer="disagree", text="Det er for tidligt."
    )
    recommendation.refresh_from_db()
    assert (recommendation.answer, recommendation.answer_text) == (
        "disagree",
        "Det er for tidligt.",
    )
    assert "Det er for tidligt." not in mail.outbox[0].body


def test_answering_twice_is_refused(world, recommendation):
    services.answer_recommendation(recommendation, by=world.caseworker, answer="agree")
    with pytest.raises(PermissionDenied):
        services.answer_recommendation(
            recommendation, by=world.caseworker, answer="disagree", text="Alligevel ikke."
        )
    recommendation.refresh_from_db()
    assert recommendation.answer == "agree"
    assert len(events("portal.recommendation_answered")) == 1


def test_answer_mails_the_team_leaders_without_a_coordinator(world, recommendation):
    world.case.coordinator = None
    world.case.save(update_fields=["coordinator"])
    second = UserFactory(email="leder3@traad.example", role=Role.LEADER, team=world.team)
    services.answer_recommendation(recommendation, by=world.caseworker, answer="agree")
    recipients = sorted(addr for m in mail.outbox for addr in m.to)
    assert recipients == sorted([world.leader.email, second.email])


@pytest.mark.parametrize("persona", NOT_CASEWORKERS)
def test_answer_refused(world, recommendation, persona):
    with pytest.raises(PermissionDenied):
        services.answer_recommendation(recommendation, by=getattr(world, persona), answer="agree")
    recommendation.refresh_from_db()
    assert recommendation.is_open
    assert mail.outbox == []
    assert events("portal.recommendation_answered") == []


# --- request_statement / close_statement_request --------------------------------------------


def test_request_statement_mails_the_coordinator(world):
    request = services.request_statement(
        world.case, by=world.caseworker, text=" Hvordan går skolen? ", wanted_by=NOW.date()
    )
    assert (request.text, request.wanted_by, request.requested_by) == (
        "Hvordan går skolen?",
        NOW.date(),
        world.caseworker,
    )
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]
    assert "skolen" not in mail.outbox[0].body
    [event] = events("portal.statement_requested")
    assert (event.actor, event.case_id) == (world.caseworker, world.case.pk)


def test_request_statement_refuses_a_past_date_and_empty_text(world):
    with pytest.raises(ValidationError):
        services.request_statement(
            world.case, by=world.caseworker, text="x", wanted_by=NOW.date() - dt.timedelta(1)
        )
    with pytest.raises(ValidationError):
        services.request_statement(world.case, by=world.caseworker, text=" ")
    assert StatementRequest.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("persona", NOT_CASEWORKERS)
def test_request_statement_refused(world, persona):
    with pytest.raises(PermissionDenied):
        services.request_statement(world.case, by=getattr(world, persona), text="x")
    assert StatementRequest.objects.count() == 0


def test_close_statement_request_once(world):
    request = services.request_statement(world.case, by=world.caseworker, text="x")
    services.close_statement_request(request, by=world.leader)
    services.close_statement_request(request, by=world.coordinator)
    request.refresh_from_db()
    assert (request.closed_at, request.closed_by) == (NOW, world.leader)
    [event] = events("portal.statement_request_closed")
    assert (event.actor, event.case_id) == (world.leader, world.case.pk)


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_close_statement_request_refused(world, persona):
    request = services.request_statement(world.case, by=world.caseworker, text="x")
    with pytest.raises(PermissionDenied):
        services.close_statement_request(request, by=getattr(world, persona))
    request.refresh_from_db()
    assert request.closed_at is None
    assert events("portal.statement_request_closed") == []


# --- set_information_preference -------------------------------------------------------------


def test_information_preference_update_keeps_one_row(world):
    services.set_information_preference(world.case, by=world.caseworker, text="Hver uge")
    services.set_information_preference(world.case, by=world.caseworker, text=" Hver måned ")
    [preference] = InformationPreference.objects.all()
    assert (preference.text, preference.updated_by) == ("Hver måned", world.caseworker)
    assert [e.changes for e in events("portal.information_preference_set")] == [
        {"created": True},
        {"created": False},
    ]
    with pytest.raises(ValidationError):
        services.set_information_preference(world.case, by=world.caseworker, text="")


@pytest.mark.parametrize("persona", NOT_CASEWORKERS)
def test_information_preference_refused(world, persona):
    with pytest.raises(PermissionDenied):
        services.set_information_preference(world.case, by=getattr(world, persona), text="x")
    assert InformationPreference.objects.count() == 0


# --- give_feedback --------------------------------------------------------------------------


def test_give_feedback_with_and_without_report(world):
    report = sent_report(world, "continue")
    feedback = services.give_feedback(
        world.case,
        by=world.caseworker,
        collaboration=5,
        report_usefulness=4,
        progression_info=3,
        comment=" Gode møder. ",
        report=report,
    )
    assert (feedback.comment, feedback.report, feedback.average) == ("Gode møder.", report, 4.0)
    services.give_feedback(
        world.case, by=world.caseworker, collaboration=1, report_usefulness=1, progression_info=1
    )
    assert Feedback.objects.count() == 2
    assert [e.changes for e in events("portal.feedback_given")] == [
        {
            "collaboration": 5,
            "report_usefulness": 4,
            "progression_info": 3,
            "report": str(report.pk),
        },
        {"collaboration": 1, "report_usefulness": 1, "progression_info": 1, "report": ""},
    ]


@pytest.mark.parametrize("score", [0, 6, -1, "3", None])
def test_feedback_scores_are_1_to_5(world, score):
    with pytest.raises(ValidationError):
        services.give_feedback(
            world.case,
            by=world.caseworker,
            collaboration=3,
            report_usefulness=score,  # type: ignore[arg-type]
            progression_info=3,
        )
    assert Feedback.objects.count() == 0


def test_feedback_report_must_be_a_sent_report_of_the_case(world):
    draft = report_services.start_report(
        world.case,
        by=world.coordinator,
        kind=ReportKind.STATUS,
        deadline_number=1,
        due_on=dt.date(2026, 6, 1),
    )
    other_case = CaseFactory(
        team=world.team,
        municipality=world.case.municipality,
        caseworker=world.caseworker,
        coordinator=world.coordinator,
    )
    with pytest.raises(ValidationError):
        services.give_feedback(
            world.case,
            by=world.caseworker,
            collaboration=3,
            report_usefulness=3,
            progression_info=3,
            report=draft,
        )
    draft.delete()
    sent = sent_report(world, "continue")
    with pytest.raises(ValidationError):
        services.give_feedback(
            other_case,
            by=world.caseworker,
            collaboration=3,
            report_usefulness=3,
            progression_info=3,
            report=sent,
        )
    assert Feedback.objects.count() == 0
    assert events("portal.feedback_given") == []


@pytest.mark.parametrize("persona", NOT_CASEWORKERS)
def test_feedback_refused(world, persona):
    with pytest.raises(PermissionDenied):
        services.give_feedback(
            world.case,
            by=getattr(world, persona),
            collaboration=3,
            report_usefulness=3,
            progression_info=3,
        )
    assert Feedback.objects.count() == 0


# --- invite_caseworker ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_invite_refused(world, persona):
    world.caseworker.set_unusable_password()
    world.caseworker.save(update_fields=["password"])
    with pytest.raises(PermissionDenied):
        services.invite_caseworker(world.case, by=getattr(world, persona))
    assert mail.outbox == []
    assert events("portal.caseworker_invited") == []
