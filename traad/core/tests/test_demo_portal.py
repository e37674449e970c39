"""The demo portal traffic (``traad.core.demo_portal``): the Copenhagen demo caseworker's open
and answered recommendations, a statement request, an information preference and feedback,
made through the portal services (audit rows, no mail), added once; Aarhus lets caseworkers
cover for each other, Copenhagen does not."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from traad.accounts.models import User
from traad.audit.models import AuditEvent
from traad.cases.models import Case
from traad.cases.selectors import visible_to
from traad.core.demo_portal import PREFERENCE
from traad.organisations.models import Municipality
from traad.portal.models import (
    Answer,
    Feedback,
    InformationPreference,
    Recommendation,
    StatementRequest,
)
from traad.reports.models import ReportState

pytestmark = pytest.mark.django_db


def seed() -> None:
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def portal_counts() -> dict[str, int]:
    return {
        "recommendations": Recommendation.objects.count(),
        "statement_requests": StatementRequest.objects.count(),
        "preferences": InformationPreference.objects.count(),
        "feedback": Feedback.objects.count(),
        "audit": AuditEvent.objects.filter(action__startswith="portal.").count(),
    }


def test_seed_demo_adds_the_caseworkers_portal_traffic_once(settings):
    settings.TRAAD_REQUIRE_MFA = False
    seed()
    first = portal_counts()
    caseworker = User.objects.get(email="sagsbehandler@traad.example")
    theirs = Case.objects.filter(caseworker=caseworker)
    now = timezone.now()

    recommendations = Recommendation.objects.filter(case__in=theirs)
    assert recommendations.filter(answered_at__isnull=True).count() == 2
    agreed = recommendations.get(answer=Answer.AGREE)
    disagreed = recommendations.get(answer=Answer.DISAGREE)
    assert disagreed.answer_text != ""
    for answered in (agreed, disagreed):
        assert answered.answered_by == caseworker
        assert answered.answered_at is not None
        assert answered.created_at < answered.answered_at < now

    request = StatementRequest.objects.get()
    assert request.case in theirs
    assert (request.requested_by, request.closed_at) == (caseworker, None)
    assert request.requested_at < now

    preference = InformationPreference.objects.get()
    assert (preference.case in theirs, preference.text) == (True, PREFERENCE)

    feedback = list(Feedback.objects.filter(case__in=theirs))
    assert len(feedback) == 2
    assert len({f.case_id for f in feedback}) == 2
    about_report = [f for f in feedback if f.report is not None]
    assert len(about_report) == 1
    report = about_report[0].report
    assert report is not None and report.state == ReportState.SENT
    assert report.sent_at is not None and report.sent_at < about_report[0].given_at < now

    # Every row came through a service: one audit row each (recommendations made by a sent
    # report's send_report are audited there too).
    actions = list(
        AuditEvent.objects.filter(action__startswith="portal.").values_list("action", flat=True)
    )
    assert actions.count("portal.recommendation_made") == Recommendation.objects.count()
    assert actions.count("portal.recommendation_answered") == 2
    assert actions.count("portal.statement_requested") == 1
    assert actions.count("portal.information_preference_set") == 1
    assert actions.count("portal.feedback_given") == 2
    assert mail.outbox == []

    # The caseworker signs in with the demo password; the setting shows in Aarhus only.
    assert caseworker.has_usable_password() and caseworker.is_active
    assert Municipality.objects.get(code="101").caseworkers_cover_each_other is False
    assert Municipality.objects.get(code="751").caseworkers_cover_each_other is True
    aarhus = User.objects.get(email="sagsbehandler2@traad.example")
    assert aarhus.municipality is not None and aarhus.municipality.code == "751"
    assert aarhus.has_usable_password() and aarhus.is_active
    assert theirs.exists()
    assert not visible_to(aarhus).filter(pk__in=theirs).exists()
    assert not visible_to(aarhus).exclude(municipality__code="751").exists()

    seed()
    assert portal_counts() == first
    assert mail.outbox == []


def test_the_demo_caseworker_reads_answers_and_gives_feedback_and_aarhus_sees_none(settings):
    """Issue 7's Done-when on the demo itself: sagsbehandler reads a report, answers a
    recommendation and leaves feedback, the coordinator sees both on the case, and
    sagsbehandler2 (Aarhus) gets 404 on every one of those pages, by URL guessing too."""
    from django.test import Client
    from django.urls import reverse

    from traad.reports.models import Report

    settings.TRAAD_REQUIRE_MFA = False
    seed()
    caseworker = User.objects.get(email="sagsbehandler@traad.example")
    client = Client()
    assert client.login(email=caseworker.email, password="traad-demo")
    client.cookies["django_language"] = "en"

    recommendation = Recommendation.objects.filter(
        case__caseworker=caseworker, answered_at__isnull=True
    ).first()
    assert recommendation is not None
    case = recommendation.case
    report = Report.objects.filter(case__caseworker=caseworker, state=ReportState.SENT).first()
    assert report is not None

    assert client.get(reverse("portal:case", args=[case.pk])).status_code == 200
    assert client.get(reverse("reports:pdf", args=[report.pk])).status_code == 200
    report.refresh_from_db()
    assert report.first_opened_at is not None

    answered = client.post(
        reverse("portal:answer", args=[recommendation.pk]),
        {"answer": Answer.COMMENT, "text": "Lad os tage det op på næste møde."},
    )
    assert answered.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.answer, recommendation.answered_by) == (Answer.COMMENT, caseworker)

    feedback_url = reverse("portal:feedback", args=[case.pk])
    given = client.post(
        feedback_url,
        {
            "collaboration": 5,
            "report_usefulness": 4,
            "progression_info": 4,
            "comment": "Tak for de klare rapporter.",
        },
    )
    assert given.status_code == 302
    assert Feedback.objects.filter(case=case, comment="Tak for de klare rapporter.").exists()

    coordinator = case.coordinator
    assert coordinator is not None
    staff = Client()
    assert staff.login(email=coordinator.email, password="traad-demo")
    page = staff.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Lad os tage det op på næste møde." in page
    assert "Tak for de klare rapporter." in page

    aarhus = Client()
    assert aarhus.login(email="sagsbehandler2@traad.example", password="traad-demo")
    for url in (
        reverse("portal:case", args=[case.pk]),
        reverse("cases:detail", args=[case.pk]),
        reverse("reports:detail", args=[report.pk]),
        reverse("reports:pdf", args=[report.pk]),
        feedback_url,
    ):
        assert aarhus.get(url).status_code == 404, url
    assert (
        aarhus.post(reverse("portal:answer", args=[recommendation.pk]), {"answer": "agree"})
    ).status_code == 404
