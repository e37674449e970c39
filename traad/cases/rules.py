"""Who may do what with a referral or case. Seeing a case is decided by
``selectors.visible_to``; these predicates decide actions on a case one can see."""

from __future__ import annotations

from typing import Any

import rules

from traad.accounts.models import Role


def _is(user: Any, *roles: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def can_see(user: Any, case: Any) -> bool:
    from traad.cases.selectors import visible_to

    return case is not None and visible_to(user).filter(pk=case.pk).exists()


def is_on_case(user: Any, case: Any) -> bool:
    """Assigned to the case: its consultant, its coordinator, or a coordinator/leader of its
    team (who supervise and cover)."""
    if user.role == Role.CONSULTANT:
        return case.consultants.filter(pk=user.pk).exists()
    if user.role == Role.COORDINATOR:
        return case.coordinator_id == user.pk or (
            case.team_id is not None and case.team_id == user.team_id
        )
    if user.role == Role.LEADER:
        return case.team_id is not None and case.team_id == user.team_id
    return False


@rules.predicate
def can_view_case(user: Any, case: Any) -> bool:
    return can_see(user, case)


@rules.predicate
def can_register_referral(user: Any) -> bool:
    return _is(user, Role.INTAKE, Role.COORDINATOR)


@rules.predicate
def can_edit_referral(user: Any, case: Any) -> bool:
    return (
        _is(user, Role.INTAKE, Role.COORDINATOR)
        and case.status == "referral"
        and can_see(user, case)
    )


@rules.predicate
def can_assign_case(user: Any, case: Any) -> bool:
    return (
        _is(user, Role.INTAKE, Role.COORDINATOR)
        and case.status == "referral"
        and can_see(user, case)
    )


@rules.predicate
def can_record_first_contact(user: Any, case: Any) -> bool:
    return _is(user, Role.CONSULTANT, Role.COORDINATOR, Role.LEADER) and is_on_case(user, case)


@rules.predicate
def can_manage_case(user: Any, case: Any) -> bool:
    """Pause, resume, end, change the order: the coordinators and leader of the case."""
    return _is(user, Role.COORDINATOR, Role.LEADER) and is_on_case(user, case)


@rules.predicate
def can_edit_people(user: Any, case: Any) -> bool:
    if case.status == "ended":
        return False
    if _is(user, Role.INTAKE):
        return can_see(user, case)
    return _is(user, Role.COORDINATOR, Role.LEADER) and (
        is_on_case(user, case) or (case.status == "referral" and can_see(user, case))
    )


@rules.predicate
def can_edit_network(user: Any, case: Any) -> bool:
    """Network and professional contacts: also the consultant, who meets them in the family."""
    if case.status == "ended":
        return False
    if _is(user, Role.CONSULTANT):
        return is_on_case(user, case)
    return bool(can_edit_people(user, case))


@rules.predicate
def can_reveal_cpr(user: Any, case: Any) -> bool:
    """The full CPR number is for the roles that contact authorities about the family."""
    return _is(user, Role.INTAKE, Role.COORDINATOR, Role.LEADER) and can_see(user, case)


rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.register_referral", can_register_referral)
rules.add_perm("cases.edit_referral", can_edit_referral)
rules.add_perm("cases.assign_case", can_assign_case)
rules.add_perm("cases.record_first_contact", can_record_first_contact)
rules.add_perm("cases.manage_case", can_manage_case)
rules.add_perm("cases.edit_people", can_edit_people)
rules.add_perm("cases.edit_network", can_edit_network)
rules.add_perm("cases.reveal_cpr", can_reveal_cpr)
