"""factory_boy factories for tests. Every name and address is invented by Faker (da_DK)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from traad.accounts.models import Role, User
from traad.cases.models import Case, CaseStatus
from traad.organisations.models import Municipality, Team

TEST_PASSWORD = "korrekt-hest-batteri-42"  # noqa: S105


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"bruger{n}@traad.example")
    full_name = factory.Faker("name", locale="da_DK")
    role = Role.CONSULTANT
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def with_mfa(self: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # type: ignore[misc]
        """Users have an authenticator app unless ``with_mfa=False`` is passed."""
        self.is_staff = self.role == Role.ADMIN
        if create:
            self.save()
        if create and extracted is not False:
            TOTP.activate(self, generate_totp_secret())


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    """An active case by default: received two days ago, started in the family the next day."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    municipality = factory.LazyFunction(lambda: municipality("101"))
    team = factory.SubFactory(TeamFactory)
    status = CaseStatus.ACTIVE
    received_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
    first_contact_at = factory.LazyAttribute(
        lambda case: (
            case.received_at + dt.timedelta(hours=20)
            if case.status in (CaseStatus.ACTIVE, CaseStatus.PAUSED, CaseStatus.ENDED)
            else None
        )
    )
    ended_on = factory.LazyAttribute(
        lambda case: timezone.localdate() if case.status == CaseStatus.ENDED else None
    )

    @factory.post_generation
    def consultants(self: Case, create: bool, extracted: Any, **kwargs: Any) -> None:  # type: ignore[misc]
        if create and extracted:
            self.consultants.set(extracted)
