"""Every personal field of every model (ID numbers, phones, health, bank accounts, home
addresses, notes) stays masked in every list, form, export, API answer and audit row."""

import io
import json

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from python_calamine import CalamineWorkbook

from conftest import sign_in
from gongjia.api import api as ninja_api
from gongjia.members.testing import id_number
from gongjia.platform import pii
from gongjia.platform.admin_base import url_name
from gongjia.platform.models import AuditEvent
from gongjia.platform.testing import factories

CLEAR = {
    "phone": "13987654321",
    "address": "杭州市萧山区城厢街道幸福小区8幢2单元301室",
    "id": id_number(777),
    "bank": "6222020200112233445",
    "text": "高血压三级需长期服药",
}

PERSONAL = sorted(
    (m for m in apps.get_models() if pii.personal_fields(m)), key=lambda m: m._meta.label
)


def test_every_model_with_personal_data_can_be_made_for_this_test():
    assert [m._meta.label for m in PERSONAL if m not in factories()] == []


def _list_endpoints():
    schema = ninja_api.get_openapi_schema()
    return [p for p, ops in schema["paths"].items() if "get" in ops and "{" not in p]


@pytest.mark.parametrize("model", PERSONAL, ids=lambda m: m._meta.label)
def test_personal_data_never_shows_in_clear(model, tree, make_user, login_client):
    row = factories()[model](tree, tree.town_a)
    fields = pii.personal_fields(model)
    for f in fields:
        setattr(row, f.name, CLEAR[f.kind])
    row.save()
    secrets = [CLEAR[f.kind] for f in fields]
    admin_user = make_user("district_admin", tree.district, username="pii_admin")

    def clean(text: str, where: str):
        for value in secrets:
            assert value not in text, f"{model._meta.label}: {value} in clear in {where}"

    # the audit: field-change rows and the chain
    ct = ContentType.objects.get_for_model(model)
    for entry in LogEntry.objects.filter(content_type=ct, object_pk=str(row.pk)):
        clean(json.dumps(entry.changes, ensure_ascii=False) + entry.changes_text, "audit")
    for event in AuditEvent.objects.all():
        clean(json.dumps(event.data, ensure_ascii=False) + event.object_repr, "audit chain")

    client = login_client(admin_user)
    if model in admin.site._registry:
        listing = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        page = client.get(listing + "?q=")
        if page.status_code == 200:
            clean(page.content.decode(), "the list")
        page = client.get(reverse(url_name(model, "change"), args=[row.pk]))
        if page.status_code == 200:
            clean(page.content.decode(), "the record's page")
        export = client.post(listing, {"action": "export_xlsx", "_selected_action": [row.pk]})
        if export.status_code == 200 and export["Content-Type"].startswith("application/vnd"):
            book = CalamineWorkbook.from_filelike(io.BytesIO(export.content))
            clean(str(book.get_sheet_by_index(0).to_python()), "the export")

    token = sign_in(client, "pii_admin")
    for path in _list_endpoints():
        r = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        if not r["Content-Type"].startswith("application/json"):
            # A file (the annual report, a PDF by default): its workbook is read instead.
            r = client.get(path, {"format": "xlsx"}, HTTP_AUTHORIZATION=f"Bearer {token}")
            assert r.status_code == 200, path
            book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
            for i in range(len(book.sheet_names)):
                clean(str(book.get_sheet_by_index(i).to_python()), f"GET {path} (xlsx)")
            continue
        clean(r.content.decode(), f"GET {path}")
        if r.status_code == 200 and isinstance(r.json(), dict):
            for item in r.json().get("items", [])[:5]:
                if "id" in item:
                    detail = client.get(
                        f"{path}/{item['id']}", HTTP_AUTHORIZATION=f"Bearer {token}"
                    )
                    clean(detail.content.decode(), f"GET {path}/{item['id']}")


def test_an_edit_that_leaves_a_masked_field_empty_keeps_it(tree, make_user, login_client):
    from gongjia.members.models import Member

    member = factories()[Member](tree, tree.town_a)
    member.mobile = CLEAR["phone"]
    member.save()
    client = login_client(make_user("district_admin", tree.district))
    url = reverse(url_name(Member, "change"), args=[member.pk])
    page = client.get(url)
    assert "139****4321" in page.content.decode()
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if not isinstance(v, list)}
    data.update({k: v for k, v in form.initial.items() if isinstance(v, list)})
    data["full_name"] = data.get("full_name", "")
    data["name"] = "改过的名字"
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    member.refresh_from_db()
    assert member.name == "改过的名字" and member.mobile == CLEAR["phone"]


def test_every_personal_field_is_masked_in_its_audit_registration():
    """Field-change rows of every tracked model mask each personal field (or leave it out)."""
    from auditlog.registry import auditlog

    from gongjia.platform import pii

    unmasked = []
    for model in auditlog.get_models():
        fields = auditlog.get_model_fields(model)
        covered = {*fields["mask_fields"], *fields["exclude_fields"]}
        unmasked += [
            f"{model._meta.label}.{f.name}"
            for f in pii.personal_fields(model)
            if f.name not in covered
        ]
    assert not unmasked, unmasked
