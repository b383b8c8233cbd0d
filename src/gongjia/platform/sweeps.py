"""Temporary files with personal data (uploads, error files, exports) are removed after use."""

import datetime as dt
import time
from pathlib import Path

from django.conf import settings

from gongjia.platform import audit, parameters
from gongjia.platform.worker import fail_orphaned_jobs, sweep

TEMPORARY_FOLDERS = ("imports", "exports", "templates")


def purge_temporary_files(now: float | None = None) -> int:
    days = parameters.value("files.temporary_days", on=dt.date.today())
    cutoff = (now or time.time()) - days * 86400
    removed = 0
    for name in TEMPORARY_FOLDERS:
        folder = Path(settings.MEDIA_ROOT) / name
        if not folder.is_dir():
            continue
        for f in folder.iterdir():
            if f.is_file() and f.stat().st_mtime < cutoff:
                f.unlink()
                removed += 1
    return removed


@sweep("platform.temporary_files", every_seconds=3600)
def temporary_files():
    purge_temporary_files()


@sweep("platform.orphaned_jobs", every_seconds=10)
def orphaned_jobs():
    fail_orphaned_jobs()


@sweep("platform.audit_anchor", every_seconds=600)
def audit_anchor():
    """The audit chain's head, recorded outside the database every ten minutes."""

    audit.write_anchor()
