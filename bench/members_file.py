"""Write a members workbook in the import template's shape, for benchmarks.

.venv/bin/python bench/members_file.py N FILE [--units CODE,CODE,...]
"""

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import xlsxwriter  # noqa: E402

from gongjia.platform.validators import id_check_char  # noqa: E402

HEADERS = [
    "姓名",
    "身份证号码",
    "手机号码",
    "所属工会代码",
    "入会日期",
    "职工类别",
    "技能等级",
    "学历",
    "政治面貌",
    "最高证书",
]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
CATEGORIES = ["一线操作工", "技术人员", "管理人员", "农民工", "新就业形态劳动者", "其他"]
LEVELS = ["未登记", "学徒工", "五级/初级工", "四级/中级工", "三级/高级工", "二级/技师"]


def id_number(i: int) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=i % 16_000)
    body = f"330102{birth:%Y%m%d}{(i // 16_000) % 1000:03d}"  # not the demo's prefix
    return body + id_check_char(body)


def write(n: int, path: str, units: list[str]):
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("会员")
    ws.write_row(0, 0, HEADERS)
    for i in range(n):
        ws.write_row(
            i + 1,
            0,
            [
                SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20],
                id_number(i),
                f"13{(i * 7919) % 1_000_000_000:09d}",
                units[i % len(units)],
                f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}",
                CATEGORIES[i % 6],
                LEVELS[i % 6],
                "高中或中专",
                "群众",
                "",
            ],
        )
    wb.close()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int)
    p.add_argument("file")
    p.add_argument("--units", default="330109001-001")
    a = p.parse_args()
    write(a.n, a.file, a.units.split(","))
