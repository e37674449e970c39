"""What the case overview shows from the safety app (concern, notifications, the SoS map)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from traad.cases.models import Case
from traad.safety import rules
from traad.safety.selectors.concern import concern_panel
from traad.safety.selectors.maps import map_panel


def case_panels(user: Any, case: Case) -> dict[str, Any]:
    if not rules.can_read_safety(user, case):
        return {"safety_readable": False}
    return {
        "safety_readable": True,
        "concern_panel": concern_panel(case, today=timezone.localdate()),
        "safety_panel": map_panel(case),
    }
