"""The provider's side of the portal on the case page: the panel, inviting the caseworker,
making a recommendation and closing a request for a statement. Each view's happy path and the
personas it refuses (404 for those who may not see the case, 403 for those who may not act)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from traad.audit.models import AuditEvent
from traad.portal import services
from traad.portal.models import Invitation, Recommendation, StatementRequest

pytestmark = pytest.mark.django_db

NOT_SEEING = ("intake", "other_caseworker", "outsider_consultant", "other_leader")


def _english(client):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def filled(world):  # type: ignore[no-untyped-def]
    """A case with one answered and one open recommendation, one open and one handled request,
    an information preference and two pieces of feedback."""
    answered = services.recommend(
        world.case, by=world.coordinator, kind="scale_down", text="Familien klarer sig godt."
    )
    services.answer_recommendation(answered, by=world.caseworker, answer="agree")
    services.recommend(
        world.case, by=world.coordinator, kind="scale_up", text="Mere støtte om aftenen."
    )
    services.request_statement(world.case, by=world.caseworker, text="Hvordan går skolen?")
    handled = services.request_statement(world.case, by=world.caseworker, text="Gammel anmodning")
    services.close_statement_request(handled, by=world.coordinator)
    services.set_information_preference(
        world.case, by=world.caseworker, text="Kort besked hver fjortende dag."
    )
    services.give_feedback(
        world.case, by=world.caseworker, collaboration=5, report_usefulness=4, progression_info=3
    )
    services.give_feedback(
        world.case,
        by=world.caseworker,
        collaboration=3,
        report_usefulness=4,
        progression_info=4,
        comment="Gode møder.",
    )
    mail.outbox.clear()
    return world


# --- The panel ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "consultant", "leader"])
def test_panel_shows_every_part_to_staff_on_the_case(filled, client_for, persona):
    client = _english(client_for(getattr(filled, persona)))
    response = client.get(reverse("cases:detail", args=[filled.case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="portal-panel"' in html
    assert "has access to the portal" in html
    assert "Familien klarer sig godt." in html
    assert "Mere støtte om aftenen." in html
    assert html.count("awaiting answer") == 1
    assert "Hvordan går skolen?" in html
    assert "Gammel anmodning" in html
    assert "Kort besked hver fjortende dag." in html
    assert "Gode møder." in html
    assert "Average of 2 ratings" in html
    assert "collaboration 4.0" in html
    assert "usefulness of the reports 4.0" in html
    assert "information about progression 3.5" in html
    open_request = StatementRequest.objects.get(closed_at__isnull=True)
    close_url = reverse("portal:close_request", args=[open_request.pk])
    invite_url = reverse("portal:invite", args=[filled.case.pk])
    recommend_url = reverse("portal:recommend", args=[filled.case.pk])
    managers = persona in ("coordinator", "leader")
    assert (close_url in html) is managers
    assert invite_url not in html  # the caseworker already has a password
    assert (recommend_url in html) is managers


def test_panel_shows_access_and_invitation(world, client_for):
    client = _english(client_for(world.coordinator))
    url = reverse("cases:detail", args=[world.case.pk])
    world.caseworker.set_unusable_password()
    world.caseworker.save(update_fields=["password"])
    services.invite_caseworker(world.case, by=world.coordinator)
    html = client.get(url).content.decode()
    assert "invited " in html
    assert "Invite the caseworker again" in html
    world.caseworker.set_password("et-langt-kodeord-2026")
    world.caseworker.save(update_fields=["password"])
    html = client.get(url).content.decode()
    assert "has access to the portal" in html
    assert reverse("portal:invite", args=[world.case.pk]) not in html


@pytest.mark.parametrize("persona", ["caseworker", "admin"])
def test_panel_not_shown_to_others_who_open_the_case(filled, client_for, persona):
    response = client_for(getattr(filled, persona)).get(
        reverse("cases:detail", args=[filled.case.pk])
    )
    # The caseworker is sent to their portal page; the admin does not see cases.
    assert response.status_code in (200, 302, 404)
    assert b'data-testid="portal-panel"' not in response.content


@pytest.mark.parametrize("persona", NOT_SEEING)
def test_panel_not_shown_to_outsiders(filled, client_for, persona):
    response = client_for(getattr(filled, persona)).get(
        reverse("cases:detail", args=[filled.case.pk])
    )
    assert response.status_code == 404


# --- Invite ---------------------------------------------------------------------------------


def test_invite_happy_path(world, client_for):
    world.caseworker.set_unusable_password()
    world.caseworker.save(update_fields=["password"])
    client = _english(client_for(world.coordinator))
    response = client.post(reverse("portal:invite", args=[world.case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[world.case.pk])
    invitation = Invitation.objects.get()
    assert (invitation.user, invitation.case, invitation.invited_by) == (
        world.caseworker,
        world.case,
        world.coordinator,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.caseworker.email]
    assert (
        AuditEvent.objects.filter(
            action="portal.caseworker_invited", actor=world.coordinator, case_id=world.case.pk
        ).count()
        == 1
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{world.caseworker.full_name or world.caseworker.email} has been invited to the portal "
        "by email."
    ]


def test_invite_refused_when_caseworker_already_has_a_password(world, client_for):
    client = _english(client_for(world.coordinator))
    response = client.post(reverse("portal:invite", args=[world.case.pk]))
    assert response.status_code == 302
    assert Invitation.objects.count() == 0
    assert mail.outbox == []
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{world.caseworker.full_name or world.caseworker.email} already signs in to Tråd and "
        "sees the case in the portal."
    ]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("consultant", 403),
        ("caseworker", 403),
        ("intake", 404),
        ("admin", 404),
        ("other_caseworker", 404),
        ("outsider_consultant", 404),
        ("other_leader", 404),
    ],
)
def test_invite_refused(world, client_for, persona, status):
    world.caseworker.set_unusable_password()
    world.caseworker.save(update_fields=["password"])
    response = client_for(getattr(world, persona)).post(
        reverse("portal:invite", args=[world.case.pk])
    )
    assert response.status_code == status
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_invite_needs_post(world, client_for):
    response = client_for(world.coordinator).get(reverse("portal:invite", args=[world.case.pk]))
    assert response.status_code == 405


# --- Recommend ------------------------------------------------------------------------------


def test_recommend_form_and_happy_path(world, client_for):
    client = _english(client_for(world.leader))
    url = reverse("portal:recommend", args=[world.case.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"New recommendation" in response.content
    response = client.post(url, {"kind": "scale_up", "text": "  Mere støtte om aftenen.  "})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[world.case.pk])
    recommendation = Recommendation.objects.get()
    assert (recommendation.kind, recommendation.text, recommendation.created_by) == (
        "scale_up",
        "Mere støtte om aftenen.",
        world.leader,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.caseworker.email]
    assert "Mere støtte" not in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="portal.recommendation_made").count() == 1


def test_recommend_invalid_post_shows_the_form(world, client_for):
    client = _english(client_for(world.coordinator))
    response = client.post(
        reverse("portal:recommend", args=[world.case.pk]), {"kind": "nonsense", "text": ""}
    )
    assert response.status_code == 200
    assert Recommendation.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("consultant", 403),
        ("caseworker", 403),
        ("intake", 404),
        ("other_caseworker", 404),
        ("outsider_consultant", 404),
        ("other_leader", 404),
    ],
)
def test_recommend_refused(world, client_for, persona, status):
    client = client_for(getattr(world, persona))
    url = reverse("portal:recommend", args=[world.case.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"kind": "scale_up", "text": "x"}).status_code == status
    assert Recommendation.objects.count() == 0


def test_recommend_refused_on_an_ended_case(world, client_for):
    world.case.status = "ended"
    world.case.ended_on = timezone.localdate()
    world.case.save(update_fields=["status", "ended_on"])
    response = client_for(world.coordinator).get(reverse("portal:recommend", args=[world.case.pk]))
    assert response.status_code == 403


# --- Close a request ------------------------------------------------------------------------


def test_close_request_happy_path(world, client_for):
    request = services.request_statement(world.case, by=world.caseworker, text="Status?")
    response = client_for(world.coordinator).post(
        reverse("portal:close_request", args=[request.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[world.case.pk])
    request.refresh_from_db()
    assert request.closed_by == world.coordinator
    assert request.closed_at is not None
    assert (
        AuditEvent.objects.filter(
            action="portal.statement_request_closed", actor=world.coordinator
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("consultant", 403),
        ("caseworker", 403),
        ("intake", 404),
        ("other_caseworker", 404),
        ("outsider_consultant", 404),
        ("other_leader", 404),
    ],
)
def test_close_request_refused(world, client_for, persona, status):
    request = services.request_statement(world.case, by=world.caseworker, text="Status?")
    response = client_for(getattr(world, persona)).post(
        reverse("portal:close_request", args=[request.pk])
    )
    assert response.status_code == status
    request.refresh_from_db()
    assert request.closed_at is None
    assert not AuditEvent.objects.filter(action="portal.statement_request_closed").exists()


def test_close_request_unknown_is_404(world, client_for):
    response = client_for(world.coordinator).post(reverse("portal:close_request", args=[999]))
    assert response.status_code == 404
