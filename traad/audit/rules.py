from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def can_search_audit_log(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in ("leader", "admin"))


rules.add_perm("audit.search", can_search_audit_log)
