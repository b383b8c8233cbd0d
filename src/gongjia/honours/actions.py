"""The only code that changes selection batches, nominations, clearances, objections, the
honouree register, pioneer units, studios, named methods and the places of recuperation and
health checks."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.craftsmen import actions as craftsmen_actions
from gongjia.craftsmen import selectors as craftsmen
from gongjia.honours import findings, quota
from gongjia.honours.events import (
    CARE_APPLIED,
    CARE_ATTENDANCE,
    CARE_PLACED,
    CLEARED,
    HONOUR_RECORDED,
    HONOUR_REVOKED,
    NOMINATED,
    OBJECTION,
    OBJECTION_DECIDED,
    STUDIO_CHANGED,
    STUDIO_RECONFIRMED,
)
from gongjia.honours.models import (
    Batch,
    CareApplication,
    CareBatch,
    Clearance,
    Honour,
    NamedMethod,
    Nomination,
    Objection,
    PioneerUnit,
    Programme,
    Studio,
    StudioGrant,
)
from gongjia.honours.workflows import (
    batch_workflow,
    care_workflow,
    method_workflow,
    nomination_workflow,
    pioneer_workflow,
    studio_workflow,
)
from gongjia.members.selectors import members_by_id
from gongjia.platform import events, formatting, money, parameters, scope, workdays
from gongjia.platform.scope import SYSTEM

B = Batch.Status
N = Nomination.Status
A = CareApplication.Status

BATCH_FIELDS = ("name", "year", "places", "rules", "departments", "notice_working_days")
NOMINATION_FIELDS = (
    "categories",
    "deeds",
    "appraisal_on",
    "appraisal_evidence",
    "congress_on",
    "congress_evidence",
)


def _member_under(member_id, unit, field="member"):
    member = members_by_id([member_id]).get(member_id)
    if member is None:
        raise ValidationError({field: _("There is no such member.")})
    if not member.union.path.startswith(unit.path):
        raise ValidationError(
            {field: _("%(m)s is not a member under %(u)s.") % {"m": member.name, "u": unit}}
        )
    return member


def _check_rules(rules, departments):
    errors = {}
    problems = quota.valid(rules)
    if problems:
        errors["rules"] = problems
    if not isinstance(departments, list) or any(
        not isinstance(d, str) or not d.strip() for d in departments
    ):
        errors["departments"] = _("List the clearing departments by name.")
    if errors:
        raise ValidationError(errors)


# --- selection batches -------------------------------------------------------------------------


@transaction.atomic
def save_batch(b: Batch | None, *, acting_user, programme=None, organiser=None, **fields):
    """Open a batch of a programme on its defaults (fields given replace them), or change one
    being assembled; its rules are fixed once it is submitted."""
    unknown = set(fields) - set(BATCH_FIELDS)
    if unknown:
        raise TypeError(f"unknown batch fields: {sorted(unknown)}")
    if b is None:
        scope.require(acting_user, "add", organiser, model=Batch)
        defaults = {
            "rules": [dict(r) for r in programme.rules],
            "departments": list(programme.departments),
            "notice_working_days": programme.notice_working_days,
            "legal_reference": programme.legal_reference,
        }
        b = Batch(programme=programme, organiser=organiser, **{**defaults, **fields})
    else:
        b = Batch.objects.select_for_update().get(pk=b.pk)
        scope.require(acting_user, "change", b)
        changed = {k for k, v in fields.items() if getattr(b, k) != v}
        if b.status != B.ASSEMBLING and changed - {"name"}:
            raise ValidationError(
                _("The batch is “%(s)s”: its places and rules are fixed once submitted.")
                % {"s": b.get_status_display()}
            )
        for k, v in fields.items():
            setattr(b, k, v)
    _check_rules(b.rules, b.departments)
    b.full_clean()
    b.save()
    return b


def batch_step(b: Batch, name: str, *, acting_user, note: str = "", on=None) -> Batch:
    """A step of a batch (submit, publish the notice, approve, cancel)."""
    return batch_workflow.run(b, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def nominate(b: Batch, member_id: int, *, unit, acting_user, nominated_on=None, **fields):
    """A person put forward by `unit` while the batch is assembled, with the democratic
    appraisal and the workers' congress approval that came first (honours.md §3)."""
    unknown = set(fields) - set(NOMINATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown nomination fields: {sorted(unknown)}")
    b = Batch.objects.select_related("programme__builds_on").get(pk=b.pk)
    scope.require(acting_user, "add", unit, model=Nomination)
    nominated_on = nominated_on or timezone.localdate()
    if b.status != B.ASSEMBLING:
        raise ValidationError(
            _("“%(b)s” is “%(s)s”: it takes no nominations.")
            % {"b": b.name, "s": b.get_status_display()}
        )
    if not unit.path.startswith(b.organiser.path):
        raise ValidationError({"unit": _("The recommending unit is under the organiser.")})
    member = _member_under(member_id, unit)
    declared = list(fields.pop("categories", None) or [])
    names = quota.categories()
    if set(declared) - set(names):
        raise ValidationError({"categories": _("Declare only categories of the dictionary.")})
    n = Nomination(
        batch=b, member=member, unit=unit, nominated_on=nominated_on, categories=declared
    )
    for k, v in fields.items():
        setattr(n, k, v)
    errors = {}
    if n.appraisal_on and n.appraisal_on > nominated_on:
        errors["appraisal_on"] = _("The democratic appraisal comes before the nomination.")
    if n.congress_on and n.appraisal_on and n.congress_on < n.appraisal_on:
        errors["congress_on"] = _("The workers' congress approves after the appraisal.")
    if n.congress_on and n.congress_on > nominated_on:
        errors["congress_on"] = _("The workers' congress approves before the nomination.")
    if errors:
        raise ValidationError(errors)
    n.full_clean(exclude=["batch", "member", "unit"])
    if b.programme.base_required:
        held, said = findings.honour_base(member.pk, b.programme, nominated_on)
        if not held:
            raise ValidationError({"member": said})
    try:
        with transaction.atomic():
            n.save()
    except IntegrityError:
        raise ValidationError(
            {"member": _("%(m)s is already nominated in this batch.") % {"m": member.name}}
        ) from None
    events.record(NOMINATED, actor=acting_user, obj=n, data={"batch": b.pk})
    return n


def nomination_step(n: Nomination, name: str, *, acting_user, note: str = "", on=None):
    """A step of a nomination (withdrawn, vetoed, removed after an objection)."""
    return nomination_workflow.run(n, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def record_clearance(
    n: Nomination, *, department: str, result: str, acting_user, reason: str = "", on=None
) -> Clearance:
    """A department's response on a nominee; a veto ends the nomination with its reason."""
    n = Nomination.objects.select_related("batch").get(pk=n.pk)
    scope.require(acting_user, "change", n.batch)
    b = n.batch
    if b.status != B.CLEARANCE or n.status != N.NOMINATED:
        raise ValidationError(_("Departments answer on nominees while the batch is with them."))
    if department not in b.departments:
        raise ValidationError(
            {"department": _("The batch is cleared by %(d)s.") % {"d": "、".join(b.departments)}}
        )
    if result == Clearance.Result.VETOED and not (reason or "").strip():
        raise ValidationError({"reason": _("A veto gives its reason.")})
    try:
        with transaction.atomic():
            c = Clearance.objects.create(
                nomination=n,
                department=department,
                result=result,
                reason=(reason or "").strip(),
                responded_on=on or timezone.localdate(),
            )
    except IntegrityError:
        raise ValidationError(
            {"department": _("%(d)s has already answered on this nominee.") % {"d": department}}
        ) from None
    events.record(CLEARED, actor=acting_user, obj=n, data={"result": result})
    if result == Clearance.Result.VETOED:
        nomination_step(n, "veto", acting_user=acting_user, note=f"{department}：{c.reason}", on=on)
    return c


@transaction.atomic
def record_objection(
    n: Nomination, *, name: str, content: str, received_on, acting_user, phone: str = ""
) -> Objection:
    """An objection during the notice, by real name; a letter from its postmark."""
    n = Nomination.objects.select_related("batch").get(pk=n.pk)
    scope.require(acting_user, "change", n.batch)
    b = n.batch
    errors = {}
    if len((name or "").strip()) < 2:
        errors["name"] = _("An objection is taken by real name: enter the objector's full name.")
    if not (content or "").strip():
        errors["content"] = _("Enter what the objection says.")
    if errors:
        raise ValidationError(errors)
    if b.status != B.NOTICE or n.status != N.NOMINATED:
        raise ValidationError(_("Objections are taken against nominees during the notice."))
    if not b.notice_from <= received_on <= b.notice_until:
        raise ValidationError(
            {
                "received_on": _("The notice ran from %(a)s to %(b)s: this came outside it.")
                % {"a": formatting.day(b.notice_from), "b": formatting.day(b.notice_until)}
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
    """The finding on an objection; an upheld one removes the nominee."""
    o = Objection.objects.select_for_update().select_related("nomination__batch").get(pk=o.pk)
    scope.require(acting_user, "approve", o.nomination.batch)
    if o.status != Objection.Status.OPEN:
        raise ValidationError(_("This objection has been decided."))
    if not (finding or "").strip():
        raise ValidationError({"finding": _("Say what looking into the objection found.")})
    o.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    o.finding = finding.strip()
    o.decided_on = on or timezone.localdate()
    o.save(update_fields=["status", "finding", "decided_on"])
    events.record(OBJECTION_DECIDED, actor=acting_user, obj=o.nomination, data={"upheld": upheld})
    if upheld:
        nomination_step(o.nomination, "disqualify", acting_user=acting_user, note=o.finding)
    return o


# --- the register ------------------------------------------------------------------------------


@transaction.atomic
def record_honour(member_id: int, *, unit, acting_user, **fields) -> Honour:
    """A title conferred elsewhere (a city or provincial model worker, a national medal)
    entered in the register with the authority that conferred it."""
    scope.require(acting_user, "add", unit, model=Honour)
    member = _member_under(member_id, unit)
    h = Honour(member=member, unit=unit, **fields)
    if h.programme_id and not fields.get("kind"):
        h.kind = h.programme.kind
    if h.conferred_on and h.conferred_on > timezone.localdate():
        raise ValidationError({"conferred_on": _("A title is recorded once conferred.")})
    h.full_clean(exclude=["member", "unit"])
    h.save()
    events.record(HONOUR_RECORDED, actor=acting_user, obj=h, data={"level": h.level})
    return h


@transaction.atomic
def revoke_honour(h: Honour, *, reason: str, acting_user, on=None) -> Honour:
    """A title revoked with its reason (never deleted)."""
    h = Honour.objects.select_for_update().get(pk=h.pk)
    scope.require(acting_user, "change", h)
    if not (reason or "").strip():
        raise ValidationError({"revoked_reason": _("Give the reason for revoking.")})
    if h.revoked_on:
        raise ValidationError(_("The title is already revoked."))
    h.revoked_on = on or timezone.localdate()
    h.revoked_reason = reason.strip()[:300]
    h.save(update_fields=["revoked_on", "revoked_reason"])
    events.record(HONOUR_REVOKED, actor=acting_user, obj=h, data={"reason": h.revoked_reason})
    return h


# --- pioneer units, studios, named methods ------------------------------------------------------


def pioneer_step(p: PioneerUnit, name: str, *, acting_user, note: str = "", on=None):
    return pioneer_workflow.run(p, name, acting_user=acting_user, note=note, on=on)


def studio_step(s: Studio, name: str, *, acting_user, note: str = "", on=None):
    return studio_workflow.run(s, name, acting_user=acting_user, note=note, on=on)


def method_step(m: NamedMethod, name: str, *, acting_user, note: str = "", on=None):
    return method_workflow.run(m, name, acting_user=acting_user, note=note, on=on)


def method_name(inventor_name: str) -> str:
    """honours.md §6: "<first inventor's name>操作法"."""
    return f"{inventor_name}操作法"


@transaction.atomic
def propose_method(member_id: int, *, unit, acting_user, **fields) -> NamedMethod:
    scope.require(acting_user, "add", unit, model=NamedMethod)
    member = _member_under(member_id, unit, "inventor")
    m = NamedMethod(inventor=member, unit=unit, name=method_name(member.name), **fields)
    m.full_clean(exclude=["inventor", "unit"])
    m.eligibility = findings.facts(findings.method_eligibility(m, timezone.localdate()), "met")
    m.save()
    return m


@transaction.atomic
def grant_studio(s: Studio, *, kind: str, amount_fen: int, acting_user, note: str = "", on=None):
    """A line of the studio's grant ledger; a correction is a negative line, never an edit."""
    s = Studio.objects.select_for_update().get(pk=s.pk)
    scope.require(acting_user, "approve", s)
    if s.status != Studio.Status.NAMED:
        raise ValidationError(_("Grants go to named studios."))
    if amount_fen == 0 or (amount_fen < 0) != (kind == StudioGrant.Kind.CORRECTION):
        raise ValidationError(
            {"amount": _("A grant is more than nothing; only a correction is negative.")}
        )
    paid = sum(s.grants.values_list("amount_fen", flat=True))
    if paid + amount_fen < 0:
        raise ValidationError({"amount": _("A correction takes back no more than was granted.")})
    g = StudioGrant.objects.create(
        studio=s, kind=kind, amount_fen=amount_fen, on=on or timezone.localdate(), note=note
    )
    events.record(STUDIO_CHANGED, actor=acting_user, obj=s, data={"grant_fen": amount_fen})
    return g


@transaction.atomic
def reconfirm_studio(s: Studio, *, acting_user, on=None) -> Studio:
    """The periodic re-confirmation: the seven haves and the team checked again, the naming
    extended, the re-confirmation grant on the ledger."""
    from gongjia.honours import steps

    s = Studio.objects.select_for_update().get(pk=s.pk)
    scope.require(acting_user, "approve", s)
    on = on or timezone.localdate()
    if s.status != Studio.Status.NAMED:
        raise ValidationError(_("Only a named studio is re-confirmed."))
    if problem := steps.studio_incomplete(s):
        raise ValidationError(problem)
    rules = parameters.value("honours.studio", on)
    s.confirmed_until = workdays.add_months(on, 12 * rules["confirm_years"])
    s.save(update_fields=["confirmed_until"])
    if rules.get("reconfirm_yuan"):
        StudioGrant.objects.create(
            studio=s,
            kind=StudioGrant.Kind.RECONFIRMATION,
            amount_fen=money.fen(str(rules["reconfirm_yuan"])),
            on=on,
            note=_("Grant at re-confirmation"),
        )
    events.record(STUDIO_RECONFIRMED, actor=acting_user, obj=s, data={})
    return s


# --- recuperation and health-check places ------------------------------------------------------


def check_care_batch(b: CareBatch) -> None:
    """A recuperation batch keeps within the cost per day and the days of a stay."""
    if b.kind != CareBatch.Kind.RECUPERATION or not b.days or b.cost_fen is None:
        return
    limits = findings.caps(b.starts_on)
    errors = {}
    most = limits["paired_days"] if b.paired_region else limits["days"]
    if b.days > most:
        errors["days"] = _("A stay is at most %(n)s days with travel.") % {"n": most}
    if b.cost_fen > limits["per_day_yuan"] * 100 * b.days:
        errors["cost_fen"] = _("%(c)s a day is over the limit of %(m)s.") % {
            "c": formatting.money(b.cost_fen / 100 / b.days),
            "m": formatting.money(limits["per_day_yuan"]),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_care_batch(b: CareBatch, *, acting_user) -> CareBatch:
    """A batch of places, new or changed while it takes applications."""
    if b.pk:
        scope.require(acting_user, "change", CareBatch.objects.get(pk=b.pk))
        if b.status != CareBatch.Status.OPEN:
            raise ValidationError(_("The batch's places are fixed once allocated."))
    else:
        scope.require(acting_user, "add", b.organiser, model=CareBatch)
    b.full_clean()
    check_care_batch(b)
    b.save()
    return b


def care_step(b: CareBatch, name: str, *, acting_user, note: str = "", on=None):
    return care_workflow.run(b, name, acting_user=acting_user, note=note, on=on)


@transaction.atomic
def apply_for_place(
    b: CareBatch,
    member_id: int,
    *,
    acting_user,
    post_since: dt.date,
    frontline: bool = False,
    key_project: bool = False,
    channel=CareApplication.Channel.OFFICE,
    at=None,
) -> CareApplication:
    """An application for a place, while the batch takes them: by the worker in the portal or
    by their union; once per batch."""
    # The batch row is locked: an application cannot slip in while its places are allocated.
    b = CareBatch.objects.select_for_update().get(pk=b.pk)
    member = members_by_id([member_id]).get(member_id)
    if member is None:
        raise ValidationError({"member": _("There is no such member.")})
    if acting_user is not SYSTEM:
        scope.require(acting_user, "add", member.union, model=CareApplication)
    at = at or timezone.now()
    if b.status != CareBatch.Status.OPEN or timezone.localdate(at) > b.applications_until:
        raise ValidationError(
            _("“%(b)s” takes applications until %(d)s.")
            % {"b": b.name, "d": formatting.day(b.applications_until)}
        )
    if not member.union.path.startswith(b.organiser.path):
        raise ValidationError(
            {"member": _("The batch is for members under %(u)s.") % {"u": b.organiser}}
        )
    if post_since > timezone.localdate(at):
        raise ValidationError({"post_since": _("The day in the post cannot be ahead.")})
    try:
        with transaction.atomic():
            a = CareApplication.objects.create(
                batch=b,
                member=member,
                unit=member.union,
                channel=channel,
                applied_at=at,
                post_since=post_since,
                frontline=frontline,
                key_project=key_project,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(m)s has already applied for this batch.") % {"m": member.name}
        ) from None
    events.record(CARE_APPLIED, actor=acting_user, obj=a, data={"batch": b.pk})
    return a


def fill_places(b: CareBatch, *, on: dt.date) -> list[CareApplication]:
    """The allocation (honours.md §7): the eligible in order, each given a place while places
    last unless it breaks a yearly limit; the rest wait. Runs inside the batch's step."""
    limits = findings.caps(b.starts_on)
    waiting = list(b.applications.filter(status=A.APPLIED))
    order = findings.priorities(b, waiting)
    used = findings.used_in_year(b, [a.member_id for a in waiting])
    taken = b.applications.filter(status__in=(A.ALLOCATED, A.ATTENDED)).count()
    changed = []
    ranked = sorted(waiting, key=lambda a: findings.order_key(a, order[a.pk]))
    for position, a in enumerate(ranked, start=1):
        a.position = position
        why = findings.eligible(a, b, limits)
        if why:
            a.status, a.reason = A.INELIGIBLE, why
        elif capped := findings.over_caps(b, used.get(a.member_id), limits):
            a.status, a.reason = A.CAPPED, capped
        elif taken < b.capacity:
            a.status, a.reason = A.ALLOCATED, ""
            taken += 1
        else:
            a.status, a.reason = A.WAITLISTED, _("All places are taken.")
        changed.append(a)
    CareApplication.objects.bulk_update(changed, ["status", "position", "reason"])
    _use_entitlements(b, [a for a in changed if a.status == A.ALLOCATED], on)
    return changed


def _use_entitlements(b: CareBatch, placed, on):
    """A craftsman's recuperation entitlement is used by the place it brought."""
    if b.kind != CareBatch.Kind.RECUPERATION or not placed:
        return
    for e in craftsmen.recuperation_entitled([a.member_id for a in placed]):
        craftsmen_actions.use_benefit(e, used_for=b.name, acting_user=SYSTEM, on=on)


@transaction.atomic
def grant_place(a: CareApplication, *, acting_user, on=None) -> CareApplication:
    """A place given by hand to one on the waiting list (a place freed by a withdrawal): the
    batch row is locked, so two officers giving the last place at once give it once."""
    b = CareBatch.objects.select_for_update().get(pk=a.batch_id)
    a = CareApplication.objects.select_for_update().get(pk=a.pk)
    scope.require(acting_user, "allocate", b)
    if b.status != CareBatch.Status.ALLOCATED:
        raise ValidationError(_("Places are given by hand once the batch is allocated."))
    if a.status != A.WAITLISTED:
        raise ValidationError(
            _("The application is “%(s)s”: only one on the waiting list is given a place.")
            % {"s": a.get_status_display()}
        )
    taken = b.applications.filter(status__in=(A.ALLOCATED, A.ATTENDED)).count()
    if taken >= b.capacity:
        raise ValidationError(
            _("All %(n)s places of “%(b)s” are taken.") % {"n": b.capacity, "b": b.name}
        )
    limits = findings.caps(b.starts_on)
    if capped := findings.over_caps(
        b, findings.used_in_year(b, [a.member_id]).get(a.member_id), limits
    ):
        raise ValidationError(capped)
    a.status, a.reason = A.ALLOCATED, ""
    a.save(update_fields=["status", "reason"])
    _use_entitlements(b, [a], on or timezone.localdate())
    events.record(CARE_PLACED, actor=acting_user, obj=a, data={"status": a.status})
    return a


@transaction.atomic
def withdraw_application(a: CareApplication, *, acting_user, reason: str) -> CareApplication:
    a = CareApplication.objects.select_for_update().get(pk=a.pk)
    if acting_user is not SYSTEM:
        scope.require(acting_user, "change", a)
    if a.status not in (A.APPLIED, A.ALLOCATED, A.WAITLISTED):
        raise ValidationError(_("The application is “%(s)s”.") % {"s": a.get_status_display()})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the application is withdrawn.")})
    a.status, a.reason = A.WITHDRAWN, reason.strip()[:300]
    a.save(update_fields=["status", "reason"])
    events.record(CARE_PLACED, actor=acting_user, obj=a, data={"status": a.status})
    return a


@transaction.atomic
def record_attendance(a: CareApplication, *, attended: bool, acting_user) -> CareApplication:
    a = CareApplication.objects.select_for_update().select_related("batch").get(pk=a.pk)
    scope.require(acting_user, "allocate", a.batch)
    if a.status != A.ALLOCATED:
        raise ValidationError(_("Attendance is recorded for allocated places."))
    a.status = A.ATTENDED if attended else A.ABSENT
    a.save(update_fields=["status"])
    events.record(CARE_ATTENDANCE, actor=acting_user, obj=a, data={"attended": attended})
    return a


def programme_defaults(kind: str, on: dt.date) -> list[dict]:
    """The district's industrial-worker line as a programme's first rule, where one applies."""
    key = {
        Programme.Kind.MODEL_WORKER: "honours.industrial_line.model_worker",
        Programme.Kind.TECH_LEADER: "honours.industrial_line.tech_leader",
    }.get(kind)
    if key is None:
        return []
    line = parameters.value(key, on)
    return [{"category": "industrial", "op": line["op"], "pct": str(line["pct"]), "base": "all"}]
