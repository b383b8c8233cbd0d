"""Each role's first day, in Chromium, on the demo district as `gongjia serve --with-worker`
serves it: what an officer, a lawyer and a worker do, through the pages they use.

Every step leaves a screenshot in the `screens` folder (or in GONGJIA_SCREENS_DIR), for people
to look at. The installation and the people at it are the suite's (tests/conftest.py).
"""

import datetime as dt
import json
import re

import xlsxwriter

from gongjia.platform.validators import id_check_char
from tests.browser import apply_to_join, needs_chromium, register

pytestmark = needs_chromium

UNION = "330109001-001"  # the demo's grassroots union in 城厢街道, where `union` is chair
TODAY = dt.date.today()


def id_number(n: int) -> str:
    """ID numbers of people the demo district does not hold (born 1993-07-21)."""
    body = f"33010919930721{n:03d}"
    return body + id_check_char(body)


# --- what people do on a record's page ----------------------------------------------------------


def choose(page, field, text):
    """Pick a related record in a search box (select2) by typing part of its name."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.locator(".select2-results__option", has_text=text).first.click()


def steps(page) -> list[str]:
    """The steps the page offers the person (the buttons under 下一步操作)."""
    return page.locator("#record-extras form button.bg-primary-600").all_inner_texts()


def blocked(page) -> str:
    box = page.locator("#blocked-steps")
    return box.inner_text() if box.count() else ""


def take(page, label, note=""):
    """Take the step labelled `label`, with a note when it asks for one."""
    form = page.locator("#record-extras form", has=page.locator(f"button:text-is('{label}')"))
    if note:
        form.locator("input[name=note]").fill(note)
    form.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert "请修改下面标出的错误" not in page.inner_text("body"), page.inner_text("#content")[:2000]


def save_and_continue(page):
    page.click("button[name=_continue]")
    page.wait_for_load_state("networkidle")


def shown(page, label) -> str:
    """What a record's page shows beside the field labelled `label`."""
    line = page.locator(".field-line", has=page.locator(f"label:text-is('{label}')")).first
    box = line.locator(".readonly, select, input:not([type=hidden]), textarea").first
    tag = box.evaluate("e => e.tagName")
    if tag == "SELECT":
        return box.evaluate("e => e.options[e.selectedIndex]?.text || ''")
    return box.inner_text() if tag == "DIV" else box.input_value()


def timeline(page) -> str:
    return page.locator(".gj-timeline").inner_text()


def assert_readable(text: str):
    """No raw code, key or Python value reached the person."""
    for bad in ("None", "{'", "[{", "Traceback", "_household", "_case"):
        assert bad not in text, (bad, text[:3000])


def open_in_list(office, page, path, text):
    office.go(page, f"{path}?q={text}")
    page.click(f"#result_list a:has-text('{text}')")
    page.wait_for_load_state("networkidle")


# --- the first day ------------------------------------------------------------------------------


def test_a_worker_registers_applies_and_the_union_officer_approves(office):
    """A worker registers on a phone and applies to join; the union chair adds a colleague at
    the desk, finds the application on the home page's to-do list and approves it; the worker's
    card then shows the membership."""
    phone = office.phone()
    register(phone, id_number(1))
    office.shot(phone, "worker-registered")
    apply_to_join(phone, UNION)
    office.shot(phone, "worker-applied")
    assert "已申请" in phone.inner_text("body")

    desk = office.desk("union")
    office.go(desk, "/admin/")
    todo = desk.inner_text("#todo")
    office.shot(desk, "union-home")
    assert "入会申请" in todo, todo

    # A colleague joins at the desk: the chair's own union is chosen already.
    office.go(desk, "/admin/members/member/add/")
    assert "萧山城厢精密机械股份有限公司工会委员会" in shown(desk, "所属工会")
    desk.fill("#id_name", "陈晓东")
    desk.fill("#id_id_number", id_number(2))
    desk.fill("#id_mobile", "13800001111")
    desk.select_option("#id_category", label="产业工人：一线操作工")
    save_and_continue(desk)
    office.shot(desk, "union-member-added")
    assert re.search(r"/members/member/\d+/change/", desk.url), desk.inner_text("body")[:2000]
    assert "在册会员" in shown(desk, "状态")

    # The application, from the to-do list to its page, approved.
    office.go(desk, "/admin/")
    desk.locator("#todo a", has_text="入会申请").first.click()
    desk.wait_for_load_state("networkidle")
    desk.click("#result_list a:has-text('孙小梅')")
    desk.wait_for_load_state("networkidle")
    assert "批准入会" in steps(desk)
    take(desk, "批准入会")
    office.shot(desk, "union-application-approved")
    assert "在册会员" in shown(desk, "状态")
    number = shown(desk, "会员号").strip()
    assert re.fullmatch(r"\d{14}", number), number
    assert "批准入会" in timeline(desk)
    assert_readable(desk.inner_text("#content"))

    office.go(phone, "/portal/member/")
    office.shot(phone, "worker-card")
    card = phone.inner_text("body")
    assert number in card and "孙小梅" in card


def write_sheet(path, rows):
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("会员")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return path


def sheet_rows(office, path) -> list[list[str]]:
    out = office.shell(
        "import json; from gongjia.platform import sheetguard; "
        f"print(json.dumps(list(sheetguard.xlsx_rows({str(path)!r})), ensure_ascii=False))"
    )
    return json.loads(out.strip().splitlines()[-1])


def registered(office, id_no: str) -> bool:
    out = office.shell(
        "from gongjia.members.models import Member; from gongjia.platform import pii; "
        f"print(Member.objects.filter(**pii.lookup(Member, 'id_number', {id_no!r})).exists())"
    )
    return out.strip().splitlines()[-1] == "True"


def upload(office, page, path) -> str:
    """Upload a file on the import page; the job page follows its progress to the end."""
    office.go(page, "/admin/members/member/import-excel/")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('上传并检查')")
    page.wait_for_url("**/platform/job/**")
    page.wait_for_selector("#job-progress:not([hx-get])", timeout=120_000)
    # The page's own fields say the job ended too, not only its progress bar.
    page.wait_for_selector(
        ".field-line:has(label:text-is('状态')) .readonly:text-is('已完成')", timeout=30_000
    )
    return page.inner_text("#job-progress")


def test_an_import_with_mistakes_writes_nothing_and_says_what_to_fix(office, tmp_path):
    desk = office.desk("union")
    office.go(desk, "/admin/members/member/import-excel/")
    with desk.expect_download() as download:
        desk.locator("a[href$='import-template/']:visible").first.click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "会员导入模板.xlsx"
    headers = sheet_rows(office, template)[0]
    assert headers[:5] == ["姓名", "身份证号码", "手机号码", "所属工会代码", "入会日期"]

    def row(name, id_no, mobile, joined="2020-05-01"):
        cells = {"姓名": name, "身份证号码": id_no, "手机号码": mobile, "所属工会代码": UNION}
        cells["入会日期"] = joined
        return [cells.get(h, "") for h in headers]

    wrong_check = id_number(12)[:-1] + ("1" if id_number(12)[-1] != "1" else "2")
    rows = [
        headers,
        row("周敏", id_number(11), "13900009111"),
        row("吴强", wrong_check, "13900009112"),
        row("郑丽", id_number(13), "1390000", joined="2020-13-01"),
    ]
    progress = upload(office, desk, write_sheet(tmp_path / "十一月新会员.xlsx", rows))
    office.shot(desk, "import-refused")
    assert "未写入任何数据" in progress and "3 行中有 2 行有错误" in progress, progress
    with desk.expect_download() as download:
        desk.click("#job-progress a:has-text('下载结果')")
    assert download.value.suggested_filename == "十一月新会员-错误.xlsx"
    errors = tmp_path / "errors.xlsx"
    download.value.save_as(errors)
    back = sheet_rows(office, errors)
    assert back[0][-1] == "错误说明"
    assert [r[0] for r in back[1:]] == ["吴强", "郑丽"]  # only the failing rows, in file order
    assert back[1][-1] == "第 3 行：「身份证号码」身份证号码校验位不正确，请逐位核对。"
    assert back[2][-1].startswith("第 4 行：「手机号码」") and "「入会日期」" in back[2][-1]
    assert "。；" not in back[2][-1]  # one sentence, not two glued together
    assert not registered(office, id_number(11))  # the good row waited for the others

    # The officer corrects the rows in the error file and imports again: all three are written.
    fixed = [headers[:-1] if headers[-1] == "错误说明" else headers, rows[1]]
    fixed.append(row("吴强", id_number(12), "13900009112"))
    fixed.append(row("郑丽", id_number(13), "13900009113"))
    progress = upload(office, desk, write_sheet(tmp_path / "十一月新会员-改正.xlsx", fixed))
    office.shot(desk, "import-written")
    assert "新增 3" in progress, progress
    assert all(registered(office, id_number(n)) for n in (11, 12, 13))

    # A text file renamed .xlsx is named for what it is, not blamed on its headers.
    fake = tmp_path / "名单.xlsx"
    fake.write_text("姓名,身份证号码\n张三,1\n", encoding="utf-8")
    progress = upload(office, desk, fake)
    office.shot(desk, "import-not-a-workbook")
    assert "不是 Excel 工作簿" in progress and "表头" not in progress, progress


def test_a_walk_in_dispute_is_mediated_to_closure(office):
    """A worker walks into the station with unpaid wages; the lawyer registers the case,
    mediates, records the agreement, prints it, and closes the case when it is performed."""
    desk = office.desk("lawyer")
    office.go(desk, "/admin/")
    office.shot(desk, "lawyer-home")
    assert "待我处理" in desk.inner_text("#todo")

    office.go(desk, "/admin/rights/disputecase/add/")
    assert "调解协议内容" not in desk.inner_text("#content")  # later steps, not at intake
    choose(desk, "unit", "城厢街道总工会")
    desk.fill("#id_employer_name", "杭州城厢纺织有限公司")
    desk.fill("#id_received_on", TODAY.isoformat())
    desk.fill("#id_summary", "拖欠 10 月、11 月工资共 9,600 元，要求一次付清")
    desk.fill("#id_fact_wages_owed", "10 月、11 月工资各 4,800 元未发")
    desk.fill("#id_workers-0-name", "刘建国")
    desk.fill("#id_workers-0-mobile", "13700007777")
    desk.click("text=添加另一个 请求事项")
    desk.select_option("#id_claims-0-kind", label="劳动报酬")
    desk.fill("#id_claims-0-amount", "9600")
    save_and_continue(desk)
    office.shot(desk, "case-registered")
    assert re.search(r"/rights/disputecase/\d+/change/", desk.url), desk.inner_text("body")[:2000]
    number = shown(desk, "案件编号").strip()
    assert re.fullmatch(rf"WQ{TODAY.year}\d{{6}}", number), number
    assert "开始调解" in steps(desk)
    # The agreement cannot be printed before mediation, and the page says so.
    assert "调解协议书在调解期间或协议签订后打印" in desk.inner_text("#record-papers")

    take(desk, "开始调解")
    assert "调解中" in shown(desk, "状态")
    assert "调解协议生效日期" in blocked(desk)  # the agreement step names what it needs

    desk.fill("#id_agreement_terms", "一、用人单位于 12 月 10 日前一次性支付拖欠工资 9,600 元。")
    desk.fill("#id_agreement_effective_on", TODAY.isoformat())
    save_and_continue(desk)
    take(desk, "调解协议已签章")
    office.shot(desk, "case-agreed")
    assert "已达成调解协议" in shown(desk, "状态")
    with desk.context.expect_page() as paper:
        desk.locator("#record-papers a", has_text="调解协议书").click()
    paper = paper.value
    paper.wait_for_load_state("networkidle")
    office.shot(paper, "case-agreement-printed")
    text = paper.inner_text("body")
    assert "调解协议书" in text and "9,600 元" in text and number in text and "刘建国" in text
    paper.close()

    take(desk, "协议已履行")
    office.shot(desk, "case-closed")
    assert "已履行" in shown(desk, "状态")
    assert not steps(desk)  # a closed case offers no further step
    line = timeline(desk)
    assert "开始调解" in line and "调解协议已签章" in line and "协议已履行" in line
    assert "修改：调解协议内容、调解协议生效日期" in line  # a field change names its fields
    assert_readable(desk.inner_text("#content"))


def test_a_worker_asks_for_help_and_follows_the_case_on_a_phone(office):
    phone = office.phone("worker")
    office.shot(phone, "worker-home")
    phone.click("#tiles a[href='/portal/rights/new/']")
    stations = phone.locator("#id_station option").all_inner_texts()
    assert "城厢街道" in stations[1], stations[:5]  # the stations of the worker's town first
    phone.fill("#id_employer_name", "萧山城厢精密机械股份有限公司")
    phone.fill("#id_summary", "11 月加班 36 小时未付加班费")
    phone.fill("#id_known_on", (TODAY - dt.timedelta(days=3)).isoformat())
    phone.check("#id_still_employed")
    phone.select_option("#id_claim_kind", label="劳动报酬")
    phone.fill("#id_amount", "1800")
    phone.fill("#id_mobile", "13588889999")
    phone.click("button.primary")
    phone.wait_for_load_state("networkidle")
    office.shot(phone, "worker-request-sent")
    assert re.search(r"/portal/rights/\d+/", phone.url), phone.inner_text("body")[:2000]
    page = phone.inner_text("body")
    assert "已受理" in page and "接下来" in page
    number = re.search(rf"WQ{TODAY.year}\d{{6}}", page).group(0)

    desk = office.desk("lawyer")
    open_in_list(office, desk, "/admin/rights/disputecase/", number)
    take(desk, "开始调解")

    phone.reload()
    phone.wait_for_load_state("networkidle")
    office.shot(phone, "worker-follows-case")
    page = phone.inner_text("body")
    assert phone.inner_text("#case-status") == "调解中"
    assert "调解协议已签章" in page and "调解不成" not in page  # what it waits for, not setbacks
    assert "劳动报酬 1,800.00 元" in page  # money as the one formatter writes it
    assert_readable(page)


def test_a_hardship_file_from_the_portal_to_the_archive_and_relief_by_two(office):
    """The worker applies on a phone; the union chair checks, records the signed authorisation
    and visits; the town confirms, enters the finances and starts the notice; after the notice
    someone else archives; the town prepares relief and the district approves it."""
    phone = office.phone("worker")
    office.go(phone, "/portal/assistance/apply/")
    phone.fill("#id_address", "城厢街道湘湖路 18 号 3 单元 201 室")
    phone.select_option("#id_primary_cause", label="疾病")
    phone.fill("#id_employer_name", "萧山城厢精密机械股份有限公司")
    phone.fill("#id_health", "妻子患尿毒症，每周透析三次")
    phone.check("#id_consent")
    phone.fill("#id_m0_name", "王丽")
    phone.select_option("#id_m0_relationship", label="配偶")
    phone.fill("#id_m0_id_number", id_number(21))
    phone.select_option("#id_m0_work", label="失业")
    phone.click("button:has-text('提交申请')")
    phone.wait_for_load_state("networkidle")
    office.shot(phone, "worker-hardship-applied")
    page = phone.inner_text("body")
    number = re.search(rf"KN{TODAY.year}\d+", page).group(0)
    assert "已申请" in page and "王丽（配偶）" in page

    union = office.desk("union")
    office.go(union, "/admin/")
    assert "困难职工建档申请" in union.inner_text("#todo")
    open_in_list(office, union, "/admin/assistance/household/", number)
    take(union, "基层工会已审核")
    # The visit needs the signed authorisation: the page says so and offers to record it.
    office.shot(union, "union-visit-blocked")
    assert "授权书" in blocked(union)
    union.locator("#blocked-steps form button").click()
    union.wait_for_load_state("networkidle")
    take(union, "已入户调查并签署授权书")
    assert "已入户调查" in shown(union, "状态")
    assert "上级工会已复核" not in steps(union)  # the town confirms, not the union

    town = office.desk("chengxiang")
    open_in_list(office, town, "/admin/assistance/household/", number)
    take(town, "上级工会已复核")
    finances = town.locator("#household-tools form", has=town.locator("input[name=income]"))
    finances.locator("input[name=income]").fill("21000")
    finances.locator("input[name=rigid]").fill("6000")
    finances.locator("input[name=members_living]").fill("2")
    finances.locator("button").click()
    town.wait_for_load_state("networkidle")
    tools = town.inner_text("#household-tools")
    office.shot(town, "town-category-computed")
    assert "21,000.00 − 6,000.00 = 15,000.00" in tools and "深度困难" in tools
    assert not re.search(r"\d{12}", tools), tools  # the division by its name, not its code
    take(town, "经济状况核对通过")
    take(town, "开始公示")
    assert "公示中" in shown(town, "状态")
    why = blocked(town)
    assert "开始公示" in why and "以外的人员" in why  # not the one who started the notice

    # Seven working days later (the notice period is moved back rather than waited for).
    office.shell(
        "import datetime as dt; from django.utils import timezone; "
        "from gongjia.assistance.models import Household; "
        f"Household.objects.filter(number={number!r})"
        ".update(notice_until=timezone.localdate() - dt.timedelta(days=1))"
    )
    helpdesk = office.desk("helpdesk")
    open_in_list(office, helpdesk, "/admin/assistance/household/", number)
    take(helpdesk, "建档（公示无异议）")
    office.shot(helpdesk, "helpdesk-archived")
    assert "已建档" in shown(helpdesk, "状态")

    # Relief: the town prepares it, and cannot approve its own application.
    open_in_list(office, town, "/admin/assistance/household/", number)
    town.click("#prepare-relief")
    town.wait_for_load_state("networkidle")
    beneficiaries = town.locator("#id_beneficiary option").all_inner_texts()
    assert [b for b in beneficiaries if b.strip() not in ("", "请选择", "---------")] == [
        f"{number} 张伟 · 张伟",
        f"{number} 张伟 · 王丽",
    ], beneficiaries  # the chosen household's members only
    town.select_option("#id_beneficiary", label=f"{number} 张伟 · 王丽")
    town.fill("#id_first_period", f"{TODAY.year}-{TODAY.month:02d}")
    town.fill("#id_periods", "3")
    town.fill("#id_reason", "配偶失业且患尿毒症，家庭收入低于最低生活保障标准")
    save_and_continue(town)
    office.shot(town, "town-relief-prepared")
    assert shown(town, "状态") == "待上级批复", town.inner_text("#content")[:2000]
    assert "批准并发放" not in steps(town)
    assert "批准并发放" in blocked(town)  # greyed, with the reason: someone else approves
    relief_url = town.url

    district = office.desk("district")
    office.go(district, "/admin/")
    assert "救助申请" in district.inner_text("#todo")
    office.go(district, relief_url.removeprefix(office.site.base))
    take(district, "批准并发放")
    office.shot(district, "district-relief-approved")
    assert "已批准" in shown(district, "状态")
    ledger = district.inner_text("#content")
    assert "800.00" in ledger and "城厢街道干部" in ledger  # the month's payment, and who prepared
    assert not district.locator("a[href$='/delete/']").count()  # records end by steps
    assert_readable(ledger)

    office.go(phone, "/portal/assistance/")
    office.shot(phone, "worker-hardship-archived")
    assert "已建档" in phone.inner_text("body")
