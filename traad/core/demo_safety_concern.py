"""Invented demo concern histories and notifications of concern (underretninger).

Writes only through ``traad.safety.services.concern``, like the pages do, then moves the
timestamps back so the history looks lived in. No mail is sent (``notify=False``). Every text is
a fixed Danish template: nothing is about a real person. Idempotent: does nothing when any
assessment exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from traad.cases.models import Case, CaseStatus
from traad.safety.models import ConcernAssessment, ConcernLevel
from traad.safety.services.concern import (
    record_notification,
    register_receipt,
    set_concern_level,
)

L = ConcernLevel
REASONS: dict[str, tuple[str, ...]] = {
    L.LOW: (
        "Familien samarbejder godt, og aftalerne holdes. Barnet trives i skolen.",
        "Forældrene tager imod vejledning og bruger den i hverdagen.",
    ),
    L.MODERATE: (
        "Der er fortsat konflikter mellem forældrene, som barnet overhører.",
        "Barnet har haft flere fraværsdage, og mor virker presset.",
        "Hjemmet fremstår rodet, og der mangler faste rammer omkring sengetid.",
    ),
    L.HIGH: (
        "Skolen oplyser, at barnet flere gange er kommet sulten og uden madpakke.",
        "Far har aflyst tre aftaler i træk, og barnet fortæller om råb derhjemme.",
    ),
    L.ACUTE: ("Barnet fortæller om slag derhjemme. Der er straks taget kontakt til kommunen.",),
}
# The two cases shown with raised concern end at these levels; the rest end low or moderate.
PATHS_RAISED: tuple[tuple[ConcernLevel, ...], ...] = (
    (L.MODERATE, L.HIGH),
    (L.LOW, L.MODERATE, L.ACUTE),
)
PATHS_CALM: tuple[tuple[ConcernLevel, ...], ...] = (
    (L.LOW,),
    (L.MODERATE, L.LOW),
    (L.MODERATE,),
    (L.LOW, L.MODERATE),
)
GROUNDS = (
    "Barnet har fortalt familiekonsulenten om slag fra far. Underretning sendt samme dag.",
    "Gentagne oplysninger om manglende omsorg: barnet er kommet sultent i skole flere gange.",
)


def _backdate(assessment: ConcernAssessment, when: dt.datetime) -> None:
    ConcernAssessment.objects.filter(pk=assessment.pk).update(set_at=when)


@transaction.atomic
def add_demo_concern(rng: random.Random) -> int:
    """Concern histories for the open demo cases, two of them high or acute, and two
    notifications (one received, one overdue). Returns the number of assessments made."""
    if ConcernAssessment.objects.exists():
        return 0
    cases = list(
        Case.objects.filter(
            status__in=(CaseStatus.ACTIVE, CaseStatus.PAUSED), coordinator__isnull=False
        )
        .select_related("coordinator", "municipality", "team")
        .order_by("pk")
    )
    now = timezone.now()
    made = 0
    raised: list[Case] = []
    for index, case in enumerate(cases):
        by = case.coordinator
        if by is None:  # pragma: no cover - filtered above
            continue
        if index < len(PATHS_RAISED):
            path = PATHS_RAISED[index]
            raised.append(case)
        else:
            path = rng.choice(PATHS_CALM)
        days_back = sorted(rng.sample(range(3, 60), len(path)), reverse=True)
        for step, (level, days) in enumerate(zip(path, days_back, strict=True)):
            assessment = set_concern_level(
                case,
                by=by,
                level=level,
                reason=rng.choice(REASONS[level]),
                earlier_violence=level == L.ACUTE,
                earlier_abuse=False,
                notify=False,
            )
            when = now - dt.timedelta(days=days, hours=rng.randint(0, 6), minutes=step)
            _backdate(assessment, when)
            made += 1
    # One notification with a receipt, one without and past its 6 working days.
    for index, case in enumerate(raised):
        by = case.coordinator
        if by is None:  # pragma: no cover - filtered above
            continue
        made_at = now - dt.timedelta(days=20 if index == 0 else 14)
        notification = record_notification(
            case, by=by, made_at=made_at, grounds=GROUNDS[index % len(GROUNDS)]
        )
        if index == 0:
            register_receipt(notification, by=by, receipt_at=made_at + dt.timedelta(days=2))
    return made
