"""The official calendar as data: a year entered when the State Council publishes it."""

import datetime as dt

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError

from gongjia.platform import official_calendar, workdays
from gongjia.platform.models import OfficialDay, OfficialYear


@pytest.fixture(autouse=True)
def _fresh_calendar():
    workdays.forget()
    yield
    workdays.forget()


def _book(path, rows):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["日期", "类型", "名称"])
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, r)
    wb.close()
    return path


def test_the_bundled_years_are_entered_at_installation(db):
    # The migration's rows, or the bundled package itself after a test flushed the table.
    assert workdays.is_covered(dt.date(2025, 10, 8))
    assert not workdays.is_workday(dt.date(2025, 10, 8))  # National Day
    assert workdays.is_workday(dt.date(2025, 10, 11))  # the make-up Saturday


def test_a_new_year_imported_from_a_spreadsheet_moves_deadlines(
    tree, make_user, login_client, tmp_path
):
    start = dt.date(2026, 12, 28)
    assert workdays.provisional(workdays.deadline(start, 60, "calendar_days"))
    before = workdays.deadline(dt.date(2027, 2, 4), 3, "working_days")
    assert before == dt.date(2027, 2, 9)  # Thu 4 → Fri 5, Mon 8, Tue 9: no holiday known
    path = _book(
        tmp_path / "2027.xlsx",
        [[f"2027-02-{d:02d}", "放假", "春节"] for d in range(6, 14)]
        + [["2027-02-14", "调休上班", "春节"]],
    )
    admin = make_user("system_admin", tree.district)
    client = login_client(admin)
    page = client.get("/admin/platform/officialyear/import/")
    assert page.status_code == 200 and "导入" in page.content.decode()
    r = client.post(
        "/admin/platform/officialyear/import/",
        {
            "year": 2027,
            "notice": "国务院办公厅关于2027年部分节假日安排的通知",
            "file": path.open("rb"),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert OfficialYear.objects.get(year=2027).entered_by == admin
    assert OfficialDay.objects.filter(year=2027).count() == 9
    workdays.forget()
    assert workdays.is_workday(dt.date(2027, 2, 14))  # a Sunday, worked
    assert workdays.deadline(dt.date(2027, 2, 4), 3, "working_days") == dt.date(2027, 2, 15)
    assert not workdays.provisional(dt.date(2027, 3, 1))
    officer = login_client(make_user("town_officer", tree.town_a))
    assert officer.get("/admin/platform/officialyear/import/").status_code == 403


def test_a_bad_row_is_named_and_nothing_is_written(tmp_path, db):
    path = _book(
        tmp_path / "bad.xlsx", [["2027-01-01", "放假", "元旦"], ["2028-01-02", "放假", ""]]
    )
    with pytest.raises(ValidationError) as e:
        official_calendar.read_days(path, 2027)
    assert "3" in " ".join(e.value.messages) and "2027" in " ".join(e.value.messages)
    assert not OfficialYear.objects.filter(year=2027).exists()
