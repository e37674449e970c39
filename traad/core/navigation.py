"""The navigation each role sees. One table, read by the layout and by the tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from traad.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise


START = NavItem("core:start", _("Start"))
REFERRALS = NavItem("cases:queue", _("Referrals"))
CASES = NavItem("cases:list", _("Cases"))
MY_CASES = NavItem("cases:list", _("My cases"))
AUDIT = NavItem("audit:search", _("Audit log"))
ADMIN = NavItem("admin:index", _("Users and teams"))
REPORT_DEADLINES = NavItem("reports:deadlines", _("Report deadlines"))
RECEIVED_REPORTS = NavItem("reports:received", _("Reports"))
LETTERHEAD = NavItem("reports:letterhead", _("Letterhead"))

NAVIGATION: dict[str, tuple[NavItem, ...]] = {
    Role.INTAKE: (START, REFERRALS, CASES),
    Role.COORDINATOR: (START, REFERRALS, CASES, REPORT_DEADLINES),
    Role.CONSULTANT: (START, MY_CASES),
    Role.LEADER: (START, CASES, REPORT_DEADLINES, AUDIT),
    Role.ADMIN: (START, ADMIN, LETTERHEAD, AUDIT),
    Role.CASEWORKER: (START, MY_CASES, RECEIVED_REPORTS),
}


def navigation_for(user: Any) -> tuple[NavItem, ...]:
    if not getattr(user, "is_authenticated", False):
        return ()
    return NAVIGATION.get(user.role, (START,))
