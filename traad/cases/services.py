"""Writes of referrals and cases. One keyword-only function per business action; each checks
who may do it, runs in one transaction, saves with ``update_fields`` and writes its audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traad.accounts.models import Role, User
from traad.audit.services import diff_values, record_event
from traad.cases import rules
from traad.cases.cpr import birth_date, cpr_hash, normalise_cpr
from traad.cases.models import (
    Case,
    CasePause,
    CasePerson,
    CaseStatus,
    EndReason,
    NetworkPerson,
    Order,
    Person,
    PersonRole,
    ProfessionalContact,
)
from traad.organisations.models import Competence, Language

# The referral's own fields an intake worker fills in, possibly over several saves.
REFERRAL_FIELDS = (
    "municipality",
    "caseworker",
    "intervention_type",
    "purpose",
    "expected_duration_months",
    "investigation",
    "investigation_expected_end",
    "urgency",
    "address",
    "postcode",
    "concerns",
    "flag_violence",
    "flag_sexual_abuse",
    "flag_substance_misuse",
    "flag_mental_illness",
    "flag_neglect",
    "received_at",
)
ORDER_FIELDS = ("approved_hours_per_week", "period_start", "period_end")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _value(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in fields}


def latest_order(case: Case) -> Order | None:
    return case.orders.order_by("-version").first()


# --- Referral -------------------------------------------------------------------------------


@transaction.atomic
def register_referral(
    *,
    by: User,
    fields: Mapping[str, Any],
    order: Mapping[str, Any] | None = None,
    home_languages: Iterable[Language] = (),
    needed_competences: Iterable[Competence] | None = None,
) -> Case:
    """Register a referral from a municipality; it may be incomplete (only the municipality
    is required), so an intake worker on the phone can save as they go."""
    _require(rules.can_register_referral(by))
    case = Case(created_by=by, status=CaseStatus.REFERRAL)
    for name in REFERRAL_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    case.full_clean(exclude=["team", "coordinator"])
    case.save()
    case.home_languages.set(home_languages)
    if needed_competences is None and case.intervention_type is not None:
        needed_competences = case.intervention_type.competences.all()
    case.needed_competences.set(needed_competences or [])
    new_order = Order(case=case, version=1, created_by=by, **(order or {}))
    new_order.full_clean()
    new_order.save()
    record_event(
        actor=by,
        action="case.referral_registered",
        obj=case,
        case_id=case.pk,
        changes=diff_values({}, {**_snapshot(case, REFERRAL_FIELDS), **(order or {})}),
    )
    return case


@transaction.atomic
def update_referral(
    case: Case,
    *,
    by: User,
    fields: Mapping[str, Any],
    order: Mapping[str, Any] | None = None,
    home_languages: Iterable[Language] | None = None,
    needed_competences: Iterable[Competence] | None = None,
) -> Case:
    """Complete or correct a referral before anyone is working in the family.

    The order is edited in place while the referral is being registered; once the case is
    assigned, a change of the order is a new version (``change_order``).
    """
    _require(rules.can_edit_referral(by, case))
    before = _snapshot(case, REFERRAL_FIELDS)
    for name in REFERRAL_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    try:
        case.full_clean(exclude=["team", "coordinator"])
    except ValidationError:
        case.refresh_from_db()  # leave the caller's instance as it is stored
        raise
    changed = [name for name in REFERRAL_FIELDS if _value(getattr(case, name)) != before[name]]
    if changed:
        case.save(update_fields=changed)
    changes = diff_values(before, _snapshot(case, REFERRAL_FIELDS))
    if home_languages is not None:
        old = sorted(case.home_languages.values_list("code", flat=True))
        case.home_languages.set(home_languages)
        new = sorted(case.home_languages.values_list("code", flat=True))
        if old != new:
            changes["home_languages"] = [old, new]
    if needed_competences is not None:
        old_c = sorted(case.needed_competences.values_list("name", flat=True))
        case.needed_competences.set(needed_competences)
        new_c = sorted(case.needed_competences.values_list("name", flat=True))
        if old_c != new_c:
            changes["needed_competences"] = [old_c, new_c]
    if order is not None:
        current = latest_order(case) or Order(case=case, version=1, created_by=by)
        order_before = _snapshot(current, ORDER_FIELDS)
        for name, value in order.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
        changes.update(diff_values(order_before, _snapshot(current, ORDER_FIELDS)))
    if changes:
        record_event(
            actor=by, action="case.referral_updated", obj=case, case_id=case.pk, changes=changes
        )
    return case


def missing_for_assignment(case: Case) -> list[str]:
    """What a referral still lacks before it can be assigned (Danish, for the intake worker)."""
    missing = []
    if case.caseworker_id is None:
        missing.append(_("the municipality's caseworker"))
    if case.intervention_type_id is None:
        missing.append(_("the intervention type"))
    if not case.purpose.strip():
        missing.append(_("the purpose of the intervention"))
    order = latest_order(case)
    if order is None or order.approved_hours_per_week is None:
        missing.append(_("the approved hours per week"))
    if not case.members.filter(role=PersonRole.CHILD).exists():
        missing.append(_("at least one child"))
    return missing


# --- Lifecycle ------------------------------------------------------------------------------


@transaction.atomic
def assign_case(
    case: Case,
    *,
    by: User,
    consultant: User,
    coordinator: User,
    reason: str = "",
) -> Case:
    """Hand a complete referral to a consultant and a coordinator (referral → assigned).

    Choosing someone other than the top proposal needs a short reason, kept with the case.
    """
    from traad.cases.matching import top_proposal

    _require(rules.can_assign_case(by, case))
    if case.status != CaseStatus.REFERRAL:
        raise ValidationError(_("Only a referral that has not been assigned can be assigned."))
    missing = missing_for_assignment(case)
    if missing:
        raise ValidationError(
            _("The referral cannot be assigned yet. Missing: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    if consultant.role != Role.CONSULTANT or not consultant.is_active:
        raise ValidationError(_("Choose an active family consultant."))
    if coordinator.role != Role.COORDINATOR or not coordinator.is_active:
        raise ValidationError(_("Choose an active coordinator."))
    if coordinator.team_id is None:
        raise ValidationError(_("The coordinator must belong to a team."))
    top = top_proposal(case)
    reason = reason.strip()
    if top is not None and consultant.pk != top.pk and not reason:
        raise ValidationError(
            _("You chose someone other than the top proposal (%(name)s). Write a short reason.")
            % {"name": top.full_name}
        )
    case.status = CaseStatus.ASSIGNED
    case.coordinator = coordinator
    case.team_id = coordinator.team_id
    case.assignment_reason = reason
    case.assigned_at = timezone.now()
    case.save(update_fields=["status", "coordinator", "team", "assignment_reason", "assigned_at"])
    case.consultants.add(consultant)
    record_event(
        actor=by,
        action="case.assigned",
        obj=case,
        case_id=case.pk,
        changes={
            "status": [CaseStatus.REFERRAL, CaseStatus.ASSIGNED],
            "consultant": [None, consultant.email],
            "coordinator": [None, coordinator.email],
            "top_proposal": top.email if top else None,
            "reason": reason,
        },
    )
    return case


@transaction.atomic
def record_first_contact(case: Case, *, by: User, at: dt.datetime) -> Case:
    """The first contact in the family: the case becomes active and time-to-start is known."""
    _require(rules.can_record_first_contact(by, case))
    if case.status != CaseStatus.ASSIGNED:
        raise ValidationError(_("First contact can only be recorded on an assigned case."))
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("The first contact cannot be in the future."))
    if at < case.received_at:
        raise ValidationError(_("The first contact cannot be before the referral was received."))
    case.status = CaseStatus.ACTIVE
    case.first_contact_at = at
    case.save(update_fields=["status", "first_contact_at"])
    record_event(
        actor=by,
        action="case.first_contact",
        obj=case,
        case_id=case.pk,
        changes={
            "status": [CaseStatus.ASSIGNED, CaseStatus.ACTIVE],
            "first_contact_at": [None, at.isoformat()],
            "hours_to_first_contact": round(case.hours_to_first_contact or 0, 1),
        },
    )
    return case


@transaction.atomic
def pause_case(case: Case, *, by: User, reason: str) -> Case:
    _require(rules.can_manage_case(by, case))
    if case.status not in (CaseStatus.ASSIGNED, CaseStatus.ACTIVE):
        raise ValidationError(_("Only an assigned or active case can be paused."))
    if not reason.strip():
        raise ValidationError(_("Write why the case is paused."))
    CasePause.objects.create(case=case, reason=reason.strip(), resume_status=case.status)
    old = case.status
    case.status = CaseStatus.PAUSED
    case.save(update_fields=["status"])
    record_event(
        actor=by,
        action="case.paused",
        obj=case,
        case_id=case.pk,
        changes={"status": [old, CaseStatus.PAUSED], "reason": reason.strip()},
    )
    return case


@transaction.atomic
def resume_case(case: Case, *, by: User) -> Case:
    _require(rules.can_manage_case(by, case))
    pause = case.pauses.filter(ended_at__isnull=True).first()
    if case.status != CaseStatus.PAUSED or pause is None:
        raise ValidationError(_("Only a paused case can be resumed."))
    pause.ended_at = timezone.now()
    pause.save(update_fields=["ended_at"])
    case.status = pause.resume_status
    case.save(update_fields=["status"])
    record_event(
        actor=by,
        action="case.resumed",
        obj=case,
        case_id=case.pk,
        changes={"status": [CaseStatus.PAUSED, case.status]},
    )
    return case


@transaction.atomic
def end_case(case: Case, *, by: User, reason: str, ended_on: dt.date, note: str = "") -> Case:
    _require(rules.can_manage_case(by, case))
    if case.status == CaseStatus.ENDED:
        raise ValidationError(_("The case has already ended."))
    if reason not in EndReason.values:
        raise ValidationError(_("Choose why the case ends."))
    if reason == EndReason.OTHER and not note.strip():
        raise ValidationError(_("Describe the reason when you choose 'Other'."))
    if ended_on > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError(_("The end date is too far in the future."))
    if ended_on < timezone.localtime(case.received_at).date():
        raise ValidationError(_("The end date cannot be before the referral was received."))
    old = case.status
    open_pause = case.pauses.filter(ended_at__isnull=True).first()
    if open_pause is not None:
        open_pause.ended_at = timezone.now()
        open_pause.save(update_fields=["ended_at"])
    case.status = CaseStatus.ENDED
    case.end_reason = reason
    case.ended_on = ended_on
    case.end_note = note.strip()
    case.save(update_fields=["status", "end_reason", "ended_on", "end_note"])
    record_event(
        actor=by,
        action="case.ended",
        obj=case,
        case_id=case.pk,
        changes={
            "status": [old, CaseStatus.ENDED],
            "end_reason": reason,
            "ended_on": ended_on.isoformat(),
        },
    )
    return case


@transaction.atomic
def change_order(
    case: Case,
    *,
    by: User,
    approved_hours_per_week: Decimal | None,
    period_start: dt.date | None,
    period_end: dt.date | None,
    note: str,
) -> Order:
    """The municipality changed its order: a new version; earlier versions stay visible."""
    _require(rules.can_manage_case(by, case))
    if case.status in (CaseStatus.REFERRAL, CaseStatus.ENDED):
        raise ValidationError(_("The order can only be changed on a case that is under way."))
    previous = latest_order(case)
    order = Order(
        case=case,
        version=(previous.version + 1) if previous else 1,
        approved_hours_per_week=approved_hours_per_week,
        period_start=period_start,
        period_end=period_end,
        note=note.strip(),
        created_by=by,
    )
    order.full_clean()
    order.save()
    record_event(
        actor=by,
        action="case.order_changed",
        obj=case,
        case_id=case.pk,
        changes={
            "version": order.version,
            **diff_values(
                _snapshot(previous, ORDER_FIELDS) if previous else {},
                _snapshot(order, ORDER_FIELDS),
            ),
        },
    )
    return order


# --- People ---------------------------------------------------------------------------------


def find_person_by_cpr(raw_cpr: str) -> Person | None:
    """Exact lookup through the keyed hash; nothing is decrypted."""
    return Person.objects.filter(cpr_hash=cpr_hash(normalise_cpr(raw_cpr))).first()


@transaction.atomic
def add_person_to_case(
    case: Case,
    *,
    by: User,
    name: str,
    cpr: str,
    role: str,
    relation: str,
    school_or_daycare: str = "",
) -> tuple[CasePerson, bool]:
    """Add a child or adult to the household. A person already known by CPR number is linked,
    not duplicated. Returns the membership and whether an existing person was linked."""
    _require(rules.can_edit_people(by, case))
    digits = normalise_cpr(cpr) if cpr.strip() else ""
    person = Person.objects.filter(cpr_hash=cpr_hash(digits)).first() if digits else None
    linked = person is not None
    if person is None:
        person = Person.objects.create(
            name=name.strip(),
            cpr=digits,
            cpr_hash=cpr_hash(digits) if digits else None,
            birth_date=birth_date(digits) if digits else None,
        )
    if CasePerson.objects.filter(case=case, person=person).exists():
        raise ValidationError(_("%(name)s is already on this case.") % {"name": person.name})
    membership = CasePerson.objects.create(
        case=case,
        person=person,
        role=role,
        relation=relation,
        school_or_daycare=school_or_daycare.strip() if role == PersonRole.CHILD else "",
    )
    record_event(
        actor=by,
        action="case.person_linked" if linked else "case.person_added",
        obj=person,
        case_id=case.pk,
        person_id=person.pk,
        changes={"role": role, "relation": relation, "cpr": "***" if digits else ""},
    )
    return membership, linked


@transaction.atomic
def remove_person_from_case(membership: CasePerson, *, by: User) -> None:
    case = membership.case
    _require(rules.can_edit_people(by, case))
    person_id = membership.person_id
    membership.delete()
    record_event(
        actor=by,
        action="case.person_removed",
        obj=case,
        case_id=case.pk,
        person_id=person_id,
    )


def reveal_cpr(person: Person, *, by: User, case: Case) -> str:
    """The full CPR number, for a role that needs it; every reveal is logged."""
    _require(rules.can_reveal_cpr(by, case))
    if not case.members.filter(person=person).exists():
        # Only people of this case, so seeing one case never reveals anyone else's number.
        raise PermissionDenied
    record_event(
        actor=by, action="person.cpr_revealed", obj=person, case_id=case.pk, person_id=person.pk
    )
    return person.cpr


def _add_to_case(
    case: Case, *, by: User, item: NetworkPerson | ProfessionalContact, action: str, summary: str
) -> None:
    _require(rules.can_edit_network(by, case))
    item.full_clean()
    item.save()
    record_event(actor=by, action=action, obj=item, case_id=case.pk, changes={"summary": summary})


@transaction.atomic
def add_network_person(case: Case, *, by: User, **fields: Any) -> NetworkPerson:
    item = NetworkPerson(case=case, **fields)
    _add_to_case(
        case,
        by=by,
        item=item,
        action="case.network_added",
        summary=f"{item.name} ({item.relation})",
    )
    return item


@transaction.atomic
def add_professional_contact(case: Case, *, by: User, **fields: Any) -> ProfessionalContact:
    item = ProfessionalContact(case=case, **fields)
    _add_to_case(
        case,
        by=by,
        item=item,
        action="case.contact_added",
        summary=f"{item.kind}: {item.organisation}",
    )
    return item
