"""The samvær screens: planning a session, its report (samværsbeskrivelse), signing, the lock
after signing, amendments, the caseworker's delivery wish and the PDF (one session, or a
period), and every persona that must be refused. Assertions are on the database, the audit
log and the PDF's text; wording only under English."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from traad.audit.models import AuditEvent
from traad.cases.models import CaseStatus, InterventionType, PersonRole, Relation
from traad.cases.services import add_person_to_case
from traad.factories import CaseFactory
from traad.journal import services
from traad.journal.documents import render_visitation_report_pdf
from traad.journal.models import Amendment, CancelReason, SessionStatus, VisitationSession

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=TZ)
CHILD_CPR = "0503164321"
OUTSIDERS = (
    "outsider_consultant",
    "other_leader",
    "caseworker",
    "other_caseworker",
    "admin",
    "intake",
)
REPORT = {
    "status": SessionStatus.HELD,
    "cancel_reason": "",
    "cancel_note": "",
    "date": "2026-11-18",
    "start": "15:00",
    "end": "17:00",
    "place": "Samværslokalet, Vesterbrogade",
    "participants": "Emma, far og familiekonsulenten",
    "what_happened": "Far kom til tiden og havde tegneserier med til Emma.",
    "observations": "Emma søgte fars skød, da hun blev træt.",
    "assessment": "Samværet var trygt for Emma og bør fortsætte som nu.",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def case(world):
    case = CaseFactory(
        team=world.team,
        coordinator=world.coordinator,
        consultants=[world.consultant],
        caseworker=world.caseworker,
        intervention_type=InterventionType.objects.get(name="Støttet samvær"),
    )
    add_person_to_case(
        case,
        by=world.coordinator,
        name="Emma Jensen",
        cpr=CHILD_CPR,
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
    )
    return case


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=TZ)


def plan(world, case, day=18, hour=15):
    return services.plan_session(
        case,
        by=world.consultant,
        starts_at=at(day, hour),
        ends_at=at(day, hour + 2),
        place="Samværslokalet, Vesterbrogade",
        participants="Emma, far og familiekonsulenten",
    )


def held(day: int = 18, hour: int = 15, **overrides):
    fields = {
        name: REPORT[name]
        for name in ("place", "participants", "what_happened", "observations", "assessment")
    }
    return {
        "status": SessionStatus.HELD,
        **fields,
        "starts_at": at(day, hour),
        "ends_at": at(day, hour + 2),
        **overrides,
    }


def signed_session(world, case, day=18, **overrides):
    session = plan(world, case, day=day)
    services.save_session_report(session, by=world.consultant, fields=held(day, **overrides))
    return services.sign_session(session, by=world.consultant)


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# --- Planning -------------------------------------------------------------------------------


def test_a_session_is_planned(world, client_for, case):
    response = client_for(world.consultant).post(
        reverse("journal:session_plan", args=[case.pk]),
        {
            "date": "2026-11-25",
            "start": "15:30",
            "end": "17:00",
            "place": "Hjemme hos far",
            "participants": "Emma og far",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:case_sessions", args=[case.pk])
    session = VisitationSession.objects.get()
    assert (session.case, session.status, session.author) == (
        case,
        SessionStatus.PLANNED,
        world.consultant,
    )
    assert (session.starts_at, session.ends_at) == (
        dt.datetime(2026, 11, 25, 15, 30, tzinfo=TZ),
        dt.datetime(2026, 11, 25, 17, 0, tzinfo=TZ),
    )
    assert (session.place, session.participants) == ("Hjemme hos far", "Emma og far")
    assert AuditEvent.objects.filter(action="samvaer.planned", case_id=case.pk).count() == 1


def test_a_session_ending_before_it_starts_is_refused_on_the_end(world, client_for, case):
    response = english(client_for(world.consultant)).post(
        reverse("journal:session_plan", args=[case.pk]),
        {"date": "2026-11-25", "start": "15:30", "end": "15:00", "place": "Hjemme hos far"},
    )
    assert response.status_code == 200
    form = response.context["plan_form"]
    assert form.errors == {"end": ["The end must be after the start."]}
    assert form["place"].value() == "Hjemme hos far"
    assert not VisitationSession.objects.exists()


def test_the_list_shows_the_sessions_and_is_logged(world, client_for, case):
    first = signed_session(world, case, day=10)
    second = plan(world, case, day=24)
    response = client_for(world.coordinator).get(reverse("journal:case_sessions", args=[case.pk]))
    assert response.status_code == 200
    assert response.context["sessions"] == [second, first]
    html = response.content.decode()
    assert reverse("journal:session_pdf", args=[first.pk]) in html
    assert reverse("journal:session_report", args=[second.pk]) in html
    # The next session is planned with the same place and people by default.
    assert response.context["plan_form"]["place"].value() == "Samværslokalet, Vesterbrogade"
    event = AuditEvent.objects.get(action="samvaer.list_viewed")
    assert (event.actor, event.case_id) == (world.coordinator, case.pk)


def test_the_list_has_no_n_plus_one(world, client_for, case):
    client = client_for(world.consultant)
    url = reverse("journal:case_sessions", args=[case.pk])
    services.amend(signed_session(world, case, day=2), by=world.consultant, text="Tilføjelse")
    client.get(url)  # the first request of a session does more (session, user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for day in (4, 6):
        services.amend(signed_session(world, case, day=day), by=world.consultant, text="Mere")
    plan(world, case, day=24)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four.captured_queries) == len(one.captured_queries)


def test_a_case_of_another_intervention_type_has_no_samvaer(world, client_for):
    client = client_for(world.consultant)
    response = client.get(reverse("journal:case_sessions", args=[world.case.pk]))
    assert response.status_code == 200
    assert response.context["is_visitation_case"] is False
    html = response.content.decode()
    assert 'data-testid="not-visitation"' in html
    assert reverse("journal:session_plan", args=[world.case.pk]) not in html

    response = client.post(
        reverse("journal:session_plan", args=[world.case.pk]),
        {"date": "2026-11-25", "start": "15:30", "end": "17:00"},
    )
    assert response.status_code == 200
    assert response.context["plan_form"].non_field_errors()
    assert not VisitationSession.objects.exists()


def test_the_case_overview_shows_the_samvaer_panel(world, client_for, case):
    session = plan(world, case)
    response = client_for(world.consultant).get(reverse("cases:detail", args=[case.pk]))
    html = response.content.decode()
    assert 'data-testid="visitation-panel"' in html
    assert reverse("journal:session_detail", args=[session.pk]) in html
    assert reverse("journal:case_sessions", args=[case.pk]) + "#plan" in html


def test_the_caseworker_wish_is_saved(world, client_for, case):
    client = client_for(world.coordinator)
    url = reverse("journal:report_delivery", args=[case.pk])
    response = client.post(url, {"delivery": "collected"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.visitation_report_delivery == "collected"
    event = AuditEvent.objects.get(action="case.report_delivery_changed")
    assert event.changes == {"visitation_report_delivery": ["per_session", "collected"]}

    response = client.post(url, {"delivery": "weekly"})
    assert response.status_code == 200
    assert set(response.context["delivery_form"].errors) == {"delivery"}
    case.refresh_from_db()
    assert case.visitation_report_delivery == "collected"


# --- The report, signing and amending -------------------------------------------------------


def test_the_report_is_saved_as_a_draft(world, client_for, case):
    session = plan(world, case)
    client = client_for(world.consultant)
    url = reverse("journal:session_report", args=[session.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["start"].value() == dt.time(15, 0)

    response = client.post(url, REPORT | {"assessment": ""})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert session.what_happened == REPORT["what_happened"]
    assert session.assessment == ""
    assert session.signed_at is None
    event = AuditEvent.objects.get(action="samvaer.report_saved")
    assert event.changes["status"] == "held"


def test_a_cancelled_session_needs_a_reason(world, client_for, case):
    session = plan(world, case)
    response = english(client_for(world.consultant)).post(
        reverse("journal:session_report", args=[session.pk]),
        REPORT | {"status": SessionStatus.CANCELLED, "cancel_note": "Ringede kl. 14."},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"cancel_reason": ["Choose why the session was cancelled."]}
    assert form["cancel_note"].value() == "Ringede kl. 14."
    session.refresh_from_db()
    assert (session.status, session.cancel_note) == (SessionStatus.PLANNED, "")


def test_a_cancelled_session_is_signed_with_its_reason(world, client_for, case):
    session = plan(world, case)
    client = client_for(world.consultant)
    response = client.post(
        reverse("journal:session_sign", args=[session.pk]),
        REPORT
        | {
            "status": SessionStatus.CANCELLED,
            "cancel_reason": CancelReason.CHILD_ILL,
            "what_happened": "",
            "observations": "",
            "assessment": "",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == ("cancelled", "child_ill")
    assert session.signed_at == NOW


def test_signing_an_incomplete_report_keeps_the_text_and_says_what_is_missing(
    world, client_for, case
):
    session = plan(world, case)
    response = english(client_for(world.consultant)).post(
        reverse("journal:session_sign", args=[session.pk]),
        REPORT | {"observations": "", "assessment": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "observations": ["Describe your observations of the interaction."],
        "assessment": ["Write your professional assessment."],
    }
    assert form["what_happened"].value() == REPORT["what_happened"]
    session.refresh_from_db()
    assert session.signed_at is None
    assert session.what_happened == REPORT["what_happened"]  # nothing typed is lost
    assert not AuditEvent.objects.filter(action="samvaer.signed").exists()


def test_signing_without_the_form_shows_the_saved_report_with_errors(world, client_for, case):
    session = plan(world, case)
    response = client_for(world.consultant).post(reverse("journal:session_sign", args=[session.pk]))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"status"}
    session.refresh_from_db()
    assert session.signed_at is None


def test_plan_report_sign_lock_and_amend(world, client_for, case):
    client = client_for(world.consultant)
    session = plan(world, case)

    response = client.post(reverse("journal:session_sign", args=[session.pk]), REPORT)
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:session_detail", args=[session.pk])
    session.refresh_from_db()
    assert session.signed_at == NOW
    assert session.assessment == REPORT["assessment"]
    signed = AuditEvent.objects.get(action="samvaer.signed")
    assert (signed.actor, signed.object_id) == (world.consultant, str(session.pk))

    # Locked: the report form is not offered, and a posted change is refused.
    response = client.get(reverse("journal:session_report", args=[session.pk]))
    assert response.status_code == 302
    response = client.post(
        reverse("journal:session_report", args=[session.pk]),
        REPORT | {"assessment": "Ændret bagefter."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:session_detail", args=[session.pk])
    response = client.post(
        reverse("journal:session_sign", args=[session.pk]),
        REPORT | {"assessment": "Ændret bagefter."},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.assessment == REPORT["assessment"]
    assert session.signed_at == NOW
    assert AuditEvent.objects.filter(action="samvaer.report_saved").count() == 1
    assert AuditEvent.objects.filter(action="samvaer.signed").count() == 1

    # The coordinator adds to it; the amendment is kept beside the original.
    response = client_for(world.coordinator).post(
        reverse("journal:session_amend", args=[session.pk]),
        {"text": "Far har efterfølgende oplyst, at han flytter."},
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.session, amendment.author, amendment.entry) == (
        session,
        world.coordinator,
        None,
    )
    assert AuditEvent.objects.filter(action="samvaer.amended", case_id=case.pk).count() == 1
    html = client.get(reverse("journal:session_detail", args=[session.pk])).content.decode()
    assert "Far har efterfølgende oplyst, at han flytter." in html
    assert REPORT["assessment"] in html


def test_an_unsigned_report_is_edited_not_amended(world, client_for, case):
    session = plan(world, case)
    response = client_for(world.consultant).post(
        reverse("journal:session_amend", args=[session.pk]), {"text": "Tilføjelse"}
    )
    assert response.status_code == 200
    assert response.context["amend_form"].non_field_errors()
    assert not Amendment.objects.exists()


def test_an_empty_amendment_is_refused(world, client_for, case):
    session = signed_session(world, case)
    response = client_for(world.consultant).post(
        reverse("journal:session_amend", args=[session.pk]), {"text": "  "}
    )
    assert response.status_code == 200
    assert set(response.context["amend_form"].errors) == {"text"}
    assert not Amendment.objects.exists()


def test_session_detail_is_logged(world, client_for, case):
    session = signed_session(world, case)
    response = english(client_for(world.leader)).get(
        reverse("journal:session_detail", args=[session.pk])
    )
    assert response.status_code == 200
    assert response.context["signature"].name == world.consultant.full_name
    event = AuditEvent.objects.get(action="samvaer.viewed")
    assert (event.actor, event.case_id, event.object_id) == (
        world.leader,
        case.pk,
        str(session.pk),
    )


# --- The PDF --------------------------------------------------------------------------------


def test_the_pdf_of_one_session(world, client_for, case):
    session = signed_session(world, case)
    services.amend(session, by=world.coordinator, text="Far har senere oplyst, at han flytter.")
    response = client_for(world.consultant).get(reverse("journal:session_pdf", args=[session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="samvaersbeskrivelse-{case.number}-2026-11-18.pdf"'
    )
    text = pdf_text(response)
    assert "Samværsbeskrivelse" in text
    assert "Tråd" in text
    assert case.number in text
    assert "Emma Jensen" in text
    assert case.municipality.name in text
    assert REPORT["what_happened"] in text
    assert REPORT["observations"] in text
    assert REPORT["assessment"] in text
    assert "Far har senere oplyst, at han flytter." in text
    assert world.consultant.full_name in text  # who signed
    assert world.coordinator.full_name in text  # who amended
    assert CHILD_CPR not in text
    assert "050316-4321" not in text
    assert "0503164321" not in text.replace(" ", "").replace("-", "")
    event = AuditEvent.objects.get(action="samvaer.pdf_downloaded")
    assert (event.actor, event.case_id, event.changes) == (
        world.consultant,
        case.pk,
        {"sessions": [session.pk]},
    )


def test_a_draft_has_no_pdf(world, client_for, case):
    session = plan(world, case)
    services.save_session_report(session, by=world.consultant, fields=held())
    response = client_for(world.consultant).get(reverse("journal:session_pdf", args=[session.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="samvaer.pdf_downloaded").exists()
    with pytest.raises(ValueError):
        render_visitation_report_pdf(case, [session])


def test_the_pdf_of_a_period_collects_its_signed_sessions(world, client_for, case):
    first = signed_session(world, case, day=4, what_happened="Første samvær i perioden.")
    second = signed_session(world, case, day=11, what_happened="Andet samvær i perioden.")
    signed_session(world, case, day=2, what_happened="Før perioden.")
    draft = plan(world, case, day=18)
    services.save_session_report(
        draft, by=world.consultant, fields=held(18, what_happened="Kladde, ikke underskrevet.")
    )
    cancelled = plan(world, case, day=6)
    services.save_session_report(
        cancelled,
        by=world.consultant,
        fields={
            "status": SessionStatus.CANCELLED,
            "cancel_reason": CancelReason.CHILD_ILL,
            "cancel_note": "Emma havde feber.",
        },
    )
    services.sign_session(cancelled, by=world.consultant)
    response = client_for(world.coordinator).get(
        reverse("journal:sessions_pdf", args=[case.pk]), {"fra": "2026-11-03", "til": "2026-11-20"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="samvaersbeskrivelser-{case.number}-2026-11-03-2026-11-20.pdf"'
    )
    text = pdf_text(response)
    assert "Samværsbeskrivelser 03.11.2026–20.11.2026" in text
    assert "Første samvær i perioden." in text
    assert "Andet samvær i perioden." in text
    assert text.index("Første samvær") < text.index("Emma havde feber.") < text.index("Andet")
    assert "Før perioden." not in text
    assert "Kladde, ikke underskrevet." not in text
    assert "Emma Jensen" in text
    assert CHILD_CPR not in text
    event = AuditEvent.objects.get(action="samvaer.pdf_downloaded")
    assert event.changes == {"sessions": [first.pk, cancelled.pk, second.pk]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"fra": "2026-11-20", "til": "2026-11-01"}, "til"),
        ({"fra": "20.11", "til": "2026-11-30"}, "fra"),
        ({"til": "2026-11-30"}, "fra"),
        ({"fra": "2026-10-01", "til": "2026-10-31"}, "__all__"),  # no signed sessions
    ],
)
def test_an_invalid_or_empty_period_is_explained(world, client_for, case, params, field):
    signed_session(world, case, day=11)
    response = client_for(world.consultant).get(
        reverse("journal:sessions_pdf", args=[case.pk]), params
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert set(response.context["period_form"].errors) == {field}
    assert not AuditEvent.objects.filter(action="samvaer.pdf_downloaded").exists()


# --- Access ---------------------------------------------------------------------------------


def samvaer_urls(case, session):
    return [
        ("get", reverse("journal:case_sessions", args=[case.pk]), None),
        (
            "post",
            reverse("journal:session_plan", args=[case.pk]),
            {"date": "2026-11-25", "start": "15:00", "end": "16:00"},
        ),
        ("post", reverse("journal:report_delivery", args=[case.pk]), {"delivery": "collected"}),
        (
            "get",
            reverse("journal:sessions_pdf", args=[case.pk]),
            {"fra": "2026-11-01", "til": "2026-11-30"},
        ),
        ("get", reverse("journal:session_detail", args=[session.pk]), None),
        ("get", reverse("journal:session_report", args=[session.pk]), None),
        ("post", reverse("journal:session_report", args=[session.pk]), REPORT),
        ("post", reverse("journal:session_sign", args=[session.pk]), REPORT),
        ("post", reverse("journal:session_amend", args=[session.pk]), {"text": "Tilføjelse"}),
        ("get", reverse("journal:session_pdf", args=[session.pk]), None),
    ]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_samvaer_url(world, client_for, case, persona):
    signed = signed_session(world, case, day=11)
    draft = plan(world, case, day=18)
    client = client_for(world.personas()[persona])
    for session in (signed, draft):
        for method, url, data in samvaer_urls(case, session):
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (persona, method, url)
    assert VisitationSession.objects.count() == 2
    draft.refresh_from_db()
    assert (draft.status, draft.what_happened) == (SessionStatus.PLANNED, "")
    assert not Amendment.objects.exists()
    case.refresh_from_db()
    assert case.visitation_report_delivery == "per_session"
    assert (
        not AuditEvent.objects.filter(actor=world.personas()[persona])
        .exclude(action__startswith="auth.")
        .exists()
    )


def test_an_ended_case_is_readable_but_not_writable(world, client_for, case):
    signed = signed_session(world, case, day=11)
    draft = plan(world, case, day=18)
    case.status = CaseStatus.ENDED
    case.ended_on = dt.date(2026, 11, 19)
    case.save(update_fields=["status", "ended_on"])
    client = client_for(world.consultant)

    assert client.get(reverse("journal:case_sessions", args=[case.pk])).status_code == 200
    assert client.get(reverse("journal:session_detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("journal:session_pdf", args=[signed.pk])).status_code == 200
    refused = [
        (
            "post",
            reverse("journal:session_plan", args=[case.pk]),
            {"date": "2026-11-25", "start": "15:00", "end": "16:00"},
        ),
        ("post", reverse("journal:report_delivery", args=[case.pk]), {"delivery": "collected"}),
        ("get", reverse("journal:session_report", args=[draft.pk]), None),
        ("post", reverse("journal:session_report", args=[draft.pk]), REPORT),
        ("post", reverse("journal:session_sign", args=[draft.pk]), REPORT),
    ]
    for method, url, data in refused:
        assert getattr(client, method)(url, data).status_code == 403, url
    draft.refresh_from_db()
    assert (draft.status, draft.signed_at) == (SessionStatus.PLANNED, None)
    assert VisitationSession.objects.count() == 2


def test_samvaer_pages_have_no_inline_script_or_style(world, client_for, case):
    signed = signed_session(world, case, day=11)
    services.amend(signed, by=world.consultant, text="Tilføjelse")
    draft = plan(world, case, day=18)
    client = client_for(world.consultant)
    urls = [
        reverse("journal:case_sessions", args=[case.pk]),
        reverse("journal:session_detail", args=[signed.pk]),
        reverse("journal:session_detail", args=[draft.pk]),
        reverse("journal:session_report", args=[draft.pk]),
        reverse("cases:detail", args=[case.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "style=" not in html, url
        for chunk in html.split("<script")[1:]:
            assert "src=" in chunk.split(">", 1)[0], url
