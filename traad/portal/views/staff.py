"""The provider's side of the portal on the case: inviting the caseworker, making a
recommendation and closing the caseworker's requests for a statement (domain.md, workflow 11).

Access: the case through ``get_case_for`` (404 for anyone who may not see it), then the
``portal.*`` rule (403 when they see it but may not act). A request through the cases the user
sees (404 otherwise). Every write is one service call; the services write the audit rows.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from traad.cases.models import Case
from traad.cases.selectors import get_case_for, visible_to
from traad.cases.views import AuthenticatedRequest, add_service_errors
from traad.portal import services
from traad.portal.forms import RecommendForm
from traad.portal.models import StatementRequest


def _case(request: AuthenticatedRequest, case_id: int, perm: str) -> Case:
    case = get_case_for(request.user, case_id)
    if not request.user.has_perm(perm, case):
        raise PermissionDenied
    return case


@require_POST
def invite(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "portal.invite_caseworker")
    try:
        invitation = services.invite_caseworker(
            case, by=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s has been invited to the portal by email.")
            % {"name": invitation.user.full_name or invitation.user.email},
        )
    return redirect("cases:detail", case.pk)


@require_http_methods(["GET", "POST"])
def recommend(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, "portal.recommend")
    form = RecommendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommend(
                case,
                by=request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The recommendation has been sent to the caseworker."))
            return redirect("cases:detail", case.pk)
    return render(request, "portal/recommend.html", {"case": case, "form": form})


@require_POST
def close_request(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    try:
        statement_request = StatementRequest.objects.select_related("case").get(
            pk=request_id, case__in=visible_to(request.user)
        )
    except StatementRequest.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("portal.handle_requests", statement_request.case):
        raise PermissionDenied
    services.close_statement_request(statement_request, by=request.user)
    messages.success(request, _("The request for a statement has been marked as handled."))
    return redirect("cases:detail", statement_request.case_id)


urlpatterns: list[URLPattern] = [
    path("sager/<int:case_id>/inviter-sagsbehandler/", invite, name="invite"),
    path("sager/<int:case_id>/anbefalinger/ny/", recommend, name="recommend"),
    path("portal/anmodninger/<int:request_id>/luk/", close_request, name="close_request"),
]
