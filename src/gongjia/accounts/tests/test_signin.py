"""Sign-in and accounts as real offices and attackers use them."""

import datetime as dt
import threading

import pyotp
import pytest
from django.db import connection
from django.utils import timezone

from conftest import PASSWORD, sign_in
from gongjia.accounts import actions
from gongjia.accounts.models import ApiToken, User
from gongjia.accounts.roles import ROLES
from gongjia.platform.models import AuditEvent, Notification


def _token(client, username, password=PASSWORD, **extra):
    user = User.objects.get(username=username)
    body = {"username": username, "password": password, **extra}
    if user.totp_secret and "otp" not in extra:
        User.objects.filter(pk=user.pk).update(totp_last_step=None)
        body["otp"] = pyotp.TOTP(user.totp_secret).now()
    return client.post("/api/v1/auth/token", body, content_type="application/json")


def _me(client, raw):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def test_every_back_office_role_needs_the_second_factor():
    for key, role in ROLES.items():
        assert role.second_factor == role.back_office, key


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_get_no_more_checks_than_the_threshold(tree, make_user):
    from django.test import Client

    make_user("union_officer", tree.union_a, username="target")
    answers = []

    def guess(i):
        r = Client().post(
            "/api/v1/auth/token",
            {"username": "target", "password": f"guess-{i}"},
            content_type="application/json",
            REMOTE_ADDR=f"10.7.{i}.1",
        )
        answers.append(r.json()["code"])
        connection.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checked = AuditEvent.objects.filter(action="login_failed", data__reason="invalid").count()
    assert answers.count("invalid") == checked <= 5
    assert answers.count("locked") == 40 - checked


def test_an_initial_password_is_changed_through_the_api(tree, make_user, client):
    user = make_user("town_officer", tree.town_a, username="newbie", must_change_password=True)
    r = _token(client, "newbie")
    assert r.status_code == 403 and r.json()["code"] == "password_change_required"
    assert "/api/v1/auth/password" in r.json()["message"]
    User.objects.filter(pk=user.pk).update(totp_last_step=None)
    r = client.post(
        "/api/v1/auth/password",
        {
            "username": "newbie",
            "old_password": PASSWORD,
            "new_password": "weak",
            "otp": pyotp.TOTP(user.totp_secret).now(),
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "new_password" in r.json()["errors"]
    User.objects.filter(pk=user.pk).update(totp_last_step=None)
    r = client.post(
        "/api/v1/auth/password",
        {
            "username": "newbie",
            "old_password": PASSWORD,
            "new_password": "Fresh-pass-2026",
            "otp": pyotp.TOTP(user.totp_secret).now(),
        },
        content_type="application/json",
    )
    assert r.status_code == 200, r.json()
    assert _me(client, r.json()["token"]) == 200
    assert AuditEvent.objects.filter(action="password_changed", actor=user).exists()
    r = client.post(
        "/api/v1/auth/password",
        {"username": "newbie", "old_password": "wrong", "new_password": "Other-pass-2026"},
        content_type="application/json",
    )
    assert r.status_code == 401


def test_tokens_end_on_password_change_reset_and_disable(tree, make_user, client):
    user = make_user("worker", tree.union_a, username="toko")
    sysadmin = make_user("system_admin", tree.district)

    def fresh():
        raw, _ = actions.issue_token(user)
        assert _me(client, raw) == 200
        return raw

    raw = fresh()
    actions.change_own_password(user, PASSWORD, "Changed-pass-1")
    assert _me(client, raw) == 401
    raw = fresh()
    actions.reset_password(user, "Reset-pass-22", acting_user=sysadmin)
    assert _me(client, raw) == 401
    raw = fresh()
    actions.set_active(user, False, acting_user=sysadmin)
    actions.set_active(user, True, acting_user=sysadmin)
    assert _me(client, raw) == 401  # re-enabling does not bring old tokens back
    assert AuditEvent.objects.filter(action="user_disabled", kind="security").exists()


def test_tokens_expire_when_idle_and_at_their_end(tree, make_user, client):
    user = make_user("worker", tree.union_a)
    raw, token = actions.issue_token(user)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(hours=3))
    assert _me(client, raw) == 401
    raw, token = actions.issue_token(user)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert _me(client, raw) == 401


def test_a_reset_is_seen_by_the_security_administrator_and_told_to_the_user(
    tree, make_user, login_client
):
    secadmin = make_user("security_admin", tree.district)
    sysadmin = make_user("system_admin", tree.district)
    user = make_user("union_officer", tree.union_a, username="resetme")
    actions.reset_password(user, "Temporary-pass-9", acting_user=sysadmin)
    note = Notification.objects.get(recipient=secadmin)
    assert "resetme" in note.title and sysadmin.username in note.title
    page = login_client(User.objects.get(pk=user.pk)).get("/portal/password/")
    assert "管理员" in page.content.decode() and "重置" in page.content.decode()


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_the_separated_administrators_see_no_business_data(role, tree, make_user, login_client):
    from gongjia.orgs.models import OrgUnit

    OrgUnit.objects.filter(pk=tree.union_a.pk).update(
        chair_name="王主席", contact_name="李联系", contact_phone="13911112222", address="某路8号"
    )
    admin = make_user(role, tree.district, username=f"sep_{role}")
    client = login_client(admin)
    token = sign_in(client, admin.username)
    r = client.get("/api/v1/rights/stations/coverage", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code in (401, 403)
    for url in (
        "/admin/orgs/orgunit/",
        f"/admin/orgs/orgunit/{tree.union_a.pk}/change/",
        "/admin/rights/station/coverage/",
    ):
        page = client.get(url)
        body = page.content.decode()
        for secret in ("王主席", "李联系", "1391111", "某路8号"):
            assert secret not in body, (url, secret)
