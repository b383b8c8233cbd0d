"""Special services on the demo district as `gongjia serve --with-worker` serves it: a worker
books a counselling room anonymously on a phone and the counselling staff see only the booking
code; a volunteer signs up for a persuasion shift and checks in at the post on the phone.
Screenshots go to the suite's `screens` folder."""

import re

from tests.browser import needs_chromium

pytestmark = needs_chromium

READY = """
import datetime as dt
from django.utils import timezone
from gongjia.accounts.actions import create_user
from gongjia.members.models import Member
from gongjia.orgs.models import OrgUnit
from gongjia.platform.scope import SYSTEM
from gongjia.services.models import PersuasionPost, Shift
staffed = PersuasionPost.objects.filter(active_until__isnull=True).order_by("pk").first()
post = PersuasionPost.objects.create(unit=staffed.unit, place="市心路北口文明劝导岗",
                                     partner="萧山交警大队", active_from=dt.date(2020, 6, 1))
active = Member.objects.filter(status="active", user__isnull=True).select_related("union")
near = active.filter(union__path__startswith=post.unit.path).order_by("pk")
for name, member in (("listener", active.order_by("pk")[3100]), ("rider", near[5])):
    user, _s = create_user(name, acting_user=SYSTEM, password="Gongjia@2026",
                           full_name=member.name, role="worker", unit=member.union,
                           must_change_password=False)
    Member.objects.filter(pk=member.pk).update(user=user)
    print("NAME", name, member.name)
district = OrgUnit.objects.get(depth=1)
staff, secret = create_user("counsel", acting_user=SYSTEM, password="Gongjia@2026",
                            full_name="周敏", role="counsellor", unit=district,
                            must_change_password=False)
now = timezone.localtime()
start = dt.time(0, 0) if now.hour == 0 else (now - dt.timedelta(minutes=10)).time()
end = dt.time(23, 59) if now.hour >= 22 else (now + dt.timedelta(hours=2)).time()
Shift.objects.create(post=post, on=now.date(), starts_at=start, ends_at=end, places=2)
print("SECRET", secret)
"""


def _ready(office):
    out = office.shell(READY)
    office.site.secrets["counsel"] = re.search(r"SECRET (\S+)", out).group(1)
    return dict(re.findall(r"NAME (\w+) (\S+)", out))


def test_a_worker_books_anonymously_and_the_room_sees_only_a_code(office):
    names = _ready(office)
    phone = office.phone("listener")
    office.go(phone, "/portal/services/")
    office.shot(phone, "services-portal-open")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert "12356" in phone.inner_text("body")  # the hotlines are shown first
    form = phone.locator("#book-form")
    form.locator("select[name=room]").select_option(label="萧山区职工心理健康服务中心")
    form.locator("input[name=wanted_at]").fill("14:30")
    form.locator("input[name=anonymous]").check()
    form.locator("button.primary").click()
    phone.wait_for_selector(".msg")
    assert "同意" in phone.inner_text("body")  # without the separate consent: refused, says why
    form = phone.locator("#book-form")
    form.locator("select[name=room]").select_option(label="萧山区职工心理健康服务中心")
    form.locator("input[name=wanted_at]").fill("14:30")
    form.locator("input[name=anonymous]").check()
    form.locator("input[name=consent]").check()
    form.locator("button.primary").click()
    phone.wait_for_selector("[id^=booking-]")
    office.shot(phone, "services-portal-booked")
    text = phone.inner_text("body")
    code = re.search(r"预约码(XL\d+)", text).group(1)
    assert "匿名" in phone.inner_text(f"#booking-{code}")

    desk = office.desk("counsel")
    office.go(desk, f"/admin/services/booking/?q={code}")
    office.shot(desk, "services-booking-list")
    row = desk.inner_text("#result_list")
    assert code in row and "匿名" in row
    assert names["listener"] not in row  # nobody learns who booked


def test_a_volunteer_signs_up_and_checks_in_at_the_post_on_a_phone(office):
    phone = office.phone("rider")
    office.go(phone, "/portal/services/")
    place = "市心路北口文明劝导岗"
    card = phone.locator(".card", has_text=place).first
    card.locator("button", has_text="报名").click()
    phone.wait_for_selector("[id^=volunteer-]")
    office.shot(phone, "services-shift-signed-up")
    assert "您已报名" in phone.inner_text("body")
    mine = phone.locator("[id^=volunteer-]", has_text=place).first
    mine.locator("button", has_text="到岗签到").click()
    phone.wait_for_selector("text=已于")
    office.shot(phone, "services-checked-in")
    assert "签到" in phone.inner_text("body")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
