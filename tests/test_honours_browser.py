"""The live quota panel of a selection being assembled, and a worker applying for a recuperation
place on a phone, on the demo district as `gongjia serve --with-worker` serves it: the officer
unticks a nominee and sees at once the rule that would fail and by how many people; the worker
applies and sees the application among their places. Screenshots go to the suite's `screens`
folder."""

from tests.browser import needs_chromium

pytestmark = needs_chromium

READY = """
import datetime as dt
from gongjia.accounts.actions import create_user
from gongjia.honours import actions
from gongjia.honours.models import Programme
from gongjia.members.models import Member
from gongjia.platform.scope import SYSTEM
p = Programme.objects.get(name="萧山区劳动模范")
b = actions.save_batch(None, acting_user=SYSTEM, programme=p, organiser=p.organiser,
                       name="2021年萧山区劳动模范评选（组织推荐中）", year=2021, places=11)
active = Member.objects.filter(status="active").select_related("union").order_by("pk")
industrial = list(active.filter(category="operator")[2000:2007])
others = list(active.filter(category="other")[2000:2004])
ids = []
for m in industrial + others:
    n = actions.nominate(b, m.pk, unit=m.union, acting_user=SYSTEM,
        nominated_on=dt.date(2021, 3, 20), deeds="事迹", appraisal_on=dt.date(2021, 3, 1),
        appraisal_evidence="民主评议记录",
        congress_on=dt.date(2021, 3, 10), congress_evidence="职代会决议")
    ids.append(n.pk)
member = active.filter(user__isnull=True, category="operator")[2100]
user, _secret = create_user("resting", acting_user=SYSTEM, password="Gongjia@2026",
                            full_name=member.name, role="worker", unit=member.union,
                            must_change_password=False)
Member.objects.filter(pk=member.pk).update(user=user)
print("BATCH", b.pk, ids[0])
"""


def _industrial_rule(page):
    return page.locator("[data-quota='rules'] tr").first


def test_unticking_a_nominee_shows_the_rule_that_would_fail(office):
    out = office.shell(READY).split("BATCH")[-1].split()
    batch_id, first = int(out[0]), int(out[1])
    desk = office.desk("district")
    office.go(desk, f"/admin/honours/batch/{batch_id}/change/")
    office.shot(desk, "honours-quota-met")
    rule = _industrial_rule(desk)
    # 7 of 11 is 63.6 %: more than 60 % of 11 needs 7, none to spare.
    assert rule.get_attribute("data-met") == "1"
    assert "7 / 11" in rule.inner_text() and "富余0人" in rule.inner_text()
    assert "各项规则均已满足" in desk.inner_text("[data-quota='verdict']")

    desk.uncheck(f"input[data-nomination='{first}']")
    desk.wait_for_selector("[data-quota='rules'] tr[data-met='0']")
    office.shot(desk, "honours-quota-short")
    # Without one industrial worker: 6 of 10 is exactly 60 %, not more; one person short.
    rule = _industrial_rule(desk)
    assert "6 / 10" in rule.inner_text() and "缺1人" in rule.inner_text()
    assert "10名人选" in desk.inner_text("[data-quota='summary']")
    assert "无法提交" in desk.inner_text("[data-quota='verdict']")
    desk.check(f"input[data-nomination='{first}']")
    desk.wait_for_function(
        "document.querySelector(\"[data-quota='summary']\").textContent.includes('11名人选')"
    )
    assert _industrial_rule(desk).get_attribute("data-met") == "1"


def test_a_worker_applies_for_a_recuperation_place_on_a_phone(office):
    phone = office.phone("resting")
    office.go(phone, "/portal/honours/")
    office.shot(phone, "honours-portal-open")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    card = phone.locator(".card", has_text="报名中").first
    card.locator("input[type=date]").fill("2015-03-01")
    card.locator("input[type=checkbox]").first.check()
    card.locator("button.primary").click()
    phone.wait_for_selector("[id^=application-]")
    office.shot(phone, "honours-portal-applied")
    assert "您已申请" in phone.inner_text("body")
    assert "报名中" in phone.inner_text("[id^=application-]")  # the batch applied for
