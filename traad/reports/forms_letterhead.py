"""The letterhead settings form: text fields, and a logo checked by its magic bytes and size."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from traad.reports.letterhead import LOGO_MAX_BYTES, check_cvr, check_logo
from traad.reports.models import Letterhead


class LetterheadForm(forms.ModelForm[Letterhead]):
    """Bound to the current letterhead for its labels and initial values; it never saves:
    the view passes ``text_fields()`` and the logo to ``letterhead.update_letterhead``."""

    logo_file = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("PNG or JPEG, at most 1 MB. Shown at the top of the first page."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    # Eight digits may be typed with spaces ("1234 5678"); clean_cvr strips and checks them.
    cvr = forms.CharField(
        label=_("CVR number"),
        required=False,
        max_length=12,
        help_text=_("8 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Letterhead
        fields = ["name", "address", "phone", "email", "cvr", "footer"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "footer": _(
                "Printed at the bottom of every page, e.g. that the report is confidential."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        if not self.instance.logo:
            del self.fields["remove_logo"]

    def clean_cvr(self) -> str:
        return check_cvr(self.cleaned_data.get("cvr") or "")

    def clean_logo_file(self) -> bytes | None:
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size is not None and upload.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo may be at most 1 MB."), code="too_large")
        data = upload.read(LOGO_MAX_BYTES + 1)
        check_logo(data)
        return bytes(data)

    def text_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

    def wants_logo_removed(self) -> bool:
        return bool(self.cleaned_data.get("remove_logo"))
