"""A coordinator holds a follow-up meeting from the previous map, scales it with the family,
compares with the last meeting and sees the chart move."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from traad.accounts.models import Role
from traad.factories import TEST_PASSWORD, CaseFactory, TeamFactory, UserFactory
from traad.safety.models import FollowUpMeeting, ParticipantRole, ScaleRating
from traad.safety.services import maps

pytestmark = pytest.mark.django_db(transaction=True)


def test_followup_meeting_from_the_previous_map(page, settings):
    settings.TRAAD_REQUIRE_MFA = False
    team = TeamFactory(name="Familiebehandling Øst")
    coordinator = UserFactory(
        email="koordinator@traad.example", role=Role.COORDINATOR, team=team, with_mfa=False
    )
    case = CaseFactory(team=team, coordinator=coordinator)
    first = maps.start_meeting(
        case,
        by=coordinator,
        held_on=timezone.localdate() - dt.timedelta(days=28),
        participants="Mor, far, koordinator",
    )
    pair = maps.add_danger_pair(
        first,
        by=coordinator,
        danger_statement="Vi er bekymrede for, at Emma igen bliver vidne til skænderier.",
        safety_goal="Mor og far taler roligt sammen, også når de er uenige, i tre måneder.",
    )
    maps.rate_pair(
        case,
        by=coordinator,
        thread=pair.thread,
        participant_role=ParticipantRole.MOTHER,
        score=3,
        rated_on=first.held_on,
        meeting=first,
        reason="Vi skændes stadig.",
    )

    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill("koordinator@traad.example")
    page.get_by_label("Adgangskode").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    page.wait_for_url("**/")

    # A new meeting starts from the previous map.
    page.goto(f"/sager/{case.pk}/opfoelgningsmoeder/")
    page.fill(
        "textarea[name=meeting-participants]", "Mor, far, Emma, familiekonsulent, koordinator"
    )
    page.get_by_role("button", name="Start mødet").click()
    page.wait_for_url("**/opfoelgningsmoeder/*/")
    second = FollowUpMeeting.objects.exclude(pk=first.pk).get()
    assert "vidne til skænderier" in page.locator("main").inner_text()
    assert second.pairs.get().thread == pair.thread

    # Each participant scales the pair.
    for role, score in (("mother", "6"), ("father", "5")):
        details = page.locator("details", has=page.locator("form[action$='/skalering/']")).first
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        form = details.locator("form[action$='/skalering/']")
        form.locator("select[name$=participant_role]").select_option(role)
        form.locator(f"input[name$=score][value='{score}']").check(force=True)
        form.locator("textarea[name$=reason]").fill("Vi har ikke skændtes foran Emma i to uger.")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
    scores = sorted(ScaleRating.objects.filter(meeting=second).values_list("score", flat=True))
    assert scores == [5, 6]

    # Compare with the last meeting.
    page.goto(f"/sager/{case.pk}/opfoelgningsmoeder/sammenlign/")
    compare = page.locator("main").inner_text()
    assert "3" in compare and "6" in compare

    # The chart now has the mother's two points.
    page.goto(f"/sager/{case.pk}/skalering/{pair.thread}/")
    svg = page.locator("svg[role=img]").first.evaluate("el => el.outerHTML")
    root = ET.fromstring(svg)  # noqa: S314 (our own markup)
    points = [
        el
        for el in root.iter()
        if el.tag.endswith("circle")
        or el.tag.endswith("rect")
        or el.tag.endswith("path")
        or el.tag.endswith("polygon")
    ]
    assert len(points) >= 3
    assert "Mor" in page.locator("main").inner_text()
