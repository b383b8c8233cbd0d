"""Pioneer units barred by the records with their dates, the teams' share, studios with the seven
haves, team and grant ledger, named methods' eligibility, and party development by year."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongjia.honours import actions, findings, selectors
from gongjia.honours.models import NamedMethod, PioneerUnit, SafetyIncident, Studio, StudioGrant
from gongjia.honours.testing import (
    make_incident,
    make_method,
    make_party,
    make_pioneer,
    make_studio,
    make_studio_member,
    nominee,
)
from gongjia.platform.scope import SYSTEM
from gongjia.rights.models import DisputeCase, Negotiation

P = PioneerUnit.Status


def _contract(tree, enterprise, effective=dt.date(2019, 1, 1), expires=dt.date(2021, 12, 31)):
    n = Negotiation.objects.create(
        number=f"T{enterprise.pk:06d}",
        title="区域性集体合同",
        unit=tree.town_a,
        level="area",
        kind="contract",
        status="expired",
        effective_on=effective,
        expires_on=expires,
    )
    n.covered.add(enterprise)
    return n


def _bars(p, on):
    return {f["key"]: f["barred"] for f in findings.pioneer_bars(p, on)}


def test_no_collective_contract_bars_until_one_covers_the_enterprise(tree):
    p = make_pioneer(tree, tree.town_a, enterprise=tree.ent_a)
    bars = _bars(p, dt.date(2020, 12, 31))
    assert bars == {"union": False, "contract": True, "arrears": False, "incident": False}
    with pytest.raises(ValidationError, match="集体合同"):
        actions.pioneer_step(p, "name", acting_user=SYSTEM, on=dt.date(2020, 4, 28))
    _contract(tree, tree.ent_a)
    actions.pioneer_step(p, "name", acting_user=SYSTEM, on=dt.date(2020, 4, 28))
    p.refresh_from_db()
    assert p.status == P.NAMED and p.named_on == dt.date(2020, 4, 28)
    assert {b["key"] for b in p.bars} == {"union", "contract", "arrears", "incident"}


def test_a_union_founded_after_the_day_is_no_union(tree):
    _contract(tree, tree.ent_a)  # union A was founded on 2020-05-01
    p = make_pioneer(tree, tree.town_a, enterprise=tree.ent_a, year=2020)
    assert _bars(p, dt.date(2020, 4, 30))["union"] is True
    assert _bars(p, dt.date(2020, 5, 1))["union"] is False


def test_a_wage_arrears_case_of_the_year_bars_that_year_only(tree):
    _contract(tree, tree.ent_a)
    case = DisputeCase.objects.create(
        number="AR2020001",
        unit=tree.town_a,
        employer=tree.ent_a,
        employer_name=tree.ent_a.name,
        received_on=dt.date(2020, 3, 2),
        channel="union",
        summary="拖欠工资三个月",
        wage_arrears=True,
    )
    p = make_pioneer(tree, tree.town_a, enterprise=tree.ent_a, year=2020)
    found = {f["key"]: f for f in findings.pioneer_bars(p, dt.date(2020, 12, 31))}
    assert found["arrears"]["barred"] and case.number in found["arrears"]["found"]
    p21 = make_pioneer(tree, tree.town_a, enterprise=tree.ent_a, year=2021)
    assert _bars(p21, dt.date(2021, 12, 31))["arrears"] is False


@pytest.mark.parametrize(
    ("on", "barred"),
    [
        (dt.date(2018, 6, 1), True),  # the day of the accident
        (dt.date(2021, 5, 31), True),  # the last day of the three years
        (dt.date(2021, 6, 1), False),  # three years from its date
        (dt.date(2018, 5, 31), False),  # before it happened
    ],
)
def test_an_accident_bars_for_three_years_from_its_date(tree, on, barred):
    _contract(tree, tree.ent_a, expires=dt.date(2030, 1, 1))
    make_incident(tree, tree.town_a, enterprise=tree.ent_a, occurred_on=dt.date(2018, 6, 1))
    p = make_pioneer(tree, tree.town_a, enterprise=tree.ent_a, year=on.year)
    assert _bars(p, on)["incident"] is barred


def test_a_mass_incident_bars_like_an_accident_and_is_named(tree):
    _contract(tree, tree.ent_a)
    make_incident(
        tree,
        tree.town_a,
        enterprise=tree.ent_a,
        kind=SafetyIncident.Kind.MASS,
        occurred_on=dt.date(2019, 9, 9),
    )
    p = make_pioneer(tree, tree.town_a, enterprise=tree.ent_a)
    with pytest.raises(ValidationError, match="群体性事件"):
        actions.pioneer_step(p, "name", acting_user=SYSTEM, on=dt.date(2020, 4, 28))
    actions.pioneer_step(p, "refuse", acting_user=SYSTEM, note="限制条件", on=dt.date(2020, 4, 28))
    assert PioneerUnit.objects.get(pk=p.pk).status == P.REFUSED


def test_teams_share_of_the_named_units_is_checked_as_a_quota(tree, make_user):
    _contract(tree, tree.ent_a)
    kinds = ["team"] * 6 + ["workshop"] * 3
    for k in kinds:
        p = make_pioneer(tree, tree.town_a, enterprise=tree.ent_a, kind=k)
        actions.pioneer_step(p, "name", acting_user=SYSTEM, on=dt.date(2020, 4, 28))
    district = make_user("district_admin", tree.district)
    r = selectors.pioneer_team_share(district, 2020)
    # 6 of 9 is 66.7 %: at least 70 % of 9 needs 7 teams.
    assert (r.count, r.base, r.line, r.met, r.shortfall) == (6, 9, 7, False, 1)
    assert selectors.pioneer_units(district, 2020) == 9


def test_a_studio_is_named_on_the_seven_haves_and_a_team_and_granted(tree):
    s = make_studio(tree, tree.town_a, haves=["plaque", "place"])
    with pytest.raises(ValidationError, match="七有|团队"):
        actions.studio_step(s, "apply", acting_user=SYSTEM)
    Studio.objects.filter(pk=s.pk).update(
        haves=["plaque", "place", "rules", "funds", "team", "ledger", "results"]
    )
    for _ in range(3):
        make_studio_member(tree, tree.town_a, studio=s)
    actions.studio_step(s, "apply", acting_user=SYSTEM, on=dt.date(2020, 4, 1))
    actions.studio_step(s, "name", acting_user=SYSTEM, on=dt.date(2020, 5, 20))
    s.refresh_from_db()
    assert s.named_on == dt.date(2020, 5, 20) and s.confirmed_until == dt.date(2023, 5, 20)
    assert list(s.grants.values_list("kind", "amount_fen")) == [("naming", 2_000_000)]
    with pytest.raises(ValidationError) as e:
        actions.grant_studio(s, kind="correction", amount_fen=-3_000_000, acting_user=SYSTEM)
    assert "amount" in e.value.message_dict
    actions.grant_studio(s, kind="correction", amount_fen=-500_000, acting_user=SYSTEM)
    actions.reconfirm_studio(s, acting_user=SYSTEM, on=dt.date(2023, 5, 1))
    s.refresh_from_db()
    assert s.confirmed_until == dt.date(2026, 5, 1)
    assert sum(StudioGrant.objects.filter(studio=s).values_list("amount_fen", flat=True)) == (
        2_000_000 - 500_000 + 1_000_000
    )


@pytest.mark.parametrize(
    ("fields", "unmet"),
    [
        ({}, set()),
        ({"frontline": False}, {"frontline"}),
        ({"enterprise_head": True}, {"not_head"}),
        ({"senior_title": True}, {"not_senior"}),
        ({"doctorate": True}, {"not_doctor"}),
        ({"higher_award": True}, {"not_awarded"}),
        ({"excluded": True}, {"not_excluded"}),
        ({"results_since": dt.date(2019, 9, 21)}, {"results"}),  # 12 months on 2020-09-20
        ({"results_since": dt.date(2019, 9, 20)}, set()),
    ],
)
def test_a_named_method_s_eligibility_is_explained(tree, fields, unmet):
    m = make_method(tree, tree.town_a, **fields)
    found = findings.method_eligibility(m, dt.date(2020, 9, 20))
    assert {f["key"] for f in found if not f["met"]} == unmet
    if unmet:
        with pytest.raises(ValidationError):
            actions.method_step(m, "name", acting_user=SYSTEM, on=dt.date(2020, 9, 20))
    else:
        actions.method_step(m, "name", acting_user=SYSTEM, on=dt.date(2020, 9, 20))
        m.refresh_from_db()
        assert m.status == NamedMethod.Status.NAMED
        assert m.name == f"{m.inventor.name}操作法"


def test_party_development_counts_industrial_workers_admitted_in_the_year(tree, make_user):
    make_party(tree, tree.town_a)
    make_party(tree, tree.town_a, member=nominee(tree, tree.town_a, industrial=False))
    make_party(tree, tree.town_b, probationary_on=dt.date(2019, 7, 1))
    make_party(tree, tree.town_b, activist_on=None, probationary_on=None)
    district = make_user("district_admin", tree.district)
    assert selectors.party_members_developed(district, 2020) == 1
    assert selectors.party_members_developed(district, 2019) == 1
    a = make_user("town_officer", tree.town_a)
    assert selectors.party_members_developed(a, 2019) == 0


def test_party_stages_come_in_order(tree):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_party(tree, tree.town_a, activist_on=None, probationary_on=dt.date(2020, 7, 1))


def test_party_development_is_never_exported(tree, make_user, login_client):
    make_party(tree, tree.town_a)
    client = login_client(make_user("district_admin", tree.district))
    r = client.get("/admin/honours/partydevelopment/")
    assert r.status_code == 200 and b"export_xlsx" not in r.content


def test_the_pioneer_list_shows_the_teams_share_of_the_year(tree, make_user, login_client):
    _contract(tree, tree.ent_a)
    p = make_pioneer(tree, tree.town_a, enterprise=tree.ent_a)
    actions.pioneer_step(p, "name", acting_user=SYSTEM, on=dt.date(2020, 4, 28))
    client = login_client(make_user("district_admin", tree.district))
    page = client.get("/admin/honours/pioneerunit/", {"year__exact": 2020}).content.decode()
    assert 'id="team-share"' in page
    assert "2020年命名的工人先锋号中班组占比" in page
    page = client.get(f"/admin/honours/pioneerunit/{p.pk}/change/").content.decode()
    assert "签订集体合同" in page and "区域性集体合同" not in page
