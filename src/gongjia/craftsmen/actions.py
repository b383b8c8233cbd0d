"""The only code that changes craftsman rounds, nominations, review scores, objections, the title
register, its benefits, and the award ledger."""

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.craftsmen import eligibility
from gongjia.craftsmen.events import (
    AWARD_PREPARED,
    BATCH_MADE,
    BENEFIT_USED,
    NOMINATED,
    OBJECTION,
    OBJECTION_DECIDED,
    PANEL_CHANGED,
    SCORED,
    TITLE_REVOKED,
)
from gongjia.craftsmen.models import (
    Award,
    AwardBatch,
    AwardPayment,
    Entitlement,
    Nomination,
    Objection,
    PanelMember,
    ReviewScore,
    Round,
    Title,
)
from gongjia.craftsmen.workflows import award_workflow, nomination_workflow, round_workflow
from gongjia.members.selectors import members_by_id
from gongjia.platform import (
    audit,
    counters,
    events,
    formatting,
    money,
    parameters,
    pii,
    scope,
    xlsx,
)
from gongjia.platform.models import AuditEvent

R = Round.Status
N = Nomination.Status

# What a round's form may set; the scheme's defaults come from `craftsmen.scheme`.
SCHEME_FIELDS = (
    "title_quota",
    "nomination_quota",
    "award_fen",
    "min_years",
    "max_age",
    "union_member",
    "frontline",
    "recuperation",
    "conditions",
    "waivers",
    "rubric",
    "aggregation",
    "notice_working_days",
)
ROUND_FIELDS = ("number", "name", "year", "nominations_from", "nominations_until", *SCHEME_FIELDS)
NOMINATION_FIELDS = ("channel", "skill", "skill_since", "frontline", "claimed", "evidence")


def scheme_defaults(on: dt.date) -> dict:
    """A new round's scheme: the district's parameters in force on the day."""
    s = parameters.value("craftsmen.scheme", on=on)
    return {
        "title_quota": s["title_quota"],
        "nomination_quota": s["nomination_quota"],
        "award_fen": money.fen(str(s["award_yuan"])),
        "min_years": s["min_years"],
        "max_age": s.get("max_age"),
        "union_member": s["union_member"],
        "frontline": s["frontline"],
        "recuperation": s["recuperation"],
        "conditions": [dict(c) for c in s["conditions"]],
        "waivers": [dict(w) for w in s["waivers"]],
        "rubric": [dict(i) for i in s["rubric"]],
        "aggregation": s["aggregation"],
        "notice_working_days": parameters.value("craftsmen.notice_working_days", on=on),
    }


# --- rounds ------------------------------------------------------------------------------------


@transaction.atomic
def save_round(r: Round | None, *, acting_user, organiser=None, **fields) -> Round:
    """Open a new round on the scheme's defaults (fields given replace them), or change one.
    The scheme is fixed once nominations open: nominees are checked against it."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown round fields: {sorted(unknown)}")
    if r is None:
        scope.require(acting_user, "add", organiser, model=Round)
        start = fields.get("nominations_from") or timezone.localdate()
        r = Round(organiser=organiser, **{**scheme_defaults(start), **fields})
    else:
        r = Round.objects.select_for_update().get(pk=r.pk)
        scope.require(acting_user, "change", r)
        changed = {k for k, v in fields.items() if getattr(r, k) != v}
        if r.status != R.DRAFT and changed - {"name"}:
            raise ValidationError(
                _("The round is “%(s)s”: its scheme and dates are fixed once nominations open.")
                % {"s": r.get_status_display()}
            )
        for k, v in fields.items():
            setattr(r, k, v)
    _check_scheme(r)
    r.full_clean()
    try:
        with transaction.atomic():
            r.save()
    except IntegrityError:
        raise ValidationError(
            {
                "number": _("Round %(n)s of %(u)s already exists.")
                % {"n": r.number, "u": r.organiser}
            }
        ) from None
    return r


def _check_scheme(r: Round) -> None:
    errors = {}
    for i in r.rubric or []:
        if not i.get("key") or not i.get("label") or not _positive(i.get("max")):
            errors["rubric"] = _("Each rubric item has a key, a label and a maximum above 0.")
    for w in r.waivers or []:
        if not w.get("levels") or not _positive(w.get("max_place")):
            errors["waivers"] = _("Each waiver names competition levels and a best place.")
    keys = [c.get("key") for c in r.conditions or []]
    if any(not k for k in keys) or len(set(keys)) != len(keys):
        errors["conditions"] = _("Each qualifying condition has its own key.")
    if errors:
        raise ValidationError(errors)


def _positive(value) -> bool:
    try:
        return Decimal(str(value)) > 0
    except (InvalidOperation, ValueError):
        return False


def round_step(r: Round, name: str, *, acting_user, note: str = "", on=None) -> Round:
    """A step of a round (open, review, publish the notice, confer the titles, cancel)."""
    return round_workflow.run(r, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def add_to_panel(r: Round, user, *, acting_user) -> PanelMember:
    """A panel member, named before the panel has scored."""
    r = Round.objects.select_for_update().get(pk=r.pk)
    scope.require(acting_user, "change", r)
    if r.status not in (R.DRAFT, R.OPEN, R.REVIEW):
        raise ValidationError(_("The panel is named before the notice is published."))
    member, made = PanelMember.objects.get_or_create(round=r, user=user)
    if not made:
        raise ValidationError(_("%(u)s is already on the panel.") % {"u": user})
    events.record(PANEL_CHANGED, actor=acting_user, obj=r, data={"added": user.pk})
    return member


# --- nominations -------------------------------------------------------------------------------


@transaction.atomic
def nominate(r: Round, member_id: int, *, unit, acting_user, submitted_on=None, **fields):
    """A nomination by `unit` (or a self-nomination it endorses) of one of its members, while
    the round takes them; one per person and round (a database rule)."""
    unknown = set(fields) - set(NOMINATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown nomination fields: {sorted(unknown)}")
    r = Round.objects.get(pk=r.pk)
    scope.require(acting_user, "add", unit, model=Nomination)
    submitted_on = submitted_on or timezone.localdate()
    if r.status != R.OPEN:
        raise ValidationError(
            _("“%(r)s” is “%(s)s”: it takes no nominations.")
            % {"r": r.name, "s": r.get_status_display()}
        )
    if not r.nominations_from <= submitted_on <= r.nominations_until:
        raise ValidationError(
            {
                "submitted_on": _("Nominations are taken from %(a)s to %(b)s.")
                % {
                    "a": formatting.day(r.nominations_from),
                    "b": formatting.day(r.nominations_until),
                }
            }
        )
    member = members_by_id([member_id]).get(member_id)
    if member is None:
        raise ValidationError({"member": _("There is no such member.")})
    if not member.union.path.startswith(unit.path):
        raise ValidationError(
            {"member": _("%(m)s is not a member under %(u)s.") % {"m": member.name, "u": unit}}
        )
    claimed = list(fields.pop("claimed", None) or [])
    known = {c["key"] for c in r.conditions}
    if set(claimed) - known:
        raise ValidationError({"claimed": _("Claim only the round's qualifying conditions.")})
    n = Nomination(round=r, member=member, unit=unit, submitted_on=submitted_on, claimed=claimed)
    for k, v in fields.items():
        setattr(n, k, v)
    if n.skill_since and n.skill_since > submitted_on:
        raise ValidationError({"skill_since": _("The day the nominee began cannot be ahead.")})
    n.full_clean(exclude=["round", "member", "unit"])
    # Found at once, condition by condition, from the records; found again at the check.
    n.eligibility = eligibility.findings(r, n, member)
    try:
        with transaction.atomic():
            n.save()
    except IntegrityError:
        raise ValidationError(
            {"member": _("%(m)s is already nominated in this round.") % {"m": member.name}}
        ) from None
    events.record(NOMINATED, actor=acting_user, obj=n, data={"round": r.pk})
    return n


def nomination_step(n: Nomination, name: str, *, acting_user, note: str = "", on=None):
    """A step of a nomination (eligible, not eligible, withdrawn, removed after an objection)."""
    return nomination_workflow.run(n, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def score(n: Nomination, points: dict, *, acting_user) -> list[ReviewScore]:
    """A panel member's scores of a nomination, item by item of the rubric (changed freely
    until the notice is published)."""
    n = Nomination.objects.select_related("round").get(pk=n.pk)
    r = n.round
    person = scope.person(acting_user)
    if person is None or not r.panel.filter(user=person).exists():
        raise ValidationError(_("Only the round's panel members score its nominations."))
    if r.status != R.REVIEW or n.status != N.ELIGIBLE:
        raise ValidationError(
            _("Nominations are scored while the round is under review, once found eligible.")
        )
    items = {i["key"]: i for i in r.rubric}
    unknown = set(points) - set(items)
    if unknown:
        raise ValidationError(_("The rubric has no item %(i)s.") % {"i": "、".join(unknown)})
    saved, errors = [], {}
    for key, value in points.items():
        top = Decimal(str(items[key]["max"]))
        try:
            p = Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            p = None
        if p is None or not Decimal(0) <= p <= top:
            errors[key] = _("%(i)s is scored from 0 to %(m)s.") % {
                "i": parameters.words(items[key]["label"]),
                "m": formatting.number(top),
            }
            continue
        s, _made = ReviewScore.objects.update_or_create(
            nomination=n, judge=person, item=key, defaults={"points": p}
        )
        saved.append(s)
    if errors:
        raise ValidationError(errors)
    events.record(SCORED, actor=acting_user, obj=n, data={"items": len(saved)})
    return saved


# --- the public notice -------------------------------------------------------------------------


@transaction.atomic
def record_objection(
    n: Nomination, *, name: str, content: str, received_on, acting_user, phone: str = ""
) -> Objection:
    """An objection received during the notice, by real name; a letter counts from its
    postmark (honours.md §3)."""
    n = Nomination.objects.select_related("round").get(pk=n.pk)
    scope.require(acting_user, "change", n)
    r = n.round
    errors = {}
    if len((name or "").strip()) < 2:
        errors["name"] = _("An objection is taken by real name: enter the objector's full name.")
    if not (content or "").strip():
        errors["content"] = _("Enter what the objection says.")
    if errors:
        raise ValidationError(errors)
    if r.status != R.NOTICE or n.status != N.SELECTED:
        raise ValidationError(_("Objections are taken against proposed holders during the notice."))
    if not r.notice_from <= received_on <= r.notice_until:
        raise ValidationError(
            {
                "received_on": _("The notice ran from %(a)s to %(b)s: this came outside it.")
                % {"a": formatting.day(r.notice_from), "b": formatting.day(r.notice_until)}
            }
        )
    o = Objection.objects.create(
        nomination=n,
        name=name.strip(),
        phone=phone or "",
        received_on=received_on,
        content=content.strip(),
    )
    events.record(OBJECTION, actor=acting_user, obj=n, data={"objection": o.pk})
    return o


@transaction.atomic
def decide_objection(o: Objection, *, upheld: bool, finding: str, acting_user, on=None):
    """The finding on an objection; an upheld one removes the proposed holder."""
    o = Objection.objects.select_for_update().select_related("nomination").get(pk=o.pk)
    scope.require(acting_user, "approve", o.nomination)
    if o.status != Objection.Status.OPEN:
        raise ValidationError(_("This objection has been decided."))
    if not (finding or "").strip():
        raise ValidationError({"finding": _("Say what looking into the objection found.")})
    o.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    o.finding = finding.strip()
    o.decided_by = scope.person(acting_user)
    o.decided_on = on or timezone.localdate()
    o.save(update_fields=["status", "finding", "decided_by", "decided_on"])
    events.record(OBJECTION_DECIDED, actor=acting_user, obj=o.nomination, data={"upheld": upheld})
    if upheld:
        nomination_step(o.nomination, "disqualify", acting_user=acting_user, note=o.finding)
    return o


# --- the register ------------------------------------------------------------------------------


@transaction.atomic
def revoke_title(t: Title, *, reason: str, acting_user, on=None) -> Title:
    """A title found wrongly conferred, or lost by a serious violation, is revoked with its
    reason, never deleted; its unused benefits lapse with it."""
    t = Title.objects.select_for_update().get(pk=t.pk)
    scope.require(acting_user, "approve", t.round)
    if not (reason or "").strip():
        raise ValidationError({"revoked_reason": _("Give the reason for revoking.")})
    if t.revoked_on:
        raise ValidationError(_("The title is already revoked."))
    t.revoked_on = on or timezone.localdate()
    t.revoked_reason = reason.strip()[:300]
    t.save(update_fields=["revoked_on", "revoked_reason"])
    events.record(TITLE_REVOKED, actor=acting_user, obj=t, data={"reason": t.revoked_reason})
    return t


@transaction.atomic
def use_benefit(e: Entitlement, *, used_for: str, acting_user, on=None) -> Entitlement:
    """A benefit taken up (a recuperation stay allocated), once."""
    e = Entitlement.objects.select_for_update().select_related("title").get(pk=e.pk)
    scope.require(acting_user, "change", e)
    if e.used_on:
        raise ValidationError(
            _("This benefit was used on %(d)s.") % {"d": formatting.day(e.used_on)}
        )
    if not e.title.in_force:
        raise ValidationError(_("The title has been revoked: its benefits lapsed with it."))
    e.used_on = on or timezone.localdate()
    e.used_for = (used_for or "").strip()[:200]
    e.save(update_fields=["used_on", "used_for"])
    events.record(BENEFIT_USED, actor=acting_user, obj=e.title, data={"kind": e.kind})
    return e


# --- the award ---------------------------------------------------------------------------------


@transaction.atomic
def prepare_award(t: Title, *, bank_name: str, bank_account: str, acting_user) -> Award:
    """The holder's one-off award, at the round's amount, to the account given; approved and
    paid by someone else. One award per title (a database rule)."""
    t = Title.objects.select_related("round").get(pk=t.pk)
    scope.require(acting_user, "add", t.round.organiser, model=Award)
    if scope.person(acting_user) is None:
        raise ValidationError(_("An award is prepared by a person."))
    if t.kind != Title.Kind.TITLE:
        raise ValidationError(_("The one-off award is for holders of the title."))
    if not t.in_force:
        raise ValidationError(_("The title has been revoked."))
    errors = {}
    account = "".join((bank_account or "").split())
    if not account.isdigit() or not 12 <= len(account) <= 30:
        errors["bank_account"] = _("A bank account number is 12 to 30 digits.")
    if not (bank_name or "").strip():
        errors["bank_name"] = _("Enter the bank of the account.")
    if errors:
        raise ValidationError(errors)
    a = Award(
        title=t,
        amount_fen=t.round.award_fen,
        bank_name=bank_name.strip(),
        bank_account=account,
        prepared_by=acting_user,
    )
    try:
        with transaction.atomic():
            a.save()
    except IntegrityError:
        raise ValidationError(_("The award of %(t)s is already prepared.") % {"t": t}) from None
    events.record(AWARD_PREPARED, actor=acting_user, obj=a, data={"amount_fen": a.amount_fen})
    return a


def award_step(a: Award, name: str, *, acting_user, note: str = "", on=None) -> Award:
    """A step of an award (approve and pay, refuse, reverse); the ledger's unique rule decides a
    race the row lock did not see."""
    try:
        return award_workflow.run(a, name, acting_user=acting_user, note=note, on=on)
    except IntegrityError:
        raise ValidationError(
            _("Another approval of this award was saved at the same moment: reload the ledger.")
        ) from None


def pending_payments(acting_user, unit):
    """Award payments under `unit` not yet sent to the bank, nor reversed."""
    return scope.restrict(AwardPayment.objects.all(), acting_user, "change").filter(
        kind=AwardPayment.Kind.PAYMENT,
        batch__isnull=True,
        reversed_by__isnull=True,
        award__title__round__organiser__path__startswith=unit.path,
    )


def make_batch(*, acting_user, unit) -> AwardBatch:
    """Gather the pending award payments under `unit` into one batch for the bank."""
    scope.require(acting_user, "change", unit)
    with transaction.atomic():
        pending = pending_payments(acting_user, unit).select_for_update(of=("self",))
        ids = list(pending.values_list("pk", flat=True))
        if not ids:
            raise ValidationError(_("There are no award payments waiting for the bank."))
        total = AwardPayment.objects.filter(pk__in=ids).aggregate(s=Sum("amount_fen"))["s"]
        batch = AwardBatch.objects.create(
            number=f"GJ{timezone.localdate():%Y%m}{counters.allocate('craftsmen_batch')[0]:04d}",
            unit=unit,
            created_by=scope.person(acting_user),
            entries=len(ids),
            total_fen=total,
        )
        # The one change a ledger line ever takes: the batch that carries it to the bank.
        AwardPayment.objects.filter(pk__in=ids, batch__isnull=True).update(batch=batch)
        events.record(BATCH_MADE, actor=acting_user, obj=batch, data={"entries": len(ids)})
    return batch


def bank_headers() -> list[str]:
    return [
        _("No."),
        _("certificate number"),
        _("name"),
        _("bank"),
        _("bank account"),
        _("amount (yuan)"),
    ]


def batch_xlsx(batch: AwardBatch, *, acting_user, purpose: str) -> bytes:
    """The spreadsheet for the bank: account numbers in full, so the reveal permission and a
    purpose are needed, and the export is logged."""
    scope.require(acting_user, "view", batch)
    pii.require_reveal(acting_user, batch.unit, purpose, model=Award)
    rows = (
        [
            i,
            p.award.title.number,
            p.award.title.member.name,
            p.award.bank_name,
            p.award.bank_account,
            money.yuan(p.amount_fen),
        ]
        for i, p in enumerate(
            batch.payments.select_related("award__title__member").order_by("award__title__number"),
            start=1,
        )
    )
    buf = io.BytesIO()
    n = xlsx.write_rows(buf, bank_headers(), rows, sheet=batch.number)
    audit.record(
        AuditEvent.Kind.EXPORT,
        "export_award_batch",
        actor=acting_user,
        obj=batch,
        data={"rows": n, "masked": False, "purpose": purpose.strip()},
    )
    return buf.getvalue()
