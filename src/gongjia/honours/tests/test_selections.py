"""A selection from assembly to the register: the live check, a submission blocked by a
shortfall, the departments' clearance with a veto, the notice with objections, approval, the
honour base, revocation, and posts in mass organisations."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjia.honours import actions, findings, selectors
from gongjia.honours.models import Batch, Honour, Level, MassOrgPost, Nomination, Programme
from gongjia.honours.testing import make_batch, make_honour, make_programme, nominate, nominee
from gongjia.platform import kpis, scope
from gongjia.platform.scope import SYSTEM

B = Batch.Status
N = Nomination.Status


def _batch(tree, industrial, other, **fields):
    b = make_batch(tree, tree.district, **fields)
    people = [nominee(tree, tree.town_a) for _ in range(industrial)]
    people += [nominee(tree, tree.town_b, industrial=False) for _ in range(other)]
    return b, [nominate(tree, b, m) for m in people]


def test_the_check_runs_live_while_the_batch_is_assembled(tree):
    b, ns = _batch(tree, 6, 4)
    check = findings.quota_check(b)
    r = check["results"][0]
    assert (check["nominees"], r.count, r.line, r.met, r.shortfall) == (10, 6, 7, False, 1)
    # Without one of the others the share is 6 of 9: more than 60 %, none to spare.
    r = findings.quota_check(b, exclude=[ns[-1].pk])["results"][0]
    assert (r.base, r.count, r.line, r.met, r.slack) == (9, 6, 6, True, 0)


def test_a_shortfall_blocks_submission_and_names_the_rule(tree):
    b, ns = _batch(tree, 6, 4)
    with pytest.raises(ValidationError, match="产业工人"):
        actions.batch_step(b, "submit", acting_user=SYSTEM, on=dt.date(2020, 3, 23))
    assert Batch.objects.get(pk=b.pk).status == B.ASSEMBLING
    actions.nomination_step(ns[-1], "withdraw", acting_user=SYSTEM, note="本人申请撤回")
    actions.batch_step(b, "submit", acting_user=SYSTEM, on=dt.date(2020, 3, 23))
    assert Batch.objects.get(pk=b.pk).status == B.CLEARANCE


def test_more_nominees_than_places_blocks_submission(tree):
    b, _ns = _batch(tree, 4, 0, places=3)
    with pytest.raises(ValidationError, match="4"):
        actions.batch_step(b, "submit", acting_user=SYSTEM)


def test_a_veto_ends_the_nomination_and_the_notice_waits_for_every_department(tree):
    b, ns = _batch(tree, 7, 3)
    actions.batch_step(b, "submit", acting_user=SYSTEM, on=dt.date(2020, 3, 23))
    with pytest.raises(ValidationError, match="答复"):
        actions.batch_step(b, "publish", acting_user=SYSTEM, on=dt.date(2020, 4, 8))
    with pytest.raises(ValidationError, match="理由"):
        actions.record_clearance(ns[0], department="税务局", result="vetoed", acting_user=SYSTEM)
    actions.record_clearance(
        ns[0], department="税务局", result="vetoed", reason="欠缴税款", acting_user=SYSTEM
    )
    ns[0].refresh_from_db()
    assert ns[0].status == N.VETOED and "欠缴税款" in ns[0].ended_reason
    with pytest.raises(ValidationError):
        actions.record_clearance(
            ns[0], department="市场监管局", result="cleared", acting_user=SYSTEM
        )
    for n in ns[1:]:
        for d in b.departments:
            actions.record_clearance(n, department=d, result="cleared", acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="已对该人选作出答复"):
        actions.record_clearance(ns[1], department="税务局", result="cleared", acting_user=SYSTEM)
    actions.batch_step(b, "publish", acting_user=SYSTEM, on=dt.date(2020, 4, 8))
    b.refresh_from_db()
    assert b.notice_from == dt.date(2020, 4, 8) and b.notice_until == dt.date(2020, 4, 15)


def _noticed(tree):
    b, ns = _batch(tree, 7, 3)
    b.departments = []
    Batch.objects.filter(pk=b.pk).update(departments=[])
    actions.batch_step(b, "submit", acting_user=SYSTEM, on=dt.date(2020, 3, 23))
    actions.batch_step(b, "publish", acting_user=SYSTEM, on=dt.date(2020, 4, 8))
    b.refresh_from_db()
    return b, ns


def test_objections_by_real_name_and_an_upheld_one_removes_the_nominee(tree):
    b, ns = _noticed(tree)
    with pytest.raises(ValidationError) as e:
        actions.record_objection(
            ns[1], name="匿", content="反映", received_on=dt.date(2020, 4, 9), acting_user=SYSTEM
        )
    assert "name" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        actions.record_objection(
            ns[1], name="王五", content="反映", received_on=dt.date(2020, 4, 20), acting_user=SYSTEM
        )
    assert "received_on" in e.value.message_dict
    o = actions.record_objection(
        ns[1], name="王五", content="反映", received_on=dt.date(2020, 4, 15), acting_user=SYSTEM
    )
    with pytest.raises(ValidationError, match="异议"):
        actions.batch_step(b, "approve", acting_user=SYSTEM, on=dt.date(2020, 4, 20))
    actions.decide_objection(o, upheld=True, finding="属实", acting_user=SYSTEM)
    ns[1].refresh_from_db()
    assert ns[1].status == N.DISQUALIFIED
    with pytest.raises(ValidationError, match="公示"):
        actions.batch_step(b, "approve", acting_user=SYSTEM, on=dt.date(2020, 4, 15))
    actions.batch_step(b, "approve", acting_user=SYSTEM, on=dt.date(2020, 4, 16))
    honours = Honour.objects.filter(nomination__batch=b)
    assert honours.count() == 9 and not honours.filter(member=ns[1].member).exists()
    assert set(Nomination.objects.filter(batch=b).values_list("status", flat=True)) == {
        N.CONFERRED,
        N.DISQUALIFIED,
    }
    h = honours.first()
    assert (h.level, h.in_force, h.title) == (Level.DISTRICT, True, b.programme.name)
    actions.revoke_honour(h, reason="弄虚作假", acting_user=SYSTEM)
    h.refresh_from_db()
    assert not h.in_force and h.revoked_reason == "弄虚作假"
    with pytest.raises(ValidationError):
        actions.revoke_honour(h, reason="再次", acting_user=SYSTEM)


def test_the_honour_base_is_shown_or_required(tree):
    district = make_programme(tree, tree.district)
    city = make_programme(
        tree,
        tree.district,
        name="市劳动模范",
        level=Level.CITY,
        builds_on=district,
        base_required=True,
    )
    b = make_batch(tree, tree.district, programme=city)
    bare, based = nominee(tree, tree.town_a), nominee(tree, tree.town_a)
    make_honour(tree, tree.town_a, member=based, programme=district, level=Level.DISTRICT)
    with pytest.raises(ValidationError, match="基础|荣誉"):
        nominate(tree, b, bare)
    n = nominate(tree, b, based)
    held, said = findings.honour_base(based.pk, city, dt.date(2020, 3, 20))
    assert held and "2018" in said
    assert n.status == N.NOMINATED
    # A revoked title is no base.
    Honour.objects.filter(member=based).update(revoked_on=dt.date(2019, 1, 1))
    assert not findings.honour_base(based.pk, city, dt.date(2020, 3, 20))[0]


def test_nomination_evidence_comes_in_order(tree):
    b = make_batch(tree, tree.district)
    m = nominee(tree, tree.town_a)
    with pytest.raises(ValidationError) as e:
        nominate(tree, b, m, congress_on=dt.date(2020, 3, 1))
    assert "congress_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        nominate(tree, b, m, categories=["industrial", "nobody"])
    assert "categories" in e.value.message_dict
    nominate(tree, b, m)
    with pytest.raises(ValidationError, match=m.name):
        nominate(tree, b, m)


def test_rules_are_fixed_once_submitted_and_checked_when_set(tree):
    b, ns = _batch(tree, 8, 2)
    with pytest.raises(ValidationError) as e:
        actions.save_batch(b, acting_user=SYSTEM, rules=[{"category": "x", "op": "?"}])
    assert "rules" in e.value.message_dict
    actions.batch_step(b, "submit", acting_user=SYSTEM, on=dt.date(2020, 3, 23))
    with pytest.raises(ValidationError, match="规则|名额"):
        actions.save_batch(b, acting_user=SYSTEM, places=20)


def test_the_shares_count_the_registry_category_by_year_and_scope(tree, make_user):
    b, _ns = _batch(tree, 7, 3)
    tl = make_programme(tree, tree.district, name="技术带头人", kind=Programme.Kind.TECH_LEADER)
    _b2, _ = _batch(tree, 3, 1, programme=tl)
    district = make_user("district_admin", tree.district)
    v = {k["key"]: k for k in kpis.evaluate(district, year=2020)}
    assert v["honours.model_workers_industrial_share"]["value"] == 0.7
    assert v["honours.model_workers_industrial_share"]["target_display"].startswith(">")
    assert v["honours.tech_leaders_industrial_share"]["value"] == 0.75  # not > 75 %
    # Town A put forward only industrial workers; B only others.
    a = make_user("town_officer", tree.town_a)
    assert selectors.model_workers_industrial_share(a, 2020) == 1.0
    assert selectors.model_workers_industrial_share(district, 2019) is None


def test_a_town_officer_sees_the_town_s_nominations_and_decides_nothing_of_the_district(
    tree, make_user
):
    b, ns = _batch(tree, 7, 3)
    officer = make_user("town_officer", tree.town_a)
    seen = set(scope.restrict(Nomination.objects.all(), officer))
    assert seen == {n for n in ns if n.unit.path.startswith(tree.town_a.path)}
    with pytest.raises(PermissionDenied):
        actions.batch_step(b, "submit", acting_user=officer)


def test_posts_in_mass_organisations_are_counted_at_the_year_end(tree, make_user):
    m = nominee(tree, tree.town_a)
    for start, end in ((dt.date(2019, 1, 1), None), (dt.date(2016, 1, 1), dt.date(2019, 12, 31))):
        MassOrgPost.objects.create(
            member=m,
            unit=m.union,
            organisation="区总工会",
            post="委员",
            term_from=start,
            term_until=end,
        )
    district = make_user("district_admin", tree.district)
    assert selectors.mass_organisation_posts(district, 2020) == 1
    assert selectors.mass_organisation_posts(district, 2019) == 2


def test_the_notice_prints_once_published_with_the_nominees(tree, make_user, login_client):
    from django.urls import reverse

    from gongjia.platform.admin_base import url_name

    b, ns = _noticed(tree)
    client = login_client(make_user("district_admin", tree.district))
    page = client.get(reverse(url_name(b, "print"), args=[b.pk, "honours.notice"]))
    text = page.content.decode()
    assert page.status_code == 200 and "公示" in text
    assert all(n.member.name in text for n in ns)
    fresh = make_batch(tree, tree.district)
    refused = client.get(reverse(url_name(fresh, "print"), args=[fresh.pk, "honours.notice"]))
    assert "部门审核完成后方可发布公示" in refused.content.decode() or refused.status_code in (
        302,
        400,
    )
