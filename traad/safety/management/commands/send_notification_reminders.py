"""Remind coordinators of notifications of concern that have had no receipt in 6 working days."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from traad.safety.selectors.concern import due_for_reminder
from traad.safety.services.concern import send_receipt_reminder


class Command(BaseCommand):
    help = (
        "Mail the coordinator (or, without one, the team leader) of each notification of concern "
        "that has had no receipt from the municipality within 6 working days. The mail holds a "
        "link to the case only. Idempotent: each notification is reminded once, so running the "
        "job twice sends nothing twice. Schedule it daily, e.g. with cron: "
        "'15 7 * * * cd /srv/traad && .venv/bin/python manage.py send_notification_reminders "
        "--base-url https://traad.example.dk', or a systemd timer with OnCalendar=*-*-* 07:15. "
        "The site address comes from --base-url or the TRAAD_BASE_URL setting."
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
        due = due_for_reminder(timezone.localdate()).select_related("case__coordinator")
        sent = sum(
            1 for notification in due if send_receipt_reminder(notification, base_url=base_url)
        )
        self.stdout.write(f"{sent} reminder(s) sent.")
