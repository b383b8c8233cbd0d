"""Typed events of the records' timelines.

Each app declares its event types in its own `events` module, one constant each:

    CASE_OPENED = events.declare("open_case", _("Case opened"), status=True, public=True)

and records them with `events.record(CASE_OPENED, actor=..., obj=case, data={...})`. A type that
sets a record's status is written as a status change (`transition`, like the steps of a
workflow); any other as a record event. `public` types are the ones the worker sees in the
portal timeline of their own record, beside its status changes; the rest (internal notes,
limitation events, feedback between agencies) stay in the back office.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gongjia.platform import audit
from gongjia.platform.models import AuditEvent


@dataclass(frozen=True)
class EventType:
    key: str  # the audit entry's action; stable
    label: str
    status: bool = False
    public: bool = False

    @property
    def kind(self) -> str:
        return AuditEvent.Kind.TRANSITION if self.status else AuditEvent.Kind.RECORD


_types: dict[str, EventType] = {}


def declare(key: str, label, *, status: bool = False, public: bool = False) -> EventType:
    if key in _types:
        raise ValueError(f"event type {key} declared twice")
    _types[key] = EventType(key, label, status, public)
    return _types[key]


def types() -> dict[str, EventType]:
    return dict(_types)


def record(event: EventType, *, actor, obj, data: dict | None = None) -> AuditEvent:
    return audit.record(event.kind, event.key, actor=actor, obj=obj, data=data)


# What the platform itself writes into a record's timeline (field changes are sealed by action).
_PLATFORM = {
    (AuditEvent.Kind.CHANGE, "create"): _("Record created"),
    (AuditEvent.Kind.CHANGE, "update"): _("Fields changed"),
    (AuditEvent.Kind.CHANGE, "delete"): _("Record deleted"),
    (AuditEvent.Kind.SYSTEM, "consent_given"): _("Consent recorded"),
    (AuditEvent.Kind.SYSTEM, "unit_created"): _("Unit created"),
}


# What the platform and its accounts write into the audit chain, by action.
ACTIONS = {
    "login": _("Signed in"),
    "login_failed": _("Sign-in refused"),
    "logout": _("Signed out"),
    "password_changed": _("Password changed"),
    "password_reset": _("Password reset by an administrator"),
    "second_factor_enrolled": _("Second factor enrolled"),
    "token_issued": _("API token issued"),
    "user_created": _("Account created"),
    "user_disabled": _("Account disabled"),
    "user_enabled": _("Account enabled again"),
    "role_granted": _("Role granted"),
    "role_revoked": _("Role revoked"),
    "identity_declared": _("Name and ID number declared"),
    "reveal": _("Personal data shown in full"),
    "access": _("Personal data opened"),
    "export": _("List exported"),
    "export_members": _("Members exported"),
    "export_payment_batch": _("Bank file of a payment batch exported"),
    "import_members": _("Members imported"),
    "print": _("Document printed"),
    "attachment_added": _("File attached"),
    "audit_purged": _("Old audit entries purged"),
    "calendar_year_entered": _("Official calendar year entered"),
    "consent_withdrawn": _("Consent withdrawn"),
    "demo_district_scale": _("Demo district built"),
    "demo_members": _("Demo district built"),
    "demo_rights": _("Demo district built"),
}


def label(entry: AuditEvent) -> str:
    """What an entry of a timeline says, in words: the declared label of its type."""
    t = _types.get(entry.action)
    if t is not None:
        return str(t.label)
    found = _PLATFORM.get((entry.kind, entry.action)) or ACTIONS.get(entry.action)
    # A workflow's step is named by its workflow (admin_base.entry_label); without it, the kind
    # of entry in words rather than the step's key.
    return str(found or entry.get_kind_display())


def public(entries) -> list[AuditEvent]:
    """The entries of a timeline the worker sees: the steps of the record's workflow and the
    event types declared public."""
    out = []
    for e in entries:
        t = _types.get(e.action)
        if t.public if t is not None else e.kind == AuditEvent.Kind.TRANSITION:
            out.append(e)
    return out
