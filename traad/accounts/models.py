from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traad.organisations.models import Municipality, Team


class Role(models.TextChoices):
    INTAKE = "intake", _("Intake")
    COORDINATOR = "coordinator", _("Coordinator")
    CONSULTANT = "consultant", _("Family consultant")
    LEADER = "leader", _("Team leader")
    ADMIN = "admin", _("Administrator")
    CASEWORKER = "caseworker", _("Municipal caseworker")


STAFF_ROLES = frozenset({Role.INTAKE, Role.COORDINATOR, Role.CONSULTANT, Role.LEADER, Role.ADMIN})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in to Tråd: the provider's staff or a municipal caseworker."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseworkers",
        help_text=_("Only for municipal caseworkers."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("administration access"),
        default=False,
        help_text=_("May use the administration pages (users, teams, municipalities)."),
    )
    date_joined = models.DateTimeField(_("created"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="caseworker", municipality__isnull=False, team__isnull=True)
                    | (~models.Q(role="caseworker") & models.Q(municipality__isnull=True))
                ),
                name="user_caseworker_has_municipality",
                violation_error_message=_(
                    "A caseworker belongs to a municipality and no team; "
                    "the provider's staff belong to no municipality."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_caseworker(self) -> bool:
        return self.role == Role.CASEWORKER

    @property
    def is_provider_staff(self) -> bool:
        return self.role in STAFF_ROLES


class ConsultantProfile(models.Model):
    """What intake matches a referral against: competence first, then language and the rest."""

    user = models.OneToOneField(
        User, verbose_name=_("consultant"), on_delete=models.CASCADE, related_name="profile"
    )
    competences = models.ManyToManyField(
        "organisations.Competence", verbose_name=_("competences"), blank=True
    )
    languages = models.ManyToManyField(
        "organisations.Language", verbose_name=_("languages"), blank=True
    )
    cultural_background = models.CharField(_("cultural background"), max_length=120, blank=True)
    capacity_hours = models.DecimalField(
        _("capacity (hours per week)"), max_digits=5, decimal_places=1, default=37
    )
    available_evenings = models.BooleanField(_("available evenings"), default=False)
    available_weekends = models.BooleanField(_("available weekends"), default=False)
    postcodes = models.CharField(
        _("area (postcodes)"),
        max_length=400,
        blank=True,
        help_text=_("Postcodes and ranges separated by commas, e.g. 2200, 2400-2450."),
    )

    class Meta:
        verbose_name = _("consultant profile")
        verbose_name_plural = _("consultant profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity_hours__gte=0), name="profile_capacity_not_negative"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    def covers_postcode(self, postcode: str) -> bool:
        if not postcode.isdigit():
            return False
        number = int(postcode)
        for part in self.postcodes.replace(" ", "").split(","):
            if not part:
                continue
            low, _sep, high = part.partition("-")
            if low.isdigit() and int(low) <= number <= int(high if high.isdigit() else low):
                return True
        return False
