"""Beautiful factories on the harmonious-relations marking mechanism: stages, the level by the
district's scores, the bars read from the records, notice, three years' validity, expiry, the
yearly draw of spot checks and revocation from the date of a bar event; beautiful workers barred
by a sanction and held to the enterprise's quota."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongjia.honours.models import SafetyIncident
from gongjia.members.testing import make_member
from gongjia.platform.scope import SYSTEM
from gongjia.rights.models import Negotiation
from gongjia.services import actions, selectors
from gongjia.services.models import BeautifulWorker, ConductRecord, FactoryAssessment, SpotCheck
from gongjia.services.testing import make_assessment, make_beautiful_worker, set_status

F = FactoryAssessment.Status
ALL = {k: 100 for k in "123456"}


def _contract(tree, enterprise):
    n = Negotiation.objects.create(
        number=f"F{enterprise.pk:06d}",
        title="区域性集体合同",
        unit=tree.town_b,
        level="area",
        kind="contract",
        status="expired",
        effective_on=dt.date(2019, 1, 1),
        expires_on=dt.date(2022, 12, 31),
    )
    n.covered.add(enterprise)


def _to_spot_checked(a, district):
    a.photos = "services/factories/check.jpg"
    a.save(update_fields=["photos"])
    actions.score_factory(a, acting_user=SYSTEM, stage="town", scores=ALL)
    actions.factory_step(a, "check", acting_user=SYSTEM, on=dt.date(2020, 9, 1))
    actions.score_factory(a, acting_user=SYSTEM, stage="district", scores=district)
    actions.factory_step(a, "spot_check", acting_user=SYSTEM, on=dt.date(2020, 10, 1))
    a.refresh_from_db()
    return a


def test_the_district_scores_decide_the_level(tree):
    _contract(tree, tree.ent_b)
    a = make_assessment(tree, tree.town_b, enterprise=tree.ent_b)
    actions.score_factory(a, acting_user=SYSTEM, stage="town", scores=ALL)
    with pytest.raises(ValidationError, match="照片"):
        actions.factory_step(a, "check", acting_user=SYSTEM)
    a = _to_spot_checked(a, {**ALL, "1": 50, "2": 75})  # 100 − 10 − 5 = 85
    assert a.total == 85 and a.level == "优秀"


def test_a_total_below_70_reaches_no_level(tree):
    _contract(tree, tree.ent_b)
    a = _to_spot_checked(
        make_assessment(tree, tree.town_b, enterprise=tree.ent_b), {**ALL, "1": 0, "2": 0}
    )  # 60
    with pytest.raises(ValidationError, match="60"):
        actions.factory_step(a, "publish", acting_user=SYSTEM)


def test_a_bar_found_in_the_records_blocks_the_notice_and_names_it(tree):
    a = _to_spot_checked(make_assessment(tree, tree.town_b, enterprise=tree.ent_b), ALL)
    with pytest.raises(ValidationError, match="集体合同"):
        actions.factory_step(a, "publish", acting_user=SYSTEM, on=dt.date(2020, 10, 9))
    _contract(tree, tree.ent_b)
    SafetyIncident.objects.create(
        enterprise=tree.ent_b,
        unit=tree.town_b,
        kind="accident",
        occurred_on=dt.date(2018, 11, 2),
        description="机械伤害",
        source="应急管理局",
    )
    with pytest.raises(ValidationError, match="2018"):
        actions.factory_step(a, "publish", acting_user=SYSTEM, on=dt.date(2020, 10, 9))


def test_named_for_three_years_then_expired(tree):
    _contract(tree, tree.ent_b)
    a = _to_spot_checked(make_assessment(tree, tree.town_b, enterprise=tree.ent_b), ALL)
    actions.factory_step(a, "publish", acting_user=SYSTEM, on=dt.date(2020, 10, 9))
    with pytest.raises(ValidationError, match="公示"):
        actions.factory_step(a, "name", acting_user=SYSTEM, on=dt.date(2020, 10, 12))
    actions.factory_step(a, "name", acting_user=SYSTEM, on=dt.date(2020, 10, 20))
    a.refresh_from_db()
    assert a.status == F.NAMED and a.level == "示范"
    assert a.expires_on == dt.date(2023, 10, 19)
    assert selectors.beautiful_factories(SYSTEM, 2022) == 1
    assert selectors.beautiful_factories(SYSTEM, 2023) == 0  # expired before the year's end
    with pytest.raises(ValidationError):
        actions.factory_step(a, "expire", acting_user=SYSTEM, on=dt.date(2023, 10, 19))
    actions.factory_step(a, "expire", acting_user=SYSTEM, on=dt.date(2023, 10, 20))
    a.refresh_from_db()
    assert a.status == F.EXPIRED


def test_revocation_runs_from_the_date_of_the_bar_event(tree):
    a = set_status(
        make_assessment(tree, tree.town_b, enterprise=tree.ent_b),
        F.NAMED,
        named_on=dt.date(2020, 10, 20),
        expires_on=dt.date(2023, 10, 19),
        level="优秀",
    )
    actions.revoke_factory(a, acting_user=SYSTEM, on=dt.date(2021, 6, 3), reason="重大安全事故")
    a.refresh_from_db()
    assert a.status == F.REVOKED and a.ended_on == dt.date(2021, 6, 3)
    assert selectors.beautiful_factories(SYSTEM, 2020) == 1
    assert selectors.beautiful_factories(SYSTEM, 2021) == 0


def test_at_least_a_fifth_of_holders_are_drawn_and_the_draw_repeats(tree):
    from gongjia.orgs.testing import make_enterprise

    for _ in range(11):
        set_status(
            make_assessment(tree, tree.town_a, enterprise=make_enterprise(tree, tree.town_a)),
            F.NAMED,
            named_on=dt.date(2020, 10, 20),
            expires_on=dt.date(2023, 10, 19),
            level="合格",
        )
    drawn = actions.draw_spot_checks(tree.district, 2021, acting_user=SYSTEM)
    assert len(drawn) == 3  # 20 % of 11 = 2.2 → 3
    with pytest.raises(ValidationError, match="2021"):  # one draw a year
        actions.draw_spot_checks(tree.district, 2021, acting_user=SYSTEM)
    sc = drawn[0]
    with pytest.raises(ValidationError):  # 合格 is not below 合格
        actions.record_spot_check(
            sc,
            acting_user=SYSTEM,
            result="downgraded",
            level="合格",
            checked_on=dt.date(2021, 5, 1),
        )
    actions.record_spot_check(
        sc, acting_user=SYSTEM, result="revoked", reason="不再符合", checked_on=dt.date(2021, 5, 1)
    )
    sc.refresh_from_db()
    assert sc.result == SpotCheck.Result.REVOKED
    assert sc.assessment.status == F.REVOKED


def test_a_beautiful_worker_is_barred_by_a_sanction_and_held_to_the_quota(tree):
    w = make_beautiful_worker(
        tree, tree.town_a, member=make_member(tree, tree.town_a, employer=tree.ent_a)
    )
    ConductRecord.objects.create(
        member=w.member,
        unit=tree.town_a,
        kind="sanction",
        on=dt.date(2020, 3, 1),
        source="处分决定",
    )
    with pytest.raises(ValidationError, match="处分"):
        actions.worker_step(w, "name", acting_user=SYSTEM)
    named = [
        make_beautiful_worker(
            tree, tree.town_a, member=make_member(tree, tree.town_a, employer=tree.ent_a)
        )
        for _ in range(4)
    ]
    for x in named[:3]:
        actions.worker_step(x, "name", acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="3"):
        actions.worker_step(named[3], "name", acting_user=SYSTEM)
    assert BeautifulWorker.objects.filter(status="named").count() == 3


def test_the_grounds_read_as_words_on_the_page_and_in_the_audit_log(tree, make_user, login_client):
    w = make_beautiful_worker(
        tree,
        tree.town_a,
        member=make_member(tree, tree.town_a, employer=tree.ent_a),
        grounds=["civility", "volunteering"],
    )
    actions.worker_step(w, "name", acting_user=SYSTEM)
    client = login_client(make_user("district_admin", tree.district))
    page = client.get(f"/admin/services/beautifulworker/{w.pk}/change/").content.decode()
    assert "文明、志愿服务" in page and "civility" not in page
    log = client.get("/admin/auditlog/logentry/").content.decode()
    assert "civility" not in log
