from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from traad.accounts.models import Role, User
from traad.core.navigation import NAVIGATION
from traad.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


def test_login_page_is_danish_with_strict_csp(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Log ind" in html
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_script_or_style(world, client_for, settings):
    settings.TRAAD_REQUIRE_MFA = False
    from traad.factories import UserFactory

    client = Client()
    UserFactory(email="ny@traad.example", with_mfa=False)
    client.post(reverse("account_login"), {"login": "ny@traad.example", "password": TEST_PASSWORD})
    urls = [
        reverse("core:start"),
        reverse("cases:list"),
        reverse("audit:search"),
        reverse("mfa_index"),
        reverse("mfa_activate_totp"),
        reverse("mfa_add_webauthn"),
        reverse("account_change_password"),
    ]
    pages = [(url, client_for(world.leader).get(url)) for url in urls[:3]]
    pages += [(url, client.get(url)) for url in urls[3:]]
    anonymous = Client()
    for url in (reverse("account_login"), reverse("account_reset_password")):
        pages.append((url, anonymous.get(url)))
    for url, response in pages:
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "style=" not in html, url
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag or 'type="application/json"' in tag, tag


def test_signed_in_pages_are_not_cached(world, client_for):
    response = client_for(world.consultant).get(reverse("core:start"))
    assert response["Cache-Control"] == "no-store"


def test_danish_even_for_an_english_browser(client):
    response = client.get(reverse("account_login"), headers={"Accept-Language": "en-US,en"})
    assert '<html lang="da">' in response.content.decode()
    assert response["Content-Language"] == "da"


def test_language_switch_to_english(world, client_for):
    client = client_for(world.consultant)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Your week" in html


def _danish(msgid: str) -> str:
    # Labels whose Danish translation may not be in the catalogue yet.
    with translation.override("da"):
        return translation.gettext(msgid)


EXPECTED_NAV = {
    "intake": ["Forside", "Henvendelser", "Sager"],
    "coordinator": ["Forside", "Henvendelser", "Sager", "Rapportfrister"],
    "consultant": ["Forside", "Mine sager"],
    "leader": ["Forside", "Sager", "Rapportfrister", "Revisionslog"],
    "admin": ["Forside", "Brugere og teams", _danish("Letterhead"), "Revisionslog"],
    "caseworker": ["Forside", "Mine sager", "Rapporter"],
}
EXPECTED_HEADING = {
    "intake": "Modtagelse & Visitation",
    "coordinator": "Dine sager i dag",
    "consultant": "Din uge",
    "leader": "Dit team",
    "admin": "Administration",
    "caseworker": "Dine sager hos os",
}


@pytest.mark.parametrize("persona", EXPECTED_NAV)
def test_each_role_sees_its_navigation_and_start_page(world, client_for, persona):
    user = world.personas()[persona]
    response = client_for(user).get("/")
    assert response.status_code == 200
    labels = [str(item["label"]) for item in response.context["nav_items"]]
    assert labels == EXPECTED_NAV[persona]
    html = response.content.decode()
    assert f"<h1>{EXPECTED_HEADING[persona]}</h1>" in html
    for item in response.context["nav_items"]:
        assert f'href="{item["url"]}"' in html
        # Every navigation target opens for that role.
        assert client_for(user).get(item["url"]).status_code == 200


def test_navigation_table_covers_every_role():
    assert set(NAVIGATION) == set(Role)


def test_start_page_lists_the_users_cases(world, client_for):
    html = client_for(world.caseworker).get("/").content.decode()
    assert reverse("cases:detail", args=[world.case.pk]) in html
    html = client_for(world.other_caseworker).get("/").content.decode()
    assert reverse("cases:detail", args=[world.case.pk]) not in html


def test_header_shows_person_and_role(world, client_for):
    html = client_for(world.coordinator).get("/").content.decode()
    assert f"{world.coordinator.full_name}, Koordinator" in html


def test_admin_role_manages_users_but_not_cases(world, client_for):
    client = client_for(world.admin)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/organisations/team/").status_code == 200
    assert client.get("/admin/cases/case/").status_code == 404
    other = client_for(world.coordinator)
    assert other.get("/admin/accounts/user/").status_code == 302  # to the admin login


def test_seed_demo_is_idempotent_and_every_demo_user_signs_in(settings, capsys):
    settings.TRAAD_REQUIRE_MFA = False
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "MFA is NOT required in this demo" in out
    assert User.objects.filter(email__endswith="@traad.example").count() == 16  # + consultants
    expected = {
        "modtagelse": "Modtagelse & Visitation",
        "koordinator": "Dine sager i dag",
        "konsulent": "Din uge",
        "leder": "Dit team",
        "admin": "Administration",
        "sagsbehandler": "Dine sager hos os",
        "sagsbehandler2": "Dine sager hos os",
    }
    for username, heading in expected.items():
        client = Client()
        response = client.post(
            reverse("account_login"),
            {"login": f"{username}@traad.example", "password": "traad-demo"},
        )
        assert response.status_code == 302, username
        assert f"<h1>{heading}</h1>" in client.get("/").content.decode()
    assert User.objects.get(email="sagsbehandler@traad.example").municipality.code == "101"
    assert User.objects.get(email="sagsbehandler2@traad.example").municipality.code == "751"
    assert_demo_cases()


def assert_demo_cases():
    from django.db.models import Count
    from django.utils import timezone

    from traad.cases.models import Case, CaseStatus

    counts = dict(Case.objects.values_list("status").annotate(n=Count("id")))
    assert counts == {
        CaseStatus.REFERRAL: 6,
        CaseStatus.ASSIGNED: 4,
        CaseStatus.ACTIVE: 20,
        CaseStatus.PAUSED: 3,
        CaseStatus.ENDED: 7,
    }
    assert Case.objects.values("municipality").distinct().count() == 7
    oldest = Case.objects.filter(status=CaseStatus.REFERRAL).order_by("received_at").first()
    assert timezone.now() - oldest.received_at > dt.timedelta(hours=24)
    languages = set(
        User.objects.filter(role=Role.CONSULTANT).values_list("profile__languages__code", flat=True)
    )
    assert {"ar", "so", "tr", "pl", "ur", "ti", "uk"} <= languages
    konsulent = User.objects.get(email="konsulent@traad.example")
    assert Case.objects.filter(consultants=konsulent).exists()


def test_email_address_is_managed_by_the_administrator(world, client_for):
    assert client_for(world.consultant).get("/accounts/email/").status_code == 404


def test_coordinator_start_page_lists_own_drafts(world, client_for):
    from traad.journal.services import start_draft

    draft = start_draft(world.case, by=world.coordinator)
    response = client_for(world.coordinator).get("/")
    assert list(response.context["drafts"]) == [draft]


def test_error_pages_are_danish_and_in_the_layout(world, client_for):
    client = client_for(world.outsider_consultant)
    not_found = client.get(reverse("cases:detail", args=[world.case.pk]))
    assert not_found.status_code == 404
    html = not_found.content.decode()
    assert "<h1>Siden findes ikke</h1>" in html
    assert '<html lang="da">' in html
    forbidden = client_for(world.consultant).post(
        reverse("cases:pause", args=[world.case.pk]), {"pause-reason": "x"}
    )
    assert forbidden.status_code == 403
    assert "<h1>Ikke tilladt</h1>" in forbidden.content.decode()


def test_expired_form_page_explains_in_danish(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.consultant)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 403
    assert "<h1>Formularen er udløbet</h1>" in response.content.decode()


def test_server_error_page_needs_no_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Der opstod en fejl" in html
