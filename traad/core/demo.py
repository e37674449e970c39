"""Invented Danish demo cases for `make run`, built through the same services as the pages.

Every name, CPR number and address is made up by Faker (da_DK) with a fixed seed, so the demo
looks the same on every machine. CPR numbers are random valid-looking numbers, not real people.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone
from faker import Faker

from traad.accounts.models import ConsultantProfile, Role, User
from traad.accounts.services import create_user
from traad.cases import services
from traad.cases.matching import top_proposal
from traad.cases.models import (
    Case,
    ContactKind,
    EndReason,
    InterventionType,
    Investigation,
    PersonRole,
    Relation,
    Urgency,
)
from traad.organisations.models import Competence, Language, Municipality, Team

# Postcodes in each demo municipality, so matching by area makes sense.
POSTCODES = {
    "101": ["2100", "2200", "2300", "2400", "2450"],
    "751": ["8000", "8200", "8210", "8220", "8260"],
    "147": ["1820", "1900", "2000"],
    "461": ["5000", "5200", "5220", "5250"],
    "851": ["9000", "9200", "9210", "9220"],
    "159": ["2860", "2880"],
    "167": ["2650"],
}

# (municipality code, how many demo cases)
MUNICIPALITIES = [
    ("101", 12),
    ("751", 8),
    ("147", 4),
    ("461", 4),
    ("851", 4),
    ("159", 4),
    ("167", 4),
]

# Extra consultants: (languages, competences, cultural background, evenings/weekends, postcodes)
CONSULTANTS: list[tuple[list[str], list[str], str, bool, str]] = [
    (["da", "ar"], ["Familieterapi", "Traumebehandling"], "Libanesisk-dansk", True, "2000-2990"),
    (["da", "so"], ["Socialt arbejde", "Familieterapi"], "Somalisk-dansk", False, "2200-2700"),
    (["da", "tr"], ["Specialpædagogik", "Familieterapi"], "Tyrkisk-dansk", True, "2000-2800"),
    (["da", "pl"], ["Sygepleje", "Spæd- og småbørn"], "Polsk", False, "1000-2990"),
    (["da", "ur", "en"], ["Socialt arbejde", "Misbrugsbehandling"], "Pakistansk-dansk", True, ""),
    (["da", "ti"], ["Traumebehandling", "Samværsstøtte"], "Eritreisk-dansk", True, "8000-8999"),
    (["da", "uk", "ru"], ["Familieterapi", "Psykologi"], "Ukrainsk", False, "8000-8999"),
    (["da"], ["Samværsstøtte", "Marte Meo"], "", True, "5000-5999"),
    (["da", "en"], ["Vold i nære relationer", "Familieterapi"], "", True, "9000-9999"),
]

SCHOOLS = ["Skole", "Friskole", "Børnehave", "Vuggestue", "Dagpleje", "Fritidshjem"]
PURPOSES = [
    "Styrke forældrenes omsorgsevne og skabe struktur i hverdagen.",
    "Forebygge anbringelse gennem intensiv støtte til familien.",
    "Støtte samspillet mellem mor og barn efter en periode med høj konflikt.",
    "Sikre trygge rammer for samvær mellem barn og forælder.",
    "Styrke forældresamarbejdet efter skilsmisse og nedbringe konflikter.",
    "Støtte barnets skolegang og fremmøde.",
]
CONCERNS = [
    "Skolen har underrettet om højt fravær og et barn, der virker træt og sulten.",
    "Politiet har været tilkaldt til husspektakler to gange det seneste halve år.",
    "Mor har en psykisk lidelse og er i perioder ikke i stand til at tage sig af børnene.",
    "Far har et kendt alkoholforbrug; børnene fortæller om uforudsigelige aftener.",
    "Familien er nyankommet og mangler netværk; sproglige barrierer i kontakten med skolen.",
]


def _cpr_for(rng: random.Random, born: dt.date) -> str:
    # The seventh digit gives the century (see traad.cases.cpr).
    seventh = rng.choice("0123") if born.year < 2000 else rng.choice("45678")
    return f"{born:%d%m%y}{seventh}{rng.randint(0, 999):03d}"


class DemoCases:
    def __init__(self, *, team: Team, users: dict[str, User], fake: Faker) -> None:
        self.team = team
        self.users = users
        self.fake = fake
        self.rng = random.Random(2026)  # noqa: S311 (demo data, not security)
        self.now = timezone.now()
        self.referrals = 0

    def create(self) -> int:
        self._profiles()
        caseworkers = self._caseworkers()
        types = list(InterventionType.objects.filter(is_active=True))
        languages = {lang.code: lang for lang in Language.objects.all()}
        statuses = (
            ["referral"] * 6 + ["assigned"] * 4 + ["active"] * 20 + ["paused"] * 3 + ["ended"] * 7
        )
        self.rng.shuffle(statuses)
        # The demo's oldest referral waits more than 24 hours; one assigned case did too.
        plan: list[tuple[str, str]] = []
        for code, count in MUNICIPALITIES:
            plan += [(code, statuses.pop()) for _ in range(count)]
        created = 0
        for index, (code, status) in enumerate(plan):
            self._case(index, code, status, caseworkers[code], types, languages)
            created += 1
        return created

    def _name(self) -> str:
        # Faker's name() adds titles ("Univ.Prof."); staff and families go by plain names.
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    # --- people of the provider -------------------------------------------------------------

    def _profiles(self) -> None:
        competences = {c.name: c for c in Competence.objects.all()}
        languages = {lang.code: lang for lang in Language.objects.all()}
        konsulent = self.users["konsulent"]
        profile, _ = ConsultantProfile.objects.get_or_create(
            user=konsulent,
            defaults={
                "capacity_hours": Decimal("30"),
                "available_evenings": True,
                "available_weekends": True,
                "postcodes": "1000-2990",
                "cultural_background": "Dansk",
            },
        )
        profile.languages.set([languages["da"], languages["en"]])
        profile.competences.set([competences["Familieterapi"], competences["Socialt arbejde"]])
        for number, (langs, comps, background, flexible, postcodes) in enumerate(CONSULTANTS):
            email = f"konsulent{number + 2}@traad.example"
            user = User.objects.filter(email=email).first() or create_user(
                by=None,
                email=email,
                password=None,
                full_name=self._name(),
                role=Role.CONSULTANT,
                team=self.team,
                phone=self.fake.phone_number(),
            )
            profile, _ = ConsultantProfile.objects.get_or_create(
                user=user,
                defaults={
                    "capacity_hours": Decimal(self.rng.choice(["25", "30", "37"])),
                    "available_evenings": flexible,
                    "available_weekends": flexible,
                    "postcodes": postcodes,
                    "cultural_background": background,
                },
            )
            profile.languages.set([languages[c] for c in langs])
            profile.competences.set([competences[c] for c in comps])

    def _caseworkers(self) -> dict[str, User]:
        result = {"101": self.users["sagsbehandler"], "751": self.users["sagsbehandler2"]}
        for code, _count in MUNICIPALITIES:
            if code in result:
                continue
            email = f"sagsbehandler.{code}@kommune.example"
            result[code] = User.objects.filter(email=email).first() or create_user(
                by=None,
                email=email,
                password=None,
                full_name=self._name(),
                role=Role.CASEWORKER,
                municipality=Municipality.objects.get(code=code),
                phone=self.fake.phone_number(),
            )
        return result

    # --- one case ---------------------------------------------------------------------------

    def _case(
        self,
        index: int,
        code: str,
        status: str,
        caseworker: User,
        types: list[InterventionType],
        languages: dict[str, Language],
    ) -> Case:
        rng, fake = self.rng, self.fake
        intake, coordinator = self.users["modtagelse"], self.users["koordinator"]
        if status == "referral":
            # The first referral has waited 30 hours (past the 24-hour goal), the rest less.
            self.referrals += 1
            age = dt.timedelta(hours=30 if self.referrals == 1 else rng.randint(1, 20))
        elif status == "assigned":
            age = dt.timedelta(hours=rng.randint(6, 40))
        else:
            age = dt.timedelta(days=rng.randint(20, 400))
        received_at = self.now - age
        intervention = rng.choice(types)
        home = [languages["da"]] + (
            [languages[rng.choice(["ar", "so", "tr", "pl", "ur", "ti", "uk"])]]
            if rng.random() < 0.4
            else []
        )
        half_filled = status == "referral" and index % 3 == 0
        fields: dict[str, Any] = {
            "municipality": Municipality.objects.get(code=code),
            "received_at": received_at,
            "urgency": rng.choice([Urgency.NORMAL, Urgency.NORMAL, Urgency.URGENT, Urgency.ACUTE]),
        }
        if not half_filled:
            fields.update(
                caseworker=caseworker,
                intervention_type=intervention,
                purpose=rng.choice(PURPOSES),
                expected_duration_months=rng.choice([3, 6, 9, 12]),
                concerns=rng.choice(CONCERNS),
                flag_violence=rng.random() < 0.2,
                flag_substance_misuse=rng.random() < 0.2,
                flag_mental_illness=rng.random() < 0.2,
                address=fake.street_address(),
                postcode=rng.choice(POSTCODES[code]),
            )
            if rng.random() < 0.3:
                fields["investigation"] = rng.choice(
                    [Investigation.AFDAEKNING, Investigation.BORNEFAGLIG]
                )
                fields["investigation_expected_end"] = (received_at + dt.timedelta(days=60)).date()
        start = timezone.localtime(received_at).date()
        order = (
            {}
            if half_filled
            else {
                "approved_hours_per_week": Decimal(rng.choice(["4", "6", "8", "10", "12"])),
                "period_start": start,
                "period_end": start + dt.timedelta(days=180),
            }
        )
        case = services.register_referral(
            by=intake, fields=fields, order=order, home_languages=home
        )
        self._household(case, intake, skip_children=half_filled)
        if status == "referral":
            return case

        top = top_proposal(case)
        consultant = top or self.users["konsulent"]
        reason = ""
        if index % 4 == 0 and top is not None and top != self.users["konsulent"]:
            consultant = self.users["konsulent"]
            reason = "Har tidligere arbejdet med familien og kender børnene."
        services.assign_case(
            case, by=intake, consultant=consultant, coordinator=coordinator, reason=reason
        )
        if status == "assigned":
            return case

        first_contact = received_at + dt.timedelta(hours=rng.choice([3, 8, 15, 20, 23, 30, 50]))
        services.record_first_contact(case, by=consultant, at=min(first_contact, self.now))
        self._network(case, coordinator)
        if status == "paused":
            services.pause_case(
                case, by=coordinator, reason="Barnet er indlagt; indsatsen holder pause."
            )
        elif status == "ended":
            ended_on = min(
                timezone.localtime(received_at).date() + dt.timedelta(days=rng.randint(90, 330)),
                timezone.localdate(),
            )
            reason_code = rng.choice(
                [
                    EndReason.GOALS_REACHED,
                    EndReason.GOALS_REACHED,
                    EndReason.BY_MUNICIPALITY,
                    EndReason.NO_COOPERATION,
                    EndReason.FAMILY_MOVED,
                ]
            )
            services.end_case(case, by=coordinator, reason=reason_code, ended_on=ended_on)
        return case

    def _household(self, case: Case, by: User, *, skip_children: bool) -> None:
        rng, fake = self.rng, self.fake
        surname = fake.last_name()
        today = timezone.localdate()
        mother_born = today - dt.timedelta(days=rng.randint(24, 45) * 365)
        services.add_person_to_case(
            case,
            by=by,
            name=f"{fake.first_name_female()} {surname}",
            cpr=_cpr_for(rng, mother_born),
            role=PersonRole.ADULT,
            relation=Relation.MOTHER,
        )
        if rng.random() < 0.6:
            father_born = today - dt.timedelta(days=rng.randint(25, 50) * 365)
            services.add_person_to_case(
                case,
                by=by,
                name=f"{fake.first_name_male()} {surname}",
                cpr=_cpr_for(rng, father_born),
                role=PersonRole.ADULT,
                relation=Relation.FATHER,
            )
        if skip_children:
            return
        for _ in range(rng.randint(1, 3)):
            born = today - dt.timedelta(days=rng.randint(200, 17 * 365))
            first = fake.first_name_female() if rng.random() < 0.5 else fake.first_name_male()
            place = f"{fake.city()} {rng.choice(SCHOOLS)}"
            services.add_person_to_case(
                case,
                by=by,
                name=f"{first} {surname}",
                cpr=_cpr_for(rng, born),
                role=PersonRole.CHILD,
                relation=Relation.CHILD,
                school_or_daycare=place,
            )

    def _network(self, case: Case, by: User) -> None:
        fake = self.fake
        services.add_network_person(
            case,
            by=by,
            name=self._name(),
            relation=self.rng.choice(["Mormor", "Farfar", "Moster", "Nabo", "Veninde til mor"]),
            phone=fake.phone_number(),
            note="Kan hente børnene og være med til netværksmøder.",
        )
        services.add_professional_contact(
            case,
            by=by,
            kind=self.rng.choice(
                [ContactKind.SCHOOL, ContactKind.DAYCARE, ContactKind.HEALTH_VISITOR]
            ),
            organisation=f"{fake.city()} {self.rng.choice(SCHOOLS)}",
            person_name=self._name(),
            phone=fake.phone_number(),
        )
