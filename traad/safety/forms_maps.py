"""Forms of the Signs of Safety screens. They validate input only; every write goes through
``traad.safety.services.maps``, whose ValidationErrors are shown on the posted form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traad.accounts.models import Role, User
from traad.cases.forms import DateInput
from traad.cases.models import Case, Person, PersonRole
from traad.journal.models import Goal
from traad.safety.models import FollowUpMeeting, MapItem, MapPart, ParticipantRole

SCORES = range(0, 11)


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def owners_for(case: Case) -> QuerySet[User]:
    """Who can own a next step in Tråd: the case's coordinator and consultants."""
    return (
        User.objects.filter(Q(pk=case.coordinator_id) | Q(consulted_cases=case), is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def children_of(case: Case) -> QuerySet[Person]:
    return (
        Person.objects.filter(memberships__case=case, memberships__role=PersonRole.CHILD)
        .distinct()
        .order_by("name")
    )


class OwnerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DateInput())
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        widget=_textarea(),
        help_text=_("Who took part: the family, the network and the professionals."),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        kwargs.setdefault("prefix", "meeting")
        super().__init__(data, **kwargs)


class MapItemForm(forms.Form):
    """A statement in one part of the map; next steps also say who does it and by when."""

    text = forms.CharField(
        label=_("Statement"),
        widget=_textarea(),
        error_messages={"required": _("Write the statement.")},
    )
    owner = OwnerChoiceField(
        label=_("Who does it (in Tråd)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No one in Tråd"),
    )
    owner_name = forms.CharField(
        label=_("Who does it (others)"),
        max_length=150,
        required=False,
        help_text=_("E.g. Mor, Far or Skolen."),
    )
    due_on = forms.DateField(label=_("By when"), required=False, widget=DateInput())

    NEXT_STEP_FIELDS = ("owner", "owner_name", "due_on")

    def __init__(
        self,
        data: Any = None,
        *,
        case: Case,
        part: str,
        item: MapItem | None = None,
        **kwargs: Any,
    ) -> None:
        if item is not None:
            kwargs.setdefault(
                "initial",
                {
                    "text": item.text,
                    "owner": item.owner_id,
                    "owner_name": item.owner_name,
                    "due_on": item.due_on,
                },
            )
        kwargs.setdefault("prefix", f"item-{part}")
        super().__init__(data, **kwargs)
        self.part = part
        if part == MapPart.NEXT_STEP:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = owners_for(case)
        else:
            for name in self.NEXT_STEP_FIELDS:
                del self.fields[name]

    def item_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {"text": data["text"]}
        for name in self.NEXT_STEP_FIELDS:
            if name in self.fields:
                values[name] = data[name]
        return values


class DangerPairForm(forms.Form):
    danger_statement = forms.CharField(
        label=_("Danger statement"),
        widget=_textarea(3),
        help_text=_("Who is worried, about what, and how it may affect the child."),
        error_messages={"required": _("Write the danger statement.")},
    )
    safety_goal = forms.CharField(
        label=_("Safety goal"),
        widget=_textarea(3),
        help_text=_("What must be seen, and for how long, before the case can close."),
        error_messages={"required": _("Write the safety goal that answers the danger statement.")},
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        pair = kwargs.pop("pair", None)
        if pair is not None:
            kwargs.setdefault(
                "initial",
                {"danger_statement": pair.danger_statement, "safety_goal": pair.safety_goal},
            )
        kwargs.setdefault("prefix", "pair")
        super().__init__(data, **kwargs)


class DecisionsForm(forms.Form):
    decisions = forms.CharField(label=_("What was decided"), required=False, widget=_textarea(4))
    adjust_goals = forms.BooleanField(label=_("Adjust the goals"), required=False)
    change_intervention = forms.BooleanField(label=_("Change the intervention"), required=False)
    propose_to_municipality = forms.BooleanField(
        label=_("Propose a change to the municipality"), required=False
    )
    goals_affected = forms.ModelMultipleChoiceField(
        label=_("Goals affected"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data: Any = None, *, meeting: FollowUpMeeting, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "decisions": meeting.decisions,
                "adjust_goals": meeting.decide_adjust_goals,
                "change_intervention": meeting.decide_change_intervention,
                "propose_to_municipality": meeting.decide_propose_to_municipality,
                "goals_affected": [goal.pk for goal in meeting.goals_affected.all()],
            },
        )
        kwargs.setdefault("prefix", "decisions")
        super().__init__(data, **kwargs)
        goals = self.fields["goals_affected"]
        assert isinstance(goals, forms.ModelMultipleChoiceField)
        goals.queryset = Goal.objects.filter(case_id=meeting.case_id).order_by("title")

    def decision_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def participant_role_for(user: User) -> str:
    if user.role == Role.COORDINATOR:
        return ParticipantRole.COORDINATOR
    if user.role == Role.CONSULTANT:
        return ParticipantRole.CONSULTANT
    return ""


class ScaleForm(forms.Form):
    """One participant's score on one danger/goal pair, with the two scaling questions."""

    participant_role = forms.ChoiceField(
        label=_("Who gives the score"),
        choices=[("", _("Choose who gives the score")), *ParticipantRole.choices],
        error_messages={"required": _("Choose who gives the score.")},
    )
    participant_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("E.g. the child's first name."),
    )
    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[(score, str(score)) for score in SCORES],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "10: everyone agrees the child is safe enough to close the case. "
            "0: the child cannot live at home."
        ),
        error_messages={
            "required": _("Choose a score from 0 to 10."),
            "invalid_choice": _("Choose a score from 0 to 10."),
        },
    )
    rated_on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.CharField(
        label=_("What puts it at this number?"), required=False, widget=_textarea()
    )
    one_step_up = forms.CharField(
        label=_("What would one step up look like?"), required=False, widget=_textarea()
    )

    def __init__(
        self, data: Any = None, *, user: User, thread: Any, rated_on: Any = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "participant_role": participant_role_for(user),
                "rated_on": rated_on or timezone.localdate(),
            },
        )
        kwargs.setdefault("prefix", f"scale-{thread}")
        super().__init__(data, **kwargs)
        self.thread = thread

    def rating_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class ThreeHousesForm(forms.Form):
    child = forms.ModelChoiceField(
        label=_("Child"),
        queryset=Person.objects.none(),
        error_messages={"required": _("Choose a child of this case.")},
    )
    spoken_on = forms.DateField(label=_("Date"), widget=DateInput())
    worries = forms.CharField(
        label=_("The house of worries"),
        required=False,
        widget=_textarea(3),
        help_text=_("In the child's own words."),
    )
    good_things = forms.CharField(
        label=_("The house of good things"), required=False, widget=_textarea(3)
    )
    dreams = forms.CharField(label=_("The house of dreams"), required=False, widget=_textarea(3))

    def __init__(self, data: Any = None, *, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"spoken_on": timezone.localdate()})
        super().__init__(data, **kwargs)
        child = self.fields["child"]
        assert isinstance(child, forms.ModelChoiceField)
        child.queryset = children_of(case)

    def house_values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
