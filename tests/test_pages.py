"""No page a user can reach breaks: every back-office list, add and change page, for every role."""

import pytest
from django.contrib import admin
from django.urls import reverse

from gongjia.accounts.roles import ROLES
from gongjia.platform.admin_base import url_name
from gongjia.platform.models import Job, Notification


@pytest.mark.parametrize("role", [r for r in ROLES if ROLES[r].back_office])
def test_every_back_office_page_renders_for_every_role(role, tree, make_user, login_client):
    unit = (
        tree.district
        if role not in ("town_officer", "union_officer")
        else (tree.town_a if role == "town_officer" else tree.union_a)
    )
    user = make_user(role, unit)
    Job.objects.create(kind="x", label="任务", user=user)
    Notification.objects.create(recipient=user, title="通知")
    client = login_client(user)
    assert client.get("/admin/").status_code == 200
    for model, model_admin in admin.site._registry.items():
        base = reverse(url_name(model, "changelist"))
        for url in (base, base + "?q=测试", base + "?o=1", reverse(url_name(model, "add"))):
            r = client.get(url)
            assert r.status_code in (200, 302, 403), (role, url, r.status_code)
        first = model_admin.get_queryset(client.get(base).wsgi_request).first()
        if first is not None:
            r = client.get(reverse(url_name(model, "change"), args=[first.pk]))
            assert r.status_code in (200, 302, 403), (role, model, r.status_code)
    assert client.get("/portal/").status_code == 200


def test_the_favicon_browsers_ask_for_is_the_platforms_mark(client, db):
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"].endswith("platform/favicon.svg")
    # WhiteNoise serves it in the running server (finders on); the test client's files:
    from django.contrib.staticfiles import finders

    assert finders.find("platform/favicon.svg")


def test_error_pages_are_the_platforms_own_in_chinese_with_a_way_back(client, db, rf):
    from django.test import Client
    from django.views.defaults import server_error

    r = client.get("/admin-nowhere/")
    html = r.content.decode()
    assert r.status_code == 404 and "页面不存在" in html and 'href="/admin/"' in html
    assert "Not Found" not in html
    r = client.get("/jobs/00000000-0000-0000-0000-000000000000/result/")
    assert r.status_code in (302, 403, 404)
    strict = Client(enforce_csrf_checks=True)
    r = strict.post("/portal/login/", {"username": "x", "password": "y"})
    html = r.content.decode()
    assert r.status_code == 403 and "表单" in html and "CSRF" not in html
    html = server_error(rf.get("/")).content.decode()
    assert "出错" in html and "Server Error" not in html
    # A host the platform does not serve: refused before any view, in its words.
    r = client.get("/portal/login/", HTTP_HOST="}f\\87")
    assert r.status_code == 400 and "无法理解" in r.content.decode(), r.content.decode()[:500]
    r = client.get("/api/v1/me", HTTP_HOST="}f\\87")
    assert r.status_code == 400 and r.json()["code"] == "bad_request"


def test_a_forbidden_back_office_page_says_why_in_chinese(tree, make_user, login_client):
    lawyer = login_client(make_user("legal_staff", tree.district))
    r = lawyer.get("/admin/assistance/reliefapplication/")
    assert r.status_code == 403
    assert "无权" in r.content.decode() or "不能打开" in r.content.decode()
