import pytest

from conftest import PASSWORD, sign_in


@pytest.fixture
def api(tree, make_user, client):
    officer = make_user("town_officer", tree.town_a, username="officer_a")
    token = sign_in(client, "officer_a", PASSWORD)

    class Api:
        def get(self, url, **kw):
            return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", **kw)

        def post(self, url, data):
            return client.post(
                url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
            )

        def patch(self, url, data):
            return client.patch(
                url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
            )

    a = Api()
    a.user = officer
    return a


def test_unauthenticated_requests_get_the_error_format(client, db):
    r = client.get("/api/v1/orgs/units")
    assert r.status_code == 401
    body = r.json()
    assert body["code"] == "unauthenticated" and body["message"] and "errors" in body


def test_lists_are_scoped(api, tree):
    units = api.get("/api/v1/orgs/units").json()
    codes = {u["code"] for u in units["items"]}
    assert codes == {"A", "A-1"} and units["count"] == 2
    a1 = next(u for u in units["items"] if u["code"] == "A-1")
    assert a1["parent_code"] == "A"
    ents = api.get("/api/v1/orgs/enterprises").json()
    assert [e["name"] for e in ents["items"]] == ["甲公司"]
    assert api.get("/api/v1/orgs/units/B-1").status_code == 404
    assert api.get(f"/api/v1/orgs/enterprises/{tree.ent_b.pk}").status_code == 404
    assert api.get("/api/v1/orgs/units?under=B").json()["count"] == 0
    regions = api.get("/api/v1/orgs/regions?level=town").json()
    assert {r["code"] for r in regions["items"]} == {"330109001", "330109002"}


def test_create_and_update_with_validation_messages(api, tree):
    from gongjia.orgs.demo import credit_code

    r = api.post(
        "/api/v1/orgs/units",
        {
            "parent_code": "A",
            "code": "A-2",
            "name": "新工会",
            "kind": "grassroots_union",
            "credit_code": "bad",
        },
    )
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid" and "credit_code" in body["errors"]
    assert "18" in body["message"]  # says what is wrong: the length
    r = api.post(
        "/api/v1/orgs/units",
        {"parent_code": "B", "code": "B-2", "name": "越界", "kind": "grassroots_union"},
    )
    assert r.status_code == 400 and "parent_code" in r.json()["errors"]
    r = api.post(
        "/api/v1/orgs/units",
        {
            "parent_code": "A",
            "code": "A-2",
            "name": "新工会",
            "kind": "grassroots_union",
            "credit_code": credit_code("81", 77),
        },
    )
    assert r.status_code == 201 and r.json()["parent_code"] == "A"
    r = api.patch("/api/v1/orgs/units/A-2", {"chair_name": "王芳"})
    assert r.status_code == 200 and r.json()["chair_name"] == "王芳"
    assert api.patch("/api/v1/orgs/units/B-1", {"chair_name": "x"}).status_code == 404
    r = api.post(
        "/api/v1/orgs/enterprises",
        {
            "name": "丙公司",
            "credit_code": credit_code("91", 78),
            "industry": "C",
            "size_band": "small",
            "region_code": "330109001",
            "federation_code": "A",
            "union_code": "A-2",
        },
    )
    assert r.status_code == 201 and r.json()["union_code"] == "A-2"
    ent_id = r.json()["id"]
    r = api.patch(f"/api/v1/orgs/enterprises/{ent_id}", {"federation_code": "B"})
    assert r.status_code == 400


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("post", "/api/v1/orgs/units", "not json"),
        ("post", "/api/v1/orgs/units", {"kind": 5}),
        ("get", "/api/v1/orgs/units?limit=abc", None),
        ("get", "/api/v1/orgs/enterprises/99999999999999999999999", None),
        ("get", "/api/v1/cockpit/kpis?year=99999", None),
        ("patch", "/api/v1/orgs/units/A", {"name": ""}),
        # What schemathesis found: explicit nulls, NUL bytes, years and offsets out of range,
        # bodies that are not objects, texts and lists past their limits.
        ("patch", "/api/v1/orgs/units/A", {"chair_name": None, "name": None}),
        ("patch", "/api/v1/orgs/units/A", [None, None]),
        ("patch", "/api/v1/orgs/units/A", 136654),
        ("get", "/api/v1/members?joined_year=0", None),
        ("get", "/api/v1/rights/cases?received_year=-5", None),
        ("get", "/api/v1/members/foundings?approved_year=0", None),
        ("get", "/api/v1/cockpit/kpis?year=1900", None),
        ("get", "/api/v1/members?offset=9223372036854775808", None),
        ("get", "/api/v1/assistance/households?offset=152026940118519119872", None),
        ("post", "/api/v1/orgs/units", {"parent_code": "A", "code": "A-8", "name": "x" * 20001}),
        ("post", "/api/v1/orgs/regions", {"code": "1", "name": "x", "serves": ["a"] * 1001}),
        ("post", "/api/v1/rights/team", {"name": "x", "stations": [2195870889472192151552]}),
        ("patch", "/api/v1/orgs/enterprises/1", {"headcount": 10**30}),
    ],
)
def test_bad_input_never_answers_500(api, method, url, data):
    r = getattr(api, method)(url, data) if data is not None else api.get(url)
    assert 400 <= r.status_code < 500, r.content
    assert set(r.json()) >= {"code", "message", "errors"}
    assert r.json()["message"].isascii() is False  # said in Chinese


def test_an_explicit_null_empties_what_may_be_empty_and_names_what_may_not(api):
    r = api.patch("/api/v1/orgs/units/A", {"chair_name": None})
    assert r.status_code == 200 and r.json()["chair_name"] == ""
    r = api.patch("/api/v1/orgs/units/A", {"name": None})
    assert r.status_code == 400 and "name" in r.json()["errors"]


def test_nul_bytes_and_control_characters_are_cleaned(api):
    r = api.patch("/api/v1/orgs/units/A", {"chair_name": "王\x00五\x07"})
    assert r.status_code == 200 and r.json()["chair_name"] == "王五"
    r = api.patch("/api/v1/orgs/units/A", {"chair_name": "李\ud8f5四"})  # a lone surrogate
    assert r.status_code == 200 and r.json()["chair_name"] == "李四"
    r = api.get("/api/v1/orgs/units?q=%00")
    assert r.status_code == 200


def test_a_body_too_large_answers_413(api, client):
    r = client.post(
        "/api/v1/orgs/units",
        b"{" + b" " * (11 * 2**20) + b"}",
        content_type="application/json",
    )
    assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_every_schema_has_its_own_name():
    """Two schemas of one name share one entry in the OpenAPI document, and one of them then
    describes the other's answers."""
    from ninja import Schema

    from gongjia.api import api  # noqa: F401  every router imported

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    ours = [c for c in walk(Schema) if c.__module__.startswith("gongjia.")]
    names = [c.__name__ for c in ours]
    repeated = sorted({n for n in names if names.count(n) > 1})
    assert not repeated, repeated


def test_kpis(api, tree):
    r = api.get("/api/v1/cockpit/kpis?year=2020")
    assert r.status_code == 200
    kpis = {k["key"]: k for k in r.json()}
    assert {"orgs.units", "orgs.grassroots_unions", "orgs.enterprises"} <= set(kpis)
    assert kpis["orgs.grassroots_unions"]["value"] == 1  # town A only
    assert kpis["orgs.enterprises"]["value"] is None  # kept as it stands today only
    r = api.get("/api/v1/cockpit/kpis?key=orgs.enterprises")
    assert r.json()[0]["value"] == 1 and r.json()[0]["period"] == "当前"
    for k in kpis.values():
        assert {"key", "label", "value", "unit"} <= set(k)
    # adding a union changes the figure: it is computed from the records
    api.post(
        "/api/v1/orgs/units",
        {"parent_code": "A", "code": "A-9", "name": "新", "kind": "grassroots_union"},
    )
    r = api.get("/api/v1/cockpit/kpis?key=orgs.grassroots_unions")
    assert r.json()[0]["value"] == 2


def test_openapi_docs_are_served(client, db):
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/orgs/units" in schema["paths"]


def test_regions_are_added_under_their_parent_by_district_administrators(
    tree, make_user, client, api
):
    assert (
        api.post(
            "/api/v1/orgs/regions",
            {
                "parent_code": "330109001",
                "code": "330109001099",
                "name": "新社区",
                "level": "village",
            },
        ).status_code
        == 403
    )  # a town officer may not
    admin = make_user("district_admin", tree.district)
    client.force_login(admin, backend="gongjia.accounts.backends.RoleBackend")
    from django.test import Client

    c = Client(enforce_csrf_checks=False)
    c.force_login(admin, backend="gongjia.accounts.backends.RoleBackend")
    r = c.post(
        "/api/v1/orgs/regions",
        {"parent_code": "330109001", "code": "330109001099", "name": "新社区", "level": "village"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["parent_code"] == "330109001"
    r = c.post(
        "/api/v1/orgs/regions",
        {"parent_code": "330109001", "code": "330110001099", "name": "错", "level": "village"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "code" in r.json()["errors"]
    r = c.patch(
        "/api/v1/orgs/regions/330109001099", {"name": "新名社区"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["name"] == "新名社区"


def test_every_indicator_says_what_it_is_and_flows_add_up_over_years(tree, make_user, client):
    from gongjia.platform import kpis

    admin = make_user("district_admin", tree.district, username="kpi_admin")
    rows = {k["key"]: k for k in kpis.evaluate(admin, year=2020)}
    assert {k["kind"] for k in rows.values()} == {"stock", "flow", "rate"}
    assert rows["members.new_unions"]["kind"] == "flow"
    assert rows["members.new_unions"]["period"] == "2020年"
    assert rows["members.total"]["kind"] == "stock"
    assert rows["members.total"]["period"] == "2020年末"
    assert rows["members.membership_rate"]["kind"] == "rate"
    # tree: union A founded in 2020, union B in 2019
    token = sign_in(client, "kpi_admin")
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def value(query):
        r = client.get(f"/api/v1/cockpit/kpis?key=members.new_unions&{query}", **h)
        assert r.status_code == 200, r.json()
        return r.json()[0]

    assert value("year=2019")["value"] == 1 and value("year=2020")["value"] == 1
    span = value("from=2019&to=2020")
    assert span["value"] == 2 and span["period"] == "2019–2020年"
    assert value("from=2021&to=2021")["value"] == 0  # a year with no records answers 0
    r = client.get("/api/v1/cockpit/kpis?from=2020", **h)
    assert r.status_code == 400 and "from" in r.json()["errors"]


def test_references_say_which_code_is_missing_in_the_callers_language(api, tree):
    """Every API names a missing or out-of-scope reference by field and value, translated."""
    station = {
        "name": "新站",
        "host_code": "NOPE",
        "address": "人民路 1 号",
        "hours": "8:30-17:00",
        "serves": [],
    }
    r = api.post("/api/v1/rights/stations", station)
    assert r.status_code == 400
    assert "单位代码 NOPE 不存在或不在您的管辖范围内" in str(r.json())
    r = api.post("/api/v1/rights/stations", {**station, "host_code": "B"})  # another town
    assert "单位代码 B 不存在或不在您的管辖范围内" in str(r.json())
    r = api.post("/api/v1/rights/stations", {**station, "host_code": "A", "serves": ["999", "998"]})
    assert "区划代码 999、998 不存在" in str(r.json())
    r = api.get("/api/v1/cockpit/kpis?under=NOPE", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "Unit code NOPE does not exist" in str(r.json())
