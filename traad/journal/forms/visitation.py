"""Forms of the samvær screens. They validate input only; every write goes through
``traad.journal.services``.

A session is typed as a date with a start and an end time (a session does not run past
midnight); the services store them as two aware datetimes, ``starts_at`` and ``ends_at``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traad.cases.forms import DateInput
from traad.cases.models import Case
from traad.journal.models import CancelReason, SessionStatus, VisitationSession

TIME_FORMAT = "%H:%M"
# Where the services name a datetime, the forms show the date or the end time.
SESSION_FIELD_MAP = {"starts_at": "date", "ends_at": "end"}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=TIME_FORMAT)


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


class SessionTimeMixin(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("Start time"), widget=TimeInput())
    end = forms.TimeField(label=_("End time"), widget=TimeInput())

    @staticmethod
    def initial_times(session: VisitationSession) -> dict[str, Any]:
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {"date": starts.date(), "start": starts.time(), "end": ends.time()}

    def period(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        return _aware(data["date"], data["start"]), _aware(data["date"], data["end"])


class SessionPlanForm(SessionTimeMixin):
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.CharField(
        label=_("Participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the child, the father and the consultant."),
    )

    def plan_values(self) -> dict[str, Any]:
        """Keyword arguments for ``services.plan_session``."""
        starts_at, ends_at = self.period()
        return {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": self.cleaned_data["place"],
            "participants": self.cleaned_data["participants"],
        }


class SessionReportForm(SessionTimeMixin):
    """How the session went and its samværsbeskrivelse. Saved as a draft with whatever is
    typed; signing (``services.session_report_errors``) says what is still missing."""

    status = forms.ChoiceField(
        label=_("Was the session held?"),
        choices=[
            (SessionStatus.HELD, _("Held")),
            (SessionStatus.CANCELLED, _("Cancelled")),
            (SessionStatus.PLANNED, _("Not yet (still planned)")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
    )
    cancel_reason = forms.ChoiceField(
        label=_("Why was it cancelled?"),
        choices=[("", _("Choose a reason")), *CancelReason.choices],
        required=False,
        help_text=_("Required when the session was cancelled."),
    )
    cancel_note = forms.CharField(
        label=_("About the cancellation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the reason is 'Other'."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.CharField(
        label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    what_happened = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Concretely: what you saw and heard, in the order it happened. "
            "Needed before you sign a held session."
        ),
    )
    observations = forms.CharField(
        label=_("Observations of the interaction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Between the child and the parent: contact, care, the child's reactions. "
            "Needed before you sign a held session."
        ),
    )
    assessment = forms.CharField(
        label=_("Professional assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Needed before you sign a held session."),
    )

    TEXT_FIELDS = (
        "cancel_reason",
        "cancel_note",
        "place",
        "participants",
        "what_happened",
        "observations",
        "assessment",
    )

    def __init__(self, data: Any = None, *, session: VisitationSession, **kwargs: Any) -> None:
        initial = {
            **self.initial_times(session),
            "status": session.status,
            **{name: getattr(session, name) for name in self.TEXT_FIELDS},
        }
        kwargs.setdefault("initial", initial)
        super().__init__(data, **kwargs)

    def report_fields(self) -> dict[str, Any]:
        """``fields`` for ``services.save_session_report``."""
        starts_at, ends_at = self.period()
        data = self.cleaned_data
        return {
            "status": data["status"],
            **{name: data[name].strip() for name in self.TEXT_FIELDS},
            "starts_at": starts_at,
            "ends_at": ends_at,
        }


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label=_("Amendment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The signed text stays as it is; the amendment is shown beside it."),
        error_messages={"required": _("Write the amendment.")},
    )


class ReportDeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How does the caseworker want the samværsbeskrivelser?"),
        choices=Case._meta.get_field("visitation_report_delivery").choices or [],
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
    )


class PeriodForm(forms.Form):
    """The period of a collected PDF: ``?fra=YYYY-MM-DD&til=YYYY-MM-DD``."""

    fra = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        error_messages={"required": _("Enter the first day of the period.")},
    )
    til = forms.DateField(
        label=_("To"),
        widget=DateInput(),
        error_messages={"required": _("Enter the last day of the period.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fra"), data.get("til")
        if start and end and end < start:
            self.add_error("til", _("The end of the period must be on or after its start."))
        return data
