"""Invented Danish demo goals, rating histories, journal entries and samvær sessions.

Runs after ``traad.core.demo`` and writes only through ``traad.journal.services``, like the
pages do. The services refuse to write on ended cases, so only open cases (assigned, active,
paused) get a journal. Every text is built from the templates below with a seeded
``random.Random`` and the names Faker (da_DK) gave the demo families: nothing is about a real
person. Dates are relative to today, so the demo always looks current.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from faker import Faker

from traad.accounts.models import User
from traad.cases.models import Case, CasePerson, CaseStatus, PersonRole, Relation
from traad.journal import services
from traad.journal.models import (
    DIMENSION_AREA,
    CancelReason,
    ConcernChange,
    ContactKind,
    Dimension,
    FocusArea,
    Goal,
    GoalStatus,
    JournalEntry,
    RaterRole,
    SessionStatus,
    VisitationSession,
)

SENTENCE_END = re.compile(r"(?<=[a-zæøå0-9]{2}\.) (?=[A-ZÆØÅ])")
OPEN_STATUSES = (CaseStatus.ASSIGNED, CaseStatus.ACTIVE, CaseStatus.PAUSED)
MAX_ENTRIES = 30
WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
GENITIVE = {"mor": "mors", "far": "fars", "mor og far": "mor og fars", "plejefamilien": ""}


# --- Goals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalTemplate:
    """One goal of a plan. ``ages`` is the age range of the child it is about (None: the
    family). ``parent`` is who the goal is about: "any" (mother, father or both), "both"
    (needs a father in the household), "solo" (a mother without the father at home) or
    "visit" (the parent who has samvær)."""

    dimension: str
    ages: tuple[int, int] | None
    title: str
    description: str
    topic: str
    quotes: tuple[str, ...] = ()
    parent: str = "any"
    samvaer: bool = False


G = GoalTemplate
D = Dimension
GOALS: list[GoalTemplate] = [
    # Barnets udvikling
    G(
        D.HEALTH,
        (0, 2),
        "{P} går til alle aftaler hos sundhedsplejersken og egen læge med {barn}",
        "{barn} følger børneundersøgelserne og vaccinationsprogrammet, og {p} ved, hvornår "
        "den næste aftale er.",
        "aftalerne hos sundhedsplejersken",
    ),
    G(
        D.HEALTH,
        (3, 12),
        "{barn} har en fast sengetid og sover hele natten",
        "{barn} er i seng kl. 20 på hverdage, og putningen tager under en halv time.",
        "sengetid og putning",
        (
            "Jeg kan ikke sove, når der er larm i stuen.",
            "Jeg vil gerne have, at {p} sidder hos mig lidt, når jeg skal sove.",
        ),
    ),
    G(
        D.HEALTH,
        (6, 17),
        "{barn} spiser morgenmad og har madpakke med hver dag",
        "{barn} spiser morgenmad hjemme og har en madpakke med alle hverdage.",
        "morgenmad og madpakker",
        ("Jeg bliver sulten i skolen, når jeg ikke har madpakke med.",),
    ),
    G(
        D.HEALTH,
        (13, 17),
        "{barn} holder fast i samtalerne hos psykologen",
        "{barn} møder op til de aftalte samtaler og fortæller selv, hvad de hjælper med.",
        "samtalerne hos psykologen",
        ("Det hjælper at snakke med hende, men ikke når det er tidligt om morgenen.",),
    ),
    G(
        D.DEVELOPMENT,
        (3, 12),
        "{barn} siger fra med ord i stedet for at slå",
        "{barn} bruger ord eller går væk, når vreden kommer, og de voldsomme konflikter med "
        "de andre børn bliver færre.",
        "hvad {barn} kan gøre, når vreden kommer",
        ("Jeg bliver så vred, når nogen tager mine ting.", "Jeg vil gerne lære ikke at slå."),
    ),
    G(
        D.DEVELOPMENT,
        (6, 17),
        "{barn} har en voksen at gå til, når noget er svært",
        "{barn} kan selv nævne to voksne, hjemme og i skolen, der er gode at tale med.",
        "hvem {barn} kan tale med, når noget er svært",
        (
            "Jeg vil gerne kunne snakke med nogen, uden at {p} bliver ked af det.",
            "Min lærer er sød, hun lytter til mig.",
        ),
    ),
    G(
        D.DEVELOPMENT,
        (0, 2),
        "{barn} udvikler sprog og motorik alderssvarende",
        "Sundhedsplejersken vurderer, at {barn} følger sin alder i sprog og motorik.",
        "{barns} udvikling og de små lege, der styrker sproget",
    ),
    G(
        D.DEVELOPMENT,
        (13, 17),
        "{barn} er hjemme til aftalt tid og svarer, når {p} ringer",
        "{barn} overholder de aftalte udetider i mindst tre uger i træk.",
        "udetider og aftaler",
        (
            "Jeg vil gerne have lov til at være ude til kl. 22 i weekenden.",
            "Det er fint med regler, hvis de er de samme hver gang.",
        ),
    ),
    G(
        D.SCHOOL,
        (6, 16),
        "{P} sørger for, at {barn} kommer i skole hver dag",
        "{barn} møder til tiden, og fraværet er under 5 % over tre måneder.",
        "morgenrutinerne og skolefremmødet",
        (
            "Jeg vil gerne have, at der er nogen, der vækker mig om morgenen.",
            "Jeg kan godt lide at gå i skole, når jeg ikke kommer for sent.",
        ),
    ),
    G(
        D.SCHOOL,
        (6, 14),
        "{barn} får hjælp til lektierne derhjemme",
        "{barn} laver lektier med en voksen mindst tre gange om ugen, og skolen melder, at "
        "lektierne er lavet.",
        "lektielæsning og samarbejdet med skolen",
        ("Matematik er svært, men jeg vil gerne blive bedre.",),
    ),
    G(
        D.SCHOOL,
        (1, 5),
        "{barn} kommer i {inst} alle hverdage og bliver hentet til aftalt tid",
        "{barn} afleveres inden kl. 9 og hentes senest kl. 16, og personalet oplever, at "
        "{barn} er glad og udhvilet.",
        "aflevering og afhentning i {inst_def}",
        ("Jeg vil gerne lege med mine venner i børnehaven.",),
    ),
    G(
        D.SCHOOL,
        (13, 17),
        "{barn} gennemfører skoleåret og har en plan for ungdomsuddannelse",
        "{barn} har under 10 % fravær og har sammen med UU-vejlederen valgt en uddannelse.",
        "skolen og planerne efter 9. klasse",
        (
            "Jeg vil gerne på teknisk skole og blive tømrer.",
            "Jeg vil bare gerne have ro til at gå i skole.",
        ),
    ),
    G(
        D.LEISURE,
        (7, 17),
        "{barn} går til en fritidsaktivitet mindst én gang om ugen",
        "{barn} er startet til en selvvalgt aktivitet og kommer der fast.",
        "hvilken fritidsaktivitet {barn} har lyst til",
        (
            "Jeg vil gerne gå til fodbold ligesom min ven.",
            "Jeg vil gerne gå til svømning igen.",
            "Jeg vil gerne gå til dans.",
        ),
    ),
    G(
        D.LEISURE,
        (6, 13),
        "{barn} har en ven med hjem mindst hver anden uge",
        "Der er faste legeaftaler, og {p} hjælper med at lave dem med de andre forældre.",
        "legeaftaler og venskaber",
        (
            "Jeg vil gerne have lov til at have en ven med hjem.",
            "Der er ingen, der vil lege med mig i frikvarteret.",
        ),
    ),
    G(
        D.LEISURE,
        (13, 17),
        "{barn} har en fritid med jævnaldrende, som de voksne kender til",
        "{barn} kommer fast i klubben, og {p} ved, hvem {barn} er sammen med.",
        "{barns} fritid og venner",
        ("Jeg vil gerne være i klubben om aftenen.",),
    ),
    # Forældrekompetencer
    G(
        D.SAFE_CARE,
        (3, 17),
        "{P} taler roligt til {barn} og råber ikke",
        "Konflikter bliver løst uden råb og trusler, og {barn} fortæller, at det er blevet "
        "mere roligt derhjemme.",
        "hvordan {p} kan bevare roen, når konflikterne opstår",
        ("Jeg vil gerne have, at {p} ikke råber.", "Jeg bliver bange, når de voksne råber."),
    ),
    G(
        D.SAFE_CARE,
        (0, 2),
        "{P} reagerer på {barns} signaler og trøster, når {barn} græder",
        "{P} tager {barn} op og trøster inden for kort tid og kan fortælle, hvad {barn} har "
        "brug for.",
        "{barns} signaler og trøst",
    ),
    G(
        D.SAFE_CARE,
        (0, 10),
        "Der er faste rutiner omkring måltider og sengetid",
        "Familien spiser aftensmad sammen ved bordet, og {barn} kommer i seng på samme tid "
        "hver aften.",
        "faste rutiner ved aftensmad og sengetid",
        ("Jeg kan bedst lide, når vi spiser sammen.",),
    ),
    G(
        D.SAFE_CARE,
        None,
        "Hjemmet er et roligt sted for børnene, også i pressede perioder",
        "{P} har en plan for, hvad der skal ske, når presset bliver for stort, og bruger den.",
        "{ps} plan for pressede situationer",
    ),
    G(
        D.STIMULATION,
        (0, 8),
        "{P} læser eller leger med {barn} 15 minutter hver dag",
        "Der er en fast stund hver dag, hvor {p} er helt til stede sammen med {barn} uden telefon.",
        "den daglige legestund",
        ("Jeg elsker, når {p} læser højt for mig.",),
    ),
    G(
        D.STIMULATION,
        (6, 14),
        "{P} følger med i {barns} skoledag og læser beskeder på Aula",
        "{P} ved, hvad der sker i skolen, og svarer på beskeder fra lærerne inden for en uge.",
        "Aula og kontakten til skolen",
    ),
    G(
        D.STIMULATION,
        (13, 17),
        "{P} og {barn} laver faste aftaler om weekender og udetid",
        "Aftalerne bliver lavet søndag aften og holder hele ugen.",
        "aftaler om weekender og udetid",
        ("Det er fint med regler, hvis de er de samme hver gang.",),
    ),
    G(
        D.STIMULATION,
        (3, 12),
        "{P} roser {barn} og giver tydelige beskeder",
        "{P} giver én besked ad gangen og roser, når {barn} gør det, der er aftalt.",
        "tydelige beskeder og ros",
        ("Jeg kan godt lide, når {p} siger, at jeg har gjort det godt.",),
    ),
    G(
        D.RELATIONSHIPS,
        (3, 17),
        "Far og mor taler roligt sammen ved aflevering",
        "Afleveringerne foregår uden diskussioner foran børnene, og praktiske aftaler klares "
        "på sms.",
        "forældresamarbejdet og afleveringerne",
        ("Jeg vil gerne have, at mor og far ikke skændes, når jeg skal over til far.",),
        parent="both",
    ),
    G(
        D.RELATIONSHIPS,
        (3, 17),
        "Mor støtter, at {barn} har kontakt med sin far",
        "{barn} ser sin far efter en fast plan, og mor taler positivt om samværet.",
        "{barns} kontakt med sin far",
        ("Jeg savner far.", "Jeg vil gerne se far på min fødselsdag."),
        parent="solo",
    ),
    G(
        D.RELATIONSHIPS,
        (0, 17),
        "{P} sætter ord på {barns} følelser i hverdagen",
        "{P} kan med egne ord beskrive, hvordan {barn} har det, og hjælper {barn} med at sige "
        "det højt.",
        "at sætte ord på {barns} følelser",
        ("Jeg vil gerne have, at {p} spørger, hvordan jeg har det.",),
    ),
    # Familie og netværk
    G(
        D.FAMILY,
        None,
        "Familien har en fast ugeplan, som alle kan se",
        "Ugeplanen hænger på køleskabet og bliver lavet sammen søndag aften.",
        "ugeplanen og overblikket over ugen",
    ),
    G(
        D.FAMILY,
        None,
        "{P} holder aftaler med skole, læge og kommune",
        "{P} bruger kalenderen på telefonen og aflyser selv, hvis en aftale ikke kan holdes.",
        "kalenderen og de mange aftaler",
    ),
    G(
        D.FAMILY,
        None,
        "{P} forstår kommunens bekymring og kan selv fortælle, hvad der skal ændres",
        "{P} kan med egne ord forklare, hvad kommunen er bekymret for, og hvad der skal være "
        "på plads, før indsatsen kan afsluttes.",
        "kommunens bekymring, og hvad der skal til, før sagen kan lukkes",
    ),
    G(
        D.HOUSING,
        None,
        "Familien har overblik over økonomien, og huslejen bliver betalt til tiden",
        "Der er lagt et budget, og de faste udgifter betales via Betalingsservice.",
        "budgettet og de faste udgifter",
    ),
    G(
        D.HOUSING,
        None,
        "{P} møder op til aftalerne i jobcentret",
        "{P} har mødt op til alle aftaler i tre måneder og er i gang med et praktikforløb.",
        "aftalerne i jobcentret",
    ),
    G(
        D.HOUSING,
        None,
        "Familien har en bolig med plads til, at børnene kan sove uforstyrret",
        "Familien er skrevet op til en større bolig, og der er indrettet en rolig sovekrog "
        "til børnene.",
        "boligen og børnenes soveplads",
    ),
    G(
        D.SOCIAL_NETWORK,
        None,
        "Familien har et netværk, der kan træde til",
        "Mindst to personer i netværket kender familiens plan og kan hente børnene eller give "
        "{p} en pause.",
        "netværket, og hvem der kan træde til",
    ),
    G(
        D.SOCIAL_NETWORK,
        None,
        "{P} har en voksen at ringe til, når det bliver svært",
        "{P} har aftalt med en person i netværket, at {p} må ringe, også om aftenen.",
        "hvem {p} kan ringe til, når det bliver svært",
    ),
    G(
        D.SOCIAL_NETWORK,
        None,
        "{P} deltager i en forældregruppe i lokalområdet",
        "{P} er kommet i gruppen mindst fire gange og kender et par af de andre forældre.",
        "forældregruppen i lokalområdet",
    ),
    # Samvær
    G(
        D.RELATIONSHIPS,
        (1, 17),
        "Samværet mellem {barn} og {sp} er trygt og forudsigeligt",
        "Samværet foregår hver uge som aftalt, og {barn} går glad til og fra samvær.",
        "samværet og overgangene før og efter",
        (
            "Jeg glæder mig til at se {sp}, men jeg vil ikke være der alene.",
            "Jeg vil gerne have, at vi kan bage kage sammen igen.",
        ),
        parent="visit",
        samvaer=True,
    ),
    G(
        D.SAFE_CARE,
        None,
        "{SP} møder op til samværet til aftalt tid og har forberedt en aktivitet",
        "{SP} har mødt op til tiden ved alle samvær i to måneder og har selv haft en idé med.",
        "forberedelsen af samværet",
        parent="visit",
        samvaer=True,
    ),
    G(
        D.STIMULATION,
        (0, 12),
        "{SP} tager initiativ til leg og følger {barns} spor under samværet",
        "{SP} lader {barn} vælge legen og bliver i den, til {barn} er færdig.",
        "leg og samspil under samværet",
        parent="visit",
        samvaer=True,
    ),
    G(
        D.RELATIONSHIPS,
        (4, 17),
        "{SP} taler ikke om voksenkonflikten, når {barn} hører det",
        "Der bliver ikke talt om {andens} forhold under samværet, og {barn} skal ikke bære "
        "beskeder mellem de voksne.",
        "at holde voksenkonflikten væk fra {barn}",
        ("Jeg vil ikke høre om, hvad de voksne er uenige om.",),
        parent="visit",
        samvaer=True,
    ),
    G(
        D.FAMILY,
        None,
        "{SP} og {anden} udveksler praktiske beskeder om {barn} i en fast kontaktbog",
        "Kontaktbogen følger {barn} til hvert samvær, og begge sider skriver kort i den.",
        "kontaktbogen mellem hjemmene",
        parent="visit",
        samvaer=True,
    ),
    G(
        D.DEVELOPMENT,
        (1, 17),
        "{barn} er rolig og sover godt efter samvær",
        "{anden_cap} oplever, at {barn} falder til ro samme aften og sover hele natten efter "
        "samvær.",
        "hvordan {barn} har det efter samvær",
        ("Jeg er træt, når jeg kommer hjem fra samvær.",),
        parent="visit",
        samvaer=True,
    ),
]
del G, D

DROP_REASONS: dict[str, list[str]] = {
    Dimension.HOUSING: [
        "Familien har fået anvist en større bolig, så målet er ikke længere aktuelt.",
    ],
    "": [
        "Målet er erstattet af et mere konkret mål efter opfølgningsmødet med sagsbehandleren.",
        "Kommunen har taget målet ud af handleplanen; det følges i stedet op af skolen og "
        "sundhedsplejen.",
    ],
}

RATING_COMMENTS: dict[str, dict[str, list[str]]] = {
    RaterRole.CONSULTANT: {
        "start": ["Udgangspunkt ved indsatsens start.", "Vurderet ved første besøg."],
        "up": [
            "Tydelig fremgang siden sidst.",
            "{P} har fulgt op på aftalerne de seneste uger.",
            "Stabil udvikling; rutinerne sidder bedre.",
            "Fremgang, men det er stadig skrøbeligt, når der kommer pres på.",
        ],
        "down": [
            "Tilbagefald efter en svær weekend.",
            "Sygdom i familien; rutinerne skred i en periode.",
            "Uro efter et svært møde med kommunen.",
        ],
        "same": ["Uændret; vi holder fast i planen.", "Ingen ændring siden sidst."],
    },
    RaterRole.PARENT: {
        "start": ["Det er svært lige nu.", "Vi har brug for hjælp til det her."],
        "up": [
            "Det går bedre, men morgenerne er stadig hårde.",
            "Jeg synes selv, vi er kommet langt.",
            "Det hjælper at have en plan.",
        ],
        "down": ["Det har været en dårlig uge.", "Jeg har ikke haft overskud."],
        "same": ["Nogle dage går det, andre ikke.", "Det er ligesom sidst."],
    },
    RaterRole.CHILD: {
        "start": ["Det er ikke så godt.", "Det ved jeg ikke rigtigt."],
        "up": [
            "Det er blevet bedre derhjemme.",
            "Det er rarere nu.",
            "Vi hygger mere.",
        ],
        "down": ["Det var dumt i sidste uge.", "Der var meget ballade."],
        "same": ["Det er okay.", "Ligesom før."],
    },
    RaterRole.COORDINATOR: {
        "start": ["Vurderet på opstartsmødet."],
        "up": [
            "Vurderet på opfølgningsmødet med konsulenten; enige om fremgang.",
            "Fremgang bekræftet af sagsbehandleren på mødet.",
        ],
        "down": ["Drøftet på opfølgningsmødet; vi justerer indsatsen."],
        "same": ["Drøftet på opfølgningsmødet; uændret."],
    },
}


# --- Journal entries ------------------------------------------------------------------------

HOME_OPENINGS = [
    "Aftalt besøg kl. {tid}. {P} tog imod i døren, og {barn} ville straks vise mig en tegning.",
    "Besøg kl. {tid}. {P} fortalte, at natten havde været urolig, og at alle var trætte. Vi "
    "tog udgangspunkt i {emne}.",
    "Besøg i hjemmet kl. {tid}. Vi startede med en kop kaffe ved spisebordet og en kort "
    "status på ugen, der var gået.",
    "Besøg kl. {tid} efter aftale med {p}. Fokus i dag var {emne}.",
]
MORNING_OPENINGS = [
    "Morgenbesøg kl. {tid} for at støtte op om morgenrutinen. {barn} var vågen, men endnu "
    "ikke klædt på, da jeg kom.",
    "Morgenbesøg kl. {tid}. {P} havde sat morgenmad frem, og vi gennemgik sammen, hvad der "
    "skulle nås, før {barn} skulle af sted.",
]
AFTERNOON_OPENINGS = [
    "Besøg i hjemmet kl. {tid}. Der var ryddet op i stuen, og {barn} sad og spiste "
    "eftermiddagsmad, da jeg kom.",
    "Besøg i hjemmet kl. {tid}, lige efter at {barn} var kommet hjem. Vi talte om {emne}.",
]
EVENING_OPENINGS = [
    "Aftenbesøg kl. {tid}. Familien var i gang med aftensmaden, og jeg spiste med.",
    "Besøg i hjemmet kl. {tid}. {P} havde lavet aftensmad sammen med børnene, og vi talte "
    "om {emne}.",
]
SMALL_CHILD_EVENING = "Aftenbesøg kl. {tid} med fokus på aftensmad og putning."
MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
# (youngest, oldest, sentence) about the child in focus
HOME_BODY: list[tuple[int, int, str]] = [
    (
        3,
        17,
        "Vi gennemgik ugeplanen sammen, og {p} satte selv kryds ved de dage, der var lykkedes.",
    ),
    (
        1,
        8,
        "{barn} legede ved siden af med klodser, og jeg guidede {p} i at sætte ord på det, "
        "{barn} var optaget af.",
    ),
    (
        6,
        17,
        "Vi talte om, hvad {p} kan gøre, når konflikterne om skærmtid opstår, og øvede en "
        "konkret formulering.",
    ),
    (
        0,
        17,
        "Vi gennemgik posten sammen og lavede en liste over regninger, der skal betales "
        "inden den 1.",
    ),
    (
        0,
        10,
        "Jeg filmede et kort stykke af måltidet, og bagefter så vi optagelsen sammen. {P} "
        "lagde selv mærke til, at {barn} søgte øjenkontakt.",
    ),
    (
        3,
        17,
        "{barn} var i starten tilbageholdende, men kom efter et stykke tid og viste mig "
        "sit værelse.",
    ),
    (0, 17, "Vi talte om {emne}, og {p} kom selv med forslag til, hvad der kan hjælpe."),
    (
        0,
        17,
        "{P} gav udtryk for frustration over sagsbehandlingen i kommunen; vi aftalte, at "
        "koordinatoren tager det med på næste opfølgningsmøde.",
    ),
    (
        0,
        17,
        "Vi tegnede et netværkskort sammen, og {p} pegede på {netværk} som en, der kan "
        "hjælpe mere end i dag.",
    ),
    (
        2,
        17,
        "Familien spiser nu aftensmad ved bordet uden skærme, hvilket er nyt siden sidste måned.",
    ),
    (
        4,
        14,
        "Der opstod en konflikt om tablet-tiden; {p} holdt fast i aftalen uden at hæve "
        "stemmen, og {barn} faldt til ro efter nogle minutter.",
    ),
    (
        1,
        9,
        "Vi øvede sengetidsrutinen trin for trin: bad, tandbørstning, en historie og lys "
        "ud kl. 19.30.",
    ),
    (
        0,
        2,
        "{P} gav {barn} flaske, og vi talte om de signaler, {barn} giver, når der er brug for "
        "en pause eller en lur.",
    ),
    (6, 17, "{barn} fortalte selv om ugen i skolen og om en ny ven i klassen."),
    (13, 17, "{barn} var med i en del af samtalen og fortalte om sine planer for weekenden."),
    (
        0,
        17,
        "{P} fortalte om en svær situation i weekenden, og vi gennemgik, hvad der gik "
        "godt, og hvad {p} kunne have gjort anderledes.",
    ),
]
AGREEMENTS = [
    "holde fast i den faste sengetid",
    "skrive de gode øjeblikke ned i hæftet",
    "ringe til skolen om forældresamtalen",
    "tage {barn} med på biblioteket",
    "ringe til {netværk} og spørge om hjælp til afhentning om tirsdagen",
    "lave ugeplanen sammen med børnene søndag aften",
    "prøve den nye formulering, når {barn} ikke vil i seng",
]
HOME_CLOSINGS = [
    "Vi aftalte, at {p} til næste gang prøver at {aftale}.",
    "Næste besøg er aftalt til {næste}.",
    "Vi sluttede af med at opsummere, hvad der var gået godt i ugen. Næste besøg er {næste}.",
]
REFLECTIONS = {
    "up": [
        "{P} viser større overblik end ved sidste besøg og tager selv initiativ til at følge "
        "op på aftalerne.",
        "Det er mit indtryk, at rutinerne er ved at sætte sig. {barn} virker mere rolig og "
        "tryg i hjemmet.",
        "Der er tydelig fremgang i samspillet mellem {p} og {barn}; {p} er bedre til at "
        "aflæse {barns} signaler.",
        "Jeg vurderer, at familien er på vej i den rigtige retning, og at indsatsen kan "
        "fortsætte som planlagt.",
        "{P} tager imod vejledning og afprøver den mellem besøgene. Det er en vigtig "
        "forandring i forhold til opstarten.",
    ],
    "same": [
        "Familien har stadig brug for tæt støtte til at holde fast i strukturen i hverdagen.",
        "Jeg vurderer, at {p} har forstået bekymringen, men endnu har svært ved at omsætte "
        "den til handling i pressede situationer.",
        "Ingen ny bekymring. Fokus fortsætter på {emne}.",
        "{P} er motiveret, men overskuddet svinger meget fra uge til uge. Vi holder fast i de "
        "små, konkrete aftaler.",
    ],
    "down": [
        "Ugen har været præget af tilbagefald, og {p} var mere opgivende end ved de seneste "
        "besøg. Jeg følger tæt op og drøfter det med koordinatoren.",
        "Jeg er fortsat bekymret for, om {barn} får den ro og forudsigelighed, der er brug "
        "for. Det tages op på næste opfølgningsmøde.",
        "{P} var presset og havde svært ved at fastholde fokus under besøget. Jeg vurderer, "
        "at der er brug for hyppigere besøg i en periode.",
    ],
}
REFLECTION_TAILS = [
    "",
    "",
    " Drøftet kort med koordinatoren efter besøget.",
    " Kan indgå i næste statusrapport.",
]

PHONE_REASONS = [
    (6, 17, "{barn} ikke ville i skole om morgenen"),
    (0, 17, "et brev fra kommunen var svært at forstå"),
    (0, 17, "{barn} havde haft en urolig nat"),
    (0, 17, "en aftale hos lægen var blevet flyttet"),
    (0, 17, "der havde været en konflikt, {p} gerne ville tale om"),
]
PHONE_TEXTS = [
    "Telefonsamtale med {p} kl. {tid}. {P} ringede, fordi {grund}. Vi talte om, hvad {p} "
    "kan gøre, og aftalte at følge op ved næste besøg.",
    "Videosamtale med {p} kl. {tid} i stedet for det planlagte besøg, da {barn} var syg. Vi "
    "fulgte op på {emne}.",
    "Opfølgende telefonsamtale med {p} efter sidste besøg. {P} fortalte, at aftalerne om "
    "{emne} var blevet holdt de fleste dage.",
]
PHONE_REFLECTIONS = [
    "Godt, at {p} selv tog kontakt; det viser, at {p} bruger os som støtte.",
    "Kort samtale, ingen ny bekymring. Følges op ved næste besøg.",
    "{P} lød rolig og havde selv fundet en løsning. Det er et godt tegn.",
]
NETWORK_TEXTS = [
    "Netværksmøde i hjemmet kl. {tid} med {p}, {netværk} ({netværk_rel}) og {fagperson}. Vi "
    "lavede en aftale om, hvem der kan træde til, når {p} har brug for en pause. {netværk} "
    "tilbød at hente {barn} om onsdagen.",
    "Netværksmøde kl. {tid}. {netværk} ({netværk_rel}) deltog sammen med {p}. Vi gennemgik "
    "familiens plan, og netværket fik en kopi af den del, der handler om {emne}.",
]
NETWORK_REFLECTIONS = [
    "Netværket er villigt til at hjælpe, men skal have konkrete opgaver. Det styrker "
    "familiens plan.",
    "{P} var nervøs før mødet, men tog selv ordet. Netværket er en vigtig ressource, når "
    "indsatsen slutter.",
]
SCHOOL_TEXTS = [
    "Møde på {skole} kl. {tid} med {lærer} og {p}. Skolen fortalte, at {barn} {skole_obs}. Vi "
    "aftalte {skole_aftale}.",
    "Skolemøde kl. {tid} på {skole}. {lærer} og {p} deltog. Vi talte om {emne}, og om at "
    "{barn} {skole_obs}. Vi aftalte {skole_aftale}.",
]
DAYCARE_TEXTS = [
    "Møde i {skole} kl. {tid} med pædagog {lærer} og {p}. Personalet oplever, at {barn} "
    "{dag_obs}. Vi aftalte, at {p} og personalet siger kort til hinanden ved afhentning, "
    "hvordan dagen er gået.",
]
SCHOOL_OBS = [
    "er kommet til tiden de fleste dage den seneste måned",
    "stadig har svært ved overgangen fra frikvarter til time",
    "har fået en ny ven i klassen",
    "virker mere udhvilet om morgenen",
]
SCHOOL_AGREEMENTS = [
    "en kontaktbog, hvor skolen og {p} skriver kort sammen hver fredag",
    "et nyt møde om seks uger",
    "en fast voksen, som {barn} kan gå til i frikvartererne",
]
DAYCARE_OBS = [
    "er mere glad ved afleveringen",
    "stadig er træt om formiddagen",
    "leger mere med de andre børn",
]
SCHOOL_REFLECTIONS = [
    "Samarbejdet med skolen er godt, og {p} deltog aktivt. Skolens observationer bekræfter "
    "den fremgang, vi ser i hjemmet.",
    "{P} var anspændt før mødet, men fik sagt det, {p} havde forberedt. Vi følger op på "
    "aftalerne om en måned.",
]
CASEWORKER_TEXTS = [
    "Opfølgningsmøde kl. {tid} med sagsbehandler {sb} ({kommune}), {p} og familiekonsulent "
    "{konsulent}. Vi gennemgik målene i handleplanen og talte om {emne}. {sb} ønsker {ønske}.",
    "Møde med sagsbehandler {sb} kl. {tid} om indsatsens forløb. Familiekonsulent "
    "{konsulent} deltog. Vi gennemgik skalering af målene og aftalte {ønske}.",
]
CASEWORKER_WISHES = [
    "en kort status inden næste opfølgning",
    "at indsatsen fortsætter med samme timetal",
    "at der fortsat er fokus på {emne}",
]
CASEWORKER_REFLECTIONS = [
    "Godt møde med en tydelig fælles retning. Familien og sagsbehandleren er enige i "
    "vurderingen af fremgangen.",
    "Sagsbehandleren deler vores vurdering. Næste statusrapport skal særligt belyse {emne}.",
]
OTHER_TEXTS = [
    "Ledsagede {p} til {sted} kl. {tid}. Vi forberedte spørgsmålene i bilen, og {p} førte "
    "selv ordet det meste af tiden.",
    "Ledsagede {p} til {sted} kl. {tid}. Bagefter talte vi om, hvad der var blevet aftalt, og "
    "skrev det ind i kalenderen.",
]
OTHER_PLACES = [
    "et møde i jobcentret",
    "en samtale hos egen læge",
    "et møde i boligselskabet om huslejen",
    "en samtale i borgerservice",
]
OTHER_REFLECTIONS = [
    "{P} klarede selv det meste af samtalen; min rolle var at hjælpe med at huske spørgsmålene.",
    "Det er tydeligt, at {p} har brug for støtte til møder med myndigheder. Vi øver det "
    "næste gang selv.",
]
FIRST_VISIT = (
    "Første besøg i familien kl. {tid}. Jeg præsenterede mig og fortalte om indsatsen, og om "
    "hvad jeg skriver i journalen. {P} fortalte om hverdagen og om kommunens bekymring. {barn} "
    "var med en del af tiden."
)
FIRST_REFLECTION = (
    "{P} tog godt imod mig og virker motiveret for samarbejdet. Vi har aftalt faste besøg, og "
    "at vi starter med {emne}."
)
PAUSE_TEXT = (
    "Telefonsamtale med {p} kl. {tid}. {barn} er indlagt på børneafdelingen og bliver der "
    "foreløbig. {P} er hos {barn} det meste af dagen. Indsatsen holder pause efter aftale "
    "med sagsbehandleren."
)
PAUSE_REFLECTION = (
    "{P} er bekymret, men har overblik og god kontakt til personalet på afdelingen. Jeg har "
    "aftalt at ringe igen i næste uge."
)
# (text, reflection, with the parent who has samvær rather than the other side)
SAMVAER_ENTRY_TEXTS: list[tuple[str, str, bool]] = [
    (
        "Forberedende telefonsamtale med {sp} kl. {tid} forud for samværet. Vi talte om, hvad "
        "{sp} og {barn} kan lave sammen, og om at holde voksenkonflikten ude af samværet.",
        "{SP} tager imod vejledningen og er selv optaget af, at samværet bliver godt for {barn}.",
        True,
    ),
    (
        "Opfølgende samtale med {anden} kl. {tid} efter samværet. {anden_cap} fortalte, at "
        "{barn} havde sovet godt og havde talt om samværet i løbet af weekenden.",
        "Det er positivt, at {barn} kan tale om samværet bagefter. Vi holder fast i faste "
        "rammer for aflevering og afhentning.",
        False,
    ),
    (
        "Telefonsamtale med {sp} kl. {tid} om sidste samvær. Vi gennemgik, hvad der gik godt, "
        "og hvad {sp} vil prøve at gøre anderledes næste gang.",
        "{SP} reflekterer selv over samspillet med {barn}; det er en tydelig udvikling siden "
        "forsamtalen.",
        True,
    ),
]
SAMVAER_FIRST = (
    "Forsamtale med {sp} kl. {tid} før det første samvær. Jeg fortalte om rammerne for {form}, "
    "om min rolle under samværet, og om at jeg skriver en samværsbeskrivelse efter hvert "
    "samvær. {SP} fortalte om {barn} og om, hvad de plejede at lave sammen."
)
SAMVAER_FIRST_REFLECTION = (
    "{SP} glæder sig til samværet, men er nervøs for, om {barn} vil genkende {sp_pron}. Vi starter "
    "med korte samvær og en fast struktur."
)
SAMVAER_OTHER_TEXTS = [
    "Møde med {anden} kl. {tid} om rammerne for samværet: aflevering, afhentning og hvad "
    "{barn} må have med.",
    "Samtale med {anden} kl. {tid} om, hvordan {barn} har det i dagene før og efter samvær.",
]
SAMVAER_OTHER_REFLECTIONS = [
    "{anden_cap} bakker op om samværet, men har brug for at vide præcis, hvad der skal ske.",
    "Overgangene før og efter samvær er fortsat det sværeste for {barn}. Vi holder fast i "
    "faste rammer for aflevering og afhentning.",
]
CONCERN_HIGHER = (
    "{P} fortæller, at der har været et voldsomt skænderi i hjemmet, som naboerne hørte. "
    "Koordinatoren er orienteret samme dag."
)
CONCERN_LOWER = (
    "Rutinerne har holdt i flere uger, og {barn} virker tydeligt mere tryg og rolig i hjemmet."
)
AMENDMENTS = [
    "Tilføjelse: {P} ringede dagen efter besøget og fortalte, at {barn} havde sovet hele "
    "natten. Det understøtter vurderingen ovenfor.",
    "Rettelse: Besøget sluttede et kvarter senere end anført, fordi vi færdiggjorde ugeplanen.",
    "Tilføjelse efter samtale med koordinatoren: Punktet om netværket tages med i næste "
    "statusrapport.",
]

# --- Samvær ---------------------------------------------------------------------------------

SESSION_ARRIVALS = [
    "{SP} kom til tiden og havde medbragt {medbragt}.",
    "{barn} blev afleveret af {anden} kl. {tid} og gik efter en kort opvarmning hen til {sp}.",
    "{SP} ventede i lokalet, da {barn} kom, og hilste roligt.",
]
SESSION_ITEMS = [
    "frugt og en lille bog",
    "et spil, de plejer at spille",
    "boller og saft",
    "et fotoalbum",
]
SESSION_ACTIVITIES: list[tuple[int, int, str]] = [
    (3, 12, "De byggede med lego og spillede et spil, {barn} selv havde valgt."),
    (2, 12, "De gik en tur på legepladsen og spiste madpakker på en bænk."),
    (4, 17, "De bagte boller i køkkenet og spiste dem sammen."),
    (3, 17, "De tegnede og så billeder fra {barns} fødselsdag på {sps} telefon."),
    (0, 2, "{SP} gav {barn} flaske og skiftede ble med lidt guidning."),
    (0, 3, "{SP} sang for {barn} og legede med rangler og bøger på tæppet."),
    (11, 17, "De spillede bordtennis og talte om skolen og {barns} planer for sommerferien."),
]
SESSION_ENDINGS = [
    "Samværet sluttede som planlagt, og {barn} sagde farvel uden protester.",
    "Afslutningen var svær for {barn}, der græd lidt, men faldt hurtigt til ro, da {anden} kom.",
    "{SP} hjalp {barn} med overtøjet og sagde »vi ses på {dag}«.",
]
SESSION_OBSERVATIONS = [
    "{SP} var opmærksom på {barns} signaler og ventede, til {barn} var klar til at lege.",
    "Der var god øjenkontakt og fælles opmærksomhed i legen; {barn} søgte flere gange {sps} blik.",
    "{SP} havde svært ved at lade {barn} styre legen og kom flere gange med nye forslag, før "
    "{barn} var færdig med den leg, der var i gang.",
    "Da {barn} slog sig, trøstede {sp} roligt, og {barn} lod sig trøste.",
    "{SP} spurgte to gange til {andens} forhold; jeg guidede {sp} tilbage til legen, og det "
    "blev taget godt imod.",
    "{barn} var i starten afventende og holdt sig tæt til mig, men efter et kvarters tid "
    "sad {barn} og legede sammen med {sp}.",
]
SESSION_ASSESSMENTS = [
    "Det er min faglige vurdering, at samværet var trygt og godt for {barn}. {SP} fulgte "
    "guidningen og er i god udvikling.",
    "Samværet forløb overvejende godt. {SP} har fortsat brug for støtte til at følge {barns} "
    "spor, og {form} bør fortsætte.",
    "Jeg vurderer, at {barn} har glæde af samværet. Der var ingen episoder, der gav "
    "anledning til bekymring.",
    "Samværet var præget af uro i starten, men {sp} fik skabt ro. Jeg anbefaler, at {form} "
    "fortsætter med samme hyppighed.",
]
SESSION_PLACES = [
    "Samværslokalet i afdelingen, {by}",
    "Samværslokalet i afdelingen, {by}",
    "Legepladsen ved biblioteket, {by}",
]
CANCEL_NOTES = {
    CancelReason.CHILD_ILL: "{anden_cap} ringede om morgenen: {barn} har feber og bliver "
    "hjemme. {SP} er orienteret.",
    CancelReason.PARENT_NO_SHOW: "{SP} mødte ikke op og tog ikke telefonen. {barn} ventede i "
    "30 minutter og blev derefter kørt hjem af {anden}.",
}
PAUSED_CANCEL_NOTE = "{barn} er indlagt. Samværet er aflyst, og indsatsen holder pause."
SESSION_AMENDMENT = (
    "Tilføjelse: {anden_cap} har efterfølgende fortalt, at {barn} sov uroligt natten efter "
    "samværet, men var glad igen næste morgen."
)


# --- Helpers --------------------------------------------------------------------------------


def _genitive(name: str) -> str:
    return f"{name}'" if name[-1:].lower() in "sxz" else f"{name}s"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _town(municipality: str) -> str:
    town = municipality.removesuffix(" Kommune")
    return "København" if town == "Københavns" else town


INSTITUTIONS = {
    "baby": ("Vuggestue", "Dagpleje"),
    "small": ("Børnehave",),
    "school": ("Skole", "Friskole", "Fritidshjem"),
}


def _institution(place: str, age: int) -> str:
    """The child's school or daycare, of a kind that fits the child's age."""
    band = "baby" if age <= 2 else "small" if age <= 5 else "school"
    town, _, kind = place.rpartition(" ")
    if kind in INSTITUTIONS[band]:
        return place
    return f"{town or place} {INSTITUTIONS[band][0]}"


def _first(name: str) -> str:
    return name.split(" ")[0]


@dataclass
class Child:
    membership: CasePerson
    first: str
    age: int


@dataclass
class Family:
    case: Case
    consultant: User
    coordinator: User
    children: list[Child]
    mother: str | None
    father: str | None
    network: list[tuple[str, str]]
    schools: dict[int, str]
    samvaer: bool
    first_contact: dt.date | None
    goals: list[Goal] = field(default_factory=list)
    topics: dict[int, str] = field(default_factory=dict)
    goal_child: dict[int, Child | None] = field(default_factory=dict)

    @property
    def parents(self) -> list[str]:
        return ["mor", "far", "mor og far"] if self.father else ["mor"]

    @property
    def visit_parent(self) -> str:
        """The parent who has samvær: the father if he is known, else the mother (the
        children then live in a foster family)."""
        return "far" if self.father else "mor"

    @property
    def other_side(self) -> str:
        return "mor" if self.father else "plejefamilien"


class DemoJournal:
    """Goals, ratings, journal entries and samvær for the open demo cases."""

    def __init__(
        self, *, users: dict[str, User], fake: Faker | None = None, rng: random.Random | None = None
    ) -> None:
        self.users = users
        self.rng = rng or random.Random(2027)  # noqa: S311 (demo data, not security)
        self.fake = fake or Faker("da_DK")
        if fake is None:
            self.fake.seed_instance(2027)
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.counts = {
            "goals": 0,
            "ratings": 0,
            "entries": 0,
            "drafts": 0,
            "amendments": 0,
            "sessions": 0,
        }
        self.dropped = 0
        self.session_amended = False
        self.collected = False

    # --- entry point --------------------------------------------------------------------

    def create(self) -> dict[str, int]:
        children = CasePerson.objects.filter(role=PersonRole.CHILD).select_related("person")
        adults = CasePerson.objects.filter(role=PersonRole.ADULT).select_related("person")
        cases = (
            Case.objects.filter(status__in=OPEN_STATUSES)
            .select_related("intervention_type", "coordinator", "caseworker", "municipality")
            .prefetch_related(
                "consultants",
                "network",
                "contacts",
                Prefetch("members", queryset=children, to_attr="child_members"),
                Prefetch("members", queryset=adults, to_attr="adult_members"),
            )
            .order_by("pk")
        )
        families = [family for case in cases if (family := self._family(case)) is not None]
        konsulent = self.users.get("konsulent")
        # One active case of the demo consultant has a visit whose note is still a draft and
        # no signed contact for more than a week; one other active case has had no contact.
        mine = [
            f
            for f in families
            if f.consultant == konsulent
            and f.first_contact
            and f.case.status == CaseStatus.ACTIVE
            and not f.samvaer
            and (self.today - f.first_contact).days > 21
        ]
        others = [
            f
            for f in families
            if f.consultant != konsulent
            and f.first_contact
            and f.case.status == CaseStatus.ACTIVE
            and not f.samvaer
            and (self.today - f.first_contact).days > 21
        ]
        quiet = {mine[0].case.pk} if mine else set()
        if others:
            quiet.add(others[-1].case.pk)
        signed: list[tuple[Family, JournalEntry]] = []
        for family in families:
            self._goals(family)
            if family.first_contact is not None:
                signed += self._entries(family, quiet=family.case.pk in quiet)
            if family.samvaer:
                self._sessions(family)
        if mine:
            self._drafts(mine[0], mine[1] if len(mine) > 1 else None)
        self._amendments(signed, konsulent)
        return self.counts

    # --- the family of a case -----------------------------------------------------------

    def _family(self, case: Case) -> Family | None:
        consultants = sorted(case.consultants.all(), key=lambda user: user.pk)
        if not consultants or case.coordinator is None:
            return None
        children = []
        for member in case.child_members:  # type: ignore[attr-defined]
            born = member.person.birth_date
            age = 8 if born is None else max(0, (self.today - born).days // 365)
            children.append(Child(member, _first(member.person.name), age))
        children.sort(key=lambda child: -child.age)
        mother = father = None
        for member in case.adult_members:  # type: ignore[attr-defined]
            if member.relation == Relation.MOTHER:
                mother = member.person.name
            elif member.relation == Relation.FATHER:
                father = member.person.name
        network = [(person.name, person.relation.lower()) for person in case.network.all()]
        if not network:
            network = [(f"{self.fake.first_name()} {self.fake.last_name()}", "mormor")]
        schools = {}
        contacts = list(case.contacts.all())
        for child in children:
            place = child.membership.school_or_daycare or (
                contacts[0].organisation if contacts else f"{self.fake.city()} Skole"
            )
            schools[child.membership.pk] = _institution(place, child.age)
        first_contact = (
            timezone.localtime(case.first_contact_at).date() if case.first_contact_at else None
        )
        return Family(
            case=case,
            consultant=consultants[0],
            coordinator=case.coordinator,
            children=children,
            mother=mother,
            father=father,
            network=network,
            schools=schools,
            samvaer=case.is_visitation_case,
            first_contact=first_contact,
        )

    def _ctx(
        self,
        family: Family,
        *,
        child: Child | None = None,
        parent: str | None = None,
        goal: Goal | None = None,
    ) -> dict[str, str]:
        rng = self.rng
        if child is None and family.children:
            child = rng.choice(family.children)
        parent = parent or rng.choice(family.parents)
        name = child.first if child else "barnet"
        age = child.age if child else 8
        if age <= 2:
            inst, inst_def = "vuggestue", "vuggestuen"
        elif age <= 5:
            inst, inst_def = "børnehave", "børnehaven"
        else:
            inst, inst_def = "skole", "skolen"
        sp, anden = family.visit_parent, family.other_side
        network_name, network_relation = rng.choice(family.network)
        topic = ""
        if goal is not None:
            topic = family.topics.get(goal.pk, "")
        elif family.topics:
            topic = rng.choice(list(family.topics.values()))
        caseworker = family.case.caseworker
        return {
            "barn": name,
            "barns": _genitive(name),
            "alder": str(age),
            "inst": inst,
            "inst_def": inst_def,
            "P": _cap(parent),
            "p": parent,
            "ps": GENITIVE.get(parent, parent),
            "SP": _cap(sp),
            "sp": sp,
            "sps": GENITIVE[sp],
            "sp_pron": "ham" if sp == "far" else "hende",
            "anden": anden,
            "anden_cap": _cap(anden),
            "andens": GENITIVE[anden] or "plejefamiliens",
            "netværk": _first(network_name),
            "netværk_rel": network_relation,
            "skole": family.schools.get(child.membership.pk, "skolen") if child else "skolen",
            "lærer": f"{self.fake.first_name()} {self.fake.last_name()}",
            "sb": caseworker.full_name if caseworker else "sagsbehandleren",
            "kommune": family.case.municipality.name,
            "konsulent": family.consultant.full_name,
            "emne": topic or "hverdagen i familien",
            "by": _town(family.case.municipality.name),
            "form": "det overvågede samvær"
            if family.case.intervention_type
            and "overvåget" in family.case.intervention_type.name.lower()
            else "det støttede samvær",
        }

    def _fill(self, text: str, ctx: dict[str, str]) -> str:
        return _cap(text.format_map(ctx))

    # --- goals and ratings --------------------------------------------------------------

    def _goals(self, family: Family) -> None:
        rng = self.rng
        areas = [FocusArea.CHILD_DEVELOPMENT, FocusArea.PARENTING, FocusArea.FAMILY_NETWORK]
        rng.shuffle(areas)
        count = rng.choice([2, 3, 3, 3, 4])
        picks = areas[: min(count, 3)] + ([rng.choice(areas)] if count == 4 else [])
        used: set[str] = set()
        for area in picks:
            template, child = self._pick_template(family, area, used)
            if template is None:
                continue
            used.add(template.title)
            parent = self._goal_parent(family, template)
            ctx = self._ctx(family, child=child, parent=parent)
            perspective = ""
            if child is not None and child.age >= 5 and template.quotes and rng.random() < 0.6:
                perspective = f"»{rng.choice(template.quotes).format_map(ctx)}«"
            goal = services.create_goal(
                family.case,
                by=family.coordinator,
                title=self._fill(template.title, ctx),
                description=self._fill(template.description, ctx),
                focus_area=area,
                dimension=template.dimension if rng.random() < 0.85 else "",
                child=child.membership.person if child else None,
                child_perspective=perspective,
            )
            family.goals.append(goal)
            family.topics[goal.pk] = template.topic.format_map(ctx)
            family.goal_child[goal.pk] = child
            self.counts["goals"] += 1
            self._ratings(family, goal, child, parent)

    def _pick_template(
        self, family: Family, area: str, used: set[str]
    ) -> tuple[GoalTemplate | None, Child | None]:
        rng = self.rng
        candidates: list[tuple[GoalTemplate, Child | None]] = []
        for template in GOALS:
            if DIMENSION_AREA[template.dimension] != area or template.title in used:
                continue
            if template.samvaer != family.samvaer and (template.samvaer or rng.random() < 0.6):
                continue
            if template.parent == "both" and not family.father:
                continue
            if template.parent == "solo" and family.father:
                continue
            if template.ages is None:
                candidates.append((template, None))
                continue
            low, high = template.ages
            fitting = [child for child in family.children if low <= child.age <= high]
            if fitting:
                candidates.append((template, rng.choice(fitting)))
        if not candidates:
            return None, None
        return rng.choice(candidates)

    def _goal_parent(self, family: Family, template: GoalTemplate) -> str:
        if template.parent == "visit":
            return family.visit_parent
        if template.parent in ("both", "solo"):
            return "mor og far" if template.parent == "both" else "mor"
        return self.rng.choice(family.parents)

    def _rating_dates(self, family: Family) -> list[dt.date]:
        """A baseline just after the first contact, ratings every 2–4 weeks in the last
        months, and one at each quarterly follow-up in between for long cases."""
        rng = self.rng
        start = family.first_contact
        if start is None:
            return []
        baseline = min(start + dt.timedelta(days=rng.randint(1, 7)), self.today)
        recent: list[dt.date] = []
        day = self.today - dt.timedelta(days=rng.randint(0, 10))
        while day > baseline + dt.timedelta(days=10) and len(recent) < 5:
            recent.append(day)
            day -= dt.timedelta(days=rng.randint(14, 28))
        between: list[dt.date] = []
        if recent:
            day = baseline + dt.timedelta(days=rng.randint(75, 100))
            while day < recent[-1] - dt.timedelta(days=30) and len(between) < 2:
                between.append(day)
                day += dt.timedelta(days=rng.randint(75, 100))
        return [baseline, *between, *reversed(recent)]

    def _ratings(self, family: Family, goal: Goal, child: Child | None, parent: str) -> None:
        """3–8 ratings by several raters; the score follows an upward path with noise and
        the odd setback."""
        rng = self.rng
        consultant, coordinator = family.consultant, family.coordinator
        ctx = {"P": _cap(parent), "p": parent}
        if family.first_contact is None:
            # Not started yet: the caseworker's starting point from the plan.
            caseworker = family.case.caseworker
            services.rate_goal(
                goal,
                by=coordinator,
                score=rng.randint(1, 4),
                rater_role=RaterRole.CASEWORKER,
                rater_name=caseworker.full_name if caseworker else "",
                rated_on=timezone.localtime(family.case.received_at).date(),
                comment="Udgangspunkt i handleplanen.",
            )
            self.counts["ratings"] += 1
            return
        parent_name = family.father if parent == "far" and family.father else family.mother
        older = [c for c in family.children if c.age >= 7]
        rater_child = (
            child if child is not None and child.age >= 7 else (older[0] if older else None)
        )
        roles = [
            RaterRole.CONSULTANT,
            RaterRole.CONSULTANT,
            RaterRole.PARENT,
            RaterRole.COORDINATOR,
        ] + ([RaterRole.CHILD] if rater_child else [])
        dates = self._rating_dates(family)
        first = rng.randint(1, 4)
        target = min(10, first + rng.choice([1, 3, 4, 5, 5, 6, 7]))
        previous = score = first
        written = 0
        used: set[str] = set()
        for index, day in enumerate(dates):
            if index == 0:
                raters = [RaterRole.CONSULTANT]
                if rng.random() < 0.5 and len(dates) < 8:
                    raters.append(RaterRole.PARENT)
                mood = "start"
            else:
                share = index / max(1, len(dates) - 1)
                score = round(first + (target - first) * share) + rng.choice([-1, 0, 0, 0, 1])
                if rng.random() < 0.15:
                    score -= 2  # a setback
                score = max(0, min(10, score))
                mood = "up" if score > previous else "down" if score < previous else "same"
                previous = score
                raters = [rng.choice(roles)]
                if index == len(dates) - 1 and used == {raters[0]}:
                    # Every goal is rated by more than one of the people around it.
                    raters = [rng.choice([r for r in roles if r != raters[0]])]
                # A second rater the same day, while every later date still gets one.
                if rng.random() < 0.3 and written + 2 + len(dates) - index - 1 <= 8:
                    raters.append(rng.choice([r for r in roles if r != raters[0]]))
            for role in raters:
                if written >= 8:
                    break
                own = score
                if role == RaterRole.PARENT:
                    own = min(10, score + rng.choice([0, 1, 1, 2]))
                elif role == RaterRole.CHILD:
                    own = max(0, min(10, score + rng.choice([-1, 0, 1])))
                name = {
                    RaterRole.CONSULTANT: consultant.full_name,
                    RaterRole.COORDINATOR: coordinator.full_name,
                    RaterRole.PARENT: parent_name or "",
                    RaterRole.CHILD: rater_child.first if rater_child else "",
                }[role]
                comment = rng.choice(RATING_COMMENTS[role][mood]).format_map(ctx)
                services.rate_goal(
                    goal,
                    by=coordinator if role == RaterRole.COORDINATOR else consultant,
                    score=own,
                    rater_role=role,
                    rater_name=name,
                    rated_on=day,
                    comment=comment if rng.random() < 0.85 else "",
                )
                written += 1
                used.add(role)
        self.counts["ratings"] += written
        weeks = (self.today - family.first_contact).days // 7
        if score >= 8 and weeks > 12 and rng.random() < 0.5:
            services.set_goal_status(goal, by=coordinator, status=GoalStatus.REACHED)
        elif self.dropped < 2 and weeks > 8 and len(family.goals) >= 3 and rng.random() < 0.4:
            reasons = DROP_REASONS.get(goal.dimension) or DROP_REASONS[""]
            reason = reasons[self.dropped % len(reasons)]
            services.set_goal_status(goal, by=coordinator, status=GoalStatus.DROPPED, reason=reason)
            self.dropped += 1

    # --- journal ------------------------------------------------------------------------

    def _entry_dates(self, family: Family, *, quiet: bool) -> list[dt.date]:
        rng = self.rng
        start = family.first_contact
        assert start is not None
        profile = getattr(family.consultant, "profile", None)
        weekend_ok = bool(profile and profile.available_weekends)
        first_gap = rng.randint(8, 12) if quiet else rng.randint(1, 5)
        if family.case.status == CaseStatus.PAUSED:
            first_gap = 1
        day = self.today - dt.timedelta(days=first_gap)
        dates: list[dt.date] = []
        recent = self.today - dt.timedelta(weeks=16)
        while day > start and len(dates) < MAX_ENTRIES - 1:
            if day.weekday() >= 5 and not (weekend_ok and rng.random() < 0.35):
                # Back to Wednesday, Thursday or Friday of the same week.
                day -= dt.timedelta(days=day.weekday() - rng.choice([2, 3, 4]))
                if day <= start:
                    break
            if not dates or dates[-1] != day:
                dates.append(day)
            if family.samvaer:
                gap = rng.randint(5, 12)
            elif day > recent:
                gap = rng.choice([2, 3, 3, 4, 4, 5, 6])
            else:
                gap = rng.randint(8, 20)
            day -= dt.timedelta(days=gap)
        return [start, *reversed(dates)] if start < self.today else [start]

    def _entries(self, family: Family, *, quiet: bool) -> list[tuple[Family, JournalEntry]]:
        dates = self._entry_dates(family, quiet=quiet)
        signed = []
        paused = family.case.status == CaseStatus.PAUSED
        for index, day in enumerate(dates):
            last = index == len(dates) - 1
            if index == 0:
                kind = "first"
            elif paused and last:
                kind = "pause"
            else:
                kind = self._kind(family, day)
            entry = self._entry(family, day, kind, progress=index / max(1, len(dates)))
            signed.append((family, entry))
        return signed

    def _kind(self, family: Family, day: dt.date) -> str:
        rng = self.rng
        if family.samvaer:
            return rng.choices(
                [ContactKind.PHONE_VIDEO, ContactKind.CASEWORKER_MEETING, ContactKind.OTHER],
                weights=[70, 15, 15],
            )[0]
        if day.weekday() >= 5:
            return rng.choice([ContactKind.HOME_VISIT] * 4 + [ContactKind.PHONE_VIDEO])
        kinds = [
            (ContactKind.HOME_VISIT, 56),
            (ContactKind.PHONE_VIDEO, 14),
            (ContactKind.NETWORK_MEETING, 8),
            (ContactKind.SCHOOL_MEETING, 8),
            (ContactKind.CASEWORKER_MEETING, 6),
            (ContactKind.OTHER, 8),
        ]
        return rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]

    def _time(self, family: Family, kind: str, day: dt.date) -> tuple[dt.time, dt.time]:
        rng = self.rng
        profile = getattr(family.consultant, "profile", None)
        evenings = bool(profile and profile.available_evenings)
        if kind in (ContactKind.HOME_VISIT, "first", "pause") and (
            day.weekday() >= 5 or (evenings and rng.random() < 0.3)
        ):
            hour = rng.randint(17, 19) if day.weekday() < 5 else rng.randint(10, 18)
        elif kind == ContactKind.HOME_VISIT and rng.random() < 0.12:
            hour = 7
        elif kind == ContactKind.NETWORK_MEETING:
            hour = rng.randint(10, 17)
        else:
            hour = rng.randint(8, 16)
        minute = rng.choice([0, 0, 15, 30, 30, 45])
        if kind == "first" and family.case.first_contact_at is not None:
            first = timezone.localtime(family.case.first_contact_at)
            hour, minute = min(max(first.hour, 8), 19), first.minute // 15 * 15
        if kind in (ContactKind.PHONE_VIDEO, "pause"):
            length = rng.choice([30, 30, 45])
        elif kind in (ContactKind.SCHOOL_MEETING, ContactKind.CASEWORKER_MEETING):
            length = rng.choice([45, 60, 60, 90])
        elif kind == ContactKind.NETWORK_MEETING:
            length = rng.choice([90, 105, 120])
        else:
            length = rng.choice([60, 75, 90, 90, 105, 120, 150])
        start = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)
        end = start + dt.timedelta(minutes=length)
        return start.time(), end.time()

    def _entry(
        self, family: Family, day: dt.date, kind: str, *, progress: float, draft: str = ""
    ) -> JournalEntry:
        """One note. ``draft`` "" signs it; "partial" or "full" leaves a draft."""
        rng = self.rng
        goals = list(family.goals)
        if kind == ContactKind.SCHOOL_MEETING:
            goals = [g for g in goals if g.focus_area == FocusArea.CHILD_DEVELOPMENT] or goals
        worked = rng.sample(goals, k=min(len(goals), rng.choice([1, 1, 2]))) if goals else []
        child = family.goal_child.get(worked[0].pk) if worked else None
        parent = rng.choice(family.parents)
        ctx = self._ctx(family, child=child, parent=parent, goal=worked[0] if worked else None)
        start, end = self._time(family, kind, day)
        ctx["tid"] = f"{start:%H.%M}"
        next_day = day + dt.timedelta(days=rng.choice([3, 4, 7]))
        ctx["næste"] = (
            f"{WEEKDAYS[next_day.weekday()]} den {next_day.day}. {MONTHS[next_day.month - 1]}"
        )
        ctx["dag"] = WEEKDAYS[next_day.weekday()]
        author = family.consultant
        age = ctx["alder"]
        child_age = int(age)
        mood = rng.choices(
            ["up", "same", "down"], weights=[30 + 40 * progress, 45 - 25 * progress, 15]
        )[0]
        reflection_tail = rng.choice(REFLECTION_TAILS)
        participants = self._participants(family, parent, child)
        if kind == "first":
            kind = ContactKind.HOME_VISIT
            description, reflections = FIRST_VISIT, FIRST_REFLECTION
            if family.samvaer:
                kind = ContactKind.OTHER
                description, reflections = SAMVAER_FIRST, SAMVAER_FIRST_REFLECTION
                participants = self._visit_parent(family)
        elif kind == "pause":
            kind = ContactKind.PHONE_VIDEO
            description, reflections = PAUSE_TEXT, PAUSE_REFLECTION
            participants = self._participants(family, parent, None, adults_only=True)
        elif family.samvaer and kind == ContactKind.PHONE_VIDEO:
            description, reflections, with_visit_parent = rng.choice(SAMVAER_ENTRY_TEXTS)
            participants = (
                self._visit_parent(family)
                if with_visit_parent
                else self._participants(family, ctx["anden"], None, adults_only=True)
            )
        elif kind == ContactKind.HOME_VISIT:
            if start.hour < 9:
                opening = rng.choice(MORNING_OPENINGS)
            elif start.hour >= 17:
                small = [SMALL_CHILD_EVENING] if child_age <= 10 else []
                opening = rng.choice(EVENING_OPENINGS + small)
            elif start.hour >= 14:
                opening = rng.choice(HOME_OPENINGS + AFTERNOON_OPENINGS)
            else:
                opening = rng.choice(HOME_OPENINGS)
            body = [s for low, high, s in HOME_BODY if low <= child_age <= high]
            sentences = rng.sample(body, k=min(len(body), rng.randint(2, 3)))
            closing = rng.choice(HOME_CLOSINGS)
            ctx["aftale"] = rng.choice(AGREEMENTS).format_map(ctx)
            description = " ".join([opening, *sentences, closing])
            reflections = rng.choice(REFLECTIONS[mood]) + reflection_tail
        elif kind == ContactKind.PHONE_VIDEO:
            reasons = [s for low, high, s in PHONE_REASONS if low <= child_age <= high]
            ctx["grund"] = rng.choice(reasons).format_map(ctx)
            description = rng.choice(PHONE_TEXTS)
            reflections = rng.choice(PHONE_REFLECTIONS)
            participants = self._participants(family, parent, None, adults_only=True)
        elif kind == ContactKind.NETWORK_MEETING:
            if rng.random() < 0.4:
                author = family.coordinator
                ctx["fagperson"] = f"familiekonsulent {family.consultant.full_name}"
            else:
                ctx["fagperson"] = "koordinator " + family.coordinator.full_name
            description = rng.choice(NETWORK_TEXTS)
            reflections = rng.choice(NETWORK_REFLECTIONS)
            name, relation = rng.choice(family.network)
            ctx["netværk"], ctx["netværk_rel"] = _first(name), relation
            participants += f", {name} ({relation}), {ctx['fagperson']}"
        elif kind == ContactKind.SCHOOL_MEETING:
            ctx["skole_obs"] = rng.choice(SCHOOL_OBS if child_age >= 6 else DAYCARE_OBS)
            ctx["dag_obs"] = rng.choice(DAYCARE_OBS)
            ctx["skole_aftale"] = rng.choice(SCHOOL_AGREEMENTS).format_map(ctx)
            description = rng.choice(SCHOOL_TEXTS if child_age >= 6 else DAYCARE_TEXTS)
            reflections = rng.choice(SCHOOL_REFLECTIONS)
            participants = self._participants(family, parent, None, adults_only=True)
            participants += f", {ctx['lærer']} ({ctx['skole']})"
        elif kind == ContactKind.CASEWORKER_MEETING:
            author = family.coordinator
            ctx["ønske"] = rng.choice(CASEWORKER_WISHES).format_map(ctx)
            description = rng.choice(CASEWORKER_TEXTS)
            reflections = rng.choice(CASEWORKER_REFLECTIONS)
            participants = self._participants(family, parent, None, adults_only=True)
            participants += (
                f", sagsbehandler {ctx['sb']}, familiekonsulent {family.consultant.full_name}"
            )
        elif family.samvaer:
            kind = ContactKind.OTHER
            description = rng.choice(SAMVAER_OTHER_TEXTS)
            reflections = rng.choice(SAMVAER_OTHER_REFLECTIONS)
            participants = self._participants(family, ctx["anden"], None, adults_only=True)
        else:
            kind = ContactKind.OTHER
            ctx["sted"] = rng.choice(OTHER_PLACES)
            description = rng.choice(OTHER_TEXTS)
            reflections = rng.choice(OTHER_REFLECTIONS)
            participants = self._participants(family, parent, None, adults_only=True)
        fields: dict[str, Any] = {
            "date": day,
            "start_time": start,
            "end_time": end,
            "kind": kind,
            "participants": participants,
            "description": self._fill(description, ctx),
            "reflections": self._fill(reflections, ctx),
        }
        areas = {goal.focus_area for goal in worked}
        if rng.random() < 0.2:
            areas.add(rng.choice(FocusArea.values))
        fields["focus_areas"] = sorted(areas) if areas else [FocusArea.PARENTING]
        if not draft and not family.samvaer and rng.random() < 0.012:
            higher = progress < 0.5
            fields["concern_change"] = ConcernChange.HIGHER if higher else ConcernChange.LOWER
            fields["concern_note"] = self._fill(CONCERN_HIGHER if higher else CONCERN_LOWER, ctx)
        if draft == "partial":
            fields["reflections"] = ""
            sentences = SENTENCE_END.split(fields["description"])
            fields["description"] = " ".join(sentences[:2])
        elif draft == "full":
            fields["reflections"] = ""
        entry = services.start_draft(family.case, by=author)
        entry = services.save_draft(entry, by=author, fields=fields, goals=worked)
        if draft:
            self.counts["drafts"] += 1
            return entry
        entry = services.sign_entry(entry, by=author)
        self.counts["entries"] += 1
        return entry

    def _participants(
        self, family: Family, parent: str, child: Child | None, *, adults_only: bool = False
    ) -> str:
        people = []
        if family.mother and parent in ("mor", "mor og far"):
            people.append(f"Mor ({family.mother})")
        if family.father and parent in ("far", "mor og far"):
            people.append(f"Far ({family.father})")
        if not adults_only:
            present = [child] if child else []
            if not present or self.rng.random() < 0.4:
                present = family.children
            people += [f"{c.first} ({c.age} år)" for c in present]
        if parent == "plejefamilien":
            people.append("Plejefamilien")
        return ", ".join(people) or "Familien"

    def _visit_parent(self, family: Family) -> str:
        name = family.father if family.visit_parent == "far" else family.mother
        return f"{_cap(family.visit_parent)} ({name})"

    def _drafts(self, quiet: Family, other: Family | None) -> None:
        """Two unsigned notes of the demo consultant: a visit two days ago that still needs
        its reflections, and one started today."""
        self._entry(
            quiet,
            self.today - dt.timedelta(days=2),
            ContactKind.HOME_VISIT,
            progress=0.8,
            draft="full",
        )
        target = other or quiet
        self._entry(
            target,
            self.today - dt.timedelta(days=1),
            ContactKind.HOME_VISIT,
            progress=0.8,
            draft="partial",
        )

    def _amendments(
        self, signed: list[tuple[Family, JournalEntry]], konsulent: User | None
    ) -> None:
        visits = [(f, e) for f, e in signed if e.kind == ContactKind.HOME_VISIT]
        own = [(f, e) for f, e in visits if e.author == konsulent]
        others = [(f, e) for f, e in visits if e.author != konsulent]
        chosen = [own[len(own) // 2]] if own else []
        if others:
            chosen += [others[len(others) // 3], others[2 * len(others) // 3]]
        for index, (family, entry) in enumerate(chosen):
            ctx = self._ctx(family, parent="mor")
            text = self._fill(AMENDMENTS[index % len(AMENDMENTS)], ctx)
            services.amend(entry, by=entry.author, text=text)
            self.counts["amendments"] += 1

    # --- samvær -------------------------------------------------------------------------

    def _sessions(self, family: Family) -> None:
        rng = self.rng
        case, consultant = family.case, family.consultant
        child = family.children[0] if family.children else None
        weekday = rng.choice([1, 2, 3, 5])
        hour, minute = (10, 0) if weekday == 5 else (rng.choice([15, 15, 16]), rng.choice([0, 30]))
        length = rng.choice([90, 120])
        parent_name = family.father if family.visit_parent == "far" else family.mother
        participants = f"{_cap(family.visit_parent)} ({parent_name})"
        if child:
            participants += f", {child.first} ({child.age} år)"
        participants += f", familiekonsulent {consultant.full_name}"
        place_template = rng.choice(SESSION_PLACES)
        # The latest such weekday before today, then weekly back 6–8 weeks.
        last = self.today - dt.timedelta(days=(self.today.weekday() - weekday - 1) % 7 + 1)
        past: list[dt.date] = []
        if family.first_contact is not None:
            day = last
            for _ in range(rng.randint(6, 8)):
                if day <= family.first_contact:
                    break
                past.append(day)
                day -= dt.timedelta(weeks=1)
            past.reverse()
        paused = case.status == CaseStatus.PAUSED
        later = [last + dt.timedelta(weeks=n) for n in (1, 2, 3)]
        upcoming = [] if paused else [day for day in later if day > self.today][:2]
        cancel = set()
        if len(past) >= 4:
            cancel.add(rng.randint(1, len(past) - 2))
            if rng.random() < 0.4:
                cancel.add(rng.randint(1, len(past) - 2))
        if paused and past:
            cancel.add(len(past) - 1)
        sessions: list[VisitationSession] = []
        for index, day in enumerate(past + upcoming):
            starts = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)
            ctx = self._ctx(family, child=child, parent=family.visit_parent)
            ctx["tid"] = f"{starts:%H.%M}"
            ctx["dag"] = WEEKDAYS[weekday]
            ctx["medbragt"] = rng.choice(SESSION_ITEMS)
            session = services.plan_session(
                case,
                by=consultant,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=length),
                place=place_template.format_map(ctx),
                participants=participants,
            )
            self.counts["sessions"] += 1
            if day >= self.today:
                continue
            if index in cancel:
                if paused and index == len(past) - 1:
                    reason, note = CancelReason.CHILD_ILL, PAUSED_CANCEL_NOTE
                else:
                    reason = rng.choice([CancelReason.CHILD_ILL, CancelReason.PARENT_NO_SHOW])
                    note = CANCEL_NOTES[reason]
                fields: dict[str, Any] = {
                    "status": SessionStatus.CANCELLED,
                    "cancel_reason": reason,
                    "cancel_note": self._fill(note, ctx),
                }
            else:
                age = child.age if child else 8
                activities = [s for low, high, s in SESSION_ACTIVITIES if low <= age <= high]
                what = [
                    rng.choice(SESSION_ARRIVALS),
                    rng.choice(activities),
                    rng.choice(SESSION_ENDINGS),
                ]
                observations = rng.sample(SESSION_OBSERVATIONS, k=2)
                fields = {
                    "status": SessionStatus.HELD,
                    "what_happened": " ".join(self._fill(s, ctx) for s in what),
                    "observations": " ".join(self._fill(s, ctx) for s in observations),
                    "assessment": self._fill(rng.choice(SESSION_ASSESSMENTS), ctx),
                }
            session = services.save_session_report(session, by=consultant, fields=fields)
            session = services.sign_session(session, by=consultant)
            sessions.append(session)
        held = [s for s in sessions if s.status == SessionStatus.HELD]
        if held and not self.session_amended:
            ctx = self._ctx(family, child=child, parent=family.visit_parent)
            services.amend(held[-1], by=consultant, text=self._fill(SESSION_AMENDMENT, ctx))
            self.counts["amendments"] += 1
            self.session_amended = True
        if case.status == CaseStatus.ACTIVE and not self.collected:
            # This caseworker wants the samværsbeskrivelser collected for a period.
            services.set_report_delivery(case, by=consultant, delivery="collected")
            self.collected = True


def add_demo_journal(
    users: dict[str, User], rng: random.Random | None = None, fake: Faker | None = None
) -> dict[str, int]:
    """Goals, ratings, journal entries and samvær for the open demo cases."""
    return DemoJournal(users=users, fake=fake, rng=rng).create()
