"""The provider's letterhead on every report: the one write, by an administrator.

Kept beside ``services.py`` rather than in it; it follows the same rules: one keyword-only
function, checked by a rules predicate, atomic, saved with ``update_fields``, and audited in
the same transaction (the fields that changed, never the logo's bytes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traad.accounts.models import User
from traad.audit.services import record_event
from traad.reports import rules
from traad.reports.models import Letterhead

TEXT_FIELDS = ("name", "address", "phone", "email", "cvr", "footer")
LOGO_MAX_BYTES = 1024 * 1024
# Recognised by their first bytes, so the declared content type of an upload is never trusted.
LOGO_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
CVR_PATTERN = re.compile(r"\d{8}")


def logo_type_of(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` by the file's magic bytes; None for anything else."""
    for signature, content_type in LOGO_SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def check_logo(data: bytes) -> str:
    """The logo's content type, or ValidationError (Danish once translated) when it is not a
    PNG or JPEG of at most 1 MB."""
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 1 MB."), code="too_large")
    content_type = logo_type_of(data)
    if content_type is None:
        raise ValidationError(_("The logo must be a PNG or JPEG image."), code="not_image")
    return content_type


def check_cvr(value: str) -> str:
    value = value.replace(" ", "")
    if value and not CVR_PATTERN.fullmatch(value):
        raise ValidationError(_("A CVR number is 8 digits."), code="cvr")
    return value


@transaction.atomic
def update_letterhead(
    *,
    by: User,
    fields: Mapping[str, Any],
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Letterhead:
    """Change the letterhead (creating its one row the first time). ``fields`` may name any
    of ``TEXT_FIELDS``; ``logo`` replaces the logo, ``remove_logo`` removes it. Reports
    already sent keep the letterhead they were sent with: their PDF is stored."""
    if not rules.can_manage_letterhead(by):
        raise PermissionDenied
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Not letterhead fields: {sorted(unknown)}")
    letterhead = Letterhead.objects.select_for_update().order_by("pk").first() or Letterhead()
    errors: dict[str, list[str]] = {}
    new = {name: str(value).strip() for name, value in fields.items()}
    if "cvr" in new:
        try:
            new["cvr"] = check_cvr(new["cvr"])
        except ValidationError as exc:
            errors["cvr"] = exc.messages
    if "name" in new and not new["name"]:
        errors["name"] = [_("Write the provider's name.")]
    logo_type = ""
    if logo is not None:
        try:
            logo_type = check_logo(logo)
        except ValidationError as exc:
            errors["logo"] = exc.messages
    if errors:
        raise ValidationError(errors)

    changes: dict[str, Any] = {}
    for name, value in new.items():
        old = getattr(letterhead, name)
        if old != value:
            changes[name] = [old, value]
            setattr(letterhead, name, value)
    had_logo = bool(letterhead.logo)
    if logo is not None:
        letterhead.logo, letterhead.logo_type = logo, logo_type
        changes["logo"] = "replaced" if had_logo else "added"
    elif remove_logo and had_logo:
        letterhead.logo, letterhead.logo_type = b"", ""
        changes["logo"] = "removed"
    if not changes:
        return letterhead
    letterhead.updated_at = timezone.now()
    letterhead.updated_by = by
    if letterhead.pk is None:
        letterhead.save()
    else:
        update_fields = [name for name in changes if name != "logo"]
        if "logo" in changes:
            update_fields += ["logo", "logo_type"]
        letterhead.save(update_fields=[*update_fields, "updated_at", "updated_by"])
    record_event(actor=by, action="letterhead.updated", obj=letterhead, changes=changes)
    return letterhead
