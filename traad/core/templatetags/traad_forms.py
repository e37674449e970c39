"""Rendering form fields the DKFDS way (classes and ARIA on the widget itself)."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()

CHOICE_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def dkfds_widget(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    attrs: dict[str, str | bool] = {}
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        attrs["class"] = "form-select"
    elif isinstance(widget, forms.CheckboxInput):
        attrs["class"] = "form-checkbox"
    elif not isinstance(widget, CHOICE_WIDGETS):
        attrs["class"] = "form-input"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
