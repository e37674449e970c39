"""Forms of the goal screens. They validate input only; every write goes through
``traad.journal.services`` (which also checks what spans fields, e.g. the dimension against
the focus area, and says so on the field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traad.accounts.models import Role, User
from traad.cases.forms import DateInput
from traad.cases.models import Case, Person, PersonRole
from traad.journal.models import (
    DIMENSION_AREA,
    Dimension,
    FocusArea,
    Goal,
    GoalStatus,
    RaterRole,
)

SCORES = range(0, 11)


def dimension_choices() -> list[tuple[Any, Any]]:
    """The ten dimensions grouped under their focus area (``<optgroup>``)."""
    groups: list[tuple[Any, Any]] = [("", _("No dimension"))]
    for area, area_label in FocusArea.choices:
        dimensions = [
            (value, label) for value, label in Dimension.choices if DIMENSION_AREA[value] == area
        ]
        groups.append((area_label, dimensions))
    return groups


def children_of(case: Case, *, keep: int | None = None) -> QuerySet[Person]:
    """The case's children; ``keep`` keeps a goal's current child in the list even when the
    child has since been removed from the case."""
    on_case = Q(memberships__case=case, memberships__role=PersonRole.CHILD)
    if keep is not None:
        on_case |= Q(pk=keep)
    return Person.objects.filter(on_case).distinct().order_by("name")


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)
    description = forms.CharField(
        label=_("What it looks like when the goal is reached"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    focus_area = forms.ChoiceField(
        label=_("Focus area"),
        choices=[("", _("Choose a focus area")), *FocusArea.choices],
        help_text=_("The side of the ICS triangle the goal belongs to."),
        error_messages={"required": _("Choose a focus area.")},
    )
    dimension = forms.ChoiceField(
        label=_("Dimension"),
        choices=dimension_choices,
        required=False,
        help_text=_("Must be one of the chosen focus area's dimensions."),
    )
    child = forms.ModelChoiceField(
        label=_("Child"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("No particular child"),
    )
    child_perspective = forms.CharField(
        label=_("The child's own wish or words"),
        required=False,
        help_text=_("Barnets lov § 5: write the child's own words where you know them."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    FIELDS = ("title", "description", "focus_area", "dimension", "child", "child_perspective")

    def __init__(
        self, data: Any = None, *, case: Case, goal: Goal | None = None, **kwargs: Any
    ) -> None:
        if goal is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": goal.title,
                    "description": goal.description,
                    "focus_area": goal.focus_area,
                    "dimension": goal.dimension,
                    "child": goal.child_id,
                    "child_perspective": goal.child_perspective,
                },
            )
        super().__init__(data, **kwargs)
        child = self.fields["child"]
        assert isinstance(child, forms.ModelChoiceField)
        child.queryset = children_of(case, keep=goal.child_id if goal else None)

    def goal_fields(self) -> dict[str, Any]:
        """Keyword arguments for ``services.create_goal`` / ``update_goal``."""
        data = self.cleaned_data
        return {
            name: data[name].strip() if isinstance(data[name], str) else data[name]
            for name in self.FIELDS
        }


def rater_role_for(user: User) -> str:
    """Who is most likely rating: the person signed in."""
    if user.role == Role.COORDINATOR:
        return RaterRole.COORDINATOR
    if user.role == Role.CONSULTANT:
        return RaterRole.CONSULTANT
    return ""


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[(score, str(score)) for score in SCORES],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("0: far from the goal. 10: the goal is reached."),
        error_messages={
            "required": _("Choose a score from 0 to 10."),
            "invalid_choice": _("Choose a score from 0 to 10."),
        },
    )
    rated_on = forms.DateField(label=_("Date"), widget=DateInput())
    rater_role = forms.ChoiceField(
        label=_("Who rated"),
        choices=[("", _("Choose who rated")), *RaterRole.choices],
        error_messages={"required": _("Choose who rated.")},
    )
    rater_name = forms.CharField(
        label=_("Name of the rater"),
        max_length=150,
        required=False,
        help_text=_("E.g. the mother's or the child's first name."),
    )
    comment = forms.CharField(
        label=_("What puts it at this number?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"rated_on": timezone.localdate(), "rater_role": rater_role_for(user)}
        )
        super().__init__(data, **kwargs)

    def rating_values(self) -> dict[str, Any]:
        """Keyword arguments for ``services.rate_goal``."""
        return {
            name: self.cleaned_data[name]
            for name in ("score", "rated_on", "rater_role", "rater_name", "comment")
        }


STATUS_CHANGES: list[tuple[str, Any]] = [
    (GoalStatus.REACHED, _("Reached")),
    (GoalStatus.DROPPED, _("Dropped")),
    (GoalStatus.ACTIVE, _("Active again")),
]


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=STATUS_CHANGES)
    reason = forms.CharField(
        label=_("Why is the goal dropped?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the goal is dropped."),
    )

    def __init__(self, data: Any = None, *, goal: Goal, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        # Offer only a change: an active goal can be reached or dropped, a closed one reopened.
        status.choices = [(value, label) for value, label in STATUS_CHANGES if value != goal.status]
