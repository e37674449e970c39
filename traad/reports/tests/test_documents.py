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
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from pypdf import PdfReader

from traad.audit.models import AuditEvent
from traad.cases.models import PersonRole, Relation
from traad.cases.services import add_person_to_case
from traad.journal import services as journal
from traad.journal.models import ContactKind, FocusArea, RaterRole
from traad.journal.services import create_goal, rate_goal
from traad.reports import services
from traad.reports.documents import (
    DOCX_MIME,
    count_pages,
    render_report_docx,
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
GOAL_TEXT = "Emma er mødt i skole 18 ud af 20 dage."
VISIT_TEXT = "Mor læste højt for Emma, som faldt til ro."
VISIT_REFLECTIONS = "Ikke med i rapporten."
VISIT: dict[str, object] = {
    "date": dt.date(2026, 11, 12),
    "start_time": dt.time(17, 0),
    "end_time": dt.time(18, 30),
    "kind": ContactKind.HOME_VISIT,
    "participants": "Mor, Emma, familiekonsulent",
    "focus_areas": [FocusArea.PARENTING],
    "description": VISIT_TEXT,
    "reflections": VISIT_REFLECTIONS,
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
    goals = []
    for area, title in GOALS.items():
        goal = create_goal(case, by=world.consultant, title=title, focus_area=area)
        goals.append(goal)
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
    entry = journal.start_draft(case, by=world.consultant)
    journal.save_draft(entry, by=world.consultant, fields=VISIT, goals=[goals[1]])
    journal.sign_entry(entry, by=world.consultant)
    report = services.start_report(
        case, by=world.coordinator, kind=ReportKind.ADHOC, period_start=dt.date(2026, 11, 1)
    )
    sections = {s.goal_id: s.pk for s in report.goal_sections.all()}
    return services.save_report(
        report,
        by=world.coordinator,
        revision=report.revision,
        fields=TEXTS,
        goal_texts={sections[goals[0].pk]: GOAL_TEXT, sections[goals[1].pk]: ""},
        excerpts={sections[goals[1].pk]: [entry.pk]},
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
    assert GOAL_TEXT in text
    assert "12.11.2026" in text and VISIT_TEXT in text  # the chosen excerpt
    assert VISIT_REFLECTIONS not in text
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
    assert "/OutputIntents" in reader.root_object  # the colour profile PDF/A requires


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


# --- The Word document ----------------------------------------------------------------------


def test_the_docx_has_real_headings_in_the_reports_order(draft, world):
    document = Document(io.BytesIO(render_report_docx(draft)))

    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    with translation.override("da"):
        assert headings[0] == ("Heading 1", str(ReportKind.ADHOC.label))
    level_2 = [text for style, text in headings if style == "Heading 2"]
    assert level_2 == [
        da("Goals by ICS side"),
        "Signs of Safety",
        da("The child's perspective"),
        da("Overall professional assessment"),
        da("Recommendation"),
    ]
    level_3 = [text for style, text in headings if style == "Heading 3"]
    assert level_3[:3] == ["Barnets udvikling", "Forældrekompetencer", "Familie og netværk"]
    assert level_3[3:6] == [
        "Hvad fungerer godt?",
        "Hvad er vi bekymrede for?",
        "Hvad skal der ske?",
    ]
    # A goal gets its own heading where the report says more than its scores.
    level_4 = [text for style, text in headings if style == "Heading 4"]
    assert level_4 == list(GOALS.values())[:2]
    text = "\n".join(p.text for p in document.paragraphs)
    for name in ("sos_works", "sos_worries", "sos_next", "assessment", "recommendation_reasons"):
        assert TEXTS[name] in text
    assert GOAL_TEXT in text
    assert VISIT_TEXT in text
    assert "Familiehuset Nord ApS" in text
    assert CPR not in text


def test_the_docx_has_a_goal_table_per_ics_side_and_the_case_reference(draft, world):
    document = Document(io.BytesIO(render_report_docx(draft)))

    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    facts = dict((row[0], row[1]) for row in rows if len(row) == 2)
    assert facts[da("Case number")] == world.case.number
    assert facts["Barn"] == "Emma Jensen"
    goal_tables = [t for t in document.tables if len(t.columns) == 4]
    assert len(goal_tables) == 3
    header = [cell.text for cell in goal_tables[0].rows[0].cells]
    assert header == [
        da("Goal"),
        da("Score at the previous report"),
        da("Current score"),
        da("Trend"),
    ]
    body = [[cell.text for cell in row.cells] for t in goal_tables for row in t.rows[1:]]
    assert body == [[title, "–", "6", "–"] for title in GOALS.values()]
    # The scale chart, as each participant's scores.
    assert [da("Mother"), "05.11.2026: 4"] in rows


def test_a_draft_docx_is_marked_in_the_page_header(draft):
    document = Document(io.BytesIO(render_report_docx(draft)))

    assert document.sections[0].header.paragraphs[0].text == da("Draft – not sent")
    assert document.sections[0].footer.paragraphs[0].text == (
        "Fortroligt: personoplysninger om et barn"
    )


# --- The download views ---------------------------------------------------------------------


def downloads(report, what):
    return list(
        AuditEvent.objects.filter(
            action="report.opened", object_id=str(report.pk), changes__what=what
        )
        .order_by("id")
        .values_list("actor_id", flat=True)
    )


@pytest.mark.parametrize("persona", ["coordinator", "consultant", "leader"])
def test_staff_on_the_case_download_a_preview_of_a_draft(draft, world, client_for, persona):
    user = getattr(world, persona)

    response = client_for(user).get(reverse("reports:pdf", args=[draft.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number = world.case.number
    assert response["Content-Disposition"] == f'inline; filename="udtalelse-{number}-v1.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    assert da("Draft – not sent") in pdf_text(response.content)[0]
    assert downloads(draft, "pdf") == [user.pk]
    draft.refresh_from_db()
    assert draft.first_opened_at is None


def test_the_docx_download_is_an_attachment_and_audited(draft, world, client_for):
    response = client_for(world.coordinator).get(reverse("reports:docx", args=[draft.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_MIME
    number = world.case.number
    assert response["Content-Disposition"] == f'attachment; filename="udtalelse-{number}-v1.docx"'
    assert response["Cache-Control"] == "no-store"
    assert Document(io.BytesIO(response.content)).paragraphs
    assert downloads(draft, "docx") == [world.coordinator.pk]


@pytest.mark.parametrize(
    "persona",
    ["caseworker", "other_caseworker", "outsider_consultant", "other_leader", "admin", "intake"],
)
@pytest.mark.parametrize("name", ["reports:pdf", "reports:docx"])
def test_an_unsent_report_is_404_to_everyone_off_the_staff_of_the_case(
    draft, world, client_for, persona, name
):
    response = client_for(getattr(world, persona)).get(reverse(name, args=[draft.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="report.opened").exists()


@pytest.mark.parametrize("name", ["reports:pdf", "reports:docx"])
def test_a_missing_report_is_404(world, client_for, name):
    response = client_for(world.coordinator).get(reverse(name, args=[999999]))

    assert response.status_code == 404


def test_the_caseworker_gets_the_stored_pdf_of_a_sent_report(sent, world, client_for):
    stored = bytes(sent.document.pdf)

    response = client_for(world.caseworker).get(reverse("reports:pdf", args=[sent.pk]))

    assert response.status_code == 200
    assert response.content == stored
    assert response["ETag"] == f'"{sent.document.sha256}"'
    assert response["X-Content-SHA256"] == hashlib.sha256(stored).hexdigest()
    assert downloads(sent, "pdf") == [world.caseworker.pk]
    sent.refresh_from_db()
    assert sent.first_opened_at == NOW


def test_a_sent_pdf_stays_the_stored_file_after_the_letterhead_changes(
    sent, world, client_for, letterhead
):
    stored = bytes(sent.document.pdf)
    letterhead.name = "Et helt nyt navn A/S"
    letterhead.save(update_fields=["name"])

    for user in (world.caseworker, world.coordinator, world.leader):
        response = client_for(user).get(reverse("reports:pdf", args=[sent.pk]))
        assert response.content == stored
    assert "Et helt nyt navn A/S" not in "\n".join(pdf_text(stored))
    # ...while a new rendering would show the change: the views never render a sent report.
    assert "Et helt nyt navn A/S" in pdf_text(render_report_pdf(sent))[0]
    assert downloads(sent, "pdf") == [world.caseworker.pk, world.coordinator.pk, world.leader.pk]


def test_the_caseworker_gets_the_docx_of_a_sent_report(sent, world, client_for):
    response = client_for(world.caseworker).get(reverse("reports:docx", args=[sent.pk]))

    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert not document.sections[0].header.paragraphs[0].text
    assert downloads(sent, "docx") == [world.caseworker.pk]


@pytest.mark.parametrize("persona", ["other_caseworker", "outsider_consultant", "other_leader"])
@pytest.mark.parametrize("name", ["reports:pdf", "reports:docx"])
def test_a_sent_report_is_404_to_outsiders(sent, world, client_for, persona, name):
    response = client_for(getattr(world, persona)).get(reverse(name, args=[sent.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="report.opened").exists()


def test_the_downloads_refuse_post(draft, world, client_for):
    response = client_for(world.coordinator).post(reverse("reports:pdf", args=[draft.pk]))

    assert response.status_code == 405
    assert not AuditEvent.objects.filter(action="report.opened").exists()


# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)


def test_a_report_without_goals_or_a_map_still_renders(world, letterhead):
    report = services.start_report(world.case, by=world.coordinator, kind=ReportKind.ADHOC)

    text = "\n".join(pdf_text(render_report_pdf(report)))
    document = Document(io.BytesIO(render_report_docx(report)))

    assert text.count(da("No goals on this side.")) == 3
    assert [p.text for p in document.paragraphs].count(da("No goals on this side.")) == 3
    assert not [t for t in document.tables if len(t.columns) == 4]
