"""/api/v1/honours: every list in the caller's scope, the quota check of a batch (with nominees
left out), and the pioneer units' bars and the methods' eligibility written out."""

import datetime as dt

from gongjia.honours import actions
from gongjia.honours.testing import (
    make_batch,
    make_care_batch,
    make_method,
    make_pioneer,
    make_studio,
    nominate,
    nominee,
)
from gongjia.platform.scope import SYSTEM


def _client(client, user):
    client.force_login(user, backend="gongjia.accounts.backends.RoleBackend")
    return client


def test_the_quota_check_of_a_batch_with_and_without_nominees(tree, make_user, client):
    b = make_batch(tree, tree.district)
    ns = [nominate(tree, b, nominee(tree, tree.town_a)) for _ in range(6)]
    ns += [nominate(tree, b, nominee(tree, tree.town_b, industrial=False)) for _ in range(4)]
    c = _client(client, make_user("district_admin", tree.district))
    body = c.get(f"/api/v1/honours/batches/{b.pk}/quota-check").json()
    rule = body["rules"][0]
    assert (body["nominees"], body["places"], body["met"]) == (10, 10, False)
    assert (rule["count"], rule["base"], rule["line"], rule["shortfall"]) == (6, 10, 7, 1)
    assert rule["share"] == 0.6 and rule["points"] == 0.0 and "产业工人" in rule["rule"]
    body = c.get(
        f"/api/v1/honours/batches/{b.pk}/quota-check", {"exclude": f"{ns[-1].pk},{ns[-2].pk}"}
    ).json()
    assert body["met"] and body["rules"][0]["slack"] == 1  # 6 of 8: 5 needed
    bad = c.get(f"/api/v1/honours/batches/{b.pk}/quota-check", {"exclude": "a,b"})
    assert bad.status_code == 400 and "exclude" in bad.content.decode()
    # A number past 64 bits: SQLite cannot bind it (422), PostgreSQL compares it and finds
    # nothing (200, empty); never a server error.
    huge = c.get("/api/v1/honours/nominations", {"batch": 10**20})
    assert huge.status_code in (200, 422), huge.status_code
    if huge.status_code == 422:
        assert "超出范围" in huge.json()["message"]
    else:
        assert huge.json()["count"] == 0
    # A town officer cannot read the district's batch.
    other = _client(client, make_user("town_officer", tree.town_b))
    assert other.get(f"/api/v1/honours/batches/{b.pk}/quota-check").status_code == 404


def test_the_lists_are_in_scope_and_written_out(tree, make_user, client):
    b = make_batch(tree, tree.district)
    nominate(tree, b, nominee(tree, tree.town_a))
    nominate(tree, b, nominee(tree, tree.town_b))
    p = make_pioneer(tree, tree.town_a, enterprise=tree.ent_a)
    make_pioneer(tree, tree.town_b, enterprise=tree.ent_b)
    make_studio(tree, tree.town_a)
    m = make_method(tree, tree.town_a, senior_title=True)
    make_care_batch(tree, tree.district)
    actions.record_honour(
        nominee(tree, tree.town_a).pk,
        unit=tree.union_a,
        acting_user=SYSTEM,
        title="市劳动模范",
        kind="model_worker",
        level=2,
        conferred_by="杭州市人民政府",
        conferred_on=dt.date(2019, 4, 28),
    )
    c = _client(client, make_user("town_officer", tree.town_a))
    nominations = c.get("/api/v1/honours/nominations", {"year": 2020}).json()
    assert nominations["count"] == 1 and "产业工人" in nominations["items"][0]["categories"]
    pioneers = c.get("/api/v1/honours/pioneer-units").json()
    assert [x["id"] for x in pioneers["items"]] == [p.pk]
    bars = {x["bar"]: x["barred"] for x in pioneers["items"][0]["bars"]}
    assert bars["签订集体合同"] is True and bars["已建工会"] is False
    methods = c.get("/api/v1/honours/methods").json()["items"]
    assert methods[0]["id"] == m.pk and not methods[0]["eligible"]
    assert any(not f["met"] and "高级职称" in f["condition"] for f in methods[0]["eligibility"])
    assert c.get("/api/v1/honours/studios").json()["count"] == 1
    register = c.get("/api/v1/honours/register").json()["items"]
    assert register[0]["level_label"] == "市级" and register[0]["in_force"]
    programmes = c.get("/api/v1/honours/programmes").json()
    assert programmes["count"] == 0  # the district's programmes are not the town's
    d = _client(client, make_user("district_admin", tree.district))
    programmes = d.get("/api/v1/honours/programmes").json()["items"]
    assert programmes[0]["rules"] == ["产业工人 > 60%（占全部人选）"]
    batches = d.get("/api/v1/honours/recuperation/batches", {"year": 2020}).json()["items"]
    assert batches[0]["capacity"] == 2 and "产业工人" in batches[0]["share_check"]
