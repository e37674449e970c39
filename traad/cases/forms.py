"""Forms of the referral, case and matching screens. They validate input only; every write
goes through ``traad.cases.services``."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from traad.accounts.models import Role, User
from traad.cases.cpr import normalise_cpr
from traad.cases.models import (
    Case,
    CaseStatus,
    EndReason,
    InterventionType,
    NetworkPerson,
    Order,
    PersonRole,
    ProfessionalContact,
    Relation,
    Urgency,
)
from traad.cases.services import REFERRAL_FIELDS
from traad.organisations.models import Competence, Municipality

# What the browser sends from <input type="datetime-local"> and <input type="date">.
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
DATE_FORMAT = "%Y-%m-%d"
MIN_HOURS, MAX_HOURS = Decimal("0.5"), Decimal("80")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATETIME_LOCAL_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=DATE_FORMAT)


def hours_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Approved hours per week"),
        required=False,
        min_value=MIN_HOURS,
        max_value=MAX_HOURS,
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


def check_period(form: forms.BaseForm, start_name: str, end_name: str) -> None:
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    if start and end and end < start:
        form.add_error(end_name, _("The end of the period must be on or after its start."))


def caseworkers_of(municipality_id: Any) -> QuerySet[User]:
    """Active caseworkers of one municipality (none when the id is missing or not a number)."""
    users = User.objects.filter(role=Role.CASEWORKER, is_active=True)
    if not str(municipality_id or "").isdigit():
        return users.none()
    return users.filter(municipality_id=int(municipality_id)).order_by("full_name", "email")


def model_choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class CaseworkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class ReferralForm(forms.ModelForm):
    """A referral, possibly half-filled: only the municipality is required."""

    approved_hours_per_week = hours_field()
    period_start = forms.DateField(label=_("Approved from"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Approved until"), required=False, widget=DateInput())
    new_caseworker_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    new_caseworker_email = forms.EmailField(label=_("Email"), required=False)
    new_caseworker_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    class Meta:
        model = Case
        fields = [*REFERRAL_FIELDS, "home_languages", "needed_competences"]
        field_classes = {"caseworker": CaseworkerChoiceField}
        widgets = {
            "municipality": forms.Select(
                attrs={
                    # Reload the caseworkers of the chosen municipality (see caseworker_options).
                    "hx-get": reverse_lazy("cases:caseworker_options"),
                    "hx-target": "#id_caseworker",
                    "hx-swap": "innerHTML",
                }
            ),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "concerns": forms.Textarea(attrs={"rows": 4}),
            "received_at": DateTimeLocalInput(),
            "investigation_expected_end": DateInput(),
            "home_languages": forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
            "needed_competences": forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, data: Any = None, *, instance: Case | None = None, **kwargs: Any) -> None:
        self.case = instance
        if instance is not None:
            # Validate a copy: the service snapshots the real case before it changes it, for
            # the audit log, so the form must not change it first.
            instance = copy.copy(instance)
            order = instance.orders.order_by("-version").first()
            if order is not None:
                kwargs["initial"] = {
                    "approved_hours_per_week": order.approved_hours_per_week,
                    "period_start": order.period_start,
                    "period_end": order.period_end,
                    **kwargs.get("initial", {}),
                }
        super().__init__(data, instance=instance, **kwargs)
        model_choices(self, "municipality").queryset = Municipality.objects.order_by("name")
        model_choices(self, "municipality").empty_label = _("Choose a municipality")
        model_choices(self, "caseworker").queryset = caseworkers_of(self._chosen_municipality())
        current_type = instance.intervention_type_id if instance else None
        model_choices(self, "intervention_type").queryset = InterventionType.objects.filter(
            Q(is_active=True) | Q(pk=current_type)
        )
        chosen = (
            list(instance.needed_competences.values_list("pk", flat=True))
            if instance is not None
            else []
        )
        model_choices(self, "needed_competences").queryset = Competence.objects.filter(
            Q(is_active=True) | Q(pk__in=chosen)
        )
        # A half-filled referral saves: these have sensible defaults when left empty.
        self.fields["received_at"].required = False
        self.fields["urgency"].required = False
        if self.case is None:
            self.fields["needed_competences"].help_text = _(
                "Leave empty to use the competences usually needed for the intervention type."
            )

    def _chosen_municipality(self) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix("municipality"))
        return self.initial.get("municipality") or (self.instance.municipality_id or None)

    def clean_received_at(self) -> dt.datetime:
        value = self.cleaned_data.get("received_at")
        if value is None:
            return self.case.received_at if self.case is not None else timezone.now()
        return value

    def clean_urgency(self) -> str:
        return self.cleaned_data.get("urgency") or Urgency.NORMAL

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(self, "period_start", "period_end")
        name = data.get("new_caseworker_name", "").strip()
        email = data.get("new_caseworker_email", "").strip()
        if name or email or data.get("new_caseworker_phone", "").strip():
            if data.get("caseworker") is not None:
                self.add_error(
                    "caseworker",
                    _("Choose a caseworker from the list or create a new one, not both."),
                )
            if not name:
                self.add_error("new_caseworker_name", _("Write the new caseworker's name."))
            if not email:
                if "new_caseworker_email" not in self.errors:
                    self.add_error(
                        "new_caseworker_email", _("Write the new caseworker's email address.")
                    )
            elif User.objects.filter(email__iexact=email).exists():
                self.add_error(
                    "new_caseworker_email",
                    _(
                        "Tråd already has a user with this email address. "
                        "Choose the caseworker in the list instead."
                    ),
                )
        return data

    @property
    def wants_new_caseworker(self) -> bool:
        return bool(self.cleaned_data.get("new_caseworker_email"))

    def new_caseworker_fields(self) -> dict[str, Any]:
        """Keyword arguments for ``accounts.services.create_user``."""
        return {
            "email": self.cleaned_data["new_caseworker_email"],
            "password": None,
            "full_name": self.cleaned_data["new_caseworker_name"].strip(),
            "phone": self.cleaned_data["new_caseworker_phone"].strip(),
            "role": Role.CASEWORKER,
            "municipality": self.cleaned_data["municipality"],
        }

    def referral_fields(self, *, caseworker: User | None = None) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in REFERRAL_FIELDS}
        if caseworker is not None:
            fields["caseworker"] = caseworker
        return fields

    def order_values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("approved_hours_per_week", "period_start", "period_end")
        }

    def needed_competences(self) -> list[Competence] | None:
        """None lets the service propose the intervention type's competences: on a new
        referral, and when an edit sets the type of a referral that names none yet."""
        chosen = list(self.cleaned_data["needed_competences"])
        if chosen:
            return chosen
        if self.case is None:
            return None
        new_type = self.cleaned_data.get("intervention_type")
        if new_type is not None and self.case.intervention_type_id is None:
            return list(new_type.competences.all())
        return []


NEW_CASEWORKER_FIELDS = {
    "email": "new_caseworker_email",
    "full_name": "new_caseworker_name",
    "phone": "new_caseworker_phone",
}


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    cpr = forms.CharField(
        label=_("CPR number"),
        max_length=20,
        required=False,
        help_text=_("Ten digits, e.g. 010190-1234. A person already known is linked, not copied."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(label=_("Child or adult"), choices=PersonRole.choices)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    school_or_daycare = forms.CharField(
        label=_("School or daycare"),
        max_length=150,
        required=False,
        help_text=_("For children."),
    )

    def clean_cpr(self) -> str:
        value = self.cleaned_data.get("cpr", "").strip()
        return normalise_cpr(value) if value else ""


class NetworkPersonForm(forms.ModelForm):
    class Meta:
        model = NetworkPerson
        fields = ["name", "relation", "phone", "email", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ProfessionalContactForm(forms.ModelForm):
    class Meta:
        model = ProfessionalContact
        fields = ["kind", "organisation", "person_name", "phone", "email", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email


class CoordinatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.team})" if obj.team_id else obj.full_name


class AssignForm(forms.Form):
    consultant = ConsultantChoiceField(
        label=_("Consultant"),
        queryset=User.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={"required": _("Choose a consultant.")},
    )
    coordinator = CoordinatorChoiceField(
        label=_("Coordinator"),
        queryset=User.objects.none(),
        empty_label=_("Choose a coordinator"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you do not choose the top proposal."),
    )

    def __init__(self, *args: Any, consultant_ids: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choices(self, "consultant").queryset = User.objects.filter(pk__in=consultant_ids)
        model_choices(self, "coordinator").queryset = User.objects.filter(
            role=Role.COORDINATOR, is_active=True, team__isnull=False
        ).select_related("team")


class FirstContactForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Time of the first contact in the family"), widget=DateTimeLocalInput()
    )


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case paused?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why does the case end?"), choices=EndReason.choices)
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput())
    note = forms.CharField(
        label=_("About the ending"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the reason is 'Other'."),
    )


class OrderChangeForm(forms.Form):
    approved_hours_per_week = hours_field()
    period_start = forms.DateField(label=_("Approved from"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Approved until"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("About the change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_from(cls, order: Order | None) -> dict[str, Any]:
        if order is None:
            return {}
        return {
            "approved_hours_per_week": order.approved_hours_per_week,
            "period_start": order.period_start,
            "period_end": order.period_end,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(self, "period_start", "period_end")
        return data


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(CaseStatus.choices), required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("All"),
    )
    consultant = ConsultantChoiceField(
        label=_("Consultant"),
        queryset=User.objects.filter(role=Role.CONSULTANT, is_active=True),
        required=False,
        empty_label=_("All"),
    )
    coordinator = ConsultantChoiceField(
        label=_("Coordinator"),
        queryset=User.objects.filter(role=Role.COORDINATOR, is_active=True),
        required=False,
        empty_label=_("All"),
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    # Labelled in __init__: the number of days is a setting.
    no_contact = forms.BooleanField(required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["no_contact"].label = gettext("No contact for %(days)s days") % {
            "days": settings.TRAAD_NO_CONTACT_DAYS
        }
        if getattr(user, "role", "") not in (Role.CONSULTANT, Role.COORDINATOR):
            del self.fields["mine"]  # "mine" means something only to those two roles

    def filter_values(self) -> dict[str, Any]:
        """The valid filters as ``CaseFilters`` keyword arguments (invalid ones are left out)."""
        data = getattr(self, "cleaned_data", {})

        def pk(name: str) -> int | None:
            value = data.get(name)
            return value.pk if value is not None else None

        return {
            "status": data.get("status", ""),
            "municipality_id": pk("municipality"),
            "consultant_id": pk("consultant"),
            "coordinator_id": pk("coordinator"),
            "mine": bool(data.get("mine")),
            "no_contact": bool(data.get("no_contact")),
        }
