"""Forms of the visit journal. They validate input only; every write goes through
``traad.journal.services``.

The entry form has no required field: a draft is saved as it is typed (autosave), so half a
sentence must save. Only signing checks the fixed template (``services.template_errors``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from traad.accounts.models import User
from traad.cases.forms import DateInput, check_period
from traad.cases.models import Case
from traad.journal.models import (
    ConcernChange,
    ContactKind,
    EntryStatus,
    FocusArea,
    Goal,
    GoalStatus,
    JournalEntry,
)
from traad.journal.selectors import JournalFilters
from traad.journal.services import ENTRY_FIELDS

TIME_FORMAT = "%H:%M"
TEXT_ATTRS = {"inputmode": "text", "autocapitalize": "sentences", "spellcheck": "true"}


class TimeInput(forms.TimeInput):
    """The phone's native time picker (what the browser sends: HH:MM)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=TIME_FORMAT)


def text_area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **TEXT_ATTRS})


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_focus_area_display()})"


class EntryForm(forms.Form):
    """The fixed template of a journal entry, all optional until the entry is signed."""

    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    start_time = forms.TimeField(
        label=_("Start time"), required=False, input_formats=[TIME_FORMAT], widget=TimeInput()
    )
    end_time = forms.TimeField(
        label=_("End time"), required=False, input_formats=[TIME_FORMAT], widget=TimeInput()
    )
    kind = forms.ChoiceField(
        label=_("Kind of contact"),
        choices=ContactKind.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
    )
    participants = forms.CharField(
        label=_("Who took part"),
        required=False,
        help_text=_("Names or roles, e.g. mother, Emma (8), the school's AKT teacher."),
        widget=text_area(2),
    )
    goals = GoalChoiceField(
        label=_("Goals worked on"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
    )
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas worked on"),
        choices=FocusArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
    )
    description = forms.CharField(
        label=_("What happened"),
        required=False,
        help_text=_("Describe concretely what you saw and heard, and what was done."),
        widget=text_area(8),
    )
    reflections = forms.CharField(
        label=_("Reflections and assessment"),
        required=False,
        help_text=_("Your professional assessment: what does it mean for the child?"),
        widget=text_area(5),
    )
    concern_change = forms.ChoiceField(
        label=_("Change of concern"), choices=ConcernChange.choices, required=False
    )
    concern_note = forms.CharField(
        label=_("About the concern"),
        required=False,
        help_text=_("Required when the concern has changed."),
        widget=text_area(3),
    )
    # The version of the draft this copy was loaded from (see services.save_draft). Rendered
    # by the template from the entry, so a re-shown form always carries the saved revision.
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput())

    def __init__(self, data: Any = None, *, entry: JournalEntry, **kwargs: Any) -> None:
        chosen = list(entry.goals.values_list("pk", flat=True))
        initial = {name: getattr(entry, name) for name in ENTRY_FIELDS}
        initial.update(goals=chosen, revision=entry.revision)
        super().__init__(data, initial=initial, **kwargs)
        # The case's active goals, and any goal already ticked (it may since have been reached).
        goals = self.fields["goals"]
        assert isinstance(goals, forms.ModelMultipleChoiceField)
        goals.queryset = Goal.objects.filter(case_id=entry.case_id).filter(
            Q(status=GoalStatus.ACTIVE) | Q(pk__in=chosen)
        )

    def entry_fields(self) -> dict[str, Any]:
        """The valid posted values, for ``services.save_draft``: a field with an error is left
        out, so the rest still saves."""
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in ENTRY_FIELDS if name in data}

    def chosen_goals(self) -> list[Goal] | None:
        data = getattr(self, "cleaned_data", {})
        return list(data["goals"]) if "goals" in data else None

    def posted_revision(self) -> int | None:
        return getattr(self, "cleaned_data", {}).get("revision")


class AmendmentForm(forms.Form):
    # Not required here: the service says what is missing, in one place.
    text = forms.CharField(
        label=_("Amendment"),
        required=False,
        help_text=_("The signed note stays as it is; the amendment is shown beside it."),
        widget=text_area(4),
    )


class AuthorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email


def journal_authors(case: Case, user: Any) -> QuerySet[User]:
    """The people who wrote entries the user can see in the case's journal."""
    written = JournalEntry.objects.filter(case=case, author=OuterRef("pk")).filter(
        Q(status=EntryStatus.SIGNED) | Q(author=user)
    )
    return User.objects.filter(Exists(written)).order_by("full_name", "email")


class JournalFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search the text"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "inputmode": "search"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind of contact"),
        choices=[("", _("All")), *ContactKind.choices],
        required=False,
    )
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), required=False, empty_label=_("All")
    )
    author = AuthorChoiceField(
        label=_("Written by"), queryset=User.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goal = self.fields["goal"]
        author = self.fields["author"]
        assert isinstance(goal, forms.ModelChoiceField)
        assert isinstance(author, forms.ModelChoiceField)
        goal.queryset = Goal.objects.filter(case=case)
        author.queryset = journal_authors(case, user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(self, "date_from", "date_to")
        return data

    def filters(self) -> JournalFilters:
        """The valid filters (an invalid one is shown with its error and left out)."""
        data = getattr(self, "cleaned_data", {})
        goal, author = data.get("goal"), data.get("author")
        return JournalFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            kind=data.get("kind", ""),
            goal_id=goal.pk if goal is not None else None,
            author_id=author.pk if author is not None else None,
            query=data.get("q", ""),
        )

    @property
    def is_filtered(self) -> bool:
        return any(getattr(self, "cleaned_data", {}).get(name) for name in self.fields)


class JournalSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search your cases' journals"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "inputmode": "search"}),
    )
