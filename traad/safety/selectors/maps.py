"""Reads of Signs of Safety maps, meetings, scales and the Three Houses. Access: the views
check ``get_case_for`` (404) and the ``safety.read`` rule first; every function here assumes
that has been done (``open_next_steps_for`` limits itself to the user's cases)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from traad.cases.models import Case
from traad.cases.selectors import visible_to
from traad.safety.models import (
    DangerPair,
    FollowUpMeeting,
    MapItem,
    MapPart,
    ParticipantRole,
    ScaleRating,
    ThreeHouses,
)

# --- Meetings -------------------------------------------------------------------------------


def meetings_of(case: Case) -> QuerySet[FollowUpMeeting]:
    """The case's follow-up meetings, newest first."""
    return (
        FollowUpMeeting.objects.filter(case=case)
        .select_related("created_by")
        .order_by("-held_on", "-id")
    )


def latest_meeting(case: Case) -> FollowUpMeeting | None:
    return meetings_of(case).first()


def is_latest(meeting: FollowUpMeeting) -> bool:
    latest = latest_meeting(meeting.case)
    return latest is not None and latest.pk == meeting.pk


# --- The map --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapSection:
    """One part of a column. ``kind`` is "items" (MapItems), "dangers" or "goals" (the two
    halves of the danger/goal pairs)."""

    key: str
    label: str
    kind: str
    entries: list[Any]


@dataclass(frozen=True)
class MapColumn:
    key: str
    label: str
    sections: list[MapSection]


@dataclass(frozen=True)
class SafetyMap:
    meeting: FollowUpMeeting
    items: dict[str, list[MapItem]]
    pairs: list[DangerPair]

    @property
    def next_steps(self) -> list[MapItem]:
        return self.items[MapPart.NEXT_STEP]

    @property
    def open_next_steps(self) -> list[MapItem]:
        return [item for item in self.next_steps if item.done_at is None]

    @property
    def is_empty(self) -> bool:
        return not self.pairs and not any(self.items.values())

    @property
    def columns(self) -> list[MapColumn]:
        """The three columns of the map and their parts, in the order of the method."""

        def part(value: str) -> MapSection:
            return MapSection(value, str(MapPart(value).label), "items", self.items[value])

        return [
            MapColumn(
                "worries",
                _("What are we worried about?"),
                [
                    part(MapPart.HARM),
                    MapSection("danger_statements", _("Danger statements"), "dangers", self.pairs),
                    part(MapPart.COMPLICATING),
                ],
            ),
            MapColumn(
                "working",
                _("What is working well?"),
                [part(MapPart.STRENGTHS), part(MapPart.SAFETY)],
            ),
            MapColumn(
                "needs",
                _("What needs to happen?"),
                [
                    MapSection("safety_goals", _("Safety goals"), "goals", self.pairs),
                    part(MapPart.NEXT_STEP),
                ],
            ),
        ]


def map_of(meeting: FollowUpMeeting) -> SafetyMap:
    """The map as it stood at ``meeting``, grouped by part."""
    items: dict[str, list[MapItem]] = {value: [] for value in MapPart.values}
    for item in (
        MapItem.objects.filter(meeting=meeting)
        .select_related("owner")
        .order_by("part", "position", "id")
    ):
        items[item.part].append(item)
    pairs = list(DangerPair.objects.filter(meeting=meeting).order_by("position", "id"))
    return SafetyMap(meeting=meeting, items=items, pairs=pairs)


# --- Scales ---------------------------------------------------------------------------------

ROLE_ORDER = {value: index for index, value in enumerate(ParticipantRole.values)}


@dataclass(frozen=True)
class ScaleSeries:
    """One participant's scores on one pair over time, oldest first."""

    role: str
    name: str
    points: list[tuple[dt.date, int]]

    @property
    def label(self) -> str:
        role = str(ParticipantRole(self.role).label) if self.role in ROLE_ORDER else self.role
        return f"{role} ({self.name})" if self.name else role

    @property
    def latest(self) -> int | None:
        return self.points[-1][1] if self.points else None


def _series_key(rating: ScaleRating) -> tuple[str, str]:
    return rating.participant_role, rating.participant_name.strip()


def _series(ratings: Iterable[ScaleRating]) -> list[ScaleSeries]:
    grouped: dict[tuple[str, str], list[tuple[dt.date, int]]] = {}
    for rating in ratings:
        grouped.setdefault(_series_key(rating), []).append((rating.rated_on, rating.score))
    keys = sorted(grouped, key=lambda key: (ROLE_ORDER.get(key[0], 99), key[1].lower()))
    return [ScaleSeries(role=role, name=name, points=grouped[role, name]) for role, name in keys]


def scale_histories(case: Case, threads: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[ScaleSeries]]:
    """Every pair's scale history in one query: per thread, one series per participant."""
    threads = list(threads)
    by_thread: dict[uuid.UUID, list[ScaleRating]] = {thread: [] for thread in threads}
    for rating in ScaleRating.objects.filter(case=case, thread__in=threads).order_by(
        "rated_on", "created_at", "id"
    ):
        by_thread[rating.thread].append(rating)
    return {thread: _series(ratings) for thread, ratings in by_thread.items()}


def scale_history(case: Case, thread: uuid.UUID) -> list[ScaleSeries]:
    """Per participant role (and name) the list of (date, score), oldest first."""
    return scale_histories(case, [thread])[thread]


def ratings_of(case: Case, thread: uuid.UUID) -> QuerySet[ScaleRating]:
    return ScaleRating.objects.filter(case=case, thread=thread).order_by(
        "-rated_on", "-created_at", "-id"
    )


# --- Comparing two meetings -----------------------------------------------------------------

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"

ITEM_FIELDS: dict[str, Any] = {
    "text": gettext_lazy("Text"),
    "owner": gettext_lazy("Owner"),
    "due_on": gettext_lazy("Due"),
    "done": gettext_lazy("Done"),
}
PAIR_FIELDS: dict[str, Any] = {
    "danger_statement": gettext_lazy("Danger statement"),
    "safety_goal": gettext_lazy("Safety goal"),
}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class EntryChange:
    """One item or pair, matched by thread across the two meetings."""

    status: str
    thread: uuid.UUID
    old: Any
    new: Any
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def current(self) -> Any:
        return self.new if self.new is not None else self.old


@dataclass(frozen=True)
class PartComparison:
    key: str
    label: str
    entries: list[EntryChange]

    def _with(self, status: str) -> list[EntryChange]:
        return [entry for entry in self.entries if entry.status == status]

    @property
    def added(self) -> list[EntryChange]:
        return self._with(ADDED)

    @property
    def removed(self) -> list[EntryChange]:
        return self._with(REMOVED)

    @property
    def changed(self) -> list[EntryChange]:
        return self._with(CHANGED)

    @property
    def unchanged(self) -> list[EntryChange]:
        return self._with(UNCHANGED)


@dataclass(frozen=True)
class ScoreChange:
    role: str
    name: str
    label: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def abs_delta(self) -> int | None:
        return None if self.delta is None else abs(self.delta)


@dataclass(frozen=True)
class PairScaleChange:
    thread: uuid.UUID
    pair: DangerPair
    scores: list[ScoreChange]


@dataclass(frozen=True)
class MapComparison:
    older: FollowUpMeeting
    newer: FollowUpMeeting
    parts: list[PartComparison]
    pairs: PartComparison
    scales: list[PairScaleChange]

    def part(self, key: str) -> PartComparison:
        for part in self.parts:
            if part.key == key:
                return part
        raise KeyError(key)

    @property
    def change_count(self) -> int:
        return sum(len(part.entries) - len(part.unchanged) for part in [*self.parts, self.pairs])


def _day(value: dt.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _owner(item: MapItem) -> str:
    names = [item.owner.full_name or item.owner.email if item.owner else "", item.owner_name]
    return ", ".join(name for name in names if name) or "—"


def _item_fields(item: MapItem) -> dict[str, str]:
    return {
        "text": item.text,
        "owner": _owner(item),
        "due_on": _day(item.due_on),
        "done": _("Yes") if item.done_at else _("No"),
    }


def _pair_fields(pair: DangerPair) -> dict[str, str]:
    return {"danger_statement": pair.danger_statement, "safety_goal": pair.safety_goal}


def _match(
    old: Sequence[Any], new: Sequence[Any], fields_of: Any, labels: dict[str, Any]
) -> list[EntryChange]:
    olds = {entry.thread: entry for entry in old}
    news = {entry.thread: entry for entry in new}
    out: list[EntryChange] = []
    for entry in new:
        before = olds.get(entry.thread)
        if before is None:
            out.append(EntryChange(ADDED, entry.thread, None, entry))
            continue
        was, now = fields_of(before), fields_of(entry)
        changes = [
            FieldChange(name, str(labels[name]), was[name], now[name])
            for name in labels
            if was[name] != now[name]
        ]
        out.append(
            EntryChange(CHANGED if changes else UNCHANGED, entry.thread, before, entry, changes)
        )
    out.extend(
        EntryChange(REMOVED, entry.thread, entry, None) for entry in old if entry.thread not in news
    )
    return out


def _latest_scores(
    ratings: Sequence[ScaleRating], on_or_before: dt.date
) -> dict[tuple[str, str], int]:
    scores: dict[tuple[str, str], int] = {}
    for rating in ratings:  # oldest first: the last one on or before the date wins
        if rating.rated_on <= on_or_before:
            scores[_series_key(rating)] = rating.score
    return scores


def compare_meetings(older: FollowUpMeeting, newer: FollowUpMeeting) -> MapComparison:
    """What changed on the map from ``older`` to ``newer`` (items and pairs matched by
    thread), and each pair's scale per participant at each meeting's date."""
    if (older.held_on, older.pk) > (newer.held_on, newer.pk):
        older, newer = newer, older
    old_map, new_map = map_of(older), map_of(newer)
    parts = [
        PartComparison(
            value,
            str(label),
            _match(old_map.items[value], new_map.items[value], _item_fields, ITEM_FIELDS),
        )
        for value, label in MapPart.choices
    ]
    pairs = PartComparison(
        "pairs",
        _("Danger statements and safety goals"),
        _match(old_map.pairs, new_map.pairs, _pair_fields, PAIR_FIELDS),
    )
    threads = [entry.thread for entry in pairs.entries]
    ratings: dict[uuid.UUID, list[ScaleRating]] = {thread: [] for thread in threads}
    for rating in ScaleRating.objects.filter(case_id=newer.case_id, thread__in=threads).order_by(
        "rated_on", "created_at", "id"
    ):
        ratings[rating.thread].append(rating)
    scales = []
    for entry in pairs.entries:
        before = _latest_scores(ratings[entry.thread], older.held_on)
        after = _latest_scores(ratings[entry.thread], newer.held_on)
        keys = sorted(
            set(before) | set(after), key=lambda key: (ROLE_ORDER.get(key[0], 99), key[1].lower())
        )
        scores = [
            ScoreChange(
                role=role,
                name=name,
                label=ScaleSeries(role, name, []).label,
                before=before.get((role, name)),
                after=after.get((role, name)),
            )
            for role, name in keys
        ]
        scales.append(PairScaleChange(entry.thread, entry.current, scores))
    return MapComparison(older=older, newer=newer, parts=parts, pairs=pairs, scales=scales)


# --- Next steps and the case panel ----------------------------------------------------------


def open_next_steps_for(user: Any) -> QuerySet[MapItem]:
    """Open next steps owned by ``user`` on the latest map of each case they can see,
    soonest due first (no due date last)."""
    if not getattr(user, "is_authenticated", False):
        return MapItem.objects.none()
    latest = (
        FollowUpMeeting.objects.filter(case_id=OuterRef("meeting__case_id"))
        .order_by("-held_on", "-id")
        .values("pk")[:1]
    )
    return (
        MapItem.objects.filter(
            part=MapPart.NEXT_STEP,
            owner=user,
            done_at__isnull=True,
            meeting__case__in=visible_to(user),
        )
        .filter(meeting_id=Subquery(latest))
        .select_related("meeting__case")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class MapPanel:
    latest: FollowUpMeeting | None
    meeting_count: int
    open_next_steps: int
    overdue_next_steps: int


def map_panel(case: Case, *, today: dt.date | None = None) -> MapPanel:
    """For the case overview: the latest meeting and how many of its next steps are open."""
    today = today or timezone.localdate()
    meetings = meetings_of(case)
    latest = meetings.first()
    open_steps = (
        MapItem.objects.filter(meeting=latest, part=MapPart.NEXT_STEP, done_at__isnull=True)
        if latest
        else MapItem.objects.none()
    )
    return MapPanel(
        latest=latest,
        meeting_count=meetings.count(),
        open_next_steps=open_steps.count(),
        overdue_next_steps=open_steps.filter(due_on__lt=today).count(),
    )


# --- The child's voice ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChildHouses:
    child: Any
    records: list[ThreeHouses]


def three_houses_by_child(case: Case) -> list[ChildHouses]:
    """The Three Houses of the case, newest first, per child."""
    grouped: dict[int, ChildHouses] = {}
    for record in (
        ThreeHouses.objects.filter(case=case)
        .select_related("child", "spoken_by")
        .order_by("child__name", "child_id", "-spoken_on", "-id")
    ):
        grouped.setdefault(record.child_id, ChildHouses(record.child, [])).records.append(record)
    return list(grouped.values())
