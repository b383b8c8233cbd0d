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
