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
