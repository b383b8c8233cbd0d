"""What the steps of a selection, a pioneer unit, a studio, a named method and a batch of places
check and do (declared in workflows.py)."""

from django.db.models import Count
from django.utils.translation import gettext as _

from gongjia.honours import findings
from gongjia.honours.models import (
    Batch,
    CareApplication,
    CareBatch,
    Clearance,
    Honour,
    Nomination,
    Objection,
    PioneerUnit,
    Studio,
    StudioGrant,
)
from gongjia.honours.models.exemplars import SEVEN_HAVES
from gongjia.platform import formatting, money, parameters, workdays
from gongjia.platform.formatting import clauses

N = Nomination.Status
A = CareApplication.Status


# --- a selection batch -------------------------------------------------------------------------


def not_ready(b: Batch):
    """Submission re-runs the quota check and blocks on any shortfall (honours.md §2)."""
    live = b.nominations.filter(status=N.NOMINATED)
    if not live.exists():
        return _("The batch has no nominee.")
    problems = findings.quota_problems(findings.quota_check(b))
    if problems:
        return clauses(problems)
    return None


def submitted_on(step):
    step.values["submitted_on"] = step.on


def clearance_outstanding(b: Batch):
    """Every department has answered on every nominee still in the batch."""
    if not b.departments:
        return None
    live = list(b.nominations.filter(status=N.NOMINATED).values_list("pk", flat=True))
    answered = dict(
        Clearance.objects.filter(nomination__in=live, department__in=b.departments)
        .values_list("nomination")
        .annotate(n=Count("pk"))
    )
    short = sum(1 for pk in live if answered.get(pk, 0) < len(b.departments))
    if short:
        return _("%(n)s nominees await a department's response.") % {"n": short}
    return None


def notice_dates(step):
    until = workdays.deadline(step.on, step.obj.notice_working_days, "working_days")
    step.values.update(notice_from=step.on, notice_until=until)


def objections_open(b: Batch):
    n = Objection.objects.filter(nomination__batch=b, status=Objection.Status.OPEN).count()
    if n:
        return _("%(n)s objections are still being looked into.") % {"n": n}
    return None


def after_notice(step):
    b = step.obj
    if b.notice_until and step.on <= b.notice_until:
        return _("The public notice runs until %(d)s: the batch is approved after it.") % {
            "d": formatting.day(b.notice_until)
        }
    return None


def approved_on(step):
    step.values["approved_on"] = step.on


def confer(step):
    """Every nominee still in the batch enters the register, for life."""
    b = step.obj
    p = b.programme
    live = list(b.nominations.filter(status=N.NOMINATED))
    Honour.objects.bulk_create(
        [
            Honour(
                member_id=n.member_id,
                unit_id=n.unit_id,
                programme=p,
                nomination=n,
                title=p.name,
                kind=p.kind,
                level=p.level,
                conferred_by=str(b.organiser),
                conferred_on=step.on,
            )
            for n in live
        ]
    )
    Nomination.objects.filter(pk__in=[n.pk for n in live]).update(status=N.CONFERRED)


# --- a nomination ------------------------------------------------------------------------------


def batch_assembling(n: Nomination):
    if n.batch.status not in (Batch.Status.ASSEMBLING, Batch.Status.CLEARANCE):
        return _("The batch is “%(s)s”: nominations are withdrawn before the notice.") % {
            "s": n.batch.get_status_display()
        }
    return None


def no_veto(n: Nomination):
    if not n.clearances.filter(result=Clearance.Result.VETOED).exists():
        return _("No department has vetoed this nominee.")
    return None


def no_upheld_objection(n: Nomination):
    if not n.objections.filter(status=Objection.Status.UPHELD).exists():
        return _("No objection against this nominee has been upheld.")
    return None


def ended(step):
    step.values["ended_reason"] = step.note[:300]


# --- a pioneer unit ----------------------------------------------------------------------------


def pioneer_barred(p: PioneerUnit):
    found = findings.barred(findings.pioneer_bars(p))
    if found:
        return clauses(found)
    return None


def pioneer_decided(step):
    step.values["bars"] = findings.facts(findings.pioneer_bars(step.obj), "barred")
    if step.transition.name == "name":
        step.values["named_on"] = step.on


# --- a studio ----------------------------------------------------------------------------------


def studio_incomplete(s: Studio):
    missing = [str(label) for key, label in SEVEN_HAVES if key not in (s.haves or [])]
    rules = parameters.value("honours.studio")
    team = s.team.filter(left_on__isnull=True).count()
    problems = []
    if missing:
        problems.append(_("the seven haves lack %(m)s") % {"m": "、".join(missing)})
    if team < rules["min_team"]:
        problems.append(
            _("the team has %(n)s people, %(m)s are needed") % {"n": team, "m": rules["min_team"]}
        )
    return clauses(problems) if problems else None


def studio_named(step):
    rules = parameters.value("honours.studio", step.on)
    step.values.update(
        named_on=step.on,
        confirmed_until=workdays.add_months(step.on, 12 * rules["confirm_years"]),
    )


def studio_grant(step):
    rules = parameters.value("honours.studio", step.on)
    if rules.get("grant_yuan"):
        StudioGrant.objects.create(
            studio=step.obj,
            kind=StudioGrant.Kind.NAMING,
            amount_fen=money.fen(str(rules["grant_yuan"])),
            on=step.on,
            note=_("Grant at naming"),
        )


# --- a named method ----------------------------------------------------------------------------


def method_found(step):
    found = findings.method_eligibility(step.obj, step.on)
    step.values["eligibility"] = findings.facts(found, "met")
    if step.transition.name == "name":
        step.values["named_on"] = step.on


def method_ineligible_on(step):
    unmet = [f["condition"] for f in findings.method_eligibility(step.obj, step.on) if not f["met"]]
    if unmet:
        return _("Not met on %(d)s: %(c)s.") % {
            "d": formatting.day(step.on),
            "c": "；".join(str(u) for u in unmet),
        }
    return None


# --- a batch of places -------------------------------------------------------------------------


def applications_running(step):
    b = step.obj
    if step.on <= b.applications_until:
        return _("Applications run until %(d)s: places are allocated after that day.") % {
            "d": formatting.day(b.applications_until)
        }
    return None


def nobody_applied(b: CareBatch):
    if not b.applications.filter(status=A.APPLIED).exists():
        return _("No application waits for a place.")
    return None


def allocated_on(step):
    step.values["allocated_on"] = step.on


def allocate(step):
    """Fill the places in the published order (honours.md §7)."""
    from gongjia.honours import actions

    actions.fill_places(step.obj, on=step.on)


def attendance_missing(b: CareBatch):
    n = b.applications.filter(status=A.ALLOCATED).count()
    if n:
        return _("Attendance is not recorded for %(n)s places.") % {"n": n}
    return None
