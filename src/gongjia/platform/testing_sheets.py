"""Hostile workbooks, written by hand (no spreadsheet library writes them): for the guard's
tests and `bench/bench_sheets.py`."""

import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="会员" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
HEADERS = ["姓名", "身份证号码", "手机号码", "所属工会代码", "入会日期"]


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def _header_row() -> str:
    return (
        '<row r="1">'
        + "".join(_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADERS))
        + "</row>"
    )


def write(path: Path, sheet_chunks, dimension: str | None = None) -> Path:
    """A workbook whose sheet XML is streamed from `sheet_chunks` (strings), deflated."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                f.write(f'<dimension ref="{dimension}"/>'.encode())
            f.write(b"<sheetData>")
            for chunk in sheet_chunks:
                f.write(chunk.encode())
            f.write(b"</sheetData></worksheet>")
    return path


def sparse(path: Path, declare: bool = True) -> Path:
    """A header and one cell at XFD1048576: a parser that fills the rectangle up to the last
    cell allocates 17 billion cells."""
    last = '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>"
    return write(path, [_header_row(), last], "A1:XFD1048576" if declare else None)


def whitespace_cells(path: Path, rows: int, columns: int = 20) -> Path:
    """Rows of cells holding only blanks: nothing to import, a great deal to parse."""

    def chunks():
        yield _header_row()
        blank = " " * 8
        for start in range(2, rows + 2, 10_000):
            yield "".join(
                f'<row r="{r}">'
                + "".join(_cell(f"{_letters(c)}{r}", blank) for c in range(1, columns + 1))
                + "</row>"
                for r in range(start, min(start + 10_000, rows + 2))
            )

    return write(path, chunks())


def whitespace_cell(path: Path, megabytes: int) -> Path:
    """One cell of blanks, unpacking to `megabytes` MB."""

    def chunks():
        yield _header_row()
        yield '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">'
        block = " " * (1 << 20)
        for _ in range(megabytes):
            yield block
        yield "</t></is></c></row>"

    return write(path, chunks())


def _letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s
