import sqlite3
import threading
import time

import pytest
from django.db import OperationalError, connection

from gongjia.accounts.models import LoginFailure
from gongjia.platform.batches import in_batches

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the embedded database's single writer"
)


def _another_writer_holds_the_lock(seconds: float) -> threading.Event:
    """Another process's write transaction, held for a moment."""
    held = threading.Event()

    def run():
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=20, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO accounts_loginfailure (username, at) VALUES ('x', '2026-01-01')")
        held.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    threading.Thread(target=run, daemon=True).start()
    held.wait(5)
    return held


@pytest.mark.django_db(transaction=True)
def test_writing_beside_rows_read_in_batches_waits_for_the_lock():
    for i in range(3):
        LoginFailure.objects.create(username=f"u{i}")
    written = 0
    for i, row in enumerate(in_batches(LoginFailure.objects.all(), size=2)):
        if i == 0:
            _another_writer_holds_the_lock(0.5)
        written += LoginFailure.objects.filter(pk=row.pk).update(username=f"done{i}")
    assert written >= 3 and not LoginFailure.objects.filter(username__startswith="u").exists()


@pytest.mark.django_db(transaction=True)
def test_writing_beside_a_streaming_cursor_fails_at_once():
    """Why the sweeps read in batches: the same loop over `.iterator()` is refused."""
    for i in range(3):
        LoginFailure.objects.create(username=f"u{i}")
    started = time.monotonic()
    with pytest.raises(OperationalError, match="locked"):
        for i, row in enumerate(LoginFailure.objects.all().iterator(chunk_size=2)):
            if i == 0:
                _another_writer_holds_the_lock(0.5)
            LoginFailure.objects.filter(pk=row.pk).update(username=f"done{i}")
    assert time.monotonic() - started < 5  # not after the 20-second busy timeout
