from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from traad.cases.selectors import get_case_for
from traad.reports.services import set_report_interval


class ReportIntervalForm(forms.Form):
    months = forms.IntegerField(
        label=gettext_lazy("Months between status reports"), min_value=1, max_value=24
    )


@require_POST
def report_interval(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    if not request.user.has_perm("cases.manage_case", case):
        raise PermissionDenied
    form = ReportIntervalForm(request.POST)
    if form.is_valid():
        try:
            set_report_interval(case, by=request.user, months=form.cleaned_data["months"])  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The report rhythm has been saved."))
    else:
        messages.error(request, _("Choose between 1 and 24 months."))
    return redirect("cases:detail", case.pk)


urlpatterns = [
    path("sager/<int:case_id>/rapportrytme/", report_interval, name="report_interval"),
]
