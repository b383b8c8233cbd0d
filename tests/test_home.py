"""Each role's home: its own work first, then the figures it may open, as people read them."""

import re

import pytest

from gongjia.accounts.roles import ROLES
from gongjia.platform import todos


def _role_for(perm):
    return next(r.key for r in ROLES.values() if r.back_office and r.grants(perm))


@pytest.mark.parametrize("key", sorted(todos.registry()))
def test_every_to_do_opens_its_list_for_a_role_that_has_the_work(key, tree, make_user, client):
    t = todos.registry()[key]
    role = _role_for(t.perm)
    unit = tree.union_a if role == "union_officer" else tree.district
    client.force_login(make_user(role, unit), backend="gongjia.accounts.backends.RoleBackend")
    assert t.func(make_user(role, unit)) == 0  # nothing waits in an empty district
    from django.urls import reverse

    url = f"{reverse(t.link)}?{t.query}" if t.query else reverse(t.link)
    r = client.get(url)
    assert r.status_code == 200, (key, url, r.status_code)  # the filter exists (no ?e=1)


def test_the_union_officer_sees_the_application_to_check_first(tree, make_user, login_client):
    from gongjia.assistance.tests.test_archive import household

    household(tree)  # applied through the union
    officer = make_user("union_officer", tree.union_a)
    html = login_client(officer).get("/admin/").content.decode()
    todo = html[html.index('id="todo"') :]
    assert 'data-key="assistance.to_check"' in todo
    count = re.search(
        r'data-key="assistance.to_check".*?text-2xl font-semibold">(\d+)<', todo, re.S
    )
    assert count.group(1) == "1"
    assert "/admin/assistance/household/?status__exact=applied" in todo
    # The town's part is not the union's to-do.
    assert 'data-key="assistance.to_confirm"' not in html


def test_the_audit_administrator_and_the_lawyer_see_no_figures_they_cannot_open(
    tree, make_user, login_client
):
    auditor = login_client(make_user("audit_admin", tree.district))
    html = auditor.get("/admin/").content.decode()
    assert 'id="kpi-grid"' not in html and "目前没有待您处理的事项" in html
    lawyer = login_client(make_user("legal_staff", tree.district))
    html = lawyer.get("/admin/").content.decode()
    assert 'data-key="rights.cases_received"' in html
    assert 'data-key="assistance.archived_households"' not in html


def test_figures_read_as_people_write_them(tree, make_user, login_client):
    import datetime as dt

    from gongjia.assistance.testing import archive
    from gongjia.assistance.tests.test_archive import household

    archive(
        household(tree), acting_user=make_user("town_officer", tree.town_a), on=dt.date(2026, 3, 2)
    )
    html = login_client(make_user("district_admin", tree.district)).get("/admin/").content.decode()
    grid = html[html.index('id="kpi-grid"') :]
    assert "{" not in grid and "None" not in grid  # no dicts, no None
    assert "assistance.archived_households</" not in grid  # keys stay out of sight
    card = grid[grid.index('data-key="assistance.archived_households"') :][:1200]
    assert re.search(r"(深度困难|相对困难|意外致困) 1", card)
    for key in ("rights.village_coverage", "members.membership_rate"):
        card = grid[grid.index(f'data-key="{key}"') :][:600]
        assert re.search(r"gj-kpi-value\">(—|\d+\.\d%)", card), card
    card = grid[grid.index('data-key="assistance.relief_budget_left"') :][:600]
    assert re.search(r"gj-kpi-value\">(—|[\d,]+\.\d\d) ", card), card
