"""The request-scoped facts an audit row needs but a service function is not handed (the IP)."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("traad_audit_ip", default=None)
