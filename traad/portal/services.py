"""Writes in the caseworker portal. Each mail holds a link into Tråd, never case content."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from traad.accounts.models import User
from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import responsible_staff
from traad.core.mail import absolute_url, send_link_mail
from traad.portal import rules
from traad.portal.models import (
    Answer,
    Feedback,
    InformationPreference,
    Invitation,
    Recommendation,
    RecommendationKind,
    StatementRequest,
)


def _require(allowed: Any) -> None:
    if not allowed:
        raise PermissionDenied


def portal_link(case: Case, base_url: str = "") -> str:
    return absolute_url(reverse("portal:case", args=[case.pk]), base_url)


def case_link(case: Case, base_url: str = "") -> str:
    return absolute_url(reverse("cases:detail", args=[case.pk]), base_url)


# --- Invitations ----------------------------------------------------------------------------


def invitation_link(user: User, base_url: str = "") -> str:
    """A link to choose a password (allauth's reset-from-key page). It works once, and for
    PASSWORD_RESET_TIMEOUT seconds."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path, base_url)


@transaction.atomic
def invite_caseworker(case: Case, *, by: User, base_url: str = "") -> Invitation:
    """Invite the case's caseworker to the portal. They choose a password from the mail's
    link, sign in, set up two-factor authentication and land in the portal."""
    _require(rules.can_invite_caseworker(by, case))
    caseworker = case.caseworker
    if caseworker is None or not caseworker.is_active or not caseworker.email:
        raise ValidationError(_("The case has no caseworker with an email address."))
    if caseworker.has_usable_password():
        raise ValidationError(
            _("%(name)s already signs in to Tråd and sees the case in the portal.")
            % {"name": caseworker.full_name or caseworker.email}
        )
    invitation = Invitation.objects.create(user=caseworker, case=case, invited_by=by)
    send_link_mail("portal/email/invitation", [caseworker], invitation_link(caseworker, base_url))
    record_event(
        actor=by,
        action="portal.caseworker_invited",
        obj=caseworker,
        case_id=case.pk,
        changes={"user": str(caseworker.pk)},
    )
    return invitation


# --- Recommendations ------------------------------------------------------------------------


@transaction.atomic
def recommend(
    case: Case,
    *,
    by: User,
    kind: str,
    text: str,
    report: Any = None,
    base_url: str = "",
    notify: bool = True,
) -> Recommendation:
    _require(rules.can_recommend(by, case))
    if kind not in RecommendationKind.values:
        raise ValidationError({"kind": _("Choose a recommendation.")})
    if not text.strip():
        raise ValidationError({"text": _("Give the reasons for the recommendation.")})
    recommendation = Recommendation.objects.create(
        case=case, kind=kind, text=text.strip(), report=report, created_by=by
    )
    if notify and case.caseworker is not None and case.caseworker.is_active:
        send_link_mail(
            "portal/email/recommendation", [case.caseworker], portal_link(case, base_url)
        )
    record_event(
        actor=by,
        action="portal.recommendation_made",
        obj=recommendation,
        case_id=case.pk,
        changes={"kind": kind},
    )
    return recommendation


# A report's recommendation that the caseworker is asked to answer.
FROM_REPORT = {
    "scale_up": RecommendationKind.SCALE_UP,
    "scale_down": RecommendationKind.SCALE_DOWN,
    "end": RecommendationKind.END_GOALS_REACHED,
}


def recommend_from_report(report: Any, *, by: User) -> Recommendation | None:
    """When a sent report recommends scaling up or down or ending, the caseworker gets it as
    a recommendation to answer. The report's own mail already told them; no second mail."""
    kind = FROM_REPORT.get(report.recommendation)
    if kind is None or not rules.can_recommend(by, report.case):
        return None
    return recommend(
        report.case,
        by=by,
        kind=kind,
        text=report.recommendation_reasons or str(report.get_recommendation_display()),
        report=report,
        notify=False,
    )


@transaction.atomic
def answer_recommendation(
    recommendation: Recommendation, *, by: User, answer: str, text: str = "", base_url: str = ""
) -> Recommendation:
    recommendation = (
        Recommendation.objects.select_for_update().select_related("case").get(pk=recommendation.pk)
    )
    _require(rules.can_answer_recommendation(by, recommendation))
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Choose agree, disagree or comment.")})
    if answer in (Answer.DISAGREE, Answer.COMMENT) and not text.strip():
        raise ValidationError({"text": _("Write your comment for the provider.")})
    recommendation.answer = answer
    recommendation.answer_text = text.strip()
    recommendation.answered_by = by
    recommendation.answered_at = timezone.now()
    recommendation.save(update_fields=["answer", "answer_text", "answered_by", "answered_at"])
    case = recommendation.case
    send_link_mail(
        "portal/email/recommendation_answered", responsible_staff(case), case_link(case, base_url)
    )
    record_event(
        actor=by,
        action="portal.recommendation_answered",
        obj=recommendation,
        case_id=case.pk,
        changes={"answer": answer},
    )
    return recommendation


# --- What the caseworker asks for and tells -------------------------------------------------


@transaction.atomic
def request_statement(
    case: Case, *, by: User, text: str, wanted_by: dt.date | None = None, base_url: str = ""
) -> StatementRequest:
    _require(rules.can_use_portal(by, case))
    if not text.strip():
        raise ValidationError({"text": _("Write what you would like the statement to cover.")})
    if wanted_by is not None and wanted_by < timezone.localdate():
        raise ValidationError({"wanted_by": _("Choose a date from today on.")})
    request = StatementRequest.objects.create(
        case=case, text=text.strip(), wanted_by=wanted_by, requested_by=by
    )
    send_link_mail(
        "portal/email/statement_requested", responsible_staff(case), case_link(case, base_url)
    )
    record_event(actor=by, action="portal.statement_requested", obj=request, case_id=case.pk)
    return request


@transaction.atomic
def close_statement_request(request: StatementRequest, *, by: User) -> StatementRequest:
    request = StatementRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    _require(rules.can_handle_requests(by, request.case))
    if request.closed_at is None:
        request.closed_at = timezone.now()
        request.closed_by = by
        request.save(update_fields=["closed_at", "closed_by"])
        record_event(
            actor=by, action="portal.statement_request_closed", obj=request, case_id=request.case_id
        )
    return request


@transaction.atomic
def set_information_preference(case: Case, *, by: User, text: str) -> InformationPreference:
    _require(rules.can_use_portal(by, case))
    if not text.strip():
        raise ValidationError({"text": _("Write how much and how often you want to hear from us.")})
    preference, created = InformationPreference.objects.update_or_create(
        case=case, defaults={"text": text.strip(), "updated_by": by, "updated_at": timezone.now()}
    )
    record_event(
        actor=by,
        action="portal.information_preference_set",
        obj=preference,
        case_id=case.pk,
        changes={"created": created},
    )
    return preference


@transaction.atomic
def give_feedback(
    case: Case,
    *,
    by: User,
    collaboration: int,
    report_usefulness: int,
    progression_info: int,
    comment: str = "",
    report: Any = None,
) -> Feedback:
    _require(rules.can_use_portal(by, case))
    if report is not None and (report.case_id != case.pk or report.state != "sent"):
        raise ValidationError(_("Choose a report you have received on this case."))
    scores = {
        "collaboration": collaboration,
        "report_usefulness": report_usefulness,
        "progression_info": progression_info,
    }
    for name, score in scores.items():
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise ValidationError({name: _("Choose from 1 to 5.")})
    feedback = Feedback.objects.create(
        case=case, report=report, comment=comment.strip(), given_by=by, **scores
    )
    record_event(
        actor=by,
        action="portal.feedback_given",
        obj=feedback,
        case_id=case.pk,
        changes={**scores, "report": str(report.pk) if report is not None else ""},
    )
    return feedback
