from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traad.core.fields import EncryptedTextField
from traad.organisations.models import Competence, Language, Municipality, Team


class CaseStatus(models.TextChoices):
    REFERRAL = "referral", _("Referral received")
    ASSIGNED = "assigned", _("Assigned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


# Cases that still hold a consultant's hours (for free capacity and caseload).
OPEN_STATUSES = (CaseStatus.ASSIGNED, CaseStatus.ACTIVE, CaseStatus.PAUSED)
# Not yet started in the family: the intake queue.
NOT_STARTED_STATUSES = (CaseStatus.REFERRAL, CaseStatus.ASSIGNED)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (start within 24 hours)")
    ACUTE = "acute", _("Acute (start today)")


class Investigation(models.TextChoices):
    NONE = "", _("No parallel investigation")
    AFDAEKNING = "s19", _("§ 19 afdækning")
    BORNEFAGLIG = "s20", _("§ 20 børnefaglig undersøgelse")


class EndReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Goals reached")
    BY_MUNICIPALITY = "by_municipality", _("Ended by the municipality")
    FAMILY_MOVED = "family_moved", _("Family moved")
    NO_COOPERATION = "no_cooperation", _("No cooperation")
    OTHER = "other", _("Other")


class InterventionType(models.Model):
    """An intervention a municipality can order, with its legal basis (admin-editable list)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    legal_basis = models.CharField(_("legal basis"), max_length=120)
    is_family_treatment = models.BooleanField(
        _("family treatment"),
        default=False,
        help_text=_("Counts towards the goal of ending family treatment within nine months."),
    )
    is_visitation = models.BooleanField(
        _("samvær"),
        default=False,
        help_text=_(
            "Supported or supervised samvær: the case gets samvær sessions and samværsbeskrivelser."
        ),
    )
    competences = models.ManyToManyField(
        Competence,
        verbose_name=_("competences usually needed"),
        blank=True,
        help_text=_(
            "Proposed as the needed competences when a referral of this type is registered."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("intervention type")
        verbose_name_plural = _("intervention types")

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"


class Case(models.Model):
    """An intervention (indsats): from the municipality's referral until it ends.

    A referral may be saved half-filled (an intake worker is often on the phone); it must be
    complete before it can be assigned (see ``services.missing_for_assignment``).
    """

    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REFERRAL
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ordered_cases",
    )
    intervention_type = models.ForeignKey(
        InterventionType,
        verbose_name=_("intervention type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    purpose = models.TextField(_("purpose of the intervention"), blank=True)
    expected_duration_months = models.PositiveSmallIntegerField(
        _("expected duration (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    investigation = models.CharField(
        _("parallel investigation"),
        max_length=3,
        choices=Investigation.choices,
        blank=True,
        default=Investigation.NONE,
    )
    investigation_expected_end = models.DateField(
        _("investigation expected to end"), null=True, blank=True
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    home_languages = models.ManyToManyField(
        Language, verbose_name=_("languages spoken at home"), blank=True, related_name="+"
    )
    needed_competences = models.ManyToManyField(
        Competence, verbose_name=_("competences needed"), blank=True, related_name="+"
    )
    address = models.CharField(_("family's address"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{4}$", _("A Danish postcode has four digits."))],
    )
    concerns = models.TextField(_("known concerns"), blank=True)
    flag_violence = models.BooleanField(_("violence"), default=False)
    flag_sexual_abuse = models.BooleanField(_("sexual abuse"), default=False)
    flag_substance_misuse = models.BooleanField(_("substance misuse"), default=False)
    flag_mental_illness = models.BooleanField(_("mental illness"), default=False)
    flag_neglect = models.BooleanField(_("neglect"), default=False)
    received_at = models.DateTimeField(_("referral received"), default=timezone.now)

    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
    )
    consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultants"),
        blank=True,
        related_name="consulted_cases",
    )
    report_interval_months = models.PositiveSmallIntegerField(
        _("months between status reports"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("After the first status report; the municipality may set another rhythm."),
    )
    visitation_report_delivery = models.CharField(
        _("samværsbeskrivelser to the caseworker"),
        max_length=12,
        choices=[
            ("per_session", _("One after each session")),
            ("collected", _("Collected for a period")),
        ],
        default="per_session",
    )
    assignment_reason = models.TextField(_("reason for not choosing the top proposal"), blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first contact in the family"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("about the ending"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "received_at"], name="case_status_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ended") | models.Q(ended_on__isnull=False),
                name="case_ended_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(first_contact_at__isnull=False),
                name="case_active_has_first_contact",
            ),
        ]

    def __str__(self) -> str:
        return _("Case %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"{self.pk:06d}" if self.pk else "—"

    @property
    def hours_to_first_contact(self) -> float | None:
        if self.first_contact_at is None:
            return None
        return (self.first_contact_at - self.received_at).total_seconds() / 3600

    @property
    def started_within_24_hours(self) -> bool | None:
        hours = self.hours_to_first_contact
        return None if hours is None else hours <= 24

    @property
    def is_visitation_case(self) -> bool:
        """Supported or supervised samvær: the case has samvær sessions."""
        return self.intervention_type is not None and self.intervention_type.is_visitation

    @property
    def concern_flags(self) -> list[str]:
        return [str(label) for name, label in CONCERN_FLAGS if getattr(self, name)]


CONCERN_FLAGS = (
    ("flag_violence", _("violence")),
    ("flag_sexual_abuse", _("sexual abuse")),
    ("flag_substance_misuse", _("substance misuse")),
    ("flag_mental_illness", _("mental illness")),
    ("flag_neglect", _("neglect")),
)


class Order(models.Model):
    """One version of the municipality's order (bevilling). A change makes a new version."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="orders"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    approved_hours_per_week = models.DecimalField(
        _("approved hours per week"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("80"))],
    )
    period_start = models.DateField(_("approved from"), null=True, blank=True)
    period_end = models.DateField(_("approved until"), null=True, blank=True)
    note = models.TextField(_("about the change"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="order_version_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="order_period_ordered",
                violation_error_message=_("The approved period must end on or after its start."),
            ),
        ]

    def __str__(self) -> str:
        return _("Order version %(version)s") % {"version": self.version}


class CasePause(models.Model):
    """A period in which the case was paused; the KPIs leave these periods out."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(_("paused from"), default=timezone.now)
    ended_at = models.DateTimeField(_("resumed"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    resume_status = models.CharField(max_length=20, choices=CaseStatus.choices)

    class Meta:
        ordering = ["case", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_pause_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.started_at:%Y-%m-%d}"


class Person(models.Model):
    """A child or adult Tråd holds data about (a data subject, not a user).

    The CPR number is encrypted at rest; ``cpr_hash`` (a keyed hash) finds a person by exact
    number without decrypting anything, and makes the same child one person across cases.
    """

    name = models.CharField(_("name"), max_length=150)
    cpr = EncryptedTextField(_("CPR number"), blank=True)
    cpr_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_cpr(self) -> str:
        from traad.cases.cpr import mask_cpr

        return mask_cpr(self.cpr)


class PersonRole(models.TextChoices):
    CHILD = "child", _("Child")
    ADULT = "adult", _("Adult")


class Relation(models.TextChoices):
    CHILD = "child", _("Child")
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    STEPPARENT = "stepparent", _("Step-parent")
    PARTNER = "partner", _("Parent's partner")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling (adult)")
    FOSTER_PARENT = "foster_parent", _("Foster parent")
    OTHER = "other", _("Other")


class CasePerson(models.Model):
    """A person's place in one case's household."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("child or adult"), max_length=10, choices=PersonRole.choices)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    school_or_daycare = models.CharField(_("school or daycare"), max_length=150, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-role", "person__name"]  # children first
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class NetworkPerson(models.Model):
    """Someone in the family's private network (relatives, friends, neighbours)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="network")
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation to the family"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    note = models.TextField(_("role in the intervention"), blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class ContactKind(models.TextChoices):
    SCHOOL = "school", _("School")
    DAYCARE = "daycare", _("Daycare")
    HEALTH_VISITOR = "health_visitor", _("Health visitor")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    GP = "gp", _("General practitioner")
    OTHER_MEASURE = "other_measure", _("Other measure")
    OTHER = "other", _("Other")


class ProfessionalContact(models.Model):
    """A cross-professional contact (tværprofessionelt samarbejde) in one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    organisation = models.CharField(_("organisation"), max_length=150)
    person_name = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    note = models.TextField(_("note"), blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "organisation"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.organisation}"
