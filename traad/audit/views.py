from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from traad.audit.forms import AuditSearchForm
from traad.audit.models import AuditEvent
from traad.audit.selectors import search_events
from traad.audit.services import record_event

PAGE_SIZE = 50


def audit_search(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audit.search"):
        raise Http404
    form = AuditSearchForm(request.GET or None)
    events = AuditEvent.objects.none()
    page = None
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if k != "cpr"}
        events = search_events(**filters)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("side"))
        page.object_list = list(page.object_list)  # read before this search is logged
        # Reading the log is itself a read of personal data.
        record_event(
            actor=request.user,
            action="audit.searched",
            person_id=filters.get("person_id"),
            changes={k: str(v) for k, v in form.cleaned_data.items() if v not in (None, "")},
        )
    elif not request.GET:
        page = Paginator(search_events(), PAGE_SIZE).get_page(1)
        page.object_list = list(page.object_list)
        record_event(actor=request.user, action="audit.searched")
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
