"""Indicators true to the year: `?year=Y` is the state at the end of Y for a stock and the events
of Y for a flow; a figure kept only as it stands today says nothing of a past year; a year
before the first record answers 0."""

import datetime as dt

from django.utils import timezone

from gongjia.assistance import actions as assistance
from gongjia.assistance.testing import archive
from gongjia.members.testing import id_number
from gongjia.orgs import actions as orgs
from gongjia.orgs.models import OrgUnit, Region
from gongjia.platform import kpis
from gongjia.platform.scope import SYSTEM
from gongjia.rights import actions as rights
from gongjia.rights.models import Negotiation

D = dt.date


def figures(user, year=None, **kw):
    return {k["key"]: k for k in kpis.evaluate(user, year=year, **kw)}


def value(user, key, year):
    return figures(user, year, keys=[key])[key]["value"]


def test_archived_households_at_the_end_of_each_year(tree, make_user, login_client):
    """Archived in 2021, out in 2023, back in 2025 with another category: each year-end is read
    from the periods in the archive, not from the household as it stands today."""
    officer = make_user("town_officer", tree.town_a)
    h = assistance.open_household(
        acting_user=officer,
        unit=tree.union_a,
        head_name="陈困难",
        address="城厢街道人民路 9 号",
        primary_cause="illness",
        members=[
            {
                "name": "陈困难",
                "relationship": "self",
                "id_number": id_number(41),
                "work": "employed",
            },
            {
                "name": "陈妻",
                "relationship": "spouse",
                "id_number": id_number(42),
                "work": "employed",
            },
        ],
    )
    archive(h, acting_user=officer, on=D(2021, 3, 1), year=2020)
    first = h.category
    assistance.household_step(
        h, "exit", acting_user=officer, on=D(2023, 6, 1), values={"exit_reason": "recovered"}
    )
    assistance.household_step(h, "relapse", acting_user=officer, note="再次失业", on=D(2025, 2, 3))
    admin = make_user("district_admin", tree.district)
    other = "deep" if first != "deep" else "relative"
    assistance.override_category(h, acting_user=admin, category=other, reason="家庭成员重病")

    key = "assistance.archived_households"
    assert value(admin, key, 2020) == {}  # before the first record: 0, not today's count
    assert value(admin, key, 2021) == {first: 1}
    assert value(admin, key, 2022) == {first: 1}
    assert value(admin, key, 2023) == {}  # left in 2023: exited_on is no longer on the row
    assert value(admin, key, 2024) == {}
    assert value(admin, key, 2025) == {first: 1}  # back in 2025, recategorised only this year
    assert value(admin, key, None) == {other: 1}
    employed = "assistance.employed_members"
    assert [value(admin, employed, y) for y in (2020, 2021, 2023, 2025)] == [0, 2, 0, 2]
    f = figures(admin, 2021, keys=[key])[key]
    assert (f["kind"], f["period"]) == ("stock", "2021年末")
    # The household's page lists its periods in the archive.
    page = login_client(admin).get(f"/admin/assistance/household/{h.pk}/change/").content.decode()
    assert "在档期间" in page and "2023-06-01" in page and "2025-02-03" in page
    # A town officer of the other town sees none of it in any year.
    officer_b = make_user("town_officer", tree.town_b)
    assert value(officer_b, key, 2021) == {} and value(officer_b, employed, 2022) == 0


def test_figures_kept_only_for_today_say_nothing_of_a_past_year(tree, make_user):
    admin = make_user("district_admin", tree.district)
    last_year = timezone.localdate().year - 1
    past, now = figures(admin, last_year), figures(admin, timezone.localdate().year)
    for key in ("rights.cases_overdue", "assistance.risk_red", "assistance.visits_overdue"):
        assert past[key]["value"] is None and past[key]["period"] == "当前"
        assert now[key]["value"] == 0
    # Every indicator declares what it is and when it is of.
    for f in past.values():
        assert f["kind"] in ("stock", "flow", "rate") and f["unit"] and f["period"]
        assert f["year"] in (None, last_year)


def test_stations_in_service_at_each_year_end(tree, make_user):
    a = Region.objects.get(pk=tree.region_a.pk)
    v1 = Region.objects.add_child(a, dict(code="330109001001", name="城厢一村", level="village"))
    a = Region.objects.get(pk=tree.region_a.pk)
    v2 = Region.objects.add_child(a, dict(code="330109001002", name="城厢二村", level="village"))
    common = dict(acting_user=SYSTEM, host=tree.town_a, address="人民路 1 号", hours="8:30-17:00")
    old = rights.save_station(None, name="老站", opened_on=D(2018, 5, 1), serves=[v1], **common)
    rights.save_station(None, name="新站", opened_on=D(2022, 5, 1), serves=[v1, v2], **common)
    # The old station leaves service in 2023: dated by the step, for the figures of past years.
    old = rights.save_station(old, acting_user=SYSTEM, closed_on=D(2023, 4, 30))
    assert old.active is False
    admin = make_user("district_admin", tree.district)
    counts = {y: value(admin, "rights.stations", y) for y in (2017, 2020, 2022, 2023, None)}
    assert counts == {2017: 0, 2020: 1, 2022: 2, 2023: 1, None: 1}
    cover = {y: value(admin, "rights.village_coverage", y) for y in (2017, 2020, 2022)}
    assert cover == {2017: 0.0, 2020: 0.5, 2022: 1.0}
    # Back in service: no closing date; leaving service without a date is dated today.
    old = rights.save_station(old, acting_user=SYSTEM, active=True)
    assert old.closed_on is None and old.active
    old = rights.save_station(old, acting_user=SYSTEM, active=False)
    assert old.closed_on == timezone.localdate()


def test_units_deregistered_still_count_for_the_years_they_served(tree, make_user):
    admin = make_user("district_admin", tree.district)
    OrgUnit.objects.filter(kind__in=OrgUnit.GRASSROOTS).update(founded_on=D(2015, 1, 1))
    OrgUnit.objects.filter(pk=tree.union_b.pk).update(founded_on=D(2019, 1, 1))
    before = value(admin, "orgs.grassroots_unions", 2024)
    orgs.transition_unit(tree.union_b, "deregister", acting_user=admin, note="企业注销")
    assert OrgUnit.objects.get(pk=tree.union_b.pk).deregistered_on == timezone.localdate()
    assert value(admin, "orgs.grassroots_unions", 2024) == before
    assert value(admin, "orgs.grassroots_unions", None) == before - 1
    assert value(admin, "orgs.grassroots_unions", 2018) == before - 1  # not founded yet
    orgs.transition_unit(tree.union_b, "reactivate", acting_user=admin, note="恢复")
    assert OrgUnit.objects.get(pk=tree.union_b.pk).deregistered_on is None


def test_contracts_in_force_at_each_year_end(tree, make_user):
    from gongjia.orgs.testing import make_enterprise

    ent = make_enterprise(tree, tree.town_a)
    n = Negotiation.objects.create(
        number="XS-T-1",
        title="工资专项集体协议",
        unit=tree.union_a,
        level="enterprise",
        enterprise=ent,
        status="expired",
        effective_on=D(2021, 1, 1),
        expires_on=D(2023, 12, 31),
    )
    admin = make_user("district_admin", tree.district)
    key = "rights.enterprises_with_collective_contract"
    assert [value(admin, key, y) for y in (2020, 2021, 2023, 2024, None)] == [0, 1, 1, 0, 0]
    Negotiation.objects.filter(pk=n.pk).update(status="abandoned")  # never took effect
    assert value(admin, key, 2022) == 0


def test_the_notice_period_is_marked_provisional_beyond_the_official_calendar(
    tree, make_user, client
):
    from conftest import sign_in
    from gongjia.platform.models import OfficialYear

    assert not OfficialYear.objects.filter(year=2027).exists()  # not published yet here
    officer = make_user("town_officer", tree.town_a)
    h = assistance.open_household(
        acting_user=officer,
        unit=tree.union_a,
        head_name="周困难",
        address="城厢街道人民路 10 号",
        primary_cause="illness",
        members=[
            {
                "name": "周困难",
                "relationship": "self",
                "id_number": id_number(51),
                "work": "employed",
            }
        ],
    )
    assistance.record_authorisation(h, acting_user=officer)
    for step in ("check", "visit"):
        assistance.household_step(h, step, acting_user=officer)
    colleague = make_user("town_officer", tree.town_a)  # the higher union's confirmation
    assistance.household_step(h, "confirm", acting_user=colleague)
    assistance.household_step(h, "economic_ok", acting_user=officer)
    assistance.household_step(h, "start_notice", acting_user=officer, on=D(2027, 1, 4))
    token = sign_in(client, officer.username)
    r = client.get(f"/api/v1/assistance/households/{h.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200, r.content
    assert r.json()["notice_until"] and r.json()["notice_until_provisional"] is True


def test_targets_are_lines_with_a_side_read_for_the_year_and_the_viewer(
    tree, make_user, monkeypatch
):
    """A target is a number, a dated parameter or a plan's function of (viewer, year), with the
    side of the line the figure must be on; every surface reads it through `evaluate`."""
    import dataclasses

    import pytest

    from gongjia.platform import parameters

    officer = make_user("town_officer", tree.town_a)
    key = "orgs.grassroots_unions"
    n = value(officer, key, None)
    assert n > 0
    plain = kpis.registry()[key]

    def declare(target):
        monkeypatch.setitem(kpis._registry, key, dataclasses.replace(plain, target=target))
        return figures(officer, None, keys=[key])[key]

    f = declare(kpis.Target(n))  # at least: met exactly at the line
    assert (f["target"], f["target_op"], f["target_display"]) == (n, ">=", f"{n:,}")
    assert kpis.reached(f["value"], f["target"], f["target_op"]) is True
    f = declare(kpis.Target(n, ">"))  # "more than": not met at the line
    assert f["target_display"] == f"> {n:,}"
    assert kpis.reached(f["value"], f["target"], f["target_op"]) is False
    f = declare(kpis.Target(n, "<="))  # a cap
    assert f["target_display"] == f"≤ {n:,}" and kpis.reached(f["value"], n, "<=") is True
    assert kpis.reached(n + 1, n, "<=") is False and kpis.reached(n, n, "<") is False
    # A plan's target comes from its records, per viewer and year.
    seen = []
    f = declare(kpis.Target(lambda user, year: seen.append((user, year)) or 2 * n))
    assert f["target"] == 2 * n and seen == [(officer, None)]
    # A dated parameter, read at the end of the year asked for.
    param = "security.idle_timeout_minutes"
    f = declare(kpis.Target(param))
    assert f["target"] == parameters.value(param)
    f = declare(kpis.Target("no.such.parameter"))
    assert f["target"] is None and f["target_display"] == ""
    with pytest.raises(ValueError):
        kpis.Target(1, "=>")
