"""The generic scope test of the house rules: a town-A officer cannot list, open, change, export
or count town-B rows, for every model that belongs to an organisation."""

import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import ForeignKey
from python_calamine import CalamineWorkbook

from gongjia.orgs.models import OrgUnit
from gongjia.platform import scope
from gongjia.platform.admin_base import url_name
from gongjia.platform.scope import SYSTEM
from gongjia.platform.testing import factories


def models_with_an_organisation():
    found = []
    for model in apps.get_models():
        if model is OrgUnit or any(
            isinstance(f, ForeignKey) and f.related_model is OrgUnit
            for f in model._meta.get_fields()
            if f.concrete
        ):
            found.append(model)
    return found


def test_every_model_with_an_organisation_is_registered_for_scope():
    missing = []
    for model in models_with_an_organisation():
        try:
            spec = scope.spec_for(model)
        except Exception:
            missing.append(model._meta.label)
            continue
        if spec.kind != "units":
            missing.append(f"{model._meta.label} (registered as {spec.kind})")
    assert not missing, f"not registered for unit scope: {missing}"


def test_every_scoped_model_has_a_factory_for_this_test():
    have = factories()
    unit_models = [m for m, s in scope.registered_models().items() if s.kind == "units"]
    assert not [m._meta.label for m in unit_models if m not in have]


SCOPED = sorted(
    (m for m, s in scope.registered_models().items() if s.kind == "units"),
    key=lambda m: m._meta.label,
)


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_town_a_officer_cannot_reach_town_b_rows(model, tree, make_user, login_client):
    make = factories()[model]
    row_a, row_b = make(tree, tree.town_a), make(tree, tree.town_b)
    officer = make_user("town_officer", tree.town_a)
    qs = model._default_manager.all()
    for action in ("view", "change", "delete", "export"):
        allowed = scope.restrict(qs, officer, action)
        assert not allowed.filter(pk=row_b.pk).exists(), action
        assert not scope.can(officer, action, row_b), action
        if officer.has_perm(scope.perm_name(model, action)):
            assert allowed.filter(pk=row_a.pk).exists(), action
    assert scope.restrict(qs, officer).filter(pk=row_b.pk).count() == 0

    if model not in admin.site._registry:
        return
    client = login_client(officer)
    listing = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/?q=")
    if listing.status_code == 200:
        assert str(row_b).encode() not in listing.content
    else:
        assert listing.status_code == 403
    from django.urls import reverse

    page = client.get(reverse(url_name(model, "change"), args=[row_b.pk]))
    assert page.status_code in (302, 403, 404)
    assert str(row_b).encode() not in page.content
    # Changing it through the back office does nothing.
    client.post(reverse(url_name(model, "change"), args=[row_b.pk]), {"name": "hijacked"})
    row_b.refresh_from_db()
    assert "hijacked" not in str(row_b)
    # Exporting it, even when its id is posted, leaves it out.
    response = client.post(
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/",
        {"action": "export_xlsx", "_selected_action": [row_a.pk, row_b.pk]},
    )
    if response.status_code == 200 and response["Content-Type"].startswith("application/vnd"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        text = str(book.get_sheet_by_index(0).to_python())
        assert str(row_b) not in text


def test_a_district_administrator_sees_only_their_district_when_there_are_several(tree, make_user):
    from gongjia.orgs import actions
    from gongjia.orgs.models import Enterprise

    admin = make_user("district_admin", tree.district)
    assert scope.restrict(Enterprise.objects.all(), admin).count() == 2  # the whole district
    other = actions.create_unit(
        acting_user=SYSTEM,
        parent=None,
        code="330110",
        name="余杭区总工会",
        kind=OrgUnit.Kind.DISTRICT_FEDERATION,
    )
    town = actions.create_unit(
        acting_user=SYSTEM,
        parent=other,
        code="Y",
        name="余杭街道总工会",
        kind=OrgUnit.Kind.TOWN_FEDERATION,
    )
    foreign = factories()[Enterprise](tree, town)
    visible = scope.restrict(Enterprise.objects.all(), admin)
    assert visible.count() == 2 and not visible.filter(pk=foreign.pk).exists()
