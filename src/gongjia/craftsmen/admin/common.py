"""What the craftsman title's back-office pages share."""

from gongjia.platform import formatting, money


def in_yuan(fen):
    return formatting.money(money.yuan_figure(fen)) if fen is not None else "—"
