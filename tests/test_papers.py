"""Paperwork people print: each document opens from its record's page for whoever may see the
record, reads in Chinese with its values in words, refuses (and says why) before its time,
logs a print of personal data, and comes as a PDF with a Chinese font where it is signed."""

import datetime as dt
import re
import zlib

import pytest
from django.urls import reverse

from gongjia.assistance import actions as assistance
from gongjia.assistance.testing import make_household, make_relief_application
from gongjia.members.testing import make_member
from gongjia.platform import paperwork
from gongjia.platform.admin_base import url_name
from gongjia.platform.models import AuditEvent
from gongjia.platform.scope import SYSTEM
from gongjia.rights import actions as rights
from gongjia.rights.testing import make_case


def _print_url(obj, key, pdf=False):
    url = reverse(url_name(obj, "print"), args=[obj.pk, key])
    return url + ("?pdf=1" if pdf else "")


def _cjk_font_in(pdf: bytes) -> bool:
    """The PDF embeds a font that has Chinese (one of the CJK fonts the page asks for), read
    from its objects, which may sit in compressed object streams."""
    text = pdf
    for chunk in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(chunk)
        except zlib.error:
            continue
    names = re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-_]+)", text)
    return any(re.search(rb"WenQuanYi|Noto|SourceHan", n) for n in names)


def test_every_document_is_offered_on_its_records_page(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    member = make_member(tree, tree.town_a)
    page = client.get(reverse(url_name(member, "change"), args=[member.pk])).content.decode()
    assert "入会申请表" in page and _print_url(member, "members.application") in page
    assert _print_url(member, "members.card") in page
    case = make_case(tree, tree.town_a)
    page = client.get(reverse(url_name(case, "change"), args=[case.pk])).content.decode()
    # Not yet: greyed with the reason, no link.
    assert "调解协议书" in page and "调解期间" in page
    assert _print_url(case, "rights.mediation_agreement") not in page


def test_the_application_form_prints_the_person_in_full_and_logs_it(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    member = make_member(tree, tree.town_a, category="operator", education="senior")
    r = client.get(_print_url(member, "members.application"))
    assert r.status_code == 200
    text = r.content.decode()
    assert "工会会员入会申请表" in text and member.id_number in text
    assert "申请人签名" in text and "高中" in text and "operator" not in text
    assert "2020-03-01" in text  # admitted from the join date, written the one way
    logged = AuditEvent.objects.filter(kind="export", action="print", actor=officer).get()
    assert logged.object_id == str(member.pk) and logged.data["paper"] == "members.application"
    # The card carries no ID number, so printing it is not logged.
    r = client.get(_print_url(member, "members.card"))
    assert r.status_code == 200 and "<svg" in r.content.decode()
    assert member.id_number not in r.content.decode()
    assert AuditEvent.objects.filter(kind="export", action="print").count() == 1


def test_a_document_outside_ones_scope_is_not_found(tree, make_user, client):
    member = make_member(tree, tree.town_a)
    other = make_user("town_officer", tree.town_b)
    client.force_login(other, backend="gongjia.accounts.backends.RoleBackend")
    assert client.get(_print_url(member, "members.application")).status_code == 404
    assert client.get(_print_url(member, "rights.mediation_agreement")).status_code == 404
    assert not AuditEvent.objects.filter(action="print").exists()


def test_a_document_before_its_time_says_why(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    case = make_case(tree, tree.town_a)
    r = client.get(_print_url(case, "rights.mediation_agreement"), follow=True)
    assert "调解协议书在调解期间或协议签订后打印" in r.content.decode()
    assert "已受理" in r.content.decode() or "受理" in r.content.decode()


def test_the_mediation_agreement_reads_the_case_and_the_dated_rules(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    case = make_case(tree, tree.town_a)
    rights.case_step(case, "mediate", acting_user=SYSTEM, on=dt.date(2026, 3, 3))
    rights.update_case(
        case, acting_user=SYSTEM, agreement_terms="用人单位于3月20日前支付工资1000元。"
    )
    text = client.get(_print_url(case, "rights.mediation_agreement")).content.decode()
    assert "劳动争议调解协议书" in text and case.number in text
    assert "1,000.00" in text and "劳动报酬" in text  # the claim by its label, money grouped
    assert "用人单位于3月20日前支付工资1000元。" in text
    assert "15 日内" in text and "30 日内" in text  # arbitral review and confirmation windows
    assert "调解员（签名）" in text and "用人单位（盖章）" in text


@pytest.mark.parametrize("which", ["rights.mediation_agreement", "assistance.relief_approval"])
def test_a_signed_document_is_a_pdf_in_a_chinese_font(tree, make_user, client, which):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    if which == "rights.mediation_agreement":
        obj = make_case(tree, tree.town_a)
        rights.case_step(obj, "mediate", acting_user=SYSTEM, on=dt.date(2026, 3, 3))
    else:
        obj = make_relief_application(tree, tree.town_a)
    r = client.get(_print_url(obj, which, pdf=True))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and _cjk_font_in(r.content)
    assert ".pdf" in r["Content-Disposition"]


def test_the_relief_form_names_the_policy_and_both_people(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    a = make_relief_application(tree, tree.town_a)
    text = client.get(_print_url(a, "assistance.relief_approval")).content.decode()
    assert "救助审批表" in text and a.number in text and "unemployment" not in text
    assert "经办人（签名）" in text and "审批人（签名）" in text
    assert str(a.prepared_by) in text


def _in_notice(tree, make_user, officer):
    h = make_household(tree, tree.town_a)
    base = make_user("union_officer", h.unit)
    assistance.record_authorisation(h, acting_user=base)
    assistance.record_finances(
        h, acting_user=officer, year=2025, income_fen=2_400_000, rigid_fen=0, members_living=3
    )
    for step, who in (("check", base), ("visit", base)) + tuple(
        (s, officer) for s in ("confirm", "economic_ok", "start_notice")
    ):
        assistance.household_step(h, step, acting_user=who, on=dt.date(2026, 3, 2))
    h.refresh_from_db()
    return h


def test_the_notice_list_shows_name_unit_and_category_only(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    h = _in_notice(tree, make_user, officer)
    text = client.get(_print_url(h, "assistance.notice_list")).content.decode()
    assert "公示" in text and h.head_name in text and h.get_category_display() in text
    assert h.notice_until.isoformat() in text
    for m in h.members.all():
        assert not m.id_number or m.id_number not in text
    assert h.number not in text  # the archive number is internal
    other = make_household(tree, tree.town_a)  # applied, not in notice: not on the list
    assert other.head_name not in text or other.head_name == h.head_name


def test_the_worker_prints_their_own_application_and_card(tree, make_user, client):
    worker = make_user("worker", tree.union_a)
    member = make_member(tree, tree.town_a)
    type(member).objects.filter(pk=member.pk).update(user=worker)  # the account is linked
    client.force_login(worker, backend="gongjia.accounts.backends.RoleBackend")
    assert "打印我的会员卡" in client.get("/portal/member/").content.decode()
    r = client.get("/portal/member/print/card/")
    assert r.status_code == 200 and member.member_number in r.content.decode()
    r = client.get("/portal/member/print/application/?pdf=1")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    # Only one's own: there is no way to name another record.
    assert client.get("/portal/member/print/other/").status_code == 302


def test_every_registered_document_has_a_chinese_label_and_template():
    from django.template.loader import get_template
    from django.utils import translation

    assert paperwork.registry()
    with translation.override("zh-hans"):
        for p in paperwork.registry().values():
            get_template(p.template)
            assert re.search(r"[\u4e00-\u9fff]", str(p.label)), p.key
