"""Sign-in events go to the audit log. allauth owns these flows, so its signals are the seam."""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from traad.accounts.middleware import MFA_OK_KEY
from traad.audit.services import record_event


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record_event(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:200]
    record_event(actor=None, action="auth.login_failed", changes={"email": attempted})


@receiver(authenticator_added)
def audit_mfa_added(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any) -> None:
    record_event(
        actor=user, action="auth.mfa_added", obj=user, changes={"type": authenticator.type}
    )


@receiver(authenticator_removed)
def audit_mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_OK_KEY, None)
    record_event(
        actor=user, action="auth.mfa_removed", obj=user, changes={"type": authenticator.type}
    )
