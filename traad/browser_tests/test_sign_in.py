"""A person signs in through the real pages, in a real browser."""

from __future__ import annotations

import pytest
from django.core.management import call_command

# serialized_rollback restores the data migrations' rows (municipalities, lists) after the flush.
pytestmark = pytest.mark.django_db(transaction=True)

HEADINGS = {
    "modtagelse": "Modtagelse & Visitation",
    "koordinator": "Dine sager i dag",
    "konsulent": "Din uge",
    "leder": "Dit team",
    "admin": "Administration",
    "sagsbehandler": "Dine sager hos os",
    "sagsbehandler2": "Dine sager hos os",
}


def sign_in(page, email: str, password: str = "traad-demo") -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind", exact=True).click()


def test_every_demo_user_signs_in_and_sees_their_start_page(page, settings):
    settings.TRAAD_REQUIRE_MFA = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    for username, heading in HEADINGS.items():
        sign_in(page, f"{username}@traad.example")
        assert page.locator("h1").inner_text() == heading
        assert page.locator("html").get_attribute("lang") == "da"
        page.locator(".portal-user").get_by_role("button", name="Log ud").click()
        page.wait_for_url("**/accounts/login/**")
    # No CSP violation or script error on any page.
    assert console_errors == []


def test_user_without_mfa_must_enrol_first(page, settings):
    from traad.factories import TEST_PASSWORD, UserFactory

    settings.TRAAD_REQUIRE_MFA = True
    UserFactory(email="ny@traad.example", with_mfa=False)
    sign_in(page, "ny@traad.example", TEST_PASSWORD)
    page.wait_for_url("**/accounts/2fa/")
    assert "totrinsbekræftelse" in page.locator("main").inner_text().lower()
    page.goto("/sager/")
    assert page.url.endswith("/accounts/2fa/")


def test_phone_menu_opens_and_signs_out(page, settings):
    from traad.factories import TEST_PASSWORD, UserFactory

    settings.TRAAD_REQUIRE_MFA = False
    UserFactory(email="konsulent@traad.example", with_mfa=False)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "konsulent@traad.example", TEST_PASSWORD)
    drawer = page.locator(".mobile-drawer")
    assert not drawer.is_visible()
    page.get_by_role("button", name="Menu").click()
    assert drawer.is_visible()
    drawer.get_by_role("link", name="Mine sager").click()
    page.wait_for_url("**/sager/")
    assert page.locator("h1").inner_text() == "Sager"
    page.get_by_role("button", name="Menu").click()
    drawer.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/accounts/login/**")
