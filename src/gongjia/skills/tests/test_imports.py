"""The skills spreadsheets: an event's entries and the guided competitions' reports, each row
written by the action an officer's form calls, all rows or none, the refused ones returned with
one sentence per problem; a report counts once the town federation has checked it, with its
evidence attached."""

import io
from urllib.parse import quote

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gongjia.members.testing import make_member
from gongjia.platform import attachments, sheetimport, todos, validators
from gongjia.platform.models import AuditEvent, Job
from gongjia.platform.scope import SYSTEM
from gongjia.skills import actions, selectors
from gongjia.skills.imports import EntriesImport, ReportsImport
from gongjia.skills.models import Competition, Entry, Event, Trade
from gongjia.skills.testing import make_event, set_status

ENTRY_HEAD = ["会员编号", "队员2会员编号", "队员3会员编号", "队名", "理论成绩"]
REPORT_HEAD = ["竞赛名称", "级别", "主办单位编码", "开始日期", "结束日期", "工种", "参赛人数"]


def xlsx(path, head, rows):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, head)
    for i, r in enumerate(rows, start=1):
        ws.write_row(i, 0, r)
    wb.close()
    return path


def sheet_of(content: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def sheet(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


@pytest.fixture
def open_event(tree):
    event = make_event(tree, tree.town_a)
    event.eligibility = {"max_age": 45}
    event.save()
    set_status(event.competition, Competition.Status.REGISTRATION)
    return event


def test_an_entries_file_with_wrong_rows_writes_nothing_and_returns_them(
    tree, open_event, make_user, tmp_path
):
    officer = make_user("town_officer", tree.town_a)
    young = [make_member(tree, tree.town_a) for _ in range(2)]  # born in the 1980s
    body = "33010919600101123"
    old = make_member(tree, tree.town_a, id_number=body + validators.id_check_char(body))
    rows = [
        [young[0].member_number, "", "", "", "88.5"],
        ["NO-SUCH", "", "", "", ""],
        [old.member_number, "", "", "", "120"],
        [young[1].member_number, "", "", "", ""],
    ]
    imp = sheetimport.get(EntriesImport.key)
    out = sheetimport.run(
        imp,
        xlsx(tmp_path / "报名.xlsx", ENTRY_HEAD, rows),
        user=officer,
        params={"event": open_event.pk},
        error_path=tmp_path / "报名-错误.xlsx",
    )
    assert (out.total, out.refused, out.written) == (4, 2, 0)
    assert not Entry.objects.filter(event=open_event).exists()  # the good rows too
    errors = sheet(out.error_file)
    assert [r[0] for r in errors[1:]] == ["NO-SUCH", old.member_number]
    assert "第 3 行" in errors[1][-1] and "NO-SUCH" in errors[1][-1]
    # Two problems in one row: one sentence, each naming what to fix.
    assert "45" in errors[2][-1] and "「理论成绩」" in errors[2][-1]
    assert errors[2][-1].count("。") == 1
    assert AuditEvent.objects.filter(action="skills.entries", success=False).exists()

    rows = [rows[0], rows[3]]
    out = sheetimport.run(
        imp,
        xlsx(tmp_path / "报名2.xlsx", ENTRY_HEAD, rows),
        user=officer,
        params={"event": open_event.pk},
        error_path=tmp_path / "报名2-错误.xlsx",
    )
    assert (out.written, out.refused) == (2, 0)
    entries = Entry.objects.filter(event=open_event).order_by("number")
    assert [e.entrants.get().member_id for e in entries] == [young[0].pk, young[1].pk]
    assert entries[0].theory == 88.5


def test_the_same_person_twice_in_a_file_is_refused_in_its_second_row(tree, open_event, tmp_path):
    member = make_member(tree, tree.town_a)
    out = sheetimport.run(
        sheetimport.get(EntriesImport.key),
        xlsx(tmp_path / "e.xlsx", ENTRY_HEAD, [[member.member_number], [member.member_number]]),
        user=SYSTEM,
        params={"event": open_event.pk},
        error_path=tmp_path / "e-错误.xlsx",
    )
    assert out.refused == 1 and out.errors[0][0] == 3
    assert not Entry.objects.filter(event=open_event).exists()


def test_an_event_closed_for_registration_refuses_the_file_on_the_upload_page(
    tree, open_event, make_user, client
):
    set_status(open_event.competition, Competition.Status.MARKING)
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    upload = SimpleUploadedFile("报名.csv", "会员编号\n1\n".encode())
    page = client.post(reverse("admin:skills_event_import", args=[open_event.pk]), {"file": upload})
    assert page.status_code == 200 and "未开放报名" in page.content.decode()
    assert not Job.objects.exists()


def test_an_upload_runs_as_a_job_and_its_error_file_is_named_after_the_file(
    tree, open_event, make_user, client, tmp_path
):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    path = xlsx(tmp_path / "一车间.xlsx", ENTRY_HEAD, [["NO-SUCH"]])
    with path.open("rb") as f:
        r = client.post(reverse("admin:skills_event_import", args=[open_event.pk]), {"file": f})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/platform/job/{job.pk}/change/")
    result = sheetimport.run_job(job, **job.params)
    assert result["file"].endswith("一车间-错误.xlsx") and "未写入任何数据" in result["message"]
    template = client.get(reverse("admin:skills_event_import_template"))
    assert template.status_code == 200
    assert quote("参赛报名模板.xlsx") in template["Content-Disposition"]
    head = sheet_of(b"".join(template.streaming_content))[0]
    assert head == ENTRY_HEAD


def test_reported_competitions_count_once_checked_with_their_evidence(tree, make_user, tmp_path):
    Trade.objects.create(name="电工")
    Trade.objects.create(name="焊工")
    officer = make_user("town_officer", tree.town_a)
    code = tree.town_a.code
    rows = [
        ["春季技能比武", "镇街", code, "2020-04-10", "2020-04-11", "电工", "35"],
        ["春季技能比武", "镇街", code, "2020-04-10", "2020-04-11", "焊工", "20"],
        ["车间操作比赛", "企业", code, "2020-06-01", "2020-06-01", "钳工", "x"],
    ]
    imp = sheetimport.get(ReportsImport.key)
    out = sheetimport.run(
        imp,
        xlsx(tmp_path / "r.xlsx", REPORT_HEAD, rows),
        user=officer,
        params={},
        error_path=tmp_path / "r-错误.xlsx",
    )
    assert out.refused == 1 and not Competition.objects.filter(reported=True).exists()
    message = out.errors[0][1]
    assert "钳工" in message and "「参赛人数」" in message

    out = sheetimport.run(
        imp,
        xlsx(tmp_path / "r2.xlsx", REPORT_HEAD, rows[:2]),
        user=officer,
        params={},
        error_path=tmp_path / "r2-错误.xlsx",
    )
    assert out.written == 2
    competition = Competition.objects.get(reported=True)
    assert competition.status == Competition.Status.REPORTED and competition.year == 2020
    counts = dict(competition.events.values_list("trade__name", "participants_reported"))
    assert counts == {"电工": 35, "焊工": 20}
    before = selectors.local_competitions(SYSTEM, 2020)
    assert not selectors.local_competitions.records(SYSTEM, 2020).filter(pk=competition.pk)

    checker = make_user("town_officer", tree.town_a)
    waiting = {t["key"]: t for t in todos.waiting(checker)}
    assert waiting["skills.to_check"]["count"] == 1
    assert waiting["skills.to_check"]["url"].endswith("?status__exact=reported")
    with pytest.raises(ValidationError, match="证明材料|evidence"):
        actions.step(competition, "check_report", acting_user=checker)
    evidence = SimpleUploadedFile("通知.pdf", b"%PDF-1.4", content_type="application/pdf")
    attachments.attach(competition, evidence, acting_user=officer)
    actions.step(competition, "check_report", acting_user=checker)
    assert selectors.local_competitions(SYSTEM, 2020) == before + 1
    with pytest.raises(ValidationError, match="审核|checked"):
        actions.report_event(competition, Trade.objects.get(name="电工"), 3, acting_user=officer)


def test_a_report_is_made_on_a_form_with_its_evidence(tree, make_user, client):
    trade = Trade.objects.create(name="电工")
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    url = reverse("admin:skills_competition_report")
    data = {
        "name": "秋季比武",
        "level": "town",
        "organiser": tree.town_a.pk,
        "starts_on": "2020-09-01",
        "ends_on": "2020-08-31",
        "trade": trade.pk,
        "participants": "12",
        "evidence": SimpleUploadedFile("名单.pdf", b"%PDF-1.4", content_type="application/pdf"),
    }
    page = client.post(url, data)
    assert page.status_code == 200 and "结束" in page.content.decode()  # ends before it starts
    assert not Competition.objects.exists()
    data["ends_on"] = "2020-09-02"
    data["evidence"] = SimpleUploadedFile("名单.pdf", b"%PDF-1.4", content_type="application/pdf")
    r = client.post(url, data)
    competition = Competition.objects.get()
    assert r.status_code == 302 and competition.status == Competition.Status.REPORTED
    assert Event.objects.get(competition=competition).participants_reported == 12


def test_a_checked_reports_events_stay_as_checked(tree, make_user, client):
    from gongjia.skills.testing import make_competition

    competition = make_competition(tree, tree.town_a, reported=True)
    trade = Trade.objects.create(name="电工")
    Event.objects.create(competition=competition, trade=trade, participants_reported=30)
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    url = reverse("admin:skills_competition_change", args=[competition.pk])
    for status, editable in (
        (Competition.Status.REPORTED, True),
        (Competition.Status.CHECKED, False),
    ):
        Competition.objects.filter(pk=competition.pk).update(status=status)
        page = client.get(url).content.decode()
        assert ('name="events-0-participants_reported"' in page) is editable
