from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from traad.audit.models import AuditEvent


def search_events(
    *,
    actor: Any = None,
    case_id: int | None = None,
    person_id: int | None = None,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events matching every given filter; dates are whole local days, both included."""
    events = AuditEvent.objects.select_related("actor")
    if actor is not None:
        events = events.filter(actor=actor)
    if case_id is not None:
        events = events.filter(case_id=case_id)
    if person_id is not None:
        events = events.filter(person_id=person_id)
    if action:
        events = events.filter(action__startswith=action)
    tz = timezone.get_current_timezone()
    if date_from is not None:
        events = events.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to is not None:
        day_after = date_to + dt.timedelta(days=1)
        events = events.filter(at__lt=dt.datetime.combine(day_after, dt.time.min, tzinfo=tz))
    return events
