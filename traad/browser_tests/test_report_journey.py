"""The status report, as the people involved click it: the coordinator drafts it from the case,
a colleague reviews it and sends it back with a comment, the coordinator fixes it, the second
reader marks it reviewed, the leader approves, the coordinator sends it, and the caseworker opens
the PDF. The PDF and the Word file both carry the goals per ICS side and the SoS overview.

The pages run in English (the language cookie), so the test follows the English labels; the
documents are always Danish."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from traad.browser_tests.helpers import signed_in, team_and_case
from traad.cases.models import CasePerson, Person, PersonRole, Relation
from traad.journal import services as journal
from traad.journal.models import ContactKind, FocusArea, RaterRole
from traad.reports.models import Report, ReportState
from traad.safety.models import MapPart, ParticipantRole
from traad.safety.services import maps

pytestmark = pytest.mark.django_db(transaction=True)

GOALS = {
    FocusArea.CHILD_DEVELOPMENT: "Emma kommer i skole hver dag",
    FocusArea.PARENTING: "Mor og far siger godnat til Emma på samme måde",
    FocusArea.FAMILY_NETWORK: "Mormor henter Emma om tirsdagen",
}
NOTE = "Hjemmebesøg: Mor fulgte Emma i skole og talte med læreren om fremmødet."
STRENGTH = "Mor og far kommer til alle aftaler."
WORRY = "Vi er bekymrede for, at Emma igen bliver vidne til skænderier."
SAFETY_GOAL = "Mor og far taler roligt sammen, også når de er uenige."


def the_case() -> Any:
    case, people = team_and_case()
    emma = Person.objects.create(name="Emma Jensen")
    CasePerson.objects.create(
        case=case, person=emma, role=PersonRole.CHILD, relation=Relation.CHILD
    )
    consultant = people["consultant"]
    goals = []
    for side, title in GOALS.items():
        goal = journal.create_goal(case, by=people["coordinator"], title=title, focus_area=side)
        journal.rate_goal(
            goal,
            by=consultant,
            score=3,
            rater_role=RaterRole.CONSULTANT,
            rated_on=timezone.localdate() - dt.timedelta(days=60),
        )
        journal.rate_goal(goal, by=consultant, score=6, rater_role=RaterRole.CONSULTANT)
        goals.append(goal)
    entry = journal.start_draft(case, by=consultant)
    entry = journal.save_draft(
        entry,
        by=consultant,
        fields={
            "date": timezone.localdate() - dt.timedelta(days=3),
            "start_time": dt.time(9),
            "end_time": dt.time(10),
            "kind": ContactKind.HOME_VISIT,
            "participants": "Mor og Emma",
            "description": NOTE,
            "reflections": "Mor tager ansvar.",
        },
        goals=[goals[0]],
    )
    journal.sign_entry(entry, by=consultant)
    meeting = maps.start_meeting(
        case,
        by=people["coordinator"],
        held_on=timezone.localdate() - dt.timedelta(days=7),
        participants="Mor, far, familiekonsulent, koordinator",
    )
    maps.add_map_item(meeting, by=people["coordinator"], part=MapPart.STRENGTHS, text=STRENGTH)
    pair = maps.add_danger_pair(
        meeting, by=people["coordinator"], danger_statement=WORRY, safety_goal=SAFETY_GOAL
    )
    maps.rate_pair(
        case,
        by=people["coordinator"],
        thread=pair.thread,
        participant_role=ParticipantRole.MOTHER,
        score=4,
        rated_on=meeting.held_on,
        meeting=meeting,
        reason="Vi skændes sjældnere.",
    )
    return case, people


def state_of(report: Report) -> str:
    report.refresh_from_db()
    return report.state


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # table cells wrap long titles


def docx_headings(data: bytes) -> list[str]:
    from docx import Document

    document = Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def test_report_drafted_reviewed_sent_back_fixed_approved_sent_and_read(
    browser, live_server, settings
):
    settings.TRAAD_REQUIRE_MFA = False
    case, people = the_case()

    # The coordinator starts the first status report from the case's deadlines.
    with signed_in(browser, live_server, people["coordinator"]) as page:
        page.goto(f"/sager/{case.pk}/")
        page.get_by_role("button", name="Start the report").first.click()
        page.wait_for_url("**/rediger/")
        report = Report.objects.get(case=case)
        assert report.goal_sections.count() == 3
        # The goal texts and the journal excerpts of the period are offered per goal.
        section = report.goal_sections.get(title=GOALS[FocusArea.CHILD_DEVELOPMENT])
        page.fill(
            f"textarea[name=goal-{section.pk}-text]",
            "Emma er kommet i skole hver dag de sidste fire uger.",
        )
        page.locator(f"input[name=goal-{section.pk}-excerpts]").first.check()
        assert page.locator("textarea[name=sos_works]").input_value().startswith("- " + STRENGTH)
        page.fill("textarea[name=assessment]", "Familien har flyttet sig tydeligt.")
        page.get_by_label("Continue the intervention").check()
        page.fill("textarea[name=recommendation_reasons]", "Målene er ikke nået endnu.")
        page.get_by_role("button", name="Save and send for review").click()
        page.wait_for_url(f"**/rapporter/{report.pk}/")
        assert state_of(report) == ReportState.READY

    # A colleague reads it and sends it back with a comment.
    with signed_in(browser, live_server, people["consultant"]) as page:
        page.goto(f"/rapporter/{report.pk}/gennemgang/")
        send_back = page.get_by_test_id("send-back")
        send_back.locator("textarea").fill("Tilføj Emmas egne ord om skolen.")
        send_back.get_by_role("button", name="Send back").click()
        page.wait_for_load_state()
        assert state_of(report) == ReportState.DRAFT

    # The coordinator sees the comment, fixes the report and sends it again.
    with signed_in(browser, live_server, people["coordinator"]) as page:
        page.goto(f"/rapporter/{report.pk}/rediger/")
        assert page.get_by_text("Tilføj Emmas egne ord om skolen.").is_visible()
        page.fill("textarea[name=child_perspective]", "Emma siger: »Jeg kan godt lide min lærer.«")
        page.get_by_role("button", name="Save and send for review").click()
        page.wait_for_url(f"**/rapporter/{report.pk}/")
        assert state_of(report) == ReportState.READY

    with signed_in(browser, live_server, people["consultant"]) as page:
        page.goto(f"/rapporter/{report.pk}/gennemgang/")
        page.get_by_role("button", name="Mark as reviewed").click()
        page.wait_for_load_state()
        assert state_of(report) == ReportState.REVIEWED

    # The leader approves: the report is locked.
    with signed_in(browser, live_server, people["leader"]) as page:
        page.goto(f"/rapporter/{report.pk}/")
        page.get_by_role("button", name="Approve", exact=True).click()
        page.wait_for_load_state()
        assert state_of(report) == ReportState.APPROVED

    # The coordinator sends it; the caseworker is mailed a link.
    with signed_in(browser, live_server, people["coordinator"]) as page:
        page.goto(f"/rapporter/{report.pk}/")
        page.get_by_role("button", name="Send to the caseworker").click()
        page.wait_for_load_state()
        assert state_of(report) == ReportState.SENT
    assert [m.to for m in mail.outbox] == [["sagsbehandler@traad.example"]]
    assert f"/rapporter/{report.pk}/" in mail.outbox[0].body

    # The caseworker finds it, opens it and downloads the PDF and the Word file.
    with signed_in(browser, live_server, people["caseworker"]) as page:
        page.goto("/rapporter/modtagne/")
        page.get_by_role("link", name="Status report 1").click()
        page.wait_for_url(f"**/rapporter/{report.pk}/")
        pdf_link = page.get_by_role("link", name="Open the sent PDF")
        pdf_response = page.context.request.get(pdf_link.get_attribute("href"))
        docx_response = page.context.request.get(
            page.get_by_role("link", name="Word document (.docx)").get_attribute("href")
        )
        assert pdf_response.ok and docx_response.ok
        pdf, docx = pdf_response.body(), docx_response.body()
    report.refresh_from_db()
    assert report.first_opened_at is not None
    assert pdf == bytes(report.document.pdf)
    text = pdf_text(pdf)
    for heading in ("Barnets udvikling", "Forældrekompetencer", "Familie og netværk"):
        assert heading in text
    for title in GOALS.values():
        assert title in text
    assert STRENGTH in text and WORRY in text and SAFETY_GOAL in text
    assert "Jeg kan godt lide min lærer" in text
    headings = docx_headings(docx)
    for heading in ("Barnets udvikling", "Forældrekompetencer", "Familie og netværk"):
        assert heading in headings
    assert "Signs of Safety" in headings
