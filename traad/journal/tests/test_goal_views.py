"""The goal screens: the overview by focus area with trend and chart, creating, editing,
rating and closing goals, input kept on errors, and every persona that must be refused (404
when they cannot read the case's journal, 403 when they can read but not write). Assertions
are on the database and the audit log; wording only under English."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from traad.audit.models import AuditEvent
from traad.cases.models import CaseStatus, PersonRole, Relation
from traad.cases.services import add_person_to_case
from traad.factories import CaseFactory
from traad.journal import services
from traad.journal.charts import rating_chart
from traad.journal.models import (
    Dimension,
    FocusArea,
    Goal,
    GoalRating,
    GoalStatus,
    RaterRole,
)

pytestmark = pytest.mark.django_db

CHILD_CPR = "0503164321"
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
OUTSIDERS = (
    "outsider_consultant",
    "other_leader",
    "caseworker",
    "other_caseworker",
    "admin",
    "intake",
)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def english(client):
    client.cookies["django_language"] = "en"
    return client


def add_child(case, by, name="Emma Jensen", cpr=CHILD_CPR):
    membership, _linked = add_person_to_case(
        case, by=by, name=name, cpr=cpr, role=PersonRole.CHILD, relation=Relation.CHILD
    )
    return membership.person


@pytest.fixture
def child(world):
    return add_child(world.case, world.coordinator)


@pytest.fixture
def goal(world, child):
    return services.create_goal(
        world.case,
        by=world.consultant,
        title="Emma kommer i skole hver dag",
        focus_area=FocusArea.CHILD_DEVELOPMENT,
        dimension=Dimension.SCHOOL,
        child=child,
        child_perspective="Jeg vil gerne have en ven i klassen.",
    )


def rate(world, goal, score, day):
    return services.rate_goal(
        goal, by=world.consultant, score=score, rater_role=RaterRole.CONSULTANT, rated_on=day
    )


def goal_post(child=None, **overrides):
    data = {
        "title": "Mor læser godnathistorie",
        "description": "Mor læser for Emma mindst fire aftener om ugen.",
        "focus_area": FocusArea.PARENTING,
        "dimension": Dimension.STIMULATION,
        "child": child.pk if child else "",
        "child_perspective": "Jeg kan godt lide, når mor læser.",
    }
    return data | overrides


def rating_post(**overrides):
    data = {
        "score": "6",
        "rated_on": "2026-11-19",
        "rater_role": RaterRole.PARENT,
        "rater_name": "Mor",
        "comment": "Hun kommer afsted de fleste dage.",
    }
    return data | overrides


# --- The overview ---------------------------------------------------------------------------


def test_goals_are_grouped_by_focus_area_with_trend_chart_and_table(world, client_for, goal):
    rate(world, goal, 4, dt.date(2026, 10, 12))
    rate(world, goal, 6, dt.date(2026, 11, 16))
    other = services.create_goal(
        world.case, by=world.consultant, title="Et netværk", focus_area=FocusArea.FAMILY_NETWORK
    )
    client = english(client_for(world.consultant))

    response = client.get(reverse("journal:case_goals", args=[world.case.pk]))

    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g.value for g in groups] == [
        FocusArea.CHILD_DEVELOPMENT,
        FocusArea.PARENTING,
        FocusArea.FAMILY_NETWORK,
    ]
    assert [row.summary.goal for row in groups[0].rows] == [goal]
    assert groups[1].rows == []
    assert [row.summary.goal for row in groups[2].rows] == [other]
    row = groups[0].rows[0]
    assert row.summary.trend == 2
    assert [r.score for r in row.ratings] == [4, 6]
    html = response.content.decode()
    # The trend in words and as a symbol, with the date of the rating it is compared with.
    assert "↑" in html
    assert "+2 since 10/12/2026" in html
    assert "Jeg vil gerne have en ven i klassen." in html
    assert "Emma Jensen" in html
    assert '<svg class="traad-chart" role="img"' in html
    assert f'<title id="goal-{goal.pk}-chart-title">' in html
    assert f'<desc id="goal-{goal.pk}-chart-desc">' in html
    assert "Hun kommer" not in html  # no comment was written
    event = AuditEvent.objects.get(action="goals.viewed")
    assert (event.actor, event.case_id, event.object_id) == (
        world.consultant,
        world.case.pk,
        str(world.case.pk),
    )


def test_a_falling_score_is_shown_as_falling(world, client_for, goal):
    rate(world, goal, 7, dt.date(2026, 10, 1))
    rate(world, goal, 5, dt.date(2026, 11, 1))
    html = (
        english(client_for(world.coordinator))
        .get(reverse("journal:goal_detail", args=[goal.pk]))
        .content.decode()
    )
    assert "↓" in html
    assert "-2 since 10/01/2026" in html


def test_goal_list_has_no_n_plus_one(world, client_for, child):
    client = client_for(world.consultant)
    url = reverse("journal:case_goals", args=[world.case.pk])

    def add_goal(n):
        goal = services.create_goal(
            world.case,
            by=world.consultant,
            title=f"Mål {n}",
            focus_area=FocusArea.PARENTING,
            child=child,
        )
        rate(world, goal, 3, dt.date(2026, 11, 1))
        rate(world, goal, 5, dt.date(2026, 11, 10))

    add_goal(1)
    client.get(url)  # the first request of a session does more (session, user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_goal(2)
    add_goal(3)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    assert len(three.captured_queries) == len(one.captured_queries)


def test_the_case_overview_shows_the_goals_panel(world, client_for, goal):
    rate(world, goal, 4, dt.date(2026, 10, 12))
    response = client_for(world.consultant).get(reverse("cases:detail", args=[world.case.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("journal:goal_detail", args=[goal.pk]) in html
    assert reverse("journal:case_goals", args=[world.case.pk]) in html
    assert reverse("journal:goal_new", args=[world.case.pk]) in html


# --- Creating and editing -------------------------------------------------------------------


def test_new_goal_is_created(world, client_for, child):
    client = client_for(world.consultant)
    url = reverse("journal:goal_new", args=[world.case.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, goal_post(child))

    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:goal_detail", args=[goal.pk])
    assert (goal.case, goal.title, goal.focus_area, goal.dimension, goal.child) == (
        world.case,
        "Mor læser godnathistorie",
        FocusArea.PARENTING,
        Dimension.STIMULATION,
        child,
    )
    assert goal.child_perspective == "Jeg kan godt lide, når mor læser."
    assert goal.created_by == world.consultant
    assert AuditEvent.objects.filter(action="goal.created", case_id=world.case.pk).count() == 1


def test_the_dimensions_are_grouped_by_focus_area(world, client_for):
    response = client_for(world.consultant).get(reverse("journal:goal_new", args=[world.case.pk]))
    html = response.content.decode()
    assert html.count("<optgroup") == 3


def test_a_dimension_of_another_focus_area_is_refused_on_the_field(world, client_for, child):
    client = english(client_for(world.consultant))
    response = client.post(
        reverse("journal:goal_new", args=[world.case.pk]),
        goal_post(child, dimension=Dimension.SCHOOL),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"dimension": ["The dimension must belong to the chosen focus area."]}
    assert form["title"].value() == "Mor læser godnathistorie"
    assert not Goal.objects.exists()
    assert not AuditEvent.objects.filter(action="goal.created").exists()


def test_only_the_case_children_can_be_chosen(world, client_for, child):
    adult, _ = add_person_to_case(
        world.case,
        by=world.coordinator,
        name="Mor Jensen",
        cpr="",
        role=PersonRole.ADULT,
        relation=Relation.MOTHER,
    )
    other_case = CaseFactory(team=world.team)
    stranger = add_child(other_case, world.coordinator, name="Anden", cpr="")
    client = client_for(world.consultant)
    response = client.get(reverse("journal:goal_new", args=[world.case.pk]))
    assert list(response.context["form"].fields["child"].queryset) == [child]

    for person in (adult.person, stranger):
        response = client.post(reverse("journal:goal_new", args=[world.case.pk]), goal_post(person))
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"child"}
    assert not Goal.objects.exists()


def test_a_goal_is_edited(world, client_for, goal, child):
    client = client_for(world.coordinator)
    url = reverse("journal:goal_edit", args=[goal.pk])
    response = client.get(url)
    assert response.context["form"]["title"].value() == goal.title

    response = client.post(
        url,
        goal_post(
            child,
            title="Emma kommer i skole",
            focus_area=FocusArea.CHILD_DEVELOPMENT,
            dimension=Dimension.SCHOOL,
        ),
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Emma kommer i skole"
    assert goal.description == "Mor læser for Emma mindst fire aftener om ugen."
    event = AuditEvent.objects.get(action="goal.changed")
    assert event.actor == world.coordinator
    assert event.changes["title"] == ["Emma kommer i skole hver dag", "Emma kommer i skole"]


def test_editing_to_a_dimension_of_another_area_is_refused(world, client_for, goal, child):
    response = client_for(world.consultant).post(
        reverse("journal:goal_edit", args=[goal.pk]),
        goal_post(
            child, title="Ny titel", focus_area=FocusArea.FAMILY_NETWORK, dimension=Dimension.SCHOOL
        ),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"dimension"}
    assert response.context["form"]["title"].value() == "Ny titel"
    assert response.context["goal"].title == "Emma kommer i skole hver dag"
    goal.refresh_from_db()
    assert (goal.title, goal.focus_area) == ("Emma kommer i skole hver dag", "child_development")
    assert not AuditEvent.objects.filter(action="goal.changed").exists()


# --- Rating ---------------------------------------------------------------------------------


def test_the_rating_page_is_a_row_of_eleven_radios_in_a_fieldset(world, client_for, goal):
    response = client_for(world.consultant).get(reverse("journal:goal_rate", args=[goal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('type="radio" name="score"') == 11
    assert '<div class="traad-scale">' in html
    assert "<legend" in html
    form = response.context["rating_form"]
    assert form["rated_on"].value() == dt.date(2026, 11, 20)
    assert form["rater_role"].value() == RaterRole.CONSULTANT


def test_a_goal_is_rated(world, client_for, goal):
    response = client_for(world.consultant).post(
        reverse("journal:goal_rate", args=[goal.pk]), rating_post()
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:goal_detail", args=[goal.pk])
    rating = GoalRating.objects.get()
    assert (rating.goal, rating.score, rating.rated_on, rating.rater_role) == (
        goal,
        6,
        dt.date(2026, 11, 19),
        RaterRole.PARENT,
    )
    assert (rating.rater_name, rating.comment) == ("Mor", "Hun kommer afsted de fleste dage.")
    event = AuditEvent.objects.get(action="goal.rated")
    assert event.changes == {"score": 6, "rater_role": "parent", "rated_on": "2026-11-19"}


@pytest.mark.parametrize("score", ["11", "-1", "", "syv"])
def test_a_score_outside_0_to_10_is_refused_and_the_input_kept(world, client_for, goal, score):
    response = client_for(world.consultant).post(
        reverse("journal:goal_rate", args=[goal.pk]), rating_post(score=score)
    )
    assert response.status_code == 200
    form = response.context["rating_form"]
    assert set(form.errors) == {"score"}
    assert form["comment"].value() == "Hun kommer afsted de fleste dage."
    assert not GoalRating.objects.exists()
    assert not AuditEvent.objects.filter(action="goal.rated").exists()


def test_a_rating_in_the_future_is_refused_on_the_date(world, client_for, goal):
    response = english(client_for(world.consultant)).post(
        reverse("journal:goal_rate", args=[goal.pk]), rating_post(rated_on="2026-11-21")
    )
    assert response.status_code == 200
    assert response.context["rating_form"].errors == {
        "rated_on": ["A rating cannot be dated in the future."]
    }
    html = response.content.decode()
    assert 'value="6" id="id_score_6" required checked' in html  # the chosen score is kept
    assert not GoalRating.objects.exists()


def test_a_closed_goal_is_not_rated(world, client_for, goal):
    services.set_goal_status(goal, by=world.consultant, status=GoalStatus.REACHED)
    response = client_for(world.consultant).post(
        reverse("journal:goal_rate", args=[goal.pk]), rating_post()
    )
    assert response.status_code == 200
    assert response.context["rating_form"].non_field_errors()
    assert not GoalRating.objects.exists()


# --- Status ---------------------------------------------------------------------------------


def test_dropping_a_goal_needs_a_reason(world, client_for, goal):
    response = english(client_for(world.consultant)).post(
        reverse("journal:goal_status", args=[goal.pk]), {"status": "dropped", "reason": " "}
    )
    assert response.status_code == 200
    assert response.context["status_form"].errors == {"reason": ["Write why the goal is dropped."]}
    assert response.context["goal"].status == GoalStatus.ACTIVE
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="goal.status_changed").exists()


def test_a_goal_is_dropped_reached_and_active_again(world, client_for, goal):
    client = client_for(world.consultant)
    url = reverse("journal:goal_status", args=[goal.pk])

    response = client.post(url, {"status": "dropped", "reason": "Kommunen har ændret planen."})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.dropped_reason) == ("dropped", "Kommunen har ændret planen.")

    assert client.post(url, {"status": "active"}).status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.dropped_reason) == ("active", "")

    assert client.post(url, {"status": "reached"}).status_code == 302
    goal.refresh_from_db()
    assert goal.status == "reached"
    changes = [
        e.changes["status"]
        for e in AuditEvent.objects.filter(action="goal.status_changed").order_by("id")
    ]
    assert changes == [["active", "dropped"], ["dropped", "active"], ["active", "reached"]]


def test_the_status_form_offers_only_a_change(world, client_for, goal):
    response = client_for(world.consultant).get(reverse("journal:goal_detail", args=[goal.pk]))
    choices = [value for value, _label in response.context["status_form"].fields["status"].choices]
    assert choices == ["reached", "dropped"]


# --- Reading --------------------------------------------------------------------------------


def test_goal_detail_shows_chart_and_history_and_is_logged(world, client_for, goal):
    rate(world, goal, 3, dt.date(2026, 9, 1))
    services.rate_goal(
        goal,
        by=world.consultant,
        score=5,
        rater_role=RaterRole.CHILD,
        rater_name="Emma",
        comment="Jeg har fået en ven.",
        rated_on=dt.date(2026, 11, 1),
    )
    response = english(client_for(world.leader)).get(reverse("journal:goal_detail", args=[goal.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 1
    assert "Jeg har fået en ven." in html
    assert "Child: Emma" in html
    event = AuditEvent.objects.get(action="goal.viewed")
    assert (event.actor, event.case_id, event.object_id, event.person_id) == (
        world.leader,
        world.case.pk,
        str(goal.pk),
        goal.child_id,
    )


def test_rating_chart_is_accessible_svg():
    with translation.override("da"):
        _check_rating_chart()


def _check_rating_chart():
    assert rating_chart([], chart_id="x", title="T") == ""
    ratings = [
        GoalRating(score=2, rated_on=dt.date(2026, 9, 1)),
        GoalRating(score=8, rated_on=dt.date(2026, 10, 1)),
    ]
    svg = rating_chart(ratings, chart_id="g1", title="Ratings of <goal>")
    assert svg.startswith('<svg class="traad-chart" role="img"')
    assert 'aria-labelledby="g1-title g1-desc"' in svg
    assert '<title id="g1-title">Ratings of &lt;goal&gt;</title>' in svg
    assert "01.09.2026: 2" in svg and "01.10.2026: 8" in svg
    assert svg.count("<circle") == 2
    assert svg.count("<polyline") == 1
    # The axis runs 0–10: ticks at 0, 2, …, 10.
    for tick in ("0", "2", "4", "6", "8", "10"):
        assert f">{tick}</text>" in svg
    assert "style=" not in svg
    single = rating_chart(ratings[:1], chart_id="g2", title="T")
    assert single.count("<circle") == 1 and "<polyline" not in single


# --- Access ---------------------------------------------------------------------------------


def goal_urls(case, goal):
    return [
        ("get", reverse("journal:case_goals", args=[case.pk]), None),
        ("get", reverse("journal:goal_new", args=[case.pk]), None),
        ("post", reverse("journal:goal_new", args=[case.pk]), goal_post()),
        ("get", reverse("journal:goal_detail", args=[goal.pk]), None),
        ("get", reverse("journal:goal_edit", args=[goal.pk]), None),
        ("post", reverse("journal:goal_edit", args=[goal.pk]), goal_post(title="X")),
        ("get", reverse("journal:goal_rate", args=[goal.pk]), None),
        ("post", reverse("journal:goal_rate", args=[goal.pk]), rating_post()),
        ("post", reverse("journal:goal_status", args=[goal.pk]), {"status": "reached"}),
    ]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_goal_url(world, client_for, goal, persona):
    client = client_for(world.personas()[persona])
    for method, url, data in goal_urls(world.case, goal):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (persona, method, url)
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Emma kommer i skole hver dag", "active")
    assert Goal.objects.count() == 1
    assert not GoalRating.objects.exists()
    assert not AuditEvent.objects.filter(
        action__in=["goals.viewed", "goal.viewed"], actor=world.personas()[persona]
    ).exists()


def test_a_missing_goal_or_case_is_404(world, client_for):
    client = client_for(world.consultant)
    assert client.get(reverse("journal:case_goals", args=[999999])).status_code == 404
    assert client.get(reverse("journal:goal_detail", args=[999999])).status_code == 404


def test_an_ended_case_is_readable_but_not_writable(world, client_for, goal):
    world.case.status = CaseStatus.ENDED
    world.case.ended_on = dt.date(2026, 11, 19)
    world.case.save(update_fields=["status", "ended_on"])
    client = client_for(world.consultant)

    assert client.get(reverse("journal:case_goals", args=[world.case.pk])).status_code == 200
    assert client.get(reverse("journal:goal_detail", args=[goal.pk])).status_code == 200
    for method, url, data in goal_urls(world.case, goal):
        if url in (
            reverse("journal:case_goals", args=[world.case.pk]),
            reverse("journal:goal_detail", args=[goal.pk]),
        ):
            continue
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    goal.refresh_from_db()
    assert goal.status == "active"
    assert Goal.objects.count() == 1
    assert not GoalRating.objects.exists()


def test_goal_pages_have_no_inline_script_or_style(world, client_for, goal):
    rate(world, goal, 4, dt.date(2026, 10, 12))
    rate(world, goal, 6, dt.date(2026, 11, 12))
    client = client_for(world.consultant)
    urls = [
        reverse("journal:case_goals", args=[world.case.pk]),
        reverse("journal:goal_new", args=[world.case.pk]),
        reverse("journal:goal_detail", args=[goal.pk]),
        reverse("journal:goal_edit", args=[goal.pk]),
        reverse("journal:goal_rate", args=[goal.pk]),
        reverse("cases:detail", args=[world.case.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "style=" not in html, url
        for chunk in html.split("<script")[1:]:
            assert "src=" in chunk.split(">", 1)[0], url
