"""What the browser journeys share: a team with a Copenhagen caseworker on an active case,
and signing one of them in (English pages, confirmation dialogs accepted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from traad.accounts.models import Role
from traad.factories import TEST_PASSWORD, CaseFactory, TeamFactory, UserFactory, municipality


def team_and_case(*, started_days_ago: int = 80) -> tuple[Any, dict[str, Any]]:
    """A coordinator, consultant and leader of one team, the caseworker of Copenhagen, and an
    active case of theirs that started ``started_days_ago`` days ago."""
    team = TeamFactory(name="Familiebehandling Øst")
    people = {
        "coordinator": UserFactory(
            email="koordinator@traad.example", role=Role.COORDINATOR, team=team, with_mfa=False
        ),
        "consultant": UserFactory(
            email="konsulent@traad.example", role=Role.CONSULTANT, team=team, with_mfa=False
        ),
        "leader": UserFactory(
            email="leder@traad.example", role=Role.LEADER, team=team, with_mfa=False
        ),
        "caseworker": UserFactory(
            email="sagsbehandler@traad.example",
            role=Role.CASEWORKER,
            team=None,
            municipality=municipality("101"),
            with_mfa=False,
        ),
    }
    started = timezone.now() - dt.timedelta(days=started_days_ago)
    case = CaseFactory(
        team=team,
        municipality=municipality("101"),
        coordinator=people["coordinator"],
        caseworker=people["caseworker"],
        consultants=[people["consultant"]],
        received_at=started - dt.timedelta(days=1),
        first_contact_at=started,
    )
    return case, people


@contextmanager
def signed_in(browser: Any, live_server: Any, user: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Approving and sending ask for confirmation (data-confirm): say yes.
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    try:
        yield page
    finally:
        context.close()
