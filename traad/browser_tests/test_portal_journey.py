"""The caseworker portal, as the people involved click it: the Copenhagen caseworker opens the
case from the start page, reads the sent report and its PDF, disagrees with the provider's
recommendation in a comment and rates the collaboration; the coordinator then sees the answer
and the feedback on the case; the Aarhus caseworker gets 404 on the case and on the report.

The pages run in English (the language cookie), so the test follows the English labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from traad.accounts.models import Role
from traad.audit.models import AuditEvent
from traad.browser_tests.helpers import signed_in, team_and_case
from traad.factories import UserFactory, municipality
from traad.journal import services as journal
from traad.journal.models import FocusArea, RaterRole
from traad.portal import services as portal
from traad.portal.models import Answer, Feedback, Recommendation, RecommendationKind
from traad.reports import services as reports
from traad.reports.models import Recommendation as ReportRecommendation
from traad.reports.models import Report, ReportKind, ReportState

pytestmark = pytest.mark.django_db(transaction=True)

GOAL = "Emma kommer i skole hver dag"
REASONS = "Familien har nået flere af målene og bruger selv netværket."
DISAGREE = "Skolen er stadig bekymret for fraværet. Lad os vente til efter skolemødet."
COMMENT = "Hurtige svar og en rapport, der er let at læse."


def the_world() -> tuple[Any, dict[str, Any], Report, Recommendation]:
    case, people = team_and_case()
    people["other_caseworker"] = UserFactory(
        email="sagsbehandler2@traad.example",
        role=Role.CASEWORKER,
        team=None,
        municipality=municipality("751"),
        with_mfa=False,
    )
    coordinator, consultant = people["coordinator"], people["consultant"]
    goal = journal.create_goal(
        case, by=coordinator, title=GOAL, focus_area=FocusArea.CHILD_DEVELOPMENT
    )
    journal.rate_goal(
        goal,
        by=consultant,
        score=3,
        rater_role=RaterRole.CONSULTANT,
        rated_on=timezone.localdate() - dt.timedelta(days=60),
    )
    journal.rate_goal(goal, by=consultant, score=6, rater_role=RaterRole.CONSULTANT)

    report = reports.start_report(case, by=coordinator, kind=ReportKind.ADHOC)
    report = reports.save_report(
        report,
        by=coordinator,
        revision=report.revision,
        fields={
            "assessment": "Familien har flyttet sig tydeligt.",
            "recommendation": ReportRecommendation.CONTINUE,
            "recommendation_reasons": "Målene er ikke nået endnu.",
        },
    )
    report = reports.submit_for_review(report, by=coordinator)
    report = reports.mark_reviewed(report, by=consultant)
    report = reports.approve_report(report, by=people["leader"])
    report = reports.send_report(report, by=coordinator, notify=False)
    recommendation = portal.recommend(
        case,
        by=coordinator,
        kind=RecommendationKind.SCALE_DOWN,
        text=REASONS,
        notify=False,
    )
    return case, people, report, recommendation


def test_caseworker_reads_the_report_answers_and_gives_feedback_the_provider_sees_it(
    browser, live_server, settings
):
    settings.TRAAD_REQUIRE_MFA = False
    case, people, report, recommendation = the_world()
    caseworker, coordinator = people["caseworker"], people["coordinator"]
    assert report.state == ReportState.SENT and report.first_opened_at is None
    mail.outbox.clear()

    # The caseworker opens the case from the start page, then the report and its PDF.
    with signed_in(browser, live_server, caseworker) as page:
        page.get_by_test_id("caseworker-cases").get_by_role("link", name=case.number).click()
        page.wait_for_url(f"**/portal/sager/{case.pk}/")
        with translation.override("en"):
            title = str(report)
        page.get_by_test_id(f"report-{report.pk}").get_by_role("link", name=title).click()
        page.wait_for_url(f"**/rapporter/{report.pk}/")
        href = page.get_by_role("link", name="Open the sent PDF").get_attribute("href")
        pdf = page.context.request.get(href)
        assert pdf.status == 200
        assert pdf.body() == bytes(report.document.pdf)
        report.refresh_from_db()
        assert report.first_opened_at is not None

        # Back on the case: they disagree with the recommendation, in a comment.
        page.goto(f"/portal/sager/{case.pk}/")
        card = page.get_by_test_id(f"open-recommendation-{recommendation.pk}")
        card.get_by_label("Disagree", exact=True).check()
        assert card.locator(f"input[value={Answer.DISAGREE}]").is_checked()
        card.locator("textarea[name=text]").fill(DISAGREE)
        card.get_by_role("button", name="Send your answer").click()
        page.wait_for_url(f"**/portal/sager/{case.pk}/")
        answered = page.get_by_test_id(f"answered-recommendation-{recommendation.pk}")
        assert DISAGREE in answered.inner_text()
        recommendation.refresh_from_db()
        assert (recommendation.answer, recommendation.answer_text) == (Answer.DISAGREE, DISAGREE)
        assert recommendation.answered_by == caseworker
        assert [m.to for m in mail.outbox] == [[coordinator.email]]
        assert f"/sager/{case.pk}/" in mail.outbox[0].body
        assert DISAGREE not in mail.outbox[0].body  # mail holds a link, never case content

        # They rate the collaboration on three scales and add a comment.
        page.get_by_role("link", name="Give feedback").click()
        page.wait_for_url(f"**/portal/sager/{case.pk}/feedback/")
        for name, score in (
            ("collaboration", 4),
            ("report_usefulness", 5),
            ("progression_info", 3),
        ):
            option = page.locator(f"input[name={name}][value='{score}']")
            option.check()  # the DKFDS radio is visible and takes the click itself
            assert option.is_checked()
        page.fill("textarea[name=comment]", COMMENT)
        page.get_by_role("button", name="Send feedback").click()
        page.wait_for_url(f"**/portal/sager/{case.pk}/")
        assert page.get_by_text("Thank you for your feedback.").is_visible()
    feedback = Feedback.objects.get(case=case)
    assert (
        feedback.collaboration,
        feedback.report_usefulness,
        feedback.progression_info,
        feedback.comment,
        feedback.given_by,
    ) == (4, 5, 3, COMMENT, caseworker)
    actions = set(
        AuditEvent.objects.filter(case_id=case.pk, actor=caseworker).values_list(
            "action", flat=True
        )
    )
    assert {"portal.recommendation_answered", "portal.feedback_given"} <= actions

    # The coordinator sees the answer and the feedback in the portal panel of the case.
    with signed_in(browser, live_server, coordinator) as page:
        page.goto(f"/sager/{case.pk}/")
        panel = page.get_by_test_id("portal-panel")
        item = panel.get_by_test_id(f"portal-recommendation-{recommendation.pk}")
        assert "Disagree" in item.inner_text()
        assert DISAGREE in item.inner_text()
        table = panel.get_by_test_id("portal-feedback")
        assert COMMENT in table.inner_text()

    # The Aarhus caseworker is told neither the case nor the report exists.
    with signed_in(browser, live_server, people["other_caseworker"]) as page:
        assert page.goto(f"/portal/sager/{case.pk}/").status == 404
        assert page.goto(f"/rapporter/{report.pk}/").status == 404
    report.refresh_from_db()
    assert AuditEvent.objects.filter(actor=people["other_caseworker"], case_id=case.pk).count() == 0
