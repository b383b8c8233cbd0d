"""Money is kept in fen (exact integers) and shown or typed in yuan: the only conversions.

Every sum is computed in fen, so the only rounding is at display."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongjia.platform.validators import normalise_text


def yuan(fen: int, *, grouped: bool = False) -> str:
    """1234550 → "12345.50" (grouped: "12,345.50")."""
    return f"{Decimal(fen) / 100:{',' if grouped else ''}.2f}"


def yuan_figure(fen: int | None) -> float:
    """An amount as a figure in yuan (for indicators): 1234550 → 12345.5."""
    return round((fen or 0) / 100, 2)


def fen(yuan_text: str) -> int:
    """An amount typed in yuan (up to two decimals, full-width digits and commas accepted) as
    exact fen."""
    text = normalise_text(yuan_text).replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Give amounts in yuan, for example 1234.50.")) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Give amounts in yuan, for example 1234.50."))
    return int(amount * 100)
