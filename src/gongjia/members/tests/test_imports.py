import datetime as dt
import io

import pytest
import xlsxwriter
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from gongjia.members import imports
from gongjia.members.imports import check, write
from gongjia.members.models import Member
from gongjia.members.testing import id_number
from gongjia.platform.models import AuditEvent
from gongjia.platform.scope import SYSTEM

HEAD = ["姓名", "身份证号码", "手机号码", "所属工会代码", "入会日期"]


def xlsx(path, rows, head=HEAD, merge=False, formula=False):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, head)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    if merge:
        ws.merge_range(5, 0, 6, 0, "合并")
    if formula:
        ws.write_formula(1, 5, "=1+1")
    wb.close()
    return path


def sheet(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@pytest.fixture
def good_rows(tree):
    return [
        ["张三", id_number(1), "13800000001", "A-1", "2020-01-05"],
        ["李四", id_number(2).lower().replace("x", "x"), "138 0000 0002", "A-1", 43845],
        [" 王五 ", "３" + id_number(3)[1:], "13800000003", "A-1", "2020年3月5日"],
        ["赵六", id_number(4), "+86 13800000004", "B-1", dt.date(2020, 4, 5)],
    ]


def test_template_has_the_promised_headers_instructions_and_drop_downs(tmp_path, db):
    path = tmp_path / "t.xlsx"
    call_command("import_data", "members", "--template", str(path), stdout=io.StringIO())
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["会员", "选项", "填写说明"]
    headers = book.get_sheet_by_index(0).to_python()[0]
    assert headers[:5] == HEAD
    options = book.get_sheet_by_name("选项").to_python()
    assert "产业工人：一线操作工" in [cell for row in options for cell in row]


def test_import_normalises_messy_cells_and_reimport_changes_nothing(tree, tmp_path, good_rows):
    path = xlsx(tmp_path / "m.xlsx", good_rows)
    r = imports.run_import(path, user=SYSTEM)
    assert (r.created, r.refused, r.problem) == (4, 0, "")
    wang = Member.objects.get(name="王五")
    assert wang.id_number == id_number(3) and wang.join_date == dt.date(2020, 3, 5)
    assert Member.objects.get(name="李四").join_date == dt.date(2020, 1, 15)  # Excel serial
    assert Member.objects.get(name="赵六").mobile == "13800000004"
    assert Member.objects.get(name="张三").changes.get().kind == "join"
    r = imports.run_import(path, user=SYSTEM)
    assert (r.created, r.unchanged, Member.objects.count()) == (0, 4, 4)
    good_rows[0][2] = "13900000009"
    r = imports.run_import(xlsx(tmp_path / "m2.xlsx", good_rows), user=SYSTEM)
    assert r.updated == 1
    m = Member.objects.get(name="张三")
    assert m.mobile == "13900000009"
    le = LogEntry.objects.get_for_object(m).get(action=LogEntry.Action.UPDATE)
    assert le.changes["mobile"] == ["138****0001", "139****0009"]  # masked in the audit
    event = AuditEvent.objects.filter(action="import_members").first()  # newest first
    assert event.data["updated"] == 1 and len(event.data["sha256"]) == 64
    from gongjia.platform import audit

    assert audit.verify()[1] is None


def test_any_error_writes_nothing_and_returns_only_the_failing_rows(tree, tmp_path, good_rows):
    rows = [
        *good_rows,
        ["", id_number(5), "13800000005", "A-1", "2020-01-05"],
        ["钱七", "110105194912310021", "13800000006", "A-1", "2020-01-05"],
        ["孙八", id_number(7), "12345", "NOPE", "2020-13-45"],
        ["张三二", id_number(1), "13800000001", "A-1", "2020-01-05"],
    ]
    path = xlsx(tmp_path / "bad.xlsx", rows)
    r = imports.run_import(path, user=SYSTEM)
    assert r.refused == 4 and r.created == 0 and Member.objects.count() == 0
    errors = sheet(r.error_file)
    assert errors[0][-1] == "错误说明" and len(errors) == 5
    text = "\n".join(row[-1] for row in errors[1:])
    assert "第 6 行" in text and "「姓名」" in text
    assert "「身份证号码」" in text and "「手机号码」" in text and "「所属工会代码」" in text
    assert "「入会日期」" in text and "第 2 行" in text  # the repeat names the first row
    r = imports.run_import(path, valid_only=True, user=SYSTEM)
    assert r.created == 4 and r.refused == 4 and Member.objects.count() == 4


def test_scope_of_the_importing_user(tree, tmp_path, good_rows, make_user):
    officer = make_user("union_officer", tree.union_a)
    r = imports.run_import(xlsx(tmp_path / "m.xlsx", good_rows), user=officer)
    assert r.refused == 1 and "B-1" in r.errors[0][1]
    assert Member.objects.count() == 0


def test_people_of_another_union_are_refused_with_its_name_only_where_it_may_be_seen(
    tree, tmp_path, make_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    elsewhere = [
        [f"乙{k}", id_number(30 + k), f"1390000000{k}", "B-1", "2020-01-05"] for k in range(3)
    ]
    assert imports.run_import(xlsx(tmp_path / "b.xlsx", elsewhere), user=SYSTEM).created == 3
    moved = [[*row[:3], "A-1", row[4]] for row in elsewhere]
    counts = []
    for n in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            r = imports.run_import(xlsx(tmp_path / f"a{n}.xlsx", moved[:n]), user=SYSTEM)
        counts.append(len(queries))
        assert r.refused == n and r.created == 0
        assert all("乙公司工会" in e and "转会" in e for _n, e in r.errors)
    assert counts[0] == counts[1]  # one look-up for all of them, not one per row
    officer = make_user("union_officer", tree.union_a)
    r = imports.run_import(xlsx(tmp_path / "o.xlsx", moved), user=officer)
    assert r.refused == 3 and all("本区其他工会" in e for _n, e in r.errors)
    assert not any("乙公司" in e for _n, e in r.errors)
    assert set(Member.objects.values_list("union__code", flat=True)) == {"B-1"}


def test_dry_run_writes_nothing(tree, tmp_path, good_rows):
    r = imports.run_import(xlsx(tmp_path / "m.xlsx", good_rows), dry_run=True, user=SYSTEM)
    assert r.created == 4 and Member.objects.count() == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), "CSV"),
        (lambda p: p.write_bytes(b"PK\x03\x04broken zip"), "damaged"),
        (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512), "password"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: xlsx(p, [], head=["姓名", "电话"]), "身份证号码"),
        (lambda p: xlsx(p, [["x"] * 6], head=[*HEAD, "爱好"]), "爱好"),
        (lambda p: xlsx(p, []), "no data"),
        (
            lambda p: xlsx(
                p, [["张三", id_number(1), "13800000001", "A-1", "2020-01-05"]], merge=True
            ),
            "merged",
        ),
        (
            lambda p: xlsx(
                p,
                [["张三", id_number(1), "13800000001", "A-1", "2020-01-05"]],
                head=[*HEAD, "备注"],
                formula=True,
            ),
            "formula",
        ),
    ],
    ids=[
        "not-a-spreadsheet",
        "corrupt",
        "password",
        "empty",
        "missing-headers",
        "unknown-header",
        "headers-only",
        "merged-cells",
        "formulas",
    ],
)
def test_bad_files_get_a_clear_message_and_write_nothing(tree, tmp_path, make, message):
    from django.utils import translation

    path = tmp_path / "f.xlsx"
    make(path)
    with translation.override("en"):
        r = imports.run_import(path, user=SYSTEM)
    assert message.lower() in r.problem.lower(), r.problem
    assert Member.objects.count() == 0 and r.created == 0


def test_a_million_blank_rows(tree, tmp_path):
    path = tmp_path / "blank.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEAD)
    fmt = wb.add_format({"bold": True})
    for i in range(1, 1_000_001):
        ws.write_blank(i, 0, None, fmt)
    wb.close()
    r = imports.run_import(path, user=SYSTEM)
    assert r.problem and Member.objects.count() == 0


def test_csv_in_gb18030_with_columns_in_another_order(tree, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(
        (
            "入会日期,所属工会代码,姓名,手机号码,身份证号码,序号\n"
            f"2020/5/1,A-1,周九,13800000010,{id_number(10)},1\n"
        ).encode("gb18030")
    )
    r = imports.run_import(path, user=SYSTEM)
    assert r.created == 1 and Member.objects.get().name == "周九"


def test_cli_exits_non_zero_and_names_the_error_file(tree, tmp_path):
    path = xlsx(tmp_path / "bad.xlsx", [["", id_number(5), "1", "A-1", "x"]])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "members", str(path), stdout=out)
    assert "bad-错误.xlsx" in out.getvalue()


def test_export_is_masked_unless_revealed_with_a_purpose(tree, tmp_path, good_rows):
    imports.run_import(xlsx(tmp_path / "m.xlsx", good_rows), user=SYSTEM)
    out = tmp_path / "e.xlsx"
    call_command("export_data", "members", str(out), stdout=io.StringIO())
    rows = sheet(out)
    assert len(rows) == 5 and rows[0][2] == "身份证号码"
    assert all("*" in r[2] for r in rows[1:]) and id_number(1) not in str(rows)
    with pytest.raises(CommandError):
        call_command("export_data", "members", str(out), "--reveal", stdout=io.StringIO())
    call_command(
        "export_data",
        "members",
        str(out),
        "--reveal",
        "--purpose",
        "上报总工会",
        stdout=io.StringIO(),
    )
    assert id_number(1) in str(sheet(out))
    assert AuditEvent.objects.filter(action="export_members", data__masked=False).exists()


def test_back_office_upload_runs_as_a_job(
    tree,
    tmp_path,
    good_rows,
    make_user,
    login_client,
    django_capture_on_commit_callbacks,
    monkeypatch,
    settings,
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.management.commands import db_worker

    from gongjia.platform import worker
    from gongjia.platform.models import Job

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    officer = make_user("town_officer", tree.town_a)
    client = login_client(officer)
    page = client.get("/admin/members/member/import-excel/")
    assert page.status_code == 200
    assert client.get("/admin/members/member/import-template/").status_code == 200
    data = xlsx(tmp_path / "up.xlsx", good_rows).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/admin/members/member/import-excel/",
            {"file": SimpleUploadedFile("会员.xlsx", data), "valid_only": "on"},
        )
    assert r.status_code == 302
    worker.run_ready_tasks()
    job = Job.objects.get(user=officer)
    assert job.status == Job.Status.DONE
    assert Member.objects.count() == 3  # the B-1 row is outside the officer's town
    assert job.result_file  # the refused row comes back
    r = client.get(f"/jobs/{job.pk}/result/")
    assert r.status_code == 200
    assert "%E4%BC%9A%E5%91%98-%E9%94%99%E8%AF%AF.xlsx" in r["Content-Disposition"]  # 会员-错误


def test_large_files_are_checked_in_two_processes(tree, tmp_path, good_rows, monkeypatch):
    """The same outcome, in file order, when a forked process checks some of the chunks."""
    pools = []

    class Recording(check.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(check, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(check, "PARALLEL_FROM", 2)
    monkeypatch.setattr(check, "CHUNK", 1)
    monkeypatch.setattr(write, "ANALYZE_FROM", 1)
    rows = [
        *good_rows,
        ["钱七", id_number(6), "12345", "A-1", "2020-01-05"],
        ["张三二", id_number(1), "13800000007", "A-1", "2020-01-05"],
        ["孙八", id_number(8), "13800000008", "A-1", "2020-01-05"],
    ]
    path = xlsx(tmp_path / "m.xlsx", rows)
    r = imports.run_import(path, user=SYSTEM)
    assert pools, "the rows were not checked in a second process"
    assert r.refused == 2 and Member.objects.count() == 0
    assert [n for n, _e in r.errors] == [6, 7]
    assert "「手机号码」" in r.errors[0][1] and "第 2 行" in r.errors[1][1]
    r = imports.run_import(path, valid_only=True, user=SYSTEM)
    assert (r.created, r.refused) == (5, 2)
    assert set(Member.objects.values_list("name", flat=True)) == {
        "张三",
        "李四",
        "王五",
        "赵六",
        "孙八",
    }
    assert Member.objects.get(name="王五").id_number == id_number(3)


def _schema():
    from django.db import connection

    from gongjia.members.models import MembershipChange

    with connection.cursor() as cur:
        return {
            model: connection.introspection.get_constraints(cur, model._meta.db_table)
            for model in (Member, MembershipChange)
        }


def test_a_large_load_rebuilds_the_indexes_and_constraints_it_dropped(
    tree, tmp_path, good_rows, monkeypatch
):
    from django.db import IntegrityError, transaction

    from gongjia.members.models import MembershipChange

    monkeypatch.setattr(write, "BULK_FROM", 1)
    before = _schema()
    r = imports.run_import(xlsx(tmp_path / "m.xlsx", good_rows), user=SYSTEM)
    assert "indexes rebuilt" in r.timings and r.created == 4
    assert _schema() == before
    assert MembershipChange.objects.filter(kind="join").count() == 4
    # The rebuilt unique constraint still refuses a second record of the same person.
    m = Member.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            name="重复", id_number=m.id_number, union=m.union, join_date=m.join_date
        )
    # Four more rows, as many as there are: loaded the same way; beside more, row by row.
    more = [["周九", id_number(9 + k), f"1380000002{k}", "A-1", "2020-01-05"] for k in range(4)]
    r = imports.run_import(xlsx(tmp_path / "n.xlsx", more), user=SYSTEM)
    assert "indexes rebuilt" in r.timings and r.created == 4
    one = [["吴十", id_number(20), "13800000030", "A-1", 43845]]
    r = imports.run_import(xlsx(tmp_path / "o.xlsx", one), user=SYSTEM)
    assert "indexes rebuilt" not in r.timings and r.created == 1
    assert _schema() == before


def test_a_load_that_breaks_a_rebuilt_constraint_rolls_back_entirely(tree):
    from django.db import IntegrityError, transaction

    from gongjia.members.models import MembershipChange
    from gongjia.platform import bulkload

    before = _schema()
    twice = [
        Member(
            name="甲",
            id_number=id_number(1),
            sex="M",
            birth_date=dt.date(1981, 1, 1),
            union=tree.union_a,
            join_date=dt.date(2020, 1, 1),
            member_number=f"M{k}",
        )
        for k in range(2)
    ]
    rebuilt = bulkload.indexes_rebuilt_after(Member, MembershipChange)
    with pytest.raises(IntegrityError), transaction.atomic(), rebuilt:
        Member.objects.bulk_create(twice)  # the same person twice: no index stops it here
    assert Member.objects.count() == 0
    assert _schema() == before


def test_people_registered_by_another_import_meanwhile_get_a_clear_message(
    tree, tmp_path, good_rows, monkeypatch
):
    path = xlsx(tmp_path / "m.xlsx", good_rows)
    assert imports.run_import(path, user=SYSTEM).created == 4
    # The other import wrote them after this one looked them up: its write meets the unique
    # index of the ID numbers.
    monkeypatch.setattr(write, "existing", lambda bidx: {})
    result = imports.run_import(path, user=SYSTEM)
    assert not result.ok and "同一时间" in result.problem and "重新导入" in result.problem
    assert Member.objects.count() == 4


def test_a_refused_file_says_plainly_that_nothing_was_written(tree, tmp_path, good_rows):
    bad = [*good_rows, ["钱七", id_number(6), "12345", "A-1", "2020-01-05"]]
    r = imports.run_import(xlsx(tmp_path / "m.xlsx", bad), user=SYSTEM)
    assert "未写入任何数据" in r.summary() and "5 行中有 1 行" in r.summary()
    r = imports.run_import(xlsx(tmp_path / "m.xlsx", bad), user=SYSTEM, valid_only=True)
    assert "未写入" not in r.summary() and r.created == 4
