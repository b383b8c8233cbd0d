"""Writing and verifying the audit chain.

Every audit write goes through `record()` / `record_many()`; field-level changes captured by
django-auditlog are sealed into the chain by a post_save hook on its LogEntry. Appends are
serialised (an advisory lock on PostgreSQL, SQLite's single writer) so the chain stays linear.
"""

import contextvars
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from gongjia.platform import pii
from gongjia.platform.models import AuditEvent

# The request's client address, set by RequestContextMiddleware for audit rows.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("ip", default=None)

_LOCK_KEY = 0x6A6F6E676A6961  # arbitrary constant naming the audit-chain advisory lock


def mask_value(value) -> str:
    """Field changes of protected personal data are logged as changed, never with values."""
    return "******"


def _canonical(e: AuditEvent) -> bytes:
    body = {
        "t": e.created_at.isoformat(),
        "k": e.kind,
        "a": e.action,
        "s": e.success,
        "u": e.actor_id,
        "un": e.actor_name,
        "ct": e.content_type_id,
        "o": e.object_id,
        "or": e.object_repr,
        "ip": e.ip,
        "d": e.data,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()


def _audit_key() -> bytes:
    """The chain's key lives outside the database (GONGJIA_AUDIT_KEY, or var/audit_key made at
    first use): whoever can write the database cannot compute the hashes of the entries they
    would forge, nor re-hash the chain after a deletion."""
    from django.conf import settings

    return settings.AUDIT_KEY


def _hash(prev: str, e: AuditEvent) -> str:
    return hmac.new(_audit_key(), prev.encode() + b"|" + _canonical(e), hashlib.sha256).hexdigest()


def _legacy_hash(prev: str, e: AuditEvent) -> str:
    """Entries written before the chain was keyed (accepted only before the first keyed one)."""
    return hashlib.sha256(prev.encode() + b"|" + _canonical(e)).hexdigest()


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _last_hash() -> str:
    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""


@dataclass
class Entry:
    kind: str
    action: str
    actor: object = None
    obj: object = None
    data: dict | None = None
    success: bool = True
    ip: str | None = None
    actor_name: str = ""
    target: tuple | None = None  # (content_type_id, object_id, repr) when no instance is at hand


def _build(entry: Entry, now) -> AuditEvent:
    actor = entry.actor if getattr(entry.actor, "pk", None) else None
    obj = entry.obj
    e = AuditEvent(
        created_at=now,
        kind=entry.kind,
        action=entry.action,
        success=entry.success,
        actor=actor,
        actor_name=entry.actor_name or (actor.get_username() if actor else ""),
        ip=entry.ip if entry.ip is not None else current_ip.get(),
        data=json.loads(json.dumps(entry.data or {}, default=str)),
    )
    if obj is not None:
        e.content_type = ContentType.objects.get_for_model(obj)
        e.object_id = str(obj.pk)
        e.object_repr = str(obj)[:200]
    elif entry.target:
        e.content_type_id, e.object_id, e.object_repr = entry.target
        e.object_id, e.object_repr = str(e.object_id), str(e.object_repr)[:200]
    return e


def record_many(entries: list[Entry]) -> list[AuditEvent]:
    """Append entries to the chain in one transaction (bulk paths call this once per batch)."""
    now = timezone.now()
    rows = [_build(en, now) for en in entries]
    with transaction.atomic():
        _lock_chain()
        prev = _last_hash()
        for e in rows:
            e.prev_hash = prev
            e.hash = prev = _hash(prev, e)
        AuditEvent.objects.bulk_create(rows)
    return rows


def record(
    kind: str,
    action: str,
    *,
    actor=None,
    obj=None,
    data=None,
    success=True,
    ip=None,
    actor_name: str = "",
) -> AuditEvent:
    return record_many([Entry(kind, action, actor, obj, data, success, ip, actor_name)])[0]


# --- sealing django-auditlog's field changes ----------------------------------------------------


def log_entry_digest(le: LogEntry) -> str:
    changes = json.loads(le.changes) if isinstance(le.changes, str) else le.changes
    body = {
        "ct": le.content_type_id,
        "pk": str(le.object_pk),
        "r": le.object_repr,
        "a": le.action,
        "c": changes,
        "u": le.actor_id,
        "t": le.timestamp.isoformat() if le.timestamp else None,
    }
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def seal_log_entries(entries: list[LogEntry]) -> None:
    record_many(
        [
            Entry(
                kind=AuditEvent.Kind.CHANGE,
                action=("create", "update", "delete", "access")[le.action]
                if le.action < 4
                else str(le.action),
                actor=le.actor,
                data={"log_entry": le.pk, "digest": log_entry_digest(le)},
                ip=le.remote_addr,
                target=(le.content_type_id, le.object_pk, le.object_repr),
            )
            for le in entries
        ]
    )


def _on_log_entry(sender, instance, created, **kwargs):
    if created:
        seal_log_entries([instance])


def track(model, *, exclude_fields=(), mask_fields=()):
    """Register `model` for field-change rows (django-auditlog) with every personal field of it
    masked (`pii.personal_fields`) unless left out altogether: the registration itself says
    what is masked, and a new personal field is masked without anyone remembering to."""
    from auditlog.registry import auditlog

    personal = [f.name for f in pii.personal_fields(model) if f.name not in exclude_fields]
    auditlog.register(
        model,
        exclude_fields=list(exclude_fields),
        mask_fields=sorted({*mask_fields, *personal}),
    )


def mask_personal_changes(entry: LogEntry) -> None:
    """Field changes keep no personal data in clear, whatever the model's registration says:
    a phone number shows as 138****5678 before and after, an ID number or a note masked."""

    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None or not entry.changes:
        return
    changes = json.loads(entry.changes) if isinstance(entry.changes, str) else entry.changes
    fields = {f.name: f for f in pii.personal_fields(model)}
    touched = False
    for name, pair in changes.items():
        field = fields.get(name)
        if field is None or not isinstance(pair, (list, tuple)):
            continue
        changes[name] = [
            v if v in (None, "None", "") else pii.mask_value_of(field, str(v)) for v in pair
        ]
        touched = True
    if touched:
        entry.changes = changes
        entry.changes_text = ""


def _before_log_entry(sender, instance, **kwargs):
    if instance.pk is None:
        mask_personal_changes(instance)


def connect_signals():
    pre_save.connect(_before_log_entry, sender=LogEntry, dispatch_uid="gongjia-mask-log-entry")
    post_save.connect(_on_log_entry, sender=LogEntry, dispatch_uid="gongjia-seal-log-entry")


# --- verification -------------------------------------------------------------------------------


@dataclass
class Broken:
    entry_id: int
    reason: str


def verify(batch: int = 5000) -> tuple[int, Broken | None]:
    """Walk the chain in order; return (entries checked, first broken entry or None). Then hold
    the chain against its latest anchor outside the database: a chain that lost its last
    entries, or was re-hashed after a deletion, no longer reaches the anchored head."""
    checked, broken = _verify_links(batch)
    if broken is None:
        broken = _verify_anchor()
    return checked, broken


def _verify_links(batch: int) -> tuple[int, Broken | None]:
    checked, prev, first, keyed = 0, None, True, False
    last_id = 0
    purge_anchors = set(
        AuditEvent.objects.filter(action="audit_purged").values_list("data__anchor", flat=True)
    )
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return checked, None
        le_ids = [r.data.get("log_entry") for r in rows if r.kind == AuditEvent.Kind.CHANGE]
        logs = LogEntry.objects.in_bulk([i for i in le_ids if i])
        for e in rows:
            if first:
                if e.prev_hash and e.prev_hash not in purge_anchors:
                    return checked, Broken(e.id, "the chain does not start at its origin")
                prev, first = e.prev_hash, False
            if e.prev_hash != prev:
                return checked, Broken(e.id, "the previous entry is missing or was altered")
            if _hash(prev, e) == e.hash:
                keyed = True
            elif keyed or _legacy_hash(prev, e) != e.hash:
                return checked, Broken(e.id, "the entry was altered")
            if e.kind == AuditEvent.Kind.CHANGE:
                le = logs.get(e.data.get("log_entry"))
                if le is None:
                    return checked, Broken(e.id, "its field-change row was deleted")
                if log_entry_digest(le) != e.data.get("digest"):
                    return checked, Broken(e.id, "its field-change row was altered")
            prev = e.hash
            checked += 1
            last_id = e.id


# --- anchors outside the database ---------------------------------------------------------------

anchor_log = logging.getLogger("gongjia.audit")


def anchor_path():
    from django.conf import settings

    return Path(settings.AUDIT_ANCHOR_FILE)


def _anchor_mac(body: dict) -> str:
    data = json.dumps(body, sort_keys=True).encode()
    return hmac.new(_audit_key(), b"anchor|" + data, hashlib.sha256).hexdigest()


def write_anchor() -> dict | None:
    """Record the chain's head (last id and hash, number of entries) in a file under var/ and
    in the log; `verify()` holds the chain against the latest one."""
    head = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    if head is None:
        return None
    body = {
        "at": timezone.now().isoformat(),
        "last_id": head["id"],
        "last_hash": head["hash"],
        "count": AuditEvent.objects.filter(id__lte=head["id"]).count(),
    }
    line = {**body, "mac": _anchor_mac(body)}
    path = anchor_path()
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line, sort_keys=True) + "\n")
    anchor_log.info("audit anchor %s", json.dumps(line, sort_keys=True))
    return line


def latest_anchor() -> dict | None:
    path = anchor_path()
    if not path.exists():
        return None
    last = None
    with path.open(encoding="utf-8") as f:
        for raw in f:
            if raw.strip():
                last = raw
    return json.loads(last) if last else None


def _verify_anchor() -> Broken | None:
    anchor = latest_anchor()
    if anchor is None:
        return None
    body = {k: anchor[k] for k in ("at", "last_id", "last_hash", "count")}
    if not hmac.compare_digest(_anchor_mac(body), anchor.get("mac", "")):
        return Broken(anchor["last_id"], "the anchor file was altered")
    head = AuditEvent.objects.filter(id=anchor["last_id"]).values_list("hash", flat=True).first()
    if head is None:
        return Broken(anchor["last_id"], f"entries anchored on {anchor['at']} are missing")
    if head != anchor["last_hash"]:
        return Broken(anchor["last_id"], "the chain was rewritten after its anchor")
    purged_since = sum(
        d.get("entries", 0)
        for d in AuditEvent.objects.filter(
            action="audit_purged", id__gt=anchor["last_id"]
        ).values_list("data", flat=True)
    )
    count = AuditEvent.objects.filter(id__lte=anchor["last_id"]).count()
    if count + purged_since != anchor["count"]:
        return Broken(anchor["last_id"], "entries before the anchor are missing")
    return None
