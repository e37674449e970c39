"""Goals from the municipality's plan, the visit journal and visitation (samvær) sessions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traad.cases.models import Case, Person


class FocusArea(models.TextChoices):
    """The three sides of ICS (2019)."""

    CHILD_DEVELOPMENT = "child_development", _("The child's development")
    PARENTING = "parenting", _("Parenting capacity")
    FAMILY_NETWORK = "family_network", _("Family and network")


class Dimension(models.TextChoices):
    """The ten ICS dimensions (2019); ``DIMENSION_AREA`` says which side each belongs to."""

    HEALTH = "health", _("Health")
    DEVELOPMENT = "development", _("Development and behaviour")
    SCHOOL = "school", _("Daycare, school and learning")
    LEISURE = "leisure", _("Leisure and friendships")
    SAFE_CARE = "safe_care", _("Safe care")
    STIMULATION = "stimulation", _("Stimulation and guidance")
    RELATIONSHIPS = "relationships", _("Supporting relationships")
    FAMILY = "family", _("Family relationships and background")
    HOUSING = "housing", _("Housing, employment and finances")
    SOCIAL_NETWORK = "social_network", _("Social network")


DIMENSION_AREA: dict[str, str] = {
    Dimension.HEALTH: FocusArea.CHILD_DEVELOPMENT,
    Dimension.DEVELOPMENT: FocusArea.CHILD_DEVELOPMENT,
    Dimension.SCHOOL: FocusArea.CHILD_DEVELOPMENT,
    Dimension.LEISURE: FocusArea.CHILD_DEVELOPMENT,
    Dimension.SAFE_CARE: FocusArea.PARENTING,
    Dimension.STIMULATION: FocusArea.PARENTING,
    Dimension.RELATIONSHIPS: FocusArea.PARENTING,
    Dimension.FAMILY: FocusArea.FAMILY_NETWORK,
    Dimension.HOUSING: FocusArea.FAMILY_NETWORK,
    Dimension.SOCIAL_NETWORK: FocusArea.FAMILY_NETWORK,
}


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REACHED = "reached", _("Reached")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    """A goal from the child's plan (barnets plan / handleplan), scaled 0–10 over time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("what it looks like when the goal is reached"), blank=True)
    focus_area = models.CharField(_("focus area"), max_length=20, choices=FocusArea.choices)
    dimension = models.CharField(
        _("dimension"), max_length=20, choices=Dimension.choices, blank=True
    )
    child = models.ForeignKey(
        Person,
        verbose_name=_("child"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    child_perspective = models.TextField(
        _("the child's own wish or words"),
        blank=True,
        help_text=_("Barnets lov § 5: write the child's own words where you know them."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    dropped_reason = models.TextField(_("why the goal was dropped"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["focus_area", "created_at", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="dropped") | ~models.Q(dropped_reason=""),
                name="goal_dropped_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RaterRole(models.TextChoices):
    CONSULTANT = "consultant", _("Family consultant")
    COORDINATOR = "coordinator", _("Coordinator")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    CASEWORKER = "caseworker", _("Caseworker")
    OTHER = "other", _("Other")


class GoalRating(models.Model):
    """One score 0–10 on a goal: who rated, when, and why."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    rated_on = models.DateField(_("date"), default=timezone.localdate)
    score = models.PositiveSmallIntegerField(
        _("score (0–10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    rater_role = models.CharField(_("rated by"), max_length=20, choices=RaterRole.choices)
    rater_name = models.CharField(_("name of the rater"), max_length=150, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["goal", "rated_on", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=10), name="rating_score_0_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.score}"


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE_VIDEO = "phone_video", _("Phone or video")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    SCHOOL_MEETING = "school_meeting", _("School or daycare meeting")
    CASEWORKER_MEETING = "caseworker_meeting", _("Meeting with the caseworker")
    VISITATION = "visitation", _("Samvær")
    OTHER = "other", _("Other")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class ConcernChange(models.TextChoices):
    NONE = "", _("No change")
    LOWER = "lower", _("Lower concern")
    HIGHER = "higher", _("Higher concern")


class JournalEntry(models.Model):
    """A note in the visit journal with the fixed template. A draft until the author signs it;
    a signed entry is never changed, only amended."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journal_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="journal_entries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    # Nullable so a draft autosaves even while the date field is being retyped.
    date = models.DateField(_("date"), default=timezone.localdate, null=True, blank=True)
    start_time = models.TimeField(_("start"), null=True, blank=True)
    end_time = models.TimeField(_("end"), null=True, blank=True)
    kind = models.CharField(
        _("kind of contact"), max_length=20, choices=ContactKind.choices, blank=True
    )
    participants = models.TextField(_("who took part"), blank=True)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("goals worked on"), blank=True, related_name="journal_entries"
    )
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    description = models.TextField(_("what happened"), blank=True)
    reflections = models.TextField(_("reflections and assessment"), blank=True)
    concern_change = models.CharField(
        _("change of concern"),
        max_length=10,
        choices=ConcernChange.choices,
        blank=True,
        default=ConcernChange.NONE,
    )
    concern_note = models.TextField(_("about the concern"), blank=True)
    # Incremented on every save of a draft, so a stale autosave cannot overwrite newer text.
    revision = models.PositiveIntegerField(default=0)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-start_time", "-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [
            models.Index(fields=["case", "status", "date"], name="journal_case_status_date"),
            models.Index(fields=["author", "status"], name="journal_author_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(signed_at__isnull=False),
                name="journal_signed_has_time",
            )
        ]

    def __str__(self) -> str:
        when = f"{self.date:%d.%m.%Y}" if self.date else ""
        return f"{self.get_kind_display() or _('Journal entry')} {when}".strip()

    @property
    def duration(self) -> dt.timedelta | None:
        if self.date is None or self.start_time is None or self.end_time is None:
            return None
        start = dt.datetime.combine(self.date, self.start_time)
        end = dt.datetime.combine(self.date, self.end_time)
        return end - start if end > start else None

    @property
    def duration_minutes(self) -> int | None:
        duration = self.duration
        return None if duration is None else int(duration.total_seconds() // 60)


class Amendment(models.Model):
    """An addition to a signed journal entry or samværsbeskrivelse, shown beside the original."""

    entry = models.ForeignKey(
        JournalEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="amendments"
    )
    session = models.ForeignKey(
        "VisitationSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="amendments",
    )
    text = models.TextField(_("amendment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(entry__isnull=False) & models.Q(session__isnull=True))
                | (models.Q(entry__isnull=True) & models.Q(session__isnull=False)),
                name="amendment_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author} {self.created_at:%Y-%m-%d %H:%M}"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class CancelReason(models.TextChoices):
    CHILD_ILL = "child_ill", _("The child was ill")
    PARENT_NO_SHOW = "parent_no_show", _("The parent did not show up")
    PARENT_CANCELLED = "parent_cancelled", _("The parent cancelled")
    CARER_CANCELLED = "carer_cancelled", _("The foster family or institution cancelled")
    PROVIDER_CANCELLED = "provider_cancelled", _("We cancelled")
    OTHER = "other", _("Other")


class VisitationSession(models.Model):
    """A supported (§ 104, stk. 3) or supervised (§ 105) visitation session and its report
    (samværsbeskrivelse), signed like a journal entry."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visitation_sessions")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancel_reason = models.CharField(
        _("why it was cancelled"), max_length=20, choices=CancelReason.choices, blank=True
    )
    cancel_note = models.TextField(_("about the cancellation"), blank=True)
    what_happened = models.TextField(_("what happened"), blank=True)
    observations = models.TextField(_("observations of the interaction"), blank=True)
    assessment = models.TextField(_("professional assessment"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("samvær session")
        verbose_name_plural = _("samvær sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancel_reason=""),
                name="session_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return _("Samvær %(date)s") % {"date": f"{timezone.localtime(self.starts_at):%d.%m.%Y}"}

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None
