"""Invented Danish status reports and end reports for the demo, in every state of the review.

Runs after the journal, the Signs of Safety maps and the concern histories, and writes only
through ``traad.reports.services``, like the pages do: the coordinator drafts and submits, the
case's consultant reads it as second reader (and sometimes sends it back), the team's leader
approves and the coordinator sends. Every deadline ``deadlines_for_case`` lists is answered so
the coordinators' deadline overview looks like a working team's:

- every deadline that has passed has a sent report, most of them sent before the deadline and
  two a few days late (so the on-time rate is not 100 %), except ONE that is overdue by a few
  days and still in draft;
- ONE deadline falls due within the next week and has not been started;
- other deadlines of the coming weeks have reports in review, reviewed with comments, approved
  or in draft (one of them after being sent back), and one sent report has a correction in
  draft as version 2.

The demo cases' dates are random, so when no deadline happens to fall a few days ago or in
the coming week, the municipality's report rhythm of one case is changed (``set_report_interval``,
as the municipality may) until one does.

Past steps happen in the past: with time-machine (a dev dependency that ``make run`` installs)
the clock is moved to each step, so the audit rows, the stored PDF and the report agree; without
it the report's timestamps are moved back after the service call (the audit rows keep the
seeding time, as they cannot be changed). No mail goes out: the reports were "sent" long ago.
Every text is a fixed Danish template filled with the names Faker gave the demo families.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from traad.accounts.models import User
from traad.cases.models import Case, CaseStatus, EndReason, PersonRole, Relation
from traad.reports import services
from traad.reports.deadlines import Deadline, DeadlineKind
from traad.reports.drafting import PAGE_LIMIT, estimate_pages, excerpt_candidates
from traad.reports.models import (
    Recommendation,
    Report,
    ReportKind,
    ReportSection,
    ReviewComment,
    SentDocument,
)
from traad.reports.selectors import deadlines_for_case

OWING = (CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.ENDED)
# The overdue deadline is due this many days ago; the one "next week" this many days ahead.
OVERDUE_DAYS = (2, 10)
NEXT_WEEK_DAYS = (2, 7)
NEAR_DAYS = 7
# Rhythms the municipality may set when the demo needs a deadline in one of those windows.
RHYTHMS = (3, 4, 2, 5)
LATE_SENDS = 2
# The least time between two steps of the review when they fall on the same day.
STEP = dt.timedelta(hours=1)

# --- Texts ----------------------------------------------------------------------------------

GOAL_UP = (
    "Familien har i perioden arbejdet stabilt med målet, og scoren er steget fra {fra} til "
    "{til}. {Mor} bruger nu de aftalte redskaber i hverdagen, også mellem besøgene. I næste "
    "periode er opgaven at holde fast i det, der virker.",
    "Der ses en tydelig fremgang i perioden (fra {fra} til {til}). {Mor} fortæller selv, at "
    "det er blevet lettere, og familiekonsulenten oplever det samme ved besøgene. Familien har "
    "stadig brug for støtte, når hverdagen bliver presset.",
    "Målet er rykket fra {fra} til {til}. Ændringen er kommet gradvist og hænger sammen med "
    "faste aftaler, som familien selv har været med til at lave.",
)
GOAL_SAME = (
    "Scoren er uændret på {til}. Familien har i perioden haft svært ved at holde fast i "
    "aftalerne i de travle uger, men der er ingen tilbagegang. Familiekonsulenten fortsætter "
    "med korte, faste opfølgninger ved hvert besøg.",
    "Målet står stille på {til}. Vi har drøftet med {mor}, hvad der skal til for at komme "
    "videre, og har aftalt at dele målet op i mindre skridt.",
)
GOAL_DOWN = (
    "Scoren er faldet fra {fra} til {til}. Nedgangen hænger sammen med en periode med sygdom "
    "og aflyste besøg. Målet er drøftet med familien, og der er lagt en ny plan for de "
    "kommende uger.",
)
GOAL_NEW = (
    "Målet er scoret første gang i perioden ({til}). Familien og familiekonsulenten har "
    "drøftet, hvordan det ser ud, når målet er nået, og hvilke små skridt der skal til.",
)
GOAL_NONE = (
    "Målet er endnu ikke scoret. I perioden er der arbejdet med at gøre det konkret sammen "
    "med familien, så alle ved, hvad der skal ses, før det er nået.",
)

ASSESSMENTS = (
    "Familien har i perioden taget godt imod støtten og deltaget i næsten alle aftalte besøg. "
    "{Mor} er blevet mere opmærksom på {barns} behov og handler oftere selv, før problemerne "
    "vokser sig store. Der er fortsat sårbarhed i pressede perioder, hvor de gamle mønstre "
    "vender tilbage. Samlet vurderer vi, at familien er i en positiv udvikling, men at "
    "ændringerne endnu ikke er så stabile, at de holder uden støtte.",
    "Familien har i perioden haft en mere rolig hverdag med faste rutiner, og {barn} fremstår "
    "tryggere både hjemme og i skolen. Samarbejdet med familien er godt, og {mor} tager selv "
    "kontakt, når noget er svært. Det er vores vurdering, at familien har flyttet sig "
    "tydeligt, og at de resterende mål kan nås med en mindre intensiv indsats.",
    "Samarbejdet med familien har i perioden været svingende: flere besøg er aflyst med kort "
    "varsel, og aftalerne holdes kun delvist. {Mor} giver udtryk for at forstå bekymringen, "
    "men det er endnu ikke omsat til varige ændringer i hverdagen. {Barn} har fortsat brug for "
    "voksne, der er forudsigelige. Vi vurderer, at indsatsen skal fortsætte, og at der er "
    "brug for tættere opfølgning.",
)
REASONS = {
    Recommendation.CONTINUE: (
        "Vi anbefaler, at indsatsen fortsætter uændret i den næste periode. Flere af målene i "
        "barnets plan er ikke nået endnu, og familien har brug for støtte til at fastholde de "
        "ændringer, der er sat i gang. Vi foreslår et opfølgningsmøde om tre måneder."
    ),
    Recommendation.SCALE_DOWN: (
        "Vi anbefaler, at indsatsen nedtrappes fra to til ét ugentligt besøg. Familien har nået "
        "flere af målene og bruger selv netværket. En gradvis nedtrapning giver familien "
        "mulighed for at vise, at ændringerne holder, mens der stadig er støtte at trække på."
    ),
    Recommendation.SCALE_UP: (
        "Vi anbefaler, at indsatsen opjusteres med et ekstra ugentligt besøg i de næste tre "
        "måneder, herunder om aftenen, hvor konflikterne opstår. Uden en tættere indsats er det "
        "vores vurdering, at bekymringen for {barn} vil vokse."
    ),
    Recommendation.END: (
        "Vi anbefaler, at indsatsen afsluttes. Målene i barnets plan er nået eller tæt på, og "
        "familien har et netværk, der kan træde til. Vi anbefaler, at kommunen følger op med "
        "skolen om tre måneder."
    ),
}
END_ASSESSMENTS: dict[str, str] = {
    EndReason.GOALS_REACHED: (
        "Indsatsen er afsluttet, fordi målene i barnets plan er nået. Familien har i forløbet "
        "fået faste rutiner, og {mor} har lært at bruge netværket, når det bliver svært. {Barn} "
        "trives i hverdagen og fortæller selv, at der er mere ro derhjemme. Vi vurderer, at "
        "ændringerne er stabile."
    ),
    EndReason.NO_COOPERATION: (
        "Indsatsen er afsluttet, fordi det ikke har været muligt at etablere et samarbejde med "
        "familien. Flere besøg er aflyst, og {mor} har ikke ønsket at arbejde med målene. "
        "Bekymringen for {barn} er derfor uændret, og vi anbefaler, at kommunen vurderer, hvilken "
        "anden støtte der er brug for."
    ),
}
END_ASSESSMENT_OTHER = (
    "Indsatsen er afsluttet efter aftale med kommunen. Familien har i forløbet arbejdet med "
    "rutiner og samarbejdet med skolen, og der ses en tydelig fremgang på flere af målene. "
    "Rapporten beskriver status ved afslutningen, så en eventuel ny indsats kan bygge videre på "
    "det, familien har nået."
)
SOS_WORKS = (
    "- {Mor} tager selv kontakt til skolen, når der er noget.\n"
    "- {Barn} har en voksen i skolen, som {barn} er tryg ved.\n"
    "- Netværket har hjulpet med at hente og bringe i travle uger."
)
SOS_WORRIES = (
    "- Vi er bekymrede for, at {barn} igen oplever uro og konflikter derhjemme, hvis rutinerne "
    "ikke holder.\n"
    "- Familien har få voksne omkring sig i pressede perioder."
)
SOS_NEXT = (
    "- {Mor} og familiekonsulenten laver en plan for de travle uger (næste besøg).\n"
    "- Netværksmøde med familiens netværk inden for en måned."
)
CHILD_PERSPECTIVE = (
    "{Barn} fortæller, at det er blevet rarere at være hjemme, og at det bedste er, når familien "
    "spiser sammen. {Barn} ønsker sig, at de voksne ikke råber, og at der er tid til at lege."
)
# A child under three does not say it in words: what the consultant saw instead.
CHILD_PERSPECTIVE_SMALL = (
    "{Barn} er for lille til selv at sætte ord på sin hverdag. Ved besøgene søger {barn} trøst "
    "hos {mor} og falder hurtigt til ro, og {barn} viser glæde ved de faste lege."
)
REVIEW_COMMENTS = (
    (
        ReportSection.CHILD_DEVELOPMENT,
        "Skriv gerne, hvad skolen selv siger om fremmødet, så det ikke kun er familiens egen "
        "vurdering.",
    ),
    (
        ReportSection.ASSESSMENT,
        "Anbefalingen er tydelig, men begrundelsen bør knyttes til målene: hvilke mål mangler, "
        "før indsatsen kan nedtrappes?",
    ),
    (
        ReportSection.CHILD,
        "Barnets perspektiv er godt beskrevet. Overvej at tage citatet fra den seneste samtale "
        "med.",
    ),
    (
        ReportSection.SOS,
        "Farebeskrivelsen bør svare til den, der blev aftalt på det seneste netværksmøde.",
    ),
    (
        ReportSection.PARENTING,
        "Skriv konkret, hvad forældrene gør anderledes nu, fx ved putning og morgenrutiner.",
    ),
)
SEND_BACK = (
    "Vurderingen mangler en begrundelse for anbefalingen. Ret den venligst, og send rapporten "
    "til gennemlæsning igen."
)
CORRECTION = (
    " Rettelse: Antallet af besøg i perioden var otte og ikke ti, som der stod i den første udgave."
)


# --- The plan -------------------------------------------------------------------------------


SENT, LATE, EARLY = "sent", "late", "early"
OVERDUE, NOT_STARTED = "overdue", "not_started"
APPROVED, REVIEWED, READY = "approved", "reviewed", "ready"
SENT_BACK, DRAFT = "sent_back", "draft"
IN_PROGRESS = (APPROVED, REVIEWED, READY, SENT_BACK, DRAFT)


@dataclass
class Slot:
    """One deadline of one case and what the demo does with it."""

    case: Case
    deadline: Deadline
    plan: str = NOT_STARTED
    report: Report | None = None
    period_end: dt.date | None = None


@dataclass
class Family:
    mother: str
    child: str
    small: bool = False  # the child is under three


def _time_machine() -> Any:
    try:
        import time_machine  # noqa: PLC0415 (a dev dependency, missing in production)
    except ImportError:  # pragma: no cover - production installs without the dev group
        return None
    return time_machine


class DemoReports:
    def __init__(self, users: dict[str, User], rng: random.Random) -> None:
        self.users = users
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.clock = _time_machine()
        self.made = 0

    # --- the clock ------------------------------------------------------------------------

    @contextmanager
    def _at(self, when: dt.datetime) -> Iterator[None]:
        if self.clock is None:
            yield
            return
        with self.clock.travel(when, tick=False):
            yield

    def _backdate(self, report: Report, **fields: dt.datetime) -> None:
        """Without time-machine: move the report's own timestamps to when the step happened."""
        if self.clock is None:
            Report.objects.filter(pk=report.pk).update(**fields)
            report.refresh_from_db(fields=list(fields))

    def _moment(self, day: dt.date, hour: int) -> dt.datetime:
        minute = self.rng.choice([5, 20, 35, 50])
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return min(moment, self.now - dt.timedelta(minutes=5))

    # --- choosing what to show --------------------------------------------------------------

    def _deadlines(self, case: Case, rhythm: int | None = None) -> list[Deadline]:
        if rhythm is None:
            return deadlines_for_case(case, today=self.today)
        original = case.report_interval_months
        case.report_interval_months = rhythm
        try:
            return deadlines_for_case(case, today=self.today)
        finally:
            case.report_interval_months = original

    def _in_window(self, deadlines: list[Deadline], window: tuple[int, int], sign: int) -> bool:
        low, high = window
        return any(low <= sign * (d.due - self.today).days <= high for d in deadlines)

    def _ensure_window(
        self, cases: list[Case], window: tuple[int, int], sign: int, *, avoid: set[int]
    ) -> None:
        """If no deadline falls in the window, have the municipality of one active case set
        another report rhythm that puts one there."""
        if any(self._in_window(self._deadlines(c), window, sign) for c in cases):
            return
        candidates = [c for c in cases if c.status == CaseStatus.ACTIVE and c.pk not in avoid]
        for rhythm in RHYTHMS:
            for case in candidates:
                if rhythm == case.report_interval_months:
                    continue
                if self._in_window(self._deadlines(case, rhythm), window, sign):
                    when = self._moment(self.today - dt.timedelta(days=30), 11)
                    with self._at(when):
                        services.set_report_interval(
                            case, by=self._coordinator(case), months=rhythm
                        )
                    case.report_interval_months = rhythm
                    avoid.add(case.pk)
                    return
        message = "No report rhythm puts a demo deadline in the window"
        raise RuntimeError(message)  # pragma: no cover

    def _pick(self, slots: list[Slot], window: tuple[int, int], sign: int, target: int) -> Slot:
        low, high = window
        fits = [s for s in slots if low <= sign * (s.deadline.due - self.today).days <= high]

        def preference(slot: Slot) -> tuple[int, int, int, int]:
            days = sign * (slot.deadline.due - self.today).days
            return (
                slot.deadline.kind != DeadlineKind.STATUS,
                slot.case.status != CaseStatus.ACTIVE,
                abs(days - target),
                slot.case.pk,
            )

        return min(fits, key=preference)

    def _plan(self, cases: list[Case]) -> list[Slot]:
        touched: set[int] = set()
        self._ensure_window(cases, OVERDUE_DAYS, -1, avoid=touched)
        self._ensure_window(cases, NEXT_WEEK_DAYS, 1, avoid=touched)
        slots = [Slot(case, deadline) for case in cases for deadline in self._deadlines(case)]
        overdue = self._pick(slots, OVERDUE_DAYS, -1, target=4)
        overdue.plan = OVERDUE
        next_week = self._pick(slots, NEXT_WEEK_DAYS, 1, target=5)
        next_week.plan = NOT_STARTED
        chosen = (overdue, next_week)
        past = [s for s in slots if s.deadline.due < self.today and s not in chosen]
        for slot in past:
            slot.plan = SENT
        # One or two sent a few days late, from well back in time.
        older = [s for s in past if 40 <= (self.today - s.deadline.due).days <= 250]
        for slot in self.rng.sample(older, min(LATE_SENDS, len(older))):
            slot.plan = LATE
        # Everything else due within the week is well under way: in review, approved or sent.
        waiting = {overdue.case.pk, next_week.case.pk}
        near_states = [APPROVED, REVIEWED, READY]
        later_states = [APPROVED, REVIEWED, READY, SENT_BACK, DRAFT]
        upcoming = sorted(
            (s for s in slots if s.deadline.due >= self.today and s not in chosen),
            key=lambda s: (s.deadline.due, s.case.pk),
        )
        for slot in upcoming:
            if slot.case.pk in waiting:
                continue  # an earlier deadline of the case is still open
            near = (slot.deadline.due - self.today).days <= NEAR_DAYS
            if near:
                slot.plan = near_states.pop(0) if near_states else EARLY
                if slot.plan in later_states:
                    later_states.remove(slot.plan)
            elif later_states and not (
                slot.deadline.kind == DeadlineKind.END or slot.case.status == CaseStatus.ENDED
            ):
                slot.plan = later_states.pop(0)
            waiting.add(slot.case.pk)  # later deadlines of this case wait for this one
        return slots

    # --- the people -----------------------------------------------------------------------

    def _coordinator(self, case: Case) -> User:
        return case.coordinator or self.users["koordinator"]

    def _reader(self, case: Case) -> User:
        consultant = case.consultants.order_by("pk").first()
        return consultant or self.users["konsulent"]

    def _family(self, case: Case) -> Family:
        members = list(case.members.select_related("person").order_by("pk"))
        children = [m.person for m in members if m.role == PersonRole.CHILD]
        mothers = [m.person.name.split()[0] for m in members if m.relation == Relation.MOTHER]
        mother = mothers[0] if mothers else "mor"
        if not children:  # pragma: no cover - every demo case past referral has children
            return Family(mother=mother, child="barnet")
        child = children[0]
        born = child.birth_date
        small = born is not None and (self.today - born).days < 3 * 365
        return Family(mother=mother, child=child.name.split()[0], small=small)

    def _fill(self, text: str, family: Family, **extra: Any) -> str:
        barn = family.child
        names = {
            "mor": family.mother,
            "barn": barn,
            "barns": barn if barn[-1] in "sxz" else f"{barn}s",
        }
        values: dict[str, Any] = {**names, **extra}
        values.update(
            {key.capitalize(): value[:1].upper() + value[1:] for key, value in names.items()}
        )
        return text.format_map(values)

    # --- one report -------------------------------------------------------------------------

    def _start(self, slot: Slot, when: dt.datetime, previous_end: dt.date | None) -> Report:
        case, deadline = slot.case, slot.deadline
        if deadline.kind == DeadlineKind.END and case.ended_on is not None:
            period_end = case.ended_on
        else:
            period_end = min(timezone.localtime(when).date(), deadline.due)
        if previous_end is not None:
            period_start = previous_end + dt.timedelta(days=1)
        elif case.first_contact_at is not None:
            period_start = timezone.localtime(case.first_contact_at).date()
        else:  # pragma: no cover - deadlines need a first contact
            period_start = period_end
        period_start = min(period_start, period_end)
        with self._at(when):
            report = services.start_report(
                case,
                by=self._coordinator(case),
                kind=str(deadline.kind),
                deadline_number=deadline.number,
                due_on=deadline.due,
                period_start=period_start,
                period_end=period_end,
            )
        self._backdate(report, created_at=when, updated_at=when)
        slot.period_end = period_end
        self.made += 1
        return report

    def _write(
        self, report: Report, family: Family, when: dt.datetime, *, complete: bool
    ) -> Report:
        """The coordinator's text: goals, the parts the case had nothing for, and (when
        ``complete``) the assessment and recommendation."""
        case = report.case
        sections = list(report.goal_sections.select_related("goal").order_by("position", "pk"))
        goal_texts = {}
        excerpts: dict[int, list[int]] = {}
        quoted: set[int] = set()
        for index, section in enumerate(sections):
            if not complete and index >= 2:
                break  # a draft: the coordinator has got this far
            choices: tuple[str, ...]
            if section.score is None:
                choices = GOAL_NONE
            elif section.previous_score is None:
                choices = GOAL_NEW
            elif section.score > section.previous_score:
                choices = GOAL_UP
            elif section.score < section.previous_score:
                choices = GOAL_DOWN
            else:
                choices = GOAL_SAME
            text = self._fill(
                self.rng.choice(choices), family, fra=section.previous_score, til=section.score
            )
            goal_texts[section.pk] = text
            if len(excerpts) < 2:
                candidates = [
                    pk
                    for pk in excerpt_candidates(
                        section.goal, report.period_start, report.period_end
                    ).values_list("pk", flat=True)
                    if pk not in quoted  # a note quoted once is enough
                ]
                if candidates:
                    excerpts[section.pk] = [self.rng.choice(candidates)]
                    quoted.add(excerpts[section.pk][0])
        fields: dict[str, Any] = {}
        for name, template in (
            ("sos_works", SOS_WORKS),
            ("sos_worries", SOS_WORRIES),
            ("sos_next", SOS_NEXT),
            (
                "child_perspective",
                CHILD_PERSPECTIVE_SMALL if family.small else CHILD_PERSPECTIVE,
            ),
        ):
            if not getattr(report, name).strip():
                fields[name] = self._fill(template, family)
        if complete:
            if report.kind == ReportKind.END:
                reason = case.end_reason
                fields["assessment"] = self._fill(
                    END_ASSESSMENTS.get(reason, END_ASSESSMENT_OTHER), family
                )
                recommendation = Recommendation.END
            else:
                choice = self.rng.randrange(len(ASSESSMENTS))
                fields["assessment"] = self._fill(ASSESSMENTS[choice], family)
                recommendation = (
                    Recommendation.CONTINUE,
                    Recommendation.SCALE_DOWN,
                    self.rng.choice([Recommendation.CONTINUE, Recommendation.SCALE_UP]),
                )[choice]
            fields["recommendation"] = recommendation
            fields["recommendation_reasons"] = self._fill(REASONS[recommendation], family)
        with self._at(when):
            report = services.save_report(
                report,
                by=self._coordinator(case),
                revision=report.revision,
                fields=fields,
                goal_texts=goal_texts,
                excerpts=excerpts,
            )
            if estimate_pages(report) > PAGE_LIMIT:
                # Too long for the caseworker: the quotes go, the coordinator's text stays.
                report = services.save_report(
                    report,
                    by=self._coordinator(case),
                    revision=report.revision,
                    fields={},
                    excerpts={pk: [] for pk in excerpts},
                )
        self._backdate(report, updated_at=when)
        return report

    def _submit(self, report: Report, when: dt.datetime) -> Report:
        with self._at(when):
            report = services.submit_for_review(report, by=self._coordinator(report.case))
        self._backdate(report, submitted_at=when)
        return report

    def _comment(self, report: Report, when: dt.datetime, count: int) -> None:
        reader = self._reader(report.case)
        for section, text in self.rng.sample(REVIEW_COMMENTS, count):
            with self._at(when):
                comment = services.add_review_comment(report, by=reader, section=section, text=text)
            if self.clock is None:
                ReviewComment.objects.filter(pk=comment.pk).update(created_at=when)

    def _review(self, report: Report, when: dt.datetime) -> Report:
        with self._at(when):
            report = services.mark_reviewed(report, by=self._reader(report.case))
        self._backdate(report, reviewed_at=when)
        return report

    def _send_back(self, report: Report, when: dt.datetime) -> Report:
        with self._at(when):
            report = services.send_back(
                report,
                by=self._reader(report.case),
                comment=SEND_BACK,
                section=ReportSection.ASSESSMENT,
            )
        return report

    def _fix_after_send_back(self, report: Report, when: dt.datetime) -> Report:
        addition = (
            " Anbefalingen bygger på, at målene om rutiner og samarbejdet med skolen endnu "
            "ikke er nået."
        )
        with self._at(when):
            report = services.save_report(
                report,
                by=self._coordinator(report.case),
                revision=report.revision,
                fields={"recommendation_reasons": report.recommendation_reasons + addition},
            )
        return report

    def _approve(self, report: Report, when: dt.datetime) -> Report:
        with self._at(when):
            report = services.approve_report(report, by=self.users["leder"])
        self._backdate(report, approved_at=when)
        return report

    def _send(self, report: Report, when: dt.datetime) -> Report:
        with self._at(when):
            report = services.send_report(report, by=self._coordinator(report.case), notify=False)
        if self.clock is None:
            self._backdate(report, sent_at=when)
            SentDocument.objects.filter(report=report).update(created_at=when)
        return report

    def _run(self, slot: Slot, family: Family, previous_end: dt.date | None) -> None:
        """Take one deadline's report as far as its plan says, each step at its own time."""
        plan, due = slot.plan, slot.deadline.due
        if plan == NOT_STARTED:
            return
        rng = self.rng
        if plan in (SENT, LATE, EARLY):
            if plan == LATE:
                sent_day = due + dt.timedelta(days=rng.randint(2, 5))
            elif plan == EARLY:
                sent_day = self.today - dt.timedelta(days=1)
            else:
                sent_day = due - dt.timedelta(days=rng.randint(1, 8))
            sent_day = min(sent_day, self.today - dt.timedelta(days=1))
            if sent_day.weekday() >= 5 and plan != LATE:  # sent on the Friday before
                sent_day -= dt.timedelta(days=sent_day.weekday() - 4)
            end = self._moment(sent_day, rng.choice([10, 11, 13, 14]))
            begin = end - dt.timedelta(days=12)
        elif plan == OVERDUE:
            begin = self._moment(due - dt.timedelta(days=6), 9)
            end = self.now
        else:
            begin = self._moment(self.today - dt.timedelta(days=9), 9)
            end = self.now - dt.timedelta(hours=1)
        if slot.deadline.kind == DeadlineKind.END and slot.case.ended_on is not None:
            begin = max(begin, self._moment(slot.case.ended_on, 9))
        if previous_end is not None:
            begin = max(begin, self._moment(previous_end + dt.timedelta(days=1), 9))

        def at(share: float) -> dt.datetime:
            # Each step on its share of the way, in working hours (later shares later in a day).
            day = timezone.localtime(begin + (end - begin) * share).date()
            naive = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(hours=7 * share)
            moment = timezone.make_aware(naive)
            return max(min(moment, end - (1 - share) * STEP), begin + share * STEP)

        report = self._start(slot, begin, previous_end)
        slot.report = report
        complete = plan not in (OVERDUE, DRAFT)
        report = self._write(report, family, at(0.2), complete=complete)
        if not complete:
            return
        report = self._submit(report, at(0.5))
        # About one in four went back to the coordinator once before it was reviewed.
        if plan == SENT_BACK or (plan in (SENT, LATE) and rng.random() < 0.25):
            self._comment(report, at(0.55), 1)
            report = self._send_back(report, at(0.6))
            report = self._fix_after_send_back(report, at(0.65))
            if plan == SENT_BACK:
                return
            report = self._submit(report, at(0.7))
        if plan == READY:
            return
        if plan == REVIEWED or rng.random() < 0.5:
            self._comment(report, at(0.75), 2 if plan == REVIEWED else 1)
        report = self._review(report, at(0.8))
        if plan == REVIEWED:
            return
        report = self._approve(report, at(0.9))
        if plan == APPROVED:
            return
        slot.report = self._send(report, end)

    def _correct(self, slots: list[Slot], families: dict[int, Family]) -> None:
        """A sent report whose coordinator found a mistake: version 2 is being written."""
        sent = [
            s
            for s in slots
            if s.plan == SENT
            and s.report is not None
            and s.case.status == CaseStatus.ACTIVE
            and s.report.sent_at is not None
            and s.report.sent_at < self.now - dt.timedelta(days=5)
        ]
        if not sent:  # pragma: no cover - the demo always has sent reports
            return
        slot = max(sent, key=lambda s: (s.report.sent_at if s.report else self.now, s.case.pk))
        original = slot.report
        assert original is not None and original.sent_at is not None  # noqa: S101 (mypy)
        when = original.sent_at + dt.timedelta(days=3)
        with self._at(when):
            copy = services.start_correction(original, by=self._coordinator(slot.case))
        self._backdate(copy, created_at=when, updated_at=when)
        with self._at(when + dt.timedelta(minutes=20)):
            copy = services.save_report(
                copy,
                by=self._coordinator(slot.case),
                revision=copy.revision,
                fields={"assessment": copy.assessment + CORRECTION},
            )
        self._backdate(copy, updated_at=when + dt.timedelta(minutes=20))
        self.made += 1

    # --- all of it ------------------------------------------------------------------------

    def create(self) -> int:
        cases = list(
            Case.objects.filter(status__in=OWING, first_contact_at__isnull=False)
            .select_related("coordinator", "caseworker")
            .order_by("pk")
        )
        slots = self._plan(cases)
        families = {case.pk: self._family(case) for case in cases}
        ends: dict[int, dt.date | None] = {}
        for slot in sorted(slots, key=lambda s: (s.case.pk, s.deadline.due)):
            self._run(slot, families[slot.case.pk], ends.get(slot.case.pk))
            if slot.report is not None:
                ends[slot.case.pk] = slot.period_end
        self._correct(slots, families)
        return self.made


@transaction.atomic
def add_demo_reports(users: dict[str, User], rng: random.Random) -> int:
    """Reports on the demo cases in every state. Does nothing when any report exists.
    Returns the number of report versions made."""
    if Report.objects.exists():
        return 0
    return DemoReports(users, rng).create()
