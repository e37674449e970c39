"""Forms of the caseworker portal and of the provider's side of it. They validate input only;
every write goes through ``traad.portal.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from traad.cases.forms import DateInput
from traad.portal.models import Answer, RecommendationKind

TEXT_ATTRS = {"autocapitalize": "sentences", "spellcheck": "true"}
SCORES = [(score, str(score)) for score in range(1, 6)]


def text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **TEXT_ATTRS})


class RecommendForm(forms.Form):
    """The provider recommends something the caseworker answers."""

    kind = forms.ChoiceField(label=_("Recommendation"), choices=RecommendationKind.choices)
    text = forms.CharField(label=_("Reasons"), widget=text_area(5), max_length=5000)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), choices=Answer.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Comment for the provider"),
        required=False,
        widget=text_area(3),
        max_length=5000,
        help_text=_("Required when you disagree or comment."),
    )


class StatementRequestForm(forms.Form):
    text = forms.CharField(
        label=_("What should the statement cover?"), widget=text_area(4), max_length=5000
    )
    wanted_by = forms.DateField(label=_("Needed by"), required=False, widget=DateInput)


class InformationPreferenceForm(forms.Form):
    text = forms.CharField(
        label=_("How much and how often do you want to hear from us?"),
        widget=text_area(3),
        max_length=2000,
    )


class FeedbackForm(forms.Form):
    collaboration = forms.TypedChoiceField(
        label=_("Collaboration"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    report_usefulness = forms.TypedChoiceField(
        label=_("Usefulness of the reports"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    progression_info = forms.TypedChoiceField(
        label=_("Information about progression"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=text_area(4), max_length=5000
    )
