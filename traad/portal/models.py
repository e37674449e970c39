"""What passes between the provider and the municipality's caseworker besides the reports:
the provider's recommendations and the caseworker's answers, requests for an ad-hoc statement,
how the caseworker wants to be informed, feedback, and invitations to the portal
(domain.md, workflows 9 and 11)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from traad.cases.models import Case


class RecommendationKind(models.TextChoices):
    END_GOALS_REACHED = "end_goals_reached", _("End the intervention: the goals are reached")
    SCALE_UP = "scale_up", _("Scale up the intervention")
    SCALE_DOWN = "scale_down", _("Scale down the intervention")
    CHANGE_INTERVENTION = (
        "change_intervention",
        pgettext_lazy("recommendation", "Change the intervention"),
    )
    NO_COOPERATION = "no_cooperation", _("The family does not cooperate")


class Answer(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    COMMENT = "comment", _("Comment")


class Recommendation(models.Model):
    """A proposal from the provider that the caseworker answers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(_("recommendation"), max_length=24, choices=RecommendationKind.choices)
    text = models.TextField(_("reasons"))
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("from the report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    answer_text = models.TextField(_("the caseworker's comment"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [models.Index(fields=["case", "answered_at"], name="recommendation_open")]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class StatementRequest(models.Model):
    """The caseworker asks for an ad-hoc statement (udtalelse) about the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="statement_requests")
    text = models.TextField(_("what the caseworker wants to know"))
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("handled"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("request for a statement")
        verbose_name_plural = _("requests for a statement")

    def __str__(self) -> str:
        return self.text[:60]


class InformationPreference(models.Model):
    """How much and how often the caseworker wants to hear from the provider on this case."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="information_preference"
    )
    text = models.TextField(_("how much and how often the caseworker wants to be informed"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("information preference")
        verbose_name_plural = _("information preferences")

    def __str__(self) -> str:
        return self.text[:60]


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Feedback(models.Model):
    """The caseworker's rating of the collaboration (1–5), at any time or after a report."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="feedback")
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("about the report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    collaboration = models.PositiveSmallIntegerField(_("collaboration"), validators=SCORE)
    report_usefulness = models.PositiveSmallIntegerField(
        _("usefulness of the reports"), validators=SCORE
    )
    progression_info = models.PositiveSmallIntegerField(
        _("information about progression"), validators=SCORE
    )
    comment = models.TextField(_("comment"), blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(collaboration__gte=1, collaboration__lte=5)
                & models.Q(report_usefulness__gte=1, report_usefulness__lte=5)
                & models.Q(progression_info__gte=1, progression_info__lte=5),
                name="feedback_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.given_at:%Y-%m-%d}"

    @property
    def average(self) -> float:
        return (self.collaboration + self.report_usefulness + self.progression_info) / 3


class Invitation(models.Model):
    """A caseworker invited to the portal: the mail holds a link to choose a password."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-invited_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} {self.invited_at:%Y-%m-%d}"
