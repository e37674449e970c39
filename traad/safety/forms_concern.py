"""Forms of the concern and notification screens. They validate input only; every write goes
through ``traad.safety.services.concern``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from traad.cases.forms import DATETIME_LOCAL_FORMAT, DateTimeLocalInput
from traad.cases.models import Case
from traad.organisations.models import Municipality
from traad.safety.models import ConcernLevel


class ConcernForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Concern level"),
        choices=ConcernLevel.choices,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={"required": _("Choose a concern level.")},
    )
    reason = forms.CharField(
        label=_("Why is the concern at this level?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write why the concern is at this level.")},
    )
    earlier_violence = forms.BooleanField(label=_("Earlier violence"), required=False)
    earlier_abuse = forms.BooleanField(label=_("Earlier abuse"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "concern")
        super().__init__(*args, **kwargs)


class NotificationForm(forms.Form):
    made_at = forms.DateTimeField(
        label=_("Sent"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL_FORMAT],
        error_messages={"required": _("Write when the notification was sent.")},
    )
    municipality = forms.ModelChoiceField(
        label=_("To municipality"), queryset=Municipality.objects.order_by("name")
    )
    grounds = forms.CharField(
        label=_("Grounds"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you saw or heard, and why the child may need support."),
        error_messages={"required": _("Write the grounds of the notification.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "notification")
        kwargs.setdefault("initial", {"municipality": case.municipality_id})
        super().__init__(*args, **kwargs)


class ReceiptForm(forms.Form):
    receipt_at = forms.DateTimeField(
        label=_("Receipt from the municipality"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL_FORMAT],
        error_messages={"required": _("Write when the receipt came.")},
    )

    def __init__(self, *args: Any, notification_id: int, **kwargs: Any) -> None:
        # A prefix per notification keeps the field ids unique when several are open.
        kwargs.setdefault("prefix", f"receipt-{notification_id}")
        super().__init__(*args, **kwargs)
