"""A worker checks in to a class on a phone, on the demo district as `gongjia serve
--with-worker` serves it: the academy's officer shows the session's code in the classroom, the
worker opens its address on the phone, presses the button once, and is counted present; a second
scan keeps the first. Screenshots go to the suite's `screens` folder."""

from tests.browser import needs_chromium

pytestmark = needs_chromium

READY = """
import datetime as dt
from django.utils import timezone
from gongjia.accounts.actions import create_user
from gongjia.members.models import Member
from gongjia.orgs.models import OrgUnit
from gongjia.platform.scope import SYSTEM
from gongjia.training import actions
from gongjia.training.models import ClassSession, Course, TrainingClass
now = timezone.localtime()
today = now.date()
c = TrainingClass.objects.create(
    course=Course.objects.order_by("pk").first(), name="数控车工技能提升（手机签到班）",
    organiser=OrgUnit.objects.get(depth=1), starts_on=today, ends_on=today, capacity=30)
# Under way now, within today: from ten minutes ago (or midnight) to the day's end.
start = max(now - dt.timedelta(minutes=10), now.replace(hour=0, minute=0)).time()
start, end = start.replace(second=0, microsecond=0), dt.time(23, 59, 59)
s = ClassSession.objects.create(training_class=c, on=today, starts_at=start, ends_at=end,
                                topic="数控车床编程基础")
actions.class_step(c, "open", acting_user=SYSTEM)
# A worker of the register with their own portal account (the account linked to their record).
member = Member.objects.filter(status="active", user__isnull=True).order_by("pk")[3000]
user, _secret = create_user("trainee", acting_user=SYSTEM, password="Gongjia@2026",
                            full_name=member.name, role="worker", unit=member.union,
                            must_change_password=False)
Member.objects.filter(pk=member.pk).update(user=user)
actions.enrol(c, member.pk, acting_user=SYSTEM, channel="union")
actions.class_step(c, "start", acting_user=SYSTEM)
print("SESSION", c.pk, s.pk, s.token)
"""


def test_a_worker_checks_in_to_a_class_on_a_phone(office):
    out = office.shell(READY).split("SESSION")[-1].split()
    class_id, session_id, token = int(out[0]), int(out[1]), out[2]
    desk = office.desk("district")
    office.go(desk, f"/admin/training/trainingclass/{class_id}/sessions/{session_id}/code/")
    office.shot(desk, "training-checkin-code")
    assert desk.locator("svg").count() >= 1  # the code to scan
    assert f"/portal/training/checkin/{token}/" in desk.inner_text("body")

    phone = office.phone("trainee")
    office.go(phone, f"/portal/training/checkin/{token}/")
    office.shot(phone, "training-checkin-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("form button.primary")
    phone.wait_for_selector("#checked-in")
    office.shot(phone, "training-checked-in")
    assert "签到" in phone.inner_text("#checked-in")
    # Scanning again keeps the first check-in: no second button, the same time.
    first = phone.inner_text("#checked-in")
    office.go(phone, f"/portal/training/checkin/{token}/")
    assert phone.inner_text("#checked-in") == first
    assert phone.locator("form button.primary").count() == 0
    office.go(desk, f"/admin/training/trainingclass/{class_id}/sessions/{session_id}/code/")
    assert desk.inner_text("#present").startswith("已签到 1 人"), desk.inner_text("#present")
