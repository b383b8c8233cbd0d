"""Harmonious-labour-relations evaluation: weighted scores, grade, certificate, revocation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongjia.orgs.testing import make_enterprise
from gongjia.platform.scope import SYSTEM
from gongjia.rights import actions
from gongjia.rights.models import Checklist, ChecklistItem, Evaluation


@pytest.fixture
def checklist(tree):
    c = Checklist.objects.create(
        name="萧山区和谐劳动关系企业评价标准",
        unit=tree.district,
        effective_from=dt.date(2024, 1, 1),
        grades=[{"grade": "AAA", "min": 90}, {"grade": "AA", "min": 80}, {"grade": "A", "min": 70}],
        certificate_years=3,
    )
    for code, text, weight in [
        ("1", "依法签订劳动合同", "30"),
        ("2", "按时足额支付工资", "40"),
        ("3", "建立集体协商机制", "30"),
    ]:
        ChecklistItem.objects.create(checklist=c, code=code, text=text, weight=Decimal(weight))
    return c


def test_scores_grade_certificate_and_revocation(tree, checklist, make_user):
    admin = make_user("district_admin", tree.district)
    ent = make_enterprise(tree, tree.town_a)
    e = actions.open_evaluation(
        acting_user=admin, unit=tree.town_a, enterprise=ent, checklist=checklist, round="2026 年度"
    )
    items = list(checklist.items.all())
    actions.score(e, acting_user=admin, item=items[0], percent=100)
    with pytest.raises(ValidationError, match="2"):  # two criteria unscored
        actions.evaluation_step(e, "submit", acting_user=admin)
    actions.score(e, acting_user=admin, item=items[1], percent=75)
    actions.score(e, acting_user=admin, item=items[2], percent=50)
    e.refresh_from_db()
    assert e.total == Decimal("75.00")  # 30 + 30 + 15
    actions.evaluation_step(e, "submit", acting_user=admin)
    with pytest.raises(ValidationError):  # scores are fixed once submitted
        actions.score(e, acting_user=admin, item=items[2], percent=100)
    with pytest.raises(ValidationError, match="A"):  # 75 reaches grade A: not a decline
        actions.evaluation_step(e, "decline", acting_user=admin)
    actions.evaluation_step(e, "certify", acting_user=admin, on=dt.date(2026, 6, 1))
    e.refresh_from_db()
    assert (e.status, e.grade) == ("certified", "A")
    assert e.certificate_number.startswith("HX2026") and e.valid_until == dt.date(2029, 5, 31)
    with pytest.raises(ValidationError):
        actions.evaluation_step(e, "revoke", acting_user=admin)  # a reason is required
    actions.evaluation_step(
        e, "revoke", acting_user=admin, note="发生重大欠薪事件", on=dt.date(2026, 9, 1)
    )
    e.refresh_from_db()
    assert (e.status, e.revoked_on) == ("revoked", dt.date(2026, 9, 1))


def test_a_total_below_every_grade_is_not_certified(tree, checklist):
    ent = make_enterprise(tree, tree.town_a)
    e = actions.open_evaluation(
        acting_user=SYSTEM, unit=tree.town_a, enterprise=ent, checklist=checklist, round="2026 年度"
    )
    for item in checklist.items.all():
        actions.score(e, acting_user=SYSTEM, item=item, percent=60)
    actions.evaluation_step(e, "submit", acting_user=SYSTEM)
    with pytest.raises(ValidationError):
        actions.evaluation_step(e, "certify", acting_user=SYSTEM)
    actions.evaluation_step(e, "decline", acting_user=SYSTEM)
    assert Evaluation.objects.get(pk=e.pk).status == "not_certified"
    with pytest.raises(ValidationError):  # one evaluation per enterprise, checklist and round
        actions.open_evaluation(
            acting_user=SYSTEM,
            unit=tree.town_a,
            enterprise=ent,
            checklist=checklist,
            round="2026 年度",
        )


def test_scores_are_entered_in_the_back_office(tree, checklist, make_user, login_client):
    admin = make_user("district_admin", tree.district)
    ent = make_enterprise(tree, tree.town_a)
    e = actions.open_evaluation(
        acting_user=admin, unit=tree.town_a, enterprise=ent, checklist=checklist, round="2026 年度"
    )
    items = list(checklist.items.all())
    form = {
        "scores-TOTAL_FORMS": "3",
        "scores-INITIAL_FORMS": "0",
        **{f"scores-{i}-item": item.pk for i, item in enumerate(items)},
        **{f"scores-{i}-percent": 100 for i in range(3)},
    }
    r = login_client(admin).post(f"/admin/rights/evaluation/{e.pk}/change/", form)
    assert r.status_code == 302, r.content.decode()[:2000]
    e.refresh_from_db()
    assert e.total == Decimal("100.00")


def test_a_checklist_takes_its_grades_one_a_line(tree, checklist, make_user, login_client):
    admin = make_user("district_admin", tree.district)
    client = login_client(admin)
    page = client.get(f"/admin/rights/checklist/{checklist.pk}/change/").content.decode()
    assert "AAA 90\nAA 80\nA 70" in page and '"grade"' not in page  # lines, not JSON
    form = {
        "name": checklist.name,
        "unit": tree.district.pk,
        "effective_from": "2024-01-01",
        "certificate_years": "3",
        "grades_text": "AAA：95\nAA 85\n\nA 72.5",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }
    r = client.post(f"/admin/rights/checklist/{checklist.pk}/change/", form)
    assert r.status_code == 302, r.content.decode()[:3000]
    checklist.refresh_from_db()
    assert checklist.grades == [
        {"grade": "AAA", "min": 95},
        {"grade": "AA", "min": 85},
        {"grade": "A", "min": 72.5},
    ]
    r = client.post(
        f"/admin/rights/checklist/{checklist.pk}/change/", {**form, "grades_text": "AAA 80\nAA 85"}
    )
    assert r.status_code == 200
    assert "第 2 行：分数应在 0 至 100 之间，从高到低排列" in r.content.decode()
    checklist.refresh_from_db()
    assert checklist.grades[0] == {"grade": "AAA", "min": 95}  # nothing written
