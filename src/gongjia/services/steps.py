"""What the steps of the special services check and do (declared in workflows.py)."""

import datetime as dt

from django.utils.translation import gettext as _

from gongjia.honours import findings as bars
from gongjia.platform import formatting, parameters, workdays
from gongjia.platform.formatting import clauses
from gongjia.rights.steps import grade_for, weighted_total
from gongjia.services.models import (
    BeautifulWorker,
    ConductRecord,
    FactoryAssessment,
    HelmetPeriod,
    Hire,
    Placement,
    Stage,
)

# --- a placement --------------------------------------------------------------------------------


def stable_months(on: dt.date) -> list[int]:
    return list(parameters.value("services.employment.stable_months", on))


def hired(step) -> None:
    """Hired: the evidence is on the record (a database rule too); the first checkpoint runs
    from the start of work."""
    first = stable_months(step.on)[0]
    step.values["next_check_on"] = workdays.add_months(step.values["hired_on"], first)
    step.values["lost_on"] = None


def _checkpoint(step, n: int):
    p = step.obj
    months = stable_months(step.on)[n]
    due = workdays.add_months(p.hired_on, months)
    if step.on < due:
        return _("%(m)s months of work end on %(d)s: the check is taken from that day.") % {
            "m": months,
            "d": formatting.day(due),
        }
    return None


def three_months_over(step):
    return _checkpoint(step, 0)


def six_months_over(step):
    return _checkpoint(step, 1)


def stable_3(step) -> None:
    p = step.obj
    step.values.update(
        stable_3_on=step.on,
        next_check_on=workdays.add_months(p.hired_on, stable_months(step.on)[1]),
    )


def stable_6(step) -> None:
    step.values.update(stable_6_on=step.on, next_check_on=None)


def lost(step) -> None:
    step.values.update(
        lost_on=step.on, next_check_on=None, hired_on=None, evidence="", evidence_reference=""
    )


def closed(step) -> None:
    step.values["next_check_on"] = None


P = Placement.Status

# --- a beautiful factory -------------------------------------------------------------------------


def _stage_missing(a: FactoryAssessment, stage: str) -> int:
    scored = a.scores.filter(stage=stage).values("item")
    return a.checklist.items.exclude(pk__in=scored).count()


def stage_total(a: FactoryAssessment, stage: str):
    return weighted_total(a.scores.filter(stage=stage).select_related("item"))


def _scored(stage):
    def check(step):
        n = _stage_missing(step.obj, stage)
        if n:
            return _("%(n)d criteria are not scored at the stage “%(s)s” yet.") % {
                "n": n,
                "s": Stage(stage).label,
            }
        return None

    return check


town_scored = _scored(Stage.TOWN)
district_scored = _scored(Stage.DISTRICT)


def photos_missing(a: FactoryAssessment):
    if not a.photos:
        return _("The town's check needs its photos: attach them on the record.")
    return None


def factory_bars(a: FactoryAssessment, on: dt.date | None = None) -> list[dict]:
    """The bars of the year read from the records, as for worker-pioneer units (services.md §4
    refers to honours.md §4): a union, a collective contract, no wage arrears in the year, no
    accident or mass incident within three years."""
    return bars.pioneer_bars(a, on)


def barred(a: FactoryAssessment):
    found = bars.barred(factory_bars(a))
    return clauses(found) if found else None


def graded(step) -> None:
    """The district's spot-check scores decide the level; the bars as found are kept."""
    a = step.obj
    total = stage_total(a, Stage.DISTRICT)
    step.values.update(total=total, level=grade_for(total, a.checklist.grades))
    step.values["bars"] = factory_bars(a, step.on)


def reaches_a_level(step):
    a = step.obj
    total = stage_total(a, Stage.DISTRICT)
    if not grade_for(total, a.checklist.grades):
        return _("A total of %(t)s reaches no level: the factory is not named.") % {
            "t": formatting.number(total)
        }
    return None


def notice_dates(step) -> None:
    days = parameters.value("services.factories.notice_working_days", step.on)
    step.values.update(
        notice_from=step.on, notice_until=workdays.deadline(step.on, days, "working_days")
    )


def after_notice(step):
    a = step.obj
    if a.notice_until and step.on <= a.notice_until:
        return _("The public notice runs until %(d)s: the factory is named after it.") % {
            "d": formatting.day(a.notice_until)
        }
    return None


def named(step) -> None:
    years = parameters.value("services.factories.valid_years", step.on)
    step.values.update(
        named_on=step.on,
        expires_on=workdays.add_months(step.on, 12 * years) - dt.timedelta(days=1),
    )


def ended(step) -> None:
    step.values["ended_on"] = step.on


def not_expired_yet(step):
    a = step.obj
    if a.expires_on and step.on <= a.expires_on:
        return _("The naming is valid until %(d)s.") % {"d": formatting.day(a.expires_on)}
    return None


def hire_recorded(step) -> None:
    p = step.obj
    Hire.objects.create(
        placement=p,
        seeker_id=p.seeker_id,
        unit_id=p.unit_id,
        enterprise_id=p.enterprise_id,
        hired_on=p.hired_on,
        evidence=p.evidence,
        evidence_reference=p.evidence_reference,
    )


# --- rooms and stations ---------------------------------------------------------------------------


def closed_on(step) -> None:
    step.values["closed_on"] = step.on


# --- a helmet stock period ------------------------------------------------------------------------


def not_reconciled(period):
    """A mismatch between the ledger and the shelf blocks closing (services.md §3)."""
    from gongjia.services import selectors

    r = selectors.reconciliation(period)
    if period.counted is None:
        return _("Enter the closing stock counted on the shelf.")
    if r["closing"] != period.counted:
        return _(
            "The ledger gives %(o)s + %(r)s received − %(i)s issued − %(w)s written off = "
            "%(c)s, but %(n)s were counted: find the difference before closing."
        ) % {
            "o": formatting.number(r["opening"]),
            "r": formatting.number(r["received"]),
            "i": formatting.number(r["issued"]),
            "w": formatting.number(r["written_off"]),
            "c": formatting.number(r["closing"]),
            "n": formatting.number(period.counted),
        }
    return None


def period_closed(step) -> None:
    step.values["closing"] = step.obj.counted


def next_period_opens(step) -> None:
    """The next period of the union opens with this closing stock."""
    p = step.obj
    nxt = (
        HelmetPeriod.objects.filter(unit_id=p.unit_id, starts_on__gt=p.ends_on)
        .order_by("starts_on")
        .first()
    )
    if nxt is not None:
        HelmetPeriod.objects.filter(pk=nxt.pk).update(opening=p.closing)


# --- a beautiful worker ---------------------------------------------------------------------------


def worker_bars(w) -> list[str]:
    """A disciplinary sanction or a serious safety breach in force in the year bars the title."""
    end = dt.date(w.year, 12, 31)
    found = ConductRecord.objects.filter(member_id=w.member_id, on__lte=end).exclude(
        until__lt=dt.date(w.year, 1, 1)
    )
    return [
        _("%(k)s on %(d)s (%(s)s)")
        % {"k": c.get_kind_display(), "d": formatting.day(c.on), "s": c.source}
        for c in found
    ]


def worker_barred(w):
    found = worker_bars(w)
    return clauses(found) if found else None


def over_enterprise_quota(step):
    w = step.obj
    quota = parameters.value("services.workers.per_enterprise", dt.date(w.year, 12, 31))
    named = BeautifulWorker.objects.filter(
        enterprise_id=w.enterprise_id, year=w.year, status=BeautifulWorker.Status.NAMED
    ).count()
    if named >= quota:
        return _("%(e)s already has %(n)s beautiful workers named in %(y)s, its quota.") % {
            "e": w.enterprise,
            "n": named,
            "y": w.year,
        }
    return None


def worker_named(step) -> None:
    step.values["named_on"] = step.on
