"""Query counts of every back-office list and every API list: the same with one row as with
several (no query per row), and no more than the baseline pinned for each view in
`query_baselines.json`. A view that needs fewer queries may lower its baseline; one that needs
more is a regression unless the baseline is raised on purpose, in the same change."""

import json
from pathlib import Path

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongjia.platform.admin_base import url_name
from gongjia.platform.testing import factories

BASELINES = json.loads((Path(__file__).parent / "query_baselines.json").read_text())
# The first of these that may view a model opens its list.
ROLES = ("district_admin", "security_admin", "audit_admin", "system_admin", "counsellor")

LISTED = sorted((m for m in admin.site._registry if m in factories()), key=lambda m: m._meta.label)
# Lists of rows no factory makes (the audit log, jobs, the calendar, reference data): their
# count is held to the baseline as the demo-free installation shows them.
OTHERS = sorted(
    (m for m in admin.site._registry if m not in factories() and m._meta.label != "auth.Group"),
    key=lambda m: m._meta.label,
)


def _viewer(model, tree, make_user):
    for role in ROLES:
        user = make_user(role, tree.district)
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            return user
    raise AssertionError(f"no role views {model._meta.label}")


def _count(client, url) -> int:
    first = client.get(url)
    if first.status_code == 302:  # a list may open at a default filter (the roster: this month)
        url = first["Location"]
        client.get(url)  # the page's own first rendering (its sidebar is kept after it) aside
    with CaptureQueriesContext(connection) as queries:
        r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return len(queries)


@pytest.mark.parametrize("model", LISTED, ids=lambda m: m._meta.label)
def test_back_office_lists_make_no_query_per_row(model, tree, make_user, login_client):
    make = factories()[model]
    client = login_client(_viewer(model, tree, make_user))
    url = reverse(url_name(model, "changelist"))
    make(tree, tree.town_a)
    client.get(url)  # caches of the first request (content types, the session) aside
    one = _count(client, url)
    make(tree, tree.town_a)
    make(tree, tree.town_b)
    several = _count(client, url)
    assert several == one, f"{url}: {one} queries with one row, {several} with three"
    key = f"admin:{model._meta.label}"
    assert one <= BASELINES[key], f"{url}: {one} queries, baseline {BASELINES[key]}"


@pytest.mark.parametrize("model", OTHERS, ids=lambda m: m._meta.label)
def test_other_back_office_lists_keep_their_baseline(model, tree, make_user, login_client):
    client = login_client(_viewer(model, tree, make_user))
    url = reverse(url_name(model, "changelist"))
    client.get(url)
    n = _count(client, url)
    key = f"admin:{model._meta.label}"
    assert n <= BASELINES[key], f"{url}: {n} queries, baseline {BASELINES[key]}"


def _api_lists(client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return sorted(p for p, ops in schema["paths"].items() if "get" in ops and "{" not in p)


def test_api_lists_make_no_query_per_row(tree, make_user, client):
    from conftest import sign_in

    make_user("district_admin", tree.district, username="lists")
    token = sign_in(client, "lists")
    made = factories()

    def counts():
        out = {}
        for path in _api_lists(client):
            client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")  # first-request caches
            with CaptureQueriesContext(connection) as queries:
                r = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
            assert r.status_code == 200, (path, r.status_code, r.content[:200])
            out[path] = len(queries)
        return out

    for make in made.values():
        make(tree, tree.town_a)
    one = counts()
    for make in made.values():
        make(tree, tree.town_a)
        make(tree, tree.town_b)
    several = counts()
    grown = {p: (one[p], several[p]) for p in one if several[p] != one[p]}
    assert not grown, f"queries per row (one row, three rows): {grown}"
    over = {p: (n, BASELINES.get(f"api:{p}")) for p, n in one.items() if n > BASELINES[f"api:{p}"]}
    assert not over, f"more queries than the baseline (now, baseline): {over}"
