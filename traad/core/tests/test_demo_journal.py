"""The demo journal (``traad.core.demo_journal``): goals with rating histories, signed notes,
drafts, amendments and samvær on the open demo cases, all through the journal services, and
added only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from traad.cases.models import Case, CaseStatus
from traad.journal.models import (
    DIMENSION_AREA,
    Amendment,
    ContactKind,
    EntryStatus,
    FocusArea,
    Goal,
    GoalRating,
    GoalStatus,
    JournalEntry,
    RaterRole,
    SessionStatus,
    VisitationSession,
)

pytestmark = pytest.mark.django_db

DANISH_WORDS = (" og ", " at ", " i ", " på ", " med ")


def journal_counts() -> dict[str, int]:
    return {
        "goals": Goal.objects.count(),
        "ratings": GoalRating.objects.count(),
        "entries": JournalEntry.objects.count(),
        "sessions": VisitationSession.objects.count(),
        "amendments": Amendment.objects.count(),
    }


def test_seed_demo_adds_a_realistic_journal_once(settings):
    settings.TRAAD_REQUIRE_MFA = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = journal_counts()

    assert_goals_and_ratings()
    assert_signed_entries()
    assert_drafts_and_amendments()
    assert_samvaer()
    assert_contact_in_the_last_week()
    assert_no_placeholder_text()

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert journal_counts() == first


def assert_goals_and_ratings() -> None:
    open_cases = Case.objects.filter(
        status__in=[CaseStatus.ASSIGNED, CaseStatus.ACTIVE, CaseStatus.PAUSED]
    )
    goals = Goal.objects.all()
    assert set(goals.values_list("focus_area", flat=True)) == set(FocusArea.values)
    for goal in goals.exclude(dimension=""):
        assert DIMENSION_AREA[goal.dimension] == goal.focus_area, goal.title
    for case in open_cases:
        assert 2 <= case.goals.count() <= 4, case.pk
    assert not Goal.objects.filter(case__status=CaseStatus.ENDED).exists()
    assert goals.filter(child__isnull=False).exists()
    assert goals.filter(child_perspective__startswith="»").exists()
    assert goals.filter(status=GoalStatus.REACHED).exists()
    dropped = goals.filter(status=GoalStatus.DROPPED)
    assert 1 <= dropped.count() <= 2
    assert all(goal.dropped_reason for goal in dropped)

    roles = set(GoalRating.objects.values_list("rater_role", flat=True))
    assert {RaterRole.CONSULTANT, RaterRole.PARENT, RaterRole.CHILD, RaterRole.COORDINATOR} <= roles
    today = timezone.localdate()
    assert not GoalRating.objects.filter(rated_on__gt=today).exists()
    started = goals.filter(
        case__status=CaseStatus.ACTIVE,
        case__first_contact_at__lte=(timezone.now() - dt.timedelta(days=120)),
    )
    for goal in started:
        ratings = list(goal.ratings.all())
        assert 3 <= len(ratings) <= 8, goal.title
        assert ratings[0].rated_on >= timezone.localtime(goal.case.first_contact_at).date()
        assert len({rating.rater_role for rating in ratings}) >= 2, goal.title


def assert_signed_entries() -> None:
    signed = JournalEntry.objects.filter(status=EntryStatus.SIGNED).select_related("case")
    assert signed.count() > 200
    assert not signed.filter(case__status__in=[CaseStatus.ENDED, CaseStatus.REFERRAL]).exists()
    kinds = set(signed.values_list("kind", flat=True))
    assert {
        ContactKind.HOME_VISIT,
        ContactKind.PHONE_VIDEO,
        ContactKind.NETWORK_MEETING,
        ContactKind.SCHOOL_MEETING,
        ContactKind.CASEWORKER_MEETING,
    } <= kinds
    home = signed.filter(kind=ContactKind.HOME_VISIT).count()
    assert home > signed.count() / 3  # mostly home visits
    today = timezone.localdate()
    for entry in signed.prefetch_related("goals", "case__consultants"):
        assert entry.description.strip() and entry.reflections.strip(), entry.pk
        assert entry.participants.strip(), entry.pk
        assert any(word in entry.description for word in DANISH_WORDS), entry.description
        assert entry.signed_at is not None
        assert entry.date is not None and entry.date <= today
        minutes = entry.duration_minutes
        assert minutes is not None and 30 <= minutes <= 150, entry.pk
        assert entry.focus_areas or entry.goals.exists()
        assert all(goal.case_id == entry.case_id for goal in entry.goals.all())
        on_case = entry.author in entry.case.consultants.all()
        assert on_case or entry.author_id == entry.case.coordinator_id
    per_case: dict[int, int] = {}
    for case_id in signed.values_list("case_id", flat=True):
        per_case[case_id] = per_case.get(case_id, 0) + 1
    assert max(per_case.values()) <= 32
    # Coordinators write some notes (meetings with the caseworker); evenings and weekends too.
    assert signed.filter(kind=ContactKind.CASEWORKER_MEETING, author__role="coordinator").exists()
    assert signed.filter(start_time__hour__gte=17).exists()
    assert signed.filter(date__week_day__in=[1, 7]).exists()  # Sunday, Saturday
    assert signed.exclude(concern_change="").filter(concern_note="").count() == 0


def assert_drafts_and_amendments() -> None:
    drafts = JournalEntry.objects.filter(status=EntryStatus.DRAFT)
    assert drafts.filter(author__email="konsulent@traad.example").exists()
    assert drafts.count() <= 2
    assert not drafts.filter(signed_at__isnull=False).exists()
    amendments = Amendment.objects.all()
    assert amendments.filter(entry__isnull=False).count() >= 2
    for amendment in amendments.select_related("entry", "session"):
        target = amendment.entry or amendment.session
        assert target.signed_at is not None
        assert amendment.text.strip()


def assert_samvaer() -> None:
    sessions = VisitationSession.objects.select_related("case__intervention_type")
    assert all("samvær" in s.case.intervention_type.name.lower() for s in sessions)
    statuses = set(sessions.values_list("status", flat=True))
    assert statuses == {SessionStatus.HELD, SessionStatus.CANCELLED, SessionStatus.PLANNED}
    now = timezone.now()
    for session in sessions:
        if session.status == SessionStatus.PLANNED:
            assert session.signed_at is None and session.starts_at > now
        else:
            assert session.signed_at is not None and session.starts_at < now
        if session.status == SessionStatus.HELD:
            assert session.what_happened and session.observations and session.assessment
        if session.status == SessionStatus.CANCELLED:
            assert session.cancel_reason and session.cancel_note
    held = sessions.filter(status=SessionStatus.HELD).count()
    assert held > sessions.filter(status=SessionStatus.CANCELLED).count()
    assert Amendment.objects.filter(session__isnull=False).exists()
    assert Case.objects.filter(visitation_report_delivery="collected").exists()


def assert_contact_in_the_last_week() -> None:
    week_ago = timezone.localdate() - dt.timedelta(days=7)
    active = Case.objects.filter(status=CaseStatus.ACTIVE)
    recent = Q(journal_entries__status=EntryStatus.SIGNED, journal_entries__date__gt=week_ago)
    with_contact = active.filter(recent).distinct().count()
    assert with_contact < active.count()  # the no-contact flag has something to show
    assert with_contact >= active.count() * 0.75  # but most cases were visited


def assert_no_placeholder_text() -> None:
    texts: list[str] = []
    for entry in JournalEntry.objects.all():
        texts += [entry.description, entry.reflections, entry.participants, entry.concern_note]
    for goal in Goal.objects.all():
        texts += [goal.title, goal.description, goal.child_perspective, goal.dropped_reason]
    for session in VisitationSession.objects.all():
        texts += [session.what_happened, session.observations, session.assessment]
        texts += [session.cancel_note, session.place, session.participants]
    texts += list(GoalRating.objects.values_list("comment", flat=True))
    texts += list(Amendment.objects.values_list("text", flat=True))
    for text in texts:
        assert "lorem" not in text.lower(), text
        assert "{" not in text and "}" not in text, text  # every template placeholder filled
        assert ".." not in text, text
