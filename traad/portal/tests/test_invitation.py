"""Inviting the caseworker to the portal, as the people click it: the coordinator invites, the
caseworker chooses a password from the mail's link, signs in, is led to set up two-factor
authentication and then finds their case on the start page with a link to the portal."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from traad.audit.models import AuditEvent
from traad.portal.models import Invitation

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 5, 20, 12, 0, tzinfo=CPH)
NEW_PASSWORD = "Kattekilling-Havemøbel-2026"
LINK = re.compile(r"https?://\S+/accounts/password/reset/key/\S+")


@pytest.fixture(autouse=True)
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def new_caseworker(world):  # type: ignore[no-untyped-def]
    """world.caseworker as a municipal caseworker before the invitation: no password, no
    authenticator app."""
    user = world.caseworker
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Authenticator.objects.filter(user=user).delete()
    return user


def invite(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("portal:invite", args=[world.case.pk]))
    assert response.status_code == 302
    return client


def link_in_mail() -> str:
    assert len(mail.outbox) == 1
    match = LINK.search(mail.outbox[0].body)
    assert match is not None, mail.outbox[0].body
    return match.group(0)


def choose_password(client: Client, link: str) -> str:
    """GET the link, follow allauth's redirect to the set-password page, POST the password.
    Returns where the POST leads."""
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302
    set_password_url = response["Location"]
    assert set_password_url.endswith("-set-password/")
    page = client.get(set_password_url)
    assert page.status_code == 200
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def test_the_whole_invitation_flow(
    world, new_caseworker, settings, django_capture_on_commit_callbacks
):
    settings.TRAAD_REQUIRE_MFA = True
    invite(world)

    # One link-only mail, one Invitation row, one audit row.
    assert mail.outbox[0].to == [new_caseworker.email]
    body = mail.outbox[0].body
    assert world.case.number not in body
    assert "/sager/" not in body and "/portal/" not in body
    invitation = Invitation.objects.get()
    assert (invitation.user, invitation.case, invitation.invited_by, invitation.invited_at) == (
        new_caseworker,
        world.case,
        world.coordinator,
        NOW,
    )
    event = AuditEvent.objects.get(action="portal.caseworker_invited")
    assert (event.actor, event.case_id, event.changes) == (
        world.coordinator,
        world.case.pk,
        {"user": str(new_caseworker.pk)},
    )

    # The caseworker chooses a password from the link.
    caseworker = Client()
    caseworker.cookies["django_language"] = "en"
    choose_password(caseworker, link_in_mail())
    new_caseworker.refresh_from_db()
    assert new_caseworker.has_usable_password()
    assert new_caseworker.check_password(NEW_PASSWORD)

    # The link works once.
    path = "/" + link_in_mail().split("://", 1)[1].split("/", 1)[1]
    response = caseworker.get(path, follow=True)
    assert b'name="password1"' not in response.content

    # Signing in leads to two-factor enrolment before anything else.
    response = caseworker.post(
        "/accounts/login/", {"login": new_caseworker.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    response = caseworker.get(reverse("core:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    portal_url = reverse("portal:case", args=[world.case.pk])
    assert caseworker.get(portal_url)["Location"] == reverse("mfa_index")

    # Choosing the password from the mailed link verified the address, so allauth lets the
    # caseworker add an authenticator app.
    assert EmailAddress.objects.get(user=new_caseworker).verified
    page = caseworker.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=new_caseworker, type=Authenticator.Type.TOTP).exists()

    # Now the start page shows their case with a link to the portal page.
    start = caseworker.get(reverse("core:start"))
    assert start.status_code == 200
    assert f'href="{portal_url}"'.encode() in start.content
    assert caseworker.get(portal_url).status_code == 200


def test_enrolment_after_the_invitation(world, new_caseworker, settings):
    settings.TRAAD_REQUIRE_MFA = True
    invite(world)
    caseworker = Client()
    choose_password(caseworker, link_in_mail())
    caseworker.post("/accounts/login/", {"login": new_caseworker.email, "password": NEW_PASSWORD})
    assert caseworker.get(reverse("mfa_activate_totp")).status_code == 200


def test_inviting_someone_with_a_password_is_refused(world, client_for):
    client = client_for(world.coordinator)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("portal:invite", args=[world.case.pk]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{world.caseworker.full_name or world.caseworker.email} already signs in to Tråd and "
        "sees the case in the portal."
    ]
    assert Invitation.objects.count() == 0
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="portal.caseworker_invited").exists()


def test_an_expired_link_no_longer_works(world, new_caseworker):
    invite(world)
    link = link_in_mail()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    with time_machine.travel(NOW + dt.timedelta(days=8), tick=False):
        client = Client()
        response = client.get(path, follow=True)
        assert b'name="password1"' not in response.content
    new_caseworker.refresh_from_db()
    assert not new_caseworker.has_usable_password()


def test_a_link_within_seven_days_works(world, new_caseworker):
    invite(world)
    link = link_in_mail()
    with time_machine.travel(NOW + dt.timedelta(days=6), tick=False):
        choose_password(Client(), link)
    new_caseworker.refresh_from_db()
    assert new_caseworker.check_password(NEW_PASSWORD)


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
def test_only_the_case_managers_invite(
    world, new_caseworker, client_for, settings, persona, status
):
    settings.TRAAD_REQUIRE_MFA = False  # the uninvited caseworker has no authenticator yet
    response = client_for(getattr(world, persona)).post(
        reverse("portal:invite", args=[world.case.pk])
    )
    assert response.status_code == status
    assert Invitation.objects.count() == 0
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="portal.caseworker_invited").exists()


def test_the_team_leader_may_invite(world, new_caseworker, client_for):
    response = client_for(world.leader).post(reverse("portal:invite", args=[world.case.pk]))
    assert response.status_code == 302
    assert Invitation.objects.get().invited_by == world.leader
    assert len(mail.outbox) == 1
