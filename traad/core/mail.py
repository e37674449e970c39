"""An email backend that puts each message on the durable task queue instead of sending it.

With the database task backend, a message is a row until `manage.py db_worker` delivers it,
so an unreachable mail server delays mail without losing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


def serialise_message(message: EmailMessage) -> dict[str, Any]:
    if message.attachments:
        raise ValueError("Queued mail carries no attachments: mail holds a link to Tråd only")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from traad.core.tasks import deliver_email

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            deliver_email.enqueue(serialise_message(message))
            count += 1
        return count


def send_link_mail(template: str, recipients: Iterable[Any], link: str) -> int:
    """One mail per recipient, in Danish, holding a link into Tråd and no case content.
    ``template`` is a path prefix: ``<template>_subject.txt`` and ``<template>_body.txt``
    (e.g. ``"reports/email/report_sent"``). Returns how many mails were queued."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt").strip()
        body = render_to_string(f"{template}_body.txt", {"link": link})
        for user in recipients:
            if user.email:
                sent += send_mail(subject, body, None, [user.email])
    return sent


def absolute_url(path: str, base_url: str = "") -> str:
    """``path`` on the site's address (``base_url``, else TRAAD_BASE_URL), for links in mail."""
    from django.conf import settings

    return (base_url or settings.TRAAD_BASE_URL).rstrip("/") + path
