"""Sign-in events go to the audit log. allauth owns these flows, so its signals are the seam."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
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


@receiver(password_reset)
def verify_email_on_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """The link to choose a password (a reset, or a caseworker's invitation) came by mail to
    this address, so choosing a password from it proves the address. allauth refuses to add a
    second factor while an address is unverified, and every account must add one."""
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    record_event(actor=user, action="auth.password_set_from_mail", obj=user)
