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
