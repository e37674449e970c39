"""Intake registers a referral, matches and assigns it; the consultant starts in the family.

The whole way through the real pages in a real browser, as the people who use Tråd click it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from traad.accounts.models import ConsultantProfile, Role
from traad.audit.models import AuditEvent
from traad.cases.models import Case, CaseStatus
from traad.factories import TEST_PASSWORD, TeamFactory, UserFactory, municipality
from traad.organisations.models import Competence

# serialized_rollback restores the data migrations' rows (municipalities, lists) after the flush.
pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    page.wait_for_url("**/")


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.locator(".portal-user").get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/accounts/login/**")


def test_referral_to_first_contact(page, settings):
    settings.TRAAD_REQUIRE_MFA = False
    team = TeamFactory(name="Familiebehandling Øst")
    UserFactory(email="modtagelse@traad.example", role=Role.INTAKE, team=team, with_mfa=False)
    coordinator = UserFactory(
        email="koordinator@traad.example", role=Role.COORDINATOR, team=team, with_mfa=False
    )
    consultant = UserFactory(
        email="konsulent@traad.example", role=Role.CONSULTANT, team=team, with_mfa=False
    )
    profile = ConsultantProfile.objects.create(user=consultant, capacity_hours=Decimal("30"))
    profile.competences.set(Competence.objects.filter(name__in=["Familieterapi"]))
    caseworker = UserFactory(
        email="sagsbehandler@kommune.example",
        role=Role.CASEWORKER,
        team=None,
        municipality=municipality("101"),
        with_mfa=False,
    )

    # Intake registers the referral, half-filled first, as on the phone.
    sign_in(page, "modtagelse@traad.example")
    page.get_by_role("link", name="Henvendelser").first.click()
    page.get_by_role("link", name="Ny henvendelse").click()
    page.get_by_label("Kommune", exact=True).select_option(label="Københavns Kommune")
    # htmx fills the caseworker list for the chosen municipality.
    caseworker_select = page.locator("#id_caseworker")
    # (Playwright's wait_for_function evaluates a string, which the CSP rightly refuses.)
    page.locator("#id_caseworker option").nth(1).wait_for(state="attached")
    caseworker_select.select_option(str(caseworker.pk))
    page.get_by_role("button", name="Gem henvendelse").click()
    case = Case.objects.get()
    assert case.status == CaseStatus.REFERRAL
    page.wait_for_url(f"**/sager/{case.pk}/")

    page.get_by_role("link", name="Redigér henvendelse").click()
    page.locator("#id_intervention_type").select_option(
        label="Familiebehandling (Barnets lov § 32, stk. 1, nr. 5)"
    )
    page.get_by_label("Formål med indsatsen").fill("Styrke forældrenes omsorgsevne.")
    page.get_by_label("Bevilgede timer pr. uge").fill("8")
    page.get_by_role("button", name="Gem henvendelse").click()
    page.wait_for_url(f"**/sager/{case.pk}/")

    # A wrong CPR number is refused with a Danish message; then the right one.
    page.get_by_text("Tilføj et barn eller en voksen").click()
    page.locator("#id_person-name").fill("Emma Jensen")
    page.locator("#id_person-cpr").fill("310216-4321")
    page.locator("#id_person-role").select_option("child")
    page.locator("#id_person-relation").select_option("child")
    page.get_by_role("button", name="Tilføj person").click()
    assert "rigtig dato" in page.locator("main").inner_text()
    page.locator("#id_person-cpr").fill("050316-4321")
    page.get_by_role("button", name="Tilføj person").click()
    assert "050316-xxxx" in page.locator("main").inner_text()

    # Match and assign the top proposal.
    page.get_by_role("link", name="Match og tildel").click()
    assert consultant.full_name in page.locator("table").inner_text()
    page.get_by_label("Koordinator").select_option(str(coordinator.pk))
    page.get_by_role("button", name="Tildel sagen").click()
    page.wait_for_url(f"**/sager/{case.pk}/")
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSIGNED
    sign_out(page)

    # The consultant finds it under "my cases" and records the first contact.
    sign_in(page, "konsulent@traad.example")
    page.get_by_role("link", name="Mine sager").first.click()
    page.get_by_role("link", name=case.number).first.click()
    page.get_by_text("Registrér første kontakt i familien").click()
    page.get_by_role("button", name="Registrér første kontakt").click()
    page.wait_for_url(f"**/sager/{case.pk}/")
    assert page.get_by_test_id("case-status").inner_text() == "Aktiv"
    assert "inden for 24 timer" in page.locator("main").inner_text()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    actions = set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {
        "case.referral_registered",
        "case.referral_updated",
        "case.person_added",
        "case.assigned",
        "case.first_contact",
        "case.viewed",
    } <= actions
