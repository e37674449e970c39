from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class AuditSearchForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("User"), queryset=get_user_model().objects.order_by("full_name"), required=False
    )
    case_id = forms.IntegerField(label=_("Case number"), min_value=1, required=False)
    cpr = forms.CharField(
        label=_("CPR number of the person"),
        max_length=11,
        required=False,
        help_text=_("Finds every event about the person, e.g. for a request for access."),
    )
    person_id = forms.IntegerField(label=_("Person number"), min_value=1, required=False)
    action = forms.CharField(
        label=_("Action"),
        max_length=64,
        required=False,
        help_text=_("Beginning of the action name, e.g. case. or auth.login"),
    )
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_cpr(self) -> str:
        from traad.cases.cpr import normalise_cpr

        raw = self.cleaned_data.get("cpr", "")
        return normalise_cpr(raw) if raw.strip() else ""

    def clean(self) -> dict[str, Any]:
        from traad.cases.services import find_person_by_cpr

        data = super().clean() or {}
        if data.get("cpr"):
            person = find_person_by_cpr(data["cpr"])
            if person is None:
                self.add_error("cpr", _("No person with this CPR number is known in Tråd."))
            elif data.get("person_id") not in (None, person.pk):
                self.add_error("cpr", _("The CPR number and the person number do not match."))
            else:
                data["person_id"] = person.pk
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The from date must be on or before the to date."))
        return data
