"""The report as PDF/A and Word: the content and its order, the preview marker, no CPR, the page
count; and the download views: who gets which file, the audit row for every download, and a
sent report's PDF that is the stored file, byte for byte, whatever changes afterwards."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from traad.cases.models import PersonRole, Relation
from traad.cases.services import add_person_to_case
from traad.journal.models import FocusArea, RaterRole
from traad.journal.services import create_goal, rate_goal
from traad.reports import services
from traad.reports.documents import (
    count_pages,
    render_report_pdf,
    trend_label,
)
from traad.reports.models import Letterhead, Recommendation, ReportKind
from traad.safety.models import DangerPair, ParticipantRole
from traad.safety.services import maps

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
CPR = "0503164321"
GOALS = {
    FocusArea.CHILD_DEVELOPMENT: "Emma møder i skole hver dag",
    FocusArea.PARENTING: "Mor læser godnathistorie",
    FocusArea.FAMILY_NETWORK: "Mormor henter i SFO to dage om ugen",
}
TEXTS = {
    "sos_works": "Mor elsker Emma og tager imod hjælp.",
    "sos_worries": "Emma kommer stadig sulten i skole.",
    "sos_next": "Madplan med mor hver søndag.",
    "child_perspective": "Emma siger, at hun glæder sig til skolen.",
    "assessment": "Familien har flyttet sig tydeligt i perioden.",
    "recommendation": Recommendation.CONTINUE,
    "recommendation_reasons": "Målene er ikke nået endnu, men familien er på vej.",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def letterhead(db):
    return Letterhead.objects.create(
        name="Familiehuset Nord ApS",
        address="Nørregade 1\n2100 København Ø",
        phone="+45 70 20 30 40",
        email="post@familiehuset.example",
        cvr="12345678",
        footer="Fortroligt: personoplysninger om et barn",
    )


@pytest.fixture
def draft(world, letterhead):
    case = world.case
    add_person_to_case(
        case,
        by=world.coordinator,
        name="Emma Jensen",
        cpr=CPR,
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    for area, title in GOALS.items():
        goal = create_goal(case, by=world.consultant, title=title, focus_area=area)
        rate_goal(
            goal,
            by=world.consultant,
            score=6,
            rater_role=RaterRole.CONSULTANT,
            rated_on=dt.date(2026, 11, 10),
        )
    meeting = maps.start_meeting(case, by=world.coordinator, held_on=dt.date(2026, 11, 5))
    pair = maps.add_danger_pair(
        meeting,
        by=world.coordinator,
        danger_statement="Vi er bekymrede for, at Emma ikke får mad nok.",
        safety_goal="Emma får morgenmad hver dag i tre måneder.",
    )
    maps.rate_pair(
        case,
        by=world.coordinator,
        thread=DangerPair.objects.get(pk=pair.pk).thread,
        participant_role=ParticipantRole.MOTHER,
        score=4,
        rated_on=dt.date(2026, 11, 5),
    )
    report = services.start_report(
        case, by=world.coordinator, kind=ReportKind.ADHOC, period_start=dt.date(2026, 11, 1)
    )
    return services.save_report(
        report, by=world.coordinator, revision=report.revision, fields=TEXTS
    )


def approve(report, world):
    report = services.submit_for_review(report, by=world.coordinator)
    report = services.mark_reviewed(report, by=world.consultant)
    return services.approve_report(report, by=world.leader)


@pytest.fixture
def approved(draft, world):
    return approve(draft, world)


@pytest.fixture
def sent(approved, world):
    return services.send_report(approved, by=world.coordinator)


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def da(message: str) -> str:
    with translation.override("da"):
        return _(message)


# --- The PDF --------------------------------------------------------------------------------


def test_the_pdf_carries_letterhead_case_goals_by_side_and_the_sos_overview(draft, world):
    pdf = render_report_pdf(draft)
    pages = pdf_text(pdf)
    text = "\n".join(pages)

    assert pdf.startswith(b"%PDF-")
    assert "Familiehuset Nord ApS" in text
    assert "CVR: 12345678" in text
    assert world.case.number in text
    assert "Emma Jensen" in text
    for side in ("Barnets udvikling", "Forældrekompetencer", "Familie og netværk"):
        assert side in text
    for title in GOALS.values():
        assert title in text
    for heading in ("Hvad fungerer godt?", "Hvad er vi bekymrede for?", "Hvad skal der ske?"):
        assert heading in text
    for name in ("sos_works", "sos_worries", "sos_next", "assessment", "child_perspective"):
        assert TEXTS[name] in text
    assert "Fortroligt: personoplysninger om et barn" in text
    # The page number in Danish, on every page, out of the right total.
    assert len(pages) == count_pages(pdf)
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} af {len(pages)}" in page


def test_the_pdf_is_in_danish_whatever_the_users_language(draft):
    with translation.override("en"):
        text = "\n".join(pdf_text(render_report_pdf(draft)))

    assert "Side 1 af" in text
    assert "Hvad fungerer godt?" in text
    assert "What is working well?" not in text


def test_the_pdf_is_pdf_a_by_its_xmp_identification(draft):
    reader = PdfReader(io.BytesIO(render_report_pdf(draft)))

    xmp = reader.xmp_metadata
    assert xmp is not None
    metadata = xmp.stream.get_data().decode()
    assert 'pdfaid:part="3"' in metadata
    assert 'pdfaid:conformance="B"' in metadata
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_the_pdf_never_shows_a_cpr_number(draft):
    text = "\n".join(pdf_text(render_report_pdf(draft)))

    digits = re.sub(r"\D", "", text)
    assert CPR not in digits
    assert "050316" not in text


def test_a_draft_is_marked_as_a_preview_on_every_page(draft):
    marker = da("Draft – not sent")

    pages = pdf_text(render_report_pdf(draft))

    assert all(marker in page for page in pages)


def test_an_approved_report_and_the_stored_pdf_are_not_marked_as_drafts(approved, world):
    marker = da("Draft – not sent")
    assert all(marker not in page for page in pdf_text(render_report_pdf(approved)))

    sent = services.send_report(approved, by=world.coordinator)

    stored = bytes(sent.document.pdf)
    assert all(marker not in page for page in pdf_text(stored))
    assert sent.document.pages == count_pages(stored) == len(PdfReader(io.BytesIO(stored)).pages)
    assert sent.document.sha256 == hashlib.sha256(stored).hexdigest()


def test_the_letterhead_logo_is_embedded_without_a_network(draft, letterhead):
    letterhead.logo = PNG
    letterhead.logo_type = "image/png"
    letterhead.save(update_fields=["logo", "logo_type"])

    reader = PdfReader(io.BytesIO(render_report_pdf(draft)))

    assert len(reader.pages[0].images) >= 1


def test_trend_labels():
    assert [trend_label(t) for t in (2, 0, -1, None)] == ["+2", "0", "−1", "–"]


def test_count_pages_matches_pypdf(draft):
    pdf = render_report_pdf(draft)

    assert count_pages(pdf) == len(PdfReader(io.BytesIO(pdf)).pages) >= 1


# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)
