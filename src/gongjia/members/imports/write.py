"""The member import's write: checked rows against the registry (upsert by ID number), then new
members in one COPY (or executemany), their join records in one INSERT ... SELECT, changed ones
in bulk with explicit field-change rows, and one audit entry for the file."""

import datetime as dt
import hashlib
import time
from contextlib import nullcontext
from pathlib import Path

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.members.actions import member_numbers
from gongjia.members.models import Member, MembershipChange
from gongjia.orgs.models import OrgUnit
from gongjia.platform import audit, bulkload, scope
from gongjia.platform.models import AuditEvent

from .check import WRITTEN, Checked, RowErrors

# What a re-import may change in a registered member.
UPDATABLE = (
    "name",
    "mobile",
    "join_date",
    "employer_id",
    "category",
    "skill_level",
    "education",
    "political_status",
    "highest_certificate",
)
INSERT_COLUMNS = [
    *WRITTEN,
    "id_number_bidx",
    "member_number",
    "status",
    "withdrawal_reason",
    "created_at",
    "updated_at",
]

# From this many new rows, when they are at least as many as the members already registered,
# the member tables' indexes are rebuilt after the load instead of maintained row by row.
BULK_FROM = 100_000

# After this many new rows the planner's statistics (and on PostgreSQL the visibility map) are
# refreshed at once. Until autovacuum got to it, a town-filtered member list at a million members
# took 250 ms instead of 60: planned for an empty table, visiting the heap for every row.
ANALYZE_FROM = 50_000


def existing(bidx: list[str]) -> dict[str, tuple]:
    """Members already registered, by blind index: (pk, union id, *UPDATABLE)."""
    found = {}
    table = Member._meta.db_table
    if not Member.objects.exists():
        return found  # a first load into an empty registry: nothing to look up
    columns = ", ".join(Member._meta.get_field(f).column for f in ("id", "union", *UPDATABLE))
    if connection.vendor == "postgresql":
        # One array parameter per 50,000 keys: an IN list of that size costs more to plan
        # than to run.
        size, where = 50_000, "= ANY(%s)"
    else:
        size = min(connection.features.max_query_params or 999, 20_000)
    # Raw SQL: building a million-key filter through the ORM took longer than running it.
    with connection.cursor() as cur:
        for i in range(0, len(bidx), size):
            keys = bidx[i : i + size]
            if connection.vendor != "postgresql":
                where = f"IN ({', '.join(['%s'] * len(keys))})"
            sql = f"SELECT id_number_bidx, {columns} FROM {table} WHERE id_number_bidx {where}"  # noqa: S608
            cur.execute(sql, [keys] if connection.vendor == "postgresql" else keys)
            for row in cur.fetchall():
                found[row[0]] = row[1:]
    return found


def _differences(current: tuple, row: Checked) -> dict:
    """{field: (old, new)} between a stored member (values in UPDATABLE order) and a row."""
    diff = {}
    for name, old in zip(UPDATABLE, current, strict=True):
        new = getattr(row, name)
        if name == "join_date":
            new = dt.date.fromisoformat(new)
        if old != new:
            diff[name] = (old, new)
    return diff


def sort_out(valid: list[Checked], user, id_column) -> tuple[list, list, int, list]:
    """Checked rows against the registry: (new rows, changed as (pk, row, diff), the number
    unchanged, refused as (row number, row, errors)). A person registered with another union is
    refused; the user learns which union only if they may see the member."""
    found = existing([row.bidx for row in valid])
    new_rows, changed, unchanged, elsewhere = [], [], 0, []
    for row in valid:
        current = found.get(row.bidx)
        if current is None:
            new_rows.append(row)
        elif current[1] != row.union_id:
            elsewhere.append((current[0], row))
        else:
            diff = _differences(current[2:], row)
            if diff:
                changed.append((current[0], row, diff))
            else:
                unchanged += 1
    visible = {}
    if elsewhere:  # one query for all of them
        pks = [pk for pk, _row in elsewhere]
        members = scope.restrict(Member.objects.filter(pk__in=pks), user, "view")
        visible = dict(members.values_list("pk", "union__name"))
    refused = []
    for pk, row in elsewhere:
        errors = RowErrors()
        errors.add(
            id_column,
            _("this person is already registered with %(u)s: transfer the membership instead.")
            % {"u": visible.get(pk) or _("another union in the district")},
        )
        refused.append((row.row, row, errors))
    return new_rows, changed, unchanged, refused


def _copy_rows(table_name: str, cols: list[str], rows, dates: tuple[int, ...] = ()):
    """Insert many rows; `dates`: positions of ISO date texts in each row."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            # Index maintenance of a large insert needs far more than SQLite's 2 MB page cache.
            cur.execute("PRAGMA cache_size = -262144")  # 256 MB, this connection only
        if connection.vendor == "postgresql":
            # Binary COPY: the server parses no text (half the time of a text COPY at a million
            # rows); each value goes as the column's own type, dates as dates.
            cur.execute(
                "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [table_name],
            )
            types = dict(cur.fetchall())
            fromiso = dt.date.fromisoformat
            sql = f"COPY {table_name} ({', '.join(cols)}) FROM STDIN (FORMAT BINARY)"
            with cur.cursor.copy(sql) as copy:
                copy.set_types([types[c] for c in cols])
                for r in rows:
                    if dates:
                        r = list(r)
                        for i in dates:
                            r[i] = fromiso(r[i])
                    copy.write_row(r)
        else:
            marks = ", ".join(["%s"] * len(cols))
            # Table and column names are this module's constants, never input.
            sql = f"INSERT INTO {table_name} ({', '.join(cols)}) VALUES ({marks})"  # noqa: S608
            cur.executemany(sql, rows)


def analyze():
    tables = ", ".join((Member._meta.db_table, MembershipChange._meta.db_table))
    with connection.cursor() as cur:
        if connection.vendor != "postgresql":
            cur.execute("PRAGMA analysis_limit = 1000")  # a sample, not the whole table
            cur.execute("ANALYZE")
        elif connection.in_atomic_block:  # VACUUM cannot run inside a transaction
            cur.execute(f"ANALYZE {tables}")
        else:
            cur.execute(f"VACUUM (ANALYZE) {tables}")


def write(new_rows: list[Checked], changed: list, user, path: Path, result):
    """Within the caller's transaction: the new members, the changes, the audit entry."""
    started = time.perf_counter() - result.timings["looked up"]
    now = timezone.now()
    # One range of numbers for the file (the join records are written by range), in the district
    # of its first new member's union: a file is one officer's, within one district.
    first = OrgUnit.objects.get(pk=new_rows[0].union_id) if new_rows else None
    numbers = member_numbers(len(new_rows), first) if new_rows else []
    if new_rows:
        bulk = bulkload.worth_it(Member, len(new_rows), BULK_FROM)
        with bulkload.indexes_rebuilt_after(Member, MembershipChange) if bulk else nullcontext():
            status = Member.Status.ACTIVE
            _copy_rows(
                Member._meta.db_table,
                INSERT_COLUMNS,
                (
                    (*row.written(), row.bidx, number, status, "", now, now)
                    for row, number in zip(new_rows, numbers, strict=True)
                ),
                dates=(INSERT_COLUMNS.index("birth_date"), INSERT_COLUMNS.index("join_date")),
            )
            result.timings["members copied"] = time.perf_counter() - started
            with connection.cursor() as cur:
                # The join records, in one statement (member numbers of this import are a range).
                cur.execute(
                    'INSERT INTO members_membershipchange (member_id, kind, "on", to_union_id,'
                    " note) SELECT id, 'join', join_date, union_id, '' FROM members_member"
                    " WHERE member_number >= %s AND member_number <= %s",
                    [numbers[0], numbers[-1]],
                )
            result.timings["join records"] = time.perf_counter() - started
        if bulk:
            result.timings["indexes rebuilt"] = time.perf_counter() - started
    if changed:
        _update(changed, user, now)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    audit.record(
        AuditEvent.Kind.IMPORT,
        "import_members",
        actor=user,
        data={
            "file": path.name,
            "sha256": digest,
            "rows": result.total,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "refused": result.refused,
            "member_numbers": [numbers[0], numbers[-1]] if numbers else None,
        },
    )


def _update(changed: list, user, now):
    """Changed members in bulk, each change a field-change row sealed into the audit chain."""
    members = []
    for i in range(0, len(changed), 5000):
        part = changed[i : i + 5000]
        found = Member.objects.in_bulk([pk for pk, _row, _diff in part])
        for pk, _row, diff in part:
            m = found[pk]
            for name, (_old, new) in diff.items():
                setattr(m, name, new)
            m.updated_at = now
            members.append(m)
    Member.objects.bulk_update(members, [*UPDATABLE, "updated_at"], batch_size=2000)
    ct = ContentType.objects.get_for_model(Member)
    entries = [
        LogEntry(
            content_type=ct,
            object_pk=str(m.pk),
            object_id=m.pk,
            object_repr=str(m)[:200],
            action=LogEntry.Action.UPDATE,
            changes={k: [str(a), str(b)] for k, (a, b) in diff.items()},
            actor=scope.person(user),
            timestamp=now,
        )
        for m, (_pk, _row, diff) in zip(members, changed, strict=True)
    ]
    for entry in entries:  # bulk rows skip the signal that masks personal data
        audit.mask_personal_changes(entry)
    entries = LogEntry.objects.bulk_create(entries, batch_size=2000)
    audit.seal_log_entries(entries)
