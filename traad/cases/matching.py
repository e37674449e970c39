"""Matching: a ranked list of consultants for a referral, with the reasons for each rank.

Professional fit comes before language (domain.md, "Matching"), so the ranking is
lexicographic: competence share, then language, capacity, evening/weekend availability, area,
free hours, and the name for a stable order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, FloatField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traad.accounts.models import ConsultantProfile, Role, User
from traad.cases.models import OPEN_STATUSES, Case, Order, Urgency
from traad.organisations.models import Team

# Loads are shares of weekly hours (8 hours on three consultants is 2.67 each).
HOURS_PRECISION = Decimal("0.01")
URGENT_LEVELS = frozenset({Urgency.URGENT, Urgency.ACUTE})


@dataclass(frozen=True)
class Proposal:
    consultant: User
    rank: int  # 1 = best
    competence_matches: int  # how many of case.needed_competences the consultant has
    competence_needed: int
    language_match: bool  # speaks one of case.home_languages (False when the case lists none)
    free_hours: Decimal  # capacity minus the consultant's share of their open cases' hours
    has_capacity: bool  # free_hours >= the case's hours per week (> 0 if it has none yet)
    availability_ok: bool  # urgent/acute: available evenings and weekends; normal: True
    area_match: bool  # profile.covers_postcode(case.postcode)
    reasons: list[str]  # short sentences, translated

    @property
    def competence_share(self) -> float:
        if self.competence_needed == 0:
            return 1.0
        return self.competence_matches / self.competence_needed


def _latest_order_hours(case_ref: OuterRef) -> Subquery:
    return Subquery(
        Order.objects.filter(case_id=case_ref)
        .order_by("-version")
        .values("approved_hours_per_week")[:1]
    )


def _open_case_loads(consultant_ids: Iterable[int] | None) -> dict[int, Decimal]:
    """Each consultant's share of the approved hours of their open cases, in one query.

    A case's hours are split evenly between the consultants on it. Cases without an order, or
    whose latest order has no hours yet, count 0.
    """
    through = Case.consultants.through
    consultants_on_case = (
        Case.objects.filter(pk=OuterRef("case_id"))
        .order_by()
        .values("pk")
        .annotate(n=Count("consultants"))
        .values("n")
    )
    rows = through.objects.filter(case__status__in=OPEN_STATUSES)
    if consultant_ids is not None:
        rows = rows.filter(user_id__in=list(consultant_ids))
    loads = (
        rows.order_by()
        .values("user_id")
        .annotate(
            # Cast to float: SQLite stores 8.0 as the integer 8 and would divide 8 / 3 as 2.
            load=Coalesce(
                Sum(
                    Cast(_latest_order_hours(OuterRef("case_id")), FloatField())
                    / Cast(Subquery(consultants_on_case), FloatField())
                ),
                Value(0.0),
            )
        )
    )
    return {
        row["user_id"]: Decimal(str(row["load"])).quantize(HOURS_PRECISION, ROUND_HALF_UP)
        for row in loads
    }


def free_hours_by_consultant(consultant_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """Capacity minus load per consultant (user id) with a profile; may be negative."""
    ids = None if consultant_ids is None else list(consultant_ids)
    profiles = ConsultantProfile.objects.all()
    if ids is not None:
        profiles = profiles.filter(user_id__in=ids)
    loads = _open_case_loads(ids)
    return {
        user_id: capacity - loads.get(user_id, Decimal(0))
        for user_id, capacity in profiles.values_list("user_id", "capacity_hours")
    }


def _case_hours(case: Case) -> Decimal | None:
    return (
        Order.objects.filter(case=case)
        .order_by("-version")
        .values_list("approved_hours_per_week", flat=True)
        .first()
    )


def _hours(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    places = 0 if rounded == rounded.to_integral_value() else 1
    return number_format(rounded, decimal_pos=places)


def _competence_reasons(matched: list[str], missing: list[str]) -> list[str]:
    needed = len(matched) + len(missing)
    if needed == 0:
        return [_("The referral names no needed competences")]
    values = {"matches": len(matched), "needed": needed, "names": ", ".join(matched)}
    if matched:
        has = ngettext(
            "Has %(matches)s of %(needed)s needed competence: %(names)s",
            "Has %(matches)s of %(needed)s needed competences: %(names)s",
            needed,
        )
    else:
        has = ngettext(
            "Has %(matches)s of %(needed)s needed competence",
            "Has %(matches)s of %(needed)s needed competences",
            needed,
        )
    reasons = [has % values]
    if missing:
        reasons.append(
            ngettext(
                "Missing competence: %(names)s", "Missing competences: %(names)s", len(missing)
            )
            % {"names": ", ".join(missing)}
        )
    return reasons


def _capacity_reason(free: Decimal, needed: Decimal | None, has_capacity: bool) -> str:
    values = {"free": _hours(free), "needed": _hours(needed) if needed else ""}
    if needed:
        if has_capacity:
            return _("%(free)s free hours per week (needs %(needed)s)") % values
        return _("Not enough free hours: %(free)s free, needs %(needed)s") % values
    if has_capacity:
        return _("%(free)s free hours per week") % values
    return _("No free hours: %(free)s free") % values


def _propose(
    profile: ConsultantProfile,
    case: Case,
    *,
    needed_competences: list,
    home_language_ids: set[int],
    case_hours: Decimal | None,
    free_hours: Decimal,
) -> Proposal:
    # Iterate the prefetched relations (``.all()``), never filter them: filtering would query.
    competence_ids = {c.pk for c in profile.competences.all()}
    matched = [c.name for c in needed_competences if c.pk in competence_ids]
    missing = [c.name for c in needed_competences if c.pk not in competence_ids]
    reasons = _competence_reasons(matched, missing)

    spoken = [lang.name for lang in profile.languages.all() if lang.pk in home_language_ids]
    language_match = bool(spoken)
    if spoken:
        reasons.append(_("Speaks %(languages)s") % {"languages": ", ".join(spoken)})
    elif home_language_ids:
        reasons.append(_("Speaks none of the family's languages"))

    has_capacity = free_hours >= case_hours if case_hours else free_hours > 0
    reasons.append(_capacity_reason(free_hours, case_hours, has_capacity))

    available = profile.available_evenings and profile.available_weekends
    availability_ok = True
    if case.urgency in URGENT_LEVELS:
        availability_ok = available
        if available:
            reasons.append(_("Available evenings and weekends"))
        else:
            reasons.append(_("Not available evenings/weekends (the referral is urgent)"))

    area_match = profile.covers_postcode(case.postcode)
    if area_match:
        reasons.append(_("Works in the family's area (%(postcode)s)") % {"postcode": case.postcode})
    elif case.postcode:
        reasons.append(_("Outside the family's area"))

    return Proposal(
        consultant=profile.user,
        rank=0,  # set once all proposals are sorted
        competence_matches=len(matched),
        competence_needed=len(needed_competences),
        language_match=language_match,
        free_hours=free_hours,
        has_capacity=has_capacity,
        availability_ok=availability_ok,
        area_match=area_match,
        reasons=reasons,
    )


def _sort_key(proposal: Proposal) -> tuple[object, ...]:
    return (
        -proposal.competence_share,
        not proposal.language_match,
        not proposal.has_capacity,
        not proposal.availability_ok,
        not proposal.area_match,
        -proposal.free_hours,
        proposal.consultant.full_name.casefold(),
        proposal.consultant.pk,
    )


def rank_consultants(case: Case, *, team: Team | None = None) -> list[Proposal]:
    """Active consultants with a profile (of ``team`` if given), best first.

    A constant number of queries however many consultants there are.
    """
    profiles = (
        ConsultantProfile.objects.filter(user__is_active=True, user__role=Role.CONSULTANT)
        .select_related("user")
        .prefetch_related("competences", "languages")
    )
    if team is not None:
        profiles = profiles.filter(user__team=team)
    candidates = list(profiles)
    if not candidates:
        return []

    needed_competences = list(case.needed_competences.all())
    home_language_ids = {lang.pk for lang in case.home_languages.all()}
    case_hours = _case_hours(case)
    loads = _open_case_loads([p.user_id for p in candidates])

    proposals = sorted(
        (
            _propose(
                profile,
                case,
                needed_competences=needed_competences,
                home_language_ids=home_language_ids,
                case_hours=case_hours,
                free_hours=profile.capacity_hours - loads.get(profile.user_id, Decimal(0)),
            )
            for profile in candidates
        ),
        key=_sort_key,
    )
    return [replace(proposal, rank=position) for position, proposal in enumerate(proposals, 1)]


def top_proposal(case: Case) -> User | None:
    """The best-ranked consultant of the full list (the same list intake is shown)."""
    proposals = rank_consultants(case)
    return proposals[0].consultant if proposals else None
