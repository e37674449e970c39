"""Settings come from the environment; production refuses to start without its secrets."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TRAAD_", "SECRET_KEY", "SECURE_", "ALLOWED_HOSTS"))
    }
    clean.pop("DEBUG", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' fixture
    clean.pop("DATABASE_URL", None)
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", TRAAD_FIELD_KEY="x", ALLOWED_HOSTS="traad.example")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_field_key():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "TRAAD_FIELD_KEY is not set" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        SECRET_KEY=secrets.token_urlsafe(50),
        TRAAD_FIELD_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="traad.example",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_runs_without_secrets():
    result = run_manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_bad_boolean_is_a_clear_error():
    result = run_manage("check", DEBUG="true", TRAAD_REQUIRE_MFA="maybe")
    assert result.returncode != 0
    assert "TRAAD_REQUIRE_MFA must be true or false" in result.stderr


def test_defaults():
    assert settings.TRAAD_REQUIRE_MFA is True
    assert settings.TRAAD_SESSION_IDLE_MINUTES == 30
    assert settings.LANGUAGE_CODE == "da"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher") or settings.DEBUG is False


def test_every_danish_string_is_translated():
    po = polib.pofile(str(ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.django_db
def test_queued_mail_is_delivered_by_the_task(settings):
    settings.EMAIL_BACKEND = "traad.core.mail.QueuedEmailBackend"
    settings.TRAAD_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = EmailMultiAlternatives(
        "Emne", "Se sagen i Tråd: https://traad.example/sager/1/", to=["a@traad.example"]
    )
    message.attach_alternative("<p>Se sagen</p>", "text/html")
    assert message.send() == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.subject, sent.to) == ("Emne", ["a@traad.example"])
    assert sent.alternatives[0][1] == "text/html"


def test_queued_mail_refuses_attachments(settings):
    from traad.core.mail import serialise_message

    message = EmailMultiAlternatives("Emne", "tekst", to=["a@traad.example"])
    message.attach("rapport.pdf", b"%PDF", "application/pdf")
    with pytest.raises(ValueError, match="no attachments"):
        serialise_message(message)


class FailingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        pass

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db
def test_mail_outage_requeues_instead_of_losing_mail(settings):
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "traad.core.mail.QueuedEmailBackend"
    settings.TRAAD_EMAIL_DELIVERY_BACKEND = "traad.core.tests.test_settings.FailingBackend"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from traad.core.tasks import deliver_email

    EmailMultiAlternatives("Emne", "tekst", to=["a@traad.example"]).send()
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"][0]["to"] == ["a@traad.example"]
    # The worker runs it while the server is down: a new attempt is queued for later.
    result = deliver_email.call(queued.args_kwargs["args"][0])
    assert result == 0
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.args_kwargs["args"][0]["attempt"] == 2
    assert retry.run_after is not None
