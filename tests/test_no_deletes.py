"""Nothing is deleted: every back-office model, for every role, offers no delete (page, bulk
action or inline row); records end through actions."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from gongjia.accounts.roles import ROLES
from gongjia.platform.admin_base import url_name
from gongjia.platform.testing import factories

REGISTERED = sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label)


def _unit_for(role, tree):
    if role in ("union_officer", "worker"):
        return tree.union_a
    if role == "town_officer":
        return tree.town_a
    return tree.district


@pytest.mark.parametrize("role", sorted(ROLES))
def test_no_role_can_delete_any_record_in_the_back_office(role, tree, make_user):
    user = make_user(role, _unit_for(role, tree))
    for model, model_admin in REGISTERED:
        request = RequestFactory().get("/admin/")
        request.user = user
        assert not model_admin.has_delete_permission(request), (role, model._meta.label)
        assert "delete_selected" not in model_admin.get_actions(request), model._meta.label
        for inline in model_admin.get_inline_instances(request, None):
            formset = inline.get_formset(request, None)
            assert not formset.can_delete, (model._meta.label, type(inline).__name__)


@pytest.mark.parametrize(
    "model",
    [m for m, _ in REGISTERED if m in factories()],
    ids=lambda m: m._meta.label,
)
def test_the_delete_page_of_a_record_is_refused_and_the_record_kept(
    model, tree, make_user, login_client
):
    row = factories()[model](tree, tree.town_a)
    client = login_client(make_user("district_admin", tree.district))
    try:
        url = reverse(url_name(model, "delete"), args=[row.pk])
    except NoReverseMatch:
        return
    assert client.get(url).status_code in (302, 403)
    client.post(url, {"post": "yes"})
    assert model._default_manager.filter(pk=row.pk).exists()
    listing = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    client.post(listing, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert model._default_manager.filter(pk=row.pk).exists()
