"""What the archive procedure's steps do besides moving the status (assistance.md §§2-3): the
checks, preparations and consequences declared on the transitions of `workflows.py`."""

from django.utils.translation import gettext as _

from gongjia.assistance.models import ArchivePeriod, CheckUp, Household, HouseholdMember, Pairing
from gongjia.platform import parameters, workdays
from gongjia.platform.workflow import Step


def follow_periods(h: Household, on) -> None:
    """Keep the household's periods in the archive in step with its status and category as
    they stand after a step taken on the day `on`."""
    current = ArchivePeriod.objects.filter(household=h, ended_on=None).first()
    inside = h.status == Household.Status.ARCHIVED
    if current and inside and current.category != h.category and current.started_on >= on:
        current.category = h.category  # a correction on the period's first day
        current.save(update_fields=["category"])
        return
    if current and (not inside or current.category != h.category):
        current.ended_on = max(on, current.started_on)
        current.save(update_fields=["ended_on"])
        current = None
    if inside and current is None:
        ArchivePeriod.objects.create(household=h, category=h.category, started_on=on)


def notice_period(step: Step) -> None:
    days = parameters.value("assistance.public_notice_working_days", on=step.on)
    step.values["notice_until"] = workdays.deadline(step.on, days, "working_days")


def notice_over(step: Step) -> str | None:
    until = step.obj.notice_until
    if until and step.on <= until:
        return _("The public notice runs until %(d)s.") % {"d": until}
    return None


def archived(step: Step) -> None:
    step.values["archived_on"] = step.on


def leaving(step: Step) -> None:
    step.values["exited_on"] = step.on
    # Archive Measures: files kept 10 years after withdrawal.
    years = parameters.value("assistance.files_kept_years", on=step.on)
    step.values["keep_until"] = workdays.add_months(step.on, 12 * years)


def left(step: Step) -> None:
    """Follow-up calls to catch a relapse; an active helper's pairing ends."""
    h, on = step.obj, step.on
    for months in parameters.value("assistance.follow_up_months", on=on):
        CheckUp.objects.get_or_create(
            household=h, kind=CheckUp.Kind.FOLLOW_UP, due_on=workdays.add_months(on, months)
        )
    Pairing.objects.filter(household=h, ended_on=None).update(ended_on=on)
    follow_periods(h, on)


def reopening(step: Step) -> None:
    step.values.update(exit_reason="", exited_on=None, keep_until=None)


def in_archive(step: Step) -> None:
    """Archived or back in hardship: the period opens, the calls still ahead are no longer
    needed, and the employed members are graded at once."""
    from gongjia.assistance.risk import grade_member

    h, on = step.obj, step.on
    follow_periods(h, on)
    CheckUp.objects.filter(household=h, kind=CheckUp.Kind.FOLLOW_UP, done_on=None).delete()
    for m in h.members.filter(work=HouseholdMember.Work.EMPLOYED):
        grade_member(m, on)
