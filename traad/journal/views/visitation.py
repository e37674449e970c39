"""Screens of samvær (supported and supervised visitation): the sessions of a case, planning
one, its report (samværsbeskrivelse), signing, amending, and the report as a PDF.

Thin on purpose, like the goal screens: the case or session is found for the user (404 for
anyone who may not read the case's journal), the permission is checked (403 when they may
read but not act), one service is called, and the page is rendered or redirected. The PDF is
made by ``traad.journal.documents``; the views only check access, log and return the bytes.

Samvær belongs to cases of supported or supervised samvær. For other cases the list page says
so (200, with no sessions and no forms) instead of a 404, so a link to it is never a dead end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import visible_to
from traad.cases.views import AuthenticatedRequest, add_service_errors
from traad.journal import services
from traad.journal.documents import render_visitation_report_pdf, signatures_of
from traad.journal.forms.visitation import (
    SESSION_FIELD_MAP,
    AmendmentForm,
    PeriodForm,
    ReportDeliveryForm,
    SessionPlanForm,
    SessionReportForm,
)
from traad.journal.models import VisitationSession
from traad.journal.selectors import sessions_for, signed_sessions_in_period
from traad.journal.views.goals import journal_case_for

# --- Access ---------------------------------------------------------------------------------


def _session_for(
    request: AuthenticatedRequest, session_id: int, perm: str | None = None
) -> VisitationSession:
    session = (
        VisitationSession.objects.select_related(
            "case__municipality",
            "case__intervention_type",
            "case__caseworker",
            "author",
            "signed_by",
        )
        .filter(pk=session_id, case__in=visible_to(request.user))
        .first()
    )
    if session is None or not request.user.has_perm("journal.read", session.case):
        raise Http404
    if perm is not None and not request.user.has_perm(perm, session.case):
        raise PermissionDenied
    return session


# --- The list of sessions -------------------------------------------------------------------


def _sessions_context(
    request: AuthenticatedRequest, case: Case, **overrides: Any
) -> dict[str, Any]:
    visitation = case.is_visitation_case
    sessions = list(sessions_for(case)) if visitation else []
    last = sessions[0] if sessions else None
    today = timezone.localdate()
    context: dict[str, Any] = {
        "case": case,
        "is_visitation_case": visitation,
        "sessions": sessions,
        "signatures": signatures_of(sessions),
        "writable": request.user.has_perm("journal.write", case),
        # The next session is usually with the same people in the same place.
        "plan_form": SessionPlanForm(
            initial={
                "date": today,
                "place": last.place if last else "",
                "participants": last.participants if last else "",
            }
        ),
        "delivery_form": ReportDeliveryForm(initial={"delivery": case.visitation_report_delivery}),
        "period_form": PeriodForm(initial={"fra": today.replace(day=1), "til": today}),
    }
    context.update(overrides)
    return context


def _render_sessions(request: AuthenticatedRequest, case_id: int, **overrides: Any) -> HttpResponse:
    # Read again: a refused service call may have changed the case in memory.
    case = journal_case_for(request, case_id)
    return render(
        request, "journal/sessions_list.html", _sessions_context(request, case, **overrides)
    )


@require_GET
def case_sessions(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = journal_case_for(request, case_id)
    record_event(actor=request.user, action="samvaer.list_viewed", obj=case, case_id=case.pk)
    return render(request, "journal/sessions_list.html", _sessions_context(request, case))


@require_POST
def session_plan(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = journal_case_for(request, case_id, "journal.write")
    form = SessionPlanForm(request.POST)
    if form.is_valid():
        try:
            session = services.plan_session(case, by=request.user, **form.plan_values())
        except ValidationError as exc:
            add_service_errors(form, exc, SESSION_FIELD_MAP)
        else:
            messages.success(
                request,
                _("The session on %(date)s has been planned.")
                % {"date": f"{timezone.localtime(session.starts_at):%d.%m.%Y}"},
            )
            return redirect("journal:case_sessions", case.pk)
    return _render_sessions(request, case.pk, plan_form=form)


@require_POST
def report_delivery(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = journal_case_for(request, case_id, "journal.write")
    form = ReportDeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.set_report_delivery(
                case, by=request.user, delivery=form.cleaned_data["delivery"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The caseworker's wish has been saved."))
            return redirect("journal:case_sessions", case.pk)
    return _render_sessions(request, case.pk, delivery_form=form)


# --- One session ----------------------------------------------------------------------------


def _detail_context(
    request: AuthenticatedRequest, session: VisitationSession, **overrides: Any
) -> dict[str, Any]:
    case = session.case
    context: dict[str, Any] = {
        "case": case,
        "session": session,
        "amendments": list(session.amendments.select_related("author")),
        "signature": signatures_of([session]).get(session.pk),
        "writable": request.user.has_perm("journal.write", case),
        "can_amend": session.is_signed and request.user.has_perm("journal.amend", case),
        "amend_form": AmendmentForm(),
    }
    context.update(overrides)
    return context


@require_GET
def session_detail(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    record_event(actor=request.user, action="samvaer.viewed", obj=session, case_id=session.case_id)
    return render(request, "journal/session_detail.html", _detail_context(request, session))


def _render_report(
    request: AuthenticatedRequest, session: VisitationSession, form: SessionReportForm
) -> HttpResponse:
    return render(
        request,
        "journal/session_report.html",
        {"case": session.case, "session": session, "form": form},
    )


@require_http_methods(["GET", "POST"])
def session_report(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """How the session went and its samværsbeskrivelse, saved as a draft. A signed report
    is locked: the service refuses the change, and the page sends the user to amend it."""
    session = _session_for(request, session_id, "journal.write")
    if request.method == "GET":
        if session.is_signed:
            messages.info(request, _("The samværsbeskrivelse is signed. Add an amendment."))
            return redirect("journal:session_detail", session.pk)
        return _render_report(request, session, SessionReportForm(session=session))
    form = SessionReportForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.save_session_report(session, by=request.user, fields=form.report_fields())
        except ValidationError as exc:
            if session.is_signed:
                messages.error(request, " ".join(exc.messages))
                return redirect("journal:session_detail", session.pk)
            add_service_errors(form, exc, SESSION_FIELD_MAP)
        else:
            messages.success(request, _("The samværsbeskrivelse has been saved as a draft."))
            return redirect("journal:session_detail", session.pk)
    return _render_report(request, session, form)


@require_POST
def session_sign(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """Sign the samværsbeskrivelse. Posted from the report form ("Save and sign"), it saves
    what was typed first, so a refusal keeps the text and shows what is missing per field;
    posted without the form, it signs what is saved."""
    session = _session_for(request, session_id, "journal.write")
    if session.is_signed:
        messages.info(request, _("The samværsbeskrivelse is already signed."))
        return redirect("journal:session_detail", session.pk)
    with_form = "status" in request.POST
    form = SessionReportForm(request.POST if with_form else None, session=session)
    if with_form:
        if not form.is_valid():
            return _render_report(request, session, form)
        try:
            session = services.save_session_report(
                session, by=request.user, fields=form.report_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc, SESSION_FIELD_MAP)
            return _render_report(request, session, form)
    try:
        services.sign_session(session, by=request.user)
    except ValidationError as exc:
        if not with_form:
            # Show the saved report with what is missing, as if it had been posted.
            form = SessionReportForm(form.initial, session=session)
            form.is_valid()
        add_service_errors(form, exc, SESSION_FIELD_MAP)
        return _render_report(request, session, form)
    messages.success(request, _("The samværsbeskrivelse has been signed."))
    return redirect("journal:session_detail", session.pk)


@require_POST
def session_amend(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id, "journal.amend")
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            services.amend(session, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The amendment has been added."))
            return redirect("journal:session_detail", session.pk)
    return render(
        request, "journal/session_detail.html", _detail_context(request, session, amend_form=form)
    )


# --- PDF ------------------------------------------------------------------------------------


def _pdf_response(
    request: AuthenticatedRequest,
    case: Case,
    sessions: list[VisitationSession],
    filename: str,
    period: tuple[dt.date, dt.date] | None = None,
) -> HttpResponse:
    pdf = render_visitation_report_pdf(case, sessions, period=period)
    record_event(
        actor=request.user,
        action="samvaer.pdf_downloaded",
        obj=case,
        case_id=case.pk,
        changes={"sessions": [session.pk for session in sessions]},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def session_pdf(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = _session_for(request, session_id)
    if not session.is_signed:
        raise Http404  # a draft is never sent
    day = timezone.localtime(session.starts_at).date()
    filename = f"samvaersbeskrivelse-{session.case.number}-{day:%Y-%m-%d}.pdf"
    return _pdf_response(request, session.case, [session], filename)


@require_GET
def sessions_pdf(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """The signed samværsbeskrivelser of a period in one PDF: ``?fra=…&til=…``."""
    case = journal_case_for(request, case_id)
    form = PeriodForm(request.GET)
    if form.is_valid():
        start, end = form.cleaned_data["fra"], form.cleaned_data["til"]
        sessions = list(signed_sessions_in_period(case, start, end))
        if sessions:
            filename = f"samvaersbeskrivelser-{case.number}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.pdf"
            return _pdf_response(request, case, sessions, filename, period=(start, end))
        form.add_error(None, _("There are no signed samværsbeskrivelser in the period."))
    return _render_sessions(request, case.pk, period_form=form)
