"""Encryption at rest with TRAAD_FIELD_KEY: symmetric encryption and keyed hashes.

Keys for separate purposes are derived from the one configured secret, so rotating the
setting rotates them all, and a hash key never doubles as an encryption key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


def _derive(purpose: str) -> bytes:
    return hashlib.sha256(f"traad:{purpose}:{settings.TRAAD_FIELD_KEY}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(field_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive("encrypt")))


def encrypt_text(text: str) -> str:
    return _fernet(settings.TRAAD_FIELD_KEY).encrypt(text.encode()).decode()


def decrypt_text(token: str) -> str:
    return _fernet(settings.TRAAD_FIELD_KEY).decrypt(token.encode()).decode()


def keyed_hash(text: str, *, purpose: str) -> str:
    """A stable HMAC for finding a value by equality without storing it in clear."""
    return hmac.new(_derive(f"hash:{purpose}"), text.encode(), hashlib.sha256).hexdigest()
