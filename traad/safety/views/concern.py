"""Screens of a case's concern level and its notifications of concern (underretninger).

Thin on purpose: find the case (404 for anyone who may not see it, and for those who see the
case but not its safety work), check the permission (403 when they may read but not write),
call one service, then render or redirect.
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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import get_case_for, visible_to
from traad.cases.views import AuthenticatedRequest, add_service_errors
from traad.safety.forms_concern import ConcernForm, NotificationForm, ReceiptForm
from traad.safety.models import Notification
from traad.safety.selectors.concern import concern_history, concern_panel, notifications_of
from traad.safety.services import concern as services

# --- Access ---------------------------------------------------------------------------------


def safety_case_for(request: AuthenticatedRequest, case_id: int, perm: str | None = None) -> Case:
    """The case if the user may read its safety work, else 404 (the same answer as for a case
    that does not exist); 403 if they may read it but lack ``perm``."""
    case = get_case_for(request.user, case_id)
    if not request.user.has_perm("safety.read", case):
        raise Http404
    if perm is not None and not request.user.has_perm(perm, case):
        raise PermissionDenied
    return case


def _notification_for(
    request: AuthenticatedRequest, notification_id: int, perm: str | None = None
) -> Notification:
    notification = (
        Notification.objects.select_related("case__municipality", "case__team")
        .filter(pk=notification_id, case__in=visible_to(request.user))
        .first()
    )
    if notification is None or not request.user.has_perm("safety.read", notification.case):
        raise Http404
    if perm is not None and not request.user.has_perm(perm, notification.case):
        raise PermissionDenied
    return notification


# --- Presentation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationRow:
    notification: Notification
    overdue: bool
    receipt_form: ReceiptForm | None


def _notification_rows(
    request: AuthenticatedRequest, case: Case, bound: ReceiptForm | None = None
) -> list[NotificationRow]:
    writable = request.user.has_perm("safety.write", case)
    today = timezone.localdate()
    rows = []
    for notification in notifications_of(case):
        form = None
        if writable and notification.receipt_at is None:
            form = (
                bound
                if bound is not None and bound.prefix == f"receipt-{notification.pk}"
                else ReceiptForm(notification_id=notification.pk)
            )
        overdue = notification.receipt_at is None and notification.receipt_due_on < today
        rows.append(NotificationRow(notification=notification, overdue=overdue, receipt_form=form))
    return rows


def _concern_context(
    request: AuthenticatedRequest, case: Case, form: ConcernForm | None = None
) -> dict[str, Any]:
    return {
        "case": case,
        "panel": concern_panel(case, today=timezone.localdate()),
        "history": concern_history(case),
        "writable": request.user.has_perm("safety.write", case),
        "form": form or ConcernForm(),
    }


def _notifications_context(
    request: AuthenticatedRequest,
    case: Case,
    form: NotificationForm | None = None,
    receipt_form: ReceiptForm | None = None,
) -> dict[str, Any]:
    return {
        "case": case,
        "rows": _notification_rows(request, case, receipt_form),
        "writable": request.user.has_perm("safety.write", case),
        "form": form or NotificationForm(case=case),
    }


# --- Views ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_concern(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """The concern level: now, its history (who, when, why), the flags, and the form."""
    if request.method == "GET":
        case = safety_case_for(request, case_id)
        record_event(actor=request.user, action="concern.viewed", obj=case, case_id=case.pk)
        return render(request, "safety/concern_page.html", _concern_context(request, case))
    case = safety_case_for(request, case_id, "safety.write")
    form = ConcernForm(request.POST)
    if form.is_valid():
        try:
            services.set_concern_level(
                case,
                by=request.user,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                earlier_violence=form.cleaned_data["earlier_violence"],
                earlier_abuse=form.cleaned_data["earlier_abuse"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The concern level has been saved."))
            return redirect("safety:case_concern", case.pk)
    return render(request, "safety/concern_page.html", _concern_context(request, case, form))


@require_http_methods(["GET", "POST"])
def case_notifications(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """The case's notifications of concern with their receipts, and the form to record one."""
    if request.method == "GET":
        case = safety_case_for(request, case_id)
        record_event(actor=request.user, action="notifications.viewed", obj=case, case_id=case.pk)
        return render(
            request, "safety/notification_list.html", _notifications_context(request, case)
        )
    case = safety_case_for(request, case_id, "safety.write")
    form = NotificationForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.record_notification(case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The notification of concern has been recorded."))
            return redirect("safety:case_notifications", case.pk)
    return render(
        request, "safety/notification_list.html", _notifications_context(request, case, form)
    )


@require_POST
def notification_receipt(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    notification = _notification_for(request, notification_id, "safety.write")
    case = notification.case
    form = ReceiptForm(request.POST, notification_id=notification.pk)
    if form.is_valid():
        try:
            services.register_receipt(
                notification, by=request.user, receipt_at=form.cleaned_data["receipt_at"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The receipt has been registered."))
            return redirect("safety:case_notifications", case.pk)
    return render(
        request,
        "safety/notification_list.html",
        _notifications_context(request, case, receipt_form=form),
    )


urlpatterns = [
    path("sager/<int:case_id>/bekymring/", case_concern, name="case_concern"),
    path("sager/<int:case_id>/underretninger/", case_notifications, name="case_notifications"),
    path(
        "underretninger/<int:notification_id>/kvittering/",
        notification_receipt,
        name="notification_receipt",
    ),
]
