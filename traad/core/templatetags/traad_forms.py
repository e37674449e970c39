"""Rendering form fields the DKFDS way (classes and ARIA on the widget itself)."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundWidget
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


@register.filter
def is_choice_list(field: forms.BoundField) -> bool:
    """Radio buttons or several checkboxes: one fieldset with a DKFDS box per option."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def choice_kind(field: forms.BoundField) -> str:
    return "radio" if isinstance(field.field.widget, forms.RadioSelect) else "checkbox"


@register.filter
def dkfds_options(field: forms.BoundField) -> list[BoundWidget]:
    """The options of a radio or checkbox list, each input with its DKFDS class (without
    it DKFDS's reset hides the input's box)."""
    widget = field.field.widget
    attrs: dict[str, str | bool] = {"class": f"form-{choice_kind(field)}"}
    id_ = widget.attrs.get("id") or field.auto_id
    if id_:
        attrs["id"] = id_
    attrs = field.build_widget_attrs(attrs)
    return [
        BoundWidget(widget, option, field.form.renderer)
        for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]
