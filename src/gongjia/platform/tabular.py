"""Reading spreadsheets people send: xlsx or csv, headers in any order, messy cells.

`read_table(path, columns)` checks the file (not a spreadsheet, corrupt, password-protected,
merged cells, formulas, wrong or missing headers, no data) and yields rows as dicts keyed by
column key, with the spreadsheet row number. Cell helpers normalise what Excel users type:
full-width characters, stray spaces, dates as text or serial numbers.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _

from gongjia.platform import sheetguard

IGNORED_HEADERS = {"序号", "备注", "错误说明"}
MAX_COLUMNS = 200


class FileProblem(Exception):
    """The file as a whole cannot be read; nothing is written."""


@dataclass
class Column:
    header: str  # the Chinese header in the template
    key: str
    required: bool = False
    help: str = ""
    choices: list[str] = field(default_factory=list)  # drop-down values in the template
    width: int = 16
    aliases: tuple[str, ...] = ()
    mapping: dict | None = None  # accepted cell values -> stored value, for coded columns


# --- cell normalisation -------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def text(value) -> str:
    """A cell as clean text: NFKC (full-width to half-width), no surrounding or inner runs of
    blanks; numbers typed as numbers lose a trailing .0."""
    if value.__class__ is str:
        s = value
        # Checking is cheaper than normalising, and most cells are already normal.
        if not s.isascii() and not unicodedata.is_normalized("NFKC", s):
            s = unicodedata.normalize("NFKC", s)
        s = s.strip()
        if "  " in s or "\t" in s or "\n" in s or "\r" in s:
            s = _SPACES.sub(" ", s)
        return s
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return text(str(value))


def compact(value) -> str:
    """Text with every blank removed (identifiers, phone numbers, codes)."""
    if value.__class__ is str and value.isascii() and value.isalnum():
        return value
    return text(value).replace(" ", "")


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value) -> dt.date:
    """A date from a date cell, an Excel serial number, or text such as 2020-1-5, 2020/01/05,
    2020.1.5, 2020年1月5日 or 20200105. Raises ValueError with a message."""
    if value.__class__ is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:  # the common case, parsed in C
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2_958_466 and not (20_000_000 <= value <= 30_000_000):
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        value = str(int(value))
    s = compact(value)
    if s.endswith(" 00:00:00"):
        s = s[:-9]
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise ValueError(_("“%(v)s” is not a date: write it as 2020-01-31.") % {"v": text(value)})


# --- reading ------------------------------------------------------------------------------------


def _kind(path: Path) -> str:
    head = path.open("rb").read(8)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy .xls, or an encrypted xlsx (both are OLE2 containers)
    return "csv"


def _rows_xlsx(path: Path) -> Iterator[list]:
    try:
        yield from sheetguard.xlsx_rows(path)
    except sheetguard.SheetProblem as e:
        raise FileProblem(str(e)) from None


def _rows_csv(path: Path) -> Iterator[list]:
    limit = sheetguard.Limits.current().part_bytes
    if path.stat().st_size > limit:
        raise FileProblem(
            _("The file is larger than %(l)s MB: split it into several files.")
            % {"l": f"{limit // 2**20:,}"}
        )
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblem(_("The file is neither an Excel workbook nor a CSV text file."))
    if "\x00" in content[:4096]:
        raise FileProblem(_("The file is neither an Excel workbook nor a CSV text file."))
    yield from csv.reader(io.StringIO(content))


def raw_rows(path) -> Iterator[list]:
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise FileProblem(_("The file is empty."))
    kind = _kind(path)
    if kind == "ole":
        raise FileProblem(
            _(
                "The workbook is password-protected or in the old .xls format: "
                "remove any password, save it as .xlsx and upload it again."
            )
        )
    # The content decides how the file is read, but a name that promises a workbook and a
    # content that is not one is a file saved wrongly, not a table with the wrong headers.
    if kind != "xlsx" and path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileProblem(
            _(
                "The file is named .xlsx but is not an Excel workbook (perhaps a text file "
                "renamed): open it in Excel and save it as an Excel workbook (.xlsx), or as .csv."
            )
        )
    return _rows_xlsx(path) if kind == "xlsx" else _rows_csv(path)


@dataclass
class Table:
    columns: list[Column]
    positions: list[tuple[int, Column]]
    # (spreadsheet row number, cell values in the order of `columns`; "" for absent columns)
    rows: Iterator[tuple[int, list]]


def read_table(path, columns: list[Column]) -> Table:
    rows = raw_rows(path)
    header_row, header_number = None, 0
    for raw in rows:
        header_number += 1
        if any(text(c) for c in raw):
            header_row = raw
            break
    if header_row is None:
        raise FileProblem(_("The file has no header row and no data."))
    by_header = {}
    for c in columns:
        for h in (c.header, *c.aliases):
            by_header[h] = c
    positions, unknown, seen = [], [], set()
    for i, cell in enumerate(header_row[:MAX_COLUMNS]):
        h = compact(cell)
        if not h or h in IGNORED_HEADERS:
            continue
        col = by_header.get(h)
        if col is None:
            unknown.append(h)
        elif col.key in seen:
            raise FileProblem(_("The column “%(h)s” appears twice.") % {"h": col.header})
        else:
            seen.add(col.key)
            positions.append((i, col))
    missing = [c.header for c in columns if c.required and c.key not in seen]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(m)s") % {"m": "、".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(u)s") % {"u": "、".join(unknown)})
        raise FileProblem(
            _(
                "The headers do not match the template (%(p)s). Download the template and keep "
                "its headers."
            )
            % {"p": "; ".join(parts)}
        )

    # Source position of each column, in the order of `columns` (-1: not in the file).
    where = {col.key: i for i, col in positions}
    take = [where.get(c.key, -1) for c in columns]
    width = max(take) + 1

    def gen():
        number = header_number
        found = False
        for raw in rows:
            number += 1
            if len(raw) < width:
                raw = [*raw, *[""] * (width - len(raw))]
            values = [raw[i] if i >= 0 else "" for i in take]
            if not any(values) or all(_blank(v) for v in values):
                continue  # blank (a lone 0, or cells of spaces only, is no record either)
            found = True
            yield number, values
        if not found:
            raise FileProblem(_("The file has headers but no data rows."))

    return Table(columns=columns, positions=positions, rows=gen())


def _blank(value) -> bool:
    return not value or (value.__class__ is str and value.isspace())


# --- writing templates and error files ----------------------------------------------------------


def write_workbook(
    path,
    columns: list[Column],
    rows: list[tuple[list, str]] = (),
    instructions: list[str] = (),
    error_header: str = "错误说明",
    sheet: str = "数据",
) -> None:
    """The template (no rows) or an error file: the same headers, each row with its errors."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet(sheet)
    required = wb.add_format({"bold": True, "bg_color": "#FDE68A", "border": 1})
    optional = wb.add_format({"bold": True, "bg_color": "#E5E7EB", "border": 1})
    as_text = wb.add_format({"num_format": "@"})
    error_fmt = wb.add_format({"font_color": "#B91C1C", "text_wrap": True})
    choices = wb.add_worksheet("选项") if any(c.choices for c in columns) else None
    for j, c in enumerate(columns):
        ws.write_string(0, j, c.header, required if c.required else optional)
        ws.set_column(j, j, c.width, as_text)
        if c.help:
            ws.write_comment(0, j, c.help)
        if c.choices and choices is not None:
            choices.write_string(0, j, c.header)
            for k, v in enumerate(c.choices):
                choices.write_string(k + 1, j, v)
            col_letter = xlsxwriter.utility.xl_col_to_name(j)
            ws.data_validation(
                1,
                j,
                1_048_575,
                j,
                {
                    "validate": "list",
                    "source": f"=选项!${col_letter}$2:${col_letter}${len(c.choices) + 1}",
                    "error_type": "warning",
                },
            )
    if rows:
        ws.write_string(0, len(columns), error_header, required)
        ws.set_column(len(columns), len(columns), 60)
    for i, (values, error) in enumerate(rows, start=1):
        for j, v in enumerate(values):
            ws.write_string(i, j, text(v))
        ws.write_string(i, len(columns), error, error_fmt)
    ws.freeze_panes(1, 0)
    if instructions:
        info = wb.add_worksheet("填写说明")
        info.set_column(0, 0, 100)
        for i, line in enumerate(instructions):
            info.write_string(i, 0, line)
    wb.close()
