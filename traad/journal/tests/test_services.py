"""The journal's rules at the service layer: the template, drafts, signing, amendments, goals,
samvær, search on both databases and the no-contact flag."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation

from traad.audit.models import AuditEvent
from traad.cases.models import CaseStatus, InterventionType
from traad.cases.selectors import CaseFilters, case_list_for
from traad.factories import CaseFactory
from traad.journal import services
from traad.journal.models import (
    ContactKind,
    Dimension,
    EntryStatus,
    FocusArea,
    GoalStatus,
    JournalEntry,
    RaterRole,
    SessionStatus,
)
from traad.journal.selectors import (
    JournalFilters,
    delivered_hours,
    goals_overview,
    journal_for,
    search_own_journal,
    unsigned_drafts_for,
)

pytestmark = pytest.mark.django_db

COMPLETE = {
    "date": dt.date(2026, 11, 20),
    "start_time": dt.time(17, 0),
    "end_time": dt.time(18, 30),
    "kind": ContactKind.HOME_VISIT,
    "participants": "Mor, Emma (9 år), familiekonsulent",
    "focus_areas": [FocusArea.PARENTING],
    "description": "Besøget foregik i hjemmet. Mor havde lavet aftensmad med børnene.",
    "reflections": "Mor viser større overblik end ved sidste besøg.",
}


@pytest.fixture
def case(world):
    return world.case


@pytest.fixture
def goal(world, case):
    return services.create_goal(
        case,
        by=world.consultant,
        title="Emma kommer i skole hver dag",
        focus_area=FocusArea.CHILD_DEVELOPMENT,
        dimension=Dimension.SCHOOL,
        child_perspective="Jeg vil gerne være sammen med mine venner i skolen.",
    )


def signed_entry(world, case, **fields):
    entry = services.start_draft(case, by=world.consultant)
    services.save_draft(entry, by=world.consultant, fields={**COMPLETE, **fields})
    return services.sign_entry(entry, by=world.consultant)


# --- the template ---------------------------------------------------------------------------


def test_signing_checks_every_required_field_in_danish(world, case):
    entry = services.start_draft(case, by=world.consultant)
    services.save_draft(entry, by=world.consultant, fields={"date": None})
    with pytest.raises(ValidationError) as error:
        services.sign_entry(entry, by=world.consultant)
    assert set(error.value.message_dict) == {
        "date",
        "start_time",
        "end_time",
        "kind",
        "participants",
        "description",
        "reflections",
        "goals",
    }
    assert error.value.message_dict["description"] == ["Beskriv konkret, hvad der skete."]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT
    assert not AuditEvent.objects.filter(action="journal.signed").exists()


def test_end_before_start_is_refused(world, case):
    entry = services.start_draft(case, by=world.consultant)
    services.save_draft(
        entry,
        by=world.consultant,
        fields={**COMPLETE, "start_time": dt.time(18, 0), "end_time": dt.time(17, 0)},
    )
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.sign_entry(entry, by=world.consultant)
    assert error.value.message_dict == {"end_time": ["The end must be after the start."]}


def test_duration_is_computed(world, case):
    entry = signed_entry(world, case)
    assert entry.duration_minutes == 90


def test_concern_change_needs_a_note(world, case):
    entry = services.start_draft(case, by=world.consultant)
    services.save_draft(entry, by=world.consultant, fields={**COMPLETE, "concern_change": "higher"})
    with pytest.raises(ValidationError) as error:
        services.sign_entry(entry, by=world.consultant)
    assert list(error.value.message_dict) == ["concern_note"]


# --- drafts ---------------------------------------------------------------------------------


def test_autosave_keeps_incomplete_text_and_guards_against_stale_copies(world, case):
    entry = services.start_draft(case, by=world.consultant)
    assert entry.revision == 0
    entry = services.save_draft(
        entry, by=world.consultant, fields={"description": "Halvt skrevet"}, revision=0
    )
    assert entry.revision == 1
    entry = services.save_draft(
        entry, by=world.consultant, fields={"description": "Halvt skrevet, nu mere"}, revision=1
    )
    with pytest.raises(services.StaleDraftError):
        services.save_draft(
            entry, by=world.consultant, fields={"description": "Gammel kopi"}, revision=1
        )
    entry.refresh_from_db()
    assert entry.description == "Halvt skrevet, nu mere"
    assert list(unsigned_drafts_for(world.consultant)) == [entry]
    saved = AuditEvent.objects.filter(action="journal.draft_saved", case_id=case.pk)
    assert saved.count() == 2
    assert "Halvt" not in str(saved.first().changes)  # the log keeps who and when, not the text


def test_only_the_author_edits_a_draft(world, case):
    entry = services.start_draft(case, by=world.consultant)
    with pytest.raises(PermissionDenied):
        services.save_draft(entry, by=world.coordinator, fields={"description": "x"})
    with pytest.raises(PermissionDenied):
        services.sign_entry(entry, by=world.coordinator)


def test_signed_entry_refuses_edits_through_the_service(world, case):
    entry = signed_entry(world, case)
    with pytest.raises(PermissionDenied):
        services.save_draft(entry, by=world.consultant, fields={"description": "Ændret"})
    with pytest.raises(PermissionDenied):
        services.sign_entry(entry, by=world.consultant)
    with pytest.raises(PermissionDenied):
        services.discard_draft(entry, by=world.consultant)
    entry.refresh_from_db()
    assert entry.description == COMPLETE["description"]
    assert entry.status == EntryStatus.SIGNED


def test_amendment_is_kept_beside_the_original(world, case):
    entry = signed_entry(world, case)
    amendment = services.amend(entry, by=world.coordinator, text="Rettelse: det var far, ikke mor.")
    entry.refresh_from_db()
    assert entry.description == COMPLETE["description"]
    assert list(entry.amendments.values_list("text", "author")) == [
        ("Rettelse: det var far, ikke mor.", world.coordinator.pk)
    ]
    assert amendment.created_at is not None
    event = AuditEvent.objects.get(action="journal.amended")
    assert (event.actor, event.case_id, event.object_id) == (
        world.coordinator,
        case.pk,
        str(entry.pk),
    )
    draft = services.start_draft(case, by=world.consultant)
    with pytest.raises(ValidationError):
        services.amend(draft, by=world.consultant, text="x")


def test_discarding_a_draft(world, case):
    entry = services.start_draft(case, by=world.consultant)
    services.discard_draft(entry, by=world.consultant)
    assert not JournalEntry.objects.exists()
    assert AuditEvent.objects.filter(action="journal.draft_discarded").count() == 1


# --- access ---------------------------------------------------------------------------------


WRITERS = {"consultant", "coordinator", "leader"}


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
def test_who_may_write_in_the_journal(world, case, persona):
    user = world.personas()[persona]
    if persona in WRITERS:
        entry = services.start_draft(case, by=user)
        assert AuditEvent.objects.filter(action="journal.draft_started", actor=user).count() == 1
        assert entry.author == user
    else:
        with pytest.raises(PermissionDenied):
            services.start_draft(case, by=user)
        with pytest.raises(PermissionDenied):
            services.create_goal(case, by=user, title="x", focus_area=FocusArea.PARENTING)


def test_nothing_is_written_on_an_ended_case(world):
    ended = CaseFactory(
        status=CaseStatus.ENDED,
        team=world.team,
        coordinator=world.coordinator,
        consultants=[world.consultant],
    )
    with pytest.raises(PermissionDenied):
        services.start_draft(ended, by=world.consultant)


def test_others_see_signed_entries_but_not_drafts(world, case):
    signed = signed_entry(world, case)
    draft = services.start_draft(case, by=world.consultant)
    assert list(journal_for(world.coordinator, case)) == [signed]
    assert set(journal_for(world.consultant, case)) == {signed, draft}


# --- goals ----------------------------------------------------------------------------------


def test_goal_ratings_and_trend(world, case, goal):
    services.rate_goal(
        goal,
        by=world.consultant,
        score=3,
        rater_role=RaterRole.CONSULTANT,
        rated_on=dt.date(2026, 9, 1),
    )
    services.rate_goal(
        goal,
        by=world.consultant,
        score=6,
        rater_role=RaterRole.PARENT,
        rater_name="Mor",
        rated_on=dt.date(2026, 10, 1),
        comment="Emma er kommet hver dag.",
    )
    summary = goals_overview(case)[0]
    assert (summary.latest.score, summary.previous.score, summary.trend) == (6, 3, 3)
    assert AuditEvent.objects.filter(action="goal.rated", case_id=case.pk).count() == 2


@pytest.mark.parametrize("score", [-1, 11])
def test_score_outside_0_to_10_is_refused(world, goal, score):
    with pytest.raises(ValidationError):
        services.rate_goal(goal, by=world.consultant, score=score, rater_role=RaterRole.CHILD)


def test_dimension_must_belong_to_the_focus_area(world, case):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.create_goal(
            case,
            by=world.consultant,
            title="x",
            focus_area=FocusArea.PARENTING,
            dimension=Dimension.SCHOOL,
        )
    assert error.value.message_dict == {
        "dimension": ["The dimension must belong to the chosen focus area."]
    }


def test_goal_states(world, goal):
    with pytest.raises(ValidationError):
        services.set_goal_status(goal, by=world.coordinator, status=GoalStatus.DROPPED)
    services.set_goal_status(
        goal, by=world.coordinator, status=GoalStatus.DROPPED, reason="Kommunen har ændret planen"
    )
    assert goal.status == GoalStatus.DROPPED
    with pytest.raises(ValidationError):
        services.rate_goal(goal, by=world.consultant, score=5, rater_role=RaterRole.CONSULTANT)
    services.set_goal_status(goal, by=world.coordinator, status=GoalStatus.REACHED)
    assert goal.dropped_reason == ""


# --- search ---------------------------------------------------------------------------------


def test_search_within_a_case_and_across_own_cases(world, case):
    hit = signed_entry(world, case, description="Vi talte om skolegang og lektier.")
    signed_entry(world, case, description="Far var med til netværksmødet.")
    other_case = CaseFactory(team=world.other_team, consultants=[world.outsider_consultant])
    services.start_draft(other_case, by=world.outsider_consultant)
    found = journal_for(world.consultant, case, JournalFilters(query="skolegang lektier"))
    assert list(found) == [hit]
    assert list(search_own_journal(world.consultant, "skolegang")) == [hit]
    assert list(search_own_journal(world.outsider_consultant, "skolegang")) == []
    assert list(search_own_journal(world.caseworker, "skolegang")) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Danish stemming on PostgreSQL")
def test_postgres_search_uses_danish_stemming(world, case):
    hit = signed_entry(world, case, description="Besøgene i hjemmet går bedre.")
    assert list(journal_for(world.consultant, case, JournalFilters(query="besøg"))) == [hit]


# --- delivered hours and no contact ---------------------------------------------------------


def test_delivered_hours_per_week_against_the_order(world, case):
    from decimal import Decimal

    from traad.cases.models import Order

    Order.objects.create(case=case, version=1, approved_hours_per_week=Decimal("4"))
    today = dt.date(2026, 11, 23)
    for day in (dt.date(2026, 11, 2), dt.date(2026, 11, 9), dt.date(2026, 11, 16)):
        signed_entry(world, case, date=day, start_time=dt.time(9), end_time=dt.time(13))
    signed_entry(world, case, date=dt.date(2026, 10, 1))  # older than four weeks
    hours = delivered_hours(case, today=today)
    assert hours.delivered_per_week == Decimal("3.0")  # 12 hours over 4 weeks
    assert hours.approved_per_week == Decimal("4.0")
    assert hours.share == 75


def test_no_contact_flag_with_frozen_time(world, settings):
    settings.TRAAD_NO_CONTACT_DAYS = 7
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC), tick=False):
        quiet = CaseFactory(
            team=world.team,
            coordinator=world.coordinator,
            consultants=[world.consultant],
            first_contact_at=timezone.now() - dt.timedelta(days=10),
        )
        busy = CaseFactory(
            team=world.team,
            coordinator=world.coordinator,
            consultants=[world.consultant],
            first_contact_at=timezone.now() - dt.timedelta(days=30),
        )
        signed_entry(world, busy, date=dt.date(2026, 11, 17))  # six days ago
        edge = CaseFactory(
            team=world.team,
            coordinator=world.coordinator,
            consultants=[world.consultant],
            first_contact_at=timezone.now() - dt.timedelta(days=30),
        )
        signed_entry(world, edge, date=dt.date(2026, 11, 16))  # exactly seven days ago
        stale = CaseFactory(
            team=world.team,
            coordinator=world.coordinator,
            consultants=[world.consultant],
            first_contact_at=timezone.now() - dt.timedelta(days=30),
        )
        signed_entry(world, stale, date=dt.date(2026, 11, 15))  # eight days ago
        services.start_draft(stale, by=world.consultant)  # drafts do not count
        flags = {c.pk: c.no_contact for c in case_list_for(world.coordinator)}
        flagged = set(case_list_for(world.coordinator, CaseFilters(no_contact=True)))
    assert flags[quiet.pk] is True
    assert flags[busy.pk] is False
    assert flags[edge.pk] is False
    assert flags[stale.pk] is True
    assert flagged == {quiet, stale}


# --- samvær ---------------------------------------------------------------------------------


@pytest.fixture
def samvaer_case(world):
    return CaseFactory(
        team=world.team,
        coordinator=world.coordinator,
        consultants=[world.consultant],
        intervention_type=InterventionType.objects.get(name="Overvåget samvær"),
    )


def test_samvaer_session_report_sign_and_amend(world, samvaer_case):
    start = timezone.now() - dt.timedelta(days=2)
    session = services.plan_session(
        samvaer_case,
        by=world.consultant,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="Familiehuset",
        participants="Far, Emma",
    )
    assert session.status == SessionStatus.PLANNED
    with pytest.raises(ValidationError):
        services.sign_session(session, by=world.consultant)
    services.save_session_report(
        session,
        by=world.consultant,
        fields={"status": SessionStatus.HELD, "what_happened": "Far og Emma spillede spil."},
    )
    with pytest.raises(ValidationError) as error:
        services.sign_session(session, by=world.consultant)
    assert set(error.value.message_dict) == {"observations", "assessment"}
    services.save_session_report(
        session,
        by=world.consultant,
        fields={
            "observations": "Far var lydhør over for Emma.",
            "assessment": "Samværet var trygt.",
        },
    )
    session = services.sign_session(session, by=world.consultant)
    with pytest.raises(ValidationError):
        services.save_session_report(session, by=world.consultant, fields={"assessment": "Ændret"})
    session.refresh_from_db()
    assert session.assessment == "Samværet var trygt."
    services.amend(session, by=world.coordinator, text="Tilføjelse fra koordinator.")
    actions = list(
        AuditEvent.objects.filter(case_id=samvaer_case.pk).values_list("action", flat=True)
    )
    assert {"samvaer.planned", "samvaer.report_saved", "samvaer.signed", "samvaer.amended"} <= set(
        actions
    )


def test_cancelled_session_needs_a_reason(world, samvaer_case):
    start = timezone.now() - dt.timedelta(days=1)
    session = services.plan_session(
        samvaer_case, by=world.consultant, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        services.save_session_report(
            session, by=world.consultant, fields={"status": SessionStatus.CANCELLED}
        )
    services.save_session_report(
        session,
        by=world.consultant,
        fields={"status": SessionStatus.CANCELLED, "cancel_reason": "child_ill"},
    )
    assert services.sign_session(session, by=world.consultant).signed_at is not None


def test_samvaer_only_on_samvaer_cases(world, case):
    start = timezone.now()
    with pytest.raises(ValidationError):
        services.plan_session(
            case, by=world.consultant, starts_at=start, ends_at=start + dt.timedelta(hours=1)
        )


def test_case_timeline_leaves_out_reads_and_private_drafts(world, case):
    from traad.audit.services import record_event
    from traad.cases.selectors import case_timeline

    draft = services.start_draft(case, by=world.consultant)
    services.save_draft(draft, by=world.consultant, fields={"description": "kladde"})
    record_event(actor=world.coordinator, action="goals.viewed", obj=case, case_id=case.pk)
    record_event(actor=world.coordinator, action="journal.listed", obj=case, case_id=case.pk)
    entry = signed_entry(world, case)
    services.amend(entry, by=world.coordinator, text="Tilføjelse")
    assert list(case_timeline(case).values_list("action", flat=True)) == [
        "journal.amended",
        "journal.signed",
    ]


def test_samvaer_follows_the_intervention_types_flag_not_its_name(world):
    from traad.cases.models import InterventionType

    renamed = InterventionType.objects.create(
        name="Samværsstøtte i weekender",
        legal_basis="Barnets lov § 104, stk. 3",
        is_visitation=True,
    )
    named_like_it = InterventionType.objects.create(
        name="Familiebehandling efter samvær", legal_basis="Barnets lov § 32, stk. 1, nr. 5"
    )
    start = timezone.now()
    yes = CaseFactory(team=world.team, consultants=[world.consultant], intervention_type=renamed)
    services.plan_session(
        yes, by=world.consultant, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    no = CaseFactory(
        team=world.team, consultants=[world.consultant], intervention_type=named_like_it
    )
    with pytest.raises(ValidationError):
        services.plan_session(
            no, by=world.consultant, starts_at=start, ends_at=start + dt.timedelta(hours=1)
        )
