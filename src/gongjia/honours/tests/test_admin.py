"""The back office's forms posted as an officer fills them in: a programme with its share rules
as rows of fields, a batch taking them, a nominee by member number, the batch's quota panel, a
department's response, a recuperation batch in yuan and an application by member number."""

import datetime as dt

from gongjia.honours.models import Batch, CareApplication, CareBatch, Nomination, Programme
from gongjia.honours.testing import nominee


def _rules(rules):
    data = {}
    for k, (category, op, pct, count) in enumerate(rules, start=1):
        data.update(
            {
                f"rule_{k}_category": category,
                f"rule_{k}_op": op,
                f"rule_{k}_pct": pct,
                f"rule_{k}_count": count,
                f"rule_{k}_base": "all",
            }
        )
    return data


def test_a_programme_a_batch_and_a_nominee_through_the_forms(tree, make_user, login_client):
    client = login_client(make_user("district_admin", tree.district))
    r = client.post(
        "/admin/honours/programme/add/",
        {
            "organiser": tree.district.pk,
            "name": "区劳动模范",
            "kind": "model_worker",
            "level": 1,
            "notice_working_days": 5,
            "departments_text": "区税务局\n区市场监管局\n",
            **_rules([("industrial", ">", "60", ""), ("enterprise_head", "<=", "", "2")]),
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    p = Programme.objects.get(name="区劳动模范")
    assert p.rules == [
        {"category": "industrial", "op": ">", "base": "all", "pct": "60"},
        {"category": "enterprise_head", "op": "<=", "base": "all", "count": 2},
    ]
    assert p.departments == ["区税务局", "区市场监管局"]

    # A rule with both a percentage and a number is refused on its field; nothing is saved.
    r = client.post(
        "/admin/honours/batch/add/",
        {
            "programme": p.pk,
            "organiser": tree.district.pk,
            "name": "2020年评选",
            "year": 2020,
            "places": 10,
            **_rules([("industrial", ">", "60", "3")]),
        },
    )
    assert r.status_code == 200 and "只能填写其中一项" in r.content.decode()
    assert not Batch.objects.exists()
    # Left empty, the rules and departments are the programme's.
    r = client.post(
        "/admin/honours/batch/add/",
        {
            "programme": p.pk,
            "organiser": tree.district.pk,
            "name": "2020年评选",
            "year": 2020,
            "places": 10,
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    b = Batch.objects.get()
    assert b.rules == p.rules and b.departments == p.departments
    assert b.notice_working_days == 5

    m = nominee(tree, tree.town_a)
    r = client.post(
        "/admin/honours/nomination/add/",
        {
            "batch": b.pk,
            "member_number": m.member_number,
            "unit": m.union.pk,
            "categories": ["frontline"],
            "deeds": "事迹",
            "appraisal_on": "2020-03-02",
            "appraisal_evidence": "评议记录",
            "congress_on": "2020-03-10",
            "congress_evidence": "职代会决议",
            "nominated_on": "2020-03-20",
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    n = Nomination.objects.get()
    assert n.categories == ["frontline"] and n.member == m
    # A nomination's page is read-only: saving it sends no member number and refuses nothing.
    inlines = {
        f"{k}-{f}": "0"
        for k in ("clearances", "objections")
        for f in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    r = client.post(f"/admin/honours/nomination/{n.pk}/change/", inlines)
    assert r.status_code == 302 and Nomination.objects.count() == 1
    page = client.get(f"/admin/honours/batch/{b.pk}/change/").content.decode()
    assert 'id="quota-panel"' in page and "产业工人 &gt; 60%" in page
    assert f'data-nomination="{n.pk}"' in page
    nomination_page = client.get(f"/admin/honours/nomination/{n.pk}/change/").content.decode()
    # The registry's category, then the declared one.
    assert "产业工人、" in nomination_page and "一线职工" in nomination_page

    Batch.objects.filter(pk=b.pk).update(status="clearance")
    # Saving a submitted batch's page changes nothing and refuses nothing: its rules are fixed.
    r = client.post(f"/admin/honours/batch/{b.pk}/change/", {})
    assert r.status_code == 302
    assert Batch.objects.get(pk=b.pk).rules == p.rules
    r = client.post(
        f"/admin/honours/nomination/{n.pk}/clearance/",
        {
            "_submitted": "1",
            "department": "区税务局",
            "result": "vetoed",
            "reason": "",
            "on": "2020-04-01",
        },
    )
    assert r.status_code == 200 and "否决须说明理由" in r.content.decode()
    r = client.post(
        f"/admin/honours/nomination/{n.pk}/clearance/",
        {
            "_submitted": "1",
            "department": "区税务局",
            "result": "vetoed",
            "reason": "欠税",
            "on": "2020-04-01",
        },
    )
    assert r.status_code == 302
    assert Nomination.objects.get().status == "vetoed"


def test_a_recuperation_batch_in_yuan_and_an_application(tree, make_user, login_client):
    client = login_client(make_user("district_admin", tree.district))
    today = dt.date.today()
    data = {
        "kind": "recuperation",
        "organiser": tree.district.pk,
        "name": "疗休养第一批",
        "place": "千岛湖",
        "starts_on": today + dt.timedelta(days=40),
        "days": 5,
        "capacity": 30,
        "cost": "3500.00",
        "applications_until": today + dt.timedelta(days=20),
    }
    r = client.post("/admin/honours/carebatch/add/", data)
    assert r.status_code == 200 and "超过" in r.content.decode()  # ¥700 a day
    assert not CareBatch.objects.exists()
    r = client.post("/admin/honours/carebatch/add/", {**data, "cost": "2500.00"})
    assert r.status_code == 302, r.content.decode()[-3000:]
    b = CareBatch.objects.get()
    assert b.cost_fen == 250_000
    m = nominee(tree, tree.town_a)
    r = client.post(
        "/admin/honours/careapplication/add/",
        {"batch": b.pk, "member_number": m.member_number, "post_since": "2015-01-01"},
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    a = CareApplication.objects.get()
    assert (a.member, a.channel, a.unit) == (m, "office", m.union)
    assert client.post(f"/admin/honours/careapplication/{a.pk}/change/", {}).status_code == 302
    # Once allocated, saving the batch's page changes nothing and refuses nothing.
    CareBatch.objects.filter(pk=b.pk).update(status="allocated")
    assert client.post(f"/admin/honours/carebatch/{b.pk}/change/", {}).status_code == 302
    assert CareBatch.objects.get(pk=b.pk).cost_fen == 250_000


def test_nominations_from_a_spreadsheet_all_or_none(tree, make_user, login_client, tmp_path):
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from gongjia.honours.imports import NominationsImport
    from gongjia.honours.testing import make_batch
    from gongjia.platform import sheetimport

    b = make_batch(tree, tree.district)
    officer = make_user("town_officer", tree.town_a)
    people = [nominee(tree, tree.town_a) for _ in range(2)]
    head = [c.header for c in NominationsImport().columns()]

    def book(name, rows):
        path = tmp_path / name
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet()
        ws.write_row(0, 0, head)
        for i, r in enumerate(rows, start=1):
            ws.write_row(i, 0, r)
        wb.close()
        return path

    good = [
        [
            m.member_number,
            "",
            "一线职工、企业职工",
            "事迹",
            "2020-03-02",
            "评议记录",
            "2020-03-10",
            "决议",
        ]
        for m in people
    ]
    bad = [
        ["NO-SUCH", "", "", "事迹", "2020-03-02", "评议记录", "2020-03-10", "决议"],
        [
            people[0].member_number,
            "",
            "劳模",
            "事迹",
            "2020-03-12",
            "评议记录",
            "2020-03-10",
            "决议",
        ],
    ]
    imp = sheetimport.get(NominationsImport.key)
    out = sheetimport.run(
        imp,
        book("推荐.xlsx", good + bad),
        user=officer,
        params={"batch": b.pk},
        error_path=tmp_path / "推荐-错误.xlsx",
    )
    assert (out.total, out.refused, out.written) == (4, 2, 0)
    assert not Nomination.objects.exists()  # the good rows too
    errors = CalamineWorkbook.from_path(str(out.error_file)).get_sheet_by_index(0).to_python()
    assert "NO-SUCH" in errors[1][-1] and "劳模" in errors[2][-1]
    out = sheetimport.run(
        imp,
        book("推荐2.xlsx", good),
        user=officer,
        params={"batch": b.pk},
        error_path=tmp_path / "推荐2-错误.xlsx",
    )
    assert (out.written, out.refused) == (2, 0)
    n = Nomination.objects.order_by("pk").first()
    assert (n.member, n.unit, n.categories) == (
        people[0],
        people[0].union,
        ["frontline", "enterprise"],
    )
    client = login_client(officer)
    # The town's officer finds the district's selection on the nominations list, though they
    # cannot open the batch itself.
    listing = client.get("/admin/honours/nomination/").content.decode()
    assert 'id="open-batches"' in listing and b.name in listing
    assert client.get(f"/admin/honours/batch/{b.pk}/change/").status_code in (302, 403, 404)
    page = client.get(f"/admin/honours/nomination/import/{b.pk}/")
    assert page.status_code == 200 and "导入推荐人选" in page.content.decode()
    template = client.get("/admin/honours/nomination/import-template/")
    assert template.status_code == 200
    other = login_client(make_user("town_officer", tree.town_b))
    assert other.get(f"/admin/honours/nomination/import/{b.pk}/").status_code == 200  # B too
    union = login_client(make_user("union_officer", tree.union_a))
    assert union.get(f"/admin/honours/nomination/import/{b.pk}/").status_code == 200
