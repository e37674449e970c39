"""The visit journal screens: writing a note from draft to signature (autosave, stale copies,
signing), amendments, who may see what, the journal list and search, the consultant's unsigned
drafts and the no-contact flag on case lists. Assertions are on the database, the audit log and
status codes; the few texts asserted are English msgids under ``translation.override("en")``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from traad.audit.models import AuditEvent
from traad.cases.models import Case, CaseStatus, Order
from traad.factories import CaseFactory, UserFactory
from traad.journal import services
from traad.journal.models import (
    Amendment,
    ContactKind,
    EntryStatus,
    FocusArea,
    Goal,
    JournalEntry,
)

pytestmark = pytest.mark.django_db

OUTSIDERS = ["outsider_consultant", "other_leader", "caseworker", "admin", "intake"]


def events(action: str, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters))


def english(client):
    client.cookies["django_language"] = "en"
    return client


def new_case(world, **kwargs):
    values = {
        "team": world.team,
        "coordinator": world.coordinator,
        "consultants": [world.consultant],
    }
    return CaseFactory(**(values | kwargs))


def new_goal(world, case: Case, title: str = "Emma kommer i skole hver dag") -> Goal:
    return services.create_goal(
        case, by=world.coordinator, title=title, focus_area=FocusArea.CHILD_DEVELOPMENT
    )


def complete_fields(**overrides) -> dict:
    """A complete note as the form posts it."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    values = {
        "date": yesterday.isoformat(),
        "start_time": "09:00",
        "end_time": "10:30",
        "kind": ContactKind.HOME_VISIT,
        "participants": "Mor og Emma",
        "focus_areas": [FocusArea.PARENTING],
        "description": "Vi spiste morgenmad sammen, og mor smurte madpakke.",
        "reflections": "Mor tager mere ansvar for morgenen end for en måned siden.",
        "concern_change": "",
        "concern_note": "",
    }
    return values | overrides


def signed_entry(author, case: Case, *, goals=(), **fields) -> JournalEntry:
    values = {
        "date": timezone.localdate() - dt.timedelta(days=1),
        "start_time": dt.time(9),
        "end_time": dt.time(10, 30),
        "kind": ContactKind.HOME_VISIT,
        "participants": "Mor og Emma",
        "focus_areas": [FocusArea.PARENTING],
        "description": "Morgenen forløb roligt.",
        "reflections": "Mor var rolig og tydelig.",
    }
    entry = services.start_draft(case, by=author)
    entry = services.save_draft(entry, by=author, fields=values | fields, goals=list(goals))
    return services.sign_entry(entry, by=author)


def draft_entry(author, case: Case, **fields) -> JournalEntry:
    entry = services.start_draft(case, by=author)
    if fields:
        entry = services.save_draft(entry, by=author, fields=fields)
    return entry


def entry_urls(entry: JournalEntry) -> dict[str, tuple[str, str]]:
    return {
        name: (method, reverse(f"journal:{name}", args=[entry.pk]))
        for name, method in (
            ("entry_detail", "get"),
            ("entry_edit", "get"),
            ("entry_autosave", "post"),
            ("entry_sign", "post"),
            ("entry_discard", "post"),
            ("entry_amend", "post"),
        )
    }


# --- Writing a note ------------------------------------------------------------------------


def test_consultant_writes_a_note_from_draft_to_signature(world, client_for):
    case, goal = world.case, new_goal(world, world.case)
    client = english(client_for(world.consultant))

    # 1. Start a draft from the case: saved at once, then the form.
    response = client.post(reverse("journal:entry_new", args=[case.pk]))
    entry = JournalEntry.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:entry_edit", args=[entry.pk])
    assert (entry.author, entry.status, entry.revision) == (world.consultant, "draft", 0)
    assert (
        len(events("journal.draft_started", object_id=str(entry.pk), actor=world.consultant)) == 1
    )

    response = client.get(reverse("journal:entry_edit", args=[entry.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-draft-key="journal-entry-{entry.pk}"' in html
    assert reverse("journal:entry_autosave", args=[entry.pk]) in html
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert [g.pk for g in response.context["form"].fields["goals"].queryset] == [goal.pk]
    assert len(events("journal.viewed", object_id=str(entry.pk))) == 1

    # 2. Autosave half a sentence: accepted, the revision moves on.
    autosave = reverse("journal:entry_autosave", args=[entry.pk])
    today = timezone.localdate().isoformat()
    response = client.post(
        autosave, {"revision": "0", "date": today, "description": "Vi spiste", "kind": ""}
    )
    entry.refresh_from_db()
    assert response.status_code == 200
    assert (entry.description, entry.revision) == ("Vi spiste", 1)
    html = response.content.decode()
    assert 'id="entry-revision" value="1" hx-swap-oob="true"' in html
    assert "Saved at" in html
    saved = events("journal.draft_saved", object_id=str(entry.pk), actor=world.consultant)
    assert [event.changes for event in saved] == [{"fields": ["description"]}]
    assert "Vi spiste" not in str(saved[0].changes)  # the audit row has no text

    response = client.post(
        autosave,
        {"revision": "1", "date": today, "description": "Vi spiste morgenmad", "goals": [goal.pk]},
    )
    entry.refresh_from_db()
    assert response.status_code == 200
    assert (entry.description, entry.revision) == ("Vi spiste morgenmad", 2)
    assert list(entry.goals.all()) == [goal]

    # 3. A copy from another tab, loaded at revision 1, does not overwrite the newer text.
    response = client.post(autosave, {"revision": "1", "description": "Gammel tekst"})
    entry.refresh_from_db()
    assert response.status_code == 409
    assert (entry.description, entry.revision) == ("Vi spiste morgenmad", 2)
    assert "hx-swap-oob" not in response.content.decode()
    assert 'data-testid="draft-conflict"' in response.content.decode()

    # 4. Signing with fields missing: the form again, the errors per field, what was typed
    #    kept (and saved), nothing signed.
    sign = reverse("journal:entry_sign", args=[entry.pk])
    posted = {
        "revision": "2",
        "date": today,
        "description": "Vi spiste morgenmad sammen.",
        "goals": [goal.pk],
    }
    with translation.override("en"):
        response = client.post(sign, posted)
    entry.refresh_from_db()
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"start_time", "end_time", "kind", "participants", "reflections"}
    assert form.errors["reflections"] == ["Write your reflections and assessment."]
    assert form["description"].value() == "Vi spiste morgenmad sammen."
    assert (entry.status, entry.description, entry.revision) == ("draft", posted["description"], 3)
    assert 'id="entry-revision" value="3"' in response.content.decode()
    assert events("journal.signed") == []

    # 5. Complete: signed, and on to the note as signed.
    response = client.post(sign, complete_fields(revision="3", goals=[goal.pk]))
    entry.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk])
    assert entry.status == EntryStatus.SIGNED
    assert entry.signed_at is not None
    assert (entry.start_time, entry.end_time, entry.duration_minutes) == (
        dt.time(9),
        dt.time(10, 30),
        90,
    )
    assert list(entry.goals.all()) == [goal]
    assert entry.focus_areas == [FocusArea.PARENTING]
    signed = events("journal.signed", object_id=str(entry.pk), actor=world.consultant)
    assert [event.changes["minutes"] for event in signed] == [90]
    html = client.get(response["Location"]).content.decode()
    assert f'data-draft-done="journal-entry-{entry.pk}"' in html  # the browser copy is dropped

    # 6. A signed note is never edited: the form leads to the note, every write is refused.
    response = client.get(reverse("journal:entry_edit", args=[entry.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk])
    changed = complete_fields(revision=str(entry.revision), description="Ændret bagefter")
    for name in ("entry_edit", "entry_autosave", "entry_sign", "entry_discard"):
        response = client.post(reverse(f"journal:{name}", args=[entry.pk]), changed)
        assert response.status_code == 403, name
    entry.refresh_from_db()
    assert entry.description == complete_fields()["description"]
    assert entry.status == EntryStatus.SIGNED
    assert events("journal.draft_discarded") == []


def test_saving_the_form_normally_and_a_stale_copy(world, client_for):
    entry = draft_entry(world.consultant, world.case)
    client = client_for(world.consultant)
    edit = reverse("journal:entry_edit", args=[entry.pk])

    response = client.post(edit, {"revision": "0", "participants": "Far", "kind": "phone_video"})
    entry.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == edit
    assert (entry.participants, entry.kind, entry.revision) == ("Far", "phone_video", 1)

    # The same form posted again from an old copy: 409, the text kept on the page, not saved.
    response = client.post(edit, {"revision": "0", "participants": "Mor"})
    entry.refresh_from_db()
    assert response.status_code == 409
    assert response.context["conflict"] is True
    assert response.context["form"]["participants"].value() == "Mor"
    assert "data-draft-conflict" in response.content.decode()
    assert (entry.participants, entry.revision) == ("Far", 1)


def test_autosave_keeps_what_is_valid_when_one_field_is_not(world, client_for):
    entry = draft_entry(world.consultant, world.case)
    response = client_for(world.consultant).post(
        reverse("journal:entry_autosave", args=[entry.pk]),
        {"revision": "0", "start_time": "25:99", "description": "Halvt skrevet", "date": ""},
    )
    entry.refresh_from_db()
    assert response.status_code == 200
    assert (entry.description, entry.start_time, entry.revision) == ("Halvt skrevet", None, 1)
    assert entry.date is None  # a draft may have no date yet
    assert set(response.context["form"].errors) == {"start_time"}

    # Signing needs the date.
    with translation.override("en"):
        response = client_for(world.consultant).post(
            reverse("journal:entry_sign", args=[entry.pk]), complete_fields(revision="1", date="")
        )
    entry.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors == {"date": ["Angiv datoen for kontakten."]}
    assert (entry.status, entry.revision) == (EntryStatus.DRAFT, 2)


def test_a_goal_of_another_case_is_not_linked(world, client_for):
    entry = draft_entry(world.consultant, world.case)
    other_goal = new_goal(world, new_case(world))
    response = client_for(world.consultant).post(
        reverse("journal:entry_autosave", args=[entry.pk]),
        {"revision": "0", "description": "Tekst", "goals": [other_goal.pk]},
    )
    entry.refresh_from_db()
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"goals"}
    assert (entry.description, entry.revision, list(entry.goals.all())) == ("Tekst", 1, [])


def test_discarding_a_draft(world, client_for):
    entry = draft_entry(world.consultant, world.case, description="Forkert sag")
    response = client_for(world.consultant).post(reverse("journal:entry_discard", args=[entry.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:case_journal", args=[world.case.pk])
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    assert len(events("journal.draft_discarded", object_id=str(entry.pk))) == 1


def test_a_case_no_longer_under_way_gets_no_new_notes(world, client_for):
    case = new_case(world, status=CaseStatus.ENDED)
    client = client_for(world.consultant)
    assert client.get(reverse("journal:case_journal", args=[case.pk])).status_code == 200
    response = client.post(reverse("journal:entry_new", args=[case.pk]))
    assert response.status_code == 403
    assert not JournalEntry.objects.filter(case=case).exists()
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("journal:entry_new", args=[case.pk]) not in html


def test_entry_new_is_post_only(world, client_for):
    response = client_for(world.consultant).get(reverse("journal:entry_new", args=[world.case.pk]))
    assert response.status_code == 405
    assert not JournalEntry.objects.exists()


# --- Amendments -----------------------------------------------------------------------------


def test_an_amendment_is_kept_beside_the_untouched_original(world, client_for):
    entry = signed_entry(world.consultant, world.case, description="Mor var glad.")
    client = english(client_for(world.coordinator))
    amend = reverse("journal:entry_amend", args=[entry.pk])

    with translation.override("en"):
        response = client.post(amend, {"text": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"text": ["Write the amendment."]}
    assert not Amendment.objects.exists()

    response = client.post(amend, {"text": "Rettelse: far var også til stede."})
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:entry_detail", args=[entry.pk])
    amendment = Amendment.objects.get(entry=entry)
    assert (amendment.author, amendment.text) == (
        world.coordinator,
        "Rettelse: far var også til stede.",
    )
    assert len(events("journal.amended", object_id=str(entry.pk), actor=world.coordinator)) == 1
    entry.refresh_from_db()
    assert entry.description == "Mor var glad."

    response = client_for(world.consultant).get(reverse("journal:entry_detail", args=[entry.pk]))
    assert response.status_code == 200
    assert response.context["amendments"] == [amendment]
    html = response.content.decode()
    original = html.split('data-testid="entry-original"', 1)[1].split("</article>", 1)[0]
    assert "Mor var glad." in original
    assert "far var også til stede" not in original
    assert html.count('data-testid="amendment"') == 1
    assert "Rettelse: far var også til stede." in html
    assert len(events("journal.viewed", object_id=str(entry.pk), actor=world.consultant)) == 1

    # In the journal too, under the original.
    response = client.get(reverse("journal:case_journal", args=[world.case.pk]))
    assert "Rettelse: far var også til stede." in response.content.decode()


def test_a_draft_is_not_amended(world, client_for):
    entry = draft_entry(world.consultant, world.case, description="Kladde")
    response = client_for(world.consultant).post(
        reverse("journal:entry_amend", args=[entry.pk]), {"text": "Tilføjelse"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Amendment.objects.exists()


# --- Who sees what --------------------------------------------------------------------------


def test_the_coordinator_sees_signed_notes_but_not_the_consultants_drafts(world, client_for):
    signed = signed_entry(world.consultant, world.case)
    draft = draft_entry(world.consultant, world.case, description="Ikke færdig")
    client = client_for(world.coordinator)

    response = client.get(reverse("journal:case_journal", args=[world.case.pk]))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [signed]
    assert "Ikke færdig" not in response.content.decode()
    assert client.get(reverse("journal:entry_detail", args=[signed.pk])).status_code == 200
    for name, (method, url) in entry_urls(draft).items():
        assert getattr(client, method)(url, {"revision": "1"}).status_code == 404, name
    draft.refresh_from_db()
    assert (draft.description, draft.revision) == ("Ikke færdig", 1)

    # The consultant sees their own draft in the list, with the way back to it.
    response = client_for(world.consultant).get(
        reverse("journal:case_journal", args=[world.case.pk])
    )
    assert list(response.context["page"].object_list) == [draft, signed]
    assert reverse("journal:entry_edit", args=[draft.pk]) in response.content.decode()


def test_the_teams_leader_reads_the_journal(world, client_for):
    entry = signed_entry(world.consultant, world.case)
    client = client_for(world.leader)
    response = client.get(reverse("journal:case_journal", args=[world.case.pk]))
    assert list(response.context["page"].object_list) == [entry]
    assert client.get(reverse("journal:entry_detail", args=[entry.pk])).status_code == 200


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_journal_url_of_the_case(world, client_for, persona):
    user = world.personas()[persona]
    signed = signed_entry(world.consultant, world.case)
    draft = draft_entry(world.consultant, world.case, description="Kladde")
    client = client_for(user)
    before = AuditEvent.objects.count()
    case_urls = {
        "case_journal": ("get", reverse("journal:case_journal", args=[world.case.pk])),
        "entry_new": ("post", reverse("journal:entry_new", args=[world.case.pk])),
    }
    for entry in (signed, draft):
        urls = case_urls | entry_urls(entry)
        for name, (method, url) in urls.items():
            response = getattr(client, method)(url, {"revision": "1", "text": "x"})
            assert response.status_code == 404, (persona, name, entry.status)
    assert JournalEntry.objects.count() == 2
    assert not Amendment.objects.exists()
    assert AuditEvent.objects.count() == before
    if persona == "caseworker":  # sees the case itself, not the journal
        html = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
        assert reverse("journal:case_journal", args=[world.case.pk]) not in html


# --- The journal list and search ------------------------------------------------------------


def test_the_journal_list_filters(world, client_for):
    case = world.case
    goal, other_goal = new_goal(world, case), new_goal(world, case, "Far henter til tiden")
    today = timezone.localdate()
    home = signed_entry(
        world.consultant,
        case,
        goals=[goal],
        date=today - dt.timedelta(days=10),
        description="Madpakken var smurt.",
    )
    phone = signed_entry(
        world.coordinator,
        case,
        goals=[other_goal],
        date=today - dt.timedelta(days=3),
        kind=ContactKind.PHONE_VIDEO,
        description="Telefonsamtale med far.",
    )
    school = signed_entry(
        world.consultant,
        case,
        date=today - dt.timedelta(days=1),
        kind=ContactKind.SCHOOL_MEETING,
        description="Møde med skolen om fravær.",
    )
    signed_entry(world.consultant, new_case(world), description="Madpakken på en anden sag.")
    client = client_for(world.consultant)
    url = reverse("journal:case_journal", args=[case.pk])

    def shown(**params) -> list[JournalEntry]:
        response = client.get(url, params)
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    assert shown() == [school, phone, home]
    assert shown(kind=ContactKind.PHONE_VIDEO) == [phone]
    assert shown(goal=goal.pk) == [home]
    assert shown(author=world.coordinator.pk) == [phone]
    assert shown(date_from=(today - dt.timedelta(days=5)).isoformat()) == [school, phone]
    assert shown(
        date_from=(today - dt.timedelta(days=5)).isoformat(),
        date_to=(today - dt.timedelta(days=2)).isoformat(),
    ) == [phone]
    assert shown(q="madpakken") == [home]
    assert shown(q="skolen fravær") == [school]
    assert shown(q="ingenting") == []
    # An author who never wrote on the case is no choice; an invalid filter is left out.
    response = client.get(url, {"author": world.leader.pk, "kind": ContactKind.HOME_VISIT})
    assert "author" in response.context["form"].errors
    assert list(response.context["page"].object_list) == [home]
    authors = set(response.context["form"].fields["author"].queryset)
    assert authors == {world.consultant, world.coordinator}
    # Every listing is a read of the case's journal.
    listed = events("journal.listed", case_id=case.pk, actor=world.consultant)
    assert len(listed) == 10
    assert {event.object_id for event in listed} == {str(case.pk)}


def test_the_journal_list_is_paginated(world, client_for):
    for _ in range(26):
        draft_entry(world.consultant, world.case)
    client = client_for(world.consultant)
    url = reverse("journal:case_journal", args=[world.case.pk])
    assert len(client.get(url).context["page"].object_list) == 25
    assert len(client.get(url, {"side": 2}).context["page"].object_list) == 1


def test_the_journal_list_has_no_n_plus_one(world, client_for):
    goal = new_goal(world, world.case)
    client = client_for(world.consultant)
    url = reverse("journal:case_journal", args=[world.case.pk])

    def queries_for(count: int) -> int:
        JournalEntry.objects.all().delete()
        for number in range(count):
            entry = signed_entry(world.consultant, world.case, goals=[goal])
            services.amend(entry, by=world.coordinator, text=f"Tilføjelse {number}")
        draft_entry(world.consultant, world.case, description="Kladde")
        client.get(url)  # the session and the user are loaded once per client, not per entry
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["page"].object_list) == count + 1
        return len(queries)

    assert queries_for(1) == queries_for(5)


def test_search_across_own_cases(world, client_for):
    other_case = new_case(world)
    mine = signed_entry(world.consultant, world.case, description="Emma græd ved aflevering.")
    also_mine = draft_entry(world.consultant, other_case, reflections="Emma græd igen.")
    outsider_case = CaseFactory(team=world.other_team, consultants=[world.outsider_consultant])
    signed_entry(world.outsider_consultant, outsider_case, description="Emma græd også her.")
    client = client_for(world.consultant)
    url = reverse("journal:search")

    response = client.get(url, {"q": "emma græd"})
    assert response.status_code == 200
    hits = response.context["hits"]
    assert {hit.entry for hit in hits} == {mine, also_mine}
    assert {hit.match for hit in hits} == {"Emma"}
    html = response.content.decode()
    assert str(world.case.number) in html and str(other_case.number) in html
    assert "<mark>Emma</mark>" in html
    logged = events("journal.searched", actor=world.consultant)
    assert [event.changes for event in logged] == [{"q_length": len("emma græd")}]
    assert "græd" not in str(logged[0].changes)

    # No words, no search and no audit row.
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["hits"] == []
    assert len(events("journal.searched")) == 1

    # The coordinator of the team finds the signed note, not the consultant's draft.
    response = client_for(world.coordinator).get(url, {"q": "græd"})
    assert [hit.entry for hit in response.context["hits"]] == [mine]


@pytest.mark.parametrize("persona", ["intake", "caseworker", "admin"])
def test_search_is_not_for_those_outside_the_journal(world, client_for, persona):
    signed_entry(world.consultant, world.case, description="Emma")
    response = client_for(world.personas()[persona]).get(reverse("journal:search"), {"q": "Emma"})
    assert response.status_code == 404
    assert events("journal.searched") == []


# --- The case overview, the start page and the case list --------------------------------------


def test_the_case_overview_shows_the_journal_panel(world, client_for):
    case = world.case
    Order.objects.create(case=case, version=1, approved_hours_per_week=Decimal("3"))
    entry = signed_entry(world.consultant, case)  # 90 minutes in the last 4 weeks
    draft = draft_entry(world.consultant, case)
    response = english(client_for(world.consultant)).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    delivered = response.context["delivered"]
    assert (delivered.delivered_per_week, delivered.approved_per_week, delivered.share) == (
        Decimal("0.4"),
        Decimal("3.0"),
        13,
    )
    html = response.content.decode()
    panel = html.split('data-testid="case-journal-panel"', 1)[1].split("</section>", 1)[0]
    assert "0.4" in panel and "(13 %)" in panel
    assert reverse("journal:entry_new", args=[case.pk]) in panel
    assert reverse("journal:case_journal", args=[case.pk]) in panel
    assert reverse("journal:entry_detail", args=[entry.pk]) in panel
    assert reverse("journal:entry_edit", args=[draft.pk]) in panel

    # The coordinator's panel has the signed note only.
    html = client_for(world.coordinator).get(reverse("cases:detail", args=[case.pk])).content
    assert reverse("journal:entry_edit", args=[draft.pk]) not in html.decode()
    assert reverse("journal:entry_detail", args=[entry.pk]) in html.decode()


def test_the_consultant_start_page_lists_unsigned_drafts(world, client_for):
    mine = draft_entry(world.consultant, world.case, description="Halvfærdig")
    signed_entry(world.consultant, world.case)
    other = UserFactory(role="consultant", team=world.team)
    world.case.consultants.add(other)
    draft_entry(other, world.case)
    response = client_for(world.consultant).get(reverse("core:start"))
    assert response.status_code == 200
    assert list(response.context["drafts"]) == [mine]
    assert response.context["draft_count"] == 1
    html = response.content.decode()
    card = html.split('data-testid="unsigned-drafts"', 1)[1].split("</section>", 1)[0]
    assert card.count("<li>") == 1
    assert reverse("journal:entry_edit", args=[mine.pk]) in card
    assert reverse("journal:search") in html


def no_contact_cases(world) -> tuple[Case, Case]:
    now = timezone.now()
    silent = new_case(
        world, received_at=now - dt.timedelta(days=11), first_contact_at=now - dt.timedelta(days=10)
    )
    visited = new_case(
        world, received_at=now - dt.timedelta(days=11), first_contact_at=now - dt.timedelta(days=10)
    )
    signed_entry(world.consultant, visited, date=timezone.localdate() - dt.timedelta(days=2))
    return silent, visited


def test_case_list_flags_and_filters_cases_without_contact(world, client_for):
    assert settings.TRAAD_NO_CONTACT_DAYS == 7
    silent, visited = no_contact_cases(world)
    client = client_for(world.consultant)

    response = client.get(reverse("cases:list"))
    cases = {case.pk: case for case in response.context["page"].object_list}
    assert cases[silent.pk].no_contact is True
    assert cases[visited.pk].no_contact is False
    assert cases[world.case.pk].no_contact is False  # first contact a day ago
    assert cases[visited.pk].last_contact_on == timezone.localdate() - dt.timedelta(days=2)
    html = response.content.decode()
    assert html.count('data-testid="no-contact"') == 1
    row = html.split(reverse("cases:detail", args=[silent.pk]), 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="no-contact"' in row

    response = client.get(reverse("cases:list"), {"no_contact": "on", "mine": "on"})
    assert response.context["form"].cleaned_data["no_contact"] is True
    assert [case.pk for case in response.context["page"].object_list] == [silent.pk]
    with translation.override("en"):
        assert str(response.context["form"].fields["no_contact"].label) == "Ingen kontakt i 7 dage"


def test_the_start_page_flags_cases_without_contact(world, client_for):
    silent, _visited = no_contact_cases(world)
    html = client_for(world.consultant).get(reverse("core:start")).content.decode()
    row = html.split(reverse("cases:detail", args=[silent.pk]), 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="no-contact"' in row
    assert html.count('data-testid="no-contact"') == 1


# --- Markup -----------------------------------------------------------------------------------


def test_pages_have_no_inline_script_or_style(world, client_for):
    signed = signed_entry(world.consultant, world.case)
    services.amend(signed, by=world.coordinator, text="Tilføjelse")
    draft = draft_entry(world.consultant, world.case, description="Kladde")
    client = client_for(world.consultant)
    urls = [
        reverse("journal:case_journal", args=[world.case.pk]),
        reverse("journal:entry_edit", args=[draft.pk]),
        reverse("journal:entry_detail", args=[signed.pk]),
        reverse("journal:entry_detail", args=[draft.pk]),
        reverse("journal:search") + "?q=Morgenen",
        reverse("cases:detail", args=[world.case.pk]),
        reverse("cases:list"),
        reverse("core:start"),
    ]
    pages = [(url, client.get(url)) for url in urls]
    pages.append(
        (
            "autosave",
            client.post(
                reverse("journal:entry_autosave", args=[draft.pk]), {"revision": "1", "kind": ""}
            ),
        )
    )
    pages.append(
        ("sign", client.post(reverse("journal:entry_sign", args=[draft.pk]), {"revision": "2"}))
    )
    for url, response in pages:
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "style=" not in html, url
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
