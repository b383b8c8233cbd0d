"""A streaming xlsx writer for large exports: one sheet, inline strings, constant memory.

xlsxwriter spends several microseconds per cell; a million-row export has twelve million cells.
This writer emits the sheet XML directly into the zip stream, a row at a time. Templates and
error files, which need drop-downs and comments, still use xlsxwriter.
"""

import datetime as dt
import re
import zipfile
from xml.sax.saxutils import escape

from django.utils import timezone

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
EXCEL_EPOCH = dt.datetime(1899, 12, 30)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Styles: 0 default, 1 bold header, 2 date (yyyy-mm-dd), 3 date and time.
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


def _workbook(sheet: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


def _string(value: str) -> str:
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    if not value.isprintable():
        value = _CONTROL.sub("", value)
    return f'<c t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def _cell(v) -> str:
    cls = v.__class__
    if cls is str:
        return _string(v)
    if v is None:
        return "<c/>"
    if cls is bool:
        return f'<c t="b"><v>{int(v)}</v></c>'
    if cls is int or cls is float:
        return f"<c><v>{v}</v></c>"
    if cls is dt.date:
        return f'<c s="2"><v>{(v - EXCEL_EPOCH.date()).days}</v></c>'
    if cls is dt.datetime:
        if v.tzinfo is not None:  # Excel has no time zones: the local time users see
            v = timezone.localtime(v).replace(tzinfo=None)
        days = (v - EXCEL_EPOCH).total_seconds() / 86400
        return f'<c s="3"><v>{days!r}</v></c>'
    return _string(str(v))


def write_rows(target, headers: list[str], rows, sheet: str = "Sheet1") -> int:
    """Write a header row and `rows` (iterables of str, int, float, bool, date, datetime, None)
    to an xlsx file or binary buffer; returns the number of data rows."""
    n = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", _workbook(sheet))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/styles.xml", STYLES)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                b'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
            )
            head = "".join(
                f'<c t="inlineStr" s="1"><is><t>{escape(str(h))}</t></is></c>' for h in headers
            )
            f.write(f"<row>{head}</row>".encode())
            buffer = []
            cell = _cell
            for row in rows:
                n += 1
                buffer.append("<row>" + "".join([cell(v) for v in row]) + "</row>")
                if len(buffer) >= 2000:
                    f.write("".join(buffer).encode())
                    buffer.clear()
            f.write("".join(buffer).encode())
            f.write(b"</sheetData></worksheet>")
    return n
