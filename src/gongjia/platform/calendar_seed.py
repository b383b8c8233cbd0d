"""The official calendar of the years the bundled `chinese_calendar` package covers, as rows of
the platform's own table (entered once, at installation, by a migration)."""

import chinese_calendar

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
NOTICE = "国务院办公厅关于部分节假日安排的通知（随系统内置日历数据录入）"


def bundled_rows():
    """(years, [(date, kind, name), ...]) of the package."""
    days = [(d, "holiday", NAMES.get(str(n), str(n))) for d, n in chinese_calendar.holidays.items()]
    days += [
        (d, "workday", NAMES.get(str(n), str(n)))
        for d, n in chinese_calendar.workdays.items()
        if d.weekday() >= 5  # only the make-up days; ordinary weekdays need no row
    ]
    return sorted({d.year for d, _k, _n in days}), sorted(days)


def seed(apps, schema_editor):
    OfficialYear = apps.get_model("platform", "OfficialYear")
    OfficialDay = apps.get_model("platform", "OfficialDay")
    years, days = bundled_rows()
    have = set(OfficialYear.objects.values_list("year", flat=True))
    OfficialYear.objects.bulk_create(
        [OfficialYear(year=y, notice=NOTICE) for y in years if y not in have]
    )
    OfficialDay.objects.bulk_create(
        [
            OfficialDay(day=d, year_id=d.year, kind=k, name=n)
            for d, k, n in days
            if d.year not in have
        ]
    )
