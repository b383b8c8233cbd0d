"""What the steps of a craftsman round, its nominations and its awards check and do (declared in
workflows.py)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.craftsmen import eligibility
from gongjia.craftsmen.models import (
    Award,
    AwardPayment,
    Entitlement,
    Nomination,
    Objection,
    ReviewScore,
    Round,
    Title,
)
from gongjia.members.selectors import members_by_id
from gongjia.platform import counters, formatting, scope, workdays
from gongjia.platform.formatting import clauses
from gongjia.skills import marking

N = Nomination.Status
R = Round.Status


# --- a round -----------------------------------------------------------------------------------


def no_rubric(r: Round):
    if not r.rubric:
        return _("Set the review rubric first: the panel scores on it.")
    return None


def not_ready_for_review(r: Round):
    waiting = r.nominations.filter(status=N.SUBMITTED).count()
    if waiting:
        return _("%(n)s nominations await their eligibility check.") % {"n": waiting}
    if not r.nominations.filter(status=N.ELIGIBLE).exists():
        return _("No nomination has passed the eligibility check.")
    return None


def missing_scores(r: Round) -> list[str]:
    """What the panel has yet to score: "<panel member>: <n> scores" for each one short."""
    eligible = list(r.nominations.filter(status=N.ELIGIBLE).values_list("pk", flat=True))
    needed = len(eligible) * len(r.rubric)
    done = dict(
        ReviewScore.objects.filter(nomination__in=eligible, item__in=[i["key"] for i in r.rubric])
        .values_list("judge")
        .annotate(n=Count("pk"))
    )
    short = []
    for p in r.panel.select_related("user"):
        left = needed - done.get(p.user_id, 0)
        if left > 0:
            short.append(_("%(p)s: %(n)s scores") % {"p": p.user, "n": left})
    return short


def not_scored(r: Round):
    if not r.panel.exists():
        return _("Name the review panel first.")
    short = missing_scores(r)
    if short:
        return _("The panel has not finished scoring: %(s)s.") % {"s": "、".join(short)}
    return None


def _two(x: Fraction) -> Decimal:
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def standings(r: Round) -> list[dict]:
    """The eligible nominations ranked "1-1-3" by the panel's total (each rubric item the
    panel's aggregation of its members' scores, exact), ties broken by the items in the
    rubric's order; each with its rank, the totals and what the quota proposes it for."""
    nominations = list(r.nominations.filter(status=N.ELIGIBLE).select_related("member"))
    scores: dict = {}
    for nid, item, points in ReviewScore.objects.filter(nomination__in=nominations).values_list(
        "nomination_id", "item", "points"
    ):
        scores.setdefault(nid, {}).setdefault(item, []).append(points)
    items = [i["key"] for i in r.rubric]
    keyed = {}
    for n in nominations:
        per_item = [
            marking.panel(scores[n.pk][i], r.aggregation) if scores.get(n.pk, {}).get(i) else None
            for i in items
        ]
        total = sum((p for p in per_item if p is not None), Fraction(0))
        keyed[n.pk] = (total, *per_item)
    ranked = marking.rank(nominations, lambda n: keyed[n.pk], [marking.HIGHER] * (len(items) + 1))
    rows = []
    for x in ranked:
        outcome = ""
        if x.rank <= r.title_quota:
            outcome = Nomination.Outcome.TITLE
        elif x.rank <= r.title_quota + r.nomination_quota:
            outcome = Nomination.Outcome.NOMINATION
        rows.append(
            {
                "nomination": x.entry,
                "rank": x.rank,
                "tied": x.tied,
                "total": _two(keyed[x.entry.pk][0]),
                "items": [None if p is None else _two(p) for p in keyed[x.entry.pk][1:]],
                "outcome": outcome,
            }
        )
    return rows


def straddled(r: Round, rows: list[dict]) -> list[str]:
    """Ties the quota would cut through: more people sharing a rank than places left."""
    problems = []
    for limit, label in (
        (r.title_quota, _("titles")),
        (r.title_quota + r.nomination_quota, _("nomination awards")),
    ):
        inside = [x for x in rows if x["rank"] <= limit]
        if len(inside) > limit:
            last = inside[-1]["rank"]
            names = "、".join(x["nomination"].member.name for x in rows if x["rank"] == last)
            problems.append(
                _("%(names)s share rank %(r)s across the quota of %(q)s %(l)s")
                % {"names": names, "r": last, "q": limit, "l": label}
            )
    return problems


def quota_cut(r: Round):
    """The quota is applied whole: a tie across it is decided by the panel scoring again."""
    if message := not_scored(r):
        return message
    problems = straddled(r, standings(r))
    if problems:
        return clauses(problems + [_("the panel scores those nominations again")])
    return None


def notice_dates(step):
    """The public notice opens on the step's day and runs its working days."""
    until = workdays.deadline(step.on, step.obj.notice_working_days, "working_days")
    step.values.update(notice_from=step.on, notice_until=until)


def publish(step):
    """Rank and apply the quota: the proposed holders are those the notice names."""
    r = step.obj
    for x in standings(r):
        n = x["nomination"]
        n.rank, n.total, n.outcome = x["rank"], x["total"], x["outcome"]
        n.status = N.SELECTED if x["outcome"] else N.NOT_SELECTED
        n.save(update_fields=["rank", "total", "outcome", "status"])


def notice_running(r: Round):
    open_ = Objection.objects.filter(nomination__round=r, status=Objection.Status.OPEN).count()
    if open_:
        return _("%(n)s objections are still being looked into.") % {"n": open_}
    return None


def after_notice(step):
    """Titles are conferred once the notice has run its working days."""
    r = step.obj
    if r.notice_until and step.on <= r.notice_until:
        return _("The public notice runs until %(d)s: titles are conferred after it.") % {
            "d": formatting.day(r.notice_until)
        }
    return None


def confer(step):
    """Every nomination still proposed enters the register; holders of a round with the benefit
    are entitled to recuperation."""
    r = step.obj
    proposed = list(
        r.nominations.filter(status=N.SELECTED).select_related("member").order_by("rank", "pk")
    )
    numbers = counters.allocate(f"craftsmen.title.{step.on.year}", len(proposed))
    titles = Title.objects.bulk_create(
        [
            Title(
                round=r,
                nomination=n,
                member=n.member,
                unit_id=n.unit_id,
                kind=n.outcome,
                number=f"GJ{step.on.year}-{k:04d}",
                held_from=step.on,
            )
            for n, k in zip(proposed, numbers, strict=True)
        ]
    )
    Nomination.objects.filter(pk__in=[n.pk for n in proposed]).update(status=N.CONFERRED)
    if r.recuperation:
        Entitlement.objects.bulk_create(
            [
                Entitlement(title=t, kind=Entitlement.Kind.RECUPERATION, granted_on=step.on)
                for t in titles
            ]
        )


def conferred_on(step):
    step.values["approved_on"] = step.on


def by_organiser(step):
    """Publishing and conferring are the organising federation's own (not a town's)."""
    actor, r = step.actor, step.obj
    if scope.person(actor) is None:
        return None
    if not scope.units_in_scope(actor, Round, "approve").filter(pk=r.organiser_id).exists():
        return _("Only %(u)s decides this round.") % {"u": r.organiser}
    return None


# --- a nomination ------------------------------------------------------------------------------


def round_closed(n: Nomination):
    if n.round.status not in (R.OPEN, R.REVIEW):
        return _("The round is “%(s)s”: nominations are checked while it takes them.") % {
            "s": n.round.get_status_display()
        }
    return None


def findings(n: Nomination) -> list[dict]:
    member = members_by_id([n.member_id])[n.member_id]
    return eligibility.findings(n.round, n, member)


def not_eligible(n: Nomination):
    if message := round_closed(n):
        return message
    return eligibility.refusal(n.round, findings(n))


def checked(step):
    step.values["eligibility"] = findings(step.obj)


def no_upheld_objection(n: Nomination):
    if not n.objections.filter(status=Objection.Status.UPHELD).exists():
        return _("Only an upheld objection removes a proposed holder.")
    return None


# --- an award ----------------------------------------------------------------------------------


def four_eyes(step):
    """The award is approved by someone other than the person who prepared it."""
    if scope.person(step.actor) is None or step.actor.pk == step.obj.prepared_by_id:
        return _("Someone other than the person who prepared the award must approve it.")
    return None


def decided(step):
    """Who decided, and when (a refusal by the preparer themselves names no decider)."""
    if scope.person(step.actor) is not None and step.actor.pk != step.obj.prepared_by_id:
        step.values["decided_by"] = step.actor
    step.values["decided_at"] = timezone.now()


def title_revoked(a: Award):
    if not a.title.in_force:
        return _("The title was revoked on %(d)s.") % {"d": formatting.day(a.title.revoked_on)}
    return None


def pay(step):
    """The payment line; the attempt follows the reversals, so the database's unique rule pays
    each attempt once, whoever approves at the same moment."""
    a = step.obj
    attempt = AwardPayment.objects.filter(award=a, kind=AwardPayment.Kind.REVERSAL).count()
    AwardPayment.objects.create(
        award=a,
        kind=AwardPayment.Kind.PAYMENT,
        attempt=attempt,
        amount_fen=a.amount_fen,
        on=step.on,
        entered_by=scope.person(step.actor),
    )


def unreversed(a: Award):
    return (
        AwardPayment.objects.filter(award=a, kind=AwardPayment.Kind.PAYMENT)
        .filter(reversed_by__isnull=True)
        .order_by("-attempt")
        .first()
    )


def reverse(step):
    """The reversal line: the opposite of the payment not yet reversed."""
    p = unreversed(step.obj)
    if p is None:
        raise ValidationError(_("There is no payment of this award to reverse."))
    AwardPayment.objects.create(
        award=step.obj,
        kind=AwardPayment.Kind.REVERSAL,
        attempt=p.attempt,
        amount_fen=-p.amount_fen,
        on=step.on,
        reverses=p,
        reason=step.note.strip()[:300],
        entered_by=scope.person(step.actor),
    )
