"""The job seekers certified by the employment service and the gate counts come in by
spreadsheet: every row through the action the form calls, all rows or none, refused rows sent
back with their reasons; a town's officer writes only into the town."""

import xlsxwriter
from python_calamine import CalamineWorkbook

from gongjia.members.testing import make_member
from gongjia.platform import sheetimport
from gongjia.services.imports import GateCountsImport, SeekersImport
from gongjia.services.models import GateCount, Seeker


def _book(path, imp, rows):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, [c.header for c in imp.columns()])
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, r)
    wb.close()
    return path


def _run(imp, path, user, tmp_path):
    return sheetimport.run(
        sheetimport.get(imp.key), path, user=user, params={}, error_path=tmp_path / "错误.xlsx"
    )


def test_seekers_from_the_service_s_list_all_or_none(tree, make_user, tmp_path):
    officer = make_user("town_officer", tree.town_a)
    people = [make_member(tree, tree.town_a) for _ in range(2)]

    def row(m, unit="A", category="大龄失业人员", region="330109001"):
        return [
            m.member_number,
            "",
            unit,
            category,
            "2020-02-01",
            "萧山区就业管理服务处",
            f"JK{m.pk}",
            "装配工",
            region,
            "4500",
            "2020-02-10",
        ]

    imp = SeekersImport()
    bad = [row(people[0]), row(people[1], unit="B"), row(people[1], category="失业")]
    out = _run(imp, _book(tmp_path / "a.xlsx", imp, bad), officer, tmp_path)
    assert (out.total, out.refused, out.written) == (3, 2, 0), out.problem
    assert not Seeker.objects.exists()
    errors = CalamineWorkbook.from_path(str(out.error_file)).get_sheet_by_index(0).to_python()
    assert "失业" in errors[2][-1] or "类别" in errors[2][-1]
    out = _run(imp, _book(tmp_path / "b.xlsx", imp, [row(m) for m in people]), officer, tmp_path)
    assert (out.written, out.refused) == (2, 0)
    s = Seeker.objects.get(member=people[0])
    assert (s.name, s.category, s.unit) == (people[0].name, "older", tree.town_a)


def test_gate_counts_by_credit_code(tree, make_user, tmp_path):
    officer = make_user("town_officer", tree.town_a)
    imp = GateCountsImport()
    rows = [
        [tree.ent_a.credit_code, "2020-09-01", "200", "180", "150"],
        [tree.ent_a.credit_code, "2020-12-01", "200", "180", "190"],  # more wearing than seen
    ]
    out = _run(imp, _book(tmp_path / "g.xlsx", imp, rows), officer, tmp_path)
    assert (out.written, out.refused) == (0, 1) and not GateCount.objects.exists()
    other = [[tree.ent_b.credit_code, "2020-09-01", "80", "70", "60"]]  # town B's enterprise
    out = _run(imp, _book(tmp_path / "h.xlsx", imp, other), officer, tmp_path)
    assert out.refused == 1 and not GateCount.objects.exists()
    out = _run(imp, _book(tmp_path / "i.xlsx", imp, rows[:1]), officer, tmp_path)
    assert out.written == 1
    assert GateCount.objects.get().unit == tree.town_a
