"""Every state transition of a case, who may make it, and the audit row it writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from traad.accounts.models import ConsultantProfile, Role
from traad.audit.models import AuditEvent
from traad.cases import services
from traad.cases.models import CaseStatus, EndReason, Order, PersonRole, Relation
from traad.cases.selectors import case_timeline, visible_to
from traad.factories import UserFactory, municipality

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def referral(world):
    """A complete referral in Københavns Kommune with one child and 8 approved hours."""
    case = services.register_referral(
        by=world.intake,
        fields={
            "municipality": municipality("101"),
            "caseworker": world.caseworker,
            "intervention_type": _family_treatment(),
            "purpose": "Styrke forældrenes omsorgsevne",
            "received_at": NOW - dt.timedelta(hours=3),
        },
        order={"approved_hours_per_week": Decimal("8")},
    )
    services.add_person_to_case(
        case,
        by=world.intake,
        name="Emma Jensen",
        cpr="0503164321",
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    ConsultantProfile.objects.create(user=world.consultant, capacity_hours=Decimal("30"))
    return case


def _family_treatment():
    from traad.cases.models import InterventionType

    return InterventionType.objects.get(name="Familiebehandling")


def test_half_filled_referral_saves_and_is_audited(world):
    case = services.register_referral(by=world.intake, fields={"municipality": municipality("751")})
    assert case.status == CaseStatus.REFERRAL
    assert case.orders.get().version == 1
    event = AuditEvent.objects.get(action="case.referral_registered")
    assert (event.actor, event.case_id) == (world.intake, case.pk)
    assert event.changes["municipality"] == [None, municipality("751").pk]
    assert len(services.missing_for_assignment(case)) == 5


def test_only_intake_and_coordinators_register(world):
    for persona in ("consultant", "leader", "admin", "caseworker"):
        with pytest.raises(PermissionDenied):
            services.register_referral(
                by=world.personas()[persona], fields={"municipality": municipality("101")}
            )
    services.register_referral(by=world.coordinator, fields={"municipality": municipality("101")})


def test_needed_competences_default_from_intervention_type(referral):
    assert sorted(c.name for c in referral.needed_competences.all()) == [
        "Familieterapi",
        "Socialt arbejde",
    ]


def test_update_referral_logs_old_and_new(world, referral):
    services.update_referral(
        referral,
        by=world.intake,
        fields={"purpose": "Ny formulering"},
        order={"approved_hours_per_week": Decimal("10")},
    )
    event = AuditEvent.objects.get(action="case.referral_updated")
    assert event.changes["purpose"] == ["Styrke forældrenes omsorgsevne", "Ny formulering"]
    assert event.changes["approved_hours_per_week"] == ["8", "10"]
    assert referral.orders.count() == 1  # edited in place while still a referral


def test_incomplete_referral_cannot_be_assigned(world):
    case = services.register_referral(by=world.intake, fields={"municipality": municipality("101")})
    with pytest.raises(ValidationError):
        services.assign_case(
            case, by=world.intake, consultant=world.consultant, coordinator=world.coordinator
        )
    assert case.status == CaseStatus.REFERRAL


def test_full_lifecycle(world, referral):
    case = services.assign_case(
        referral, by=world.intake, consultant=world.consultant, coordinator=world.coordinator
    )
    assert (case.status, case.team, case.coordinator) == (
        CaseStatus.ASSIGNED,
        world.team,
        world.coordinator,
    )
    assert list(case.consultants.all()) == [world.consultant]
    assert case in visible_to(world.consultant)
    assert case in visible_to(world.intake)  # until it is active

    services.record_first_contact(case, by=world.consultant, at=NOW - dt.timedelta(hours=1))
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert case.hours_to_first_contact == pytest.approx(2.0)
    assert case.started_within_24_hours is True
    assert case not in visible_to(world.intake)

    services.pause_case(case, by=world.coordinator, reason="Familien er på ferie")
    assert case.status == CaseStatus.PAUSED
    services.resume_case(case, by=world.coordinator)
    assert case.status == CaseStatus.ACTIVE
    assert case.pauses.get().ended_at is not None

    order = services.change_order(
        case,
        by=world.coordinator,
        approved_hours_per_week=Decimal("12"),
        period_start=dt.date(2026, 12, 1),
        period_end=dt.date(2027, 5, 31),
        note="Kommunen har opjusteret",
    )
    assert order.version == 2
    assert list(case.orders.values_list("version", flat=True)) == [2, 1]

    services.end_case(
        case, by=world.leader, reason=EndReason.GOALS_REACHED, ended_on=dt.date(2026, 11, 23)
    )
    assert case.status == CaseStatus.ENDED
    actions = list(case_timeline(case).values_list("action", flat=True))
    assert actions == [
        "case.ended",
        "case.order_changed",
        "case.resumed",
        "case.paused",
        "case.first_contact",
        "case.assigned",
        "case.person_added",
        "case.referral_registered",
    ]
    first_contact = AuditEvent.objects.get(action="case.first_contact")
    assert first_contact.changes["hours_to_first_contact"] == 2.0
    assert first_contact.actor == world.consultant


def test_choosing_someone_else_needs_a_reason(world, referral):
    other = UserFactory(role=Role.CONSULTANT, team=world.team)
    with pytest.raises(ValidationError):
        services.assign_case(
            referral, by=world.intake, consultant=other, coordinator=world.coordinator
        )
    services.assign_case(
        referral,
        by=world.intake,
        consultant=other,
        coordinator=world.coordinator,
        reason="Kender familien fra en tidligere indsats",
    )
    assert referral.assignment_reason == "Kender familien fra en tidligere indsats"
    event = AuditEvent.objects.get(action="case.assigned")
    assert event.changes["top_proposal"] == world.consultant.email
    assert event.changes["reason"] == "Kender familien fra en tidligere indsats"


# Which personas may make each transition on the world's case (a case of their team).
TRANSITION_ALLOWED = {
    "assign": {"intake", "coordinator"},
    "first_contact": {"consultant", "coordinator", "leader"},
    "manage": {"coordinator", "leader"},
}


@pytest.mark.parametrize(
    "persona",
    [
        "intake",
        "coordinator",
        "consultant",
        "leader",
        "admin",
        "caseworker",
        "other_caseworker",
        "outsider_consultant",
        "other_leader",
    ],
)
def test_who_may_make_each_transition(world, referral, persona):
    user = world.personas()[persona]
    # assign
    if persona in TRANSITION_ALLOWED["assign"]:
        services.assign_case(
            referral, by=user, consultant=world.consultant, coordinator=world.coordinator
        )
    else:
        with pytest.raises(PermissionDenied):
            services.assign_case(
                referral, by=user, consultant=world.consultant, coordinator=world.coordinator
            )
        services.assign_case(
            referral, by=world.intake, consultant=world.consultant, coordinator=world.coordinator
        )
    # first contact
    at = timezone.now()
    if persona in TRANSITION_ALLOWED["first_contact"]:
        services.record_first_contact(referral, by=user, at=at)
    else:
        with pytest.raises(PermissionDenied):
            services.record_first_contact(referral, by=user, at=at)
        services.record_first_contact(referral, by=world.consultant, at=at)
    # pause, resume, end, change order
    manage = [
        lambda: services.pause_case(referral, by=user, reason="Indlagt"),
        lambda: services.resume_case(referral, by=user),
        lambda: services.change_order(
            referral,
            by=user,
            approved_hours_per_week=Decimal("5"),
            period_start=None,
            period_end=None,
            note="",
        ),
        lambda: services.end_case(
            referral, by=user, reason=EndReason.BY_MUNICIPALITY, ended_on=timezone.localdate()
        ),
    ]
    for action in manage:
        if persona in TRANSITION_ALLOWED["manage"]:
            action()
        else:
            with pytest.raises(PermissionDenied):
                action()
    expected_status = (
        CaseStatus.ENDED if persona in TRANSITION_ALLOWED["manage"] else CaseStatus.ACTIVE
    )
    referral.refresh_from_db()
    assert referral.status == expected_status


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (CaseStatus.REFERRAL, {"end"}),
        (CaseStatus.ASSIGNED, {"first_contact", "pause", "end", "order"}),
        (CaseStatus.ACTIVE, {"pause", "end", "order"}),
        (CaseStatus.PAUSED, {"resume", "end", "order"}),
        (CaseStatus.ENDED, set()),
    ],
)
def test_transitions_from_every_state(world, status, allowed):
    from traad.factories import CaseFactory

    actions = {
        "first_contact": lambda c: services.record_first_contact(
            c, by=world.coordinator, at=timezone.now()
        ),
        "pause": lambda c: services.pause_case(c, by=world.coordinator, reason="Pause"),
        "resume": lambda c: services.resume_case(c, by=world.coordinator),
        "end": lambda c: services.end_case(
            c,
            by=world.coordinator,
            reason=EndReason.OTHER,
            ended_on=timezone.localdate(),
            note="Flyttet til udlandet",
        ),
        "order": lambda c: services.change_order(
            c,
            by=world.coordinator,
            approved_hours_per_week=Decimal("4"),
            period_start=None,
            period_end=None,
            note="",
        ),
    }
    for name, action in actions.items():
        case = CaseFactory(
            status=status,
            team=world.team,
            coordinator=world.coordinator,
            consultants=[world.consultant],
        )
        if status == CaseStatus.PAUSED:
            case.pauses.create(reason="Pause", resume_status=CaseStatus.ACTIVE)
        if name in allowed:
            action(case)
        else:
            with pytest.raises(ValidationError):
                action(case)


def test_end_requires_reason_and_note_for_other(world):
    from traad.factories import CaseFactory

    case = CaseFactory(team=world.team, coordinator=world.coordinator)
    with pytest.raises(ValidationError):
        services.end_case(case, by=world.coordinator, reason="", ended_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.end_case(
            case, by=world.coordinator, reason=EndReason.OTHER, ended_on=timezone.localdate()
        )
    assert case.status == CaseStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="case.ended").exists()


def test_first_contact_cannot_precede_the_referral(world, referral):
    services.assign_case(
        referral, by=world.intake, consultant=world.consultant, coordinator=world.coordinator
    )
    with pytest.raises(ValidationError):
        services.record_first_contact(
            referral, by=world.consultant, at=referral.received_at - dt.timedelta(minutes=1)
        )


def test_order_versions_keep_history(world):
    from traad.factories import CaseFactory

    case = CaseFactory(team=world.team, coordinator=world.coordinator)
    Order.objects.create(case=case, version=1, approved_hours_per_week=Decimal("6"))
    services.change_order(
        case,
        by=world.coordinator,
        approved_hours_per_week=Decimal("3"),
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 3, 31),
        note="Nedjusteret",
    )
    assert [(o.version, o.approved_hours_per_week) for o in case.orders.all()] == [
        (2, Decimal("3.0")),
        (1, Decimal("6.0")),
    ]
    event = AuditEvent.objects.get(action="case.order_changed")
    assert event.changes["approved_hours_per_week"] == ["6", "3"]
    with pytest.raises(ValidationError):
        services.change_order(
            case,
            by=world.coordinator,
            approved_hours_per_week=Decimal("3"),
            period_start=dt.date(2027, 3, 1),
            period_end=dt.date(2027, 1, 1),
            note="",
        )


def test_reveal_cpr_is_logged_and_limited(world, referral):
    person = referral.members.get().person
    assert services.reveal_cpr(person, by=world.intake, case=referral) == "0503164321"
    event = AuditEvent.objects.get(action="person.cpr_revealed")
    assert (event.actor, event.person_id, event.case_id) == (world.intake, person.pk, referral.pk)
    services.assign_case(
        referral, by=world.intake, consultant=world.consultant, coordinator=world.coordinator
    )
    with pytest.raises(PermissionDenied):
        services.reveal_cpr(person, by=world.consultant, case=referral)
    with pytest.raises(PermissionDenied):
        services.reveal_cpr(person, by=world.caseworker, case=referral)


def test_network_and_contacts(world, referral):
    services.assign_case(
        referral, by=world.intake, consultant=world.consultant, coordinator=world.coordinator
    )
    services.add_network_person(
        referral, by=world.consultant, name="Mormor Inge", relation="Mormor", phone="12345678"
    )
    services.add_professional_contact(
        referral,
        by=world.coordinator,
        kind="school",
        organisation="Nørrebro Park Skole",
        person_name="Lærer Hansen",
    )
    assert referral.network.get().name == "Mormor Inge"
    assert referral.contacts.get().organisation == "Nørrebro Park Skole"
    assert (
        AuditEvent.objects.filter(
            action__in=["case.network_added", "case.contact_added"], case_id=referral.pk
        ).count()
        == 2
    )
    with pytest.raises(PermissionDenied):
        services.add_network_person(
            referral, by=world.outsider_consultant, name="X", relation="Ven"
        )


def test_cpr_of_someone_outside_the_case_is_not_revealed(world, referral):
    from traad.factories import CaseFactory

    other = CaseFactory(status=CaseStatus.REFERRAL, team=None)
    membership, _ = services.add_person_to_case(
        other,
        by=world.intake,
        name="Anden",
        cpr="0101901234",
        role=PersonRole.ADULT,
        relation=Relation.MOTHER,
    )
    with pytest.raises(PermissionDenied):
        services.reveal_cpr(membership.person, by=world.intake, case=referral)
    assert not AuditEvent.objects.filter(action="person.cpr_revealed").exists()


def test_failed_update_leaves_the_instance_as_stored(world, referral):
    with pytest.raises(ValidationError):
        services.update_referral(referral, by=world.intake, fields={"postcode": "12345"})
    assert referral.postcode == ""
