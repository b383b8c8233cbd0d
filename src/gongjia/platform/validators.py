"""Validators for Chinese identifiers, with messages that say what is wrong.

Rules: shared domain file identifiers-and-security.md §1 (GB 11643-1999) and §2 (GB 32100-2015).
Each validator normalises first and returns the normalised value, or raises ValidationError.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# --- normalisation ------------------------------------------------------------------------------


def normalise_text(value) -> str:
    """Full-width to half-width (NFKC), all whitespace removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", text)


# --- resident ID number (GB 11643-1999) ---------------------------------------------------------

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


# For each position, the weighted value of each digit: a table lookup per character.
_ID_TABLE = [{str(d): d * w for d in range(10)} for w in ID_WEIGHTS]


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 17 digits (an 18th is ignored)."""
    total = 0
    for table, c in zip(_ID_TABLE, first17, strict=False):
        total += table[c]
    return ID_CHECK[total % 11]


@dataclass
class IdNumber:
    value: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    upgraded: bool = False
    warnings: list[str] = field(default_factory=list)


def parse_id_number(raw, *, today: dt.date | None = None) -> IdNumber:
    """Validate a resident ID number and return its parts.

    Accepts spaces, full-width digits, a lowercase x and 15-digit legacy numbers (upgraded by
    inserting 19 before the year and computing the check character).
    """
    value, birth, sex, upgraded = id_parts(raw, today or dt.date.today())
    return IdNumber(value=value, birth_date=birth, sex=sex, upgraded=upgraded)


def id_parts(raw, today: dt.date) -> tuple[str, dt.date, str, bool]:
    """`parse_id_number` as a plain tuple (value, birth date, sex, upgraded), for bulk use."""
    if raw.__class__ is str and len(raw) == 18 and raw.isascii() and raw[:17].isdigit():
        value = raw.upper()  # the common case: skip the normalisation
    else:
        value = normalise_text(raw).upper()
        if not value:
            raise ValidationError(_("The ID number is empty."), code="id_empty")
    upgraded = False
    if len(value) == 15:
        if not value.isdigit():
            raise ValidationError(
                _("A 15-digit ID number may contain digits only."), code="id_shape"
            )
        body = value[:6] + "19" + value[6:]
        value = body + id_check_char(body)
        upgraded = True
    if len(value) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(n)d."),
            code="id_length",
            params={"n": len(value)},
        )
    last = value[17]
    if not (value.isascii() and value[:17].isdigit() and (last == "X" or last.isdigit())):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."), code="id_shape"
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("Characters 7 to 14 of the ID number (%(s)s) are not a real date."),
            code="id_birth",
            params={"s": value[6:14]},
        ) from None
    if birth > today or birth.year < 1900:
        raise ValidationError(
            _("The birth date %(d)s in the ID number is out of range."),
            code="id_birth",
            params={"d": birth.isoformat()},
        )
    if last != id_check_char(value):
        raise ValidationError(
            _("The check character of the ID number is wrong: please check every digit."),
            code="id_checksum",
        )
    return value, birth, ("M" if value[16] in "13579" else "F"), upgraded


def validate_id_number(raw) -> str:
    return parse_id_number(raw).value


# --- unified social credit code (GB 32100-2015) -------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character of the organisation code held in positions 9-17."""

    def val(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    c = 11 - sum(val(ch) * w for ch, w in zip(first8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


@dataclass
class CreditCode:
    value: str
    warnings: list[str] = field(default_factory=list)


def parse_credit_code(raw, *, union: bool = False) -> CreditCode:
    value = normalise_text(raw).replace("-", "").upper()
    if not value:
        raise ValidationError(_("The unified social credit code is empty."), code="uscc_empty")
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="uscc_length",
            params={"n": len(value)},
        )
    bad = sorted({c for c in value if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("The credit code contains characters that never occur in it: %(c)s."),
            code="uscc_chars",
            params={"c": " ".join(bad)},
        )
    if value[17] != uscc_check_char(value[:17]):
        raise ValidationError(
            _("The check character of the credit code is wrong: please check every character."),
            code="uscc_checksum",
        )
    result = CreditCode(value=value)
    org = value[8:17]
    if org[:8].isalnum() and org[8] != org_code_check_char(org[:8]):
        result.warnings.append(
            str(_("The organisation code inside the credit code fails its check."))
        )
    if union and not value.startswith("81"):
        result.warnings.append(str(_("A grassroots union's credit code usually begins with 81.")))
    return result


def validate_credit_code(raw) -> str:
    return parse_credit_code(raw).value


# --- mainland mobile numbers --------------------------------------------------------------------

MOBILE_RE = re.compile(r"1[3-9]\d{9}")


def validate_mobile(raw) -> str:
    value = normalise_text(raw).replace("-", "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if not MOBILE_RE.fullmatch(value):
        raise ValidationError(
            _("A mainland mobile number has 11 digits and begins with 13 to 19."),
            code="mobile",
        )
    return value
