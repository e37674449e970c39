"""Reminders of report deadlines: 14 days before, 3 days before, and the day after a deadline
passed without a sent report. Run daily by ``manage.py send_reminders``.

Idempotent: each (deadline, stage) is claimed by inserting its ``DeadlineReminder`` row, which a
unique constraint allows once. The claim, the queued mail (a row on the durable task queue) and
the audit row commit in one transaction, so a crash leaves either all three or none, and a mail
server outage only delays the mail (``traad.core.tasks.deliver_email`` retries it).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse

from traad.accounts.models import User
from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import responsible_staff
from traad.core.mail import absolute_url, send_link_mail
from traad.reports.models import DeadlineReminder, ReminderStage
from traad.reports.selectors import OWING_STATUSES, DeadlineRow, deadline_rows
from traad.reports.services import report_link

# Days before the deadline at which each stage falls due.
STAGE_DAYS_BEFORE = {ReminderStage.DAYS_14: 14, ReminderStage.DAYS_3: 3}
# Deadlines overdue by more than this are left alone: a first run on old data (or after a long
# stop) must not flood anyone with reminders of reports long past.
OVERDUE_REMIND_DAYS = 30


def stages_due(due: dt.date, today: dt.date) -> list[ReminderStage]:
    """The stages whose day has come, least urgent first (empty when there is nothing to say,
    also for deadlines overdue by more than OVERDUE_REMIND_DAYS)."""
    if (today - due).days > OVERDUE_REMIND_DAYS:
        return []
    stages = [
        stage for stage, days in STAGE_DAYS_BEFORE.items() if today >= due - dt.timedelta(days=days)
    ]
    if today > due:
        stages.append(ReminderStage.OVERDUE)
    return stages


def recipients_for(case: Case) -> tuple[User | None, list[User]]:
    """The case's coordinator; without an active one, the active leaders of its team.
    Returns the recipient kept on the reminder row (the coordinator) and everyone mailed."""
    coordinator = case.coordinator
    if coordinator is not None and coordinator.is_active:
        return coordinator, [coordinator]
    return None, responsible_staff(case)


def deadline_link(row: DeadlineRow, base_url: str) -> str:
    if row.report is not None:
        return report_link(row.report, base_url)
    return absolute_url(reverse("reports:case_reports", args=[row.case.pk]), base_url)


def _claim(row: DeadlineRow, stage: str, recipient: User | None, *, mailed: bool) -> bool:
    """Insert the reminder row; False if another run already has it."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                case=row.case,
                kind=row.kind,
                deadline_number=row.number,
                due_on=row.due,
                stage=stage,
                recipient=recipient,
                mailed=mailed,
            )
    except IntegrityError:
        return False
    return True


def remind(row: DeadlineRow, *, today: dt.date, base_url: str) -> bool:
    """Mail the most urgent stage of one deadline that is due today and not yet claimed;
    earlier stages not yet claimed are recorded as passed without a mail."""
    if row.is_sent:
        return False
    stages = stages_due(row.due, today)
    if not stages:
        return False
    *earlier, stage = stages
    recipient, recipients = recipients_for(row.case)
    if not recipients:
        return False  # nobody to tell: try again on the next run
    with transaction.atomic():
        if not _claim(row, stage, recipient, mailed=True):
            return False
        for passed in earlier:
            _claim(row, passed, recipient, mailed=False)
        mailed = send_link_mail(
            f"reports/email/deadline_reminder_{stage}", recipients, deadline_link(row, base_url)
        )
        record_event(
            actor=None,
            action="report.reminder_sent",
            obj=row.report if row.report is not None else row.case,
            case_id=row.case.pk,
            changes={
                "kind": row.kind,
                "deadline_number": row.number,
                "due_on": row.due.isoformat(),
                "stage": str(stage),
                "skipped": [str(s) for s in earlier],
                "to": [str(user.pk) for user in recipients],
                "mails": mailed,
            },
        )
    return True


def send_deadline_reminders(*, today: dt.date, base_url: str) -> int:
    """Remind of every deadline of the cases that owe reports; returns the number of reminders
    mailed (one per deadline and stage, whatever the number of recipients)."""
    cases = (
        Case.objects.filter(status__in=OWING_STATUSES, first_contact_at__isnull=False)
        .select_related("coordinator", "municipality")
        .order_by("pk")
    )
    return sum(
        1
        for row in deadline_rows(cases, today=today)
        if remind(row, today=today, base_url=base_url)
    )
