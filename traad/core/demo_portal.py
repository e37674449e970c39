"""Invented Danish portal traffic for the demo caseworker in Copenhagen (sagsbehandler@).

Runs after the reports and writes only through ``traad.portal.services``, like the pages do, so
every row has its audit row. On the demo caseworker's open (active or paused) cases:

- two open recommendations to answer: the one a sent report already made (``send_report``
  turns a report's "scale up/down/end" into a recommendation) when there is one, else new ones;
- one recommendation the caseworker agreed to, and one they disagreed with in a comment;
- one open request for a statement;
- an information preference on one case;
- feedback on two cases, one of them about the latest report the caseworker received.

Aarhus lets its caseworkers cover for each other, so the setting shows in the demo;
Copenhagen does not, so sagsbehandler2 (Aarhus) never sees sagsbehandler's cases.

Past steps happen in the past: with time-machine (a dev dependency) the clock is moved to
each step; without it the row's own timestamp is moved back after the service call (the
audit rows keep the seeding time). No mail goes out: the services that always mail the
provider run with a dummy mail backend, as nobody should hear about invented traffic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.test.utils import override_settings
from django.utils import timezone

from traad.accounts.models import User
from traad.cases.models import Case, CaseStatus
from traad.organisations.models import Municipality
from traad.portal import services
from traad.portal.models import (
    Answer,
    Feedback,
    InformationPreference,
    Recommendation,
    RecommendationKind,
    StatementRequest,
)
from traad.reports.models import Report, ReportState

CASEWORKER = "sagsbehandler"
COVERING_MUNICIPALITY = "751"  # Aarhus; Copenhagen (101) keeps the setting off
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"
OPEN = (CaseStatus.ACTIVE, CaseStatus.PAUSED)

PREFERENCE = "Jeg vil gerne have en kort status pr. mail hver 14. dag og straks ved bekymring."
OPEN_RECOMMENDATIONS = (
    (
        RecommendationKind.CHANGE_INTERVENTION,
        "Vi anbefaler, at indsatsen ændres fra hjemmebesøg til et forløb med fælles "
        "familiesamtaler i huset. Familien har brug for at øve de svære samtaler med "
        "hinanden, og det lykkes bedre uden for hjemmet.",
    ),
    (
        RecommendationKind.SCALE_UP,
        "Vi anbefaler, at indsatsen opjusteres med et ekstra besøg om ugen i de næste to "
        "måneder, om aftenen, hvor konflikterne opstår. Bekymringen for barnet er vokset i "
        "de seneste uger.",
    ),
)
AGREED = (
    RecommendationKind.SCALE_DOWN,
    "Vi anbefaler, at indsatsen nedtrappes fra to til ét ugentligt besøg. Familien har nået "
    "flere af målene og bruger selv netværket.",
    "Enig. Vi tager det med på næste opfølgningsmøde.",
)
DISAGREED = (
    RecommendationKind.END_GOALS_REACHED,
    "Vi anbefaler, at indsatsen afsluttes. Målene i barnets plan er nået eller tæt på, og "
    "familien har et netværk, der kan træde til.",
    "Jeg er ikke enig i at afslutte nu. Skolen er stadig bekymret for fraværet, så jeg "
    "ønsker, at indsatsen fortsætter til efter næste skolemøde, og at vi så vurderer igen.",
)
STATEMENT = (
    "Familieretshuset har bedt om en udtalelse om samværet mellem barnet og far. Kan I "
    "beskrive, hvordan de seneste samvær er gået, og hvordan barnet har reageret bagefter?"
)
FEEDBACK_ON_REPORT = (
    4,
    5,
    4,
    "En klar og brugbar rapport. Det var let at se, hvad der har rykket sig, og hvorfor I "
    "anbefaler det, I gør.",
)
FEEDBACK = (
    5,
    4,
    3,
    "Godt samarbejde og hurtige svar. Jeg vil gerne høre lidt oftere fra jer mellem rapporterne.",
)


def _time_machine() -> Any:
    try:
        import time_machine  # noqa: PLC0415 (a dev dependency, missing in production)
    except ImportError:  # pragma: no cover - production installs without the dev group
        return None
    return time_machine


class DemoPortal:
    def __init__(self, users: dict[str, User]) -> None:
        self.users = users
        self.caseworker = users[CASEWORKER]
        self.now = timezone.now()
        self.clock = _time_machine()
        self.made = 0

    # --- the clock ------------------------------------------------------------------------

    @contextmanager
    def _at(self, when: dt.datetime) -> Iterator[None]:
        # The services that mail the provider run without mail: this traffic is invented.
        with override_settings(EMAIL_BACKEND=NO_MAIL):
            if self.clock is None:
                yield
                return
            with self.clock.travel(when, tick=False):
                yield

    def _backdate(self, row: Model, **fields: dt.datetime) -> None:
        """Without time-machine: move the row's own timestamps to when the step happened."""
        if self.clock is None:
            type(row).objects.filter(pk=row.pk).update(**fields)  # type: ignore[attr-defined]
            row.refresh_from_db(fields=list(fields))

    def _ago(self, case: Case, days: int, hour: int) -> dt.datetime:
        """``days`` ago at ``hour`` local time, but never before the family was first met."""
        day = timezone.localdate(self.now) - dt.timedelta(days=days)
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
        if case.first_contact_at is not None:
            moment = max(moment, case.first_contact_at + dt.timedelta(hours=1))
        return min(moment, self.now - dt.timedelta(minutes=5))

    def _provider(self, case: Case) -> User:
        return case.coordinator or self.users["leder"]

    # --- the steps ------------------------------------------------------------------------

    def _recommend(self, case: Case, kind: str, text: str, when: dt.datetime) -> Recommendation:
        with self._at(when):
            recommendation = services.recommend(
                case, by=self._provider(case), kind=kind, text=text, notify=False
            )
        self._backdate(recommendation, created_at=when)
        self.made += 1
        return recommendation

    def _answer(
        self, recommendation: Recommendation, answer: str, text: str, when: dt.datetime
    ) -> None:
        with self._at(when):
            recommendation = services.answer_recommendation(
                recommendation, by=self.caseworker, answer=answer, text=text
            )
        self._backdate(recommendation, answered_at=when)

    def _feedback(
        self, case: Case, scores: tuple[int, int, int, str], when: dt.datetime, report: Any = None
    ) -> None:
        collaboration, usefulness, progression, comment = scores
        with self._at(when):
            feedback = services.give_feedback(
                case,
                by=self.caseworker,
                collaboration=collaboration,
                report_usefulness=usefulness,
                progression_info=progression,
                comment=comment,
                report=report,
            )
        self._backdate(feedback, given_at=when)
        self.made += 1

    # --- all of it ------------------------------------------------------------------------

    def create(self) -> int:
        cases = list(
            Case.objects.filter(caseworker=self.caseworker, status__in=OPEN)
            .select_related("coordinator")
            .order_by("pk")
        )
        if not cases:  # pragma: no cover - the demo always gives sagsbehandler open cases
            return 0
        from_reports = list(Recommendation.objects.filter(case__in=cases, answered_at__isnull=True))
        with_open = {r.case_id for r in from_reports}
        # Answered recommendations go on cases without an open one, so each case's panel
        # tells one story; the new open ones go first on cases without any.
        free = [c for c in cases if c.pk not in with_open] or cases

        def pick(index: int) -> Case:
            return free[index % len(free)]

        agree_case, disagree_case = pick(len(free) - 1), pick(len(free) - 2)
        kind, text, comment = AGREED
        agreed = self._recommend(agree_case, kind, text, self._ago(agree_case, 30, 10))
        self._answer(agreed, Answer.AGREE, comment, self._ago(agree_case, 27, 14))
        kind, text, comment = DISAGREED
        disagreed = self._recommend(disagree_case, kind, text, self._ago(disagree_case, 18, 11))
        self._answer(disagreed, Answer.DISAGREE, comment, self._ago(disagree_case, 16, 9))
        for index, (kind, text) in enumerate(OPEN_RECOMMENDATIONS[len(from_reports) :]):
            case = pick(index)
            self._recommend(case, kind, text, self._ago(case, 3 + index, 13))

        statement_case = pick(1)
        when = self._ago(statement_case, 2, 10)
        with self._at(when):
            request = services.request_statement(
                statement_case,
                by=self.caseworker,
                text=STATEMENT,
                wanted_by=timezone.localdate(self.now) + dt.timedelta(days=12),
            )
        self._backdate(request, requested_at=when)
        self.made += 1

        received = (
            Report.objects.filter(case__in=cases, state=ReportState.SENT, sent_at__isnull=False)
            .select_related("case")
            .order_by("-sent_at", "-pk")
            .first()
        )
        report_case = received.case if received is not None else cases[0]
        when = self._ago(report_case, 25, 12)
        with self._at(when):
            preference = services.set_information_preference(
                report_case, by=self.caseworker, text=PREFERENCE
            )
        self._backdate(preference, updated_at=when)
        self.made += 1

        if received is not None and received.sent_at is not None:
            when = min(received.sent_at + dt.timedelta(days=4), self.now - dt.timedelta(hours=1))
        self._feedback(report_case, FEEDBACK_ON_REPORT, when, report=received)
        other = next((c for c in cases if c.pk != report_case.pk), report_case)
        self._feedback(other, FEEDBACK, self._ago(other, 7, 15))
        return self.made


def portal_demo_exists() -> bool:
    """Rows only the portal makes (a sent report's own recommendation does not count)."""
    return (
        Feedback.objects.exists()
        or StatementRequest.objects.exists()
        or InformationPreference.objects.exists()
        or Recommendation.objects.filter(report__isnull=True).exists()
    )


@transaction.atomic
def add_demo_portal(users: dict[str, User]) -> int:
    """Portal traffic for the Copenhagen demo caseworker. Does nothing when the portal already
    has rows of its own. Returns the number of rows made."""
    if portal_demo_exists():
        return 0
    Municipality.objects.filter(code=COVERING_MUNICIPALITY).update(
        caseworkers_cover_each_other=True
    )
    return DemoPortal(users).create()
