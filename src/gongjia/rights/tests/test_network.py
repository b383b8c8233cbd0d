"""Stations, coverage, the legal service team, the duty roster, and their indicators."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjia.orgs.models import Region
from gongjia.platform import kpis
from gongjia.platform.scope import SYSTEM
from gongjia.rights import actions, selectors
from gongjia.rights.models import TeamMember


@pytest.fixture
def villages(tree):
    """Two villages under town A, one under town B."""
    a = Region.objects.get(pk=tree.region_a.pk)
    v1 = Region.objects.add_child(a, dict(code="330109001001", name="城厢一村", level="village"))
    a = Region.objects.get(pk=tree.region_a.pk)
    v2 = Region.objects.add_child(a, dict(code="330109001002", name="城厢二村", level="village"))
    b = Region.objects.get(pk=tree.region_b.pk)
    v3 = Region.objects.add_child(b, dict(code="330109002001", name="北干一村", level="village"))
    return v1, v2, v3


def station(town, serves, **kw):
    return actions.save_station(
        None,
        acting_user=kw.pop("acting_user", SYSTEM),
        host=town,
        name=kw.pop("name", f"{town.name}维权站"),
        address="人民路 1 号",
        hours="工作日 8:30-17:00",
        serves=serves,
        **kw,
    )


def lawyer(unit, **kw):
    fields = dict(
        kind=TeamMember.Kind.LAWYER,
        name="王律师",
        firm="浙江萧然律师事务所",
        licence_number="13301201510000001",
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2027, 12, 31),
    )
    fields.update(kw)
    return actions.save_team_member(None, acting_user=SYSTEM, unit=unit, **fields)


def test_a_station_serves_villages_of_its_own_area(tree, villages):
    v1, v2, v3 = villages
    with pytest.raises(ValidationError, match="北干一村"):
        station(tree.town_a, [v1, v3])
    with pytest.raises(ValidationError, match="villages|村"):
        station(tree.town_a, [tree.region_a])
    s = station(tree.town_a, [v1, v2])
    assert set(s.serves.values_list("code", flat=True)) == {v1.code, v2.code}


def test_coverage_lists_every_village_and_the_gaps(tree, villages, make_user, login_client):
    v1, v2, v3 = villages
    station(tree.town_a, [v1])
    admin = make_user("district_admin", tree.district)
    rows = selectors.coverage(admin)
    assert [(r.code, [s.name for s in ss]) for r, ss in rows] == [
        (v1.code, ["城厢街道总工会维权站"]),
        (v2.code, []),
        (v3.code, []),
    ]
    value = {k["key"]: k["value"] for k in kpis.evaluate(admin, keys=["rights.village_coverage"])}
    assert value["rights.village_coverage"] == round(1 / 3, 4)
    # A town officer sees the town's villages only.
    officer = make_user("town_officer", tree.town_a)
    assert [r.code for r, _ in selectors.coverage(officer)] == [v1.code, v2.code]
    assert kpis.evaluate(officer, keys=["rights.village_coverage"])[0]["value"] == 0.5
    client = login_client(admin)
    page = client.get("/admin/rights/station/coverage/?gaps=1").content.decode()
    assert "城厢二村" in page and "北干一村" in page and "城厢一村" not in page
    xlsx = client.get("/admin/rights/station/coverage/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    api = client.get("/api/v1/rights/stations/coverage?gaps=true").json()
    assert [r["code"] for r in api] == [v2.code, v3.code]


def test_team_member_rules(tree):
    with pytest.raises(ValidationError) as e:
        lawyer(tree.district, firm="", licence_number="123")
    assert set(e.value.message_dict) == {"firm", "licence_number"}
    with pytest.raises(ValidationError, match="region"):
        actions.save_team_member(
            None,
            acting_user=SYSTEM,
            unit=tree.town_a,
            kind=TeamMember.Kind.CHIEF_MAINTAINER,
            name="李维护",
            region=tree.region,  # the district, not a town
        )
    with pytest.raises(ValidationError):
        lawyer(tree.district, valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2024, 1, 1))


def test_indicators_count_valid_credentials_in_scope(tree, make_user):
    lawyer(tree.town_a)
    lawyer(tree.town_b, name="赵律师")
    lawyer(tree.town_a, name="过期律师", valid_until=dt.date(2021, 12, 31))
    admin = make_user("district_admin", tree.district)
    officer = make_user("town_officer", tree.town_a)
    assert selectors.lawyers(admin) == 2
    assert selectors.lawyers(officer) == 1
    assert selectors.lawyers(admin, 2021) == 3  # in 2021 the third one was still valid


def test_duty_roster_rules(tree, villages):
    s = station(tree.town_a, [villages[0]])
    other = station(tree.town_a, [villages[1]], name="第二维权室")
    m = lawyer(tree.town_a, stations=[s, other])
    monday = dt.date(2026, 3, 2)
    actions.add_shift(acting_user=SYSTEM, station=s, member=m, on=monday, period="am")
    actions.add_shift(acting_user=SYSTEM, station=other, member=m, on=monday, period="pm")
    with pytest.raises(ValidationError, match="值班|on duty"):
        actions.add_shift(acting_user=SYSTEM, station=other, member=m, on=monday, period="day")
    with pytest.raises(ValidationError):
        actions.add_shift(acting_user=SYSTEM, station=s, member=m, on=dt.date(2028, 3, 1))
    stranger = lawyer(tree.town_a, name="外站律师")
    with pytest.raises(ValidationError):
        actions.add_shift(acting_user=SYSTEM, station=s, member=stranger, on=monday)


def test_api_creates_and_lists_stations_and_team_in_scope(tree, villages, make_user, client):
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    headers = {}
    r = client.post(
        "/api/v1/rights/stations",
        {
            "name": "城厢维权站",
            "host_code": "A",
            "address": "人民路 1 号",
            "hours": "工作日",
            "serves": [villages[0].code, villages[1].code],
        },
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    r = client.post(
        "/api/v1/rights/stations",
        {"name": "越界", "host_code": "B", "address": "x", "hours": "x", "serves": []},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 400 and "host_code" in r.json()["errors"]
    r = client.post(
        "/api/v1/rights/stations",
        {"name": "错村", "host_code": "A", "address": "x", "hours": "x", "serves": ["999"]},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 400 and "serves" in r.json()["errors"]
    r = client.post(
        "/api/v1/rights/team",
        {
            "kind": "lawyer",
            "name": "钱律师",
            "unit_code": "A",
            "firm": "浙江湘湖律师事务所",
            "licence_number": "13301201510000009",
            "stations": [sid],
        },
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 201, r.content
    assert r.json()["stations"] == [sid] and r.json()["credential_valid"] is True
    station(tree.town_b, [villages[2]])
    listed = client.get("/api/v1/rights/stations", **headers).json()
    assert [s["id"] for s in listed["items"]] == [sid]
    r = client.patch(
        f"/api/v1/rights/stations/{sid}",
        {"serves": [villages[2].code]},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 400  # a village of town B
    team = client.get("/api/v1/rights/team?kind=lawyer", **headers).json()
    assert [m["name"] for m in team["items"]] == ["钱律师"]


def test_a_town_officer_cannot_place_a_station_in_another_town(tree, villages, make_user):
    officer = make_user("town_officer", tree.town_a)
    with pytest.raises(PermissionDenied):
        station(tree.town_b, [villages[2]], acting_user=officer)


def test_a_station_is_saved_in_the_back_office(tree, villages, make_user, login_client):
    client = login_client(make_user("town_officer", tree.town_a))
    form = {
        "host": tree.town_a.pk,
        "name": "城厢后台维权站",
        "kind": "station",
        "address": "人民路 2 号",
        "hours": "工作日",
        "active": "on",
        "serves": [villages[0].pk, villages[2].pk],  # the second lies in town B
    }
    r = client.post("/admin/rights/station/add/", form)
    assert r.status_code == 200 and "北干一村" in r.content.decode()  # the form says why
    form["serves"] = [villages[0].pk, villages[1].pk]
    r = client.post("/admin/rights/station/add/", form)
    assert r.status_code == 302
    from gongjia.rights.models import Station

    assert Station.objects.get(name="城厢后台维权站").serves.count() == 2


def test_team_roster_and_negotiation_are_saved_in_the_back_office(
    tree, villages, make_user, login_client
):
    from gongjia.rights.models import DutyShift, Negotiation

    client = login_client(make_user("town_officer", tree.town_a))
    s = station(tree.town_a, [villages[0]])
    r = client.post(
        "/admin/rights/teammember/add/",
        {
            "unit": tree.town_a.pk,
            "kind": "lawyer",
            "name": "后台律师",
            "firm": "浙江萧然律师事务所",
            "licence_number": "12345",
            "active": "on",
            "stations": [s.pk],
        },
    )
    assert r.status_code == 200 and "17" in r.content.decode()  # the licence number is wrong
    r = client.post(
        "/admin/rights/teammember/add/",
        {
            "unit": tree.town_a.pk,
            "kind": "lawyer",
            "name": "后台律师",
            "firm": "浙江萧然律师事务所",
            "licence_number": "13301201510000077",
            "active": "on",
            "stations": [s.pk],
        },
    )
    assert r.status_code == 302
    m = TeamMember.objects.get(name="后台律师")
    assert list(m.stations.all()) == [s]
    shift = {"station": s.pk, "member": m.pk, "on": "2026-03-02", "period": "day"}
    assert client.post("/admin/rights/dutyshift/add/", shift).status_code == 302
    r = client.post("/admin/rights/dutyshift/add/", dict(shift, period="am"))
    assert r.status_code == 200 and DutyShift.objects.count() == 1  # already on duty
    r = client.post(
        "/admin/rights/negotiation/add/",
        {"unit": tree.town_a.pk, "title": "后台协商", "level": "area", "kind": "wage"},
    )
    assert r.status_code == 302 and Negotiation.objects.get(title="后台协商").number


def test_the_case_handler_search_finds_the_team_by_what_they_are(tree, make_user, login_client):
    lw = lawyer(tree.district, name="王明", firm="浙江萧然法务所")  # "律师" in neither
    client = login_client(make_user("district_admin", tree.district))
    r = client.get(
        "/admin/autocomplete/",
        {
            "term": "律师",
            "app_label": "rights",
            "model_name": "disputecase",
            "field_name": "handler",
        },
    )
    assert r.status_code == 200
    assert [int(x["id"]) for x in r.json()["results"]] == [lw.pk]


def test_the_duty_roster_opens_at_this_month(tree, make_user, login_client):
    from django.utils import timezone

    client = login_client(make_user("district_admin", tree.district))
    r = client.get("/admin/rights/dutyshift/")
    today = timezone.localdate()
    assert r.status_code == 302
    assert r["Location"].endswith(f"?on__year={today.year}&on__month={today.month}")
    assert client.get(r["Location"]).status_code == 200
