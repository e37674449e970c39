"""Screens of referrals, cases, people and matching.

Thin on purpose: find the case through the selectors (404 for anyone who may not see it),
check the permission (403 when they see it but may not act), call one service, then render or
redirect. A service's ValidationError is shown on the form that was posted, with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from traad.accounts.models import Role, User
from traad.accounts.services import create_user
from traad.cases import services
from traad.cases.cpr import format_cpr
from traad.cases.forms import (
    NEW_CASEWORKER_FIELDS,
    AssignForm,
    CaseFilterForm,
    EndForm,
    FirstContactForm,
    NetworkPersonForm,
    OrderChangeForm,
    PauseForm,
    PersonForm,
    ProfessionalContactForm,
    ReferralForm,
    caseworkers_of,
)
from traad.cases.models import NOT_STARTED_STATUSES, Case, CasePerson, CaseStatus, PersonRole
from traad.cases.selectors import (
    CaseFilters,
    case_list_for,
    case_timeline,
    get_case_for,
    intake_queue_for,
    view_case,
)

PAGE_SIZE = 50
TIMELINE_LIMIT = 100
# The provider's promise: start in the family within 24 hours of the referral.
START_WITHIN_HOURS = 24

ACTION_LABELS: dict[str, Any] = {
    "case.referral_registered": gettext_lazy("Referral registered"),
    "case.referral_updated": gettext_lazy("Referral updated"),
    "case.assigned": gettext_lazy("Assigned to a consultant and a coordinator"),
    "case.first_contact": gettext_lazy("First contact in the family"),
    "case.paused": gettext_lazy("Case paused"),
    "case.resumed": gettext_lazy("Case resumed"),
    "case.ended": gettext_lazy("Case ended"),
    "case.order_changed": gettext_lazy("Order changed"),
    "case.person_added": gettext_lazy("Person added"),
    "case.person_linked": gettext_lazy("Person already known in Tråd linked"),
    "case.person_removed": gettext_lazy("Person removed"),
    "case.network_added": gettext_lazy("Network person added"),
    "case.contact_added": gettext_lazy("Professional contact added"),
    "case.report_delivery_changed": gettext_lazy("Delivery of samværsbeskrivelser changed"),
    "goal.created": gettext_lazy("Goal added"),
    "goal.changed": gettext_lazy("Goal changed"),
    "goal.rated": gettext_lazy("Goal rated"),
    "goal.status_changed": gettext_lazy("Goal status changed"),
    "journal.signed": gettext_lazy("Journal entry signed"),
    "journal.amended": gettext_lazy("Journal entry amended"),
    "samvaer.planned": gettext_lazy("Samvær planned"),
    "samvaer.report_saved": gettext_lazy("Samværsbeskrivelse saved"),
    "samvaer.signed": gettext_lazy("Samværsbeskrivelse signed"),
    "samvaer.amended": gettext_lazy("Samværsbeskrivelse amended"),
}

# Forms of the case overview, by context name: (form class, prefix). Prefixes keep the ids of
# fields with the same name (name, email, note, …) unique on the one page.
DETAIL_FORMS: dict[str, tuple[type[forms.BaseForm], str]] = {
    "person_form": (PersonForm, "person"),
    "network_form": (NetworkPersonForm, "network"),
    "contact_form": (ProfessionalContactForm, "contact"),
    "first_contact_form": (FirstContactForm, "first_contact"),
    "pause_form": (PauseForm, "pause"),
    "end_form": (EndForm, "end"),
    "order_form": (OrderChangeForm, "order"),
}


class AuthenticatedRequest(HttpRequest):
    """Every page here is behind LoginRequiredMiddleware: the user is signed in."""

    user: User


# --- Helpers ---------------------------------------------------------------------------------


def _require(request: AuthenticatedRequest, perm: str, case: Case | None = None) -> None:
    if not request.user.has_perm(perm, case):
        raise PermissionDenied


def _case_for(
    request: AuthenticatedRequest, case_id: int, perm: str | None = None, *, log_read: bool = False
) -> Case:
    """The case, or 404 for anyone who may not see it; 403 if they see it but lack ``perm``.
    ``log_read`` opens it through ``view_case`` so showing it is in the audit log."""
    case = get_case_for(request.user, case_id)
    if perm is not None:
        _require(request, perm, case)
    if log_read:
        case = view_case(request.user, case.pk)
    return case


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, field_map: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on ``form``: per field where it names one of the
    form's fields, otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        name = (field_map or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


@dataclass(frozen=True)
class QueueRow:
    case: Case
    age_hours: float

    @property
    def overdue(self) -> bool:
        """Not started in the family and waited longer than the 24 hours promised."""
        return self.case.status in NOT_STARTED_STATUSES and self.age_hours > START_WITHIN_HOURS


def queue_rows(cases: Iterable[Case]) -> list[QueueRow]:
    now = timezone.now()
    return [QueueRow(case, (now - case.received_at).total_seconds() / 3600) for case in cases]


# --- Referrals --------------------------------------------------------------------------------


@require_GET
def intake_queue(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(intake_queue_for(request.user), PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "cases/intake_queue.html",
        {
            "page": page,
            "rows": queue_rows(page.object_list),
            "can_register": request.user.has_perm("cases.register_referral"),
        },
    )


def _create_caseworker(request: AuthenticatedRequest, form: ReferralForm) -> User:
    try:
        return create_user(by=request.user, **form.new_caseworker_fields())
    except ValidationError as exc:
        # Name the errors after the form's "new caseworker" fields.
        errors: dict[str, list[ValidationError]] = {}
        for name, field_errors in getattr(exc, "error_dict", {NON_FIELD_ERRORS: [exc]}).items():
            key = NEW_CASEWORKER_FIELDS.get(name, NON_FIELD_ERRORS)
            errors.setdefault(key, []).extend(field_errors)
        raise ValidationError(errors) from exc


def _save_referral(
    request: AuthenticatedRequest, form: ReferralForm, case: Case | None
) -> Case | None:
    """Create the new caseworker, if one was typed in, and save the referral in one
    transaction: when the service refuses, neither is kept and the form shows why."""
    try:
        with transaction.atomic():
            caseworker = _create_caseworker(request, form) if form.wants_new_caseworker else None
            values: dict[str, Any] = {
                "by": request.user,
                "fields": form.referral_fields(caseworker=caseworker),
                "order": form.order_values(),
                "needed_competences": form.needed_competences(),
                "home_languages": list(form.cleaned_data["home_languages"]),
            }
            if case is None:
                return services.register_referral(**values)
            return services.update_referral(case, **values)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@require_http_methods(["GET", "POST"])
def referral_new(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, "cases.register_referral")
    form = ReferralForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        case = _save_referral(request, form, None)
        if case is not None:
            messages.success(request, _("The referral has been saved."))
            return redirect("cases:detail", case.pk)
    return render(request, "cases/referral_form.html", {"form": form, "case": None})


@require_http_methods(["GET", "POST"])
def referral_edit(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _case_for(request, case_id, "cases.edit_referral", log_read=request.method == "GET")
    form = ReferralForm(request.POST if request.method == "POST" else None, instance=case)
    if form.is_bound and form.is_valid() and _save_referral(request, form, case) is not None:
        messages.success(request, _("The referral has been saved."))
        return redirect("cases:detail", case.pk)
    return render(request, "cases/referral_form.html", {"form": form, "case": case})


@require_GET
def caseworker_options(request: AuthenticatedRequest) -> HttpResponse:
    """The <option>s of the caseworker select for the chosen municipality (htmx)."""
    _require(request, "cases.register_referral")
    caseworkers = caseworkers_of(request.GET.get("municipality"))
    return render(request, "cases/_caseworker_options.html", {"caseworkers": caseworkers})


# --- Lists ----------------------------------------------------------------------------------


@require_GET
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    params = request.GET.copy()
    params.pop("side", None)
    if not params and getattr(request.user, "role", "") in (Role.CONSULTANT, Role.COORDINATOR):
        params["mine"] = "1"  # "My cases" unless they ask for more
    form = CaseFilterForm(params, user=request.user)
    form.is_valid()  # invalid filters show their error and are left out
    cases = case_list_for(request.user, CaseFilters(**form.filter_values()))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "form": form,
            "query": params.urlencode(),
            "no_contact_days": settings.TRAAD_NO_CONTACT_DAYS,
        },
    )


# --- The case overview ----------------------------------------------------------------------


def _detail_context(request: AuthenticatedRequest, case: Case, **overrides: Any) -> dict[str, Any]:
    user = request.user

    def can(name: str) -> bool:
        return bool(user.has_perm(f"cases.{name}", case))

    status = case.status
    manage = can("manage_case")
    orders = list(case.orders.select_related("created_by"))
    members = list(case.members.select_related("person"))
    now = timezone.now()
    timeline = [
        (event, ACTION_LABELS.get(event.action, event.action))
        for event in case_timeline(case)[:TIMELINE_LIMIT]
    ]
    context: dict[str, Any] = {
        "case": case,
        "order": orders[0] if orders else None,
        "orders": orders,
        "children": [m for m in members if m.role == PersonRole.CHILD],
        "adults": [m for m in members if m.role != PersonRole.CHILD],
        "consultants": list(case.consultants.all()),
        "network": list(case.network.all()),
        "contacts": list(case.contacts.all()),
        "home_languages": list(case.home_languages.all()),
        "needed_competences": list(case.needed_competences.all()),
        "open_pause": (
            case.pauses.filter(ended_at__isnull=True).first()
            if status == CaseStatus.PAUSED
            else None
        ),
        "timeline": timeline,
        "age_hours": (now - case.received_at).total_seconds() / 3600,
        "start_within_hours": START_WITHIN_HOURS,
        "missing": services.missing_for_assignment(case) if status == CaseStatus.REFERRAL else [],
        "revealed_person_id": None,
        "revealed_cpr": "",
        "can": {
            "edit_referral": can("edit_referral"),
            "assign": can("assign_case"),
            "edit_people": can("edit_people"),
            "edit_network": can("edit_network"),
            "reveal_cpr": can("reveal_cpr"),
            "first_contact": status == CaseStatus.ASSIGNED and can("record_first_contact"),
            "pause": manage and status in (CaseStatus.ASSIGNED, CaseStatus.ACTIVE),
            "resume": manage and status == CaseStatus.PAUSED,
            "end": manage and status != CaseStatus.ENDED,
            "change_order": manage and status not in (CaseStatus.REFERRAL, CaseStatus.ENDED),
        },
    }
    initial: dict[str, dict[str, Any]] = {
        "first_contact_form": {"at": now},
        "end_form": {"ended_on": timezone.localdate()},
        "order_form": OrderChangeForm.initial_from(context["order"]),
    }
    for name, (form_class, prefix) in DETAIL_FORMS.items():
        context[name] = form_class(prefix=prefix, initial=initial.get(name))
    # Goals, journal and samvær come from the journal app; concern and SoS from safety.
    from traad.journal.panels import case_panels as journal_panels
    from traad.safety.panels import case_panels as safety_panels

    context.update(journal_panels(request.user, case))
    context.update(safety_panels(request.user, case))
    from traad.reports.panels import case_panels as report_panels

    context.update(report_panels(request.user, case))
    from traad.portal.panels import case_panels as portal_panels

    context.update(portal_panels(request.user, case))
    context.update(overrides)
    return context


def _render_detail(request: AuthenticatedRequest, case_id: int, **overrides: Any) -> HttpResponse:
    # Opened again through view_case: the read is logged and the case is as saved (a refused
    # service call may have changed the instance in memory).
    case = view_case(request.user, case_id)
    return render(request, "cases/case_detail.html", _detail_context(request, case, **overrides))


@require_GET
def case_detail(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    if request.user.role == Role.CASEWORKER:
        # The caseworker's view of a case is the portal page (404 as usual when not theirs).
        case = get_case_for(request.user, case_id)
        return redirect("portal:case", case.pk)
    return _render_detail(request, case_id)


def _post_case_form(
    request: AuthenticatedRequest,
    case_id: int,
    *,
    perm: str,
    form_name: str,
    act: Callable[[Case, dict[str, Any]], str],
) -> HttpResponse:
    """Handle a form posted from the case overview: ``act`` calls the service and returns
    the success message. Invalid input, or a refusal by the service, shows the overview again
    with what was typed and the errors."""
    case = _case_for(request, case_id, perm)
    form_class, prefix = DETAIL_FORMS[form_name]
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            message = act(case, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("cases:detail", case.pk)
    return _render_detail(request, case.pk, **{form_name: form})


@require_POST
def person_add(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    def act(case: Case, data: dict[str, Any]) -> str:
        membership, linked = services.add_person_to_case(case, by=request.user, **data)
        if linked:
            return _("The person was already known in Tråd and has been linked to the case.")
        return _("%(name)s has been added to the case.") % {"name": membership.person.name}

    return _post_case_form(
        request, case_id, perm="cases.edit_people", form_name="person_form", act=act
    )


@require_POST
def person_remove(request: AuthenticatedRequest, case_id: int, membership_id: int) -> HttpResponse:
    case = _case_for(request, case_id)
    membership = get_object_or_404(
        CasePerson.objects.select_related("person"), pk=membership_id, case=case
    )
    _require(request, "cases.edit_people", case)
    services.remove_person_from_case(membership, by=request.user)
    messages.success(
        request,
        _("%(name)s has been removed from the case.") % {"name": membership.person.name},
    )
    return redirect("cases:detail", case.pk)


@require_POST
def cpr_reveal(request: AuthenticatedRequest, case_id: int, person_id: int) -> HttpResponse:
    case = _case_for(request, case_id)
    membership = get_object_or_404(
        CasePerson.objects.select_related("person"), case=case, person_id=person_id
    )
    _require(request, "cases.reveal_cpr", case)
    cpr = format_cpr(services.reveal_cpr(membership.person, by=request.user, case=case))
    if request.headers.get("HX-Request") == "true":
        return render(request, "cases/_cpr.html", {"person": membership.person, "cpr": cpr})
    return _render_detail(
        request, case.pk, revealed_person_id=membership.person_id, revealed_cpr=cpr
    )


@require_POST
def network_add(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    def act(case: Case, data: dict[str, Any]) -> str:
        item = services.add_network_person(case, by=request.user, **data)
        return _("%(name)s has been added to the network.") % {"name": item.name}

    return _post_case_form(
        request, case_id, perm="cases.edit_network", form_name="network_form", act=act
    )


@require_POST
def contact_add(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    def act(case: Case, data: dict[str, Any]) -> str:
        item = services.add_professional_contact(case, by=request.user, **data)
        return _("%(organisation)s has been added to the contacts.") % {
            "organisation": item.organisation
        }

    return _post_case_form(
        request, case_id, perm="cases.edit_network", form_name="contact_form", act=act
    )


# --- Matching and the lifecycle -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_assign(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    from traad.cases.matching import rank_consultants

    case = _case_for(request, case_id, "cases.assign_case", log_read=request.method == "GET")
    proposals = rank_consultants(case)
    initial: dict[str, Any] = {}
    if proposals:
        initial["consultant"] = proposals[0].consultant.pk
    if request.user.role == Role.COORDINATOR:
        initial["coordinator"] = request.user.pk
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        consultant_ids=[p.consultant.pk for p in proposals],
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        try:
            services.assign_case(
                case,
                by=request.user,
                consultant=form.cleaned_data["consultant"],
                coordinator=form.cleaned_data["coordinator"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The case has been assigned to %(name)s.")
                % {"name": form.cleaned_data["consultant"].full_name},
            )
            return redirect("cases:detail", case.pk)
    return render(
        request,
        "cases/assign.html",
        {
            "case": case,
            "proposals": proposals,
            "form": form,
            "chosen_consultant": str(form["consultant"].value() or ""),
            "missing": services.missing_for_assignment(case),
            "order": services.latest_order(case),
            "home_languages": list(case.home_languages.all()),
            "needed_competences": list(case.needed_competences.all()),
        },
    )


@require_POST
def first_contact(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    def act(case: Case, data: dict[str, Any]) -> str:
        services.record_first_contact(case, by=request.user, at=data["at"])
        return _("The first contact has been recorded. The case is active.")

    return _post_case_form(
        request,
        case_id,
        perm="cases.record_first_contact",
        form_name="first_contact_form",
        act=act,
    )


@require_POST
def case_pause(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    def act(case: Case, data: dict[str, Any]) -> str:
        services.pause_case(case, by=request.user, reason=data["reason"])
        return _("The case has been paused.")

    return _post_case_form(
        request, case_id, perm="cases.manage_case", form_name="pause_form", act=act
    )


@require_POST
def case_resume(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _case_for(request, case_id, "cases.manage_case")
    try:
        services.resume_case(case, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The case has been resumed."))
    return redirect("cases:detail", case.pk)


@require_POST
def case_end(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    def act(case: Case, data: dict[str, Any]) -> str:
        services.end_case(
            case,
            by=request.user,
            reason=data["reason"],
            ended_on=data["ended_on"],
            note=data["note"],
        )
        return _("The case has been ended.")

    return _post_case_form(
        request, case_id, perm="cases.manage_case", form_name="end_form", act=act
    )


@require_POST
def order_change(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    def act(case: Case, data: dict[str, Any]) -> str:
        order = services.change_order(case, by=request.user, **data)
        return _("The order has been changed (version %(version)s).") % {"version": order.version}

    return _post_case_form(
        request, case_id, perm="cases.manage_case", form_name="order_form", act=act
    )
