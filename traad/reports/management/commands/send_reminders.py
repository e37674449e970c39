"""Remind coordinators of report deadlines: 14 days before, 3 days before, and when overdue."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from traad.reports.reminders import OVERDUE_REMIND_DAYS, send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Mail the coordinator (or, without one, the team's leaders) of each case whose status "
        "report or end report is due in 14 days, due in 3 days, or overdue and not sent. The "
        "mail holds a link to Tråd only. Idempotent: each deadline is reminded once per stage, "
        "so running the job twice sends nothing twice; when a run finds several stages due at "
        "once (e.g. the first run), only the most urgent is mailed. Deadlines overdue by more "
        f"than {OVERDUE_REMIND_DAYS} days get no reminder, so a first run on old data floods "
        "no one. Schedule it daily, e.g. with cron: "
        "'0 7 * * * cd /srv/traad && .venv/bin/python manage.py send_reminders "
        "--base-url https://traad.example.dk', or a systemd timer with OnCalendar=*-*-* 07:00. "
        "The mail goes on the durable queue worked by 'manage.py db_worker'. The site address "
        "comes from --base-url or the TRAAD_BASE_URL setting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=settings.TRAAD_BASE_URL,
            help="The site's address for the link in the mail, e.g. https://traad.example.dk",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = options["base_url"].strip()
        if not base_url.startswith(("https://", "http://")):
            raise CommandError("Give the site's address: --base-url or TRAAD_BASE_URL.")
        sent = send_deadline_reminders(today=timezone.localdate(), base_url=base_url)
        self.stdout.write(f"{sent} reminder(s) sent.")
