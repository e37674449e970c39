"""Documents made from the journal app: the samværsbeskrivelse as a PDF.

One function renders one session or several collected for a period, as the caseworker wants
them (``Case.visitation_report_delivery``). The document goes to the municipality, so it is
written in Tråd's default language (Danish) whatever language the user's screen is in, and it
never carries a CPR number: children are named, not numbered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from traad.cases.models import Case, PersonRole
from traad.journal.models import VisitationSession

PDF_STYLESHEET = Path(__file__).resolve().parent / "static" / "journal" / "pdf.css"


@dataclass(frozen=True)
class Signature:
    name: str
    at: dt.datetime


def signatures_of(sessions: Iterable[VisitationSession]) -> dict[int, Signature]:
    """Who signed each session and when (sessions should come with ``signed_by`` selected)."""
    return {
        session.pk: Signature(
            name=session.signed_by.full_name or session.signed_by.email, at=session.signed_at
        )
        for session in sessions
        if session.signed_at is not None and session.signed_by is not None
    }


@dataclass(frozen=True)
class ReportItem:
    session: VisitationSession
    signature: Signature | None


def _period_label(date_from: dt.date, date_to: dt.date) -> str:
    return (
        f"{date_format(date_from, 'SHORT_DATE_FORMAT')}–{date_format(date_to, 'SHORT_DATE_FORMAT')}"
    )


def visitation_report_context(
    case: Case,
    sessions: Iterable[VisitationSession],
    *,
    period: tuple[dt.date, dt.date] | None = None,
) -> dict[str, Any]:
    sessions = sorted(sessions, key=lambda s: (s.starts_at, s.pk))
    if any(session.signed_at is None for session in sessions):
        raise ValueError("Only signed samværsbeskrivelser go into a document.")
    signatures = signatures_of(sessions)
    children = [
        member.person.name
        for member in case.members.filter(role=PersonRole.CHILD).select_related("person")
    ]
    if period is not None:
        title = _("Samværsbeskrivelser %(period)s") % {"period": _period_label(*period)}
    elif len(sessions) == 1:
        title = _("Samværsbeskrivelse")
    else:
        title = _("Samværsbeskrivelser")
    return {
        "title": title,
        "case": case,
        "children": children,
        "period": _period_label(*period) if period else "",
        "items": [ReportItem(session, signatures.get(session.pk)) for session in sessions],
        "printed_at": timezone.localtime(),
    }


def render_visitation_report_pdf(
    case: Case,
    sessions: Iterable[VisitationSession],
    *,
    period: tuple[dt.date, dt.date] | None = None,
) -> bytes:
    """The samværsbeskrivelse of one signed session, or of several collected for ``period``,
    as PDF bytes. Raises ValueError for an unsigned session (a draft is never sent)."""
    import weasyprint  # imported here: loading it is slow, and only this needs it

    with translation.override(settings.LANGUAGE_CODE):
        context = visitation_report_context(case, sessions, period=period)
        html = render_to_string("journal/visitation_report_pdf.html", context)
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    pdf = document.write_pdf(stylesheets=[weasyprint.CSS(filename=str(PDF_STYLESHEET))])
    assert isinstance(pdf, bytes)
    return pdf
