"""Writes of goals, journal entries and samvær sessions. Each function checks who may act,
runs in one transaction, saves with ``update_fields`` and writes its audit row.

A journal entry or samværsbeskrivelse is a draft until signed. Drafts are saved as they are
typed (nothing typed is lost, so an autosave accepts incomplete text); signing checks the
template and locks the record. A signed record is never changed: it is amended."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from traad.accounts.models import User
from traad.audit.services import diff_values, record_event
from traad.cases.models import Case, CaseStatus
from traad.journal import rules
from traad.journal.models import (
    DIMENSION_AREA,
    Amendment,
    ContactKind,
    EntryStatus,
    FocusArea,
    Goal,
    GoalRating,
    GoalStatus,
    JournalEntry,
    SessionStatus,
    VisitationSession,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class StaleDraftError(Exception):
    """The draft was saved elsewhere (another tab or device) after this copy was loaded."""


# --- Goals ----------------------------------------------------------------------------------

GOAL_FIELDS = ("title", "description", "focus_area", "dimension", "child", "child_perspective")


def _check_dimension(focus_area: str, dimension: str) -> None:
    if dimension and DIMENSION_AREA.get(dimension) != focus_area:
        raise ValidationError(
            {"dimension": _("The dimension must belong to the chosen focus area.")}
        )


@transaction.atomic
def create_goal(case: Case, *, by: User, **fields: Any) -> Goal:
    _require(rules.can_write_journal(by, case))
    goal = Goal(case=case, created_by=by, **fields)
    _check_dimension(goal.focus_area, goal.dimension)
    if goal.child_id and not case.members.filter(person_id=goal.child_id).exists():
        raise ValidationError({"child": _("Choose a child of this case.")})
    goal.full_clean()
    goal.save()
    record_event(
        actor=by,
        action="goal.created",
        obj=goal,
        case_id=case.pk,
        person_id=goal.child_id,
        changes={"title": goal.title, "focus_area": goal.focus_area},
    )
    return goal


@transaction.atomic
def update_goal(goal: Goal, *, by: User, **fields: Any) -> Goal:
    _require(rules.can_write_journal(by, goal.case))
    before = {name: getattr(goal, name if name != "child" else "child_id") for name in GOAL_FIELDS}
    for name, value in fields.items():
        if name not in GOAL_FIELDS:
            raise ValueError(name)
        setattr(goal, name, value)
    _check_dimension(goal.focus_area, goal.dimension)
    goal.full_clean()
    if goal.child_id and not goal.case.members.filter(person_id=goal.child_id).exists():
        raise ValidationError({"child": _("Choose a child of this case.")})
    changed = [name for name in GOAL_FIELDS if name in fields]
    goal.save(update_fields=changed)
    after = {name: getattr(goal, name if name != "child" else "child_id") for name in GOAL_FIELDS}
    changes = diff_values(before, after)
    if changes:
        record_event(
            actor=by, action="goal.changed", obj=goal, case_id=goal.case_id, changes=changes
        )
    return goal


@transaction.atomic
def rate_goal(
    goal: Goal,
    *,
    by: User,
    score: int,
    rater_role: str,
    rated_on: dt.date | None = None,
    rater_name: str = "",
    comment: str = "",
) -> GoalRating:
    _require(rules.can_write_journal(by, goal.case))
    if goal.status != GoalStatus.ACTIVE:
        raise ValidationError(_("Only an active goal can be rated."))
    rated_on = rated_on or timezone.localdate()
    if rated_on > timezone.localdate():
        raise ValidationError({"rated_on": _("A rating cannot be dated in the future.")})
    rating = GoalRating(
        goal=goal,
        score=score,
        rater_role=rater_role,
        rated_on=rated_on,
        rater_name=rater_name.strip(),
        comment=comment.strip(),
        created_by=by,
    )
    rating.full_clean()
    rating.save()
    record_event(
        actor=by,
        action="goal.rated",
        obj=goal,
        case_id=goal.case_id,
        changes={"score": score, "rater_role": rater_role, "rated_on": rated_on.isoformat()},
    )
    return rating


@transaction.atomic
def set_goal_status(goal: Goal, *, by: User, status: str, reason: str = "") -> Goal:
    _require(rules.can_write_journal(by, goal.case))
    if status not in GoalStatus.values:
        raise ValidationError(_("Unknown goal status."))
    if status == GoalStatus.DROPPED and not reason.strip():
        raise ValidationError({"reason": _("Write why the goal is dropped.")})
    old = goal.status
    goal.status = status
    goal.dropped_reason = reason.strip() if status == GoalStatus.DROPPED else ""
    goal.status_changed_at = timezone.now()
    goal.save(update_fields=["status", "dropped_reason", "status_changed_at"])
    record_event(
        actor=by,
        action="goal.status_changed",
        obj=goal,
        case_id=goal.case_id,
        changes={"status": [old, status], "reason": goal.dropped_reason},
    )
    return goal


# --- Journal entries ------------------------------------------------------------------------

ENTRY_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "kind",
    "participants",
    "focus_areas",
    "description",
    "reflections",
    "concern_change",
    "concern_note",
)


@transaction.atomic
def start_draft(case: Case, *, by: User, **fields: Any) -> JournalEntry:
    """A new, empty (or partly filled) draft, saved at once so nothing typed is lost."""
    _require(rules.can_write_journal(by, case))
    entry = JournalEntry(case=case, author=by, **fields)
    entry.save()
    record_event(actor=by, action="journal.draft_started", obj=entry, case_id=case.pk)
    return entry


@transaction.atomic
def save_draft(
    entry: JournalEntry,
    *,
    by: User,
    fields: Mapping[str, Any],
    goals: Iterable[Goal] | None = None,
    revision: int | None = None,
) -> JournalEntry:
    """Store what the author has typed so far. Incomplete text is fine here; signing checks
    the template. ``revision`` guards against an older copy overwriting newer text."""
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    _require(rules.can_edit_entry(by, entry))
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError(_("A signed entry cannot be changed. Add an amendment instead."))
    if revision is not None and revision != entry.revision:
        raise StaleDraftError
    changed = []
    for name in ENTRY_FIELDS:
        if name in fields and getattr(entry, name) != fields[name]:
            setattr(entry, name, fields[name])
            changed.append(name)
    if goals is not None:
        goals = list(goals)
        if any(goal.case_id != entry.case_id for goal in goals):
            raise ValidationError({"goals": _("Choose goals of this case.")})
        entry.goals.set(goals)
    entry.revision = F("revision") + 1
    entry.updated_at = timezone.now()
    entry.save(update_fields=[*changed, "revision", "updated_at"])
    entry.refresh_from_db(fields=["revision"])
    # Autosaves are frequent; one audit row per draft save keeps who wrote what, without text.
    record_event(
        actor=by,
        action="journal.draft_saved",
        obj=entry,
        case_id=entry.case_id,
        changes={"fields": changed},
    )
    return entry


def template_errors(entry: JournalEntry) -> dict[str, list[str]]:
    """What the fixed template still needs before the entry can be signed (Danish messages)."""
    errors: dict[str, list[str]] = {}

    def need(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if entry.date is None:
        need("date", _("Enter the date of the contact."))
    elif entry.date > timezone.localdate():
        need("date", _("The date cannot be in the future."))
    if entry.start_time is None:
        need("start_time", _("Enter when the contact started."))
    if entry.end_time is None:
        need("end_time", _("Enter when the contact ended."))
    if entry.start_time and entry.end_time and entry.end_time <= entry.start_time:
        need("end_time", _("The end must be after the start."))
    if entry.kind not in ContactKind.values:
        need("kind", _("Choose the kind of contact."))
    if not entry.participants.strip():
        need("participants", _("Write who took part."))
    if not entry.description.strip():
        need("description", _("Describe concretely what happened."))
    if not entry.reflections.strip():
        need("reflections", _("Write your reflections and assessment."))
    bad_areas = [area for area in entry.focus_areas if area not in FocusArea.values]
    if bad_areas:
        need("focus_areas", _("Unknown focus area."))
    if not entry.focus_areas and not entry.goals.exists():
        need("goals", _("Choose the goals or focus areas worked on."))
    if entry.concern_change and not entry.concern_note.strip():
        need("concern_note", _("Write why the concern has changed."))
    return errors


@transaction.atomic
def sign_entry(entry: JournalEntry, *, by: User) -> JournalEntry:
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    _require(rules.can_edit_entry(by, entry))
    errors = template_errors(entry)
    if errors or entry.date is None:
        raise ValidationError(errors)
    entry.status = EntryStatus.SIGNED
    entry.signed_at = timezone.now()
    entry.save(update_fields=["status", "signed_at"])
    if entry.concern_change:
        # The note's change of concern goes into the case's concern history (and a raise into
        # high or acute tells the team leader, as any raise does).
        from traad.safety.services.concern import shift_concern_level

        shift_concern_level(
            entry.case,
            by=by,
            direction=entry.concern_change,
            reason=_("From the journal entry of %(date)s: %(note)s")
            % {"date": f"{entry.date:%d.%m.%Y}", "note": entry.concern_note.strip()},
        )
    record_event(
        actor=by,
        action="journal.signed",
        obj=entry,
        case_id=entry.case_id,
        changes={
            "date": entry.date.isoformat(),
            "kind": entry.kind,
            "minutes": entry.duration_minutes,
            "concern_change": entry.concern_change,
        },
    )
    return entry


@transaction.atomic
def discard_draft(entry: JournalEntry, *, by: User) -> None:
    _require(rules.can_edit_entry(by, entry))
    case_id = entry.case_id
    record_event(actor=by, action="journal.draft_discarded", obj=entry, case_id=case_id)
    entry.delete()


@transaction.atomic
def amend(target: JournalEntry | VisitationSession, *, by: User, text: str) -> Amendment:
    """Add to a signed entry or samværsbeskrivelse; the original stays as it was signed."""
    _require(rules.can_amend(by, target.case))
    signed = (
        target.status == EntryStatus.SIGNED
        if isinstance(target, JournalEntry)
        else target.signed_at is not None
    )
    if not signed:
        raise ValidationError(_("Only a signed record is amended; edit the draft instead."))
    if not text.strip():
        raise ValidationError({"text": _("Write the amendment.")})
    amendment = Amendment(author=by, text=text.strip())
    if isinstance(target, JournalEntry):
        amendment.entry = target
    else:
        amendment.session = target
    amendment.save()
    record_event(
        actor=by,
        action="journal.amended" if isinstance(target, JournalEntry) else "samvaer.amended",
        obj=target,
        case_id=target.case_id,
    )
    return amendment


# --- Samvær ---------------------------------------------------------------------------------

SESSION_REPORT_FIELDS = (
    "status",
    "cancel_reason",
    "cancel_note",
    "place",
    "participants",
    "what_happened",
    "observations",
    "assessment",
    "starts_at",
    "ends_at",
)


def _check_visitation_case(case: Case) -> None:
    if not case.is_visitation_case:
        raise ValidationError(
            _("Samvær sessions belong to cases of supported or supervised samvær.")
        )


@transaction.atomic
def plan_session(
    case: Case,
    *,
    by: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    participants: str = "",
) -> VisitationSession:
    _require(rules.can_write_journal(by, case))
    _check_visitation_case(case)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    session = VisitationSession(
        case=case,
        author=by,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        participants=participants.strip(),
    )
    session.full_clean()
    session.save()
    record_event(
        actor=by,
        action="samvaer.planned",
        obj=session,
        case_id=case.pk,
        changes={"starts_at": starts_at.isoformat()},
    )
    return session


@transaction.atomic
def save_session_report(
    session: VisitationSession, *, by: User, fields: Mapping[str, Any]
) -> VisitationSession:
    """Record how a session went (held or cancelled) and draft its samværsbeskrivelse."""
    session = VisitationSession.objects.select_for_update().get(pk=session.pk)
    _require(rules.can_write_journal(by, session.case))
    if session.signed_at is not None:
        raise ValidationError(
            _("A signed samværsbeskrivelse cannot be changed. Add an amendment instead.")
        )
    before = {name: getattr(session, name) for name in SESSION_REPORT_FIELDS}
    for name in SESSION_REPORT_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    if session.status == SessionStatus.CANCELLED and not session.cancel_reason:
        raise ValidationError({"cancel_reason": _("Choose why the session was cancelled.")})
    if session.status != SessionStatus.CANCELLED:
        session.cancel_reason = ""
    if session.ends_at <= session.starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    changed = [n for n in SESSION_REPORT_FIELDS if getattr(session, n) != before[n]]
    if changed:
        session.save(update_fields=changed)
        record_event(
            actor=by,
            action="samvaer.report_saved",
            obj=session,
            case_id=session.case_id,
            changes={"fields": changed, "status": session.status},
        )
    return session


def session_report_errors(session: VisitationSession) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if session.status == SessionStatus.PLANNED:
        errors["status"] = [_("Record whether the session was held or cancelled.")]
    elif session.status == SessionStatus.HELD:
        if session.starts_at > timezone.now():
            errors["starts_at"] = [_("A session in the future cannot have been held.")]
        for name, message in (
            ("what_happened", _("Describe what happened.")),
            ("observations", _("Describe your observations of the interaction.")),
            ("assessment", _("Write your professional assessment.")),
        ):
            if not getattr(session, name).strip():
                errors[name] = [message]
    elif session.cancel_reason == "other" and not session.cancel_note.strip():
        errors["cancel_note"] = [_("Describe why the session was cancelled.")]
    return errors


@transaction.atomic
def sign_session(session: VisitationSession, *, by: User) -> VisitationSession:
    session = VisitationSession.objects.select_for_update().get(pk=session.pk)
    _require(rules.can_write_journal(by, session.case))
    if session.signed_at is not None:
        raise ValidationError(_("The samværsbeskrivelse is already signed."))
    errors = session_report_errors(session)
    if errors:
        raise ValidationError(errors)
    session.signed_at = timezone.now()
    session.signed_by = by
    session.save(update_fields=["signed_at", "signed_by"])
    record_event(
        actor=by,
        action="samvaer.signed",
        obj=session,
        case_id=session.case_id,
        changes={"status": session.status},
    )
    return session


@transaction.atomic
def set_report_delivery(case: Case, *, by: User, delivery: str) -> Case:
    """How the caseworker wants samværsbeskrivelser: one per session, or collected."""
    _require(rules.can_write_journal(by, case))
    if delivery not in ("per_session", "collected"):
        raise ValidationError(_("Choose how the samværsbeskrivelser are sent."))
    old = case.visitation_report_delivery
    case.visitation_report_delivery = delivery
    case.save(update_fields=["visitation_report_delivery"])
    record_event(
        actor=by,
        action="case.report_delivery_changed",
        obj=case,
        case_id=case.pk,
        changes={"visitation_report_delivery": [old, delivery]},
    )
    return case


def is_case_open(case: Case) -> bool:
    return case.status in (CaseStatus.ASSIGNED, CaseStatus.ACTIVE, CaseStatus.PAUSED)
