"""Chromium for browser tests: the distribution's own build, driven by Playwright."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium not installed")

DESK = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )


def context(browser, viewport=DESK):
    """A person's browser as the federation's people have it: Chinese, in Beijing time."""
    return browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport)


def register(phone, id_number: str, name: str = "孙小梅", username: str = "xiaomei"):
    """A worker registers in the portal, from its sign-in page, and lands on the home tiles."""
    phone.click("a[href='/portal/register/']")
    phone.fill("#id_full_name", name)
    phone.fill("#id_id_number", id_number)
    phone.fill("#id_mobile", "13900006161")
    phone.fill("#id_username", username)
    phone.fill("#id_password", "Hongqiao#Lane-88")
    phone.fill("#id_password2", "Hongqiao#Lane-88")
    phone.click("button.primary")
    phone.wait_for_selector("#tiles")


def apply_to_join(phone, union_code: str, name: str = "孙小梅"):
    """From the home tiles, the membership application in the account's own name."""
    phone.click("#tiles a[href='/portal/member/']")
    phone.wait_for_selector("#id_union_code")
    assert name in phone.inner_text("dl.identity")  # the account's own name, not typed
    phone.fill("#id_union_code", union_code)
    phone.click("button.primary")
    phone.wait_for_load_state("networkidle")
