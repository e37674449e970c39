"""The deadline reminder job: 14 days before, 3 days before and the day after a deadline; once
per stage however often it runs; through the durable mail queue, so an outage loses nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from traad.audit.models import AuditEvent
from traad.cases.models import Case, CaseStatus
from traad.factories import CaseFactory, UserFactory
from traad.reports.models import DeadlineReminder, Report, ReportKind, ReportState
from traad.reports.reminders import send_deadline_reminders, stages_due

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
BASE = "https://traad.example.dk"
# Started 10 January 2026: status report 1 is due 10 April 2026.
START = dt.datetime(2026, 1, 10, 10, tzinfo=CPH)
DUE = dt.date(2026, 4, 10)


@pytest.fixture
def case(world) -> Case:
    world.case.first_contact_at = START
    world.case.save(update_fields=["first_contact_at"])
    return world.case


def run(day: dt.date) -> int:
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 7, tzinfo=CPH), tick=False):
        return send_deadline_reminders(today=day, base_url=BASE)


def reminders() -> list[tuple[str, bool]]:
    return [
        (r.stage, r.mailed)
        for r in DeadlineReminder.objects.order_by("due_on", "stage", "pk")
        if r.due_on == DUE
    ]


def test_stages():
    assert stages_due(DUE, DUE - dt.timedelta(days=15)) == []
    assert stages_due(DUE, DUE - dt.timedelta(days=14)) == ["d14"]
    assert stages_due(DUE, DUE - dt.timedelta(days=3)) == ["d14", "d3"]
    assert stages_due(DUE, DUE) == ["d14", "d3"]
    assert stages_due(DUE, DUE + dt.timedelta(days=1)) == ["d14", "d3", "overdue"]
    assert stages_due(DUE, DUE + dt.timedelta(days=30)) == ["d14", "d3", "overdue"]
    assert stages_due(DUE, DUE + dt.timedelta(days=31)) == []


def test_reminders_14_days_3_days_and_the_day_after(world, case):
    case_reports = f"{BASE}{reverse('reports:case_reports', args=[case.pk])}"
    assert run(DUE - dt.timedelta(days=15)) == 0
    assert mail.outbox == []

    assert run(DUE - dt.timedelta(days=14)) == 1
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]
    assert case_reports in mail.outbox[0].body
    assert "14" in mail.outbox[0].subject
    assert case.number not in f"{mail.outbox[0].subject} {mail.outbox[0].body}"
    row = DeadlineReminder.objects.get()
    assert (row.case, row.kind, row.deadline_number, row.due_on, row.stage) == (
        case,
        "status",
        1,
        DUE,
        "d14",
    )
    assert (row.recipient, row.mailed) == (world.coordinator, True)
    event = AuditEvent.objects.get(action="report.reminder_sent")
    assert (event.actor, event.actor_label, event.case_id) == (None, "system", case.pk)
    assert (event.changes["stage"], event.changes["to"]) == ("d14", [str(world.coordinator.pk)])

    # The days between send nothing.
    assert run(DUE - dt.timedelta(days=10)) == 0

    # A draft has been started meanwhile: the reminder links to the report.
    report = Report.objects.create(
        case=case,
        kind=ReportKind.STATUS,
        deadline_number=1,
        due_on=DUE,
        period_start=START.date(),
        period_end=DUE,
        created_by=world.coordinator,
    )
    assert run(DUE - dt.timedelta(days=3)) == 1
    assert len(mail.outbox) == 2
    assert f"{BASE}{reverse('reports:detail', args=[report.pk])}" in mail.outbox[1].body
    assert "3" in mail.outbox[1].subject

    assert run(DUE) == 0
    assert run(DUE + dt.timedelta(days=1)) == 1
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]] * 3
    assert reminders() == [("d14", True), ("d3", True), ("overdue", True)]
    assert AuditEvent.objects.filter(action="report.reminder_sent").count() == 3


def test_running_twice_sends_nothing_twice(world, case):
    day = DUE - dt.timedelta(days=3)
    assert run(day) == 1
    assert run(day) == 0
    assert run(DUE + dt.timedelta(days=1)) == 1
    assert run(DUE + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 2
    assert DeadlineReminder.objects.count() == 3
    assert AuditEvent.objects.filter(action="report.reminder_sent").count() == 2


def test_first_run_two_days_before_mails_only_the_3_day_reminder(world, case):
    assert run(DUE - dt.timedelta(days=2)) == 1
    assert len(mail.outbox) == 1
    assert reminders() == [("d14", False), ("d3", True)]
    event = AuditEvent.objects.get(action="report.reminder_sent")
    assert (event.changes["stage"], event.changes["skipped"]) == ("d3", ["d14"])


def test_a_sent_report_stops_the_reminders(world, case):
    assert run(DUE - dt.timedelta(days=14)) == 1
    Report.objects.create(
        case=case,
        kind=ReportKind.STATUS,
        deadline_number=1,
        due_on=DUE,
        period_start=START.date(),
        period_end=DUE,
        state=ReportState.SENT,
        sent_at=dt.datetime(2026, 4, 1, 12, tzinfo=CPH),
        created_by=world.coordinator,
    )
    assert run(DUE - dt.timedelta(days=3)) == 0
    assert run(DUE + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    assert reminders() == [("d14", True)]


def test_old_overdue_deadlines_flood_no_one(world, case):
    assert run(DUE + dt.timedelta(days=31)) == 0
    assert mail.outbox == []
    assert DeadlineReminder.objects.count() == 0


def test_without_a_coordinator_the_teams_leaders_are_reminded(world):
    second_leader = UserFactory(role="leader", team=world.team)
    UserFactory(role="leader", team=world.team, is_active=False)
    orphan = CaseFactory(team=world.team, coordinator=None, first_contact_at=START)
    CaseFactory(team=world.team, status=CaseStatus.ASSIGNED, first_contact_at=None)
    assert run(DUE - dt.timedelta(days=14)) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.leader.email, second_leader.email])
    row = DeadlineReminder.objects.get()
    assert (row.case, row.recipient) == (orphan, None)
    assert world.other_leader.email not in [m.to[0] for m in mail.outbox]


def test_ended_case_is_reminded_of_its_end_report(world, settings):
    settings.TRAAD_END_REPORT_DAYS = 14
    ended = CaseFactory(
        team=world.team,
        coordinator=world.coordinator,
        status=CaseStatus.ENDED,
        first_contact_at=START,
        ended_on=dt.date(2026, 3, 1),
    )  # the end report is due 15 March
    assert run(dt.date(2026, 3, 1)) == 1
    row = DeadlineReminder.objects.get()
    assert (row.case, row.kind, row.due_on, row.stage) == (
        ended,
        "end",
        dt.date(2026, 3, 15),
        "d14",
    )


class FailingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        pass

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")


def test_mail_server_outage_delays_the_reminder_but_loses_none(world, case, settings):
    from django_tasks_db.models import DBTaskResult

    from traad.core.tasks import deliver_email

    settings.EMAIL_BACKEND = "traad.core.mail.QueuedEmailBackend"
    settings.TRAAD_EMAIL_DELIVERY_BACKEND = "traad.reports.tests.test_reminders.FailingBackend"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    day = DUE - dt.timedelta(days=14)
    assert run(day) == 1
    # The claim and the queued mail were committed together.
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"][0]["to"] == [world.coordinator.email]
    assert DeadlineReminder.objects.count() == 1
    # The worker tries while the server is down: the mail is queued again for later.
    assert deliver_email.call(queued.args_kwargs["args"][0]) == 0
    assert mail.outbox == []
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.args_kwargs["args"][0]["attempt"] == 2
    assert retry.run_after is not None
    # The job runs again the same day: nothing new is queued.
    assert run(day) == 0
    assert DBTaskResult.objects.count() == 2
    # The server is back: the retry delivers the reminder, once.
    settings.TRAAD_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_email.call(retry.args_kwargs["args"][0]) == 1
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]
    assert f"{BASE}{reverse('reports:case_reports', args=[case.pk])}" in mail.outbox[0].body


class BrokenQueue:
    """The queue itself (the database) refuses the mail."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        pass

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        raise RuntimeError("queue unavailable")


def test_a_mail_that_cannot_be_queued_leaves_the_reminder_unclaimed(world, case, settings):
    settings.EMAIL_BACKEND = "traad.reports.tests.test_reminders.BrokenQueue"
    with pytest.raises(RuntimeError):
        run(DUE - dt.timedelta(days=14))
    assert DeadlineReminder.objects.count() == 0
    assert not AuditEvent.objects.filter(action="report.reminder_sent").exists()
    # The next run, with the queue back, sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(DUE - dt.timedelta(days=14)) == 1
    assert len(mail.outbox) == 1


def test_the_command_reports_what_it_sent(world, case, settings):
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 4, 7, 7, tzinfo=CPH), tick=False):
        call_command("send_reminders", "--base-url", BASE, stdout=out)
        assert out.getvalue() == "1 reminder(s) sent.\n"
        again = StringIO()
        call_command("send_reminders", "--base-url", BASE, stdout=again)
        assert again.getvalue() == "0 reminder(s) sent.\n"
    assert [m.to for m in mail.outbox] == [[world.coordinator.email]]
    assert f"{BASE}/" in mail.outbox[0].body
    assert reminders() == [("d14", False), ("d3", True)]


def test_the_command_needs_the_sites_address(settings):
    settings.TRAAD_BASE_URL = ""
    with pytest.raises(CommandError):
        call_command("send_reminders", "--base-url", "")
