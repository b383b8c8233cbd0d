"""The demo district served as `gongjia serve --with-worker`, with Chromium at its desks and
on its phones: one installation for the browser tests of all modules (the demo is loaded once),
and one sign-in per person (a second sign-in with the same one-time code inside its 30 seconds
is refused as a replay, as it should be)."""

import os
from pathlib import Path

import pyotp
import pytest

from tests.browser import PHONE, context, launch
from tests.live import PASSWORD, LiveSite


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    s = LiveSite(tmp_path_factory.mktemp("demo-site"))
    try:
        s.setup()
        s.start()
        yield s
    finally:
        s.stop()


class Office:
    """The people of the demo district at their desks and on their phones."""

    def __init__(self, site, browser, screens: Path):
        self.site, self.browser, self.screens = site, browser, screens
        self.desks, self.n = {}, 0

    def desk(self, username):
        """The back office, signed in as `username` with password and one-time code."""
        if username not in self.desks:
            page = context(self.browser).new_page()
            page.goto(f"{self.site.base}/admin/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.fill("input[name=otp]", pyotp.TOTP(self.site.secrets[username]).now())
            page.click("button[type=submit]")
            page.wait_for_selector("#todo, #kpi-grid")
            self.desks[username] = page
        return self.desks[username]

    def phone(self, username=None, password=PASSWORD):
        """The portal on a 390 px phone, signed in when a user name is given."""
        page = context(self.browser, PHONE).new_page()
        page.goto(f"{self.site.base}/portal/login/")
        if username:
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button.primary")
            page.wait_for_selector("#tiles")
        return page

    def go(self, page, path):
        page.goto(self.site.base + path)
        page.wait_for_load_state("networkidle")

    def shot(self, page, name):
        self.n += 1
        page.screenshot(path=str(self.screens / f"{self.n:02d}-{name}.png"), full_page=True)

    def shell(self, code):
        return self.site.shell(code)


@pytest.fixture(scope="session")
def office(site, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    screens = Path(os.environ.get("GONGJIA_SCREENS_DIR") or tmp_path_factory.mktemp("screens"))
    screens.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        yield Office(site, browser, screens)
        browser.close()
