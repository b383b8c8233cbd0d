import datetime as dt
import io

from python_calamine import CalamineWorkbook

from gongjia.platform import xlsx


def test_streamed_workbook_round_trips_values():
    buf = io.BytesIO()
    rows = [
        ["a<b & c>", 42, 1.5, True, dt.date(2020, 1, 31), dt.datetime(2020, 1, 31, 8, 30), None],
        ["控制\x01字符", -1, 0.0, False, dt.date(1949, 10, 1), dt.datetime(2000, 1, 1), "x"],
    ]
    assert (
        xlsx.write_rows(
            buf, ["文本", "整数", "小数", "真假", "日期", "时间", "空"], rows, sheet="测试"
        )
        == 2
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(buf.getvalue()))
    assert book.sheet_names == ["测试"]
    got = book.get_sheet_by_index(0).to_python()
    assert got[0] == ["文本", "整数", "小数", "真假", "日期", "时间", "空"]
    assert got[1][0] == "a<b & c>" and got[1][1] == 42 and got[1][2] == 1.5
    assert got[1][3] is True and got[1][4] == dt.date(2020, 1, 31)
    assert got[1][5] == dt.datetime(2020, 1, 31, 8, 30)
    assert got[2][0] == "控制字符" and got[2][4] == dt.date(1949, 10, 1)
