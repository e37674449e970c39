"""The report as a PDF/A and as a Word document (being written: see the issue)."""

from __future__ import annotations

from traad.reports.models import Report


def render_report_pdf(report: Report) -> bytes:
    raise NotImplementedError


def render_report_docx(report: Report) -> bytes:
    raise NotImplementedError


def count_pages(pdf: bytes) -> int:
    raise NotImplementedError
