"""A small declarative state machine.

A model declares `workflow = Workflow(states=..., transitions=[...])` in its app's
`workflows.py`; an action calls `workflow.run(obj, "name", acting_user=..., note=..., on=...)`,
which locks the row, checks the source state, the permission and scope of the acting user,
the required fields, the guard and the step's own `check` (which sees the actor and the date),
lets `prepare` set what the step writes, changes the status, writes the timeline event and runs
`after` (clocks, edges, grades), all in one transaction. Nothing else writes a status. A step
function of an app is then one call; its rules are data on the transition.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.platform import audit, records, scope
from gongjia.platform.models import AuditEvent


@dataclass
class Step:
    """A step being taken: the locked row, who takes it, on which day, with which note, the
    fields it writes (`values`) and what else it was given (`inputs`, e.g. an agency)."""

    obj: Any
    actor: Any
    on: dt.date
    note: str
    values: dict
    inputs: dict
    transition: "Transition"


@dataclass(frozen=True)
class Transition:
    name: str
    source: tuple[str, ...]
    target: str
    label: str
    permission: str = "change"
    required: tuple[str, ...] = ()
    note_required: bool = False
    guard: Callable | None = None  # guard(obj) -> the message why it is blocked, or None
    style: str = "primary"
    check: Callable[[Step], str | None] | None = None  # a rule of the actor or the date
    prepare: Callable[[Step], None] | None = None  # sets step.values before the status moves
    after: Callable[[Step], None] | None = None  # what follows, in the same transaction
    inputs: tuple[str, ...] = ()  # what the step may be given beyond the record's fields
    clock: str = ""  # the clock the step starts (or restarts); others stop the running one
    clock_from: str = ""  # the field whose date the clock runs from (else the step's day)
    # The record tool that removes what the guard refuses (a key the back office maps to the
    # form that does it: e.g. recording the signed authorisation before the home visit).
    unblock: str = ""
    # Separation of duties: steps of this record whose taker may not take this one (the base
    # union's check and the higher union's confirmation are two people's).
    not_by: tuple[str, ...] = ()


@dataclass
class Workflow:
    states: type
    transitions: list[Transition]
    field: str = "status"
    # What every step of this workflow prepares and does besides its own (e.g. a case's clock).
    prepare_each: Callable[[Step], None] | None = None
    after_each: Callable[[Step], None] | None = None
    _by_name: dict = dataclasses.field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        valid = {s for s in self.states.values}
        for t in self.transitions:
            unknown = ({t.target} | set(t.source)) - valid
            if unknown:
                raise ValueError(f"transition {t.name} names unknown states {unknown}")
            self._by_name[t.name] = t

    def find(self, name: str) -> Transition | None:
        """The step called `name`, or None (an entry of another kind in a record's timeline)."""
        return self._by_name.get(name)

    def get(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise ValidationError(
                _("There is no step called %(name)s."),
                code="unknown_transition",
                params={"name": name},
            ) from None

    def blockers(self, obj, t: Transition, user=None, fields: bool = True) -> list[str]:
        """Why `t` cannot be taken on `obj` as it stands, in words that name what is missing:
        the guard's reason, each required field not on record by its label (unless `fields` is
        false: the API takes them with the step), the role of someone else where `user` took a
        step that excludes this one, and the step's own check for `user` today. Empty when
        nothing stands in the way."""
        out = []
        if t.guard and (message := t.guard(obj)):
            out.append(str(message))
        if user is not None and (message := self._separation(obj, t, user)):
            out.append(str(message))
        if user is not None and t.check:
            # The step's own rule of the actor or the day, as if taken today (the four eyes of
            # a relief approval, a notice still running): only reads, never writes.
            step = Step(obj, user, timezone.localdate(), "", {}, {}, t)
            if message := t.check(step):
                out.append(str(message))
        if fields:
            out += [str(m) for m in self.missing(obj, t).values()]
        return out

    def _separation(self, obj, t: Transition, actor) -> str | None:
        """The refusal when `actor` took one of the steps `t` must not follow from them."""
        if not t.not_by or scope.person(actor) is None:
            return None
        from django.contrib.contenttypes.models import ContentType

        taken = (
            AuditEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                kind=AuditEvent.Kind.TRANSITION,
                action__in=t.not_by,
                actor=actor,
            )
            .values_list("action", flat=True)
            .first()
        )
        if taken is None:
            return None
        return _(
            "“%(step)s” is for someone other than the person who took “%(other)s” on this "
            "record: ask a colleague."
        ) % {"step": t.label, "other": self.get(taken).label}

    def missing(self, obj, t: Transition, values: dict | None = None) -> dict:
        """{field: message naming it} for each field `t` requires that is neither given in
        `values` nor on record."""
        values = values or {}
        return {
            f: required_message(obj, f)
            for f in t.required
            if _empty(values.get(f)) and _empty(getattr(obj, f))
        }

    def explained(self, obj, user, fields: bool = True) -> list[tuple[Transition, list[str]]]:
        """Every step from the record's state that `user` may take, each with its blockers
        (none: it can be taken now). Steps of another role are left out, not explained."""
        state = getattr(obj, self.field)
        return [
            (t, self.blockers(obj, t, user, fields))
            for t in self.transitions
            if state in t.source and scope.can(user, t.permission, obj)
        ]

    def ahead(self, obj) -> list[tuple[Transition, list[str]]]:
        """What the record waits for, for the person it concerns (a worker in the portal): the
        steps forward from its state, each with what its guard still needs (a signed
        authorisation, say). Steps that end or refuse the record are left out."""
        state = getattr(obj, self.field)
        return [
            (t, [str(m)] if t.guard and (m := t.guard(obj)) else [])
            for t in self.transitions
            if state in t.source and t.style != "danger"
        ]

    def run(
        self,
        obj,
        name: str,
        *,
        acting_user,
        note: str = "",
        on: dt.date | None = None,
        values: dict | None = None,
        **inputs,
    ):
        """Take the step `name` with its declared check, preparation and consequences."""
        t = self.get(name)
        unknown = set(inputs) - set(t.inputs)
        if unknown:
            raise ValidationError({k: _("This field cannot be set by this step.") for k in unknown})
        with transaction.atomic():
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            self._check_state(locked, t)
            self._check_actor(locked, t, acting_user)
            self._check_given(locked, t, values or {}, note)
            step = Step(
                locked, acting_user, on or timezone.localdate(), note, dict(values or {}), inputs, t
            )
            if message := self._separation(locked, t, acting_user):
                raise ValidationError(message, code="separation")
            if t.check and (message := t.check(step)):
                raise ValidationError(message, code="check")
            for hook in (self.prepare_each, t.prepare):
                if hook:
                    hook(step)
            self._move(locked, t, acting_user=acting_user, note=step.note, values=step.values)
            for hook in (self.after_each, t.after):
                if hook:
                    hook(step)
        records.adopt(obj, locked)
        return obj

    def _check_actor(self, obj, t: Transition, actor) -> None:
        if scope.person(actor) is not None and not scope.can(actor, t.permission, obj):
            raise PermissionDenied(_("You may not perform this step on this record."))

    def _check_given(self, obj, t: Transition, values: dict, note: str) -> None:
        """The fields the step requires (given now or on record) and its reason, if required."""
        errors = self.missing(obj, t, values)
        if t.note_required and not note.strip():
            errors["note"] = _("Please give a reason for this step.")
        if errors:
            raise ValidationError(errors)

    def _check_state(self, obj, t: Transition) -> None:
        state = getattr(obj, self.field)
        if state not in t.source:
            raise ValidationError(
                _("“%(step)s” is not possible while the record is “%(state)s”."),
                code="wrong_state",
                params={"step": t.label, "state": self.states(state).label},
            )

    def perform(self, obj, name: str, *, acting_user, note: str = "", values: dict | None = None):
        t = self.get(name)
        values = values or {}
        model = type(obj)
        with transaction.atomic():
            locked = model._default_manager.select_for_update().get(pk=obj.pk)
            self._check_state(locked, t)
            self._check_actor(locked, t, acting_user)
            self._check_given(locked, t, values, note)
            self._move(locked, t, acting_user=acting_user, note=note, values=values)
        for f in [self.field, *values]:
            setattr(obj, f, getattr(locked, f))
        return obj

    def _move(self, locked, t: Transition, *, acting_user, note: str, values: dict) -> None:
        """The status change itself, on a row locked and checked: the step's data with the
        record's rules, the guard, the save and the timeline event."""
        model = type(locked)
        state = getattr(locked, self.field)
        for k, v in values.items():
            setattr(locked, k, v)
        if t.guard and (message := t.guard(locked)):
            raise ValidationError(message, code="guard")
        setattr(locked, self.field, t.target)
        untouched = [
            f.name for f in model._meta.fields if f.name != self.field and f.name not in values
        ]
        if values:
            locked.full_clean(exclude=untouched)  # the step's data, with the record's rules
        else:
            # A step that only moves the status does not judge the record's other data
            # again: a legacy value that today's rules refuse never blocks closing it.
            locked.clean_fields(exclude=untouched)
        locked.save(update_fields=[self.field, *values])
        audit.record(
            AuditEvent.Kind.TRANSITION,
            t.name,
            actor=acting_user,
            obj=locked,
            data={
                "from": state,
                "to": t.target,
                "note": note,
                **({"values": values} if values else {}),
            },
        )


def _empty(value) -> bool:
    return value is None or value == ""


def required_message(obj, field: str) -> str:
    """The refusal of a step for a field it needs, naming the field."""
    label = type(obj)._meta.get_field(field).verbose_name
    return _("Fill in “%(field)s” first: this step needs it.") % {"field": label}


def timeline(obj, limit: int = 200):
    """The record's timeline: its status changes and sealed field changes, newest first."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(obj)
    return (
        AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-id")[:limit]
    )
