"""The consultant on a phone: a visit note against a goal, a dropped connection mid-way,
signing, and a later amendment beside the untouched original."""

from __future__ import annotations

import pytest

from traad.accounts.models import Role
from traad.factories import TEST_PASSWORD, CaseFactory, TeamFactory, UserFactory
from traad.journal import services
from traad.journal.models import EntryStatus, FocusArea, JournalEntry

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def wait_for_saved(entry: JournalEntry, description: str, seconds: float = 10) -> None:
    """Autosave is debounced; wait until the server has the text."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        entry.refresh_from_db()
        if entry.description == description:
            return
        time.sleep(0.2)
    raise AssertionError(f"not saved: {entry.description!r}")


def test_note_survives_a_dropped_connection_and_is_signed_and_amended(
    browser, live_server, settings
):
    settings.TRAAD_REQUIRE_MFA = False
    team = TeamFactory(name="Familiebehandling Øst")
    consultant = UserFactory(
        email="konsulent@traad.example", role=Role.CONSULTANT, team=team, with_mfa=False
    )
    case = CaseFactory(team=team, consultants=[consultant])
    goal = services.create_goal(
        case,
        by=consultant,
        title="Emma kommer i skole hver dag",
        focus_area=FocusArea.CHILD_DEVELOPMENT,
    )
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill("konsulent@traad.example")
    page.get_by_label("Adgangskode").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    page.goto(f"/sager/{case.pk}/")
    page.locator("form[action$='/journal/ny/'] button").click()
    page.wait_for_url("**/journal/*/rediger/")
    entry = JournalEntry.objects.get()

    page.fill("input[name=start_time]", "16:00")
    page.fill("input[name=end_time]", "17:30")
    page.locator("input[name=kind][value=home_visit]").check()
    page.fill("textarea[name=participants]", "Mor, Emma og familiekonsulent")
    page.locator(f"input[name=goals][value='{goal.pk}']").check()
    page.fill("textarea[name=description]", "Vi talte om morgenrutinen.")
    wait_for_saved(entry, "Vi talte om morgenrutinen.")

    # The connection drops while the consultant goes on writing.
    context.set_offline(True)
    page.fill(
        "textarea[name=description]",
        "Vi talte om morgenrutinen. Emma har været i skole alle dage i denne uge.",
    )
    page.fill("textarea[name=reflections]", "Mor har fået bedre struktur på morgenerne.")
    page.wait_for_timeout(2500)
    entry.refresh_from_db()
    assert "alle dage" not in entry.description  # not on the server yet …
    # … the tab is closed; the text is kept in the browser.
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.goto(f"/journal/{entry.pk}/rediger/")
    assert "alle dage" in page.input_value("textarea[name=description]")
    wait_for_saved(
        entry, "Vi talte om morgenrutinen. Emma har været i skole alle dage i denne uge."
    )
    assert entry.reflections == "Mor har fået bedre struktur på morgenerne."

    page.get_by_role("button", name="Underskriv").click()
    page.wait_for_url(f"**/journal/{entry.pk}/")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SIGNED

    page.fill("textarea[name=text]", "Tilføjelse: far var også til stede den sidste halve time.")
    page.get_by_role("button", name="Tilføj en tilføjelse").click()
    body = page.locator("main").inner_text()
    assert "Emma har været i skole alle dage i denne uge." in body
    assert "far var også til stede" in body
    assert entry.amendments.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Only the deliberate offline failures (htmx reports them too) may be logged; nothing from
    # the CSP or a script error.
    offline = ("ERR_INTERNET_DISCONNECTED", "htmx:sendError", "htmx:afterRequest")
    assert [e for e in errors if not any(mark in e for mark in offline)] == []
    context.close()
