"""Model fields for data encrypted at rest with TRAAD_FIELD_KEY."""

from __future__ import annotations

from typing import Any

from django.db import models

from traad.core.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored as a Fernet token; Python code sees the plain value.

    Encrypted values cannot be searched or sorted in the database: pair the field with a keyed
    hash (``traad.core.crypto.keyed_hash``) where lookups by exact value are needed.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))
