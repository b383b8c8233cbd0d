"""Browser test: Playwright driving the distribution's Chromium against a live server."""

import os

import pyotp
import pytest

from conftest import PASSWORD
from tests.browser import PHONE, apply_to_join, context, launch, needs_chromium, register

pytestmark = needs_chromium

# Playwright's sync API runs an event loop in this thread; the ORM calls below happen before
# and after page actions, never inside a coroutine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def test_back_office_in_chinese_tree_and_portal(live_server, tree, make_user, browser, tmp_path):
    admin = make_user("district_admin", tree.district, username="quzong")
    worker = make_user("worker", tree.union_a, username="zhigong", full_name="张伟")
    worker.id_number = "11010519491231002X"
    worker.save()

    page = context(browser).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "quzong")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp]", pyotp.TOTP(admin.otp_secret_for_tests).now())
    page.click("button[type=submit]")
    page.wait_for_selector("#kpi-grid")
    body = page.inner_text("body")
    assert "组织建设" in body and "基层工会" in body

    page.locator("a[href='/admin/orgs/orgunit/']:visible").first.click()
    page.wait_for_selector("#result_list")
    tree_text = page.inner_text("#result_list")
    assert "萧山区总工会" in tree_text and "城厢街道总工会" in tree_text
    assert "甲公司工会" in tree_text

    portal = context(browser, PHONE).new_page()
    portal.goto(f"{live_server.url}/portal/login/")
    assert "登录" in portal.inner_text("h1")
    portal.fill("#id_username", "zhigong")
    portal.fill("#id_password", PASSWORD)
    portal.click("button.primary")
    portal.wait_for_selector("#id-masked")
    assert portal.inner_text("#id-masked") == "110***********002X"
    assert "张伟" in portal.inner_text("h1")
    tile = portal.locator("#tiles a").first.bounding_box()
    assert tile["width"] > 150 and tile["height"] >= 100  # two large tiles to a row at 390 px


def test_a_worker_registers_and_applies_on_a_phone(live_server, tree, browser, tmp_path):
    from gongjia.members.models import Member
    from gongjia.members.testing import id_number

    phone = context(browser, PHONE).new_page()
    phone.goto(f"{live_server.url}/portal/login/")
    register(phone, id_number(61))
    assert "孙小梅" in phone.inner_text("h1")
    phone.screenshot(path=str(tmp_path / "portal-home.png"), full_page=True)
    apply_to_join(phone, "A-1")
    member = Member.objects.get(user__username="xiaomei")
    assert (member.name, member.status) == ("孙小梅", Member.Status.APPLIED)
    assert member.id_number == id_number(61)
    phone.screenshot(path=str(tmp_path / "portal-card.png"), full_page=True)
