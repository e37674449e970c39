"""The report as files (PDF and Word), and the letterhead settings behind them.

Thin: find the report through ``selectors.get_report_for`` (404 when it is missing or not the
user's; a caseworker only ever gets sent versions), audit the download through
``services.record_opening``, and return the bytes. A sent report's PDF is the stored file,
never rendered again, so what the caseworker received is what everyone downloads.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from traad.accounts.models import STAFF_ROLES
from traad.cases.views import AuthenticatedRequest, add_service_errors
from traad.reports import documents
from traad.reports.forms_letterhead import LetterheadForm
from traad.reports.letterhead import update_letterhead
from traad.reports.models import Letterhead, Report, ReportKind, ReportState, SentDocument
from traad.reports.selectors import get_report_for
from traad.reports.services import record_opening

FILE_PREFIX = {
    ReportKind.STATUS: "statusrapport",
    ReportKind.END: "slutrapport",
    ReportKind.ADHOC: "udtalelse",
}


def report_filename(report: Report, extension: str) -> str:
    """``statusrapport-<case number>-v<version>.pdf``, ASCII only."""
    prefix = FILE_PREFIX.get(ReportKind(report.kind), "rapport")
    number = slugify(report.case.number) or str(report.case_id)
    return f"{prefix}-{number}-v{report.version}.{extension}"


def _file_response(
    content: bytes, content_type: str, filename: str, *, inline: bool
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(not inline, filename) or "attachment"
    )
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def report_pdf(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id)
    stored: SentDocument | None = None
    if report.state == ReportState.SENT:
        stored = SentDocument.objects.filter(report=report).first()
        if stored is None:  # a sent report always has its file; never show another one
            raise Http404
        pdf = bytes(stored.pdf)
    else:
        pdf = documents.render_report_pdf(report)
    record_opening(report, by=request.user, what="pdf")
    response = _file_response(pdf, "application/pdf", report_filename(report, "pdf"), inline=True)
    if stored is not None:
        response["ETag"] = f'"{stored.sha256}"'
        response["X-Content-SHA256"] = stored.sha256
    return response


@require_GET
def report_docx(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = get_report_for(request.user, report_id)
    docx = documents.render_report_docx(report)
    record_opening(report, by=request.user, what="docx")
    return _file_response(docx, documents.DOCX_MIME, report_filename(report, "docx"), inline=False)


# --- Letterhead -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def letterhead_settings(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("reports.manage_letterhead"):
        raise PermissionDenied
    current = Letterhead.current()
    form = LetterheadForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            update_letterhead(
                by=request.user,
                fields=form.text_fields(),
                logo=form.cleaned_data["logo_file"],
                remove_logo=form.wants_logo_removed(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"logo": "logo_file"})
        else:
            messages.success(request, _("The letterhead has been saved."))
            return redirect("reports:letterhead")
    return render(
        request,
        "reports/letterhead_form.html",
        {"form": form, "letterhead": current, "has_logo": bool(current.logo)},
        status=400 if form.errors else 200,
    )


@require_GET
def letterhead_logo(request: AuthenticatedRequest) -> HttpResponse:
    """The stored logo, for the preview on the settings page (staff only)."""
    if request.user.role not in STAFF_ROLES:
        raise PermissionDenied
    letterhead = Letterhead.current()
    logo = bytes(letterhead.logo or b"")
    if not logo or not letterhead.logo_type:
        raise Http404
    response = HttpResponse(logo, content_type=letterhead.logo_type)
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("rapporter/<int:report_id>/pdf/", report_pdf, name="pdf"),
    path("rapporter/<int:report_id>/docx/", report_docx, name="docx"),
    path("indstillinger/brevhoved/", letterhead_settings, name="letterhead"),
    path("indstillinger/brevhoved/logo/", letterhead_logo, name="letterhead_logo"),
]
