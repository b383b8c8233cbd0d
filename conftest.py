"""Shared test fixtures: a small organisation tree, users by role, signing in."""

import datetime as dt

import pytest

from gongjia.platform.scope import SYSTEM


def pytest_configure(config):
    from django.conf import settings

    # Hashing cost is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Golden YAML tests (`golden_*.yaml`, parameter values and function results policy staff can
# read) are collected by tests/test_golden.py, as ordinary tests with the database at hand.


@pytest.fixture(autouse=True)
def _own_audit_anchors(settings, tmp_path):
    """Each test anchors its own audit chain (the file lives outside the database)."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit_anchors.jsonl"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the platform's language: a request of an earlier test (an API call
    asking for English, say) leaves its language active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


# --- a small district ---------------------------------------------------------------------------


class Tree:
    pass


@pytest.fixture
def tree(db):
    """District → towns A (城厢) and B (北干) → a union in each; an enterprise in each."""
    from gongjia.orgs import actions
    from gongjia.orgs.demo import credit_code
    from gongjia.orgs.models import Enterprise, OrgUnit, Region

    t = Tree()
    t.region = Region.objects.add_root(dict(code="330109", name="萧山区", level="district"))
    t.region_a = Region.objects.add_child(
        t.region, dict(code="330109001", name="城厢街道", level="town")
    )
    t.region = Region.objects.get(pk=t.region.pk)
    t.region_b = Region.objects.add_child(
        t.region, dict(code="330109002", name="北干街道", level="town")
    )
    t.district = actions.create_unit(
        acting_user=SYSTEM,
        parent=None,
        code="330109",
        name="萧山区总工会",
        kind=OrgUnit.Kind.DISTRICT_FEDERATION,
        region=t.region,
    )
    t.town_a = actions.create_unit(
        acting_user=SYSTEM,
        parent=t.district,
        code="A",
        name="城厢街道总工会",
        kind=OrgUnit.Kind.TOWN_FEDERATION,
        region=t.region_a,
    )
    t.town_b = actions.create_unit(
        acting_user=SYSTEM,
        parent=t.district,
        code="B",
        name="北干街道总工会",
        kind=OrgUnit.Kind.TOWN_FEDERATION,
        region=t.region_b,
    )
    t.union_a = actions.create_unit(
        acting_user=SYSTEM,
        parent=t.town_a,
        code="A-1",
        name="甲公司工会",
        kind=OrgUnit.Kind.GRASSROOTS_UNION,
        credit_code=credit_code("81", 1),
        founded_on=dt.date(2020, 5, 1),
    )
    t.union_b = actions.create_unit(
        acting_user=SYSTEM,
        parent=t.town_b,
        code="B-1",
        name="乙公司工会",
        kind=OrgUnit.Kind.GRASSROOTS_UNION,
        credit_code=credit_code("81", 2),
        founded_on=dt.date(2019, 5, 1),
    )
    t.ent_a = Enterprise.objects.create(
        name="甲公司",
        credit_code=credit_code("91", 1),
        industry="C",
        size_band="small",
        headcount=120,
        region=t.region_a,
        federation=t.town_a,
        union=t.union_a,
    )
    t.ent_b = Enterprise.objects.create(
        name="乙公司",
        credit_code=credit_code("91", 2),
        industry="C",
        size_band="small",
        headcount=80,
        region=t.region_b,
        federation=t.town_b,
        union=t.union_b,
    )
    return t


PASSWORD = "Test-pass-2026"


def otp_now(username: str) -> str | None:
    """The user's current second-factor code. A code is accepted once; tests sign in more than
    once within one 30-second step, so the step used last is forgotten first."""
    import pyotp

    from gongjia.accounts.models import User

    user = User.objects.get(username__iexact=username)
    User.objects.filter(pk=user.pk).update(totp_last_step=None)
    return pyotp.TOTP(user.totp_secret).now() if user.totp_secret else None


def sign_in(client, username: str, password: str = PASSWORD) -> str:
    """An API token through /api/v1/auth/token, with the second factor where required."""
    r = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password, "otp": otp_now(username)},
        content_type="application/json",
    )
    assert r.status_code == 200, r.json()
    return r.json()["token"]


@pytest.fixture
def make_user(db):
    from gongjia.accounts import actions

    counter = {"n": 0}

    def make(role: str, unit, *, username: str | None = None, **kw):
        counter["n"] += 1
        user, secret = actions.create_user(
            username or f"{role}{counter['n']}",
            acting_user=SYSTEM,
            password=PASSWORD,
            role=role,
            unit=unit,
            must_change_password=kw.pop("must_change_password", False),
            **kw,
        )
        user.otp_secret_for_tests = secret
        return user

    return make


@pytest.fixture
def login_client(client):
    """A test client signed in as the user (second factor satisfied where required)."""

    def login(user):
        client.force_login(user, backend="gongjia.accounts.backends.RoleBackend")
        return client

    return login
