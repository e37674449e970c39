"""Reads of cases. ``visible_to`` is the one definition of who may see which case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone

from traad.accounts.models import Role
from traad.audit.models import AuditEvent
from traad.audit.services import record_event
from traad.cases.models import (
    NOT_STARTED_STATUSES,
    Case,
    CasePerson,
    CaseStatus,
    Order,
)


def visible_to(user: Any) -> QuerySet[Case]:
    """Cases ``user`` may see. Admins run the system but see no case content."""
    cases = Case.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return cases.none()
    role = user.role
    if role == Role.INTAKE:
        # Intake follows a referral until someone has started in the family.
        return cases.filter(status__in=NOT_STARTED_STATUSES)
    if role == Role.CONSULTANT:
        return cases.filter(
            Exists(Case.consultants.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk))
        )
    if role == Role.COORDINATOR:
        # Their own cases, their team's (they supervise its consultants), and referrals not
        # yet assigned (coordinators take part in intake).
        mine = Q(coordinator=user) | Q(status=CaseStatus.REFERRAL)
        if user.team_id is not None:
            mine |= Q(team_id=user.team_id)
        return cases.filter(mine)
    if role == Role.LEADER:
        return cases.filter(team_id=user.team_id) if user.team_id else cases.none()
    if role == Role.CASEWORKER:
        # Their own cases; all of their municipality's when it lets caseworkers cover for each
        # other. Never another municipality's.
        return cases.filter(
            Q(caseworker=user) | Q(municipality__caseworkers_cover_each_other=True),
            municipality_id=user.municipality_id,
        )
    return cases.none()


def get_case_for(user: Any, case_id: int | str) -> Case:
    """The case if ``user`` may see it; 404 both when it is missing and when it is not theirs."""
    try:
        return (
            visible_to(user)
            .select_related(
                "municipality", "team", "coordinator", "caseworker", "intervention_type"
            )
            .get(pk=int(case_id))
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def view_case(user: Any, case_id: int | str) -> Case:
    """Open a case for reading and log the read."""
    case = get_case_for(user, case_id)
    record_event(actor=user, action="case.viewed", obj=case, case_id=case.pk)
    return case


def with_last_contact(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``last_contact_on`` (the latest signed journal entry, or the first contact if
    none) and ``no_contact`` (an active case without contact for TRAAD_NO_CONTACT_DAYS days)."""
    from traad.journal.models import EntryStatus, JournalEntry

    latest_signed = (
        JournalEntry.objects.filter(case=OuterRef("pk"), status=EntryStatus.SIGNED)
        .order_by("-date")
        .values("date")[:1]
    )
    cutoff = timezone.localdate() - dt.timedelta(days=settings.TRAAD_NO_CONTACT_DAYS)
    first_contact_day = TruncDate("first_contact_at", tzinfo=timezone.get_current_timezone())
    return cases.annotate(
        last_contact_on=Coalesce(Subquery(latest_signed), first_contact_day)
    ).annotate(
        no_contact=ExpressionWrapper(
            Q(status=CaseStatus.ACTIVE) & Q(last_contact_on__lt=cutoff),
            output_field=BooleanField(),
        )
    )


def _with_list_data(cases: QuerySet[Case]) -> QuerySet[Case]:
    latest_hours = Order.objects.filter(case=OuterRef("pk")).order_by("-version")
    children = CasePerson.objects.filter(role="child").select_related("person")
    return (
        with_last_contact(cases)
        .select_related("municipality", "team", "coordinator", "caseworker", "intervention_type")
        .prefetch_related(
            "consultants",
            Prefetch("members", queryset=children, to_attr="children"),
        )
        .annotate(approved_hours=Subquery(latest_hours.values("approved_hours_per_week")[:1]))
    )


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    municipality_id: int | None = None
    consultant_id: int | None = None
    coordinator_id: int | None = None
    mine: bool = False
    no_contact: bool = False


def case_list_for(user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    filters = filters or CaseFilters()
    cases = visible_to(user)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.municipality_id:
        cases = cases.filter(municipality_id=filters.municipality_id)
    if filters.consultant_id:
        cases = cases.filter(consultants__id=filters.consultant_id)
    if filters.coordinator_id:
        cases = cases.filter(coordinator_id=filters.coordinator_id)
    if filters.mine:
        if user.role == Role.COORDINATOR:
            cases = cases.filter(coordinator=user)
        elif user.role == Role.CONSULTANT:
            cases = cases.filter(consultants=user)
    cases = _with_list_data(cases)
    if filters.no_contact:
        cases = cases.filter(no_contact=True)  # type: ignore[misc]  # annotated above
    return cases.order_by("-received_at", "-id").distinct()


def intake_queue_for(user: Any) -> QuerySet[Case]:
    """Referrals and assigned cases not yet started in the family, oldest first."""
    return _with_list_data(visible_to(user).filter(status__in=NOT_STARTED_STATUSES)).order_by(
        "received_at", "id"
    )


# Actions shown on a case's timeline; reads (viewed, revealed) are in the audit log only.
# The timeline shows what happened on the case; reads and private drafts are in the audit log
# only (a draft's autosaves would drown everything else).
TIMELINE_EXCLUDED_PATTERN = (
    r"(\.(viewed|list_viewed|listed|searched|pdf_downloaded|cpr_revealed)$)|(^journal\.draft_)"
)


def case_timeline(case: Case) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(case_id=case.pk)
        .exclude(action__regex=TIMELINE_EXCLUDED_PATTERN)
        .order_by("-at", "-id")
    )


def leaders_of(case: Case) -> list[Any]:
    """The active leaders of the case's team; every active leader if the case has no team."""
    from traad.accounts.models import User

    leaders = User.objects.filter(is_active=True, role=Role.LEADER)
    if case.team_id is not None:
        leaders = leaders.filter(team_id=case.team_id)
    return list(leaders.order_by("pk"))


def responsible_staff(case: Case) -> list[Any]:
    """Who at the provider hears about the case: its coordinator, or without an active one the
    team's leaders."""
    coordinator = case.coordinator
    if coordinator is not None and coordinator.is_active:
        return [coordinator]
    return leaders_of(case)
