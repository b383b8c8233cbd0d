"""Loading many rows into a table at once: its secondary indexes and foreign keys are dropped
for the load and rebuilt after it, in the same transaction (PostgreSQL's manual, "Populating a
Database"). One sort per index and one join per foreign key cost far less than a million
index insertions and a million deferred foreign-key checks at commit.

The tables are locked for the duration (readers wait on PostgreSQL; SQLite locks the whole
database for any write anyway). A uniqueness or reference that the loaded rows break fails the
rebuild, which rolls the load back with it: the constraints guard the data exactly as before.
The primary key stays, so references to the tables from elsewhere stay too.
"""

from contextlib import contextmanager

from django.db import connection


def worth_it(model, new_rows: int, minimum: int) -> bool:
    """Rebuilding pays when many rows come in and they are not few beside those already there."""
    if new_rows < minimum:
        return False
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {model._meta.db_table}")  # noqa: S608 (a model's table)
        return new_rows >= cur.fetchone()[0]


@contextmanager
def indexes_rebuilt_after(*models):
    """Inside an atomic block: drop the tables' secondary indexes, unique constraints and
    foreign keys; on leaving, create them again under their own names."""
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_rebuilt_after needs a transaction to roll back to")
    tables = [m._meta.db_table for m in models]
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            restore = _drop_postgresql(cur, tables)
        yield
        with connection.cursor() as cur:
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for sql in restore:
                cur.execute(sql)
            cur.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are deferred
    elif connection.vendor == "sqlite":
        with connection.cursor() as cur:
            restore = _drop_sqlite(cur, tables)
        yield
        with connection.cursor() as cur:
            for sql in restore:
                cur.execute(sql)
            # Foreign keys stay in place on SQLite: its deferred checks are a counter, cheap.
    else:  # pragma: no cover - the two supported databases are above
        yield


def _drop_postgresql(cur, tables) -> list[str]:
    qn = connection.ops.quote_name
    # Pending deferred checks would forbid the ALTER TABLEs below: run them now.
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cur.execute(f"LOCK TABLE {', '.join(map(qn, tables))} IN ACCESS EXCLUSIVE MODE")
    # Unique constraints and foreign keys of these tables, except a unique constraint that a
    # foreign key elsewhere points at (it cannot go without that key).
    cur.execute(
        """
        SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid), k.contype
        FROM pg_constraint k
        WHERE k.conrelid = ANY(%s::regclass[]) AND k.contype IN ('f', 'u')
          AND NOT (k.contype = 'u' AND EXISTS (
              SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid))
        """,
        [tables],
    )
    constraints = cur.fetchall()
    # Indexes that back no constraint (the primary key's and the kept ones stay).
    cur.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                                                          AND k.conrelid = i.indrelid)
        """,
        [tables],
    )
    indexes = cur.fetchall()
    for table, name, _definition, _kind in sorted(constraints, key=lambda c: c[3] != "f"):
        cur.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
    for name, _definition in indexes:
        cur.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes] + [
        f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
        # Unique constraints before the foreign keys.
        for table, name, definition, kind in sorted(constraints, key=lambda c: c[3] == "f")
    ]


def _drop_sqlite(cur, tables) -> list[str]:
    marks = ", ".join(["%s"] * len(tables))
    # Indexes declared apart from the table (sql is NULL for those inside CREATE TABLE).
    cur.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608
        f" AND tbl_name IN ({marks})",
        tables,
    )
    indexes = cur.fetchall()
    for name, _sql in indexes:
        cur.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [sql for _name, sql in indexes]
