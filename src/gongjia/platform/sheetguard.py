"""Spreadsheets cannot kill anything.

A workbook people send is checked before any sheet is parsed, against dated parameters
(`files.xlsx_*`, defaults that serve a 1,048,576-row sheet of 20 columns): the uncompressed size
of every part, and the declared dimension of the sheet (rows × columns). Then the sheet is parsed
in a forked child process with an address-space limit (`files.parse_memory_mb`), which streams
the rows back; meanwhile this process reads the sheet's XML once to count its cells, check its
real size and look for formulas, and stops the child as soon as a limit is passed. A failure in
the parser itself (a native abort, an allocation refused) ends only the child: the user reads a
clear message, the worker or the command line carry on.
"""

import contextlib
import datetime as dt
import faulthandler
import logging
import os
import pickle
import re
import resource
import signal
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from gongjia.platform import parameters

log = logging.getLogger("gongjia.sheets")
BATCH = 5_000  # rows per message from the child


class SheetProblem(Exception):
    """The workbook is refused as a whole; the message says why, for a person."""


@dataclass(frozen=True)
class Limits:
    part_bytes: int
    cells: int
    columns: int
    memory_bytes: int

    @classmethod
    def current(cls) -> "Limits":
        return cls(
            part_bytes=parameters.value("files.xlsx_max_part_mb") * 1024 * 1024,
            cells=parameters.value("files.xlsx_max_cells"),
            columns=parameters.value("files.xlsx_max_columns"),
            memory_bytes=parameters.value("files.parse_memory_mb") * 1024 * 1024,
        )


def _damaged() -> SheetProblem:
    return SheetProblem(
        _(
            "The file is damaged or not an Excel workbook: open it in Excel, "
            "save it as .xlsx and upload it again."
        )
    )


def _n(value: int) -> str:
    return f"{value:,}"


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def first_sheet_part(z: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first sheet (the one the parser reads), by the workbook's own
    order and relationships; the lowest sheetN.xml when they cannot be read."""
    names = set(z.namelist())
    try:
        workbook = z.open("xl/workbook.xml").read(1 << 20).decode("utf-8", "replace")
        rels = z.open("xl/_rels/workbook.xml.rels").read(1 << 20).decode("utf-8", "replace")
        rid = re.search(r"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"", workbook)
        if rid:
            for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
                tag = rel.group(0)
                if f'Id="{rid.group(1)}"' in tag:
                    target = re.search(r'Target="([^"]+)"', tag).group(1)
                    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                    if part in names:
                        return part
    except (KeyError, OSError, zipfile.BadZipFile, AttributeError, EOFError):
        pass
    sheets = sorted(
        (n for n in names if re.match(r"xl/worksheets/sheet\d+\.xml$", n)),
        key=lambda n: int(re.search(r"(\d+)\.xml$", n).group(1)),
    )
    return sheets[0] if sheets else None


def check_declared(path: Path, limits: Limits) -> str | None:
    """The checks that need no parsing: the zip directory's sizes and the sheet's declared
    dimension. Returns the first sheet's part name."""
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.file_size > limits.part_bytes:
                    raise SheetProblem(
                        _(
                            "The workbook is too large to read: its part %(p)s unpacks to "
                            "%(s)s MB, above the limit of %(l)s MB. Split it into several "
                            "files."
                        )
                        % {
                            "p": info.filename,
                            "s": _n(info.file_size // 2**20),
                            "l": _n(limits.part_bytes // 2**20),
                        }
                    )
            part = first_sheet_part(z)
            if part is None:
                return None
            with z.open(part) as f:
                head = f.read(64 * 1024)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as e:
        raise _damaged() from e
    m = re.search(
        rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?"', head
    )
    if m:
        first_col, first_row = _column_number(m[1].decode()), int(m[2])
        last_col = _column_number(m[3].decode()) if m[3] else first_col
        last_row = int(m[4]) if m[4] else first_row
        columns = last_col - min(first_col, last_col) + 1
        rows = last_row - min(first_row, last_row) + 1
        ref = m[0].split(b'"')[1].decode()
        # The parser fills the rectangle from A1 to the last cell, whatever lies in it.
        if last_col > limits.columns or last_col * last_row > limits.cells:
            raise SheetProblem(
                _(
                    "The sheet declares the range %(ref)s (%(r)s rows × %(c)s columns), above "
                    "the limits of %(lc)s columns and %(lcells)s cells. Delete the empty rows "
                    "and columns beyond your data (or copy the data into a new workbook) and "
                    "upload it again."
                )
                % {
                    "ref": ref,
                    "r": _n(rows),
                    "c": _n(columns),
                    "lc": _n(limits.columns),
                    "lcells": _n(limits.cells),
                }
            )
    return part


@dataclass
class Scan:
    cells: int = 0
    size: int = 0
    formulas: bool = False
    problem: str = ""


def scan_sheet(path: Path, part: str, limits: Limits) -> Scan:
    """One pass over the sheet's XML: cells counted, real unpacked size, formulas. Stops at the
    first limit passed (the zip directory may state a smaller size than the data unpacks to)."""
    result = Scan()
    tail = b""
    with zipfile.ZipFile(path) as z, z.open(part) as f:
        while chunk := f.read(1 << 20):
            block = tail + chunk
            result.size += len(chunk)
            # The blocks overlap by the previous chunk's last three bytes: what lies wholly in
            # that tail was counted with the previous block.
            result.cells += block.count(b"<c ") + block.count(b"<c>")
            result.cells -= tail.count(b"<c ") + tail.count(b"<c>")
            if not result.formulas and (b"<f>" in block or b"<f " in block):
                result.formulas = True
            if result.size > limits.part_bytes:
                result.problem = _(
                    "The sheet unpacks to more than %(l)s MB: split it into several files."
                ) % {"l": _n(limits.part_bytes // 2**20)}
                break
            if result.cells > limits.cells:
                result.problem = _(
                    "The sheet holds more than %(l)s cells: split it into several files."
                ) % {"l": _n(limits.cells)}
                break
            tail = chunk[-3:]
    return result


def _child(path: str, write_fd: int, memory_bytes: int):
    """In the forked child: parse with calamine under the memory limit, stream the rows."""
    import python_calamine

    out = os.fdopen(write_fd, "wb", buffering=1 << 20)

    def send(message):
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        with open("/proc/self/statm") as f:
            used = int(f.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (used + memory_bytes, resource.RLIM_INFINITY))
        try:
            book = python_calamine.CalamineWorkbook.from_path(path)
            sheet = book.get_sheet_by_index(0)
        except python_calamine.PasswordError:
            send(("password",))
            return
        except MemoryError:
            send(("memory",))
            return
        except Exception:  # noqa: BLE001  calamine raises several kinds for broken files
            send(("damaged",))
            return
        send(("meta", bool(sheet.merged_cell_ranges)))
        batch = []
        for row in sheet.iter_rows():
            batch.append(row)
            if len(batch) == BATCH:
                send(("rows", batch))
                batch = []
        if batch:
            send(("rows", batch))
        send(("end",))
    except MemoryError:
        send(("memory",))
    finally:
        out.flush()


class _CellsOnly(pickle.Unpickler):
    """The child reads untrusted files: what it sends may hold plain values and dates only,
    never a class to call."""

    ALLOWED = {"date", "datetime", "time", "timedelta"}

    def find_class(self, module, name):
        if module == "datetime" and name in self.ALLOWED:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


class ChildParser:
    """The parsing child and the messages it sends; `close()` always reaps it."""

    def __init__(self, path: Path, limits: Limits):
        read_fd, write_fd = os.pipe()
        with warnings.catch_warnings():
            # The child runs no code that takes another thread's locks: the parser and pickle
            # into a pipe, then _exit. Python's warning about forking a threaded process is
            # about code that does.
            warnings.simplefilter("ignore", DeprecationWarning)
            self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into the caller's code
            code = 0
            try:
                os.close(read_fd)
                # A native failure prints its own report; the parent logs the outcome instead.
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                faulthandler.disable()
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                _child(str(path), write_fd, limits.memory_bytes)
            except BaseException:  # noqa: BLE001  whatever happens, the child only exits
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pipe = os.fdopen(read_fd, "rb", buffering=1 << 20)
        self.status = None
        self.limits = limits

    def receive(self):
        try:
            return _CellsOnly(self.pipe).load()
        except (EOFError, pickle.UnpicklingError, OSError):
            return None

    def died(self) -> SheetProblem:
        self.close()
        log.warning("the spreadsheet parser ended with status %s", self.status)
        return SheetProblem(
            _(
                "The workbook could not be read within the memory limit of %(m)s MB: its "
                "sheet is too large or has cells far outside the data. Copy the data into a new "
                "workbook, save it as .xlsx and upload it again."
            )
            % {"m": _n(self.limits.memory_bytes // 2**20)}
        )

    def close(self):
        if self.pid and self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            _, self.status = os.waitpid(self.pid, 0)
        self.pipe.close()


def xlsx_rows(path: Path):
    """The first sheet's rows, guarded as described above; raises SheetProblem."""
    limits = Limits.current()
    part = check_declared(path, limits)
    parser = ChildParser(path, limits)
    try:
        # The child parses meanwhile; the scan is several times faster, so its verdict comes
        # first, and a sheet past a limit stops the child before it has used its memory.
        verdict = scan_sheet(path, part, limits) if part else Scan()
        if verdict.problem:
            raise SheetProblem(verdict.problem)
        first = parser.receive()
        if first is None:
            raise parser.died()
        kind = first[0]
        if kind == "password":
            raise SheetProblem(
                _("The workbook is password-protected: remove the password and upload it again.")
            )
        if kind == "damaged":
            raise _damaged()
        if kind == "memory":
            raise parser.died()
        if first[1]:
            raise SheetProblem(
                _(
                    "The sheet has merged cells: unmerge them so that every row holds "
                    "one person, then upload it again."
                )
            )
        if verdict.formulas:
            raise SheetProblem(
                _(
                    "The sheet contains formulas: copy the cells and paste them as "
                    "values, then upload it again."
                )
            )
        while True:
            message = parser.receive()
            if message is None:
                raise parser.died()
            if message[0] == "end":
                break
            if message[0] == "memory":
                raise parser.died()
            yield from message[1]
    finally:
        parser.close()
