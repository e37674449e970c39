"""Invented Danish demo data for `make run`. Safe to run any number of times."""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from faker import Faker

from traad.accounts.models import Role, User
from traad.accounts.services import create_user
from traad.cases.models import Case
from traad.core.demo import DemoCases
from traad.core.demo_journal import add_demo_journal
from traad.core.demo_portal import add_demo_portal
from traad.core.demo_reports import add_demo_reports
from traad.core.demo_safety_concern import add_demo_concern
from traad.core.demo_safety_maps import add_demo_maps
from traad.journal.models import Goal
from traad.organisations.models import Municipality, Team
from traad.safety.models import ConcernAssessment, FollowUpMeeting

DEMO_PASSWORD = "traad-demo"  # noqa: S105 (documented demo password, demo data only)
DEMO_DOMAIN = "traad.example"
DEMO_TEAM = "Familiebehandling Øst"

# username, role, municipality code (caseworkers only)
DEMO_USERS: list[tuple[str, str, str | None]] = [
    ("modtagelse", Role.INTAKE, None),
    ("koordinator", Role.COORDINATOR, None),
    ("konsulent", Role.CONSULTANT, None),
    ("leder", Role.LEADER, None),
    ("admin", Role.ADMIN, None),
    ("sagsbehandler", Role.CASEWORKER, "101"),
    ("sagsbehandler2", Role.CASEWORKER, "751"),
]


class Command(BaseCommand):
    help = "Create the demo team and one user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        fake = Faker("da_DK")
        fake.seed_instance(2026)
        with transaction.atomic():
            team, _ = Team.objects.get_or_create(name=DEMO_TEAM)
            created = 0
            for username, role, municipality_code in DEMO_USERS:
                name = f"{fake.first_name()} {fake.last_name()}"
                email = f"{username}@{DEMO_DOMAIN}"
                if User.objects.filter(email=email).exists():
                    continue
                create_user(
                    by=None,
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=name,
                    phone=fake.phone_number(),
                    role=role,
                    team=None if role in (Role.CASEWORKER, Role.ADMIN) else team,
                    municipality=Municipality.objects.get(code=municipality_code)
                    if municipality_code
                    else None,
                )
                created += 1
            users = {
                user.email.split("@")[0]: user
                for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
            }
            new_cases = 0
            if not Case.objects.filter(created_by=users["modtagelse"]).exists():
                new_cases = DemoCases(team=team, users=users, fake=fake).create()
            journal: dict[str, int] = {}
            if not Goal.objects.exists():
                journal = add_demo_journal(users, fake=fake)
            if not FollowUpMeeting.objects.exists():
                add_demo_maps(random.Random(2029))  # noqa: S311 (demo data)
            if not ConcernAssessment.objects.exists():
                add_demo_concern(random.Random(2028))  # noqa: S311 (demo data)
            add_demo_reports(users, random.Random(2030))  # noqa: S311 (demo data; once)
            add_demo_portal(users)  # once: after the reports, whose recommendations it uses
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created} new users, {new_cases} new cases, "
                f"{journal.get('entries', 0)} new journal entries)."
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        users = {
            user.email: user
            for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").select_related(
                "municipality"
            )
        }
        for username, _role, _code in DEMO_USERS:
            user = users[f"{username}@{DEMO_DOMAIN}"]
            where = f", {user.municipality}" if user.municipality else ""
            self.stdout.write(f"  {user.email:<32} {user.get_role_display()}{where}")
        self.stdout.write("")
        if settings.TRAAD_REQUIRE_MFA:
            self.stdout.write(
                self.style.WARNING(
                    "MFA is required (TRAAD_REQUIRE_MFA=true): each demo user sets up an "
                    "authenticator app at first sign-in."
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    "MFA is NOT required in this demo (TRAAD_REQUIRE_MFA=false). "
                    "Production requires it for every account."
                )
            )
