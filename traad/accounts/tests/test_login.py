"""Signing in: email + password, Argon2, throttling, MFA enforcement, idle sessions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from traad.accounts.models import Role, User
from traad.audit.models import AuditEvent
from traad.factories import TEST_PASSWORD, UserFactory, municipality

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"login": email, "password": password})


def test_login_by_email_goes_to_start_and_is_audited(settings):
    settings.TRAAD_REQUIRE_MFA = False
    user = UserFactory(email="konsulent@traad.example", with_mfa=False)
    client = Client()
    response = sign_in(client, "KONSULENT@traad.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:start")
    assert client.get(reverse("core:start")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_user_with_totp_is_asked_for_a_code():
    UserFactory(email="konsulent@traad.example")
    response = sign_in(Client(), "konsulent@traad.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_production_hasher_is_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    assert make_password("noget-hemmeligt").startswith("argon2$")


def test_failed_logins_are_throttled_per_account(settings):
    settings.TRAAD_REQUIRE_MFA = False
    UserFactory(email="konsulent@traad.example", with_mfa=False)
    client = Client()
    for _ in range(5):
        response = sign_in(client, "konsulent@traad.example", "forkert-kode")
        assert response.status_code == 200
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 5
    # The sixth attempt is refused even with the right password.
    response = sign_in(client, "konsulent@traad.example")
    assert response.status_code == 200
    assert "Der er for mange mislykkede logonforsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttle_for_one_account_does_not_lock_out_another(settings):
    settings.TRAAD_REQUIRE_MFA = False
    UserFactory(email="a@traad.example", with_mfa=False)
    UserFactory(email="b@traad.example", with_mfa=False)
    client = Client()
    for _ in range(5):
        sign_in(client, "a@traad.example", "forkert-kode")
    assert sign_in(client, "b@traad.example").status_code == 302


def test_user_without_mfa_is_led_to_enrolment(settings, world, django_capture_on_commit_callbacks):
    settings.TRAAD_REQUIRE_MFA = True
    user = UserFactory(email="ny@traad.example", team=world.team, with_mfa=False)
    world.case.consultants.add(user)
    client = Client()
    assert sign_in(client, "ny@traad.example")["Location"] == reverse("core:start")
    for url in (reverse("core:start"), reverse("cases:detail", args=[world.case.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")
    assert not AuditEvent.objects.filter(action="case.viewed").exists()

    # Enrolment stays reachable; once an authenticator app is added, the pages open.
    assert client.get(reverse("mfa_index")).status_code == 200
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    added = AuditEvent.objects.filter(action="auth.mfa_added", actor=user)
    # Activating an authenticator app also generates recovery codes.
    assert sorted(e.changes["type"] for e in added) == ["recovery_codes", "totp"]
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200


def test_htmx_request_without_mfa_gets_hx_redirect(settings):
    settings.TRAAD_REQUIRE_MFA = True
    client = Client()
    client.force_login(UserFactory(with_mfa=False))
    response = client.get(reverse("core:start"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("mfa_index")


def test_user_with_mfa_passes(settings):
    settings.TRAAD_REQUIRE_MFA = True
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("core:start")).status_code == 200


def test_mfa_not_required_when_switched_off(settings):
    settings.TRAAD_REQUIRE_MFA = False
    client = Client()
    client.force_login(UserFactory(with_mfa=False))
    assert client.get(reverse("core:start")).status_code == 200


def test_last_authenticator_cannot_be_removed_while_mfa_required(settings):
    from allauth.mfa.adapter import get_adapter

    settings.TRAAD_REQUIRE_MFA = True
    user = UserFactory()
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert get_adapter().can_delete_authenticator(totp) is False
    settings.TRAAD_REQUIRE_MFA = False
    assert get_adapter().can_delete_authenticator(totp) is True


def test_totp_secret_is_encrypted_at_rest():
    from allauth.mfa.adapter import get_adapter

    user = UserFactory()
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    secret = get_adapter().decrypt(stored)
    assert stored != secret
    assert len(secret) == 32  # base32 of 20 random bytes


def test_idle_session_ends_after_configured_minutes(settings):
    settings.TRAAD_SESSION_IDLE_MINUTES = 30
    client = Client()
    client.force_login(UserFactory())
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert client.get(reverse("core:start")).status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("core:start")).status_code == 200  # activity renews
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("core:start")).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fsager%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "30 minutter uden aktivitet" in page.content.decode()


def test_password_reset_mail_carries_a_link_only(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(email="konsulent@traad.example")
    response = Client().post("/accounts/password/reset/", {"email": "konsulent@traad.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["konsulent@traad.example"]
    assert "/accounts/password/reset/key/" in message.body


def test_no_self_signup():
    response = Client().get("/accounts/signup/")
    assert response.status_code == 200
    assert "closed" in response.content.decode().lower() or "lukket" in response.content.decode()
    assert User.objects.count() == 0


def test_caseworker_must_belong_to_a_municipality():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("x@kommune.example", "pw", full_name="X", role=Role.CASEWORKER)


def test_staff_cannot_belong_to_a_municipality():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(
            "y@traad.example",
            "pw",
            full_name="Y",
            role=Role.CONSULTANT,
            municipality=municipality("101"),
        )
