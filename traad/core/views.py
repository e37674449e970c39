from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from traad.accounts.models import Role
from traad.cases.selectors import CaseFilters, case_list_for, intake_queue_for
from traad.cases.views import queue_rows
from traad.journal.selectors import unsigned_drafts_for
from traad.portal.selectors import open_recommendations_for
from traad.reports.selectors import reports_visible_to
from traad.safety.selectors.concern import awaiting_receipt_for, raised_concern_cases_for
from traad.safety.selectors.maps import open_next_steps_for

START_TEMPLATES: dict[str, str] = {
    Role.INTAKE: "core/start_intake.html",
    Role.COORDINATOR: "core/start_coordinator.html",
    Role.CONSULTANT: "core/start_consultant.html",
    Role.LEADER: "core/start_leader.html",
    Role.ADMIN: "core/start_admin.html",
    Role.CASEWORKER: "core/start_caseworker.html",
}
START_CASE_LIMIT = 20


def start(request: HttpRequest) -> HttpResponse:
    """Each role's start page: what this person should look at today."""
    user = request.user
    role = getattr(user, "role", "")
    template = START_TEMPLATES.get(role, "core/start_admin.html")
    context: dict[str, Any]
    if role == Role.INTAKE:
        queue = intake_queue_for(user)
        context = {
            "rows": queue_rows(queue[:START_CASE_LIMIT]),
            "case_count": queue.count(),
            "can_register": user.has_perm("cases.register_referral"),
        }
    else:
        # Coordinators and consultants start from their own cases; the list has the rest.
        mine = role in (Role.COORDINATOR, Role.CONSULTANT)
        cases = case_list_for(user, CaseFilters(mine=mine))
        context = {
            "cases": cases[:START_CASE_LIMIT],
            "case_count": cases.count(),
            "no_contact_days": settings.TRAAD_NO_CONTACT_DAYS,
        }
        if mine:  # both write journal notes
            drafts = unsigned_drafts_for(user)
            context.update(drafts=drafts[:START_CASE_LIMIT], draft_count=drafts.count())
            # Next steps they own on the latest safety map of each of their cases.
            next_steps = open_next_steps_for(user)
            context.update(
                next_steps=next_steps[:START_CASE_LIMIT],
                next_step_count=next_steps.count(),
                today=timezone.localdate(),
            )
    if role in (Role.LEADER, Role.COORDINATOR):
        concern_cases = raised_concern_cases_for(user)
        context.update(
            concern_cases=concern_cases[:START_CASE_LIMIT], concern_count=concern_cases.count()
        )
    if role == Role.LEADER:
        context["awaiting_receipts"] = awaiting_receipt_for(user)[:START_CASE_LIMIT]
    if role == Role.CASEWORKER:
        context.update(
            open_recommendations=open_recommendations_for(user)[:START_CASE_LIMIT],
            unread_reports=reports_visible_to(user)
            .filter(first_opened_at__isnull=True)
            .select_related("case")
            .order_by("-sent_at", "-pk")[:START_CASE_LIMIT],
        )
    return render(request, template, context)


def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "unavailable"
    healthy = database == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database},
        status=200 if healthy else 503,
    )
