"""The indicator contract, on the demo district: a figure that declares its records is their
number (a breakdown, the sum of its parts) for several years and scopes; the back office's
drill-down list and the API's records hold the same records; a write that changes the records
changes the figure at once. Every indicator added later is held to it without a line here."""

import io
import urllib.parse

import pytest
from django.core.management import call_command
from django.db.models import Sum

from conftest import sign_in
from gongjia.accounts.demo import DEMO_PASSWORD
from gongjia.accounts.models import User
from gongjia.platform import kpis

YEARS = (None, 2020, 2019)


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    """The demo district, loaded once for the module (loading it is most of the module's time)
    inside a transaction rolled back after the module's last test; each test runs in a
    savepoint within it, so what one test writes the next does not see."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_district, db):
    return {name: User.objects.get(username=name) for name in ("district", "chengxiang")}


def declared():
    return [(k, i) for k, i in sorted(kpis.registry().items()) if i.records is not None]


def test_every_indicator_declares_its_records():
    """No figure without the records that make it: a report's number is defended record by
    record."""
    assert [k for k, i in kpis.registry().items() if i.records is None] == []


def test_every_count_is_the_number_of_its_records(demo):
    assert len(declared()) >= 36
    checked = 0
    for key, ind in declared():
        # The records are the rows of the list the figure links to (its drill-down).
        meta = kpis.records(key, demo["district"], None).model._meta
        assert ind.link == f"admin:{meta.app_label}_{meta.model_name}_changelist", key
        for user in demo.values():
            for year in YEARS if ind.by_year else (None,):
                value = kpis.evaluate(user, year=year, keys=[key])[0]["value"]
                found = kpis.records(key, user, year)
                if ind.counts:
                    assert found.count() == value, (key, user.username, year)
                elif ind.sums:
                    summed = found.aggregate(s=Sum(ind.sums))["s"] or 0
                    if ind.fmt == kpis.MONEY:
                        summed = round(summed / 100, 2)  # kept in fen, read in yuan
                    assert summed == value, (key, user.username, year)
                elif isinstance(value, dict):
                    assert found.count() == sum(value.values()), (key, user.username, year)
                elif ind.kind == kpis.RATE:
                    # A rate is computed over its records: none without them.
                    assert (value is None) == (not found.exists()), (key, user.username, year)
                checked += 1
    assert checked > 100


def test_the_drill_down_lists_the_records_of_the_figure(demo, client):
    """Every number on the home page opens the list of its records: the list's count is the
    figure, in the back office and through the API."""
    district = demo["district"]
    client.force_login(district, backend="gongjia.accounts.backends.RoleBackend")
    token = sign_in(client, "district", DEMO_PASSWORD)
    for key, ind in declared():
        year = 2020 if ind.by_year else None
        figure = kpis.evaluate(district, year=year, keys=[key])[0]
        expected = kpis.records(key, district, year).count()
        assert figure["records_link"].startswith("/admin/"), key
        r = client.get(figure["records_link"])
        assert r.status_code == 200, (key, r.status_code)
        assert r.context["cl"].result_count == expected, key
        api = client.get(
            f"/api/v1/cockpit/kpis/{key}/records",
            {"year": year} if year else {},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert api.status_code == 200, (key, api.json())
        assert api.json()["count"] == expected, key
        if ind.counts:
            assert expected == figure["value"], key
    # A town's figure drills down to the town's records only.
    town = kpis.evaluate(demo["chengxiang"], year=2020, keys=["members.total"])[0]
    r = client.get(town["records_link"].replace("::", ":2020:"))
    whole = kpis.records("members.total", district, 2020).count()
    assert r.context["cl"].result_count == whole  # a link without a unit is the viewer's scope
    narrowed = "/admin/members/member/?kpi=members.total:2020:330109001"
    r = client.get(narrowed)
    assert 0 < r.context["cl"].result_count < whole
    assert r.context["cl"].result_count == town["value"]


def test_a_write_changes_the_figure_and_its_records_at_once(demo):
    from django.utils import timezone

    from gongjia.members import actions
    from gongjia.members.testing import id_number
    from gongjia.orgs.models import OrgUnit

    officer = demo["chengxiang"]
    union = OrgUnit.objects.get(code="330109001-001")
    year = timezone.localdate().year

    def figure(key, year=None):
        return kpis.evaluate(officer, year=year, keys=[key])[0]["value"]

    total, new = figure("members.total"), figure("members.new_members", year)
    actions.register(
        acting_user=officer,
        union=union,
        name="林新",
        id_number=id_number(977),
        mobile="13900009777",
        join_date=timezone.localdate().isoformat(),
    )
    assert figure("members.total") == total + 1
    assert figure("members.new_members", year) == new + 1
    assert kpis.records("members.total", officer).count() == total + 1


def test_a_figure_compared_across_the_towns(demo, client):
    """Each town's figure is the viewer's scope narrowed to the town, with its records' list;
    a town officer compares only what is theirs."""
    token = sign_in(client, "district", DEMO_PASSWORD)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    r = client.get("/api/v1/cockpit/kpis/members.total/breakdown", {"year": 2020}, **auth)
    assert r.status_code == 200, r.json()
    body = r.json()
    towns = body["items"]
    assert len(towns) >= 20 and body["period"] == "2020年末"
    values = [t["value"] for t in towns]
    assert values == sorted(values, reverse=True)  # largest first
    assert sum(values) <= body["total"] and sum(values) > 0.9 * body["total"]
    first = towns[0]
    client.force_login(demo["district"], backend="gongjia.accounts.backends.RoleBackend")
    listed = client.get(first["records_link"]).context["cl"].result_count
    assert listed == first["value"]
    # Rates compare too, and a figure shows as it reads.
    rate = client.get("/api/v1/cockpit/kpis/rights.village_coverage/breakdown", **auth).json()
    assert all(t["display"].endswith("%") or t["display"] == "—" for t in rate["items"])

    # A town officer's comparison is their own town; by unit, the unions under it.
    token = sign_in(client, "chengxiang", DEMO_PASSWORD)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    own = client.get("/api/v1/cockpit/kpis/members.total/breakdown", **auth).json()
    assert [t["code"] for t in own["items"]] == ["330109001"]
    unions = client.get(
        "/api/v1/cockpit/kpis/members.total/breakdown", {"by": "unit"}, **auth
    ).json()
    assert len(unions["items"]) > 1 and all(
        t["code"].startswith("330109001-") for t in unions["items"]
    )
    assert sum(t["value"] for t in unions["items"]) == own["total"]
    wrong = client.get("/api/v1/cockpit/kpis/no.such/breakdown", **auth)
    assert wrong.status_code == 404 and wrong.json()["message"]


def test_a_count_compared_in_one_query_equals_each_scope_narrowed(demo):
    """Counts across the towns (and the unions of a town) are had in one grouped query: for
    every count, several years and two viewers, each unit's number is the figure over the
    viewer's scope narrowed to that unit."""
    grouped = 0
    for name in ("district", "chengxiang"):
        user = demo[name]
        for by in ("town", "unit"):
            units = kpis.compared_units(user, by)
            for key, ind in declared():
                for year in YEARS:
                    fast = kpis._grouped(ind, user, units, year)
                    if fast is None:
                        continue
                    grouped += 1
                    assert fast == kpis._narrowed(ind, user, units, year), (name, by, key, year)
    assert grouped >= 50


def test_a_rate_beside_a_count_is_the_count_per_its_base_in_every_unit(demo, client):
    """A figure declared with `per=` is compared across units by its count and by its rate of
    the base figure of the same unit and year, through the API and the figure's page; the
    base is a declared count; a viewer who may not see the base sees no rate."""
    with_rate = [(k, i) for k, i in sorted(kpis.registry().items()) if i.per]
    assert len(with_rate) >= 3
    registry = kpis.registry()
    district = demo["district"]
    units = kpis.compared_units(district, "town")
    for key, ind in with_rate:
        base = registry[ind.per.base]
        assert base.counts and ind.per.scale > 0, key
        for year in (None, 2020):
            rows = {r["code"]: r for r in kpis.breakdown(key, district, units, year)}
            bases = {r["code"]: r["value"] for r in kpis.breakdown(base.key, district, units, year)}
            for code, row in rows.items():
                n, b = kpis.total(row["value"]), bases[code]
                expected = None if n is None or not b else n * ind.per.scale / b
                assert row["rate"] == pytest.approx(expected), (key, year, code)

    token = sign_in(client, "district", DEMO_PASSWORD)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = client.get(
        "/api/v1/cockpit/kpis/assistance.archived_households/breakdown", {"year": 2020}, **auth
    ).json()
    assert body["per"] == "每万名会员" and body["per_base"] == "members.total"
    found = kpis.evaluate(district, year=2020, keys=["assistance.archived_households"])
    total = kpis.total(found[0]["value"])
    assert total > 0
    members = kpis.evaluate(district, year=2020, keys=["members.total"])[0]["value"]
    assert body["total_rate"] == pytest.approx(total * 10_000 / members)
    busiest = max((t for t in body["items"] if t["rate"] is not None), key=lambda t: t["rate"])
    assert busiest["rate_display"] == f"{busiest['rate']:,.1f}"

    client.force_login(district, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get(
        "/admin/cockpit/assistance.archived_households/", {"year": 2020}
    ).content.decode()
    assert 'id="figure-per"' in page and "每万名会员" in page
    assert page.count("data-rate>") == len(body["items"])
    # The lawyer may not see the members: no rate of them either.
    lawyer = User.objects.get(username="lawyer")
    assert "members.total" not in kpis.visible(lawyer)
    rows = kpis.breakdown("rights.cases_received", lawyer, kpis.compared_units(lawyer), 2020)
    assert all("rate" not in r for r in rows)


def test_a_figures_page_charts_it_over_the_years_and_across_the_towns(demo, client):
    district = demo["district"]
    client.force_login(district, backend="gongjia.accounts.backends.RoleBackend")
    home = client.get("/admin/").content.decode()
    assert 'href="/admin/cockpit/members.total/"' in home  # every card opens its figure's page
    r = client.get("/admin/cockpit/members.total/", {"year": 2020})
    assert r.status_code == 200
    page = r.content.decode()
    figure = kpis.evaluate(district, year=2020, keys=["members.total"])[0]
    assert f'id="figure-value">{figure["display"]}' in page
    assert 'data-type="line"' in page and 'data-type="bar"' in page
    assert r.context["trend"][-1] == (2020, figure["display"])
    rows = r.context["rows"]
    assert len(rows) >= 20 and all(row["records_link"] in page for row in rows[:3])
    assert figure["records_link"] in page
    # A target is shown with whether it is reached.
    r = client.get("/admin/cockpit/rights.village_coverage/")
    assert "目标 100.0%" in r.content.decode()
    # A town officer compares the units under the town; a figure one may not see is not there.
    client.force_login(demo["chengxiang"], backend="gongjia.accounts.backends.RoleBackend")
    r = client.get("/admin/cockpit/members.total/")
    assert all(row["code"].startswith("330109001-") for row in r.context["rows"])
    auditor = User.objects.get(username="auditor")
    client.force_login(auditor, backend="gongjia.accounts.backends.RoleBackend")
    assert client.get("/admin/cockpit/members.total/").status_code == 404


def test_a_year_before_the_rules_has_no_records_rather_than_an_error(db, monkeypatch):
    """A figure whose rule was not yet in force answers nothing for that year, and so do its
    records (not an error)."""
    from gongjia.platform.parameters import UnknownParameter

    def rule_not_in_force(user, year):
        raise UnknownParameter("members.large_union_threshold")

    ind = kpis.Indicator(
        "test.early", "early", "", rule_not_in_force, by_year=True, records=rule_not_in_force
    )
    monkeypatch.setitem(kpis._registry, "test.early", ind)
    assert kpis.evaluate(None, year=2001, keys=["test.early"])[0]["value"] is None
    assert kpis.records("test.early", None, 2001) is None


def test_the_report_the_screen_and_the_api_say_the_same_over_each_scope(demo, client):
    """The annual report (its page, its workbook), the big screen and /kpis give one figure
    for one scope and year; a town's officer, and the district asking `under` the town, get
    the town's; a lawyer's report has no hardship figures; the report's files are what they
    say they are."""
    import python_calamine

    from gongjia.platform import report

    def api(name, **query):
        token = sign_in(client, name, DEMO_PASSWORD)
        r = client.get("/api/v1/cockpit/kpis", query, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 200, r.json()
        return {f["key"]: f for f in r.json()}, token

    district, token = api("district", year=2020)
    members = district["members.total"]
    assert members["display"] == "21,780" and len(members["trend"]) == 10
    assert members["trend"][-1] == {"year": 2020, "value": members["value"]}
    coverage = district["rights.village_coverage"]
    assert coverage["target"] == 1.0 and coverage["target_display"] == "100.0%"

    built = report.build(demo["district"], 2020)
    in_report = {f["key"]: f for s in built["sections"] for f in s["figures"]}
    assert {k: f["value"] for k, f in in_report.items()} == {
        k: f["value"] for k, f in district.items()
    }
    assert "77 个职工维权站（室）实现全区村（社区）全覆盖" in built["brief"]

    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    book = client.get("/api/v1/cockpit/report", {"year": 2020, "format": "xlsx"}, **auth)
    assert book.status_code == 200 and "attachment" in book["Content-Disposition"]
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(book.content))
    sheets = [workbook.get_sheet_by_index(i).to_python() for i in (0, 1)]
    rows = {r[0]: r[2] for r in sheets[0][1:]}
    for key, f in district.items():
        value = f["value"]
        value = sum(value.values()) if isinstance(value, dict) else value
        assert (rows[key] if rows[key] != "" else None) == value, key
    # By town: a count's column adds up to no more than the district's figure (units directly
    # under the district belong to no town).
    by_town = sheets[1]
    column = by_town[0].index(members["label"])
    assert len(by_town) - 1 >= 20
    assert sum(r[column] or 0 for r in by_town[1:]) <= members["value"]
    pdf = client.get("/api/v1/cockpit/report", {"year": 2020, "under": "330109001"}, **auth)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        urllib.parse.quote("城厢街道总工会 2020 年产改年度报告.pdf") in pdf["Content-Disposition"]
    )

    # The town: its officer's figures, the district's `under` it, its report, its screen.
    town, town_token = api("chengxiang", year=2020)
    town_auth = {"HTTP_AUTHORIZATION": f"Bearer {town_token}"}
    under, _token = api("district", year=2020, under="330109001")
    counts = [k for k, i in kpis.registry().items() if i.counts and k in town]
    assert counts and all(town[k]["value"] == under[k]["value"] for k in counts)
    assert town["members.total"]["value"] < members["value"]
    client.force_login(demo["chengxiang"], backend="gongjia.accounts.backends.RoleBackend")
    page = client.get("/admin/cockpit/report/", {"year": 2020}).content.decode()
    assert "城厢街道总工会 2020 年产改年度报告" in page
    assert f'<td class="num">{town["members.total"]["display"]}</td>' in page
    screen = client.get("/admin/cockpit/screen/", {"year": 2020}).content.decode()
    assert town["members.total"]["display"] in screen
    elsewhere = client.get("/admin/cockpit/report/", {"year": 2020, "under": "330109002"})
    assert elsewhere.status_code == 404  # a town's officer asks for another town
    for path in ("/api/v1/cockpit/kpis", "/api/v1/cockpit/report"):
        r = client.get(path, {"year": 2020, "under": "330109002"}, **town_auth)
        assert r.status_code == 400, (path, r.status_code)
        assert "单位代码 330109002 不存在或不在您的管辖范围内" in str(r.json())

    lawyer = User.objects.get(username="lawyer")
    client.force_login(lawyer, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get("/admin/cockpit/report/", {"year": 2020})
    assert page.status_code == 200
    assert 'id="programme-assistance"' not in page.content.decode()
