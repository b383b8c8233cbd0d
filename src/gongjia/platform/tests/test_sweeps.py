import datetime as dt
import os
import time

from django.utils import timezone

from gongjia.accounts.models import LoginFailure
from gongjia.platform import worker
from gongjia.platform.sweeps import purge_temporary_files


def test_temporary_files_are_removed_after_the_retention(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "exports").mkdir()
    old, new = tmp_path / "exports" / "old.xlsx", tmp_path / "exports" / "new.xlsx"
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    eight_days_ago = time.time() - 8 * 86400
    os.utime(old, (eight_days_ago, eight_days_ago))
    assert purge_temporary_files() == 1
    assert not old.exists() and new.exists()


def test_the_worker_runs_declared_sweeps(db):
    LoginFailure.objects.create(username="x", at=timezone.now() - dt.timedelta(hours=2))
    LoginFailure.objects.create(username="y")
    worker.discover()
    worker.run_due_sweeps(now=time.time() + 10**6)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["y"]
