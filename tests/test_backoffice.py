import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from gongjia.orgs.models import OrgUnit
from gongjia.orgs.testing import make_unit


def test_home_shows_indicators_linked_to_records(tree, make_user, login_client):
    client = login_client(make_user("town_officer", tree.town_a))
    r = client.get("/admin/?year=2020")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-key="orgs.grassroots_unions"' in html
    assert "/admin/orgs/orgunit/" in html


def test_back_office_speaks_chinese_by_default_and_english_on_request(
    tree, make_user, login_client
):
    client = login_client(make_user("town_officer", tree.town_a))
    html = client.get("/admin/orgs/orgunit/").content.decode()
    assert "组织单位" in html and "组织建设" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    html = client.get("/admin/orgs/orgunit/").content.decode()
    assert "Organisation units" in html


def test_unit_tree_list_and_branch_filter(tree, make_user, login_client):
    client = login_client(make_user("district_admin", tree.district))
    html = client.get("/admin/orgs/orgunit/?under=A").content.decode()
    assert "甲公司工会" in html and "乙公司工会" not in html


def test_changelist_query_count_is_pinned(tree, make_user, login_client):
    client = login_client(make_user("district_admin", tree.district))
    for _ in range(5):
        make_unit(tree, tree.town_a)
    client.get("/admin/orgs/orgunit/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/orgs/orgunit/").status_code == 200
    for _ in range(20):
        make_unit(tree, tree.town_b)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/admin/orgs/orgunit/").status_code == 200
    assert len(many) == len(few)  # no query per row
    assert len(few) <= 14


def test_transition_buttons_and_timeline(tree, make_user, login_client):
    client = login_client(make_user("town_officer", tree.town_a))
    url = f"/admin/orgs/orgunit/{tree.union_a.pk}/change/"
    html = client.get(url).content.decode()
    assert "/transition/deregister/" in html
    client.post(f"/admin/orgs/orgunit/{tree.union_a.pk}/transition/deregister/", {"note": ""})
    tree.union_a.refresh_from_db()
    assert tree.union_a.status == OrgUnit.Status.ACTIVE  # a reason is required
    client.post(
        f"/admin/orgs/orgunit/{tree.union_a.pk}/transition/deregister/", {"note": "企业关闭"}
    )
    tree.union_a.refresh_from_db()
    assert tree.union_a.status == OrgUnit.Status.DEREGISTERED
    html = client.get(url).content.decode()
    assert "企业关闭" in html and "/transition/reactivate/" in html
    # the status is not editable in the form
    assert 'name="status"' not in html


def test_parent_with_active_children_cannot_be_deregistered(tree, make_user):
    from django.core.exceptions import ValidationError

    from gongjia.orgs import actions

    officer = make_user("district_admin", tree.district)
    with pytest.raises(ValidationError):
        actions.transition_unit(tree.town_a, "deregister", acting_user=officer, note="x")


def test_moving_a_unit_moves_its_branch(tree, make_user):
    from gongjia.orgs import actions

    admin = make_user("district_admin", tree.district)
    child = make_unit(tree, tree.town_a)
    sub = actions.create_unit(
        acting_user=admin,
        parent=tree.town_a,
        code="A-JU",
        name="联合",
        kind=OrgUnit.Kind.JOINT_UNION,
    )
    assert sub.path.startswith(tree.town_a.path)
    moved = actions.move_unit(child, OrgUnit.objects.get(pk=tree.town_b.pk), acting_user=admin)
    assert moved.path.startswith(OrgUnit.objects.get(pk=tree.town_b.pk).path)
    assert moved in OrgUnit.objects.get(pk=tree.town_b.pk).branch()


def test_export_is_masked_excel_and_logged(tree, make_user, login_client):
    from gongjia.platform.models import AuditEvent

    client = login_client(make_user("town_officer", tree.town_a))
    r = client.post(
        "/admin/orgs/enterprise/", {"action": "export_xlsx", "_selected_action": [tree.ent_a.pk]}
    )
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "甲公司"
    assert AuditEvent.objects.filter(kind="export", actor__isnull=False).exists()


def test_attachments_are_scoped(tree, make_user, login_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer_a = make_user("town_officer", tree.town_a)
    client = login_client(officer_a)
    r = client.post(
        f"/admin/orgs/orgunit/{tree.union_a.pk}/attach/",
        {"file": SimpleUploadedFile("章程.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert r.status_code == 302
    from gongjia.platform.models import Attachment

    att = Attachment.objects.get()
    assert client.get(f"/attachments/{att.pk}/").status_code == 200
    r = client.post(
        f"/admin/orgs/orgunit/{tree.union_a.pk}/attach/",
        {"file": SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream")},
    )
    assert Attachment.objects.count() == 1
    other = login_client(make_user("town_officer", tree.town_b))
    # Another town's file answers as a file that does not exist: no oracle.
    assert other.get(f"/attachments/{att.pk}/").status_code == 404
    assert other.get(f"/attachments/{att.pk + 1000}/").status_code == 404


def test_worker_has_no_back_office(tree, make_user, client):
    from conftest import PASSWORD

    make_user("worker", tree.union_a, username="wk")
    client.post("/admin/login/", {"username": "wk", "password": PASSWORD})
    assert client.get("/admin/").status_code == 302


def test_unfiltered_large_lists_are_counted_from_the_statistics(tree, monkeypatch):
    from gongjia.orgs.models import Enterprise
    from gongjia.orgs.testing import make_enterprise
    from gongjia.platform.admin_base import EstimatedCountPaginator

    for town in (tree.town_a, tree.town_b, tree.town_a):
        make_enterprise(tree, town)
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_FROM", 1)
    with connection.cursor() as cur:
        cur.execute("ANALYZE orgs_enterprise" if connection.vendor == "postgresql" else "SELECT 1")
    total = Enterprise.objects.count()
    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(Enterprise.objects.order_by("-id"), 50).count
    counted = any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert count == total
    assert counted == (connection.vendor != "postgresql")  # PostgreSQL reads its statistics
    filtered = Enterprise.objects.filter(federation=tree.town_b).order_by("-id")
    assert EstimatedCountPaginator(filtered, 50).count == filtered.count()  # always exact


def test_a_forms_own_select_keeps_its_choices_in_the_themes_look(db):
    from unfold.widgets import UnfoldAdminSelectWidget

    from gongjia.assistance.admin.care import CheckUpForm
    from gongjia.assistance.models import Household
    from gongjia.platform.admin_base import themed

    form = themed(CheckUpForm)
    widget = form.declared_fields["exit_reason"].widget
    assert isinstance(widget, UnfoldAdminSelectWidget)
    html = form().as_p()
    for value, _label in Household.ExitReason.choices:
        assert f'value="{value}"' in html
