from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from traad.accounts.selectors import has_second_factor
from traad.core.crypto import decrypt_text, encrypt_text


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by an administrator, or by invitation (caseworkers).
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # Someone who just signed in and is made to enrol their first second factor is not
        # asked for the password again; changing an existing factor still requires it.
        user = getattr(getattr(self, "request", None), "user", None)
        if (
            app == "allauth.mfa"
            and user is not None
            and user.is_authenticated
            and not has_second_factor(user)
        ):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        # TOTP secrets are encrypted at rest with TRAAD_FIELD_KEY like other sensitive fields.
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if not settings.TRAAD_REQUIRE_MFA:
            return True
        # While MFA is required, the last TOTP or passkey cannot be removed.
        others: Any = Authenticator.objects.filter(
            user_id=authenticator.user_id,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        ).exclude(pk=authenticator.pk)
        return bool(others.exists())
