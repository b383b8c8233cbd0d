"""Unemployment-risk grading: transparent points, reasons listed, grades by parameter."""

import datetime as dt

from gongjia.assistance import actions
from gongjia.assistance.models import EmployerSignal, Household
from gongjia.assistance.risk import grade_member, regrade_all
from gongjia.members.testing import id_number
from gongjia.orgs.testing import make_enterprise
from gongjia.platform import kpis
from gongjia.platform.scope import SYSTEM

D = dt.date


def test_points_grades_and_reasons(tree, make_user):
    ent = make_enterprise(tree, tree.town_a)
    h = actions.open_household(
        acting_user=SYSTEM,
        unit=tree.union_a,
        head_name="孙困难",
        address="人民路 11 号",
        primary_cause="low_income",
        members=[
            {
                "name": "孙困难",
                "relationship": "self",
                "id_number": id_number(11),
                "work": "employed",
                "employer": ent,
            },
            {
                "name": "孙小",
                "relationship": "child",
                "id_number": id_number(12),
                "work": "student",
            },
        ],
    )
    Household.objects.filter(pk=h.pk).update(status="archived", category="relative")
    worker = h.members.get(relationship="self")  # born 1981: 45 in 2026
    g = grade_member(worker, D(2026, 6, 1))
    assert (g.grade, g.points) == ("yellow", 30)  # 45 or over, sole earner, archived
    assert set(g.reasons) == {"age_45", "sole_earner", "archived"}
    regraded = actions.record_signal(
        EmployerSignal(enterprise=ent, kind="layoff_plan", since=D(2026, 5, 1)), acting_user=SYSTEM
    )
    assert regraded == 1
    g = grade_member(worker, D(2026, 6, 1))
    assert (g.grade, g.points, g.reasons["layoff_plan"]) == ("red", 70, 40)
    assert grade_member(worker, D(2026, 4, 1)).grade == "yellow"  # before the layoff plan
    admin = make_user("district_admin", tree.district)
    regrade_all(D(2026, 6, 1))
    v = {k["key"]: k["value"] for k in kpis.evaluate(admin)}
    assert (v["assistance.risk_red"], v["assistance.risk_yellow"], v["assistance.risk_green"]) == (
        1,
        0,
        0,
    )
    officer_b = make_user("town_officer", tree.town_b)
    v = {k["key"]: k["value"] for k in kpis.evaluate(officer_b)}
    assert v["assistance.risk_red"] == 0


def test_low_skill_comes_from_the_member_registry(tree):
    from gongjia.assistance.testing import make_household
    from gongjia.members.models import Member
    from gongjia.members.testing import make_member

    h = make_household(tree, tree.town_a)
    worker = h.members.get()
    assert "low_skill" not in grade_member(worker, D(2026, 6, 1)).reasons  # not linked: unknown
    m = make_member(tree, tree.town_a)
    Member.objects.filter(pk=m.pk).update(skill_level=Member.SkillLevel.APPRENTICE)
    worker.member = m
    worker.save(update_fields=["member"])
    assert grade_member(worker, D(2026, 6, 1)).reasons["low_skill"] == 10
    Member.objects.filter(pk=m.pk).update(skill_level=Member.SkillLevel.LEVEL3)
    assert "low_skill" not in grade_member(worker, D(2026, 6, 1)).reasons


def test_a_change_in_the_back_office_regrades_the_household(tree, make_user, login_client):
    from django.urls import reverse

    from gongjia.assistance.models import RiskGrade
    from gongjia.assistance.testing import archive, make_household

    officer = make_user("town_officer", tree.town_a)
    h = archive(make_household(tree, tree.town_a), acting_user=officer, on=D(2026, 3, 2))
    worker = h.members.get()
    assert RiskGrade.objects.get(member=worker).points == 20  # sole earner, archived
    c = login_client(officer)
    ends = dt.date.today() + dt.timedelta(days=30)

    def inline(prefix, rows):
        data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(rows))}
        for i, pk in enumerate(rows):
            data[f"{prefix}-{i}-id"] = str(pk)
            data[f"{prefix}-{i}-household"] = str(h.pk)
        return data

    form = {
        "head_name": h.head_name,
        "address": h.address,
        "primary_cause": h.primary_cause,
        "lives_in_city": "on",
        **inline("members", [worker.pk]),
        "members-0-name": worker.name,
        "members-0-relationship": "self",
        "members-0-work": "employed",
        "members-0-contract_ends_on": ends.isoformat(),
        "members-0-wage_arrears": "on",
        **inline("finances", list(h.finances.values_list("pk", flat=True))),
        **inline("decisions", list(h.decisions.values_list("pk", flat=True))),
    }
    r = c.post(reverse("admin:assistance_household_change", args=[h.pk]), form)
    assert r.status_code == 302, r.content.decode()[-3000:]
    g = RiskGrade.objects.get(member=worker)
    assert (g.points, set(g.reasons)) == (
        55,
        {"sole_earner", "archived", "contract_ending", "wage_arrears"},
    )
    form["members-0-work"] = "unemployed"
    c.post(reverse("admin:assistance_household_change", args=[h.pk]), form)
    assert not RiskGrade.objects.filter(member=worker).exists()  # no job, no grade
    # Health data through the same page: masked afterwards, kept encrypted.
    form["members-0-health_input"] = "腰椎间盘突出"
    c.post(reverse("admin:assistance_household_change", args=[h.pk]), form)
    worker.refresh_from_db()
    assert worker.health == "腰椎间盘突出"
    page = c.get(reverse("admin:assistance_household_change", args=[h.pk])).content.decode()
    assert "腰椎间盘突出" not in page
    # The member recorded without an ID number takes one, once; a person in another archive
    # is refused on the form.
    from gongjia.members.testing import id_number

    other = make_household(tree, tree.town_a)
    holder = other.members.get()
    holder.id_number = id_number(77)
    holder.save()  # (through save: the blind index follows)
    c.post(
        reverse("admin:assistance_household_change", args=[h.pk]),
        {**form, "members-0-id_number_input": id_number(77)},
    )
    worker.refresh_from_db()
    assert not worker.id_number  # refused: that person is in another archive
    c.post(
        reverse("admin:assistance_household_change", args=[h.pk]),
        {**form, "members-0-id_number_input": id_number(78)},
    )
    worker.refresh_from_db()
    assert worker.id_number == id_number(78) and worker.birth_date is not None
