"""Signs of Safety maps and follow-up meetings, scales, the child's voice, the concern level
and notifications of concern (underretninger, Barnets lov § 133).

A map belongs to a follow-up meeting: each meeting keeps its own version of the map, started as
a copy of the previous meeting's. Items keep a ``thread`` id across versions, so two meetings can
be compared and a danger/goal pair's scale followed over time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traad.cases.models import Case, Person
from traad.organisations.models import Municipality


class FollowUpMeeting(models.Model):
    """An opfølgningsmøde: who met, the map as it stood, and what was decided."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followup_meetings")
    held_on = models.DateField(_("date of the meeting"), default=timezone.localdate)
    participants = models.TextField(_("participants"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    decide_adjust_goals = models.BooleanField(_("adjust the goals"), default=False)
    decide_change_intervention = models.BooleanField(_("change the intervention"), default=False)
    decide_propose_to_municipality = models.BooleanField(
        _("propose to the municipality"), default=False
    )
    goals_affected = models.ManyToManyField(
        "journal.Goal", verbose_name=_("goals affected"), blank=True, related_name="+"
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("follow-up meeting")
        verbose_name_plural = _("follow-up meetings")

    def __str__(self) -> str:
        return _("Follow-up meeting %(date)s") % {"date": f"{self.held_on:%d.%m.%Y}"}


class MapPart(models.TextChoices):
    # What are we worried about?
    HARM = "harm", _("Harm")
    COMPLICATING = "complicating", _("Complicating factors")
    # What is working well?
    STRENGTHS = "strengths", _("Existing strengths")
    SAFETY = "safety", _("Existing safety")
    # What needs to happen?
    NEXT_STEP = "next_step", _("Next steps")


class MapItem(models.Model):
    """One statement in one part of the map, as it stood at one meeting."""

    meeting = models.ForeignKey(FollowUpMeeting, on_delete=models.CASCADE, related_name="items")
    thread = models.UUIDField(default=uuid.uuid4, editable=False)
    part = models.CharField(_("part"), max_length=20, choices=MapPart.choices)
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(default=0)
    # Next steps only: who does what by when.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_steps",
    )
    owner_name = models.CharField(
        _("owner outside Tråd"),
        max_length=150,
        blank=True,
        help_text=_("E.g. the mother or the school, when the owner is not a user."),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "part", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "thread"], name="map_item_once_per_meeting")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class DangerPair(models.Model):
    """A danger statement and the safety goal that answers it, as they stood at one meeting."""

    meeting = models.ForeignKey(FollowUpMeeting, on_delete=models.CASCADE, related_name="pairs")
    thread = models.UUIDField(default=uuid.uuid4, editable=False)
    danger_statement = models.TextField(_("danger statement"))
    safety_goal = models.TextField(_("safety goal"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "thread"], name="danger_pair_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return self.danger_statement[:60]


class ParticipantRole(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    CHILD = "child", _("Child")
    OTHER_FAMILY = "family", _("Other family member")
    NETWORK = "network", _("Network")
    CONSULTANT = "consultant", _("Family consultant")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")


class ScaleRating(models.Model):
    """A participant's 0–10 on a danger/goal pair: 10 = safe enough to close, 0 = the child
    cannot live at home."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="scale_ratings")
    thread = models.UUIDField(_("danger/goal pair"), db_index=True)
    meeting = models.ForeignKey(
        FollowUpMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="ratings"
    )
    rated_on = models.DateField(_("date"), default=timezone.localdate)
    participant_role = models.CharField(
        _("participant"), max_length=20, choices=ParticipantRole.choices
    )
    participant_name = models.CharField(_("name"), max_length=150, blank=True)
    score = models.PositiveSmallIntegerField(
        _("score (0–10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    reason = models.TextField(_("what puts it at this number?"), blank=True)
    one_step_up = models.TextField(_("what would one step up look like?"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["rated_on", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=10), name="scale_score_0_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_participant_role_display()}: {self.score}"


class ThreeHouses(models.Model):
    """The child's voice: worries, good things and dreams, in the child's own words."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="three_houses")
    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.PROTECT, related_name="+"
    )
    spoken_on = models.DateField(_("date"), default=timezone.localdate)
    spoken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who spoke with the child"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worries = models.TextField(_("the house of worries"), blank=True)
    good_things = models.TextField(_("the house of good things"), blank=True)
    dreams = models.TextField(_("the house of dreams"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-spoken_on", "-id"]
        verbose_name = _("Three Houses")
        verbose_name_plural = _("Three Houses")

    def __str__(self) -> str:
        return f"{self.child} {self.spoken_on:%d.%m.%Y}"


class ConcernLevel(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    ACUTE = "acute", _("Acute")


RAISED_LEVELS = (ConcernLevel.HIGH, ConcernLevel.ACUTE)
LEVEL_ORDER = {
    ConcernLevel.LOW: 0,
    ConcernLevel.MODERATE: 1,
    ConcernLevel.HIGH: 2,
    ConcernLevel.ACUTE: 3,
}


class ConcernAssessment(models.Model):
    """The case's concern level from this moment on: who set it, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="concern_history")
    level = models.CharField(_("concern level"), max_length=10, choices=ConcernLevel.choices)
    reason = models.TextField(_("why"))
    earlier_violence = models.BooleanField(_("earlier violence"), default=False)
    earlier_abuse = models.BooleanField(_("earlier abuse"), default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    leader_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("concern assessment")
        verbose_name_plural = _("concern assessments")

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.set_at:%Y-%m-%d}"


class Notification(models.Model):
    """A notification of concern (underretning, Barnets lov § 133) sent to a municipality."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    made_at = models.DateTimeField(_("sent"), default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("to municipality"), on_delete=models.PROTECT, related_name="+"
    )
    grounds = models.TextField(_("grounds"))
    receipt_at = models.DateTimeField(_("receipt from the municipality"), null=True, blank=True)
    receipt_due_on = models.DateField(_("receipt expected by"))
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        verbose_name = _("notification of concern")
        verbose_name_plural = _("notifications of concern")
        indexes = [models.Index(fields=["receipt_at", "receipt_due_on"], name="notif_receipt")]

    def __str__(self) -> str:
        return _("Notification %(date)s") % {"date": f"{self.made_at:%d.%m.%Y}"}
