"""A judge marking on a phone, on the demo district as `gongjia serve --with-worker` serves it:
a judgement score sent as it is chosen, then the connection lost, marks typed and kept on the
phone, and sent with the time they were typed once it is back. Screenshots go to the suite's
`screens` folder."""

import json

import pyotp

from tests.browser import PHONE, context, needs_chromium
from tests.live import PASSWORD

pytestmark = needs_chromium

READY = """
import datetime as dt
from gongjia.members.selectors import active_members
from gongjia.orgs.models import OrgUnit
from gongjia.platform.scope import SYSTEM
from gongjia.skills import actions
from gongjia.skills.demo import _scheme
from gongjia.skills.models import Competition, Event, Judge, Trade
district = OrgUnit.objects.get(depth=1)
c = Competition.objects.create(
    name="2026年萧山区焊工技能比武（手机评分）", level="district", organiser=district, year=2026,
    starts_on=dt.date(2026, 12, 1), ends_on=dt.date(2026, 12, 2))
event = Event.objects.create(competition=c, trade=Trade.objects.get(name="焊工"))
actions.scheme_step(_scheme(event), "approve", acting_user=SYSTEM)
for i, judge in enumerate(Judge.objects.order_by("pk")[:3]):
    actions.seat_judge(event, judge, acting_user=SYSTEM, chief=i == 0)
actions.step(c, "open", acting_user=SYSTEM)
for m in active_members(2, offset=5000):
    actions.register_entry(event, [m.pk], acting_user=SYSTEM)
actions.step(c, "start_marking", acting_user=SYSTEM)
print("EVENT", event.pk)
"""


def test_a_judge_marks_on_a_phone_and_marks_typed_offline_are_not_lost(office):
    out = office.shell(READY)
    event_id = int(out.split("EVENT")[-1].split()[0])
    ctx = context(office.browser, PHONE)
    phone = ctx.new_page()
    phone.goto(f"{office.site.base}/admin/login/")
    phone.fill("input[name=username]", "judge")
    phone.fill("input[name=password]", PASSWORD)
    phone.fill("input[name=otp]", pyotp.TOTP(office.site.secrets["judge"]).now())
    phone.click("button[type=submit]")
    phone.wait_for_selector("#todo, #kpi-grid")
    office.go(phone, "/admin/skills/event/")
    phone.click(f"a[href='/admin/skills/event/{event_id}/mark/']")
    phone.wait_for_selector("#marking")
    cells = phone.locator("#marking .aspect")
    assert cells.count() == 12  # two entrants × six aspects

    first = cells.nth(0)
    first.locator("select").select_option("2")
    first.locator(".state").filter(has_text="已保存").wait_for()
    office.shot(phone, "judge-marking-online")

    ctx.set_offline(True)
    cells.nth(3).locator("select").select_option("1")  # pass/fail: met
    cells.nth(4).locator("input").fill("4")  # number completed
    cells.nth(4).locator("input").dispatch_event("change")
    phone.locator("#queue").filter(has_text="2").wait_for()
    assert "本机" in cells.nth(3).locator(".state").inner_text()  # kept on the phone
    office.shot(phone, "judge-marking-offline")
    ctx.set_offline(False)
    cells.nth(4).locator(".state").filter(has_text="已保存").wait_for(timeout=15_000)
    assert phone.locator("#queue").is_hidden()
    office.shot(phone, "judge-marking-back-online")

    saved = json.loads(
        office.shell(
            "import json\n"
            "from gongjia.skills.models import Score\n"
            f"rows = Score.objects.filter(mark__entry__event_id={event_id}).order_by('pk')\n"
            "print(json.dumps([[s.value, s.typed_at.isoformat() if s.typed_at else None,"
            " s.saved_at.isoformat(), s.mark.status] for s in rows]))"
        )
        .strip()
        .splitlines()[-1]
    )
    assert [row[0] for row in saved] == [2.0, 1.0, 4.0]
    # Typed while offline: the phone's own time is kept, before the server saved them.
    assert all(row[1] and row[1] <= row[2] for row in saved)
    assert [row[3] for row in saved] == ["pending", "entered", "entered"]
    ctx.close()


OPEN_FOR_ENTRIES = """
import datetime as dt
from gongjia.accounts import actions as accounts
from gongjia.members.models import Member
from gongjia.members.selectors import active_members
from gongjia.orgs.models import OrgUnit
from gongjia.platform.scope import SYSTEM
from gongjia.skills import actions
from gongjia.skills.models import Competition, Event, Trade
town = OrgUnit.objects.get(code="330109001")
c = Competition.objects.create(
    name="2026年城厢街道电工技能比武", level="town", organiser=town, year=2026,
    starts_on=dt.date(2026, 12, 20), ends_on=dt.date(2026, 12, 20), venue="城厢街道职工之家")
Event.objects.create(competition=c, trade=Trade.objects.get(name="电工"))
Event.objects.create(competition=c, trade=Trade.objects.get(name="焊工"), team_size=3)
actions.step(c, "open", acting_user=SYSTEM)
member = Member.objects.filter(
    status="active", user=None, union__path__startswith=town.path).order_by("pk")[300]
user, _s = accounts.create_user(
    "diangong", acting_user=SYSTEM, password="Dian-Gong#2026x", role="worker",
    unit=member.union, must_change_password=False, full_name=member.name)
Member.objects.filter(pk=member.pk).update(user=user)
print("MEMBER", member.pk)
"""


def test_a_worker_enters_on_a_phone_and_a_town_reports_by_spreadsheet(office, tmp_path):
    import xlsxwriter

    member_id = int(office.shell(OPEN_FOR_ENTRIES).split("MEMBER")[-1].split()[0])
    phone = office.phone("diangong", password="Dian-Gong#2026x")
    phone.click("#tiles a[href='/portal/skills/']")
    phone.wait_for_selector("text=2026年城厢街道电工技能比武")
    assert "团体赛由所在工会报名" in phone.inner_text("main")
    office.shot(phone, "worker-competitions-open")
    phone.click("button:has-text('报名参赛')")
    phone.wait_for_selector("text=参赛编号为")
    assert "您已报名" in phone.inner_text("main")
    office.shot(phone, "worker-entered")
    entered = office.shell(
        "from gongjia.skills.models import Entrant\n"
        f"print(Entrant.objects.filter(member_id={member_id}, event__trade__name='电工',"
        " event__competition__name='2026年城厢街道电工技能比武').count())"
    )
    assert entered.strip().splitlines()[-1] == "1"

    path = tmp_path / "城厢竞赛报备.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(
        0, 0, ["竞赛名称", "级别", "主办单位编码", "开始日期", "结束日期", "工种", "参赛人数"]
    )
    sheet.write_row(
        1, 0, ["城厢街道秋季比武", "镇街", "330109001", "2026-10-12", "2026-10-12", "电工", "38"]
    )
    sheet.write_row(
        2, 0, ["城厢街道秋季比武", "镇街", "330109001", "2026-10-12", "2026-10-12", "焊工", "21"]
    )
    book.close()
    desk = office.desk("chengxiang")
    office.go(desk, "/admin/skills/competition/import-reports/")
    desk.set_input_files("input[name=file]", str(path))
    desk.click("button:has-text('上传并检查')")
    desk.wait_for_url("**/platform/job/**")
    desk.wait_for_selector(
        ".field-line:has(label:text-is('状态')) .readonly:text-is('已完成')", timeout=60_000
    )
    assert "已写入 2 行" in desk.inner_text("#job-progress")
    office.shot(desk, "town-reports-imported")
    office.go(desk, "/admin/")
    assert "待审核的镇街、企业竞赛报备" in desk.inner_text("#todo")
    desk.click("#todo a:has-text('待审核的镇街、企业竞赛报备')")
    desk.click("a:has-text('城厢街道秋季比武')")
    desk.wait_for_selector("text=证明材料")  # the check waits for the evidence, and says so
    office.shot(desk, "town-report-to-check")
