from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

# Retry a message whose delivery failed: after 1, 2, 4 … minutes, up to about a day in all.
MAX_ATTEMPTS = 12


def retry_delay(attempt: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** (attempt - 1), 240))


@task()
def deliver_email(payload: dict[str, Any]) -> int:
    """Send one queued message with the real delivery backend (SMTP in production).

    When the mail server cannot be reached, the message is queued again for later, so an
    outage delays mail but loses none. After MAX_ATTEMPTS the task fails and stays in the
    task table, where an operator can see it.
    """
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
        connection=get_connection(settings.TRAAD_EMAIL_DELIVERY_BACKEND, fail_silently=False),
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    try:
        return message.send()
    except (smtplib.SMTPException, OSError):
        attempt = int(payload.get("attempt", 1))
        if attempt >= MAX_ATTEMPTS or not default_task_backend.supports_defer:
            raise
        logger.warning("Mail delivery failed (attempt %d); queued again", attempt)
        deliver_email.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
            {**payload, "attempt": attempt + 1}
        )
        return 0
