"""Forms of the report pages. They validate input only; every write goes through
``traad.reports.services``.

The editor's fields are all optional: a draft saves half-written. What a report needs before
it goes for review is checked in one place, ``services.completeness_errors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from traad.cases.forms import DateInput, check_period
from traad.journal.models import ContactKind, JournalEntry
from traad.reports.drafting import excerpt_text
from traad.reports.models import Recommendation, Report, ReportGoal, ReportKind, ReportSection
from traad.reports.services import CONTENT_FIELDS

TEXT_ATTRS = {"inputmode": "text", "autocapitalize": "sentences", "spellcheck": "true"}
EXCERPT_PREVIEW_CHARS = 200


def text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **TEXT_ATTRS})


class TextField(forms.CharField):
    """Text kept as typed (no stripping), with the browser's CRLF line ends made plain, so
    comparing it with the saved text only finds real differences."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n")


def text_field(label: Any, rows: int = 6, help_text: Any = "") -> forms.CharField:
    return TextField(
        label=label, required=False, help_text=help_text, widget=text_area(rows), strip=False
    )


def excerpt_label(entry: JournalEntry) -> str:
    """Date, kind and the start of the note, as the editor lists a candidate excerpt."""
    kinds = dict(ContactKind.choices)
    parts = [
        date_format(entry.date, "SHORT_DATE_FORMAT") if entry.date else "",
        str(kinds.get(entry.kind, entry.kind)),
        Truncator(excerpt_text(entry)).chars(EXCERPT_PREVIEW_CHARS),
    ]
    return " · ".join(part for part in parts if part)


def text_name(section: ReportGoal) -> str:
    return f"goal-{section.pk}-text"


def excerpts_name(section: ReportGoal) -> str:
    return f"goal-{section.pk}-excerpts"


class StartReportForm(forms.Form):
    """Which report to start. The deadline's date is looked up by the view from the case's
    own deadlines, never taken from the post."""

    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)
    deadline_number = forms.IntegerField(required=False, min_value=1)


class ReportForm(forms.Form):
    """The text of a draft report: the period, each goal's progress and journal excerpts, the
    Signs of Safety overview, the child's perspective, the assessment and recommendation."""

    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())
    sos_works = text_field(_("What works"))
    sos_worries = text_field(_("What worries"))
    sos_next = text_field(_("What should happen"))
    child_perspective = text_field(
        _("The child's perspective"),
        help_text=_("Barnets lov § 5: the child's own words and wishes."),
    )
    assessment = text_field(_("Overall professional assessment"), rows=8)
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Recommendation.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
    )
    recommendation_reasons = text_field(_("Reasons for the recommendation"), rows=5)
    # The revision of the report this copy was loaded from (services.save_report). The
    # template writes the value, so a form shown after a conflict carries the current one.
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput())

    def __init__(
        self,
        data: Any = None,
        *,
        report: Report,
        sections: Sequence[ReportGoal],
        candidates: dict[int, list[JournalEntry]],
        **kwargs: Any,
    ) -> None:
        initial: dict[str, Any] = {name: getattr(report, name) for name in CONTENT_FIELDS}
        initial["revision"] = report.revision
        for section in sections:
            initial[text_name(section)] = section.text
            initial[excerpts_name(section)] = [entry.pk for entry in section.excerpts.all()]
        super().__init__(data, initial=initial, **kwargs)
        self.sections = list(sections)
        for section in self.sections:
            self.fields[text_name(section)] = text_field(
                _("Progress in the period: %(goal)s") % {"goal": section.title}
            )
            # Notes already chosen stay listed (so they can be unticked) even if the period
            # has moved since they were picked.
            entries = {entry.pk: entry for entry in candidates.get(section.pk, [])}
            for entry in section.excerpts.all():
                entries.setdefault(entry.pk, entry)
            ordered = sorted(entries.values(), key=lambda e: (e.date is None, e.date, e.pk))
            self.fields[excerpts_name(section)] = forms.TypedMultipleChoiceField(
                label=_("Journal excerpts"),
                choices=[(entry.pk, excerpt_label(entry)) for entry in ordered],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_period(self, "period_start", "period_end")
        return cleaned

    def report_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CONTENT_FIELDS}

    def goal_texts(self) -> dict[int, str]:
        return {section.pk: self.cleaned_data[text_name(section)] for section in self.sections}

    def excerpts(self) -> dict[int, list[int]]:
        return {section.pk: self.cleaned_data[excerpts_name(section)] for section in self.sections}

    def posted_revision(self) -> int:
        revision: int = self.cleaned_data["revision"]
        return revision

    def differences(self, report: Report, sections: Iterable[ReportGoal]) -> dict[str, str]:
        """What is saved now, for each field where it differs from what was posted: shown
        under the field after a conflict so the writer can compare and merge."""
        data = getattr(self, "cleaned_data", {})
        saved: dict[str, str] = {}
        for name in CONTENT_FIELDS:
            value = getattr(report, name)
            if name not in data or data[name] == value:
                continue
            if name == "recommendation":
                saved[name] = str(report.get_recommendation_display())
            elif name.startswith("period"):
                saved[name] = date_format(value, "SHORT_DATE_FORMAT")
            else:
                saved[name] = value
        for section in sections:
            if text_name(section) in data and data[text_name(section)] != section.text:
                saved[text_name(section)] = section.text
            chosen = list(section.excerpts.all())
            if excerpts_name(section) in data and set(data[excerpts_name(section)]) != {
                entry.pk for entry in chosen
            }:
                saved[excerpts_name(section)] = "\n".join(excerpt_label(e) for e in chosen)
        # An emptied field is a difference too; say so rather than show nothing.
        return {name: value or str(_("(empty)")) for name, value in saved.items()}


class CommentForm(forms.Form):
    section = forms.ChoiceField(choices=ReportSection.choices, widget=forms.HiddenInput())
    # Not required here: the service says what is missing, in one place.
    text = text_field(_("Comment"), rows=3)


class SendBackForm(forms.Form):
    section = forms.ChoiceField(
        label=_("About"), choices=ReportSection.choices, initial=ReportSection.GENERAL
    )
    text = text_field(
        _("What should be fixed"),
        rows=4,
        help_text=_("The report goes back to draft with your comment."),
    )
