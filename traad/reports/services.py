"""Writes of a case's report settings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traad.accounts.models import User
from traad.audit.services import record_event
from traad.cases import rules as case_rules
from traad.cases.models import Case


@transaction.atomic
def set_report_interval(case: Case, *, by: User, months: int) -> Case:
    """The municipality's rhythm for status reports after the first one (§ 95)."""
    if not case_rules.can_manage_case(by, case):
        raise PermissionDenied
    if not 1 <= months <= 24:
        raise ValidationError({"months": _("Choose between 1 and 24 months.")})
    old = case.report_interval_months
    case.report_interval_months = months
    case.save(update_fields=["report_interval_months"])
    record_event(
        actor=by,
        action="case.report_interval_changed",
        obj=case,
        case_id=case.pk,
        changes={"report_interval_months": [old, months]},
    )
    return case
