"""What the steps of training workflows check and do (declared in workflows.py)."""

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gongjia.platform import counters, events, parameters, scope
from gongjia.training.events import COMPLETED
from gongjia.training.models import (
    BaseReview,
    Certificate,
    Enrolment,
    TrainingBase,
    TrainingClass,
)

E = Enrolment.Status


# --- classes -----------------------------------------------------------------------------------


def no_sessions(c: TrainingClass):
    if not c.sessions.exists():
        return _("Add the class's sessions first: workers check in to them.")
    return None


def no_one_enrolled(c: TrainingClass):
    if not c.enrolments.filter(status=E.ENROLLED).exists():
        return _("No one is enrolled in the class yet.")
    return None


def not_assessed(c: TrainingClass):
    n = c.enrolments.filter(status=E.ENROLLED, score__isnull=True).count()
    if n:
        return _("%(n)s people enrolled have no assessment yet: record it on each enrolment.") % {
            "n": n
        }
    return None


def completion(c: TrainingClass, on: dt.date):
    """The class's enrolments with what decides their completion: sessions attended (`present`)
    against the share of sessions required, and the assessment against the pass mark."""
    sessions = c.sessions.count()
    share = parameters.value("training.attendance_share", on=on)
    needed = int(-(-sessions * share // 1))  # the share of sessions, rounded up
    qs = c.enrolments.filter(status=E.ENROLLED).annotate(present=Count("attendance"))
    passed = Q(present__gte=needed, score__gte=parameters.value("training.pass_mark", on=on))
    return qs, passed, needed


def complete(step):
    """Every enrolled person who attended the share of sessions and passed the assessment
    completes the class and gets a certificate; the others have not completed it."""
    c, on = step.obj, step.on
    qs, passed, _needed = completion(c, on)
    done = list(qs.filter(passed).values_list("pk", flat=True))
    Enrolment.objects.filter(pk__in=done).update(status=E.COMPLETED, completed_on=on)
    failed = Enrolment.objects.filter(training_class=c, status=E.ENROLLED).update(
        status=E.NOT_COMPLETED
    )
    issue_certificates(done, on)
    events.record(
        COMPLETED, actor=step.actor, obj=c, data={"completed": len(done), "not_completed": failed}
    )


def issue_certificates(enrolment_ids, on: dt.date):
    """Certificates for completed enrolments, numbered in one block per year."""
    if not enrolment_ids:
        return []
    numbers = counters.allocate(f"training.certificate.{on.year}", len(enrolment_ids))
    return Certificate.objects.bulk_create(
        [
            Certificate(enrolment_id=pk, number=f"JX{on.year}-{n:06d}", issued_on=on)
            for pk, n in zip(enrolment_ids, numbers, strict=True)
        ],
        batch_size=1000,
    )


def class_finished(e: Enrolment):
    if e.training_class.status in (TrainingClass.Status.CLOSED, TrainingClass.Status.CANCELLED):
        return _("The class is “%(s)s”.") % {"s": e.training_class.get_status_display()}
    return None


# --- training bases ----------------------------------------------------------------------------


def checklist_items(on: dt.date | None = None) -> list[dict]:
    return parameters.value("training.base_checklist", on=on)


def checklist_unanswered(base: TrainingBase):
    missing = [i["label"] for i in checklist_items() if i["key"] not in (base.checklist or {})]
    if missing:
        return _("Answer every item of the evaluation checklist: %(i)s.") % {
            "i": "；".join(missing)
        }
    return None


def checklist_not_met(base: TrainingBase):
    unanswered = checklist_unanswered(base)
    if unanswered:
        return unanswered
    unmet = [i["label"] for i in checklist_items() if not base.checklist.get(i["key"])]
    if unmet:
        return _("Not met on the checklist: %(i)s.") % {"i": "；".join(unmet)}
    return None


def by_authority(step):
    """Naming, renewing and removing are the naming federation's (not the town's)."""
    actor, base = step.actor, step.obj
    if scope.person(actor) is None:
        return None
    mine = scope.units_in_scope(actor, TrainingBase, "approve")
    if not mine.filter(pk=base.authority_id).exists():
        return _("Only %(u)s names, renews and removes this base.") % {"u": base.authority}
    return None


def _years_on(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def named(step):
    years = parameters.value("training.base_term_years", on=step.on)
    step.values.update(named_on=step.on, term_until=_years_on(step.on, years) - dt.timedelta(1))


def no_passed_review(base: TrainingBase):
    """A naming is renewed on a passed yearly review: the latest one recorded. (Not read from
    the term's end, which the step itself moves.)"""
    latest = BaseReview.objects.filter(base=base).order_by("-year").first()
    if latest is None or not latest.passed:
        return _("The latest yearly review has to be passed to renew the naming.")
    return None


def renewed(step):
    years = parameters.value("training.base_term_years", on=step.on)
    step.values.update(term_until=_years_on(step.obj.term_until, years))


def removed(step):
    step.values.update(removed_on=step.on)
