"""Figures remembered until a write changes what they were computed from.

A figure at district scale is a scan of a million rows, and the cockpit shows dozens of them
to everyone who opens a page. A figure computed through `remembered()` is kept in the process
with the tables its queries read and those tables' versions. Every write to a table through
Django's connection (INSERT, UPDATE, DELETE, TRUNCATE, in any process: the server, the task
worker, a command) bumps the table's version in `platform_tableversion` when its transaction
commits. A figure is served from memory only while every table it read is at the version it
was computed at: it is exact after any write by construction, and no figure has to declare
what it depends on.

Two cases the version cannot see yet are handled apart:
- within a transaction that has written a table (a request that writes and then reads, a
  test), figures over that table are computed afresh: the bump comes only at commit;
- the day: a figure may count what is overdue today, so the date is part of what is kept.

Versions start at a random number, so a table emptied and written again (a database flushed
under a long-running process) never comes back to a version a kept figure remembers.
"""

import contextlib
import hashlib
import re
import secrets
import threading
from collections import OrderedDict

from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone, translation

VERSION_TABLE = "platform_tableversion"
# Tables whose writes bump nothing: they say nothing a figure counts (who is signed in, the
# worker's pulse, queued tasks). A figure that reads one is simply not kept.
UNWATCHED = frozenset(
    {VERSION_TABLE, "django_session", "platform_heartbeat", "django_tasks_database_dbtaskresult"}
)
LIMIT = 20_000  # figures kept per process; the least recently used go first

_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I
)
_TRUNCATE = re.compile(r"\s*TRUNCATE\b", re.I)
_NAME = re.compile(r'"(\w+)"')

_kept: OrderedDict = OrderedDict()
_running: dict[tuple, threading.Event] = {}  # figures being computed, by their key
_lock = threading.Lock()
_local = threading.local()
_tables: frozenset | None = None


def _all_tables() -> frozenset:
    global _tables
    if _tables is None:
        from django.apps import apps

        _tables = frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))
    return _tables


# --- watching the connection -------------------------------------------------------------------


def watch(sender=None, connection=None, **kwargs):
    """Install the watcher on a new database connection (the `connection_created` signal)."""
    if _wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_wrapper)


def _wrapper(execute, sql, params, many, context):
    computing = getattr(_local, "computing", None)
    if computing:
        names = set(_NAME.findall(sql)) & _all_tables()
        names.discard(VERSION_TABLE)
        for found in computing:
            found |= names
    result = execute(sql, params, many, context)
    written = _written_tables(sql)
    if written:
        _note_write(context["connection"], written)
    return result


def _written_tables(sql: str) -> set[str]:
    m = _WRITE.match(sql)
    if m:
        names = {m.group(1)}
    elif _TRUNCATE.match(sql):
        names = set(_NAME.findall(sql))
    else:
        return set()
    return (names & _all_tables()) - UNWATCHED


def _note_write(connection, tables: set[str]) -> None:
    pending = connection.__dict__.setdefault("_gongjia_pending", set())
    dirty = connection.__dict__.setdefault("_gongjia_dirty", set())
    pending |= tables
    if connection.in_atomic_block:
        dirty |= tables
    # Registered for every write (a no-op once flushed): a callback registered inside a
    # savepoint that rolls back is dropped, and a later write must bring its own.
    # With autocommit turned off by hand no callback can be registered: the next write that
    # can register one flushes these too.
    with contextlib.suppress(TransactionManagementError):
        transaction.on_commit(lambda: _flush(connection), using=connection.alias)


def _flush(connection) -> None:
    pending = connection.__dict__.get("_gongjia_pending")
    if not pending:
        return
    tables = sorted(pending)  # one order for every writer: no two bumps wait on each other
    pending.clear()
    connection.__dict__.get("_gongjia_dirty", set()).clear()
    if not _migrated(connection):
        return  # the migrations writing before the versions' table exists: nothing is kept yet
    rows = ", ".join(["(%s, %s)"] * len(tables))
    params = []
    for t in tables:
        params += [t, secrets.randbits(62)]
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {VERSION_TABLE} (name, version) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT (name) DO UPDATE SET version = {VERSION_TABLE}.version + 1",
            params,
        )


_present: set[str] = set()


def _migrated(connection) -> bool:
    if connection.alias not in _present:
        if VERSION_TABLE not in connection.introspection.table_names():
            return False
        _present.add(connection.alias)
    return True


def _dirty() -> set[str]:
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the proxy of it
    dirty = connection.__dict__.get("_gongjia_dirty", set())
    if dirty and not connection.in_atomic_block:
        dirty.clear()  # the transaction that wrote them has ended (a rollback leaves them here)
    return dirty


# --- remembering figures ----------------------------------------------------------------------


def _versions() -> dict[str, int]:
    snap = getattr(_local, "versions", None)
    if snap is not None:
        return snap
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT name, version FROM {VERSION_TABLE}")  # noqa: S608
        return dict(cur.fetchall())


@contextlib.contextmanager
def reading():
    """Figures read together (a page, an API answer) share one look at the versions."""
    if getattr(_local, "versions", None) is not None:
        yield
        return
    _local.versions = _versions()
    try:
        yield
    finally:
        _local.versions = None


def signature(user) -> str:
    """What a figure over a user's scope depends on of the user: their roles where they hold
    them (two officers of one union share their figures), the unit a view is narrowed to."""
    from gongjia.platform import scope

    if user is scope.SYSTEM:
        return "system"
    if isinstance(user, scope.Narrowed):
        return f"{signature(user._user)}@{user._path}"
    if not (user and user.is_authenticated and user.is_active):
        return "nobody"
    roles = sorted((ra.role, ra.unit.path) for ra in user.role_assignments())
    text = repr((bool(user.is_superuser), roles))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _fresh(full: tuple, versions: dict):
    """The kept value of `full` if every table it read is at its version, else None (a tuple
    of one, so a kept None is told apart from nothing kept)."""
    with _lock:
        kept = _kept.get(full)
        if kept is not None:
            _kept.move_to_end(full)
    if kept is None:
        return None
    value, deps = kept
    dirty = _dirty()
    if not all(versions.get(t) == v for t, v in deps) or any(t in dirty for t, _v in deps):
        return None
    # Served within another figure's computation: that one depends on these tables too.
    for outer in getattr(_local, "computing", None) or ():
        outer.update(t for t, _v in deps)
    return (value,)


def remembered(key: tuple, compute):
    """`compute()`, or what it gave last time if no table it read has been written since.
    What is kept may hold labels: the language is part of the key, as the day is. Of several
    requests for the same figure at once, one computes it and the others wait for its answer
    (twenty people opening the cockpit right after an entry cost one computation, not twenty)."""
    full = (*key, timezone.localdate().toordinal(), translation.get_language())
    versions = _versions()
    if (hit := _fresh(full, versions)) is not None:
        return hit[0]
    with _lock:
        running = _running.get(full)
        if running is None:
            running = _running[full] = threading.Event()
            leading = True
        else:
            leading = False
    if not leading:
        running.wait(timeout=120)
        if (hit := _fresh(full, versions)) is not None:
            return hit[0]
        return _compute(full, versions, compute)  # not kept (a newer write, a dirty table)
    try:
        return _compute(full, versions, compute)
    finally:
        with _lock:
            _running.pop(full, None)
        running.set()


def _compute(full: tuple, versions: dict, compute):
    found: set = set()
    computing = getattr(_local, "computing", None)
    if computing is None:
        computing = _local.computing = []
    computing.append(found)  # a figure computed within another adds its tables to both
    try:
        value = compute()
    finally:
        computing.pop()
    if found & UNWATCHED or found & _dirty():
        return value
    with _lock:
        _kept[full] = (value, tuple((t, versions.get(t)) for t in sorted(found)))
        while len(_kept) > LIMIT:
            _kept.popitem(last=False)
    return value


def forget() -> None:
    """Drop every kept figure (tests that change parameters under the figures)."""
    with _lock:
        _kept.clear()
