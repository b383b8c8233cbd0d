"""Entering a year of the official calendar: by hand in the back office, or from a spreadsheet
(日期, 类型, 名称) when the State Council publishes its notice. Nothing of a file with an error
is written; the errors name the row and the column."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongjia.platform import audit, scope, tabular, workdays
from gongjia.platform.models import AuditEvent, OfficialDay, OfficialYear

KINDS = {"放假": OfficialDay.Kind.HOLIDAY, "调休上班": OfficialDay.Kind.WORKDAY}


def columns() -> list[tabular.Column]:
    return [
        tabular.Column("日期", "day", True, "如 2027-02-06", width=14),
        tabular.Column(
            "类型", "kind", True, "放假 或 调休上班", choices=list(KINDS), mapping=KINDS
        ),
        tabular.Column("名称", "name", False, "如 春节", width=14),
    ]


def read_days(path, year: int) -> list[tuple[dt.date, str, str]]:
    """The file's days, checked; raises ValidationError listing every bad row."""
    table = tabular.read_table(path, columns())
    days, errors, seen = [], [], set()
    for number, (day, kind, name) in table.rows:
        try:
            d = tabular.date(day)
        except ValueError as e:
            errors.append(_("Row %(n)d, 日期: %(e)s") % {"n": number, "e": e})
            continue
        if d.year != year:
            errors.append(
                _("Row %(n)d, 日期: %(d)s is not in %(y)d.") % {"n": number, "d": d, "y": year}
            )
            continue
        k = KINDS.get(tabular.compact(kind))
        if k is None:
            errors.append(_("Row %(n)d, 类型: write 放假 or 调休上班.") % {"n": number})
            continue
        if d in seen:
            errors.append(_("Row %(n)d, 日期: %(d)s appears twice.") % {"n": number, "d": d})
            continue
        seen.add(d)
        days.append((d, k, tabular.text(name)[:60]))
    if errors:
        raise ValidationError(errors)
    return days


@transaction.atomic
def enter_year(year: int, notice: str, days, *, acting_user) -> OfficialYear:
    """Enter (or complete) a year's official arrangement; days already entered are updated."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    if not (notice or "").strip():
        raise ValidationError({"notice": _("Name the State Council notice the days come from.")})
    entry, _created = OfficialYear.objects.update_or_create(
        year=year,
        defaults={"notice": notice.strip()[:200], "entered_by": scope.person(acting_user)},
    )
    for day, kind, name in days:
        OfficialDay.objects.update_or_create(
            day=day, defaults={"year": entry, "kind": kind, "name": name}
        )
    audit.record(
        AuditEvent.Kind.SYSTEM,
        "calendar_year_entered",
        actor=acting_user,
        obj=entry,
        data={"year": year, "days": len(days), "notice": notice},
    )
    transaction.on_commit(workdays.forget)
    return entry
