"""Signs of Safety maps: a map per follow-up meeting (copied forward with the same threads,
older meetings frozen), comparing two meetings, the 0–10 scale per danger/goal pair and its
chart, next steps on the owner's start page, the Three Houses, and every persona that must be
refused on every screen (404 when they cannot read the case's safety work, 403 when they can
read but not write). Assertions are on the database and the audit log."""

from __future__ import annotations

import datetime as dt
import random
import re
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from traad.audit.models import AuditEvent
from traad.cases.models import CaseStatus, PersonRole, Relation
from traad.cases.services import add_person_to_case
from traad.factories import CaseFactory
from traad.journal.models import FocusArea
from traad.journal.services import create_goal
from traad.safety.charts import scale_chart, x_for, y_for
from traad.safety.models import (
    DangerPair,
    FollowUpMeeting,
    MapItem,
    MapPart,
    ParticipantRole,
    ScaleRating,
    ThreeHouses,
)
from traad.safety.selectors.maps import (
    ScaleSeries,
    compare_meetings,
    latest_meeting,
    map_of,
    open_next_steps_for,
    scale_history,
    three_houses_by_child,
)
from traad.safety.services import maps as services

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
TODAY = NOW.date()
FIRST = dt.date(2026, 10, 1)
SECOND = dt.date(2026, 10, 29)
OUTSIDERS = (
    "outsider_consultant",
    "other_leader",
    "caseworker",
    "other_caseworker",
    "admin",
    "intake",
)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(world):
    return world.case


@pytest.fixture
def child(world, case):
    membership, _linked = add_person_to_case(
        case,
        by=world.coordinator,
        name="Emma Jensen",
        cpr="0503164321",
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    return membership.person


@pytest.fixture
def first(world, case):
    """Meeting 1 with one item in each part, a pair and a next step owned by the consultant."""
    meeting = services.start_meeting(case, by=world.coordinator, held_on=FIRST, participants="Mor")
    by = world.coordinator
    services.add_map_item(meeting, by=by, part=MapPart.HARM, text="Emma kom sulten i skole.")
    services.add_map_item(meeting, by=by, part=MapPart.COMPLICATING, text="Mor er alene.")
    services.add_map_item(meeting, by=by, part=MapPart.STRENGTHS, text="Mor elsker Emma.")
    services.add_map_item(meeting, by=by, part=MapPart.SAFETY, text="Mormor henter i SFO.")
    services.add_map_item(
        meeting,
        by=by,
        part=MapPart.NEXT_STEP,
        text="Lave madplan med mor",
        owner=world.consultant,
        due_on=dt.date(2026, 10, 15),
    )
    services.add_danger_pair(
        meeting,
        by=by,
        danger_statement="Vi er bekymrede for, at Emma ikke får mad nok.",
        safety_goal="Emma får morgenmad hver dag i tre måneder.",
    )
    return meeting


def pair_of(meeting):
    return DangerPair.objects.get(meeting=meeting)


def item_of(meeting, part):
    return MapItem.objects.get(meeting=meeting, part=part)


def actions(**filters):
    return list(
        AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


# --- Versions of the map --------------------------------------------------------------------


def test_the_first_meeting_starts_empty_and_is_audited(world, case):
    meeting = services.start_meeting(case, by=world.coordinator, held_on=FIRST)

    assert meeting.previous is None
    assert map_of(meeting).is_empty
    event = AuditEvent.objects.get(action="sos.meeting_started")
    assert (event.case_id, event.actor_id) == (case.pk, world.coordinator.pk)
    assert event.changes == {"held_on": "2026-10-01", "previous": None, "items": 0, "pairs": 0}


def test_a_new_meeting_copies_the_previous_map_with_the_same_threads(world, case, first):
    services.complete_next_step(item_of(first, MapPart.NEXT_STEP), by=world.consultant)

    second = services.start_meeting(case, by=world.consultant, held_on=SECOND)

    assert second.previous == first
    old = {
        (i.thread, i.part, i.text, i.owner_id, i.due_on)
        for i in MapItem.objects.filter(meeting=first)
    }
    new = {
        (i.thread, i.part, i.text, i.owner_id, i.due_on)
        for i in MapItem.objects.filter(meeting=second)
    }
    assert new == old
    assert len(new) == 5
    assert item_of(second, MapPart.NEXT_STEP).done_at == item_of(first, MapPart.NEXT_STEP).done_at
    assert item_of(second, MapPart.NEXT_STEP).done_at is not None  # done steps are copied too
    assert pair_of(second).thread == pair_of(first).thread
    assert pair_of(second).pk != pair_of(first).pk
    assert latest_meeting(case) == second


def test_edits_on_the_new_meeting_leave_the_older_map_as_it_stood(world, case, first):
    second = services.start_meeting(case, by=world.coordinator, held_on=SECOND)
    by = world.coordinator

    services.update_map_item(item_of(second, MapPart.HARM), by=by, text="Ændret skade")
    services.remove_map_item(item_of(second, MapPart.SAFETY), by=by)
    services.update_danger_pair(
        pair_of(second), by=by, danger_statement="Ny bekymring", safety_goal="Nyt mål"
    )
    services.add_map_item(second, by=by, part=MapPart.STRENGTHS, text="Far er kommet på banen.")

    assert item_of(first, MapPart.HARM).text == "Emma kom sulten i skole."
    assert item_of(first, MapPart.SAFETY).text == "Mormor henter i SFO."
    assert pair_of(first).danger_statement == "Vi er bekymrede for, at Emma ikke får mad nok."
    assert MapItem.objects.filter(meeting=first).count() == 5
    assert MapItem.objects.filter(meeting=second).count() == 5
    assert actions(case_id=case.pk, action__startswith="sos.item") == [
        *["sos.item_added"] * 5,
        "sos.item_changed",
        "sos.item_removed",
        "sos.item_added",
    ]
    changed = AuditEvent.objects.get(action="sos.item_changed")
    assert changed.changes["text"] == ["Emma kom sulten i skole.", "Ændret skade"]


def test_an_older_meeting_refuses_every_edit(world, case, first):
    services.start_meeting(case, by=world.coordinator, held_on=SECOND)
    by = world.coordinator
    edits = [
        lambda: services.add_map_item(first, by=by, part=MapPart.HARM, text="x"),
        lambda: services.update_map_item(item_of(first, MapPart.HARM), by=by, text="x"),
        lambda: services.remove_map_item(item_of(first, MapPart.HARM), by=by),
        lambda: services.complete_next_step(item_of(first, MapPart.NEXT_STEP), by=by),
        lambda: services.add_danger_pair(first, by=by, danger_statement="a", safety_goal="b"),
        lambda: services.update_danger_pair(
            pair_of(first), by=by, danger_statement="a", safety_goal="b"
        ),
        lambda: services.remove_danger_pair(pair_of(first), by=by),
        lambda: services.record_decisions(first, by=by, decisions="x"),
    ]
    for edit in edits:
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            edit()
        assert exc.value.messages == ["Only the latest meeting can be changed."]
    assert MapItem.objects.filter(meeting=first).count() == 5
    assert item_of(first, MapPart.NEXT_STEP).done_at is None


def test_a_new_meeting_cannot_be_dated_before_the_previous_or_in_the_future(world, case, first):
    with pytest.raises(ValidationError) as exc:
        services.start_meeting(case, by=world.coordinator, held_on=FIRST - dt.timedelta(days=1))
    assert list(exc.value.error_dict) == ["held_on"]
    with pytest.raises(ValidationError):
        services.start_meeting(case, by=world.coordinator, held_on=TODAY + dt.timedelta(days=1))
    assert FollowUpMeeting.objects.count() == 1


def test_the_map_has_three_columns_and_pairs_on_both_sides(world, first):
    safety_map = map_of(first)

    layout = [(c.key, [s.key for s in c.sections]) for c in safety_map.columns]
    assert layout == [
        ("worries", ["harm", "danger_statements", "complicating"]),
        ("working", ["strengths", "safety"]),
        ("needs", ["safety_goals", "next_step"]),
    ]
    sections = {s.key: s for c in safety_map.columns for s in c.sections}
    assert [i.text for i in sections["harm"].entries] == ["Emma kom sulten i skole."]
    assert sections["danger_statements"].entries == sections["safety_goals"].entries
    assert [i.owner for i in safety_map.next_steps] == [world.consultant]


def test_a_danger_statement_needs_its_safety_goal(world, first):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.add_danger_pair(
            first, by=world.coordinator, danger_statement="Bekymring", safety_goal=" "
        )
    assert exc.value.message_dict == {
        "safety_goal": ["Write the safety goal that answers the danger statement."]
    }
    with pytest.raises(ValidationError) as exc:
        services.add_danger_pair(
            first, by=world.coordinator, danger_statement="", safety_goal="Mål"
        )
    assert list(exc.value.error_dict) == ["danger_statement"]
    assert DangerPair.objects.filter(meeting=first).count() == 1


def test_only_a_next_step_can_be_done_and_owners_must_work_on_the_case(world, first):
    with pytest.raises(ValidationError):
        services.complete_next_step(item_of(first, MapPart.HARM), by=world.coordinator)
    with pytest.raises(ValidationError) as exc:
        services.add_map_item(
            first,
            by=world.coordinator,
            part=MapPart.NEXT_STEP,
            text="x",
            owner=world.outsider_consultant,
        )
    assert list(exc.value.error_dict) == ["owner"]
    # Owner and due date belong to next steps only.
    item = services.add_map_item(
        first,
        by=world.coordinator,
        part=MapPart.HARM,
        text="y",
        owner=world.consultant,
        due_on=TODAY,
    )
    assert (item.owner, item.due_on) == (None, None)


def test_decisions_take_goals_of_the_same_case_only(world, case, first):
    goal = create_goal(case, by=world.consultant, title="Mad", focus_area=FocusArea.PARENTING)
    other_case = CaseFactory(team=world.team, coordinator=world.coordinator)
    stranger = create_goal(
        other_case, by=world.coordinator, title="Anden", focus_area=FocusArea.PARENTING
    )
    with pytest.raises(ValidationError):
        services.record_decisions(
            first, by=world.coordinator, decisions="x", goals_affected=[stranger]
        )

    services.record_decisions(
        first,
        by=world.coordinator,
        decisions="Målene justeres",
        adjust_goals=True,
        goals_affected=[goal],
    )

    first.refresh_from_db()
    assert (first.decisions, first.decide_adjust_goals) == ("Målene justeres", True)
    assert list(first.goals_affected.all()) == [goal]
    event = AuditEvent.objects.get(action="sos.decisions_recorded")
    assert event.changes["goals_affected"] == [[], [goal.pk]]
    assert event.changes["decide_adjust_goals"] == [False, True]


# --- Scales ---------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [-1, 11])
def test_scores_outside_0_to_10_are_refused(world, case, first, score):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.rate_pair(
            case,
            by=world.consultant,
            thread=pair_of(first).thread,
            participant_role="mother",
            score=score,
        )
    assert exc.value.message_dict == {"score": ["Choose a score from 0 to 10."]}
    assert ScaleRating.objects.count() == 0


def test_a_score_needs_a_pair_of_the_case_and_no_future_date(world, case, first):
    other_case = CaseFactory(team=world.team, coordinator=world.coordinator)
    other = services.start_meeting(other_case, by=world.coordinator, held_on=FIRST)
    stranger = services.add_danger_pair(
        other, by=world.coordinator, danger_statement="a", safety_goal="b"
    )
    with pytest.raises(ValidationError):
        services.rate_pair(
            case, by=world.consultant, thread=stranger.thread, participant_role="mother", score=5
        )
    with pytest.raises(ValidationError) as exc:
        services.rate_pair(
            case,
            by=world.consultant,
            thread=pair_of(first).thread,
            participant_role="mother",
            score=5,
            rated_on=TODAY + dt.timedelta(days=1),
        )
    assert list(exc.value.error_dict) == ["rated_on"]
    assert ScaleRating.objects.count() == 0


def test_scale_history_is_per_participant_oldest_first(world, case, first):
    thread = pair_of(first).thread
    for day, role, name, score in [
        (FIRST, "mother", "", 3),
        (FIRST, "consultant", "", 2),
        (SECOND, "mother", "", 5),
        (SECOND, "child", "Emma", 4),
    ]:
        services.rate_pair(
            case,
            by=world.consultant,
            thread=thread,
            participant_role=role,
            participant_name=name,
            score=score,
            rated_on=day,
        )

    history = scale_history(case, thread)

    assert [(s.role, s.name, s.points) for s in history] == [
        ("mother", "", [(FIRST, 3), (SECOND, 5)]),
        ("child", "Emma", [(SECOND, 4)]),
        ("consultant", "", [(FIRST, 2)]),
    ]
    event = AuditEvent.objects.filter(action="sos.pair_rated").order_by("id").first()
    assert event.changes == {
        "thread": str(thread),
        "participant_role": "mother",
        "score": 3,
        "rated_on": "2026-10-01",
    }


def test_the_chart_draws_one_line_per_participant_with_a_text_legend():
    history = [
        ScaleSeries("mother", "", [(dt.date(2026, 1, 1), 2), (dt.date(2026, 1, 11), 6)]),
        ScaleSeries("child", "Emma", [(dt.date(2026, 1, 6), 5)]),
    ]
    with translation.override("en"):
        svg = str(scale_chart(history, chart_id="c1", title="Pair 1"))

    root = ET.fromstring(svg)  # noqa: S314 - our own markup
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Pair 1"
    assert root.find(f"{SVG}desc").text == (
        "Scores from 0 to 10 over time, oldest first. "
        "Mother: 01/01/2026: 2; 01/11/2026: 6. Child (Emma): 01/06/2026: 5."
    )
    series = root.findall(f".//{SVG}g[@class='traad-chart-series']")
    assert [g.get("data-series") for g in series] == ["Mother", "Child (Emma)"]
    first, last = dt.date(2026, 1, 1), dt.date(2026, 1, 11)
    line = series[0].find(f"{SVG}polyline")
    x0, x1 = x_for(first, first, last), x_for(last, first, last)
    assert line.get("points") == f"{x0:.1f},{y_for(2):.1f} {x1:.1f},{y_for(6):.1f}"
    assert line.get("points") == "40.0,156.0 496.0,84.0"  # 0 at y=192, 10 at y=12
    assert series[1].find(f"{SVG}polyline") is None  # one score: a marker, no line
    points = [
        (el.get("data-date"), el.get("data-score"))
        for el in root.iter()
        if el.get("class") == "traad-chart-point"
    ]
    assert points == [("2026-01-01", "2"), ("2026-01-11", "6"), ("2026-01-06", "5")]
    # The second participant differs by shape, not only colour: a square, not a circle.
    assert series[0].find(f"{SVG}circle") is not None
    assert series[1].find(f"{SVG}rect") is not None
    legend = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "traad-chart-legend"]
    assert legend == ["Mother", "Child (Emma)"]
    legend_lines = root.findall(f".//{SVG}g[@class='traad-chart-legend-entry']/{SVG}line")
    assert [el.get("stroke-dasharray") for el in legend_lines] == [None, "6 4"]


def test_an_empty_history_draws_nothing():
    assert scale_chart([]) == ""


# --- Comparing meetings ---------------------------------------------------------------------


def test_compare_shows_added_removed_changed_and_the_scale_change(world, case, first):
    thread = pair_of(first).thread
    services.rate_pair(
        case, by=world.consultant, thread=thread, participant_role="mother", score=3, rated_on=FIRST
    )
    services.rate_pair(
        case,
        by=world.consultant,
        thread=thread,
        participant_role="consultant",
        score=2,
        rated_on=FIRST,
    )
    second = services.start_meeting(case, by=world.coordinator, held_on=SECOND)
    by = world.coordinator
    services.update_map_item(
        item_of(second, MapPart.HARM), by=by, text="Emma kom sulten i skole to gange."
    )
    services.remove_map_item(item_of(second, MapPart.SAFETY), by=by)
    strength = services.add_map_item(second, by=by, part=MapPart.STRENGTHS, text="Far hjælper.")
    services.complete_next_step(item_of(second, MapPart.NEXT_STEP), by=by)
    new_pair = services.add_danger_pair(
        second, by=by, danger_statement="Skænderier", safety_goal="Ro"
    )
    services.rate_pair(
        case,
        by=world.consultant,
        thread=thread,
        participant_role="mother",
        score=6,
        rated_on=SECOND,
    )
    # After the second meeting: not part of the comparison.
    services.rate_pair(
        case, by=world.consultant, thread=thread, participant_role="mother", score=9, rated_on=TODAY
    )

    with translation.override("en"):
        comparison = compare_meetings(second, first)  # either order

    assert (comparison.older, comparison.newer) == (first, second)
    harm = comparison.part(MapPart.HARM)
    assert [e.status for e in harm.entries] == ["changed"]
    assert [(c.name, c.before, c.after) for c in harm.changed[0].changes] == [
        ("text", "Emma kom sulten i skole.", "Emma kom sulten i skole to gange.")
    ]
    assert [e.old.text for e in comparison.part(MapPart.SAFETY).removed] == ["Mormor henter i SFO."]
    strengths = comparison.part(MapPart.STRENGTHS)
    assert [e.new.thread for e in strengths.added] == [strength.thread]
    assert len(strengths.unchanged) == 1
    step = comparison.part(MapPart.NEXT_STEP).changed[0]
    assert [(c.name, c.before, c.after) for c in step.changes] == [("done", "No", "Yes")]
    assert [e.new.thread for e in comparison.pairs.added] == [new_pair.thread]
    assert [e.thread for e in comparison.pairs.unchanged] == [thread]
    assert comparison.change_count == 5
    scale = {s.thread: s for s in comparison.scales}
    assert [(s.role, s.before, s.after, s.delta) for s in scale[thread].scores] == [
        ("mother", 3, 6, 3),
        ("consultant", 2, 2, 0),
    ]
    assert scale[new_pair.thread].scores == []


# --- Next steps on the start page -----------------------------------------------------------


def test_next_steps_show_on_the_owners_start_page_until_done(world, case, first, client_for):
    overdue = item_of(first, MapPart.NEXT_STEP)  # due 15.10.2026, before today
    assert list(open_next_steps_for(world.consultant)) == [overdue]
    assert list(open_next_steps_for(world.coordinator)) == []

    client = client_for(world.consultant)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("core:start")).content.decode()
    assert f'data-testid="next-step-{overdue.pk}"' in page
    assert "Lave madplan med mor" in page
    assert "Overdue" in page

    # The next meeting's copy of the step is the one that counts; the older copy is history.
    second = services.start_meeting(case, by=world.coordinator, held_on=SECOND)
    copy = item_of(second, MapPart.NEXT_STEP)
    assert list(open_next_steps_for(world.consultant)) == [copy]

    services.complete_next_step(copy, by=world.consultant)

    assert list(open_next_steps_for(world.consultant)) == []
    page = client.get(reverse("core:start")).content.decode()
    assert "Lave madplan med mor" not in page
    assert actions(action="sos.next_step_done") == ["sos.next_step_done"]


def test_next_steps_of_cases_the_owner_no_longer_sees_are_left_out(world, case, first):
    case.consultants.clear()
    assert list(open_next_steps_for(world.consultant)) == []


# --- The Three Houses -----------------------------------------------------------------------


def test_three_houses_need_a_child_of_the_case_and_one_house(world, case, child):
    other_case = CaseFactory(team=world.team, coordinator=world.coordinator)
    membership, _ = add_person_to_case(
        other_case,
        by=world.coordinator,
        name="Anden",
        cpr="",
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    with pytest.raises(ValidationError) as exc:
        services.record_three_houses(
            case, by=world.consultant, child=membership.person, spoken_on=TODAY, worries="x"
        )
    assert list(exc.value.error_dict) == ["child"]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.record_three_houses(
            case, by=world.consultant, child=child, spoken_on=TODAY, worries=" "
        )
    assert exc.value.messages == ["Write what the child said in at least one of the houses."]

    record = services.record_three_houses(
        case, by=world.consultant, child=child, spoken_on=TODAY, dreams="En hund"
    )

    assert [(g.child, g.records) for g in three_houses_by_child(case)] == [(child, [record])]
    event = AuditEvent.objects.get(action="sos.three_houses_recorded")
    assert (event.case_id, event.person_id) == (case.pk, child.pk)


# --- Screens --------------------------------------------------------------------------------


def urls_of(case, meeting):
    item = item_of(meeting, MapPart.NEXT_STEP)
    pair = pair_of(meeting)
    gets = [
        reverse("safety:case_map", args=[case.pk]),
        reverse("safety:meeting_list", args=[case.pk]),
        reverse("safety:meeting_compare", args=[case.pk]),
        reverse("safety:houses", args=[case.pk]),
        reverse("safety:scale_detail", args=[case.pk, pair.thread]),
        reverse("safety:meeting_detail", args=[meeting.pk]),
        reverse("safety:item_edit", args=[item.pk]),
        reverse("safety:pair_edit", args=[pair.pk]),
    ]
    posts = [
        (reverse("safety:meeting_new", args=[case.pk]), {"meeting-held_on": "2026-11-19"}),
        (reverse("safety:houses", args=[case.pk]), {"spoken_on": "2026-11-19", "worries": "x"}),
        (reverse("safety:meeting_decisions", args=[meeting.pk]), {"decisions-decisions": "x"}),
        (reverse("safety:item_add", args=[meeting.pk, "harm"]), {"item-harm-text": "x"}),
        (
            reverse("safety:pair_add", args=[meeting.pk]),
            {"pair-danger_statement": "a", "pair-safety_goal": "b"},
        ),
        (
            reverse("safety:scale_rate", args=[meeting.pk]),
            {
                "pair": str(pair.thread),
                f"scale-{pair.thread}-participant_role": "mother",
                f"scale-{pair.thread}-score": "5",
                f"scale-{pair.thread}-rated_on": "2026-11-19",
            },
        ),
        (reverse("safety:item_edit", args=[item.pk]), {"item-next_step-text": "x"}),
        (reverse("safety:item_remove", args=[item.pk]), {}),
        (reverse("safety:next_step_done", args=[item.pk]), {}),
        (
            reverse("safety:pair_edit", args=[pair.pk]),
            {"pair-danger_statement": "a", "pair-safety_goal": "b"},
        ),
        (reverse("safety:pair_remove", args=[pair.pk]), {}),
    ]
    return gets, posts


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_safety_url_of_the_case(world, case, first, client_for, persona):
    client = client_for(world.personas()[persona])
    gets, posts = urls_of(case, first)
    before = AuditEvent.objects.count()
    items, pairs = MapItem.objects.count(), DangerPair.objects.count()

    assert [client.get(url).status_code for url in gets] == [404] * len(gets)
    assert [client.post(url, data).status_code for url, data in posts] == [404] * len(posts)

    assert AuditEvent.objects.count() == before
    assert (MapItem.objects.count(), DangerPair.objects.count()) == (items, pairs)
    assert FollowUpMeeting.objects.count() == 1
    assert ScaleRating.objects.count() == ThreeHouses.objects.count() == 0


@pytest.mark.parametrize("persona", ["consultant", "coordinator", "leader"])
def test_readers_may_read_but_not_write_on_an_ended_case(
    world, case, first, client_for, persona, child
):
    case.status = CaseStatus.ENDED
    case.ended_on = TODAY
    case.save(update_fields=["status", "ended_on"])
    client = client_for(world.personas()[persona])
    gets, posts = urls_of(case, first)
    mark = AuditEvent.objects.order_by("id").last().pk
    reads = gets[:6]  # the edit forms are writes

    assert [client.get(url).status_code for url in reads] == [200] * len(reads)
    assert [client.get(url).status_code for url in gets[6:]] == [403, 403]
    assert [client.post(url, data).status_code for url, data in posts] == [403] * len(posts)

    assert MapItem.objects.filter(meeting=first).count() == 5
    assert item_of(first, MapPart.NEXT_STEP).done_at is None
    assert FollowUpMeeting.objects.count() == 1
    assert ScaleRating.objects.count() == ThreeHouses.objects.count() == 0
    assert sorted(set(actions(id__gt=mark, action__startswith="sos."))) == [
        "sos.meeting_viewed",
        "sos.meetings_viewed",
        "sos.scale_viewed",
        "sos.three_houses_viewed",
        "sos.viewed",
    ]


def test_a_meeting_is_started_and_its_map_edited_through_the_pages(
    world, case, first, client_for, child
):
    client = client_for(world.coordinator)

    response = client.post(
        reverse("safety:meeting_new", args=[case.pk]),
        {"meeting-held_on": "2026-11-19", "meeting-participants": "Mor, Emma"},
    )
    second = latest_meeting(case)
    assert second != first
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:meeting_detail", args=[second.pk])
    assert MapItem.objects.filter(meeting=second).count() == 5

    response = client.post(
        reverse("safety:item_add", args=[second.pk, MapPart.NEXT_STEP]),
        {
            "item-next_step-text": "Mor ringer til skolen",
            "item-next_step-owner_name": "Mor",
            "item-next_step-due_on": "2026-11-27",
        },
    )
    assert response.status_code == 302
    step = MapItem.objects.get(meeting=second, text="Mor ringer til skolen")
    assert (step.owner_name, step.due_on) == ("Mor", dt.date(2026, 11, 27))

    thread = pair_of(second).thread
    response = client.post(
        reverse("safety:scale_rate", args=[second.pk]),
        {
            "pair": str(thread),
            f"scale-{thread}-participant_role": "mother",
            f"scale-{thread}-participant_name": "Sara",
            f"scale-{thread}-score": "6",
            f"scale-{thread}-rated_on": "2026-11-19",
            f"scale-{thread}-reason": "Der er mad i køleskabet.",
        },
    )
    assert response.status_code == 302
    rating = ScaleRating.objects.get()
    assert (rating.meeting, rating.score, rating.participant_name) == (second, 6, "Sara")

    response = client.post(
        reverse("safety:meeting_decisions", args=[second.pk]),
        {"decisions-decisions": "Fortsæt", "decisions-change_intervention": "on"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.decisions, second.decide_change_intervention) == ("Fortsæt", True)

    # The older meeting's page shows the map without the forms.
    page = client.get(reverse("safety:meeting_detail", args=[first.pk])).content.decode()
    assert reverse("safety:item_add", args=[first.pk, "harm"]) not in page
    page = client.get(reverse("safety:meeting_detail", args=[second.pk])).content.decode()
    assert reverse("safety:item_add", args=[second.pk, "harm"]) in page
    assert "<svg" in page

    assert actions(
        actor=world.coordinator,
        action__in=[
            "sos.meeting_started",
            "sos.item_added",
            "sos.pair_rated",
            "sos.decisions_recorded",
            "sos.meeting_viewed",
        ],
    )[-6:] == [
        "sos.meeting_started",
        "sos.item_added",
        "sos.pair_rated",
        "sos.decisions_recorded",
        "sos.meeting_viewed",
        "sos.meeting_viewed",
    ]


def test_refused_input_is_shown_on_the_meeting_page(world, case, first, client_for):
    client = client_for(world.consultant)
    thread = pair_of(first).thread
    with translation.override("en"):
        response = client.post(
            reverse("safety:scale_rate", args=[first.pk]),
            {
                "pair": str(thread),
                f"scale-{thread}-participant_role": "mother",
                f"scale-{thread}-score": "11",
                f"scale-{thread}-rated_on": "2026-11-19",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert ScaleRating.objects.count() == 0
        response = client.post(
            reverse("safety:pair_add", args=[first.pk]),
            {"pair-danger_statement": "Bekymring", "pair-safety_goal": ""},
        )
    assert response.status_code == 200
    assert DangerPair.objects.filter(meeting=first).count() == 1


def test_posting_to_an_older_meeting_changes_nothing(world, case, first, client_for):
    services.start_meeting(case, by=world.coordinator, held_on=SECOND)
    client = client_for(world.coordinator)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("safety:item_add", args=[first.pk, "harm"]), {"item-harm-text": "x"}
    )

    assert response.status_code == 200
    assert "Only the latest meeting can be changed." in response.content.decode()
    assert MapItem.objects.filter(meeting=first).count() == 5


def test_the_meeting_page_makes_as_many_queries_for_three_pairs_as_for_one(
    world, case, first, client_for
):
    client = client_for(world.coordinator)
    url = reverse("safety:meeting_detail", args=[first.pk])
    services.rate_pair(
        case, by=world.coordinator, thread=pair_of(first).thread, participant_role="mother", score=4
    )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2):
        pair = services.add_danger_pair(
            first, by=world.coordinator, danger_statement=f"Fare {n}", safety_goal=f"Mål {n}"
        )
        services.rate_pair(
            case, by=world.coordinator, thread=pair.thread, participant_role="father", score=n
        )
        services.add_map_item(first, by=world.coordinator, part=MapPart.HARM, text=f"Skade {n}")
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


def test_compare_page_defaults_to_the_latest_two_and_marks_changes(world, case, first, client_for):
    second = services.start_meeting(case, by=world.coordinator, held_on=SECOND)
    services.remove_map_item(item_of(second, MapPart.SAFETY), by=world.coordinator)
    services.add_map_item(second, by=world.coordinator, part=MapPart.HARM, text="Ny skade")
    services.update_map_item(
        item_of(second, MapPart.STRENGTHS), by=world.coordinator, text="Mor og far"
    )
    client = client_for(world.consultant)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("safety:meeting_compare", args=[case.pk])).content.decode()

    assert page.count("traad-change-added") == 1
    assert page.count("traad-change-removed") == 1
    assert page.count("traad-change-changed") == 1
    assert ">New<" in page and ">Removed<" in page
    assert "before “Mor elsker Emma.”, now “Mor og far”" in page
    event = AuditEvent.objects.get(action="sos.compared")
    assert event.changes == {"older": first.pk, "newer": second.pk}
    url = reverse("safety:meeting_compare", args=[case.pk])
    assert client.get(f"{url}?a={first.pk}&b=999999").status_code == 404


def test_three_houses_page_records_and_lists(world, case, child, client_for):
    client = client_for(world.consultant)

    response = client.post(
        reverse("safety:houses", args=[case.pk]),
        {"child": child.pk, "spoken_on": "2026-11-19", "good_things": "Min kat"},
    )

    assert response.status_code == 302
    assert ThreeHouses.objects.get().good_things == "Min kat"
    page = client.get(reverse("safety:houses", args=[case.pk])).content.decode()
    assert "Min kat" in page
    response = client.post(
        reverse("safety:houses", args=[case.pk]), {"child": child.pk, "spoken_on": "2026-11-19"}
    )
    assert response.status_code == 200
    assert ThreeHouses.objects.count() == 1


def test_pages_have_no_inline_style_or_script(world, case, first, client_for, child):
    services.start_meeting(case, by=world.coordinator, held_on=SECOND)
    services.rate_pair(
        case, by=world.consultant, thread=pair_of(first).thread, participant_role="mother", score=4
    )
    client = client_for(world.coordinator)
    gets, _posts = urls_of(case, latest_meeting(case))
    gets.append(reverse("core:start"))
    gets.append(reverse("safety:meeting_detail", args=[first.pk]))
    for url in gets:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "style=" not in html, url
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, url
        assert " on" + "click=" not in html


def test_the_demo_maps_use_the_services(world, case, child):
    from traad.core.demo_safety_maps import add_demo_maps

    count = add_demo_maps(random.Random(4))

    assert count >= 2
    meetings = list(FollowUpMeeting.objects.filter(case=case).order_by("held_on"))
    assert 2 <= len(meetings) <= 3
    assert all(m.held_on < TODAY for m in meetings)
    assert DangerPair.objects.filter(meeting=meetings[-1]).exists()
    assert ScaleRating.objects.filter(case=case).exists()
    assert ThreeHouses.objects.filter(case=case, child=child).count() == 1
    assert set(ScaleRating.objects.values_list("participant_role", flat=True)) <= set(
        ParticipantRole.values
    )
