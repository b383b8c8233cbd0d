"""The one formatter for what people read: numbers, money, shares, dates and breakdowns.

Every page, export and report shows figures through these functions (templates through the
`gongjia` filters), so 25380 reads "25,380", 0.1514 reads "15.1%", 352800.0 yuan reads
"352,800.00" and a missing figure reads "—" everywhere.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

DASH = "—"
COUNT, MONEY, SHARE = "count", "money", "share"


def number(value, decimals: int | None = None) -> str:
    """25380 → "25,380"; 22.5 → "22.5"; a whole float loses its ".0"."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    if isinstance(value, float | Decimal) and value != int(value):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def money(yuan) -> str:
    """An amount in yuan → "352,800.00" (fen are converted by platform.money first)."""
    if yuan is None:
        return DASH
    return f"{Decimal(str(yuan)):,.2f}"


def share(value, decimals: int = 1) -> str:
    """A share between 0 and 1 → "15.1%"."""
    if value is None:
        return DASH
    return f"{value * 100:.{decimals}f}%"


def day(value) -> str:
    """A date (or a moment, in local time) the one way: "2020-01-05", "2020-01-05 13:25"."""
    if value is None or value == "":
        return DASH
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def figure(value, fmt: str = COUNT) -> str:
    """A figure by its kind (COUNT, MONEY, SHARE); a breakdown shows its total."""
    if isinstance(value, dict):
        return number(sum(value.values()))
    if fmt == MONEY:
        return money(value)
    if fmt == SHARE:
        return share(value)
    return number(value)


def parts(breakdown: dict | None, labels: dict) -> list[tuple[str, str]]:
    """A breakdown by code → [(label, "58"), ...] in the order of `labels`, then the rest."""
    if not breakdown:
        return []
    order = [k for k in labels if k in breakdown] + [k for k in breakdown if k not in labels]
    return [(str(labels.get(k, _("other"))), number(breakdown[k])) for k in order]


def tally(counts: dict | None) -> str:
    """Votes by option, most first: "2800 元 11 票 · 2700 元 3 票"."""
    if not counts:
        return DASH
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    return " · ".join(
        _("%(option)s %(n)s votes") % {"option": k, "n": number(n)} for k, n in ranked
    )


def clauses(messages) -> str:
    """Several messages about one thing as one sentence: "甲；乙。" rather than "甲。；乙。"."""
    chinese = (translation.get_language() or "").startswith("zh")
    stops = "。." if chinese else "."
    parts = [str(m).strip().rstrip(stops) for m in messages if str(m).strip()]
    if not parts:
        return ""
    return ("；" if chinese else "; ").join(parts) + ("。" if chinese else ".")
