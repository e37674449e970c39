"""Writes of the concern level and the notifications of concern (underretninger, Barnets lov
§ 133). Each function checks who may act, runs in one transaction and writes its audit row.

Mail carries a link to Tråd and nothing else: no name, CPR number, reason or municipality. The
site's address is not a setting: the view passes ``base_url`` from the request
(``request.build_absolute_uri("/")``), and the reminder job takes ``--base-url``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from traad.accounts.models import User
from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import leaders_of, responsible_staff
from traad.core.mail import absolute_url, send_link_mail
from traad.organisations.models import Municipality
from traad.safety import rules
from traad.safety.models import (
    LEVEL_ORDER,
    RAISED_LEVELS,
    ConcernAssessment,
    ConcernLevel,
    Notification,
)
from traad.safety.selectors.concern import current_concern
from traad.safety.workdays import add_working_days

# "If no receipt has arrived within 6 working days" the coordinator is reminded.
RECEIPT_WORKING_DAYS = 6


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Mail -----------------------------------------------------------------------------------


def case_link(case: Case, base_url: str) -> str:
    """The absolute address of the case's overview."""
    return absolute_url(reverse("cases:detail", args=[case.pk]), base_url)


# --- The concern level ----------------------------------------------------------------------


def is_raise_into_high(previous: str | None, level: str) -> bool:
    """Raised to high or acute from a lower level (or from none): the leader must know.
    High to acute is a raise too; staying or lowering is not."""
    if level not in RAISED_LEVELS:
        return False
    return (
        previous is None or LEVEL_ORDER[ConcernLevel(previous)] < LEVEL_ORDER[ConcernLevel(level)]
    )


@transaction.atomic
def set_concern_level(
    case: Case,
    *,
    by: User,
    level: str,
    reason: str,
    earlier_violence: bool = False,
    earlier_abuse: bool = False,
    base_url: str = "",
    notify: bool = True,
) -> ConcernAssessment:
    """Set the case's concern level from now on. A raise into high or acute mails the team's
    leader(s) a link to the case once the change is committed (``notify=False`` only for the
    demo data)."""
    _require(rules.can_write_safety(by, case))
    if level not in ConcernLevel.values:
        raise ValidationError({"level": _("Choose a concern level.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the concern is at this level.")})
    # Lock the case so two people raising at once give one "previous" each, one mail in all.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    previous = current_concern(case)
    old_level = previous.level if previous is not None else None
    assessment = ConcernAssessment.objects.create(
        case=case,
        level=level,
        reason=reason,
        earlier_violence=earlier_violence,
        earlier_abuse=earlier_abuse,
        set_by=by,
        set_at=timezone.now(),
    )
    raised = is_raise_into_high(old_level, level)
    record_event(
        actor=by,
        action="concern.set",
        obj=assessment,
        case_id=case.pk,
        changes={
            "level": [old_level, level],
            "earlier_violence": earlier_violence,
            "earlier_abuse": earlier_abuse,
            "leader_notified": raised and notify,
        },
    )
    if raised and notify:
        link = case_link(case, base_url)

        def notify_leaders() -> None:
            if send_link_mail("safety/email/concern_raised", leaders_of(case), link):
                ConcernAssessment.objects.filter(
                    pk=assessment.pk, leader_notified_at__isnull=True
                ).update(leader_notified_at=timezone.now())

        transaction.on_commit(notify_leaders)
    return assessment


# --- Notifications of concern ---------------------------------------------------------------


def receipt_due_on(made_at: dt.datetime) -> dt.date:
    return add_working_days(timezone.localdate(made_at), RECEIPT_WORKING_DAYS)


@transaction.atomic
def record_notification(
    case: Case,
    *,
    by: User,
    grounds: str,
    made_at: dt.datetime | None = None,
    municipality: Municipality | None = None,
) -> Notification:
    """Record a notification of concern sent to a municipality (the case's by default). Anyone
    who may write on the case may: the duty to notify applies to all staff."""
    _require(rules.can_write_safety(by, case))
    grounds = grounds.strip()
    if not grounds:
        raise ValidationError({"grounds": _("Write the grounds of the notification.")})
    made_at = made_at or timezone.now()
    if made_at > timezone.now():
        raise ValidationError({"made_at": _("A notification cannot be dated in the future.")})
    notification = Notification.objects.create(
        case=case,
        made_at=made_at,
        made_by=by,
        municipality=municipality or case.municipality,
        grounds=grounds,
        receipt_due_on=receipt_due_on(made_at),
    )
    record_event(
        actor=by,
        action="notification.recorded",
        obj=notification,
        case_id=case.pk,
        changes={
            "made_at": made_at.isoformat(),
            "municipality": str(notification.municipality_id),
            "receipt_due_on": notification.receipt_due_on.isoformat(),
        },
    )
    return notification


@transaction.atomic
def register_receipt(
    notification: Notification, *, by: User, receipt_at: dt.datetime | None = None
) -> Notification:
    """The municipality has confirmed it received the notification."""
    _require(rules.can_write_safety(by, notification.case))
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.receipt_at is not None:
        raise ValidationError(_("The receipt has already been registered."))
    receipt_at = receipt_at or timezone.now()
    if receipt_at < notification.made_at:
        raise ValidationError(
            {"receipt_at": _("The receipt cannot be earlier than the notification.")}
        )
    if receipt_at > timezone.now():
        raise ValidationError({"receipt_at": _("A receipt cannot be dated in the future.")})
    notification.receipt_at = receipt_at
    notification.save(update_fields=["receipt_at"])
    record_event(
        actor=by,
        action="notification.receipt_registered",
        obj=notification,
        case_id=notification.case_id,
        changes={"receipt_at": receipt_at.isoformat()},
    )
    return notification


def send_receipt_reminder(notification: Notification, *, base_url: str) -> bool:
    """Remind the case's coordinator (or, without one, the team's leader) that no receipt has
    come. The row is claimed with a conditional update first, so two runs of the job (or two
    jobs at once) send one reminder. Returns whether this call sent it."""
    case = notification.case
    recipients = responsible_staff(case)
    if not recipients:
        return False
    with transaction.atomic():
        now = timezone.now()
        claimed = Notification.objects.filter(
            pk=notification.pk, receipt_at__isnull=True, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
        if claimed != 1:
            return False
        # The queued mail backend writes the message to the task table in this transaction.
        send_link_mail("safety/email/receipt_reminder", recipients, case_link(case, base_url))
        record_event(
            actor=None,
            action="notification.reminder_sent",
            obj=notification,
            case_id=case.pk,
            changes={"to": [str(user.pk) for user in recipients]},
        )
    return True


LEVELS_IN_ORDER: list[str] = [
    ConcernLevel.LOW,
    ConcernLevel.MODERATE,
    ConcernLevel.HIGH,
    ConcernLevel.ACUTE,
]


def shift_concern_level(
    case: Case, *, by: User, direction: str, reason: str, base_url: str = ""
) -> ConcernAssessment | None:
    """One step up ("higher") or down ("lower") from the current level, e.g. from a signed
    journal note. No current level counts as low. Nothing is recorded at either end."""
    current = current_concern(case)
    index = LEVELS_IN_ORDER.index(current.level) if current is not None else 0
    step = {"higher": 1, "lower": -1}[direction]
    new_index = min(max(index + step, 0), len(LEVELS_IN_ORDER) - 1)
    if current is not None and new_index == index:
        return None
    return set_concern_level(
        case,
        by=by,
        level=LEVELS_IN_ORDER[new_index],
        reason=reason,
        earlier_violence=current.earlier_violence if current else False,
        earlier_abuse=current.earlier_abuse if current else False,
        base_url=base_url,
    )
