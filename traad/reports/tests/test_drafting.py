"""What a new report starts from (``drafting`` through ``services.start_report``): the goals per
ICS side with their scores and trend, the journal excerpts staff may pick, the Signs of Safety
overview from the latest map, the child's own words, the default period and the page estimate.
The case is built directly in the database, with dates before, in and after the period."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from traad.audit.models import AuditEvent
from traad.cases.models import Case, CaseStatus, PersonRole, Relation
from traad.cases.services import add_person_to_case
from traad.factories import CaseFactory
from traad.journal.models import (
    EntryStatus,
    FocusArea,
    Goal,
    GoalRating,
    GoalStatus,
    JournalEntry,
    RaterRole,
)
from traad.reports import drafting, services
from traad.reports.models import Report, ReportKind, ReportState
from traad.safety.models import (
    DangerPair,
    FollowUpMeeting,
    MapItem,
    MapPart,
    ParticipantRole,
    ScaleRating,
    ThreeHouses,
)

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 9, 20, 12, 0, tzinfo=CPH)
TODAY = NOW.date()
STARTED = dt.datetime(2026, 3, 1, 10, 0, tzinfo=CPH)
LAST_PERIOD_END = dt.date(2026, 6, 30)
PERIOD_START = dt.date(2026, 7, 1)  # the day after the last sent report's period
DUE = dt.date(2026, 9, 30)
BEFORE = dt.date(2026, 6, 15)
IN = dt.date(2026, 8, 10)

HARM = "Emma kom sulten i skole."
COMPLICATING = "Mor er alene med tre børn."
STRENGTH = "Mor elsker Emma og vil gerne have hjælp."
SAFETY = "Mormor henter Emma i SFO hver dag."
DANGER = "Vi er bekymrede for, at Emma ikke får mad nok."
SAFETY_GOAL = "Emma får morgenmad hver dag i tre måneder."
NEXT_STEP = "Lave en madplan med mor"
OLD_STRENGTH = "Gammel styrke fra første møde."
HOUSE_WORRIES = "Når mor er ked af det"
HOUSE_GOOD = "Mormor og fodbold"
HOUSE_DREAMS = "En hund"
OLD_DREAM = "Et gammelt ønske om en kat"
GOAL_WISH = "Jeg vil gerne have en ven i klassen"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=CPH)


def make_goal(case: Case, by: Any, title: str, side: str, **fields: Any) -> Goal:
    return Goal.objects.create(case=case, title=title, focus_area=side, created_by=by, **fields)


def rate(goal: Goal, by: Any, day: dt.date, score: int) -> None:
    GoalRating.objects.create(
        goal=goal, rated_on=day, score=score, rater_role=RaterRole.CONSULTANT, created_by=by
    )


def note(case: Case, by: Any, day: dt.date, goals: list[Goal], *, signed: bool = True) -> Any:
    entry = JournalEntry.objects.create(
        case=case,
        author=by,
        date=day,
        status=EntryStatus.SIGNED if signed else EntryStatus.DRAFT,
        signed_at=at(day) if signed else None,
        description=f"Besøg {day:%d.%m}.",
    )
    entry.goals.set(goals)
    return entry


class Built:
    """The case and the things made for it, by name."""

    def __init__(self, **things: Any) -> None:
        self.__dict__.update(things)


@pytest.fixture
def built(world) -> Built:
    case, by, consultant = world.case, world.coordinator, world.consultant
    Case.objects.filter(pk=case.pk).update(
        received_at=STARTED - dt.timedelta(days=2), first_contact_at=STARTED
    )
    case.refresh_from_db()

    # The last report the caseworker read covered the case until 30 June.
    Report.objects.create(
        case=case,
        kind=ReportKind.STATUS,
        deadline_number=1,
        due_on=dt.date(2026, 6, 1),
        period_start=STARTED.date(),
        period_end=LAST_PERIOD_END,
        state=ReportState.SENT,
        sent_at=at(dt.date(2026, 5, 28)),
        created_by=by,
    )

    # Goals on each ICS side, rated before and within the period.
    child_goal = make_goal(
        case,
        by,
        "Emma kommer i skole hver dag",
        FocusArea.CHILD_DEVELOPMENT,
        child_perspective=GOAL_WISH,
    )
    rate(child_goal, consultant, dt.date(2026, 5, 1), 2)
    rate(child_goal, consultant, BEFORE, 3)
    rate(child_goal, consultant, IN, 5)
    rate(child_goal, consultant, dt.date(2026, 9, 1), 6)
    parent_goal = make_goal(case, by, "Mor laver mad hver dag", FocusArea.PARENTING)
    rate(parent_goal, consultant, BEFORE, 7)
    rate(parent_goal, consultant, IN, 4)
    family_goal = make_goal(case, by, "Familien har et netværk", FocusArea.FAMILY_NETWORK)
    new_goal = make_goal(case, by, "Emma går til fodbold", FocusArea.CHILD_DEVELOPMENT)
    rate(new_goal, consultant, IN, 4)
    reached_in = make_goal(
        case,
        by,
        "Emma sover i egen seng",
        FocusArea.CHILD_DEVELOPMENT,
        status=GoalStatus.REACHED,
        status_changed_at=at(dt.date(2026, 8, 15)),
    )
    rate(reached_in, consultant, BEFORE, 8)
    dropped_in = make_goal(
        case,
        by,
        "Far deltager i møderne",
        FocusArea.PARENTING,
        status=GoalStatus.DROPPED,
        dropped_reason="Far er flyttet.",
        status_changed_at=at(dt.date(2026, 7, 1)),
    )
    reached_before = make_goal(
        case,
        by,
        "Familien har fået bolig",
        FocusArea.FAMILY_NETWORK,
        status=GoalStatus.REACHED,
        status_changed_at=at(LAST_PERIOD_END),
    )
    dropped_before = make_goal(
        case,
        by,
        "Mor tager på kursus",
        FocusArea.PARENTING,
        status=GoalStatus.DROPPED,
        dropped_reason="Ikke relevant.",
        status_changed_at=at(BEFORE),
    )

    # Journal notes: signed and draft, in and out of the period, about different goals.
    signed_in = note(case, consultant, IN, [child_goal])
    signed_in_too = note(case, consultant, dt.date(2026, 9, 1), [child_goal, parent_goal])
    draft_in = note(case, consultant, dt.date(2026, 8, 11), [child_goal], signed=False)
    signed_before = note(case, consultant, BEFORE, [child_goal])
    signed_first_day = note(case, consultant, PERIOD_START, [child_goal])
    parent_note = note(case, consultant, dt.date(2026, 8, 12), [parent_goal])

    # An older meeting, and the latest one with every part of the map, a pair and its scale.
    old_meeting = FollowUpMeeting.objects.create(
        case=case, held_on=dt.date(2026, 4, 1), created_by=by
    )
    MapItem.objects.create(meeting=old_meeting, part=MapPart.STRENGTHS, text=OLD_STRENGTH)
    meeting = FollowUpMeeting.objects.create(
        case=case, held_on=dt.date(2026, 9, 1), created_by=by, previous=old_meeting
    )
    for part, text in (
        (MapPart.HARM, HARM),
        (MapPart.COMPLICATING, COMPLICATING),
        (MapPart.STRENGTHS, STRENGTH),
        (MapPart.SAFETY, SAFETY),
    ):
        MapItem.objects.create(meeting=meeting, part=part, text=text)
    MapItem.objects.create(
        meeting=meeting,
        part=MapPart.NEXT_STEP,
        text=NEXT_STEP,
        owner=consultant,
        due_on=dt.date(2026, 10, 1),
    )
    pair = DangerPair.objects.create(
        meeting=meeting, danger_statement=DANGER, safety_goal=SAFETY_GOAL
    )
    for role, score in ((ParticipantRole.MOTHER, 4), (ParticipantRole.CONSULTANT, 5)):
        ScaleRating.objects.create(
            case=case,
            thread=pair.thread,
            meeting=meeting,
            rated_on=meeting.held_on,
            participant_role=role,
            score=score,
            created_by=by,
        )

    # The child's voice: Three Houses before and in the period.
    membership, _linked = add_person_to_case(
        case,
        by=by,
        name="Emma Jensen",
        cpr="0503164321",
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    child = membership.person
    ThreeHouses.objects.create(
        case=case, child=child, spoken_on=BEFORE, spoken_by=consultant, dreams=OLD_DREAM
    )
    ThreeHouses.objects.create(
        case=case,
        child=child,
        spoken_on=dt.date(2026, 8, 20),
        spoken_by=consultant,
        worries=HOUSE_WORRIES,
        good_things=HOUSE_GOOD,
        dreams=HOUSE_DREAMS,
    )
    return Built(
        case=case,
        child_goal=child_goal,
        parent_goal=parent_goal,
        family_goal=family_goal,
        new_goal=new_goal,
        reached_in=reached_in,
        dropped_in=dropped_in,
        reached_before=reached_before,
        dropped_before=dropped_before,
        signed_in=signed_in,
        signed_in_too=signed_in_too,
        draft_in=draft_in,
        signed_before=signed_before,
        signed_first_day=signed_first_day,
        parent_note=parent_note,
        meeting=meeting,
        old_meeting=old_meeting,
        pair=pair,
        child=child,
    )


def start(world, built: Built, **kwargs: Any) -> Report:
    options: dict[str, Any] = {
        "kind": ReportKind.STATUS,
        "deadline_number": 2,
        "due_on": DUE,
        **kwargs,
    }
    return services.start_report(built.case, by=world.coordinator, **options)


# --- Goals ----------------------------------------------------------------------------------


def test_the_draft_has_each_goal_with_its_score_then_and_before_the_period(world, built):
    report = start(world, built)
    assert (report.period_start, report.period_end) == (PERIOD_START, TODAY)
    sections = {s.goal: s for s in report.goal_sections.all()}
    assert set(sections) == {
        built.child_goal,
        built.parent_goal,
        built.family_goal,
        built.new_goal,
        built.reached_in,
        built.dropped_in,
    }
    rows = {
        goal.title: (s.focus_area, s.title, s.score, s.previous_score, s.trend)
        for goal, s in sections.items()
    }
    assert rows == {
        "Emma kommer i skole hver dag": (
            FocusArea.CHILD_DEVELOPMENT,
            "Emma kommer i skole hver dag",
            6,
            3,
            3,
        ),
        "Mor laver mad hver dag": (FocusArea.PARENTING, "Mor laver mad hver dag", 4, 7, -3),
        "Familien har et netværk": (
            FocusArea.FAMILY_NETWORK,
            "Familien har et netværk",
            None,
            None,
            None,
        ),
        "Emma går til fodbold": (
            FocusArea.CHILD_DEVELOPMENT,
            "Emma går til fodbold",
            4,
            None,
            None,
        ),
        "Emma sover i egen seng": (
            FocusArea.CHILD_DEVELOPMENT,
            "Emma sover i egen seng",
            8,
            8,
            0,
        ),
        "Far deltager i møderne": (FocusArea.PARENTING, "Far deltager i møderne", None, None, None),
    }
    assert all(s.text == "" and not s.excerpts.exists() for s in sections.values())
    # Grouped in the order of ICS for the page and the documents, every side present.
    grouped = drafting.goals_by_side(report.goal_sections.all())
    assert [(side, [s.title for s in items]) for side, _label, items in grouped] == [
        (
            FocusArea.CHILD_DEVELOPMENT,
            ["Emma kommer i skole hver dag", "Emma går til fodbold", "Emma sover i egen seng"],
        ),
        (FocusArea.PARENTING, ["Mor laver mad hver dag", "Far deltager i møderne"]),
        (FocusArea.FAMILY_NETWORK, ["Familien har et netværk"]),
    ]


def test_the_score_is_the_one_at_the_end_of_a_chosen_period(world, built):
    report = start(world, built, period_end=dt.date(2026, 8, 31))
    section = report.goal_sections.get(goal=built.child_goal)
    assert (section.score, section.previous_score, section.trend) == (5, 3, 2)


def test_an_empty_side_is_kept(world, built):
    Goal.objects.filter(focus_area=FocusArea.FAMILY_NETWORK).delete()
    report = start(world, built)
    grouped = drafting.goals_by_side(report.goal_sections.all())
    assert [(side, len(items)) for side, _label, items in grouped] == [
        (FocusArea.CHILD_DEVELOPMENT, 3),
        (FocusArea.PARENTING, 2),
        (FocusArea.FAMILY_NETWORK, 0),
    ]


# --- Journal excerpts -----------------------------------------------------------------------


def test_excerpt_candidates_are_the_signed_notes_of_the_period_about_the_goal(world, built):
    candidates = drafting.excerpt_candidates(built.child_goal, PERIOD_START, TODAY)
    assert list(candidates) == [built.signed_first_day, built.signed_in, built.signed_in_too]
    assert list(drafting.excerpt_candidates(built.parent_goal, PERIOD_START, TODAY)) == [
        built.parent_note,
        built.signed_in_too,
    ]
    assert list(drafting.excerpt_candidates(built.family_goal, PERIOD_START, TODAY)) == []


def test_a_report_quotes_only_candidate_notes(world, built):
    report = start(world, built)
    section = report.goal_sections.get(goal=built.child_goal)
    report = services.save_report(
        report,
        by=world.coordinator,
        revision=report.revision,
        fields={},
        excerpts={section.pk: [built.signed_in.pk, built.signed_in_too.pk]},
    )
    assert set(section.excerpts.all()) == {built.signed_in, built.signed_in_too}
    revision = report.revision
    saved = AuditEvent.objects.filter(action="report.saved").count()

    for wrong in (built.draft_in, built.signed_before, built.parent_note):
        with pytest.raises(ValidationError):
            services.save_report(
                report,
                by=world.coordinator,
                revision=revision,
                fields={"assessment": "Skal ikke gemmes."},
                excerpts={section.pk: [built.signed_in.pk, wrong.pk]},
            )
    report.refresh_from_db()
    assert (report.revision, report.assessment) == (revision, "")
    assert set(section.excerpts.all()) == {built.signed_in, built.signed_in_too}
    assert AuditEvent.objects.filter(action="report.saved").count() == saved

    # A goal section of another report is not this report's to fill.
    other = services.start_report(
        built.case, by=world.coordinator, kind=ReportKind.ADHOC, period_start=PERIOD_START
    )
    other_section = other.goal_sections.get(goal=built.child_goal)
    with pytest.raises(ValidationError):
        services.save_report(
            report,
            by=world.coordinator,
            revision=revision,
            fields={},
            excerpts={other_section.pk: [built.signed_in.pk]},
        )
    assert not other_section.excerpts.exists()


# --- Signs of Safety and the child's perspective --------------------------------------------


def test_the_sos_overview_comes_from_the_latest_map_of_the_period(world, built):
    report = start(world, built)
    assert report.sos_meeting == built.meeting
    for text in (STRENGTH, SAFETY):
        assert text in report.sos_works
    for text in (HARM, DANGER, COMPLICATING):
        assert text in report.sos_worries
    for text in (SAFETY_GOAL, NEXT_STEP, world.consultant.full_name, "01.10"):
        assert text in report.sos_next
    # Each statement sits in its own column only, and the older map is not used.
    assert HARM not in report.sos_works and STRENGTH not in report.sos_worries
    assert DANGER not in report.sos_next and SAFETY_GOAL not in report.sos_worries
    assert OLD_STRENGTH not in report.sos_works
    assert report.sos_works.splitlines() == [f"- {STRENGTH}", f"- {SAFETY}"]


def test_a_period_ending_before_the_latest_meeting_uses_the_map_of_its_time(world, built):
    report = start(world, built, period_end=dt.date(2026, 8, 31))
    assert report.sos_meeting == built.old_meeting
    assert report.sos_works == f"- {OLD_STRENGTH}"
    assert report.sos_worries == report.sos_next == ""


def test_the_childs_perspective_holds_the_three_houses_and_the_goal_wishes(world, built):
    report = start(world, built)
    for text in (HOUSE_WORRIES, HOUSE_GOOD, HOUSE_DREAMS, "Emma Jensen", GOAL_WISH):
        assert text in report.child_perspective
    assert OLD_DREAM not in report.child_perspective


# --- The period and the deadline ------------------------------------------------------------


def test_the_default_period_starts_the_day_after_the_last_sent_report(world, built):
    # A later report that was never sent, and an ad-hoc statement, do not move the start.
    Report.objects.create(
        case=built.case,
        kind=ReportKind.STATUS,
        deadline_number=3,
        due_on=dt.date(2027, 3, 1),
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 8, 15),
        state=ReportState.APPROVED,
        created_by=world.coordinator,
    )
    Report.objects.create(
        case=built.case,
        kind=ReportKind.ADHOC,
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 8, 1),
        state=ReportState.SENT,
        sent_at=at(dt.date(2026, 8, 2)),
        created_by=world.coordinator,
    )
    assert drafting.default_period(built.case, until=TODAY) == (PERIOD_START, TODAY)
    report = start(world, built)
    assert (report.period_start, report.period_end) == (PERIOD_START, TODAY)


def test_the_first_report_covers_the_case_from_its_first_contact(world):
    case = CaseFactory(team=world.team, coordinator=world.coordinator, first_contact_at=STARTED)
    report = services.start_report(
        case, by=world.coordinator, kind=ReportKind.STATUS, deadline_number=1, due_on=DUE
    )
    assert (report.period_start, report.period_end) == (STARTED.date(), TODAY)
    assert report.goal_sections.count() == 0
    assert (report.sos_meeting, report.sos_works, report.child_perspective) == (None, "", "")


def test_the_first_report_starts_on_the_local_day_of_the_first_contact(world):
    just_after_midnight = dt.datetime(2026, 3, 1, 0, 30, tzinfo=CPH)
    case = CaseFactory(
        team=world.team, coordinator=world.coordinator, first_contact_at=just_after_midnight
    )
    case.refresh_from_db()
    assert drafting.default_period(case, until=TODAY) == (dt.date(2026, 3, 1), TODAY)


def test_a_period_until_a_past_deadline_ends_on_it(world, built):
    due = dt.date(2026, 9, 15)
    report = start(world, built, due_on=due)
    assert (report.period_start, report.period_end) == (PERIOD_START, due)


def test_one_report_per_deadline(world, built):
    first = start(world, built)
    with pytest.raises(ValidationError) as exc:
        start(world, built)
    assert set(exc.value.error_dict) == {"kind"}
    assert Report.objects.filter(deadline_number=2).get() == first
    assert AuditEvent.objects.filter(action="report.started").count() == 1


def test_an_end_report_needs_an_ended_case(world, built):
    with pytest.raises(ValidationError) as exc:
        start(world, built, kind=ReportKind.END, deadline_number=1)
    assert set(exc.value.error_dict) == {"kind"}
    assert not Report.objects.filter(kind=ReportKind.END).exists()

    ended_on = dt.date(2026, 9, 10)
    Case.objects.filter(pk=built.case.pk).update(status=CaseStatus.ENDED, ended_on=ended_on)
    built.case.refresh_from_db()
    report = start(world, built, kind=ReportKind.END, deadline_number=1, due_on=DUE)
    assert (report.kind, report.period_start, report.period_end) == (
        ReportKind.END,
        PERIOD_START,
        ended_on,
    )


def test_a_deadline_report_needs_its_deadline(world, built):
    with pytest.raises(ValidationError):
        services.start_report(built.case, by=world.coordinator, kind=ReportKind.STATUS)
    with pytest.raises(ValidationError):
        services.start_report(built.case, by=world.coordinator, kind="letter")
    with pytest.raises(ValidationError):
        start(world, built, period_start=TODAY, period_end=PERIOD_START)
    assert Report.objects.count() == 1  # the earlier sent report only


# --- Length ---------------------------------------------------------------------------------


def test_the_page_estimate_grows_with_the_text_and_passes_the_limit(world, built):
    report = start(world, built)
    short = drafting.estimate_pages(report)
    assert 1 <= short <= drafting.PAGE_LIMIT

    paragraph = "Familien har arbejdet med morgenrutinerne, og Emma kommer oftere i skole. " * 20
    report = services.save_report(
        report,
        by=world.coordinator,
        revision=report.revision,
        fields={"assessment": paragraph},
    )
    longer = drafting.estimate_pages(report)
    assert longer > short

    sections = list(report.goal_sections.all())
    report = services.save_report(
        report,
        by=world.coordinator,
        revision=report.revision,
        fields={"recommendation_reasons": paragraph * 2},
        goal_texts={s.pk: paragraph for s in sections},
    )
    assert drafting.estimate_pages(report) > drafting.PAGE_LIMIT


def test_selected_excerpts_and_charts_count_towards_the_length(world, built):
    report = start(world, built, period_end=dt.date(2026, 8, 31))
    assert report.sos_meeting == built.old_meeting  # a map without pairs: no charts
    without = drafting.estimate_pages(report)
    section = report.goal_sections.get(goal=built.child_goal)
    JournalEntry.objects.filter(pk=built.signed_in.pk).update(description="Langt notat. " * 300)
    services.save_report(
        report,
        by=world.coordinator,
        revision=report.revision,
        fields={},
        excerpts={section.pk: [built.signed_in.pk]},
    )
    assert drafting.estimate_pages(report) > without

    # Each danger/goal pair of the map is a scale chart in the report.
    plain = Report(
        case=built.case, kind=ReportKind.ADHOC, period_start=PERIOD_START, period_end=TODAY
    )
    with_charts = Report(
        case=built.case,
        kind=ReportKind.ADHOC,
        period_start=PERIOD_START,
        period_end=TODAY,
        sos_meeting=built.meeting,
    )
    assert drafting.estimate_pages(plain) == drafting.estimate_pages(with_charts) == 1
    for number in range(5):
        DangerPair.objects.create(
            meeting=built.meeting, danger_statement=f"Fare {number}", safety_goal=f"Mål {number}"
        )
    assert drafting.estimate_pages(with_charts) == 2
