"""CPR numbers (personnummer): validation, normalisation, masking and the lookup hash.

A CPR number is ten digits, DDMMYY-SSSS. The seventh digit and the year give the century:
  7th digit 0–3: 1900s; 4 or 9: 2000s when YY ≤ 36, else 1900s;
  5–8: 2000s when YY ≤ 57, else 1800s.
Since 2007 not every number satisfies the old modulus-11 check, so it is not applied.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from traad.core.crypto import keyed_hash

_SEPARATORS = re.compile(r"[\s-]")


def century(seventh: int, yy: int) -> int:
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def normalise_cpr(raw: str) -> str:
    """Ten digits, or a ValidationError with a Danish message saying what is wrong."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError(
            _("A CPR number has ten digits, e.g. 010190-1234."), code="cpr_length"
        )
    if birth_date(digits) is None:
        raise ValidationError(
            _("The first six digits of a CPR number must be a real date (ddmmyy)."),
            code="cpr_date",
        )
    return digits


def birth_date(digits: str) -> dt.date | None:
    day, month, yy, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), int(digits[6])
    try:
        return dt.date(century(seventh, yy) + yy, month, day)
    except ValueError:
        return None


def mask_cpr(digits: str) -> str:
    """``ddmmyy-xxxx``: the date part only."""
    return f"{digits[:6]}-xxxx" if digits else ""


def format_cpr(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}" if digits else ""


def cpr_hash(digits: str) -> str:
    return keyed_hash(digits, purpose="cpr")
