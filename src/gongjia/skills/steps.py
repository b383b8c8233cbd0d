"""What the steps of skills workflows check and do (declared in workflows.py)."""

from django.db.models import Count
from django.utils.translation import gettext as _

from gongjia.platform import parameters, scope, workdays
from gongjia.skills import marking
from gongjia.skills.models import Aspect, Competition, Entry, Mark, Scheme


def scheme_problems(scheme: Scheme) -> list[str]:
    """What stops a scheme from being approved: the weightings of its standard sections must
    sum to 100, every aspect's maximum be a multiple of 0.05 and a measurement aspect have its
    calculation type. (The variation of each section against its weighting only warns.)"""
    problems = []
    weights = sum(s.weight for s in scheme.sections.all())
    if weights != 100:
        problems.append(
            _("The weightings of the standard sections add up to %(w)s, not 100.") % {"w": weights}
        )
    aspects = list(Aspect.objects.filter(sub__criterion__scheme=scheme))
    if not aspects:
        problems.append(_("The scheme has no aspects to mark."))
    for a in aspects:
        if not marking.valid_maximum(a.max_mark):
            problems.append(
                _("Aspect “%(a)s”: the maximum mark %(m)s is not a multiple of 0.05.")
                % {"a": a.description, "m": a.max_mark}
            )
        if a.kind == Aspect.Kind.MEASUREMENT and not a.calculation:
            problems.append(
                _("Aspect “%(a)s”: a measurement needs its calculation type.")
                % {"a": a.description}
            )
    return problems


def scheme_invalid(scheme: Scheme):
    return " ".join(scheme_problems(scheme)) or None


def not_ready_to_mark(competition: Competition):
    """Marking opens when every event has an approved scheme and a panel of at least three."""
    missing = []
    for event in competition.events.select_related("trade").annotate(seats=Count("panel")):
        scheme = Scheme.objects.filter(event=event).first()
        if scheme is None or scheme.status == Scheme.Status.DRAFT:
            missing.append(_("%(t)s has no approved marking scheme.") % {"t": event.trade})
        if event.seats < marking.PANEL:
            missing.append(_("%(t)s has fewer than three judges.") % {"t": event.trade})
    if not competition.events.exists():
        missing.append(_("The competition has no events."))
    return " ".join(missing) or None


def lock_schemes(step):
    Scheme.objects.filter(event__competition=step.obj).update(status=Scheme.Status.LOCKED)


def marks_not_signed(competition: Competition):
    """Marking closes when every aspect of every entry has its mark, entered and signed."""
    expected = 0
    for event in competition.events.all():
        aspects = Aspect.objects.filter(sub__criterion__scheme__event=event).count()
        expected += aspects * event.entries.filter(status=Entry.Status.REGISTERED).count()
    have = Mark.objects.filter(
        entry__event__competition=competition,
        entry__status=Entry.Status.REGISTERED,
        status__in=(Mark.Status.SIGNED, Mark.Status.LOCKED),
    ).count()
    if have < expected:
        return _("%(n)d of %(e)d marks are not yet entered and signed.") % {
            "n": expected - have,
            "e": expected,
        }
    return None


def lock_marks_and_rank(step):
    from gongjia.skills import results

    Mark.objects.filter(entry__event__competition=step.obj, status=Mark.Status.SIGNED).update(
        status=Mark.Status.LOCKED
    )
    for event in step.obj.events.all():
        results.apply(event, acting_user=step.actor)


def not_publishable(competition: Competition):
    """Results are published once every tie the rules do not let stand is decided by the
    jury, and every event's recheck is done."""
    problems = []
    if not competition.shared_ranks:
        tied = Entry.objects.filter(event__competition=competition, tied=True).count()
        if tied:
            problems.append(
                _("%(n)d entries are tied on every tie-break: the jury decides their places.")
                % {"n": tied}
            )
    for event in competition.events.select_related("trade"):
        recheck = getattr(event, "recheck", None)
        if event.entries.exists() and (recheck is None or recheck.confirmed_by_id is None):
            problems.append(
                _("%(t)s: the recheck is not yet confirmed by the chief referee.")
                % {"t": event.trade}
            )
    return " ".join(problems) or None


def jury_only(step):
    person = scope.person(step.actor)
    if person is not None and not step.obj.on_jury(person):
        return _("Only a member of the competition's jury publishes its results.")
    return None


def published(step):
    days = parameters.value("skills.appeal_working_days", on=step.on)
    step.values["published_on"] = step.on
    step.values["appeals_until"] = workdays.deadline(step.on, days, workdays.Unit.WORKING_DAYS)


def appeals_open(competition: Competition):
    from gongjia.skills.models import Appeal

    n = Appeal.objects.filter(
        entry__event__competition=competition, status=Appeal.Status.LODGED
    ).count()
    return _("%(n)d appeals wait for a decision.") % {"n": n} if n else None


def window_passed(step):
    until = step.obj.appeals_until
    if until and step.on <= until:
        return _("Appeals may be lodged until %(d)s.") % {"d": until.isoformat()}
    return None


def report_incomplete(competition: Competition):
    """A guided competition's report names its events and their participants."""
    from gongjia.platform.models import Attachment

    problems = []
    events = list(competition.events.all())
    if not events:
        problems.append(_("The report names no events."))
    if any(e.participants_reported is None for e in events):
        problems.append(_("Give the number of participants of every event."))
    from django.contrib.contenttypes.models import ContentType

    if not Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Competition), object_id=str(competition.pk)
    ).exists():
        problems.append(_("Attach the evidence of the competition (a notice, a results list)."))
    return " ".join(problems) or None


def second_person(step):
    if scope.person(step.actor) is not None and step.actor.pk == step.obj.requested_by_id:
        return _("Someone other than the person who asked to unlock the mark approves it.")
    return None


def decided(step):
    step.values["decided_by"] = scope.person(step.actor)


def unlock_mark(step):
    Mark.objects.filter(pk=step.obj.mark_id).update(status=Mark.Status.ENTERED)
    step.obj.mark.signed_by.clear()
