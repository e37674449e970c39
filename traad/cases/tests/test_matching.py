"""Matching: professional fit before language, capacity from open cases only, urgency, area,
the reasons shown to intake, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from traad.accounts.models import ConsultantProfile, Role
from traad.cases.matching import free_hours_by_consultant, rank_consultants, top_proposal
from traad.cases.models import Case, CaseStatus, Order, Urgency
from traad.factories import CaseFactory, TeamFactory, UserFactory
from traad.organisations.models import Competence, Language

pytestmark = pytest.mark.django_db

FAMILY_THERAPY = "Familieterapi"
TRAUMA = "Traumebehandling"
NURSING = "Sygepleje"


def consultant(
    name,
    *,
    competences=(),
    languages=(),
    capacity="37",
    evenings=False,
    weekends=False,
    postcodes="",
    team=None,
    role=Role.CONSULTANT,
    is_active=True,
):
    extra = {"team": team} if team is not None else {}
    user = UserFactory(full_name=name, role=role, is_active=is_active, with_mfa=False, **extra)
    profile = ConsultantProfile.objects.create(
        user=user,
        capacity_hours=Decimal(capacity),
        available_evenings=evenings,
        available_weekends=weekends,
        postcodes=postcodes,
    )
    profile.competences.set(Competence.objects.filter(name__in=competences))
    profile.languages.set(Language.objects.filter(name__in=languages))
    return user


def referral(*, needs=(), languages=(), hours=None, urgency=Urgency.NORMAL, postcode=""):
    case = CaseFactory(status=CaseStatus.REFERRAL, urgency=urgency, postcode=postcode)
    case.needed_competences.set(Competence.objects.filter(name__in=needs))
    case.home_languages.set(Language.objects.filter(name__in=languages))
    if hours is not None:
        Order.objects.create(case=case, version=1, approved_hours_per_week=Decimal(hours))
    return case


def case_with(consultants, *, status=CaseStatus.ACTIVE, hours=()):
    """A case of ``consultants`` whose orders have ``hours`` as versions 1, 2, …"""
    extra: dict[str, object] = {}
    if status == CaseStatus.ACTIVE:
        extra["first_contact_at"] = timezone.now()
    if status == CaseStatus.ENDED:
        extra["first_contact_at"] = timezone.now()
        extra["ended_on"] = dt.date(2025, 1, 31)
    case = CaseFactory(status=status, consultants=consultants, **extra)
    for version, value in enumerate(hours, start=1):
        Order.objects.create(
            case=case,
            version=version,
            approved_hours_per_week=None if value is None else Decimal(value),
        )
    return case


def by_name(proposals):
    return {p.consultant.full_name: p for p in proposals}


def test_competence_beats_language():
    case = referral(needs=[FAMILY_THERAPY], languages=["Arabisk"])
    therapist = consultant("Anna Terapeut", competences=[FAMILY_THERAPY], languages=["Dansk"])
    speaker = consultant("Amal Sprog", languages=["Arabisk", "Dansk"])

    proposals = rank_consultants(case)

    assert [p.consultant for p in proposals] == [therapist, speaker]
    assert [p.rank for p in proposals] == [1, 2]
    first, second = proposals
    assert (first.competence_matches, first.competence_needed, first.language_match) == (
        1,
        1,
        False,
    )
    assert (second.competence_matches, second.competence_needed, second.language_match) == (
        0,
        1,
        True,
    )


def test_competence_share_beats_language_and_capacity():
    case = referral(needs=[FAMILY_THERAPY, TRAUMA], languages=["Arabisk"], hours="8")
    full_fit = consultant("Birgit Fuld", competences=[FAMILY_THERAPY, TRAUMA], capacity="2")
    half_fit = consultant("Bashir Halv", competences=[TRAUMA], languages=["Arabisk"])

    proposals = rank_consultants(case)

    assert [p.consultant for p in proposals] == [full_fit, half_fit]
    assert proposals[0].has_capacity is False
    assert proposals[1].has_capacity is True


def test_language_breaks_a_tie_in_competence():
    case = referral(needs=[FAMILY_THERAPY], languages=["Arabisk", "Somali"])
    # Alphabetically first, so only the language can put the other one ahead.
    consultant("Anne Andersen", competences=[FAMILY_THERAPY], languages=["Dansk"])
    speaker = consultant("Zainab Ziad", competences=[FAMILY_THERAPY], languages=["Somali"])

    proposals = rank_consultants(case)

    assert proposals[0].consultant == speaker
    assert proposals[0].language_match is True
    assert proposals[1].language_match is False


def test_no_home_language_is_no_language_match():
    case = referral(needs=[FAMILY_THERAPY])
    consultant("Carl Dansk", competences=[FAMILY_THERAPY], languages=["Dansk"])

    (proposal,) = rank_consultants(case)

    assert proposal.language_match is False


def test_no_needed_competences_counts_as_full_fit():
    case = referral(languages=["Arabisk"])
    consultant("Anders Uden", capacity="10")
    speaker = consultant("Ørn Arabisk", languages=["Arabisk"], capacity="10")

    proposals = rank_consultants(case)

    assert proposals[0].consultant == speaker
    assert [(p.competence_matches, p.competence_needed) for p in proposals] == [(0, 0), (0, 0)]


def test_free_hours_count_only_open_cases_and_the_latest_order():
    dorte = consultant("Dorte Delt", capacity="37")
    erik = consultant("Erik Delt", capacity="20")
    idle = consultant("Ida Ledig", capacity="30")

    case_with([dorte], status=CaseStatus.ACTIVE, hours=["10"])
    case_with([dorte, erik], status=CaseStatus.PAUSED, hours=["8"])  # 4 hours to each
    case_with([dorte], status=CaseStatus.ASSIGNED, hours=["30", "6"])  # version 2 counts
    case_with([dorte], status=CaseStatus.ENDED, hours=["20"])  # ended: nothing
    case_with([dorte], status=CaseStatus.REFERRAL, hours=["15"])  # not started: nothing
    case_with([dorte], status=CaseStatus.ACTIVE, hours=[None])  # no hours yet: nothing
    case_with([dorte], status=CaseStatus.ACTIVE)  # no order: nothing

    assert free_hours_by_consultant() == {
        dorte.pk: Decimal("17"),  # 37 - (10 + 4 + 6)
        erik.pk: Decimal("16"),  # 20 - 4
        idle.pk: Decimal("30"),
    }
    assert free_hours_by_consultant([erik.pk]) == {erik.pk: Decimal("16")}

    proposals = by_name(rank_consultants(referral(hours="16.5")))
    assert proposals["Dorte Delt"].free_hours == Decimal("17")
    assert proposals["Dorte Delt"].has_capacity is True
    assert proposals["Erik Delt"].free_hours == Decimal("16")
    assert proposals["Erik Delt"].has_capacity is False


def test_a_case_on_three_consultants_counts_a_third_to_each():
    trio = [consultant(name, capacity="10") for name in ("Fie", "Frank", "Frida")]
    case_with(trio, hours=["10"])

    assert free_hours_by_consultant() == {user.pk: Decimal("6.67") for user in trio}


def test_free_hours_may_be_negative():
    busy = consultant("Gitte Travl", capacity="10")
    case_with([busy], hours=["12.5"])

    assert free_hours_by_consultant() == {busy.pk: Decimal("-2.5")}
    (proposal,) = rank_consultants(referral())
    assert proposal.has_capacity is False


def test_capacity_uses_the_referrals_latest_order():
    consultant("Hans Halvtid", capacity="10")
    case = referral(hours="20")
    Order.objects.create(case=case, version=2, approved_hours_per_week=Decimal("8"))

    (proposal,) = rank_consultants(case)

    assert proposal.has_capacity is True


def test_without_approved_hours_any_free_hour_is_capacity():
    consultant("Inge Ingen", capacity="0")
    consultant("Jens Lidt", capacity="0.5")

    proposals = by_name(rank_consultants(referral()))

    assert proposals["Inge Ingen"].has_capacity is False
    assert proposals["Jens Lidt"].has_capacity is True
    assert [p.consultant.full_name for p in rank_consultants(referral())] == [
        "Jens Lidt",
        "Inge Ingen",
    ]


def test_more_free_hours_rank_higher_when_all_else_is_equal():
    consultant("Anders Lidt", capacity="10")
    roomy = consultant("Vera Meget", capacity="30")

    assert rank_consultants(referral(hours="5"))[0].consultant == roomy


@pytest.mark.parametrize("urgency", [Urgency.URGENT, Urgency.ACUTE])
def test_urgent_referrals_need_evenings_and_weekends(urgency):
    consultant("Anders Aften", evenings=True)  # evenings but not weekends
    consultant("Berit Dag")
    always = consultant("Ørjan Altid", evenings=True, weekends=True)

    proposals = rank_consultants(referral(urgency=urgency))

    assert proposals[0].consultant == always
    assert [p.availability_ok for p in proposals] == [True, False, False]


def test_normal_referrals_do_not_need_evenings_or_weekends():
    consultant("Berit Dag")
    consultant("Ørjan Altid", evenings=True, weekends=True)

    proposals = rank_consultants(referral(urgency=Urgency.NORMAL))

    assert [p.availability_ok for p in proposals] == [True, True]
    assert proposals[0].consultant.full_name == "Berit Dag"  # by name, nothing else differs


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [("2200", True), ("2400", True), ("2425", True), ("2450", True), ("2451", False), ("", False)],
)
def test_area_match_by_postcode_and_range(postcode, expected):
    consultant("Karen Nord", postcodes="2200, 2400-2450")

    (proposal,) = rank_consultants(referral(postcode=postcode))

    assert proposal.area_match is expected


def test_area_ranks_after_availability():
    local = consultant("Zenia Lokal", postcodes="8000-8270")
    consultant("Anders Fjern", postcodes="2200")

    assert rank_consultants(referral(postcode="8200"))[0].consultant == local


def test_reasons():
    case = referral(
        needs=[FAMILY_THERAPY, TRAUMA, NURSING],
        languages=["Arabisk"],
        hours="8",
        urgency=Urgency.URGENT,
        postcode="2200",
    )
    consultant(
        "Lene Match",
        competences=[FAMILY_THERAPY, TRAUMA],
        languages=["Arabisk", "Dansk"],
        capacity="12.5",
        evenings=True,
        weekends=True,
        postcodes="2200",
    )
    consultant("Mogens Mangler", languages=["Dansk"], capacity="3", postcodes="8000")

    with translation.override("en"):
        best, other = rank_consultants(case)

    assert best.reasons == [
        "Has 2 of 3 needed competences: Familieterapi, Traumebehandling",
        "Missing competence: Sygepleje",
        "Speaks Arabisk",
        "12.5 free hours per week (needs 8)",
        "Available evenings and weekends",
        "Works in the family's area (2200)",
    ]
    assert other.reasons == [
        "Has 0 of 3 needed competences",
        "Missing competences: Familieterapi, Sygepleje, Traumebehandling",
        "Speaks none of the family's languages",
        "Not enough free hours: 3 free, needs 8",
        "Not available evenings/weekends (the referral is urgent)",
        "Outside the family's area",
    ]


def test_reasons_without_needs_hours_or_postcode():
    consultant("Nina Ny", capacity="0")

    with translation.override("en"):
        (proposal,) = rank_consultants(referral())

    assert proposal.reasons == [
        "The referral names no needed competences",
        "No free hours: 0 free",
    ]


def test_reasons_are_given_in_the_default_language_too():
    consultant("Ole Tal", capacity="12.5")

    (proposal,) = rank_consultants(referral(needs=[NURSING], hours="8", postcode="2200"))

    assert len(proposal.reasons) == 4  # competences held, missing, hours, area
    assert all(isinstance(reason, str) and reason for reason in proposal.reasons)
    assert "12,5" in proposal.reasons[2]  # Danish decimal comma


def test_candidates_are_active_consultants_with_a_profile():
    team = TeamFactory(name="Familiebehandling Øst")
    other_team = TeamFactory(name="Familiebehandling Vest")
    mine = consultant("Pia Øst", team=team)
    theirs = consultant("Poul Vest", team=other_team)
    consultant("Per Stoppet", team=team, is_active=False)
    consultant("Petra Koordinator", team=team, role=Role.COORDINATOR)
    UserFactory(full_name="Preben Uden Profil", role=Role.CONSULTANT, team=team, with_mfa=False)
    case = referral()

    assert [p.consultant for p in rank_consultants(case)] == [mine, theirs]
    assert [p.consultant for p in rank_consultants(case, team=team)] == [mine]
    assert rank_consultants(case, team=TeamFactory(name="Tomt team")) == []


def test_top_proposal():
    case = referral(needs=[FAMILY_THERAPY])
    assert top_proposal(case) is None

    consultant("Anders Uden")
    therapist = consultant("Rikke Terapeut", competences=[FAMILY_THERAPY])

    assert top_proposal(case) == therapist


def _count_queries(case: Case) -> int:
    with CaptureQueriesContext(connection) as queries:
        proposals = rank_consultants(case)
        for proposal in proposals:  # everything a page would show
            assert proposal.consultant.full_name
            assert proposal.reasons
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_consultants():
    case = referral(needs=[FAMILY_THERAPY, TRAUMA], languages=["Arabisk"], hours="5")
    case = Case.objects.get(pk=case.pk)

    def add_consultant(name):
        user = consultant(
            name, competences=[FAMILY_THERAPY], languages=["Arabisk"], postcodes="2200"
        )
        case_with([user], hours=["4"])
        return user

    add_consultant("Søren 1")
    add_consultant("Søren 2")
    with_two = _count_queries(case)
    for n in range(3, 7):
        add_consultant(f"Søren {n}")
    with_six = _count_queries(case)

    assert len(rank_consultants(case)) == 6
    assert with_six == with_two
