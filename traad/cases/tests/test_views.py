"""The referral, case, people and matching screens: the happy paths, input kept on errors, and
every persona that must be refused (404 when they cannot see the case, 403 when they can but
may not act). Assertions are on the database and the audit log, not on Danish wording."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from traad.accounts.models import ConsultantProfile, Role, User
from traad.audit.models import AuditEvent
from traad.cases import services
from traad.cases.models import (
    Case,
    CasePause,
    CasePerson,
    CaseStatus,
    EndReason,
    InterventionType,
    NetworkPerson,
    Order,
    Person,
    PersonRole,
    ProfessionalContact,
    Relation,
)
from traad.factories import CaseFactory, UserFactory, municipality
from traad.organisations.models import Competence

pytestmark = pytest.mark.django_db

CHILD_CPR = "0503164321"


def english(client):
    client.cookies["django_language"] = "en"
    return client


def local_input(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def family_treatment() -> InterventionType:
    return InterventionType.objects.get(name="Familiebehandling")


def profile(user: User, *competences: str, capacity: str = "30") -> ConsultantProfile:
    item = ConsultantProfile.objects.create(user=user, capacity_hours=Decimal(capacity))
    item.competences.set(Competence.objects.filter(name__in=competences))
    return item


def referral_case(world, **kwargs):
    """A referral not yet assigned (intake and coordinators see it)."""
    values = {
        "status": CaseStatus.REFERRAL,
        "first_contact_at": None,
        "team": None,
        "municipality": municipality("101"),
        "received_at": timezone.now() - dt.timedelta(hours=3),
    }
    return CaseFactory(**(values | kwargs))


@pytest.fixture
def complete_referral(world) -> Case:
    """A referral that can be assigned: caseworker, type, purpose, hours and a child."""
    case = services.register_referral(
        by=world.intake,
        fields={
            "municipality": municipality("101"),
            "caseworker": world.caseworker,
            "intervention_type": family_treatment(),
            "purpose": "Styrke forældrenes omsorgsevne",
            "received_at": timezone.now() - dt.timedelta(hours=3),
        },
        order={"approved_hours_per_week": Decimal("8")},
    )
    services.add_person_to_case(
        case,
        by=world.intake,
        name="Emma Jensen",
        cpr=CHILD_CPR,
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    return case


def events(action: str, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters))


# --- The whole journey ----------------------------------------------------------------------


def test_referral_to_first_contact(world, client_for):
    profile(world.consultant, "Familieterapi", "Socialt arbejde")
    intake = client_for(world.intake)

    # 1. A half-filled referral: only the municipality.
    response = intake.post(reverse("cases:referral_new"), {"municipality": municipality("101").pk})
    case = Case.objects.get(created_by=world.intake)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.status, case.municipality.code, case.caseworker) == (
        CaseStatus.REFERRAL,
        "101",
        None,
    )
    assert list(case.orders.values_list("version", "approved_hours_per_week")) == [(1, None)]
    assert len(events("case.referral_registered", case_id=case.pk, actor=world.intake)) == 1

    # 2. Completed: a caseworker created on the spot, the type, purpose and hours.
    received = timezone.now() - dt.timedelta(hours=5)
    response = intake.post(
        reverse("cases:referral_edit", args=[case.pk]),
        {
            "municipality": municipality("101").pk,
            "new_caseworker_name": "Sanne Sagsbehandler",
            "new_caseworker_email": "Sanne@Kommune.example",
            "new_caseworker_phone": "33 66 33 66",
            "intervention_type": family_treatment().pk,
            "purpose": "Styrke forældrenes omsorgsevne",
            "urgency": "urgent",
            "received_at": local_input(received),
            "approved_hours_per_week": "8",
            "period_start": "2026-01-01",
            "period_end": "2026-09-30",
        },
    )
    assert response.status_code == 302
    caseworker = User.objects.get(email="sanne@kommune.example")
    assert (caseworker.role, caseworker.municipality.code, caseworker.team) == (
        Role.CASEWORKER,
        "101",
        None,
    )
    assert caseworker.phone == "33 66 33 66"
    assert not caseworker.has_usable_password()
    case.refresh_from_db()
    assert case.caseworker == caseworker
    assert case.intervention_type == family_treatment()
    assert case.urgency == "urgent"
    assert timezone.localtime(case.received_at).strftime("%H:%M") == timezone.localtime(
        received
    ).strftime("%H:%M")
    # The type was set on a referral naming no competences: the type's are proposed.
    assert sorted(c.name for c in case.needed_competences.all()) == [
        "Familieterapi",
        "Socialt arbejde",
    ]
    order = case.orders.get()  # edited in place while a referral
    assert (order.approved_hours_per_week, order.period_end) == (
        Decimal("8"),
        dt.date(2026, 9, 30),
    )
    assert len(events("user.created", object_id=str(caseworker.pk), actor=world.intake)) == 1
    updated = events("case.referral_updated", case_id=case.pk)
    assert len(updated) == 1
    assert updated[0].changes["approved_hours_per_week"] == [None, "8"]

    # 3. A child with a CPR number.
    response = intake.post(
        reverse("cases:person_add", args=[case.pk]),
        {
            "person-name": "Emma Jensen",
            "person-cpr": "050316-4321",
            "person-role": PersonRole.CHILD,
            "person-relation": Relation.CHILD,
            "person-school_or_daycare": "Søndermarkskolen",
        },
    )
    assert response.status_code == 302
    member = CasePerson.objects.get(case=case)
    assert (member.person.cpr, member.role, member.school_or_daycare) == (
        CHILD_CPR,
        PersonRole.CHILD,
        "Søndermarkskolen",
    )
    assert len(events("case.person_added", case_id=case.pk, person_id=member.person_id)) == 1
    assert services.missing_for_assignment(case) == []

    # 4. Matching: the top proposal is pre-selected and assigned.
    response = intake.get(reverse("cases:assign", args=[case.pk]))
    assert response.status_code == 200
    assert [p.consultant for p in response.context["proposals"]] == [world.consultant]
    assert response.context["chosen_consultant"] == str(world.consultant.pk)
    response = intake.post(
        reverse("cases:assign", args=[case.pk]),
        {"consultant": world.consultant.pk, "coordinator": world.coordinator.pk, "reason": ""},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.coordinator, case.team) == (
        CaseStatus.ASSIGNED,
        world.coordinator,
        world.team,
    )
    assert list(case.consultants.all()) == [world.consultant]
    assigned = events("case.assigned", case_id=case.pk)
    assert len(assigned) == 1
    assert assigned[0].changes["top_proposal"] == world.consultant.email

    # 5. The consultant finds it among their own cases.
    consultant = english(client_for(world.consultant))
    response = consultant.get(reverse("cases:list"))
    assert case in response.context["page"].object_list
    assert response.context["form"].cleaned_data["mine"] is True
    assert reverse("cases:detail", args=[case.pk]) in consultant.get("/").content.decode()

    # 6. … and records the first contact: the case is active, time to start is shown.
    contact_at = timezone.now() - dt.timedelta(hours=1)
    response = consultant.post(
        reverse("cases:first_contact", args=[case.pk]),
        {"first_contact-at": local_input(contact_at)},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert case.hours_to_first_contact == pytest.approx(4.0, abs=0.02)
    assert len(events("case.first_contact", case_id=case.pk, actor=world.consultant)) == 1
    html = consultant.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "4.0 hours after the referral" in html
    assert '<span class="badge badge-success">within 24 hours</span>' in html


# --- Referral form ----------------------------------------------------------------------------


def test_referral_without_municipality_keeps_what_was_typed(world, client_for):
    response = client_for(world.intake).post(
        reverse("cases:referral_new"),
        {"purpose": "Et formål skrevet i telefonen", "postcode": "2200"},
    )
    assert response.status_code == 200
    assert Case.objects.count() == 1  # only the world's case
    form = response.context["form"]
    assert list(form.errors) == ["municipality"]
    html = response.content.decode()
    assert "Et formål skrevet i telefonen" in html
    assert 'value="2200"' in html


def test_new_caseworker_with_a_taken_email_is_refused(world, client_for):
    response = client_for(world.intake).post(
        reverse("cases:referral_new"),
        {
            "municipality": municipality("101").pk,
            "new_caseworker_name": "Dobbelt",
            "new_caseworker_email": world.caseworker.email.upper(),
            "purpose": "Behold mig",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_caseworker_email"]
    assert "Behold mig" in response.content.decode()
    assert Case.objects.count() == 1
    assert User.objects.filter(full_name="Dobbelt").count() == 0


def test_invalid_referral_creates_no_caseworker(world, client_for):
    response = client_for(world.intake).post(
        reverse("cases:referral_new"),
        {
            "municipality": municipality("101").pk,
            "new_caseworker_name": "Ny Sagsbehandler",
            "new_caseworker_email": "ny@kommune.example",
            "expected_duration_months": "99",
        },
    )
    assert response.status_code == 200
    assert "expected_duration_months" in response.context["form"].errors
    assert not User.objects.filter(email="ny@kommune.example").exists()
    assert Case.objects.count() == 1


def test_caseworker_must_belong_to_the_chosen_municipality(world, client_for):
    response = client_for(world.intake).post(
        reverse("cases:referral_new"),
        {"municipality": municipality("101").pk, "caseworker": world.other_caseworker.pk},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["caseworker"]
    assert Case.objects.count() == 1


def test_caseworker_options_for_a_municipality(world, client_for):
    url = reverse("cases:caseworker_options")
    response = client_for(world.intake).get(url, {"municipality": municipality("101").pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{world.caseworker.pk}"' in html
    assert f'value="{world.other_caseworker.pk}"' not in html
    assert client_for(world.caseworker).get(url).status_code == 403
    assert client_for(world.consultant).get(url).status_code == 403


def test_referral_edit_refused_once_assigned_and_404_for_outsiders(world, client_for):
    url = reverse("cases:referral_edit", args=[world.case.pk])  # the world's case is active
    assert client_for(world.coordinator).get(url).status_code == 403
    assert client_for(world.caseworker).get(url).status_code == 403
    assert client_for(world.intake).get(url).status_code == 404  # intake no longer sees it
    referral = referral_case(world)
    url = reverse("cases:referral_edit", args=[referral.pk])
    assert client_for(world.consultant).get(url).status_code == 404
    response = client_for(world.coordinator).get(url)
    assert response.status_code == 200
    assert len(events("case.viewed", case_id=referral.pk, actor=world.coordinator)) == 1


def test_only_intake_and_coordinators_open_the_new_referral_form(world, client_for):
    assert client_for(world.intake).get(reverse("cases:referral_new")).status_code == 200
    assert client_for(world.coordinator).get(reverse("cases:referral_new")).status_code == 200
    for persona in ("consultant", "leader", "caseworker", "admin"):
        response = client_for(world.personas()[persona]).get(reverse("cases:referral_new"))
        assert response.status_code == 403, persona


# --- People, network, contacts and CPR ------------------------------------------------------


def test_bad_cpr_shows_an_error_and_saves_nothing(world, client_for):
    case = referral_case(world)
    response = client_for(world.intake).post(
        reverse("cases:person_add", args=[case.pk]),
        {
            "person-name": "Noah Hansen",
            "person-cpr": "3113901234",
            "person-role": PersonRole.CHILD,
            "person-relation": Relation.CHILD,
        },
    )
    assert response.status_code == 200
    form = response.context["person_form"]
    assert [error.code for error in form.errors.as_data()["cpr"]] == ["cpr_date"]
    html = response.content.decode()
    assert 'value="Noah Hansen"' in html
    assert 'value="3113901234"' in html
    assert CasePerson.objects.count() == 0
    assert Person.objects.count() == 0
    assert events("case.person_added") == []


def test_a_known_person_is_linked_not_copied(world, client_for, complete_referral):
    other = referral_case(world)
    client = english(client_for(world.intake))
    response = client.post(
        reverse("cases:person_add", args=[other.pk]),
        {
            "person-name": "Emma J.",
            "person-cpr": CHILD_CPR,
            "person-role": PersonRole.CHILD,
            "person-relation": Relation.CHILD,
        },
        follow=True,
    )
    assert Person.objects.count() == 1
    assert CasePerson.objects.filter(case=other).get().person.name == "Emma Jensen"
    assert len(events("case.person_linked", case_id=other.pk)) == 1
    assert "already known in Tråd and has been linked" in response.content.decode()


def test_same_person_twice_is_refused_by_the_service(world, client_for, complete_referral):
    response = client_for(world.intake).post(
        reverse("cases:person_add", args=[complete_referral.pk]),
        {
            "person-name": "Emma",
            "person-cpr": CHILD_CPR,
            "person-role": PersonRole.CHILD,
            "person-relation": Relation.CHILD,
        },
    )
    assert response.status_code == 200
    assert response.context["person_form"].non_field_errors()
    assert CasePerson.objects.filter(case=complete_referral).count() == 1


def test_remove_person(world, client_for, complete_referral):
    member = complete_referral.members.get()
    url = reverse("cases:person_remove", args=[complete_referral.pk, member.pk])
    assert client_for(world.consultant).post(url).status_code == 404  # not their case
    assert client_for(world.intake).get(url).status_code == 405
    response = client_for(world.intake).post(url)
    assert response.status_code == 302
    assert not CasePerson.objects.filter(pk=member.pk).exists()
    assert len(events("case.person_removed", person_id=member.person_id)) == 1


def test_reveal_cpr_with_htmx(world, client_for, complete_referral):
    person = complete_referral.members.get().person
    url = reverse("cases:cpr_reveal", args=[complete_referral.pk, person.pk])
    response = client_for(world.intake).post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().strip() == (
        f'<span id="cpr-{person.pk}" class="traad-cpr">050316-4321</span>'
    )
    assert "no-store" in response["Cache-Control"]
    revealed = events("person.cpr_revealed")
    assert [(e.actor, e.case_id, e.person_id) for e in revealed] == [
        (world.intake, complete_referral.pk, person.pk)
    ]


def test_reveal_cpr_without_htmx_shows_the_overview(world, client_for, complete_referral):
    person = complete_referral.members.get().person
    url = reverse("cases:cpr_reveal", args=[complete_referral.pk, person.pk])
    response = client_for(world.coordinator).post(url)
    assert response.status_code == 200
    assert "050316-4321" in response.content.decode()
    assert len(events("person.cpr_revealed", actor=world.coordinator)) == 1


def test_overview_masks_the_cpr(world, client_for, complete_referral):
    html = (
        client_for(world.intake)
        .get(reverse("cases:detail", args=[complete_referral.pk]))
        .content.decode()
    )
    assert "050316-xxxx" in html
    assert "050316-4321" not in html
    person = complete_referral.members.get().person
    assert reverse("cases:cpr_reveal", args=[complete_referral.pk, person.pk]) in html


def test_consultant_may_not_reveal_cpr(world, client_for):
    membership, _linked = services.add_person_to_case(
        world.case,
        by=world.coordinator,
        name="Emma",
        cpr=CHILD_CPR,
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    url = reverse("cases:cpr_reveal", args=[world.case.pk, membership.person_id])
    response = client_for(world.consultant).post(url, headers={"HX-Request": "true"})
    assert response.status_code == 403
    html = client_for(world.consultant).get(reverse("cases:detail", args=[world.case.pk]))
    assert url not in html.content.decode()
    assert events("person.cpr_revealed") == []


def test_reveal_cpr_of_a_person_not_on_the_case_is_404(world, client_for, complete_referral):
    other = referral_case(world)
    person = complete_referral.members.get().person
    url = reverse("cases:cpr_reveal", args=[other.pk, person.pk])
    assert client_for(world.intake).post(url).status_code == 404
    assert events("person.cpr_revealed") == []


def test_network_and_contacts(world, client_for):
    client = client_for(world.consultant)  # the consultant meets them in the family
    response = client.post(
        reverse("cases:network_add", args=[world.case.pk]),
        {"network-name": "Mormor", "network-relation": "Mormor", "network-phone": "12345678"},
    )
    assert response.status_code == 302
    assert NetworkPerson.objects.get(case=world.case).name == "Mormor"
    assert len(events("case.network_added", case_id=world.case.pk)) == 1
    response = client.post(
        reverse("cases:contact_add", args=[world.case.pk]),
        {"contact-kind": "school", "contact-organisation": "Søndermarkskolen"},
    )
    assert response.status_code == 302
    assert ProfessionalContact.objects.get(case=world.case).organisation == "Søndermarkskolen"
    assert len(events("case.contact_added", case_id=world.case.pk)) == 1
    # Invalid input: the overview again, with the typed values.
    response = client.post(
        reverse("cases:contact_add", args=[world.case.pk]),
        {"contact-kind": "school", "contact-organisation": "", "contact-person_name": "Lærer Lis"},
    )
    assert response.status_code == 200
    assert list(response.context["contact_form"].errors) == ["organisation"]
    assert 'value="Lærer Lis"' in response.content.decode()
    assert ProfessionalContact.objects.count() == 1
    # A caseworker sees the case but does not edit its network.
    response = client_for(world.caseworker).post(
        reverse("cases:network_add", args=[world.case.pk]),
        {"network-name": "X", "network-relation": "Y"},
    )
    assert response.status_code == 403
    assert NetworkPerson.objects.count() == 1


# --- Matching -------------------------------------------------------------------------------


def test_choosing_another_than_the_top_proposal_needs_a_reason(
    world, client_for, complete_referral
):
    profile(world.consultant, "Familieterapi", "Socialt arbejde")
    second = UserFactory(role=Role.CONSULTANT, team=world.team, full_name="Anden Konsulent")
    profile(second)
    client = client_for(world.intake)
    url = reverse("cases:assign", args=[complete_referral.pk])
    proposals = client.get(url).context["proposals"]
    assert [p.consultant for p in proposals] == [world.consultant, second]

    choice = {"consultant": second.pk, "coordinator": world.coordinator.pk}
    response = client.post(url, {**choice, "reason": "  "})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert response.context["chosen_consultant"] == str(second.pk)
    assert f'value="{second.pk}" checked' in response.content.decode()
    complete_referral.refresh_from_db()
    assert complete_referral.status == CaseStatus.REFERRAL
    assert events("case.assigned") == []

    response = client.post(url, {**choice, "reason": "Familien kender hende"})
    assert response.status_code == 302
    complete_referral.refresh_from_db()
    assert complete_referral.status == CaseStatus.ASSIGNED
    assert complete_referral.assignment_reason == "Familien kender hende"
    assert list(complete_referral.consultants.all()) == [second]
    assert events("case.assigned")[0].changes["reason"] == "Familien kender hende"


def test_incomplete_referral_lists_what_is_missing(world, client_for):
    profile(world.consultant)
    case = referral_case(world)
    response = client_for(world.intake).get(reverse("cases:assign", args=[case.pk]))
    assert response.status_code == 200
    assert len(response.context["missing"]) == 5
    html = response.content.decode()
    assert reverse("cases:referral_edit", args=[case.pk]) in html
    assert "Assign the case" not in html and 'name="coordinator"' not in html


def test_assign_refused_for_the_wrong_people(world, client_for, complete_referral):
    url = reverse("cases:assign", args=[complete_referral.pk])
    assert client_for(world.consultant).get(url).status_code == 404  # cannot see it
    assert client_for(world.other_caseworker).get(url).status_code == 404
    assert client_for(world.caseworker).get(url).status_code == 403  # their order, not their job
    world_case_url = reverse("cases:assign", args=[world.case.pk])
    assert client_for(world.coordinator).get(world_case_url).status_code == 403  # active


# --- Lifecycle ------------------------------------------------------------------------------


def test_pause_resume_change_order_and_end(world, client_for):
    client = client_for(world.coordinator)
    case = world.case
    response = client.post(reverse("cases:pause", args=[case.pk]), {"pause-reason": ""})
    assert response.status_code == 200
    assert list(response.context["pause_form"].errors) == ["reason"]

    response = client.post(reverse("cases:pause", args=[case.pk]), {"pause-reason": "Indlagt"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PAUSED
    assert CasePause.objects.get(case=case).reason == "Indlagt"

    response = client.post(reverse("cases:resume", args=[case.pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE

    response = client.post(
        reverse("cases:order_change", args=[case.pk]),
        {
            "order-approved_hours_per_week": "12",
            "order-period_start": "2026-01-01",
            "order-period_end": "2026-06-30",
            "order-note": "Opjusteret",
        },
    )
    assert response.status_code == 302
    order = Order.objects.filter(case=case).order_by("-version").first()
    assert (order.approved_hours_per_week, order.note, order.created_by) == (
        Decimal("12"),
        "Opjusteret",
        world.coordinator,
    )
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Opjusteret" in html

    # "Other" needs a note: the service refuses, the typed date is kept.
    response = client.post(
        reverse("cases:end", args=[case.pk]),
        {"end-reason": EndReason.OTHER, "end-ended_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert response.context["end_form"].non_field_errors()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE

    response = client.post(
        reverse("cases:end", args=[case.pk]),
        {"end-reason": EndReason.GOALS_REACHED, "end-ended_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.end_reason) == (CaseStatus.ENDED, EndReason.GOALS_REACHED)
    actions = [e.action for e in AuditEvent.objects.filter(case_id=case.pk).order_by("id")]
    assert [a for a in actions if a != "case.viewed"] == [
        "case.paused",
        "case.resumed",
        "case.order_changed",
        "case.ended",
    ]


def test_first_contact_in_the_future_is_refused_and_kept(world, client_for):
    case = CaseFactory(
        team=world.team,
        status=CaseStatus.ASSIGNED,
        coordinator=world.coordinator,
        consultants=[world.consultant],
    )
    typed = local_input(timezone.now() + dt.timedelta(days=2))
    response = client_for(world.consultant).post(
        reverse("cases:first_contact", args=[case.pk]), {"first_contact-at": typed}
    )
    assert response.status_code == 200
    assert response.context["first_contact_form"].non_field_errors()
    assert f'value="{typed}"' in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.first_contact_at) == (CaseStatus.ASSIGNED, None)


def test_lifecycle_refused_for_those_who_see_but_may_not_act(world, client_for):
    for persona in ("consultant", "caseworker"):
        client = client_for(world.personas()[persona])
        response = client.post(reverse("cases:pause", args=[world.case.pk]), {"pause-reason": "x"})
        assert response.status_code == 403, persona
        response = client.post(
            reverse("cases:end", args=[world.case.pk]),
            {"end-reason": EndReason.GOALS_REACHED, "end-ended_on": "2026-01-01"},
        )
        assert response.status_code == 403, persona
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.ACTIVE
    assert (
        client_for(world.coordinator).get(reverse("cases:pause", args=[world.case.pk])).status_code
        == 405
    )


def test_overview_shows_actions_only_to_permitted_users(world, client_for):
    url = reverse("cases:detail", args=[world.case.pk])
    coordinator_html = client_for(world.coordinator).get(url).content.decode()
    caseworker_html = client_for(world.caseworker).get(url).content.decode()
    for name in ("pause", "end", "order_change", "network_add"):
        action = reverse(f"cases:{name}", args=[world.case.pk])
        assert action in coordinator_html, name
        assert action not in caseworker_html, name


def test_overview_shows_the_late_start(world, client_for):
    case = CaseFactory(
        team=world.team,
        coordinator=world.coordinator,
        received_at=timezone.now() - dt.timedelta(days=3),
        first_contact_at=timezone.now() - dt.timedelta(days=1),
    )
    html = (
        english(client_for(world.coordinator))
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode()
    )
    assert '<span class="badge badge-warning">after more than 24 hours</span>' in html
    assert "48.0 hours after the referral" in html


def test_timeline_labels_the_actions(world, client_for, complete_referral):
    response = english(client_for(world.intake)).get(
        reverse("cases:detail", args=[complete_referral.pk])
    )
    labels = [str(label) for _event, label in response.context["timeline"]]
    assert labels == ["Person added", "Referral registered"]


# --- Who gets 404 -----------------------------------------------------------------------------


CASE_URLS = [
    ("get", "cases:detail", ()),
    ("get", "cases:referral_edit", ()),
    ("post", "cases:referral_edit", ()),
    ("get", "cases:assign", ()),
    ("post", "cases:assign", ()),
    ("post", "cases:person_add", ()),
    ("post", "cases:person_remove", ("membership",)),
    ("post", "cases:cpr_reveal", ("person",)),
    ("post", "cases:network_add", ()),
    ("post", "cases:contact_add", ()),
    ("post", "cases:first_contact", ()),
    ("post", "cases:pause", ()),
    ("post", "cases:resume", ()),
    ("post", "cases:end", ()),
    ("post", "cases:order_change", ()),
]


@pytest.mark.parametrize("persona", ["outsider_consultant", "other_caseworker", "other_leader"])
@pytest.mark.parametrize(("method", "name", "extra"), CASE_URLS)
def test_outsiders_get_404_on_every_case_url(world, client_for, persona, method, name, extra):
    membership, _linked = services.add_person_to_case(
        world.case,
        by=world.coordinator,
        name="Emma",
        cpr=CHILD_CPR,
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    ids = {"membership": membership.pk, "person": membership.person_id}
    url = reverse(name, args=[world.case.pk, *(ids[key] for key in extra)])
    client = client_for(world.personas()[persona])
    response = getattr(client, method)(url, {})
    assert response.status_code == 404
    assert CasePerson.objects.filter(case=world.case).count() == 1
    assert not AuditEvent.objects.filter(actor=world.personas()[persona], case_id=world.case.pk)


# --- Lists ----------------------------------------------------------------------------------


def test_list_filters(world, client_for):
    aarhus = municipality("751")
    paused = CaseFactory(team=world.team, status=CaseStatus.PAUSED, municipality=aarhus)
    other_coordinator = UserFactory(role=Role.COORDINATOR, team=world.team)
    theirs = CaseFactory(team=world.team, coordinator=other_coordinator)
    client = client_for(world.leader)

    def listed(**params) -> set[int]:
        response = client.get(reverse("cases:list"), params)
        assert response.status_code == 200
        return {case.pk for case in response.context["page"].object_list}

    assert listed() == {world.case.pk, paused.pk, theirs.pk}
    assert listed(status=CaseStatus.PAUSED) == {paused.pk}
    assert listed(municipality=aarhus.pk) == {paused.pk}
    assert listed(consultant=world.consultant.pk) == {world.case.pk}
    assert listed(coordinator=other_coordinator.pk) == {theirs.pk}

    coordinator = client_for(world.coordinator)
    response = coordinator.get(reverse("cases:list"))  # "my cases" by default
    assert {c.pk for c in response.context["page"].object_list} == {world.case.pk}
    assert response.context["query"] == "mine=1"
    response = coordinator.get(reverse("cases:list"), {"status": ""})  # the form, unticked
    assert {c.pk for c in response.context["page"].object_list} == {
        world.case.pk,
        paused.pk,
        theirs.pk,
    }


def test_list_pagination_keeps_the_filter(world, client_for):
    for _ in range(51):
        CaseFactory(team=world.team, status=CaseStatus.PAUSED)
    response = client_for(world.leader).get(reverse("cases:list"), {"status": "paused"})
    assert response.context["page"].paginator.count == 51
    assert "?status=paused&amp;side=2" in response.content.decode()
    response = client_for(world.leader).get(reverse("cases:list"), {"status": "paused", "side": 2})
    assert len(response.context["page"].object_list) == 1


def _case_with_people(world, status=CaseStatus.ACTIVE):
    case = CaseFactory(
        team=world.team,
        status=status,
        coordinator=world.coordinator,
        consultants=[world.consultant],
        intervention_type=family_treatment(),
    )
    Order.objects.create(case=case, version=1, approved_hours_per_week=Decimal("6"))
    for n in range(2):
        person = Person.objects.create(name=f"Barn {case.pk}-{n}")
        CasePerson.objects.create(
            case=case, person=person, role=PersonRole.CHILD, relation=Relation.CHILD
        )
    return case


def _count_queries(client, url: str) -> int:
    client.get(url)  # the first request of a session does one-off work (session, MFA check)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_case_list_query_count_does_not_grow(world, client_for):
    client = client_for(world.leader)
    url = reverse("cases:list")
    _case_with_people(world)
    one = _count_queries(client, url)
    for _ in range(3):
        _case_with_people(world)
    assert _count_queries(client, url) == one


def test_queue_query_count_does_not_grow(world, client_for):
    client = client_for(world.coordinator)
    url = reverse("cases:queue")
    _case_with_people(world, status=CaseStatus.REFERRAL)
    one = _count_queries(client, url)
    start_one = _count_queries(client_for(world.intake), "/")
    for _ in range(3):
        _case_with_people(world, status=CaseStatus.REFERRAL)
    assert _count_queries(client, url) == one
    assert _count_queries(client_for(world.intake), "/") == start_one


def test_queue_oldest_first_with_overdue_marked(world, client_for):
    old = referral_case(world, received_at=timezone.now() - dt.timedelta(hours=30))
    new = referral_case(world, received_at=timezone.now() - dt.timedelta(hours=2))
    response = english(client_for(world.intake)).get(reverse("cases:queue"))
    rows = response.context["rows"]
    assert [row.case for row in rows] == [old, new]
    assert [row.overdue for row in rows] == [True, False]
    assert round(rows[0].age_hours) == 30
    html = response.content.decode()
    assert html.count("over 24 hours</span>") == 1
    assert reverse("cases:referral_new") in html
    # Everyone who sees cases sees the queue; the button is for those who register.
    response = client_for(world.consultant).get(reverse("cases:queue"))
    assert response.status_code == 200
    assert reverse("cases:referral_new") not in response.content.decode()


# --- Start pages and layout -----------------------------------------------------------------


def test_intake_start_page_shows_the_queue(world, client_for):
    case = referral_case(world)
    response = client_for(world.intake).get("/")
    assert [row.case for row in response.context["rows"]] == [case]
    assert reverse("cases:detail", args=[case.pk]) in response.content.decode()


def test_coordinator_start_page_lists_own_cases(world, client_for):
    CaseFactory(team=world.team)  # the team's, coordinated by no one
    response = client_for(world.coordinator).get("/")
    assert list(response.context["cases"]) == [world.case]


def test_pages_have_no_inline_script_or_style(world, client_for, complete_referral):
    profile(world.consultant)
    client = client_for(world.intake)
    urls = [
        reverse("cases:queue"),
        reverse("cases:referral_new"),
        reverse("cases:referral_edit", args=[complete_referral.pk]),
        reverse("cases:detail", args=[complete_referral.pk]),
        reverse("cases:assign", args=[complete_referral.pk]),
        reverse("cases:list"),
        "/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "style=" not in html, url
        for chunk in html.split("<script")[1:]:
            assert "src=" in chunk.split(">", 1)[0], url
