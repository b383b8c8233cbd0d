"""The rules of a collective negotiation that are arithmetic: who may sit at the table, and when
the workers' congress approves a draft (rights.md §6). Exact integers, no floating point."""

import datetime as dt

from django.utils.translation import gettext as _

from gongjia.platform import parameters


def congress_passes(total: int, present: int, in_favour: int) -> bool:
    """CCP art. 36, LCL art. 51: at least two thirds of all representatives present AND more
    than half of ALL of them in favour: 3 × present ≥ 2 × total and 2 × in_favour > total.
    (`in_favour`, not `yes`: YAML reads a bare `yes:` key as true.)"""
    if total <= 0 or not 0 <= in_favour <= present <= total:
        return False
    return 3 * present >= 2 * total and 2 * in_favour > total


def seat_problems(seats, on: dt.date) -> list[str]:
    """What is wrong with the representatives in office (CCP arts. 19-24), as messages.

    `seats`: objects with side, name, chief, outsider, id_number_bidx.
    """
    minimum = parameters.value("rights.representatives_min_per_side", on=on)
    by_side = {"workers": [], "employer": []}
    for s in seats:
        by_side[s.side].append(s)
    problems = []
    names = {"workers": _("workers' side"), "employer": _("employer's side")}
    for side, members in by_side.items():
        label = names[side]
        if len(members) < minimum:
            problems.append(
                _("The %(s)s has %(n)d representatives: at least %(m)d are needed.")
                % {"s": label, "n": len(members), "m": minimum}
            )
        chiefs = [m for m in members if m.chief]
        if len(chiefs) != 1:
            problems.append(_("The %(s)s needs exactly one chief representative.") % {"s": label})
        if any(m.outsider for m in chiefs):
            problems.append(_("The chief of the %(s)s cannot be an outside expert.") % {"s": label})
        outsiders = sum(1 for m in members if m.outsider)
        if 3 * outsiders > len(members):
            problems.append(
                _("Outside experts are at most a third of the %(s)s (%(o)d of %(n)d).")
                % {"s": label, "o": outsiders, "n": len(members)}
            )
    if len(by_side["workers"]) != len(by_side["employer"]):
        problems.append(
            _("The two sides must be equal: %(w)d against %(e)d.")
            % {"w": len(by_side["workers"]), "e": len(by_side["employer"])}
        )
    workers = {m.id_number_bidx for m in by_side["workers"] if m.id_number_bidx}
    both = [m.name for m in by_side["employer"] if m.id_number_bidx in workers]
    if both:
        problems.append(_("Nobody may sit on both sides: %(n)s.") % {"n": "、".join(both)})
    return problems
