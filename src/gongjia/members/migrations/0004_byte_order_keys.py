"""On PostgreSQL the blind index and the member number compare byte by byte ("C" collation).

Both are machine keys (hex digests, numbers), never sorted for people, so a linguistic
collation only slows every comparison: building the unique index of a million blind indexes
takes about half the time in byte order. SQLite compares bytes already (BINARY). The model
fields do not declare it because SQLite has no collation named "C"; a later migration that
alters these columns should keep it.
"""

from django.db import migrations

COLUMNS = (("id_number_bidx", "varchar(64)"), ("member_number", "varchar(24)"))


def byte_order(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, kind in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE members_member ALTER COLUMN {column} TYPE {kind} COLLATE "C"'
        )


def default_order(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, kind in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE members_member ALTER COLUMN {column} TYPE {kind} COLLATE "default"'
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0003_yearly_count_indexes")]

    operations = [migrations.RunPython(byte_order, default_order)]
