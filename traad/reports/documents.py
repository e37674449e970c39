"""The report as a PDF/A (WeasyPrint) and as a Word document (python-docx).

Both are made from ``content.report_content`` so they say the same thing as the page, in the
same order. They go to the municipality, so they are written in Tråd's default language
(Danish) whatever language the user's screen is in, and they never carry a CPR number:
children are named, not numbered. A report comes out as a preview, marked so on every page,
until it is approved; a sent report's PDF is rendered once by ``services.send_report`` and
stored.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from traad.reports.content import GoalPart, ReportContent, Side, report_content
from traad.reports.models import LOCKED_STATES, Letterhead, Report

PDF_STYLESHEET = Path(__file__).resolve().parent / "static" / "reports" / "report_pdf.css"
# PDF/A-3b: archivable (fonts embedded, colour profile, XMP identification), as WeasyPrint
# supports it; "b" (visual appearance) because the HTML is not tagged for "a".
PDF_VARIANT = "pdf/a-3b"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class GoalRow:
    goal: GoalPart
    trend: str


@dataclass(frozen=True)
class SideRows:
    side: Side
    rows: list[GoalRow]


def trend_label(trend: int | None) -> str:
    """+2, −1, 0, or a dash when there is nothing to compare with."""
    if trend is None:
        return "–"
    if trend > 0:
        return f"+{trend}"
    if trend < 0:
        return f"−{-trend}"
    return "0"


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def is_preview(report: Report) -> bool:
    """Marked as a draft until approved: ``services.send_report`` renders the PDF it stores
    while the report is still approved, and what is sent must not say "draft". An approved
    report's text is locked, so its preview is already the document that will be sent."""
    return report.state not in LOCKED_STATES


def _logo_data_uri(letterhead: Letterhead) -> str:
    """The logo inline, so rendering needs neither the network nor the file system."""
    logo = bytes(letterhead.logo or b"")
    if not logo or not letterhead.logo_type:
        return ""
    return f"data:{letterhead.logo_type};base64,{base64.b64encode(logo).decode('ascii')}"


def _page_label_parts() -> tuple[str, str, str]:
    """ "Page X of Y" split around its numbers, so the page counters can sit in between in any
    language's word order."""
    marker = _("Page %(number)s of %(count)s") % {"number": "\x00", "count": "\x01"}
    before, rest = marker.split("\x00", 1)
    middle, after = rest.split("\x01", 1)
    return before, middle, after


def report_document_context(report: Report) -> dict[str, Any]:
    """What the PDF and the Word document show; call inside the document's language."""
    content = report_content(report)
    letterhead = Letterhead.current()
    before, middle, after = _page_label_parts()
    return {
        "report": report,
        "content": content,
        "letterhead": letterhead,
        "logo": _logo_data_uri(letterhead),
        "preview": is_preview(report),
        "goal_tables": [
            SideRows(side, [GoalRow(goal, trend_label(goal.trend)) for goal in side.goals])
            for side in content.sides
        ],
        "due_on": date_format(report.due_on, "SHORT_DATE_FORMAT") if report.due_on else "",
        "page_before": before,
        "page_middle": middle,
        "page_after": after,
    }


def render_report_pdf(report: Report) -> bytes:
    """The report as PDF/A bytes, on A4, with the provider's letterhead."""
    import weasyprint  # imported here: loading it is slow, and only this needs it

    with translation.override(settings.LANGUAGE_CODE):
        context = report_document_context(report)
        html = render_to_string("reports/report_pdf.html", context)
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    pdf = document.write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(PDF_STYLESHEET))], pdf_variant=PDF_VARIANT
    )
    assert isinstance(pdf, bytes)
    return pdf


def count_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


# --- Word -----------------------------------------------------------------------------------


def _case_facts(content: ReportContent, due_on: str) -> list[tuple[str, str]]:
    return [
        (_("Case number"), content.case_number),
        (
            translation.ngettext("Child", "Children", len(content.children)),
            ", ".join(content.children) or "–",
        ),
        (_("Municipality"), content.municipality or "–"),
        (_("Caseworker"), content.caseworker or "–"),
        (_("Intervention"), content.intervention or "–"),
        (_("Period"), content.period),
        (_("Deadline"), due_on or "–"),
        (_("Version"), str(content.report.version)),
    ]


def render_report_docx(report: Report) -> bytes:
    """The same content as the PDF, as an editable Word document with real headings.

    The scale charts are given as small tables of each participant's scores: turning the SVG
    into an image would need another dependency, and a table is easier to paste from.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _build_docx(report_document_context(report))


def _table(document: Any, header: list[str], rows: list[list[str]]) -> Any:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    return table


def _paragraphs(document: Any, text: str, *, dash: bool = True) -> None:
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    if not parts and dash:
        document.add_paragraph("–")
    for part in parts:
        document.add_paragraph(part)


def _build_docx(context: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.shared import Pt

    content: ReportContent = context["content"]
    report: Report = context["report"]
    letterhead: Letterhead = context["letterhead"]
    document = Document()
    document.core_properties.title = content.title
    document.core_properties.author = letterhead.name
    document.core_properties.language = settings.LANGUAGE_CODE

    if context["preview"]:
        for section in document.sections:
            section.header.paragraphs[0].add_run(_("Draft – not sent")).bold = True
    if letterhead.footer:
        for section in document.sections:
            section.footer.paragraphs[0].text = letterhead.footer

    head = document.add_paragraph()
    head.add_run(letterhead.name).bold = True
    contact = [
        line
        for line in [
            *letterhead.address.splitlines(),
            f"{_('Phone')}: {letterhead.phone}" if letterhead.phone else "",
            f"{_('Email')}: {letterhead.email}" if letterhead.email else "",
            f"CVR: {letterhead.cvr}" if letterhead.cvr else "",
        ]
        if line.strip()
    ]
    if contact:
        run = document.add_paragraph().add_run("\n".join(contact))
        run.font.size = Pt(9)

    document.add_heading(content.title, level=1)
    _table(
        document, [_("Case"), ""], [list(fact) for fact in _case_facts(content, context["due_on"])]
    )

    document.add_heading(_("Goals by ICS side"), level=2)
    for side_rows in context["goal_tables"]:
        document.add_heading(side_rows.side.label, level=3)
        if not side_rows.rows:
            document.add_paragraph(_("No goals on this side."))
            continue
        _table(
            document,
            [_("Goal"), _("Score at the previous report"), _("Current score"), _("Trend")],
            [
                [
                    row.goal.title,
                    _score(row.goal.previous_score),
                    _score(row.goal.score),
                    row.trend,
                ]
                for row in side_rows.rows
            ],
        )
        for row in side_rows.rows:
            if not (row.goal.text or row.goal.excerpts):
                continue
            document.add_heading(row.goal.title, level=4)
            _paragraphs(document, row.goal.text, dash=False)
            for excerpt in row.goal.excerpts:
                day = date_format(excerpt.date, "SHORT_DATE_FORMAT") if excerpt.date else ""
                quote = document.add_paragraph(style="Quote")
                quote.add_run(f"{day} {excerpt.kind}: ".lstrip()).bold = True
                quote.add_run(excerpt.text)

    document.add_heading(_("Signs of Safety"), level=2)
    if content.sos_meeting_on:
        document.add_paragraph(
            _("From the follow-up meeting on %(date)s.")
            % {"date": date_format(content.sos_meeting_on, "SHORT_DATE_FORMAT")}
        )
    for title, text in (
        (_("What is working well?"), report.sos_works),
        (_("What are we worried about?"), report.sos_worries),
        (_("What needs to happen?"), report.sos_next),
    ):
        document.add_heading(title, level=3)
        _paragraphs(document, text)
    if content.scales:
        document.add_heading(_("Scales"), level=3)
        for scale in content.scales:
            document.add_paragraph(scale.safety_goal or scale.danger_statement).runs[0].bold = True
            rows = [
                [
                    series.label,
                    ", ".join(
                        f"{date_format(day, 'SHORT_DATE_FORMAT')}: {score}"
                        for day, score in series.points
                    ),
                ]
                for series in scale.history
            ]
            if rows:
                _table(document, [_("Participant"), _("Scores (0–10) over time")], rows)
            else:
                document.add_paragraph(_("No scores yet."))

    document.add_heading(_("The child's perspective"), level=2)
    _paragraphs(document, report.child_perspective)
    document.add_heading(_("Overall professional assessment"), level=2)
    _paragraphs(document, report.assessment)
    document.add_heading(_("Recommendation"), level=2)
    document.add_paragraph().add_run(str(report.get_recommendation_display() or "–")).bold = True
    _paragraphs(document, report.recommendation_reasons)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
