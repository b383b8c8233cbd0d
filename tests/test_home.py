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


def _sidebar(page: str) -> str:
    """The sidebar's list of pages (up to the person's own menu below it)."""
    start = page.index('id="nav-sidebar-apps"')
    return page[start : page.index("openUserLinks", start)]


def _badge(sidebar: str) -> str:
    found = re.search(r'class="sidebar-badge[^"]*"\s*>\s*(\d+)\s*</span>', sidebar)
    return found.group(1) if found else ""


def test_the_kept_sidebar_follows_the_person_the_page_and_their_notifications(
    tree, make_user, login_client
):
    """The sidebar is kept as rendered per roles, language, open page and unread count: each
    of those changes what it shows at once, and two roles never share one."""
    from gongjia.platform.notifications import notify

    officer = make_user("town_officer", tree.town_a)
    client = login_client(officer)
    first = _sidebar(client.get("/admin/").content.decode())
    assert _badge(first) == ""
    assert _sidebar(client.get("/admin/").content.decode()) == first  # the kept one
    notify(title="案件即将超期", users=[officer])
    assert _badge(_sidebar(client.get("/admin/").content.decode())) == "1"
    notify(title="又一件", users=[officer])
    assert _badge(_sidebar(client.get("/admin/").content.decode())) == "2"
    officer.notifications.update(read_at="2020-01-01T00:00:00Z")
    assert _badge(_sidebar(client.get("/admin/").content.decode())) == ""

    # The page that is open is marked in it.
    listing = _sidebar(client.get("/admin/platform/notification/").content.decode())
    assert re.search(r'href="/admin/platform/notification/"[^>]*\bactive\b', listing)
    assert not re.search(r'href="/admin/platform/notification/"[^>]*\bactive\b', first)

    # The same person in English reads English; another role sees its own pages (the
    # fixture's client, signed in again).
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    english = _sidebar(client.get("/admin/").content.decode())
    assert "Hardship assistance" in english and "困难帮扶" in first
    auditor = login_client(make_user("audit_admin", tree.district))
    auditor.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    theirs = _sidebar(auditor.get("/admin/").content.decode())
    assert "困难帮扶" not in theirs and "系统管理" in theirs


def test_the_home_kept_as_rendered_shows_a_write_at_once(tree, make_user, login_client):
    from gongjia.members.models import Member
    from gongjia.platform.testing import factories

    client = login_client(make_user("district_admin", tree.district))

    def members_figure() -> str:
        page = client.get("/admin/").content.decode()
        tile = page[page.index('data-key="members.total"') :]
        return re.search(r'class="gj-kpi-value">\s*([\d,]+)', tile).group(1)

    before = members_figure()
    assert members_figure() == before
    factories()[Member](tree, tree.town_a)
    assert int(members_figure().replace(",", "")) == int(before.replace(",", "")) + 1


def test_the_kept_home_page_gives_each_request_its_own_token_and_shows_a_message(tree, make_user):
    """The whole home is kept as rendered for the person: each session still gets a form
    token that its own forms are accepted with, and a message to show once is shown."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest
    from django.test import Client

    officer = make_user("town_officer", tree.town_a)
    clients = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = []
    for c in clients:
        c.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
        pages += [c.get("/admin/").content.decode() for _ in range(2)]
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', p) for p in pages]
    assert all(t and len(set(t)) == 1 for t in tokens)  # one token per page, in every form
    assert len({t[0] for t in tokens}) == 4 and "gongjiaformtokenmark" not in "".join(pages)
    # Each page's token is good for its own session: the language form (a POST) is accepted.
    for c, t in ((clients[0], tokens[1]), (clients[1], tokens[3])):
        r = c.post("/i18n/setlang/", {"language": "zh-hans", "csrfmiddlewaretoken": t[0]})
        assert r.status_code == 302
    r = clients[0].post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": "gongjiaformtokenmark"}
    )
    assert r.status_code == 403

    stored = CookieStorage(HttpRequest())._encode([Message(constants.SUCCESS, "登记已保存")])
    clients[0].cookies["messages"] = stored
    assert "登记已保存" in clients[0].get("/admin/").content.decode()
    assert "登记已保存" not in clients[0].get("/admin/").content.decode()  # shown once
