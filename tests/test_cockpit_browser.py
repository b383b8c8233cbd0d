"""The cockpit in Chromium, on the demo district as `gongjia serve --with-worker` serves it: a
figure's page with its charts, a drill-down from a town's number to the records that make it,
the hall's big screen at 1920 × 1080 and the same figures on a leader's phone, and the annual
report as a page and a PDF. Screenshots go to the suite's `screens` folder."""

import re

from tests.browser import PHONE, needs_chromium

pytestmark = needs_chromium


def charted(page) -> list[int]:
    """The number of points each Chart.js chart on the page draws (the theme's own charts)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('canvas.chart')].map(c => {
            const chart = Chart.getChart(c);
            return chart ? chart.data.datasets[0].data.filter(v => v !== null).length : -1;
        })"""
    )


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def test_a_figure_its_towns_and_the_records_behind_a_towns_number(office):
    desk = office.desk("district")
    office.go(desk, "/admin/?year=2020")
    desk.click("#kpi-grid [data-key='members.total'] a >> nth=0")
    desk.wait_for_selector("#figure-trend")
    desk.wait_for_load_state("networkidle")
    office.shot(desk, "cockpit-figure")
    assert desk.inner_text("#figure-value").startswith("21,780")
    assert charted(desk) == [10, 27]  # ten years; the 27 towns and streets
    first = desk.locator("#figure-compare tbody tr").first
    town, shown = first.locator("td").nth(0).inner_text(), first.locator("td a").inner_text()
    first.locator("td a").click()
    desk.wait_for_selector("#result_list, .changelist-form-container, #changelist")
    office.shot(desk, "cockpit-drill-down")
    # The list holds exactly the town's number of records, and says how many.
    counted = re.search(r"([\d,]+) 条结果", desk.inner_text("body"))
    assert counted and number(counted.group(1)) == number(shown), (town, shown)


def test_a_count_compared_with_its_rate_where_the_count_would_mislead(office):
    desk = office.desk("district")
    office.go(desk, "/admin/cockpit/assistance.archived_households/?year=2020")
    desk.wait_for_selector("#figure-per")
    desk.wait_for_load_state("networkidle")
    office.shot(desk, "cockpit-figure-per-members")
    assert "每万名会员" in desk.inner_text("#figure-per-title")
    counts = charted(desk)
    assert len(counts) == 3 and counts[0] == 10 and counts[1] == 27 and counts[2] > 0, counts
    rates = [t for t in desk.locator("#figure-table [data-rate]").all_inner_texts()]
    assert len(rates) == 27 and any(r not in ("—", "0.0") for r in rates), rates


def test_the_big_screen_and_the_same_figures_on_a_phone(office):
    desk = office.desk("district")
    screen = desk.context.new_page()
    screen.set_viewport_size({"width": 1920, "height": 1080})
    office.go(screen, "/admin/cockpit/screen/?year=2020&refresh=120")
    office.shot(screen, "cockpit-big-screen")
    tiles = screen.locator("#screen-tiles .gj-tile").count()
    assert tiles >= 25
    members = screen.locator("#screen-tiles [data-key='members.total'] .gj-tile-value")
    assert members.inner_text().startswith("21,780")
    assert screen.locator("meta[http-equiv=refresh]").get_attribute("content") == "120"
    points = charted(screen)
    assert len(points) >= 3 and all(n == 10 for n in points), points
    # Read from across the room: the figures are large, and all of it fits on the screen.
    size = screen.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.gj-tile-value')).fontSize)"
    )
    assert size >= 40, size
    assert screen.evaluate("document.documentElement.scrollHeight") <= 1080 * 1.15
    screen.close()

    phone = desk.context.new_page()
    phone.set_viewport_size(PHONE)
    office.go(phone, "/admin/cockpit/screen/?year=2020")
    office.shot(phone, "cockpit-phone")
    assert phone.locator("#screen-tiles .gj-tile").count() == tiles
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.locator("#screen-tiles [data-key='members.total'] .gj-tile-value").is_visible()
    phone.close()


def test_the_annual_report_as_a_page_and_a_pdf(office):
    desk = office.desk("district")
    office.go(desk, "/admin/?year=2020")
    desk.click("#open-report")
    desk.wait_for_selector("#report-summary")
    office.shot(desk, "cockpit-report")
    assert "2020 年产改年度报告" in desk.inner_text("#report-title")
    summary = desk.inner_text("#report-summary")
    assert "77 个职工维权站（室）实现全区村（社区）全覆盖" in summary
    assert "新建基层工会 174 家" in summary
    row = desk.locator("#programme-members tr[data-key='members.total'] td").nth(1)
    assert row.inner_text() == "21,780"
    pdf = desk.context.request.get(office.site.base + desk.get_attribute("#report-pdf", "href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    book = desk.context.request.get(office.site.base + desk.get_attribute("#report-xlsx", "href"))
    assert book.status == 200 and book.body().startswith(b"PK")
