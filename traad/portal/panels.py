"""What the case overview shows from the caseworker portal: the caseworker's access, the
provider's recommendations and their answers, requests for a statement, the caseworker's
information preference and their feedback."""

from __future__ import annotations

from typing import Any

from traad.cases.models import Case
from traad.portal.models import Invitation
from traad.portal.selectors import (
    feedback_of,
    feedback_summary,
    preference_of,
    recommendations_of,
    statement_requests_of,
)


def case_panels(user: Any, case: Case) -> dict[str, Any]:
    if user.role == "caseworker" or not user.has_perm("portal.read_items", case):
        return {"portal_readable": False}
    caseworker = case.caseworker
    feedback = feedback_of(case)
    return {
        "portal_readable": True,
        "portal_caseworker": caseworker,
        "portal_has_access": caseworker is not None and caseworker.has_usable_password(),
        "portal_invitation": (
            Invitation.objects.filter(user=caseworker).select_related("invited_by").first()
            if caseworker is not None
            else None
        ),
        "portal_recommendations": list(recommendations_of(case)),
        "portal_requests": list(statement_requests_of(case)),
        "portal_preference": preference_of(case),
        "portal_feedback": list(feedback),
        "portal_feedback_summary": feedback_summary(feedback),
        "can_invite_caseworker": user.has_perm("portal.invite_caseworker", case),
        "can_recommend": user.has_perm("portal.recommend", case),
        "can_handle_requests": user.has_perm("portal.handle_requests", case),
    }
