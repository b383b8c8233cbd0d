import re
import time

import pyotp
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import PASSWORD
from gongjia.accounts import actions
from gongjia.accounts.models import User
from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform import scope
from gongjia.platform.models import AuditEvent
from gongjia.platform.scope import SYSTEM


def _code(username):
    return pyotp.TOTP(User.objects.get(username=username).totp_secret).now()


def _portal_login(client, username, password, otp="", ip="10.0.0.1"):
    return client.post(
        "/portal/login/",
        {"username": username, "password": password, "otp": otp},
        REMOTE_ADDR=ip,
    )


def test_lockout_after_five_failures_even_with_the_right_password(tree, make_user, client):
    make_user("union_officer", tree.union_a, username="alice")
    for _ in range(5):
        r = _portal_login(client, "alice", "wrong")
        assert "_auth_user_id" not in client.session
    r = _portal_login(client, "alice", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert b"30" in r.content  # the message says for how long
    assert AuditEvent.objects.filter(action="login_failed", actor_name="alice").count() == 6


def test_lockout_per_address_has_its_own_much_higher_threshold(tree, make_user, client):
    """Five typos by one officer lock that account, not every colleague behind the office's
    address; fifty failures from one address lock the address."""
    make_user("union_officer", tree.union_a, username="bob")
    for _ in range(5):
        _portal_login(client, "typo-prone", "x", ip="10.9.9.9")
    _portal_login(client, "bob", PASSWORD, otp=_code("bob"), ip="10.9.9.9")
    assert "_auth_user_id" in client.session
    client.post("/portal/logout/")
    for i in range(45):
        _portal_login(client, f"guess{i}", "x", ip="10.9.9.9")
    r = _portal_login(client, "bob", PASSWORD, otp=_code("bob"), ip="10.9.9.9")
    assert "_auth_user_id" not in client.session and "30" in r.content.decode()
    User.objects.filter(username="bob").update(totp_last_step=None)  # a code not yet used
    _portal_login(client, "bob", PASSWORD, otp=_code("bob"), ip="10.9.9.8")
    assert "_auth_user_id" in client.session  # the address is locked, not the account


def test_a_missing_code_on_the_first_try_is_not_a_failure(tree, make_user, client):
    make_user("town_officer", tree.town_a, username="ivy")
    for _ in range(6):
        r = client.post(
            "/api/v1/auth/token",
            {"username": "ivy", "password": PASSWORD},
            content_type="application/json",
        )
        assert r.json()["code"] == "otp_required"
    r = client.post(
        "/api/v1/auth/token",
        {"username": "ivy", "password": PASSWORD, "otp": _code("ivy")},
        content_type="application/json",
    )
    assert r.status_code == 200


def test_a_code_is_accepted_once(tree, make_user, client):
    make_user("town_officer", tree.town_a, username="jack")
    code = _code("jack")
    body = {"username": "jack", "password": PASSWORD, "otp": code}
    first = client.post("/api/v1/auth/token", body, content_type="application/json")
    again = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert first.status_code == 200
    assert again.status_code == 401 and again.json()["code"] == "otp_invalid"


def test_unknown_and_known_names_take_as_long_to_refuse(tree, make_user, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    make_user("worker", tree.union_a, username="kate")

    def cost(name):
        started = time.perf_counter()
        for _ in range(3):
            client.post(
                "/api/v1/auth/token",
                {"username": name, "password": "wrong"},
                content_type="application/json",
                REMOTE_ADDR=f"10.5.{len(name)}.1",
            )
        return time.perf_counter() - started

    known, unknown = cost("kate"), cost("nobody-at-all")
    # Both run the hasher (hundreds of milliseconds each); without it the unknown name would
    # be refused a hundred times faster.
    assert unknown > 0.5 * known


def test_token_endpoint_shares_the_lockout(tree, make_user, client):
    make_user("union_officer", tree.union_a, username="carol")
    for _ in range(5):
        r = client.post(
            "/api/v1/auth/token",
            {"username": "carol", "password": "bad"},
            content_type="application/json",
        )
        assert r.status_code == 401
    r = client.post(
        "/api/v1/auth/token",
        {"username": "carol", "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json()["code"] == "locked"


def test_admin_login_shares_the_lockout(tree, make_user, client):
    make_user("town_officer", tree.town_a, username="dave")
    for _ in range(5):
        client.post("/admin/login/", {"username": "dave", "password": "bad"})
    client.post("/admin/login/", {"username": "dave", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_second_factor_required_for_administrators(tree, make_user, client):
    admin = make_user("district_admin", tree.district, username="erin")
    secret = admin.otp_secret_for_tests
    assert secret and len(secret) >= 16
    r = client.post(
        "/api/v1/auth/token",
        {"username": "erin", "password": PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 401 and r.json()["code"] == "otp_required"
    r = client.post(
        "/api/v1/auth/token",
        {"username": "erin", "password": PASSWORD, "otp": "000000"},
        content_type="application/json",
    )
    assert r.status_code == 401
    r = client.post(
        "/api/v1/auth/token",
        {"username": "erin", "password": PASSWORD, "otp": pyotp.TOTP(secret).now()},
        content_type="application/json",
    )
    assert r.status_code == 200
    token = r.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.json()["username"] == "erin"


def test_back_office_login_with_second_factor(tree, make_user, client):
    make_user("audit_admin", tree.district, username="frank")
    client.post("/admin/login/", {"username": "frank", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    secret = User.objects.get(username="frank").totp_secret
    client.post(
        "/admin/login/",
        {"username": "frank", "password": PASSWORD, "otp": pyotp.TOTP(secret).now()},
    )
    assert "_auth_user_id" in client.session


def test_idle_session_ends(tree, make_user, login_client):
    client = login_client(make_user("town_officer", tree.town_a))
    assert client.get("/admin/").status_code == 200
    session = client.session
    session["last_seen"] = time.time() - 31 * 60
    session.save()
    r = client.get("/admin/")
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert "_auth_user_id" not in client.session


def test_initial_password_must_be_changed(tree, make_user, login_client):
    user = make_user("town_officer", tree.town_a, must_change_password=True)
    client = login_client(user)
    r = client.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/portal/password/")
    r = client.post(
        "/portal/password/",
        {"old_password": PASSWORD, "new_password": "weak", "new_password2": "weak"},
    )
    assert r.status_code == 200
    new = "Brand-new-2026"
    r = client.post(
        "/portal/password/", {"old_password": PASSWORD, "new_password": new, "new_password2": new}
    )
    assert r.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_password_rules(tree, make_user):
    user = make_user("town_officer", tree.town_a)
    with pytest.raises(ValidationError):
        actions.change_own_password(user, PASSWORD, "alllowercase")
    history = [PASSWORD]
    for i in range(5):
        new = f"Rotate-{i}-pass"
        actions.change_own_password(user, history[-1], new)
        history.append(new)
    for old in history[-5:-1]:
        with pytest.raises(ValidationError) as e:
            actions.change_own_password(user, history[-1], old)
        assert e.value.error_dict["new_password"][0].code == "password_reused"
    actions.change_own_password(user, history[-1], history[0])  # six passwords ago is fine


def test_the_three_administrators_are_separate_people(tree, make_user):
    sysadmin = make_user("system_admin", tree.district)
    with pytest.raises(ValidationError):
        actions.grant_role(sysadmin, "security_admin", tree.district, acting_user=SYSTEM)
    with pytest.raises(ValidationError):
        actions.grant_role(sysadmin, "town_officer", tree.town_a, acting_user=SYSTEM)
    officer = make_user("town_officer", tree.town_a)
    with pytest.raises(ValidationError):
        actions.grant_role(officer, "audit_admin", tree.district, acting_user=SYSTEM)


def test_role_powers_are_separated(tree, make_user):
    sysadmin = make_user("system_admin", tree.district)
    secadmin = make_user("security_admin", tree.district)
    auditor = make_user("audit_admin", tree.district)
    officer = make_user("town_officer", tree.town_a)
    # the system administrator runs accounts but grants no roles
    assert sysadmin.has_perm("accounts.add_user")
    with pytest.raises(PermissionDenied):
        actions.grant_role(officer, "union_officer", tree.union_a, acting_user=sysadmin)
    # the security administrator grants roles but reads no business data
    actions.grant_role(officer, "union_officer", tree.union_a, acting_user=secadmin)
    assert not scope.restrict(Enterprise.objects.all(), secadmin).exists()
    assert not secadmin.has_perm("accounts.add_user")
    # the audit administrator reads the audit only
    assert scope.restrict(AuditEvent.objects.all(), auditor).exists()
    assert not scope.restrict(Enterprise.objects.all(), auditor).exists()
    assert not scope.restrict(OrgUnit.objects.all(), auditor).exists()
    # nobody may alter or delete audit records
    for user in (sysadmin, secadmin, auditor, officer):
        assert not user.has_perm("platform.change_auditevent")
        assert not user.has_perm("platform.delete_auditevent")
        assert not user.has_perm("auditlog.delete_logentry")


def test_audit_admin_searches_and_exports_the_audit(tree, make_user, login_client):
    auditor = make_user("audit_admin", tree.district)
    client = login_client(auditor)
    r = client.get("/admin/platform/auditevent/?q=role_granted")
    assert r.status_code == 200 and b"role_granted" in r.content
    ids = list(AuditEvent.objects.values_list("pk", flat=True)[:3])
    r = client.post(
        "/admin/platform/auditevent/", {"action": "export_xlsx", "_selected_action": ids}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd")
    assert client.get("/admin/orgs/enterprise/").status_code == 403


def test_login_and_logout_are_logged(tree, make_user, client):
    make_user("union_officer", tree.union_a, username="gina")
    _portal_login(client, "gina", PASSWORD, otp=_code("gina"), ip="10.1.2.3")
    client.post("/portal/logout/", REMOTE_ADDR="10.1.2.3")
    login = AuditEvent.objects.get(action="login", actor_name="gina")
    assert login.ip == "10.1.2.3" and login.success
    assert AuditEvent.objects.filter(action="logout", actor_name="gina").exists()


def test_pages_carry_a_content_security_policy_and_no_inline_script(
    tree, make_user, login_client, client
):
    r = client.get("/portal/login/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    worker = make_user("worker", tree.union_a)
    worker.id_number = "11010519491231002X"
    worker.save()
    page = login_client(worker).get("/portal/")
    for body in (r.content.decode(), page.content.decode()):
        for tag in re.findall(r"<script[^>]*>", body):
            assert "src=" in tag
    assert "110***********002X" in page.content.decode()
    assert "11010519491231002X" not in page.content.decode()


def test_csrf_is_enforced(tree, make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    make_user("union_officer", tree.union_a, username="hank")
    r = client.post("/portal/login/", {"username": "hank", "password": PASSWORD})
    assert r.status_code == 403


def test_a_session_is_written_at_most_once_a_minute_and_kept_alive_by_use(
    tree, make_user, login_client
):
    from gongjia.accounts.middleware import SEEN_EVERY

    client = login_client(make_user("town_officer", tree.town_a))
    assert client.get("/admin/").status_code == 200
    session = client.session
    recent = time.time() - 10
    session["last_seen"] = recent
    session.save()
    assert client.get("/admin/").status_code == 200
    assert client.session["last_seen"] == recent  # read, not written again
    session = client.session
    session["last_seen"] = time.time() - SEEN_EVERY - 5
    session.save()
    assert client.get("/admin/").status_code == 200
    assert time.time() - client.session["last_seen"] < 5  # an active session stays alive
