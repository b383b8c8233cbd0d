"""The member import as a whole: read, check, sort out against the registry, write or refuse;
and the back office's upload, run by the worker with progress.

Any error writes nothing and returns the failing rows with an error column (unless
`valid_only`, which writes the valid rows and returns the rest). Re-importing the same file
updates instead of duplicating (upsert by ID number).
"""

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongjia.members.models import Member
from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform import audit, formatting, jobs, scope, tabular
from gongjia.platform.models import AuditEvent
from gongjia.platform.tabular import FileProblem

from . import check, write
from .check import Checked, RowErrors
from .template import columns


@dataclass
class Result:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    error_file: str = ""
    dry_run: bool = False
    written: bool = False  # the rows were written (all of them, or the valid ones)
    problem: str = ""  # a whole-file problem: nothing was read
    seconds: float = 0.0
    errors: list = field(default_factory=list)  # (row number, message) of the first errors
    timings: dict = field(default_factory=dict)  # seconds from the start to the end of a stage

    @property
    def ok(self) -> bool:
        return not self.problem and not self.refused

    def summary(self) -> str:
        if self.problem:
            return self.problem
        if self.refused and not self.written and not self.dry_run:
            return _(
                "Nothing was written: %(n)s of %(total)s rows have errors. Correct them in the "
                "error file and import it again, or import the valid rows only."
            ) % {"n": formatting.number(self.refused), "total": formatting.number(self.total)}
        verb = _("would be") if self.dry_run else ""
        return _(
            "%(total)d rows: %(created)d new, %(updated)d updated, %(unchanged)d unchanged, "
            "%(refused)d refused %(verb)s"
        ) % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": self.refused,
            "verb": verb,
        }


def _units(user, unit_code: str | None) -> dict[str, int]:
    qs = OrgUnit.objects.filter(kind__in=OrgUnit.GRASSROOTS, status=OrgUnit.Status.ACTIVE)
    qs = qs & scope.units_in_scope(user, Member, "add")
    if unit_code:
        top = OrgUnit.objects.filter(code=unit_code).first()
        if top is None:
            raise FileProblem(_("There is no unit with the code %(c)s.") % {"c": unit_code})
        qs = qs.filter(path__startswith=top.path)
    return dict(qs.values_list("code", "pk"))


def _enterprises(user) -> dict[str, int]:
    qs = scope.restrict(Enterprise.objects.all(), user)
    return dict(qs.values_list("credit_code", "pk"))


@contextmanager
def _no_cyclic_gc():
    """An import makes millions of short-lived tuples and no reference cycles, so the cyclic
    collector would only walk the growing heap again and again (several seconds on a million
    rows); reference counting still frees everything. The collector is back on afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def run_import(path, **kwargs) -> Result:
    with _no_cyclic_gc():
        return _run_import(path, **kwargs)


try:  # the binary COPY on PostgreSQL raises the driver's own error
    from psycopg import IntegrityError as _DriverIntegrityError

    _UNIQUE_VIOLATIONS = (IntegrityError, _DriverIntegrityError)
except ImportError:  # pragma: no cover  SQLite-only installation
    _UNIQUE_VIOLATIONS = (IntegrityError,)


def _first_of_each_person(valid: list[Checked], id_column) -> tuple[list, list]:
    """Repeats within the file: the first occurrence stands, the others are refused."""
    first_row, unique, repeats = {}, [], []
    for row in valid:
        first = first_row.setdefault(row.bidx, row.row)
        if first == row.row:
            unique.append(row)
        else:
            errors = RowErrors()
            errors.add(id_column, _("repeats the person of row %(r)d.") % {"r": first})
            repeats.append((row.row, row, errors))
    return unique, repeats


def _run_import(
    path,
    *,
    user,
    valid_only=False,
    dry_run=False,
    unit_code=None,
    error_path=None,
    progress=None,
) -> Result:
    started = time.perf_counter()
    result = Result(dry_run=dry_run)
    path = Path(path)
    cols = columns()
    id_column = next(c for c in cols if c.key == "id_number")
    try:
        table = tabular.read_table(path, cols)
        units = _units(user, unit_code)
        enterprises = _enterprises(user)
        checker = check.RowChecker(cols, units, enterprises)
        valid, failed, result.total = check.check_rows(table, checker, progress)
    except FileProblem as e:
        result.problem = str(e)
        _audit_refusal(user, path, result)
        return result
    result.timings["checked"] = time.perf_counter() - started
    valid, repeats = _first_of_each_person(valid, id_column)
    failed += repeats
    # Against the database: upsert by ID number, within the user's scope.
    new_rows, changed, result.unchanged, elsewhere = write.sort_out(valid, user, id_column)
    failed += elsewhere
    result.timings["looked up"] = time.perf_counter() - started
    del valid
    result.refused = len(failed)
    if failed:
        result.error_file = _error_file(failed, cols, units, enterprises, path, error_path)
        result.errors = [(n, formatting.clauses(e)) for n, _r, e in failed[:50]]
        if not valid_only:
            result.seconds = time.perf_counter() - started
            _audit_refusal(user, path, result)
            return result
    result.updated = len(changed)
    result.created = len(new_rows)
    if dry_run:
        result.seconds = time.perf_counter() - started
        return result
    if progress:
        progress(result.total, result.total, _("writing"))
    try:
        with transaction.atomic():
            write.write(new_rows, changed, user, path, result)
    except _UNIQUE_VIOLATIONS:
        # Another import (or an officer) registered some of these people between our lookup
        # and our write: the database's unique index refused them, and nothing was written.
        result.problem = _(
            "Some people in this file were registered by another import at the same moment; "
            "nothing was written. Import the file again: they will be updated, not repeated."
        )
        result.created = result.updated = 0
        result.seconds = time.perf_counter() - started
        _audit_refusal(user, path, result)
        return result
    result.written = True
    result.timings["committed"] = time.perf_counter() - started
    if result.created >= write.ANALYZE_FROM:
        write.analyze()
    result.seconds = time.perf_counter() - started
    result.timings["written"] = result.seconds
    return result


def _error_file(failed: list, cols, units: dict, enterprises: dict, path: Path, error_path) -> str:
    """The refused rows, in file order, with what to fix; sorts `failed` in place."""
    code_of = {pk: code for code, pk in units.items()}
    credit_code_of = {pk: code for code, pk in enterprises.items()}
    failed.sort(key=lambda f: f[0])
    error_path = Path(error_path or path.with_name(path.stem + "-错误.xlsx"))
    tabular.write_workbook(
        error_path,
        cols,
        [
            (
                # A row refused after checking is a checked row, not the file's cells.
                r.cells(code_of, credit_code_of) if isinstance(r, Checked) else r,
                _("Row %(n)d: %(e)s") % {"n": n, "e": formatting.clauses(e)},
            )
            for n, r, e in failed
        ],
        sheet="会员",
    )
    return str(error_path)


def _audit_refusal(user, path: Path, result: Result):
    """A refused import writes no records, but the attempt is on the record."""
    audit.record(
        AuditEvent.Kind.IMPORT,
        "import_members",
        actor=user,
        success=False,
        data={
            "file": path.name,
            "rows": result.total,
            "refused": result.refused,
            "problem": result.problem,
            "written": False,
        },
    )


def run_job(
    job, *, path: str, valid_only: bool = False, unit_code: str | None = None, name: str = ""
):
    """The back-office upload, run by the worker with progress; the error file is named after
    the file the officer sent (`name`), in a folder of the job's own."""
    from django.conf import settings

    def progress(done, total, message):
        jobs.progress(job, done, total or max(done, job.total), message)

    result = run_import(
        path,
        user=job.user,
        valid_only=valid_only,
        unit_code=unit_code,
        progress=progress,
        error_path=_error_path(Path(path), job, name),
    )
    Path(path).unlink(missing_ok=True)  # the upload held personal data; its hash is audited
    jobs.progress(job, result.total, result.total, result.summary())
    out = {"message": result.summary()}
    if result.error_file:
        out["file"] = str(Path(result.error_file).relative_to(settings.MEDIA_ROOT))
    return out


def _error_path(upload: Path, job, name: str) -> Path:
    folder = upload.parent / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    stem = Path(name).stem if name else "会员导入"
    return folder / f"{stem}-错误.xlsx"
