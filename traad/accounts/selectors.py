from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator


def has_second_factor(user: Any) -> bool:
    """True when the user can prove a second factor (an authenticator app or a passkey)."""
    return bool(
        Authenticator.objects.filter(
            user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    )
