"""Fixed personas shared by every test (house style): who they are decides what they may see."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from traad.accounts.models import Role, User
from traad.cases.models import Case
from traad.factories import CaseFactory, TeamFactory, UserFactory, municipality
from traad.organisations.models import Team


@dataclass
class World:
    team: Team
    other_team: Team
    intake: User
    coordinator: User
    consultant: User
    leader: User
    admin: User
    caseworker: User
    other_caseworker: User
    outsider_consultant: User
    other_leader: User
    case: Case

    def personas(self) -> dict[str, User]:
        return {
            "intake": self.intake,
            "coordinator": self.coordinator,
            "consultant": self.consultant,
            "leader": self.leader,
            "admin": self.admin,
            "caseworker": self.caseworker,
            "other_caseworker": self.other_caseworker,
            "outsider_consultant": self.outsider_consultant,
            "other_leader": self.other_leader,
        }


@pytest.fixture
def world(db: None) -> World:
    team = TeamFactory(name="Familiebehandling Øst")
    other_team = TeamFactory(name="Familiebehandling Vest")
    kbh, aarhus = municipality("101"), municipality("751")
    coordinator = UserFactory(email="koordinator@traad.example", role=Role.COORDINATOR, team=team)
    consultant = UserFactory(email="konsulent@traad.example", role=Role.CONSULTANT, team=team)
    caseworker = UserFactory(
        email="sagsbehandler@traad.example", role=Role.CASEWORKER, team=None, municipality=kbh
    )
    case = CaseFactory(
        team=team,
        municipality=kbh,
        coordinator=coordinator,
        caseworker=caseworker,
        consultants=[consultant],
    )
    return World(
        team=team,
        other_team=other_team,
        intake=UserFactory(email="modtagelse@traad.example", role=Role.INTAKE, team=team),
        coordinator=coordinator,
        consultant=consultant,
        leader=UserFactory(email="leder@traad.example", role=Role.LEADER, team=team),
        admin=UserFactory(email="admin@traad.example", role=Role.ADMIN, team=None),
        caseworker=caseworker,
        other_caseworker=UserFactory(
            email="sagsbehandler2@traad.example",
            role=Role.CASEWORKER,
            team=None,
            municipality=aarhus,
        ),
        outsider_consultant=UserFactory(
            email="udefra@traad.example", role=Role.CONSULTANT, team=other_team
        ),
        other_leader=UserFactory(email="leder2@traad.example", role=Role.LEADER, team=other_team),
        case=case,
    )


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """Return a client signed in as the given user (session only, as after a real sign-in)."""

    def sign_in(user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return sign_in


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is the production hasher (tested in accounts/tests/test_login.py); tests hash fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache(request):  # type: ignore[no-untyped-def]
    # Throttling counters live in the (database) cache; each database test starts with none.
    uses_db = request.node.get_closest_marker("django_db") or "db" in request.fixturenames
    if not uses_db:
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
