"""Who may do what in the caseworker portal.

The caseworker acts on the cases they see (``cases.selectors.visible_to``: their own, or every
case of their municipality when it lets caseworkers cover for each other). The provider's
coordinators and team leader on the case recommend, invite and handle requests; everyone
working on the case reads what the caseworker said.
"""

from __future__ import annotations

from typing import Any

import rules

from traad.accounts.models import Role
from traad.cases.rules import can_see, is_on_case

MANAGERS = (Role.COORDINATOR, Role.LEADER)
STAFF = (Role.CONSULTANT, Role.COORDINATOR, Role.LEADER)


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _caseworker_of(user: Any, case: Any) -> bool:
    return _active(user) and user.role == Role.CASEWORKER and can_see(user, case)


def _on_case(user: Any, case: Any, roles: tuple[str, ...]) -> bool:
    return _active(user) and user.role in roles and is_on_case(user, case)


@rules.predicate
def can_use_portal(user: Any, case: Any) -> bool:
    """The caseworker's page of the case, and what they can send from it."""
    return _caseworker_of(user, case)


@rules.predicate
def can_answer_recommendation(user: Any, recommendation: Any) -> bool:
    return recommendation.answered_at is None and _caseworker_of(user, recommendation.case)


@rules.predicate
def can_read_portal_items(user: Any, case: Any) -> bool:
    """Recommendations, answers, feedback, requests and the information preference."""
    return _on_case(user, case, STAFF) or _caseworker_of(user, case)


@rules.predicate
def can_recommend(user: Any, case: Any) -> bool:
    return _on_case(user, case, MANAGERS) and case.status in ("active", "paused")


@rules.predicate
def can_invite_caseworker(user: Any, case: Any) -> bool:
    return _on_case(user, case, MANAGERS) and case.status != "ended"


@rules.predicate
def can_handle_requests(user: Any, case: Any) -> bool:
    return _on_case(user, case, MANAGERS)


rules.add_perm("portal.use_portal", can_use_portal)
rules.add_perm("portal.answer_recommendation", can_answer_recommendation)
rules.add_perm("portal.read_items", can_read_portal_items)
rules.add_perm("portal.recommend", can_recommend)
rules.add_perm("portal.invite_caseworker", can_invite_caseworker)
rules.add_perm("portal.handle_requests", can_handle_requests)
