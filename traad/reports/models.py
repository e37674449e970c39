"""Status reports, end reports and ad-hoc statements to the municipality (domain.md, workflow 8).

One ``Report`` row is one *version* of a report. A report moves draft → ready for review →
reviewed → approved → sent; from approved on it is locked. A correction is a new row (``version``
+ 1, ``previous`` pointing back) that goes through the review again, while the earlier version
stays as it was. When a version is sent, its PDF is stored once in ``SentDocument`` with its
SHA-256, and that stored file is what everyone sees from then on.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traad.cases.models import Case
from traad.journal.models import FocusArea, Goal, JournalEntry
from traad.safety.models import FollowUpMeeting


class ReportKind(models.TextChoices):
    STATUS = "status", _("Status report")
    END = "end", _("End report")
    ADHOC = "adhoc", _("Ad-hoc statement")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready for review")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")


# The states in which a report's text can no longer change.
LOCKED_STATES = (ReportState.APPROVED, ReportState.SENT)


class Recommendation(models.TextChoices):
    CONTINUE = "continue", _("Continue the intervention")
    SCALE_UP = "scale_up", _("Scale up")
    SCALE_DOWN = "scale_down", _("Scale down")
    END = "end", _("End the intervention")
    OTHER = "other", _("Other")


class Report(models.Model):
    """One version of a report on a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind of report"), max_length=10, choices=ReportKind.choices)
    # The deadline it answers: (kind, number) as in ``deadlines.Deadline``; none for ad-hoc.
    deadline_number = models.PositiveSmallIntegerField(null=True, blank=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("corrects version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )

    # The text, pre-filled from the case when the draft is made and then written by staff.
    sos_works = models.TextField(_("what works"), blank=True)
    sos_worries = models.TextField(_("what worries"), blank=True)
    sos_next = models.TextField(_("what should happen"), blank=True)
    sos_meeting = models.ForeignKey(
        FollowUpMeeting,
        verbose_name=_("Signs of Safety map from the meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    child_perspective = models.TextField(_("the child's perspective"), blank=True)
    assessment = models.TextField(_("overall professional assessment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    recommendation_reasons = models.TextField(_("reasons for the recommendation"), blank=True)

    # The lost-update guard: a save names the revision it was edited from.
    revision = models.PositiveIntegerField(default=0)
    review_round = models.PositiveSmallIntegerField(default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    first_opened_at = models.DateTimeField(
        _("first opened by the caseworker"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="report_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="adhoc") | models.Q(deadline_number__isnull=False),
                name="report_deadline_unless_adhoc",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "kind", "deadline_number"], name="report_deadline"),
            models.Index(fields=["state", "due_on"], name="report_state_due"),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.kind == ReportKind.STATUS and self.deadline_number:
            label = f"{label} {self.deadline_number}"
        if self.version > 1:
            label = f"{label} (v{self.version})"
        return str(label)

    @property
    def is_locked(self) -> bool:
        return self.state in LOCKED_STATES

    @property
    def is_in_review(self) -> bool:
        return self.state in (ReportState.READY, ReportState.REVIEWED)

    @property
    def met_deadline(self) -> bool | None:
        """Sent on or before its deadline (None while unsent or without a deadline)."""
        if self.sent_at is None or self.due_on is None:
            return None
        sent_on: dt.date = timezone.localtime(self.sent_at).date()
        return sent_on <= self.due_on


class ReportGoal(models.Model):
    """One goal of the case as the report shows it: its score then, its trend, the text."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="goal_sections")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    focus_area = models.CharField(_("ICS side"), max_length=20, choices=FocusArea.choices)
    title = models.CharField(_("goal"), max_length=200)
    score = models.PositiveSmallIntegerField(_("current score"), null=True, blank=True)
    previous_score = models.PositiveSmallIntegerField(
        _("score at the previous report"), null=True, blank=True
    )
    text = models.TextField(_("progress in the period"), blank=True)
    excerpts = models.ManyToManyField(
        JournalEntry, verbose_name=_("journal excerpts"), blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("goal in a report")
        verbose_name_plural = _("goals in a report")
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="report_goal_once"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def trend(self) -> int | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


class ReportSection(models.TextChoices):
    """The parts of a report a reviewer comments on."""

    GENERAL = "general", _("The report as a whole")
    CHILD_DEVELOPMENT = "child_development", _("Goals: the child's development")
    PARENTING = "parenting", _("Goals: parenting capacity")
    FAMILY_NETWORK = "family_network", _("Goals: family and network")
    SOS = "sos", _("Signs of Safety")
    CHILD = "child", _("The child's perspective")
    ASSESSMENT = "assessment", _("Assessment and recommendation")


class ReviewComment(models.Model):
    """A second reader's comment on one section, in one review round."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("section"), max_length=20, choices=ReportSection.choices)
    text = models.TextField(_("comment"))
    review_round = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.text[:40]}"


class SentDocument(models.Model):
    """The PDF of a sent report, stored once. Never changed: what was sent is what is shown."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="document")
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sent document")
        verbose_name_plural = _("sent documents")

    def __str__(self) -> str:
        return f"{self.report} {self.sha256[:12]}"


class ReminderStage(models.TextChoices):
    DAYS_14 = "d14", _("14 days before")
    DAYS_3 = "d3", _("3 days before")
    OVERDUE = "overdue", _("Overdue")


class DeadlineReminder(models.Model):
    """One reminder about one deadline of one case: at most one row per stage, so the job that
    sends them can run any number of times without sending anything twice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    deadline_number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # False when a later stage was already due the first time the job saw this deadline:
    # only the most urgent reminder is mailed, the earlier stages are recorded as passed.
    mailed = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "deadline_number", "due_on", "stage"],
                name="deadline_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.deadline_number} {self.stage}"


class Letterhead(models.Model):
    """The provider's letterhead on every report: one row, changed by an administrator."""

    name = models.CharField(_("provider's name"), max_length=150, default="Tråd Familiebehandling")
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    footer = models.CharField(_("footer text"), max_length=200, blank=True)
    logo = models.BinaryField(_("logo"), blank=True, default=b"")
    logo_type = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterhead")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Letterhead:
        letterhead = cls.objects.order_by("pk").first()
        return letterhead if letterhead is not None else cls()
