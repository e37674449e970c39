"""Invented Danish Signs of Safety maps for the demo: two or three follow-up meetings per open
case (active or paused), a few weeks apart, each map carried forward and changed a little,
danger statements paired with safety goals, next steps with owners and due dates (some done),
scale ratings by each participant drifting mostly upward, and the Three Houses of the first
child.

Writes only through ``traad.safety.services.maps``, with the case's coordinator acting, like
the pages do. Run it only when no follow-up meeting exists (the caller checks). Every text is
built from the templates below and the names Faker gave the demo families.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from traad.accounts.models import User
from traad.cases.models import Case, CasePerson, PersonRole, Relation
from traad.journal.models import Goal
from traad.safety.models import FollowUpMeeting, MapItem, MapPart, ParticipantRole
from traad.safety.services import maps as services

HARM = (
    "{barn} er flere gange kommet i skole uden madpakke og har fortalt, at der ikke var mad "
    "derhjemme.",
    "Politiet blev i foråret kaldt til adressen efter et højlydt skænderi mellem de voksne, mens "
    "{barn} var hjemme.",
    "{barn} har haft over 20 % fravær i skolen det seneste halve år.",
    "{barn} er to gange blevet hentet sent i institutionen af en voksen, der var påvirket.",
    "{barn} har fortalt pædagogen om en aften, hvor der ikke var nogen voksne hjemme.",
)
PAIRS = (
    (
        "Skolen, kommunen og familiekonsulenten er bekymrede for, at {barn} ikke får mad og søvn "
        "nok, hvis {p} ikke får struktur på hverdagen, og at det går ud over {barn} i skolen.",
        "{barn} kommer udhvilet i skole med madpakke hver dag, og {p} holder fast i "
        "aftenrutinerne i mindst tre måneder.",
    ),
    (
        "Vi er bekymrede for, at {barn} igen vil opleve voldsomme skænderier mellem de voksne og "
        "blive bange og utryg i sit eget hjem.",
        "De voksne løser uenigheder uden råb og trusler, når {barn} er til stede, og {barn} "
        "fortæller selv, at der er roligt derhjemme, i mindst seks måneder.",
    ),
    (
        "Vi er bekymrede for, at {p} drikker alkohol, når {barn} er hjemme, og ikke kan passe på "
        "{barn} om aftenen.",
        "{P} er ædru, når {barn} er hjemme, og netværket træder til, hvis det bliver svært, i "
        "mindst seks måneder.",
    ),
    (
        "Vi er bekymrede for, at {barn} mister kontakten til skolen og kammeraterne, hvis "
        "fraværet fortsætter.",
        "{barn} møder i skole hver dag med højst to dages fravær om måneden i tre måneder i træk.",
    ),
)
COMPLICATING = (
    "{P} er alene med børnene og har ingen bil.",
    "Familien bor trangt i en lejlighed med to værelser.",
    "Familien har økonomiske problemer og har fået rykkere for huslejen.",
    "{P} har selv dårlige erfaringer med kommunen og har svært ved at bede om hjælp.",
    "Der er en langvarig konflikt mellem de voksne om samværet.",
)
STRENGTHS = (
    "{P} holder meget af {barn} og siger selv, at {barn} er det vigtigste.",
    "{P} møder op til alle aftaler med familiekonsulenten.",
    "{barn} har en god kontakt til sin klasselærer.",
    "Mormor bor tæt på og vil gerne hjælpe.",
    "{P} taler åbent om bekymringerne og vil gerne have hjælp.",
    "{barn} går til fodbold to gange om ugen og er glad for det.",
)
SAFETY = (
    "Mormor har haft {barn} hjemme hver gang, de voksne har skændtes, siden sommerferien.",
    "{P} ringede selv til familiekonsulenten, da det blev svært en aften i sidste måned.",
    "{P} har sørget for madpakke hver dag de sidste fire uger.",
    "Der har været ro om aftenen, og {barn} er kommet i seng til tiden de seneste tre uger.",
    "{P} har fulgt {barn} i skole hver morgen i to uger.",
)
# (text, owner: "consultant", "coordinator" or a name outside Tråd, days to the due date)
NEXT_STEPS = (
    ("Lave en fast madplan og indkøbsliste sammen med {p}", "consultant", 14),
    ("Aftale en netværksplan med mormor og de andre i netværket", "consultant", 21),
    ("Ringe til skolen hver fredag og høre, hvordan ugen er gået", "parent", 7),
    ("Deltage i forældresamtale på skolen", "parent", 14),
    ("Sende en oversigt over fraværet til familiekonsulenten hver måned", "Skolen", 30),
    ("Følge {barn} i skole om morgenen i to uger", "parent", 14),
    ("Indkalde til netværksmøde med familien og skolen", "coordinator", 21),
    ("Tale med {barn} om de tre huse", "consultant", 10),
)
REASONS = (
    "Der er kommet mere ro på om morgenen.",
    "Madpakken har været med de fleste dage.",
    "Der har stadig været skænderier, men færre end før.",
    "Netværket er begyndt at træde til.",
    "Vi mangler at se, at det holder over tid.",
)
ONE_STEP_UP = (
    "At madpakken er med hver dag i en hel måned.",
    "At {barn} selv siger, at der er roligt derhjemme.",
    "At netværksplanen bliver brugt, når det bliver svært.",
    "At fraværet er under to dage om måneden.",
)
DECISIONS = (
    "Indsatsen fortsætter uændret. Næste opfølgningsmøde om fire uger.",
    "Målet om skolegang justeres, så fraværet følges hver måned.",
    "Familiekonsulenten kommer to gange om ugen i stedet for tre.",
    "Vi foreslår kommunen at forlænge indsatsen med tre måneder.",
)
HOUSES = (
    "Når mor og far råber. Når jeg ikke har madpakke med.",
    "Min kat. Fodbold med Oliver. Når mormor laver pandekager.",
    "At vi skal på ferie til Bornholm. At jeg får en hund.",
)
# How each participant tends to score: parents a little above the professionals.
SCORE_BIAS = {
    ParticipantRole.MOTHER: 1,
    ParticipantRole.FATHER: 1,
    ParticipantRole.CHILD: 0,
    ParticipantRole.CONSULTANT: 0,
    ParticipantRole.COORDINATOR: -1,
    ParticipantRole.CASEWORKER: -1,
}


@dataclass
class Household:
    child: CasePerson | None
    mother: CasePerson | None
    father: CasePerson | None

    @property
    def barn(self) -> str:
        return _first(self.child.person.name) if self.child else "barnet"

    @property
    def parent(self) -> str:
        if self.mother and self.father:
            return "mor og far"
        return "far" if self.father and not self.mother else "mor"

    @property
    def parent_name(self) -> str:
        return "Far" if self.father and not self.mother else "Mor"


def _first(name: str) -> str:
    return name.split()[0] if name.strip() else name


def _household(case: Case) -> Household:
    members = list(case.members.all())  # prefetched, ordered by person name
    return Household(
        child=next((m for m in members if m.role == PersonRole.CHILD), None),
        mother=next((m for m in members if m.relation == Relation.MOTHER), None),
        father=next((m for m in members if m.relation == Relation.FATHER), None),
    )


def _text(template: str, family: Household) -> str:
    return template.format(barn=family.barn, p=family.parent, P=family.parent.capitalize())


def _meeting_days(case: Case, rng: random.Random, today: dt.date) -> list[dt.date]:
    count = rng.choice((2, 2, 3))
    last = today - dt.timedelta(days=rng.randint(2, 6))
    started = timezone.localdate(case.first_contact_at or case.received_at)
    spacing = rng.randint(21, 28)
    if started + dt.timedelta(days=spacing * (count - 1)) > last:
        spacing = max(7, (last - started).days // max(count - 1, 1))
    return [last - dt.timedelta(days=spacing * (count - 1 - i)) for i in range(count)]


class DemoMaps:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.today = timezone.localdate()

    def create(self) -> int:
        cases = (
            Case.objects.filter(status__in=["active", "paused"], coordinator__isnull=False)
            .select_related("coordinator", "caseworker")
            .prefetch_related(
                "consultants",
                Prefetch(
                    "members",
                    queryset=CasePerson.objects.select_related("person").order_by(
                        "person__birth_date", "person__name"
                    ),
                ),
            )
            .order_by("pk")
        )
        return sum(self._case(case) for case in cases)

    def _case(self, case: Case) -> int:
        rng = self.rng
        by: User = case.coordinator  # type: ignore[assignment]
        consultants = list(case.consultants.all())
        consultant = consultants[0] if consultants else None
        family = _household(case)
        days = _meeting_days(case, rng, self.today)
        pairs = rng.sample(PAIRS, k=2 if family.mother or family.father else 1)
        steps = list(NEXT_STEPS)
        rng.shuffle(steps)
        base = rng.randint(2, 4)
        goals = list(Goal.objects.filter(case=case)[:2])
        meeting: FollowUpMeeting | None = None
        for index, day in enumerate(days):
            if meeting is not None:
                self._finish_steps(meeting, by, share=0.5)
            meeting = services.start_meeting(
                case, by=by, held_on=day, participants=self._participants(case, family)
            )
            if index == 0:
                self._first_map(meeting, by, family, pairs, steps[:3], consultant)
            else:
                self._update_map(meeting, by, family, steps[3 + 2 * (index - 1) :][:2], consultant)
            self._rate(case, meeting, by, family, base + index * rng.choice((1, 1, 2)))
            services.record_decisions(
                meeting,
                by=by,
                decisions=rng.choice(DECISIONS),
                adjust_goals=rng.random() < 0.3,
                change_intervention=rng.random() < 0.2,
                propose_to_municipality=index == len(days) - 1 and rng.random() < 0.3,
                goals_affected=goals[:1] if rng.random() < 0.5 else [],
            )
        if family.child is not None:
            services.record_three_houses(
                case,
                by=consultant or by,
                child=family.child.person,
                spoken_on=days[-1] - dt.timedelta(days=rng.randint(1, 5)),
                worries=HOUSES[0],
                good_things=HOUSES[1],
                dreams=HOUSES[2],
            )
        return len(days)

    def _participants(self, case: Case, family: Household) -> str:
        people = [m.person.name for m in (family.mother, family.father) if m is not None]
        people.append("familiekonsulent")
        people.append("koordinator")
        if case.caseworker_id:
            people.append("sagsbehandler")
        return ", ".join(people)

    def _add_step(
        self,
        meeting: FollowUpMeeting,
        by: User,
        family: Household,
        step: tuple[str, str, int],
        consultant: User | None,
    ) -> None:
        text, who, days = step
        owner: User | None = None
        owner_name = ""
        if who == "consultant" and consultant is not None:
            owner = consultant
        elif who == "coordinator":
            owner = by
        elif who == "parent" or who == "consultant":
            owner_name = family.parent_name
        else:
            owner_name = who
        services.add_map_item(
            meeting,
            by=by,
            part=MapPart.NEXT_STEP,
            text=_text(text, family),
            owner=owner,
            owner_name=owner_name,
            due_on=meeting.held_on + dt.timedelta(days=days),
        )

    def _first_map(
        self,
        meeting: FollowUpMeeting,
        by: User,
        family: Household,
        pairs: list[tuple[str, str]],
        steps: list[tuple[str, str, int]],
        consultant: User | None,
    ) -> None:
        rng = self.rng
        parts = (
            (MapPart.HARM, rng.sample(HARM, 2)),
            (MapPart.COMPLICATING, rng.sample(COMPLICATING, rng.randint(1, 2))),
            (MapPart.STRENGTHS, rng.sample(STRENGTHS, 2)),
            (MapPart.SAFETY, rng.sample(SAFETY, 1)),
        )
        for part, texts in parts:
            for text in texts:
                services.add_map_item(meeting, by=by, part=part, text=_text(text, family))
        for danger, goal in pairs:
            services.add_danger_pair(
                meeting,
                by=by,
                danger_statement=_text(danger, family),
                safety_goal=_text(goal, family),
            )
        for step in steps:
            self._add_step(meeting, by, family, step, consultant)

    def _update_map(
        self,
        meeting: FollowUpMeeting,
        by: User,
        family: Household,
        steps: list[tuple[str, str, int]],
        consultant: User | None,
    ) -> None:
        """Progress: more safety and strengths, a complicating factor gone, new next steps."""
        rng = self.rng
        items = list(MapItem.objects.filter(meeting=meeting))
        have = {item.text for item in items}
        for part, pool in ((MapPart.SAFETY, SAFETY), (MapPart.STRENGTHS, STRENGTHS)):
            fresh = [t for t in (_text(t, family) for t in pool) if t not in have]
            if fresh:
                services.add_map_item(meeting, by=by, part=part, text=rng.choice(fresh))
        complicating = [i for i in items if i.part == MapPart.COMPLICATING]
        if len(complicating) > 1:
            services.remove_map_item(complicating[-1], by=by)
        for step in steps:
            self._add_step(meeting, by, family, step, consultant)

    def _finish_steps(self, meeting: FollowUpMeeting, by: User, *, share: float) -> None:
        for item in MapItem.objects.filter(
            meeting=meeting, part=MapPart.NEXT_STEP, done_at__isnull=True
        ):
            if self.rng.random() < share:
                services.complete_next_step(item, by=by)

    def _rate(
        self, case: Case, meeting: FollowUpMeeting, by: User, family: Household, level: int
    ) -> None:
        rng = self.rng
        raters: list[tuple[str, str]] = []
        if family.mother:
            raters.append((ParticipantRole.MOTHER, _first(family.mother.person.name)))
        if family.father:
            raters.append((ParticipantRole.FATHER, _first(family.father.person.name)))
        if family.child:
            raters.append((ParticipantRole.CHILD, family.barn))
        raters += [
            (ParticipantRole.CONSULTANT, ""),
            (ParticipantRole.COORDINATOR, ""),
        ]
        if case.caseworker_id:
            raters.append((ParticipantRole.CASEWORKER, ""))
        for pair in meeting.pairs.all():
            for role, name in raters:
                score = level + SCORE_BIAS[ParticipantRole(role)] + rng.choice((-1, 0, 0, 1))
                services.rate_pair(
                    case,
                    by=by,
                    thread=pair.thread,
                    participant_role=role,
                    participant_name=name,
                    score=max(0, min(10, score)),
                    rated_on=meeting.held_on,
                    reason=rng.choice(REASONS) if rng.random() < 0.5 else "",
                    one_step_up=_text(rng.choice(ONE_STEP_UP), family)
                    if rng.random() < 0.4
                    else "",
                    meeting=meeting,
                )


def add_demo_maps(rng: random.Random | None = None) -> int:
    """Follow-up meetings with maps, scales and the Three Houses for the open demo cases.
    Returns the number of meetings created."""
    return DemoMaps(rng or random.Random(20)).create()  # noqa: S311 - demo data
