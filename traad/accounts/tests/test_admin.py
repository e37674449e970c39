"""The administrator manages users and teams; every change lands in the audit log."""

from __future__ import annotations

import pytest

from traad.accounts.models import Role, User
from traad.audit.models import AuditEvent
from traad.organisations.models import Team

pytestmark = pytest.mark.django_db


def test_admin_creates_a_caseworker_and_it_is_audited(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "ny.sagsbehandler@kommune.example",
            "full_name": "Ny Sagsbehandler",
            "role": Role.CASEWORKER,
            "municipality": world.case.municipality.pk,
            "usable_password": "false",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="ny.sagsbehandler@kommune.example")
    assert (user.role, user.municipality, user.is_staff) == (
        Role.CASEWORKER,
        world.case.municipality,
        False,
    )
    event = AuditEvent.objects.get(action="user.created", object_id=str(user.pk))
    assert event.actor == world.admin
    assert event.changes["role"] == [None, "caseworker"]


def test_admin_changes_a_role_and_old_and_new_values_are_logged(world, client_for):
    client = client_for(world.admin)
    user = world.consultant
    response = client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "email": user.email,
            "full_name": user.full_name,
            "phone": "",
            "role": Role.COORDINATOR,
            "team": world.team.pk,
            "municipality": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.role == Role.COORDINATOR
    event = AuditEvent.objects.get(action="user.changed", object_id=str(user.pk))
    assert event.changes == {"role": ["consultant", "coordinator"]}


def test_admin_cannot_make_an_invalid_caseworker(world, client_for):
    response = client_for(world.admin).post(
        "/admin/accounts/user/add/",
        {
            "email": "forkert@kommune.example",
            "full_name": "Uden Kommune",
            "role": Role.CASEWORKER,
            "usable_password": "false",
        },
    )
    assert response.status_code == 200
    assert "En sagsbehandler hører til en kommune" in response.content.decode()
    assert not User.objects.filter(email="forkert@kommune.example").exists()


def test_admin_renames_a_team(world, client_for):
    response = client_for(world.admin).post(
        f"/admin/organisations/team/{world.team.pk}/change/",
        {"name": "Familiebehandling Nord", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Team.objects.get(pk=world.team.pk).name == "Familiebehandling Nord"
    event = AuditEvent.objects.get(action="team.changed")
    assert event.changes == {"name": ["Familiebehandling Øst", "Familiebehandling Nord"]}


def test_nothing_can_be_deleted(world, client_for):
    client = client_for(world.admin)
    response = client.post(f"/admin/accounts/user/{world.consultant.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=world.consultant.pk).exists()
