"""Reads for the caseworker portal and for the provider's view of what the caseworker said."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.http import Http404

from traad.cases.models import Case
from traad.cases.selectors import visible_to
from traad.portal.models import Feedback, InformationPreference, Recommendation, StatementRequest


def get_portal_case_for(user: Any, case_id: int | str) -> Case:
    """A case on the caseworker's portal; 404 when it is missing or not theirs."""
    if getattr(user, "role", None) != "caseworker":
        raise Http404
    try:
        return (
            visible_to(user)
            .select_related(
                "municipality", "coordinator", "caseworker", "intervention_type", "team"
            )
            .get(pk=int(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_recommendation_for(user: Any, recommendation_id: int | str) -> Recommendation:
    """A recommendation on a case ``user`` sees; 404 otherwise."""
    try:
        return Recommendation.objects.select_related("case").get(
            pk=int(recommendation_id), case__in=visible_to(user)
        )
    except (Recommendation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def recommendations_of(case: Case) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(case=case).select_related(
        "created_by", "answered_by", "report"
    )


def statement_requests_of(case: Case) -> QuerySet[StatementRequest]:
    return StatementRequest.objects.filter(case=case).select_related("requested_by", "closed_by")


def feedback_of(case: Case) -> QuerySet[Feedback]:
    return Feedback.objects.filter(case=case).select_related("given_by", "report")


def preference_of(case: Case) -> InformationPreference | None:
    return InformationPreference.objects.filter(case=case).select_related("updated_by").first()


def open_recommendations_for(user: Any) -> QuerySet[Recommendation]:
    """The caseworker's recommendations still to answer, on every case they see."""
    return (
        Recommendation.objects.filter(case__in=visible_to(user), answered_at__isnull=True)
        .select_related("case")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    collaboration: float | None
    report_usefulness: float | None
    progression_info: float | None


def feedback_summary(feedback: QuerySet[Feedback]) -> FeedbackSummary:
    """Averages of the three ratings (the leader's KPI reads this too)."""
    values = feedback.aggregate(
        count=Count("id"),
        collaboration=Avg("collaboration"),
        report_usefulness=Avg("report_usefulness"),
        progression_info=Avg("progression_info"),
    )
    return FeedbackSummary(**values)
