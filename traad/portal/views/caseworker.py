"""The caseworker's side of the portal: one page per case with the order, the team, the goals,
the reports, the samvær descriptions and the latest Signs of Safety map, and small POST views
to answer a recommendation, ask for a statement, say how they want to be informed and give
feedback (issue 7).

Access: a case through ``selectors.get_portal_case_for`` (404 for anyone but a caseworker who
sees the case), a recommendation through ``get_recommendation_for`` (404), then the rule for
the step (403). Every write is one service call; the services write the audit rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import visible_to
from traad.cases.services import latest_order
from traad.cases.views import AuthenticatedRequest
from traad.journal.charts import rating_chart
from traad.journal.documents import render_visitation_report_pdf
from traad.journal.models import VisitationSession
from traad.journal.selectors import GoalSummary, goals_overview, sessions_for
from traad.portal import selectors, services
from traad.portal.forms import (
    AnswerForm,
    FeedbackForm,
    InformationPreferenceForm,
    StatementRequestForm,
)
from traad.portal.models import Recommendation
from traad.reports.models import Report, ReportState
from traad.reports.selectors import ReceivedReport, received_reports_for
from traad.safety.selectors.maps import latest_meeting, map_of


def _base_url(request: AuthenticatedRequest) -> str:
    return request.build_absolute_uri("/")


def _error_message(request: AuthenticatedRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(str(message) for message in exc.messages))


@dataclass(frozen=True)
class GoalRow:
    summary: GoalSummary
    chart: SafeString


@dataclass(frozen=True)
class OpenRecommendation:
    recommendation: Recommendation
    form: AnswerForm


def _goal_rows(case: Case) -> list[GoalRow]:
    rows = []
    for summary in goals_overview(case):
        title = _("Ratings of the goal “%(goal)s”") % {"goal": summary.goal.title}
        ratings = getattr(summary.goal, "rating_list", [])
        chart = rating_chart(ratings, chart_id=f"goal-{summary.goal.pk}-chart", title=title)
        rows.append(GoalRow(summary=summary, chart=chart))
    return rows


def _sent_reports(user: Any, case: Case) -> list[ReceivedReport]:
    return received_reports_for(user, case=case)


def _case_context(request: AuthenticatedRequest, case: Case) -> dict[str, Any]:
    meeting = latest_meeting(case)
    recommendations = list(selectors.recommendations_of(case))
    preference = selectors.preference_of(case)
    return {
        "case": case,
        "order": latest_order(case),
        "consultants": list(case.consultants.all()),
        "goal_rows": _goal_rows(case),
        "sent_reports": _sent_reports(request.user, case),
        "sessions": (
            list(sessions_for(case).filter(signed_at__isnull=False))
            if case.is_visitation_case
            else []
        ),
        "meeting": meeting,
        "map": map_of(meeting) if meeting is not None else None,
        "editable": False,
        "today": timezone.localdate(),
        "open_recommendations": [
            OpenRecommendation(r, AnswerForm(auto_id=f"rec{r.pk}_%s"))
            for r in recommendations
            if r.is_open
        ],
        "answered_recommendations": [r for r in recommendations if not r.is_open],
        "statement_requests": list(selectors.statement_requests_of(case)),
        "statement_form": StatementRequestForm(auto_id="statement_%s"),
        "preference": preference,
        "preference_form": InformationPreferenceForm(
            auto_id="preference_%s", initial={"text": preference.text if preference else ""}
        ),
    }


@require_GET
def case_page(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = selectors.get_portal_case_for(request.user, case_id)
    record_event(actor=request.user, action="portal.case_viewed", obj=case, case_id=case.pk)
    return render(request, "portal/case.html", _case_context(request, case))


@require_POST
def answer(request: AuthenticatedRequest, recommendation_id: int) -> HttpResponse:
    recommendation = selectors.get_recommendation_for(request.user, recommendation_id)
    if not request.user.has_perm("portal.answer_recommendation", recommendation):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose agree, disagree or comment."))
    else:
        try:
            services.answer_recommendation(
                recommendation,
                by=request.user,
                answer=form.cleaned_data["answer"],
                text=form.cleaned_data["text"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            _error_message(request, exc)
        else:
            messages.success(request, _("Thank you. Your answer has been sent to the provider."))
    return redirect("portal:case", recommendation.case_id)


@require_POST
def request_statement(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = selectors.get_portal_case_for(request.user, case_id)
    if not request.user.has_perm("portal.use_portal", case):
        raise PermissionDenied
    form = StatementRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what you would like the statement to cover."))
    else:
        try:
            services.request_statement(
                case,
                by=request.user,
                text=form.cleaned_data["text"],
                wanted_by=form.cleaned_data["wanted_by"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            _error_message(request, exc)
        else:
            messages.success(request, _("Your request for a statement has been sent."))
    return redirect("portal:case", case.pk)


@require_POST
def preference(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = selectors.get_portal_case_for(request.user, case_id)
    if not request.user.has_perm("portal.use_portal", case):
        raise PermissionDenied
    form = InformationPreferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write how much and how often you want to hear from us."))
    else:
        try:
            services.set_information_preference(
                case, by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            _error_message(request, exc)
        else:
            messages.success(request, _("Your wishes for information have been saved."))
    return redirect("portal:case", case.pk)


def _feedback_report(request: AuthenticatedRequest, case: Case) -> Report | None:
    """The sent report of this case that the feedback is about (``?report=<id>``), if any."""
    report_id = request.GET.get("report") or request.POST.get("report") or ""
    if not report_id:
        return None
    try:
        return Report.objects.get(pk=int(report_id), case=case, state=ReportState.SENT)
    except (Report.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def feedback(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = selectors.get_portal_case_for(request.user, case_id)
    if not request.user.has_perm("portal.use_portal", case):
        raise PermissionDenied
    report = _feedback_report(request, case)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.give_feedback(case, by=request.user, report=report, **form.cleaned_data)
            except ValidationError as exc:
                _error_message(request, exc)
            else:
                messages.success(request, _("Thank you for your feedback."))
                return redirect("portal:case", case.pk)
        else:
            messages.error(request, _("Choose a score from 1 to 5 on each scale."))
    return render(
        request,
        "portal/feedback.html",
        {"case": case, "report": report, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def session_pdf(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    if getattr(request.user, "role", None) != "caseworker":
        raise Http404
    try:
        session = VisitationSession.objects.select_related("case").get(
            pk=session_id, signed_at__isnull=False, case__in=visible_to(request.user)
        )
    except VisitationSession.DoesNotExist as exc:
        raise Http404 from exc
    case = session.case
    pdf = render_visitation_report_pdf(case, [session])
    record_event(
        actor=request.user, action="portal.session_pdf_opened", obj=session, case_id=case.pk
    )
    filename = f"samvaer-{case.pk}-{session.pk}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    response["Content-Length"] = str(len(pdf))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("portal/sager/<int:case_id>/", case_page, name="case"),
    path("portal/anbefalinger/<int:recommendation_id>/svar/", answer, name="answer"),
    path("portal/sager/<int:case_id>/udtalelse/", request_statement, name="request_statement"),
    path("portal/sager/<int:case_id>/information/", preference, name="preference"),
    path("portal/sager/<int:case_id>/feedback/", feedback, name="feedback"),
    path("portal/samvaer/<int:session_id>/pdf/", session_pdf, name="session_pdf"),
]
