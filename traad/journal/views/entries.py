"""The visit journal: a case's journal, writing a draft (saved as it is typed), signing,
discarding, amending a signed note, and searching the journals of one's own cases.

Access: the case through ``get_case_for`` (404), then ``journal.read``, also 404: the journal
is the provider's own record, and intake, caseworkers and admins get no hint that it exists.
A draft is its author's alone (404 for anyone else); a signed note is never edited (403).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import get_case_for
from traad.cases.views import AuthenticatedRequest, add_service_errors
from traad.journal import services
from traad.journal.forms.entries import (
    AmendmentForm,
    EntryForm,
    JournalFilterForm,
    JournalSearchForm,
)
from traad.journal.models import EntryStatus, FocusArea, JournalEntry
from traad.journal.rules import WORKING_ROLES
from traad.journal.selectors import (
    get_entry_for,
    journal_for,
    search_own_journal,
    view_entry,
)
from traad.journal.services import StaleDraftError

PAGE_SIZE = 25
SNIPPET_CONTEXT = 80


# --- Helpers ---------------------------------------------------------------------------------


def _journal_case(request: AuthenticatedRequest, case_id: int) -> Case:
    case = get_case_for(request.user, case_id)
    if not request.user.has_perm("journal.read", case):
        raise Http404
    return case


def _require_own_draft(request: AuthenticatedRequest, entry: JournalEntry) -> None:
    if not request.user.has_perm("journal.edit_entry", entry):
        raise PermissionDenied  # signed: it is amended, not edited


def _save_posted(
    request: AuthenticatedRequest, entry: JournalEntry, form: EntryForm
) -> JournalEntry:
    """Save the valid part of what was posted (nothing typed is lost to one bad field). A
    field with an error stays on the form; StaleDraftError is left to the caller."""
    form.is_valid()
    try:
        return services.save_draft(
            entry,
            by=request.user,
            fields=form.entry_fields(),
            goals=form.chosen_goals(),
            revision=form.posted_revision(),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return entry


def _render_edit(
    request: AuthenticatedRequest,
    entry: JournalEntry,
    form: EntryForm,
    *,
    status: int = 200,
    conflict: bool = False,
) -> HttpResponse:
    return render(
        request,
        "journal/entry_edit.html",
        {"entry": entry, "case": entry.case, "form": form, "conflict": conflict},
        status=status,
    )


def _render_detail(
    request: AuthenticatedRequest, entry: JournalEntry, form: AmendmentForm
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "journal/entry_detail.html",
        {
            "entry": entry,
            "case": entry.case,
            "amendments": list(entry.amendments.select_related("author")),
            "focus_area_choices": FocusArea.choices,
            "can_edit": user.has_perm("journal.edit_entry", entry),
            "can_amend": entry.status == EntryStatus.SIGNED
            and user.has_perm("journal.amend", entry.case),
            "form": form,
        },
    )


@dataclass(frozen=True)
class SearchHit:
    entry: JournalEntry
    before: str
    match: str
    after: str


def search_hit(entry: JournalEntry, query: str) -> SearchHit:
    """The entry with a short piece of its text around the first word searched for."""
    words = [re.escape(word) for word in query.split()]
    pattern = re.compile("|".join(words), re.IGNORECASE) if words else None
    for text in (entry.description, entry.reflections, entry.participants):
        found = pattern.search(text) if pattern else None
        if found:
            start = max(found.start() - SNIPPET_CONTEXT, 0)
            end = min(found.end() + SNIPPET_CONTEXT, len(text))
            return SearchHit(
                entry,
                ("…" if start else "") + text[start : found.start()],
                found.group(0),
                text[found.end() : end] + ("…" if end < len(text) else ""),
            )
    # PostgreSQL matches word stems ("besøg" finds "besøget"), so the word may not occur.
    text = entry.description
    cut = text[: SNIPPET_CONTEXT * 2]
    return SearchHit(entry, cut + ("…" if len(text) > len(cut) else ""), "", "")


# --- The case's journal ------------------------------------------------------------------------


@require_GET
def case_journal(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _journal_case(request, case_id)
    form = JournalFilterForm(request.GET, case=case, user=request.user)
    form.is_valid()  # invalid filters show their error and are left out
    entries = journal_for(request.user, case, form.filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("side"))
    record_event(actor=request.user, action="journal.listed", obj=case, case_id=case.pk)
    params = request.GET.copy()
    params.pop("side", None)
    return render(
        request,
        "journal/journal_list.html",
        {
            "case": case,
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "focus_area_choices": FocusArea.choices,
            "can_write": request.user.has_perm("journal.write", case),
        },
    )


@require_POST
def entry_new(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _journal_case(request, case_id)
    if not request.user.has_perm("journal.write", case):
        raise PermissionDenied
    entry = services.start_draft(case, by=request.user)
    return redirect("journal:entry_edit", entry.pk)


# --- Writing a draft ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def entry_edit(request: AuthenticatedRequest, entry_id: int) -> HttpResponse:
    if request.method == "GET":
        entry = get_entry_for(request.user, entry_id)
        if not request.user.has_perm("journal.edit_entry", entry):
            return redirect("journal:entry_detail", entry.pk)  # signed meanwhile
        entry = view_entry(request.user, entry_id)  # the draft's text is shown: log the read
        return _render_edit(request, entry, EntryForm(entry=entry))
    entry = get_entry_for(request.user, entry_id)
    _require_own_draft(request, entry)
    form = EntryForm(request.POST, entry=entry)
    try:
        entry = _save_posted(request, entry, form)
    except StaleDraftError:
        return _render_edit(request, entry, form, status=409, conflict=True)
    if form.errors:
        return _render_edit(request, entry, form)
    messages.success(request, _("The draft has been saved."))
    return redirect("journal:entry_edit", entry.pk)


@require_POST
def entry_autosave(request: AuthenticatedRequest, entry_id: int) -> HttpResponse:
    """Save the draft while it is typed (htmx). Answers with the status line and, out of
    band, the new revision for the form's next save."""
    entry = get_entry_for(request.user, entry_id)
    _require_own_draft(request, entry)
    form = EntryForm(request.POST, entry=entry)
    revision = entry.revision
    try:
        entry = _save_posted(request, entry, form)
    except StaleDraftError:
        return render(
            request, "journal/entry_autosave.html", {"entry": entry, "conflict": True}, status=409
        )
    saved = entry.revision != revision
    return render(
        request,
        "journal/entry_autosave.html",
        {"entry": entry, "form": form, "saved": saved},
        status=200 if saved else 422,
    )


@require_POST
def entry_sign(request: AuthenticatedRequest, entry_id: int) -> HttpResponse:
    """Save what was posted, then sign. When the template is not complete, the form comes
    back with what is missing, and everything typed is kept (and saved)."""
    entry = get_entry_for(request.user, entry_id)
    _require_own_draft(request, entry)
    form = EntryForm(request.POST, entry=entry)
    try:
        entry = _save_posted(request, entry, form)
    except StaleDraftError:
        return _render_edit(request, entry, form, status=409, conflict=True)
    if form.errors:
        return _render_edit(request, entry, form)
    try:
        services.sign_entry(entry, by=request.user)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_edit(request, entry, form)
    messages.success(request, _("The journal entry has been signed."))
    return redirect("journal:entry_detail", entry.pk)


@require_POST
def entry_discard(request: AuthenticatedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request.user, entry_id)
    _require_own_draft(request, entry)
    case_id = entry.case_id
    services.discard_draft(entry, by=request.user)
    messages.success(request, _("The draft has been discarded."))
    return redirect("journal:case_journal", case_id)


# --- Reading and amending -------------------------------------------------------------------


@require_GET
def entry_detail(request: AuthenticatedRequest, entry_id: int) -> HttpResponse:
    return _render_detail(request, view_entry(request.user, entry_id), AmendmentForm())


@require_POST
def entry_amend(request: AuthenticatedRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for(request.user, entry_id)
    if not request.user.has_perm("journal.amend", entry.case):
        raise PermissionDenied
    form = AmendmentForm(request.POST)
    form.is_valid()
    try:
        services.amend(entry, by=request.user, text=form.cleaned_data.get("text", ""))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _render_detail(request, view_entry(request.user, entry.pk), form)
    messages.success(request, _("The amendment has been added."))
    return redirect("journal:entry_detail", entry.pk)


# --- Search ------------------------------------------------------------------------------------


@require_GET
def journal_search(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role not in WORKING_ROLES:
        raise Http404
    form = JournalSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    hits: list[SearchHit] = []
    if query:
        hits = [search_hit(entry, query) for entry in search_own_journal(request.user, query)]
        # The words searched for may name people: only their length is logged.
        record_event(
            actor=request.user, action="journal.searched", changes={"q_length": len(query)}
        )
    context: dict[str, Any] = {"form": form, "query": query, "hits": hits}
    return render(request, "journal/journal_search.html", context)
