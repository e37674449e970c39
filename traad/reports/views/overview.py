"""The report deadlines a coordinator or leader follows, and the reports a caseworker has
received. Coordinators and leaders only for the first, caseworkers only for the second: both
pages exist for everyone signed in, so the others get 403 (no case is confirmed by it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from traad.accounts.models import Role, User
from traad.audit.services import record_event
from traad.cases.views import AuthenticatedRequest
from traad.reports.selectors import (
    OVERVIEW_AHEAD_DAYS,
    OVERVIEW_SENT_DAYS,
    deadline_overview_for,
    on_time_rate_for,
    overview_coordinators_for,
    received_reports_for,
)


class DeadlineFilterForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All coordinators"),
    )
    include_sent = forms.BooleanField(
        label=_("Also show reports sent in the last 90 days"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.role == Role.LEADER:
            field = self.fields["coordinator"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (for mypy)
            field.queryset = overview_coordinators_for(user)
        else:
            del self.fields["coordinator"]


@require_GET
def deadline_overview(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.role not in (Role.COORDINATOR, Role.LEADER):
        raise PermissionDenied
    form = DeadlineFilterForm(request.GET or None, user=user)
    filters: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    coordinator = filters.get("coordinator")
    include_sent = bool(filters.get("include_sent"))
    rows = deadline_overview_for(
        user,
        today=timezone.localdate(),
        include_sent=include_sent,
        coordinator_id=coordinator.pk if coordinator is not None else None,
    )
    on_time = on_time_rate_for(
        user,
        today=timezone.localdate(),
        coordinator_id=coordinator.pk if coordinator is not None else None,
    )
    record_event(
        actor=user,
        action="reports.deadlines_listed",
        changes={
            "coordinator": str(coordinator.pk) if coordinator is not None else "",
            "include_sent": include_sent,
            "rows": len(rows),
        },
    )
    return render(
        request,
        "reports/deadline_overview.html",
        {
            "rows": rows,
            "form": form,
            "ahead_days": OVERVIEW_AHEAD_DAYS,
            "sent_days": OVERVIEW_SENT_DAYS,
            "on_time": on_time,
        },
    )


@require_GET
def received_reports(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.CASEWORKER:
        raise PermissionDenied
    received = received_reports_for(user)
    record_event(actor=user, action="reports.received_listed", changes={"rows": len(received)})
    return render(request, "reports/received.html", {"received": received})


urlpatterns = [
    path("rapporter/frister/", deadline_overview, name="deadlines"),
    path("rapporter/modtagne/", received_reports, name="received"),
]
