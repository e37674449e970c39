"""Writes of Signs of Safety maps, follow-up meetings, scales and the Three Houses.

Each function checks who may act (``safety.write``), runs in one transaction, saves with
``update_fields`` and writes its audit row. A meeting keeps its own version of the map: a new
meeting starts as a copy of the previous one (same ``thread`` ids, so versions can be compared
and a pair's scale followed), and only the latest meeting of a case can be changed; the older
ones are the record of how the map stood.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from traad.accounts.models import User
from traad.audit.services import diff_values, record_event
from traad.cases.models import Case, PersonRole
from traad.journal.models import Goal
from traad.safety import rules
from traad.safety.models import (
    DangerPair,
    FollowUpMeeting,
    MapItem,
    MapPart,
    ParticipantRole,
    ScaleRating,
    ThreeHouses,
)

MIN_SCORE, MAX_SCORE = 0, 10


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def latest_meeting_of(case: Case) -> FollowUpMeeting | None:
    return FollowUpMeeting.objects.filter(case=case).order_by("-held_on", "-id").first()


def _require_latest(meeting: FollowUpMeeting) -> None:
    latest = latest_meeting_of(meeting.case)
    if latest is None or latest.pk != meeting.pk:
        raise ValidationError(_("Only the latest meeting can be changed."))


def _clean_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _not_in_future(day: dt.date, field: str, message: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: message})


# --- Meetings -------------------------------------------------------------------------------


@transaction.atomic
def start_meeting(
    case: Case, *, by: User, held_on: dt.date, participants: str = ""
) -> FollowUpMeeting:
    """A new follow-up meeting whose map starts as the previous meeting's map (all items and
    pairs, next steps open and done alike, with the same threads). The first starts empty."""
    _require(rules.can_write_safety(by, case))
    _not_in_future(held_on, "held_on", _("A meeting cannot be dated in the future."))
    previous = latest_meeting_of(case)
    if previous is not None and held_on < previous.held_on:
        raise ValidationError(
            {"held_on": _("A new meeting cannot be dated before the previous meeting.")}
        )
    meeting = FollowUpMeeting.objects.create(
        case=case,
        held_on=held_on,
        participants=participants.strip(),
        previous=previous,
        created_by=by,
    )
    copied_items = copied_pairs = 0
    if previous is not None:
        items = [
            MapItem(
                meeting=meeting,
                thread=item.thread,
                part=item.part,
                text=item.text,
                position=item.position,
                owner_id=item.owner_id,
                owner_name=item.owner_name,
                due_on=item.due_on,
                done_at=item.done_at,
            )
            for item in MapItem.objects.filter(meeting=previous)
        ]
        pairs = [
            DangerPair(
                meeting=meeting,
                thread=pair.thread,
                danger_statement=pair.danger_statement,
                safety_goal=pair.safety_goal,
                position=pair.position,
            )
            for pair in DangerPair.objects.filter(meeting=previous)
        ]
        MapItem.objects.bulk_create(items)
        DangerPair.objects.bulk_create(pairs)
        copied_items, copied_pairs = len(items), len(pairs)
    record_event(
        actor=by,
        action="sos.meeting_started",
        obj=meeting,
        case_id=case.pk,
        changes={
            "held_on": held_on.isoformat(),
            "previous": previous.pk if previous else None,
            "items": copied_items,
            "pairs": copied_pairs,
        },
    )
    return meeting


@transaction.atomic
def record_decisions(
    meeting: FollowUpMeeting,
    *,
    by: User,
    decisions: str,
    adjust_goals: bool = False,
    change_intervention: bool = False,
    propose_to_municipality: bool = False,
    goals_affected: Iterable[Goal] = (),
) -> FollowUpMeeting:
    _require(rules.can_write_safety(by, meeting.case))
    _require_latest(meeting)
    goals = list(goals_affected)
    if any(goal.case_id != meeting.case_id for goal in goals):
        raise ValidationError({"goals_affected": _("Choose goals of this case.")})
    fields = {
        "decisions": decisions.strip(),
        "decide_adjust_goals": bool(adjust_goals),
        "decide_change_intervention": bool(change_intervention),
        "decide_propose_to_municipality": bool(propose_to_municipality),
    }
    before: dict[str, Any] = {name: getattr(meeting, name) for name in fields}
    goals_before = sorted(meeting.goals_affected.values_list("pk", flat=True))
    goals_after = sorted(goal.pk for goal in goals)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=list(fields))
    meeting.goals_affected.set(goals)
    changes: dict[str, Any] = diff_values(before, fields)
    if goals_before != goals_after:
        changes["goals_affected"] = [goals_before, goals_after]
    if changes:
        record_event(
            actor=by,
            action="sos.decisions_recorded",
            obj=meeting,
            case_id=meeting.case_id,
            changes=changes,
        )
    return meeting


# --- Map items ------------------------------------------------------------------------------


def _check_owner(case: Case, owner: User | None) -> None:
    if owner is not None and not rules.can_read_safety(owner, case):
        raise ValidationError({"owner": _("Choose someone who works on this case.")})


def _next_step_fields(
    part: str, case: Case, owner: User | None, owner_name: str, due_on: dt.date | None
) -> dict[str, Any]:
    """Owner and due date belong to next steps only; other parts keep them empty."""
    if part != MapPart.NEXT_STEP:
        return {"owner": None, "owner_name": "", "due_on": None}
    _check_owner(case, owner)
    return {"owner": owner, "owner_name": owner_name.strip(), "due_on": due_on}


def _item_values(item: MapItem) -> dict[str, Any]:
    return {
        "text": item.text,
        "owner": item.owner_id,
        "owner_name": item.owner_name,
        "due_on": item.due_on,
    }


@transaction.atomic
def add_map_item(
    meeting: FollowUpMeeting,
    *,
    by: User,
    part: str,
    text: str,
    owner: User | None = None,
    owner_name: str = "",
    due_on: dt.date | None = None,
) -> MapItem:
    _require(rules.can_write_safety(by, meeting.case))
    _require_latest(meeting)
    if part not in MapPart.values:
        raise ValidationError({"part": _("Choose a part of the map.")})
    text = _clean_text(text, "text", _("Write the statement."))
    last = MapItem.objects.filter(meeting=meeting, part=part).aggregate(m=Max("position"))["m"]
    item = MapItem(
        meeting=meeting,
        part=part,
        text=text,
        position=(last or 0) + 1,
        **_next_step_fields(part, meeting.case, owner, owner_name, due_on),
    )
    item.full_clean()
    item.save()
    record_event(
        actor=by,
        action="sos.item_added",
        obj=meeting,
        case_id=meeting.case_id,
        changes={"part": part, "thread": str(item.thread), **diff_values({}, _item_values(item))},
    )
    return item


@transaction.atomic
def update_map_item(
    item: MapItem,
    *,
    by: User,
    text: str,
    owner: User | None = None,
    owner_name: str = "",
    due_on: dt.date | None = None,
) -> MapItem:
    meeting = item.meeting
    _require(rules.can_write_safety(by, meeting.case))
    _require_latest(meeting)
    before = _item_values(item)
    item.text = _clean_text(text, "text", _("Write the statement."))
    for name, value in _next_step_fields(
        item.part, meeting.case, owner, owner_name, due_on
    ).items():
        setattr(item, name, value)
    item.full_clean()
    changes = diff_values(before, _item_values(item))
    if changes:
        item.save(update_fields=["text", "owner", "owner_name", "due_on"])
        record_event(
            actor=by,
            action="sos.item_changed",
            obj=meeting,
            case_id=meeting.case_id,
            changes={"part": item.part, "thread": str(item.thread), **changes},
        )
    return item


@transaction.atomic
def remove_map_item(item: MapItem, *, by: User) -> None:
    meeting = item.meeting
    _require(rules.can_write_safety(by, meeting.case))
    _require_latest(meeting)
    record_event(
        actor=by,
        action="sos.item_removed",
        obj=meeting,
        case_id=meeting.case_id,
        changes={"part": item.part, "thread": str(item.thread), "text": item.text},
    )
    item.delete()


@transaction.atomic
def complete_next_step(item: MapItem, *, by: User) -> MapItem:
    meeting = item.meeting
    _require(rules.can_write_safety(by, meeting.case))
    _require_latest(meeting)
    if item.part != MapPart.NEXT_STEP:
        raise ValidationError(_("Only a next step can be marked as done."))
    if item.done_at is not None:
        raise ValidationError(_("The next step is already done."))
    item.done_at = timezone.now()
    item.save(update_fields=["done_at"])
    record_event(
        actor=by,
        action="sos.next_step_done",
        obj=meeting,
        case_id=meeting.case_id,
        changes={"thread": str(item.thread), "done_at": item.done_at.isoformat()},
    )
    return item


# --- Danger statements and safety goals -----------------------------------------------------


def _pair_texts(danger_statement: str, safety_goal: str) -> tuple[str, str]:
    danger_statement = (danger_statement or "").strip()
    safety_goal = (safety_goal or "").strip()
    errors: dict[str, str] = {}
    if not danger_statement:
        errors["danger_statement"] = _("Write the danger statement.")
    if not safety_goal:
        errors["safety_goal"] = _("Write the safety goal that answers the danger statement.")
    if errors:
        raise ValidationError(errors)
    return danger_statement, safety_goal


@transaction.atomic
def add_danger_pair(
    meeting: FollowUpMeeting, *, by: User, danger_statement: str, safety_goal: str
) -> DangerPair:
    """Every danger statement is paired with the safety goal that answers it: both needed."""
    _require(rules.can_write_safety(by, meeting.case))
    _require_latest(meeting)
    danger_statement, safety_goal = _pair_texts(danger_statement, safety_goal)
    last = DangerPair.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"]
    pair = DangerPair.objects.create(
        meeting=meeting,
        danger_statement=danger_statement,
        safety_goal=safety_goal,
        position=(last or 0) + 1,
    )
    record_event(
        actor=by,
        action="sos.pair_added",
        obj=meeting,
        case_id=meeting.case_id,
        changes={
            "thread": str(pair.thread),
            "danger_statement": danger_statement,
            "safety_goal": safety_goal,
        },
    )
    return pair


@transaction.atomic
def update_danger_pair(
    pair: DangerPair, *, by: User, danger_statement: str, safety_goal: str
) -> DangerPair:
    meeting = pair.meeting
    _require(rules.can_write_safety(by, meeting.case))
    _require_latest(meeting)
    before = {"danger_statement": pair.danger_statement, "safety_goal": pair.safety_goal}
    pair.danger_statement, pair.safety_goal = _pair_texts(danger_statement, safety_goal)
    after = {"danger_statement": pair.danger_statement, "safety_goal": pair.safety_goal}
    changes = diff_values(before, after)
    if changes:
        pair.save(update_fields=["danger_statement", "safety_goal"])
        record_event(
            actor=by,
            action="sos.pair_changed",
            obj=meeting,
            case_id=meeting.case_id,
            changes={"thread": str(pair.thread), **changes},
        )
    return pair


@transaction.atomic
def remove_danger_pair(pair: DangerPair, *, by: User) -> None:
    """The pair leaves this meeting's map; its scale ratings stay (the history of the case)."""
    meeting = pair.meeting
    _require(rules.can_write_safety(by, meeting.case))
    _require_latest(meeting)
    record_event(
        actor=by,
        action="sos.pair_removed",
        obj=meeting,
        case_id=meeting.case_id,
        changes={"thread": str(pair.thread), "danger_statement": pair.danger_statement},
    )
    pair.delete()


# --- Scales ---------------------------------------------------------------------------------


@transaction.atomic
def rate_pair(
    case: Case,
    *,
    by: User,
    thread: uuid.UUID | str,
    participant_role: str,
    participant_name: str = "",
    score: int,
    rated_on: dt.date | None = None,
    reason: str = "",
    one_step_up: str = "",
    meeting: FollowUpMeeting | None = None,
) -> ScaleRating:
    """One participant's 0–10 on a danger/goal pair of the case."""
    _require(rules.can_write_safety(by, case))
    try:
        thread = uuid.UUID(str(thread))
    except ValueError as exc:
        raise ValidationError(_("Choose a danger statement of this case.")) from exc
    if not DangerPair.objects.filter(meeting__case=case, thread=thread).exists():
        raise ValidationError(_("Choose a danger statement of this case."))
    if meeting is not None and meeting.case_id != case.pk:
        raise ValidationError(_("Choose a meeting of this case."))
    if participant_role not in ParticipantRole.values:
        raise ValidationError({"participant_role": _("Choose who gives the score.")})
    if (
        isinstance(score, bool)
        or not isinstance(score, int)
        or not (MIN_SCORE <= score <= MAX_SCORE)
    ):
        raise ValidationError({"score": _("Choose a score from 0 to 10.")})
    rated_on = rated_on or timezone.localdate()
    _not_in_future(rated_on, "rated_on", _("A score cannot be dated in the future."))
    rating = ScaleRating(
        case=case,
        thread=thread,
        meeting=meeting,
        rated_on=rated_on,
        participant_role=participant_role,
        participant_name=participant_name.strip(),
        score=score,
        reason=reason.strip(),
        one_step_up=one_step_up.strip(),
        created_by=by,
    )
    rating.full_clean()
    rating.save()
    record_event(
        actor=by,
        action="sos.pair_rated",
        obj=rating,
        case_id=case.pk,
        changes={
            "thread": str(thread),
            "participant_role": participant_role,
            "score": score,
            "rated_on": rated_on.isoformat(),
        },
    )
    return rating


# --- The child's voice ----------------------------------------------------------------------


@transaction.atomic
def record_three_houses(
    case: Case,
    *,
    by: User,
    child: Any,
    spoken_on: dt.date,
    worries: str = "",
    good_things: str = "",
    dreams: str = "",
) -> ThreeHouses:
    """What a child of the case said, in the child's own words, in the three houses."""
    _require(rules.can_write_safety(by, case))
    if child is None or not case.members.filter(person=child, role=PersonRole.CHILD).exists():
        raise ValidationError({"child": _("Choose a child of this case.")})
    _not_in_future(spoken_on, "spoken_on", _("The date cannot be in the future."))
    houses = {
        "worries": (worries or "").strip(),
        "good_things": (good_things or "").strip(),
        "dreams": (dreams or "").strip(),
    }
    if not any(houses.values()):
        raise ValidationError(_("Write what the child said in at least one of the houses."))
    record = ThreeHouses.objects.create(
        case=case, child=child, spoken_on=spoken_on, spoken_by=by, **houses
    )
    record_event(
        actor=by,
        action="sos.three_houses_recorded",
        obj=record,
        case_id=case.pk,
        person_id=child.pk,
        changes={"spoken_on": spoken_on.isoformat(), "houses": [k for k, v in houses.items() if v]},
    )
    return record
