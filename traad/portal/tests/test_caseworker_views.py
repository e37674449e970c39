"""The caseworker's side of the portal: the case page and what they send from it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from traad.audit.models import AuditEvent
from traad.cases.models import Case, InterventionType, Order
from traad.factories import CaseFactory, UserFactory, municipality
from traad.journal import services as journal
from traad.journal.models import FocusArea, SessionStatus
from traad.portal import services
from traad.portal.models import Feedback, InformationPreference, Recommendation, StatementRequest
from traad.reports.models import Report, ReportKind, ReportState
from traad.safety.models import MapPart
from traad.safety.services import maps as safety

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def english(client):
    client.cookies["django_language"] = "en"
    return client


def actions(**filters):
    return list(
        AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def make_report(case: Case, *, number: int = 1, version: int = 1, previous=None) -> Report:
    return Report.objects.create(
        case=case,
        kind=ReportKind.STATUS,
        deadline_number=number,
        due_on=dt.date(2026, 11, 10),
        period_start=dt.date(2026, 8, 10),
        period_end=dt.date(2026, 11, 1),
        state=ReportState.SENT,
        version=version,
        previous=previous,
        sent_at=dt.datetime(2026, 11, 5, 12, tzinfo=TZ),
        created_by=case.coordinator,
    )


def make_goal(world, title: str, scores=(3, 5)):
    goal = journal.create_goal(
        world.case, by=world.consultant, title=title, focus_area=FocusArea.PARENTING
    )
    for day, score in enumerate(scores, start=1):
        journal.rate_goal(
            goal,
            by=world.consultant,
            score=score,
            rater_role="consultant",
            rated_on=dt.date(2026, 11, day),
        )
    return goal


def recommend(world, case=None) -> Recommendation:
    return services.recommend(
        case or world.case,
        by=world.coordinator,
        kind="scale_down",
        text="Familien klarer sig godt.",
        notify=False,
    )


@pytest.fixture
def full_case(world):
    case = world.case
    case.intervention_type = InterventionType.objects.filter(is_visitation=False).first()
    case.save(update_fields=["intervention_type"])
    world.coordinator.phone = "+45 12 34 56 78"
    world.coordinator.save(update_fields=["phone"])
    Order.objects.create(
        case=case,
        version=1,
        approved_hours_per_week=Decimal("6.5"),
        period_start=dt.date(2026, 8, 1),
        period_end=dt.date(2027, 1, 31),
        created_by=world.coordinator,
    )
    make_goal(world, "Emma kommer i skole hver dag")
    report = make_report(case)
    meeting = safety.start_meeting(case, by=world.coordinator, held_on=dt.date(2026, 11, 2))
    safety.add_map_item(
        meeting, by=world.coordinator, part=MapPart.STRENGTHS, text="Mor elsker Emma."
    )
    return report


def test_the_caseworker_sees_the_case_page(world, client_for, full_case):
    recommendation = recommend(world)
    response = english(client_for(world.caseworker)).get(
        reverse("portal:case", args=[world.case.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "6.5" in html
    assert world.case.intervention_type.legal_basis in html
    assert f'href="mailto:{world.coordinator.email}"' in html
    assert 'href="tel:+45 12 34 56 78"' in html
    assert f'href="mailto:{world.consultant.email}"' in html
    assert "Emma kommer i skole hver dag" in html
    assert "<svg" in html
    assert reverse("reports:pdf", args=[full_case.pk]) in html
    assert reverse("reports:docx", args=[full_case.pk]) in html
    assert "Not opened yet" in html
    assert "Mor elsker Emma." in html
    assert reverse("portal:answer", args=[recommendation.pk]) in html
    assert reverse("portal:feedback", args=[world.case.pk]) in html
    assert "safety:item_add" not in html and "Mark as done" not in html
    assert actions(action="portal.case_viewed", case_id=world.case.pk) == ["portal.case_viewed"]
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert " on" + "click=" not in html


def test_a_replaced_report_is_marked(world, client_for):
    first = make_report(world.case)
    make_report(world.case, version=2, previous=first)
    response = english(client_for(world.caseworker)).get(
        reverse("portal:case", args=[world.case.pk])
    )
    assert "Replaced by version 2" in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    [
        "other_caseworker",
        "coordinator",
        "consultant",
        "leader",
        "admin",
        "intake",
        "outsider_consultant",
    ],
)
def test_everyone_else_gets_404(world, client_for, persona):
    recommendation = recommend(world)
    client = client_for(world.personas()[persona])
    case_id = world.case.pk
    assert client.get(reverse("portal:case", args=[case_id])).status_code == 404
    assert client.get(reverse("portal:feedback", args=[case_id])).status_code == 404
    response = client.post(reverse("portal:answer", args=[recommendation.pk]), {"answer": "agree"})
    # Staff on the case see the recommendation (on the case page) but may not answer it.
    on_case = persona in ("coordinator", "consultant", "leader")
    assert response.status_code == (403 if on_case else 404)
    assert (
        client.post(reverse("portal:request_statement", args=[case_id]), {"text": "x"}).status_code
        == 404
    )
    assert (
        client.post(reverse("portal:preference", args=[case_id]), {"text": "x"}).status_code == 404
    )
    recommendation.refresh_from_db()
    assert recommendation.is_open
    assert not StatementRequest.objects.exists()
    assert not InformationPreference.objects.exists()
    assert actions(action__startswith="portal.case_viewed") == []


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(reverse("portal:case", args=[world.case.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_covering_caseworker_of_the_same_municipality_sees_and_answers(world, client_for):
    colleague = UserFactory(
        email="kollega@traad.example",
        role="caseworker",
        team=None,
        municipality=municipality("101"),
    )
    recommendation = recommend(world)
    client = client_for(colleague)
    assert client.get(reverse("portal:case", args=[world.case.pk])).status_code == 404

    municipality_ = world.case.municipality
    municipality_.caseworkers_cover_each_other = True
    municipality_.save(update_fields=["caseworkers_cover_each_other"])
    assert client.get(reverse("portal:case", args=[world.case.pk])).status_code == 200
    client.post(reverse("portal:answer", args=[recommendation.pk]), {"answer": "agree"})
    recommendation.refresh_from_db()
    assert recommendation.answered_by == colleague
    # Another municipality's caseworker never does.
    other = client_for(world.other_caseworker)
    assert other.get(reverse("portal:case", args=[world.case.pk])).status_code == 404


def test_answering_a_recommendation(world, client_for):
    recommendation = recommend(world)
    mail.outbox.clear()
    client = english(client_for(world.caseworker))
    response = client.post(
        reverse("portal:answer", args=[recommendation.pk]),
        {"answer": "disagree", "text": "Vi vil gerne fortsætte et halvt år."},
        follow=True,
    )
    assert response.redirect_chain[0][0] == reverse("portal:case", args=[world.case.pk])
    assert "Your answer has been sent" in response.content.decode()
    recommendation.refresh_from_db()
    assert (recommendation.answer, recommendation.answer_text, recommendation.answered_by) == (
        "disagree",
        "Vi vil gerne fortsætte et halvt år.",
        world.caseworker,
    )
    assert actions(action="portal.recommendation_answered") == ["portal.recommendation_answered"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.coordinator.email]
    assert reverse("cases:detail", args=[world.case.pk]) in message.body
    assert "halvt år" not in message.body and "godt" not in message.body
    assert world.case.number not in message.subject

    # Answering twice is refused.
    again = client.post(reverse("portal:answer", args=[recommendation.pk]), {"answer": "agree"})
    assert again.status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.answer == "disagree"
    assert len(mail.outbox) == 1


def test_a_disagreement_needs_a_comment(world, client_for):
    recommendation = recommend(world)
    client = english(client_for(world.caseworker))
    response = client.post(
        reverse("portal:answer", args=[recommendation.pk]), {"answer": "disagree"}, follow=True
    )
    assert "Write your comment for the provider." in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.is_open


def test_asking_for_a_statement(world, client_for):
    mail.outbox.clear()
    response = client_for(world.caseworker).post(
        reverse("portal:request_statement", args=[world.case.pk]),
        {"text": "Hvordan går det med skolegangen?", "wanted_by": "2026-12-01"},
    )
    assert response.status_code == 302
    request = StatementRequest.objects.get()
    assert (request.case, request.wanted_by, request.requested_by) == (
        world.case,
        dt.date(2026, 12, 1),
        world.caseworker,
    )
    assert actions(action="portal.statement_requested") == ["portal.statement_requested"]
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]


def test_a_statement_wanted_in_the_past_is_refused(world, client_for):
    response = english(client_for(world.caseworker)).post(
        reverse("portal:request_statement", args=[world.case.pk]),
        {"text": "Hvordan går det?", "wanted_by": "2026-11-01"},
        follow=True,
    )
    assert "Choose a date from today on." in response.content.decode()
    assert not StatementRequest.objects.exists()


def test_the_information_preference_is_saved_and_shown(world, client_for):
    client = client_for(world.caseworker)
    url = reverse("portal:preference", args=[world.case.pk])
    client.post(url, {"text": "Kort mail hver 14. dag."})
    client.post(url, {"text": "Kort mail hver måned."})
    assert InformationPreference.objects.get(case=world.case).text == "Kort mail hver måned."
    assert (
        actions(action="portal.information_preference_set")
        == ["portal.information_preference_set"] * 2
    )
    page = client.get(reverse("portal:case", args=[world.case.pk]))
    assert page.context["preference_form"].initial == {"text": "Kort mail hver måned."}


def test_feedback_without_a_report(world, client_for):
    client = english(client_for(world.caseworker))
    url = reverse("portal:feedback", args=[world.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "collaboration": "4",
            "report_usefulness": "5",
            "progression_info": "3",
            "comment": "Fint",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("portal:case", args=[world.case.pk])
    assert "Thank you for your feedback." in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.collaboration, feedback.report_usefulness, feedback.progression_info) == (
        4,
        5,
        3,
    )
    assert feedback.report is None and feedback.given_by == world.caseworker
    assert actions(action="portal.feedback_given") == ["portal.feedback_given"]


def test_feedback_about_a_report(world, client_for):
    report = make_report(world.case)
    client = english(client_for(world.caseworker))
    url = reverse("portal:feedback", args=[world.case.pk]) + f"?report={report.pk}"
    page = client.get(url)
    assert 'data-testid="feedback-report"' in page.content.decode()
    client.post(url, {"collaboration": "5", "report_usefulness": "5", "progression_info": "5"})
    assert Feedback.objects.get().report == report


def test_feedback_about_an_unsent_or_foreign_report_is_404(world, client_for):
    draft = make_report(world.case)
    Report.objects.filter(pk=draft.pk).update(state=ReportState.DRAFT)
    foreign = make_report(CaseFactory(team=world.team, coordinator=world.coordinator))
    client = client_for(world.caseworker)
    for report in (draft, foreign):
        url = reverse("portal:feedback", args=[world.case.pk]) + f"?report={report.pk}"
        assert client.get(url).status_code == 404
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("score", ["0", "6", ""])
def test_scores_out_of_range_are_refused(world, client_for, score):
    response = english(client_for(world.caseworker)).post(
        reverse("portal:feedback", args=[world.case.pk]),
        {"collaboration": score, "report_usefulness": "3", "progression_info": "3"},
    )
    assert response.status_code == 400
    assert "Choose a score from 1 to 5 on each scale." in response.content.decode()
    assert not Feedback.objects.exists()
    assert actions(action="portal.feedback_given") == []


@pytest.fixture
def visitation_case(world):
    case = CaseFactory(
        team=world.team,
        coordinator=world.coordinator,
        consultants=[world.consultant],
        caseworker=world.caseworker,
        intervention_type=InterventionType.objects.get(name="Støttet samvær"),
    )
    return case


def plan(world, case, day):
    return journal.plan_session(
        case,
        by=world.consultant,
        starts_at=dt.datetime(2026, 11, day, 15, tzinfo=TZ),
        ends_at=dt.datetime(2026, 11, day, 17, tzinfo=TZ),
        place="Samværslokalet",
        participants="Emma og far",
    )


def signed_session(world, case, day=18):
    session = plan(world, case, day)
    journal.save_session_report(
        session,
        by=world.consultant,
        fields={
            "status": SessionStatus.HELD,
            "place": "Samværslokalet",
            "participants": "Emma og far",
            "what_happened": "Far kom til tiden.",
            "observations": "Emma var glad.",
            "assessment": "Trygt samvær.",
            "starts_at": dt.datetime(2026, 11, day, 15, tzinfo=TZ),
            "ends_at": dt.datetime(2026, 11, day, 17, tzinfo=TZ),
        },
    )
    return journal.sign_session(session, by=world.consultant)


def test_signed_sessions_are_listed_and_open_as_pdf(world, client_for, visitation_case):
    signed = signed_session(world, visitation_case)
    unsigned = plan(world, visitation_case, 19)
    client = client_for(world.caseworker)
    page = client.get(reverse("portal:case", args=[visitation_case.pk])).content.decode()
    assert reverse("portal:session_pdf", args=[signed.pk]) in page
    assert reverse("portal:session_pdf", args=[unsigned.pk]) not in page

    response = client.get(reverse("portal:session_pdf", args=[signed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "no-store"
    assert actions(action="portal.session_pdf_opened", case_id=visitation_case.pk) == [
        "portal.session_pdf_opened"
    ]
    assert client.get(reverse("portal:session_pdf", args=[unsigned.pk])).status_code == 404
    for persona in ("other_caseworker", "consultant", "coordinator"):
        other = client_for(world.personas()[persona])
        assert other.get(reverse("portal:session_pdf", args=[signed.pk])).status_code == 404
    assert actions(action="portal.session_pdf_opened") == ["portal.session_pdf_opened"]


def test_case_detail_sends_the_caseworker_to_the_portal(world, client_for):
    client = client_for(world.caseworker)
    response = client.get(reverse("cases:detail", args=[world.case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:case", args=[world.case.pk])
    other = client_for(world.other_caseworker)
    assert other.get(reverse("cases:detail", args=[world.case.pk])).status_code == 404
    assert (
        client_for(world.coordinator).get(reverse("cases:detail", args=[world.case.pk])).status_code
        == 200
    )


def test_the_start_page_lists_cases_open_recommendations_and_unread_reports(world, client_for):
    recommendation = recommend(world)
    answered = recommend(world)
    services.answer_recommendation(answered, by=world.caseworker, answer="agree")
    unread = make_report(world.case)
    read = make_report(world.case, number=2)
    Report.objects.filter(pk=read.pk).update(first_opened_at=NOW)
    response = client_for(world.caseworker).get(reverse("core:start"))
    assert response.status_code == 200
    assert list(response.context["open_recommendations"]) == [recommendation]
    assert list(response.context["unread_reports"]) == [unread]
    html = response.content.decode()
    assert reverse("portal:case", args=[world.case.pk]) in html
    assert reverse("reports:detail", args=[unread.pk]) in html
    assert reverse("reports:detail", args=[read.pk]) not in html
    assert "style=" not in html


def test_the_report_page_asks_the_caseworker_for_feedback(world, client_for):
    report = make_report(world.case)
    response = english(client_for(world.caseworker)).get(
        reverse("reports:detail", args=[report.pk])
    )
    html = response.content.decode()
    assert "How useful was this report?" in html
    assert reverse("portal:feedback", args=[world.case.pk]) + f"?report={report.pk}" in html


def _queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:case", args=[case.pk])).status_code == 200
    return len(queries)


def test_the_case_page_makes_as_many_queries_for_three_goals_and_reports_as_for_one(
    world, client_for
):
    client = client_for(world.caseworker)
    make_goal(world, "Mål 1")
    make_report(world.case, number=1)
    recommend(world)
    _queries(client, world.case)  # the first request of a session warms caches
    one = _queries(client, world.case)
    make_goal(world, "Mål 2")
    make_goal(world, "Mål 3")
    make_report(world.case, number=2)
    make_report(world.case, number=3)
    recommend(world)
    recommend(world)
    assert _queries(client, world.case) == one
