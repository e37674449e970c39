"""Screens of a case's goals: the overview by ICS focus area, a goal with its ratings, and the
forms that create, edit, rate and close goals.

Thin on purpose: find the case (404 for anyone who may not see it, and for those who see the
case but not its journal), check the permission (403 when they may read but not write), call
one service, then render or redirect. A service's ValidationError is shown on the form that was
posted, with what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import get_case_for, visible_to
from traad.cases.views import AuthenticatedRequest, add_service_errors
from traad.journal import services
from traad.journal.charts import rating_chart
from traad.journal.forms.goals import GoalForm, GoalStatusForm, RatingForm
from traad.journal.models import FocusArea, Goal, GoalRating
from traad.journal.selectors import GoalSummary, goals_overview

# --- Access ---------------------------------------------------------------------------------


def journal_case_for(request: AuthenticatedRequest, case_id: int, perm: str | None = None) -> Case:
    """The case if the user may read its journal, else 404 (the same answer as for a case that
    does not exist); 403 if they may read it but lack ``perm``."""
    case = get_case_for(request.user, case_id)
    if not request.user.has_perm("journal.read", case):
        raise Http404
    if perm is not None and not request.user.has_perm(perm, case):
        raise PermissionDenied
    return case


def _goal_for(request: AuthenticatedRequest, goal_id: int, perm: str | None = None) -> Goal:
    goal = (
        Goal.objects.select_related(
            "case__municipality", "case__intervention_type", "case__team", "child"
        )
        .filter(pk=goal_id, case__in=visible_to(request.user))
        .first()
    )
    if goal is None or not request.user.has_perm("journal.read", goal.case):
        raise Http404
    if perm is not None and not request.user.has_perm(perm, goal.case):
        raise PermissionDenied
    return goal


# --- Presentation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalRow:
    summary: GoalSummary
    ratings: list[GoalRating]
    chart: SafeString


@dataclass(frozen=True)
class AreaGroup:
    value: str
    label: str
    rows: list[GoalRow]


def _row(summary: GoalSummary) -> GoalRow:
    ratings: list[GoalRating] = getattr(summary.goal, "rating_list", [])
    title = _("Ratings of the goal “%(goal)s”") % {"goal": summary.goal.title}
    chart = rating_chart(ratings, chart_id=f"goal-{summary.goal.pk}-chart", title=title)
    return GoalRow(summary=summary, ratings=ratings, chart=chart)


def _by_focus_area(summaries: list[GoalSummary]) -> list[AreaGroup]:
    """All three ICS sides in their fixed order, also those without goals (so a gap shows)."""
    return [
        AreaGroup(
            value=value,
            label=str(label),
            rows=[_row(s) for s in summaries if s.goal.focus_area == value],
        )
        for value, label in FocusArea.choices
    ]


def _summary_of(goal: Goal) -> GoalSummary:
    for summary in goals_overview(goal.case):
        if summary.goal.pk == goal.pk:
            return summary
    raise Http404  # pragma: no cover - the goal was found above


def _detail_context(request: AuthenticatedRequest, goal: Goal, **overrides: Any) -> dict[str, Any]:
    case = goal.case
    writable = request.user.has_perm("journal.write", case)
    context: dict[str, Any] = {
        "case": case,
        "goal": goal,
        "row": _row(_summary_of(goal)),
        "writable": writable,
        "rating_form": RatingForm(user=request.user),
        "status_form": GoalStatusForm(goal=goal),
    }
    context.update(overrides)
    return context


# --- Views ----------------------------------------------------------------------------------


@require_GET
def case_goals(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = journal_case_for(request, case_id)
    summaries = goals_overview(case)
    record_event(actor=request.user, action="goals.viewed", obj=case, case_id=case.pk)
    return render(
        request,
        "journal/goal_list.html",
        {
            "case": case,
            "groups": _by_focus_area(summaries),
            "goal_count": len(summaries),
            "writable": request.user.has_perm("journal.write", case),
        },
    )


@require_GET
def goal_detail(request: AuthenticatedRequest, goal_id: int) -> HttpResponse:
    goal = _goal_for(request, goal_id)
    record_event(
        actor=request.user,
        action="goal.viewed",
        obj=goal,
        case_id=goal.case_id,
        person_id=goal.child_id,
    )
    return render(request, "journal/goal_detail.html", _detail_context(request, goal))


def _save_goal(
    request: AuthenticatedRequest, form: GoalForm, case: Case, goal: Goal | None
) -> Goal | None:
    try:
        if goal is None:
            return services.create_goal(case, by=request.user, **form.goal_fields())
        return services.update_goal(goal, by=request.user, **form.goal_fields())
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@require_http_methods(["GET", "POST"])
def goal_new(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = journal_case_for(request, case_id, "journal.write")
    form = GoalForm(request.POST if request.method == "POST" else None, case=case)
    if form.is_bound and form.is_valid():
        goal = _save_goal(request, form, case, None)
        if goal is not None:
            messages.success(request, _("The goal has been created."))
            return redirect("journal:goal_detail", goal.pk)
    return render(request, "journal/goal_form.html", {"case": case, "goal": None, "form": form})


@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedRequest, goal_id: int) -> HttpResponse:
    goal = _goal_for(request, goal_id, "journal.write")
    case = goal.case
    form = GoalForm(request.POST if request.method == "POST" else None, case=case, goal=goal)
    if form.is_bound and form.is_valid():
        if _save_goal(request, form, case, goal) is not None:
            messages.success(request, _("The goal has been saved."))
            return redirect("journal:goal_detail", goal.pk)
        goal = _goal_for(request, goal_id)  # as saved: the refused values are only in the form
    return render(request, "journal/goal_form.html", {"case": case, "goal": goal, "form": form})


@require_http_methods(["GET", "POST"])
def goal_rate(request: AuthenticatedRequest, goal_id: int) -> HttpResponse:
    """Rate a goal 0–10. The form is also on the goal's page; this page is the same form on
    its own (quick on a phone), and shows it again with the errors."""
    goal = _goal_for(request, goal_id, "journal.write")
    form = RatingForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            rating = services.rate_goal(goal, by=request.user, **form.rating_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The goal has been rated %(score)s of 10.") % {"score": rating.score},
            )
            return redirect("journal:goal_detail", goal.pk)
    return render(
        request, "journal/goal_rate.html", {"case": goal.case, "goal": goal, "rating_form": form}
    )


@require_POST
def goal_status(request: AuthenticatedRequest, goal_id: int) -> HttpResponse:
    goal = _goal_for(request, goal_id, "journal.write")
    form = GoalStatusForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            services.set_goal_status(
                goal,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The goal's status is now: %(status)s.") % {"status": goal.get_status_display()},
            )
            return redirect("journal:goal_detail", goal.pk)
    # Read again: a refused change must not show as made.
    goal = _goal_for(request, goal_id)
    return render(
        request, "journal/goal_detail.html", _detail_context(request, goal, status_form=form)
    )
