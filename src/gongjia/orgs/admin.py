from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongjia.orgs import actions
from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.orgs.workflows import unit_workflow
from gongjia.platform import scope
from gongjia.platform.admin_base import ScopedAdmin


class UnderUnitFilter(admin.SimpleListFilter):
    """Browse by the tree: rows under one of the units in the user's scope.

    Subclasses name the path of the row's unit (`unit_path`); OrgUnit itself uses "path".
    """

    title = _("under unit")
    parameter_name = "under"
    unit_path = "path"

    def lookups(self, request, model_admin):
        units = scope.restrict(OrgUnit.objects.filter(depth__lte=2), request.user)
        return [(u.code, ("— " * (u.depth - 1)) + u.name) for u in units.order_by("path")[:100]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = OrgUnit.objects.filter(code=self.value()).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(**{f"{self.unit_path}__startswith": unit.path})


def under_unit(unit_path: str):
    return type("UnderUnit", (UnderUnitFilter,), {"unit_path": unit_path})


class TreeListMixin:
    """Lists of a tree in tree order, each name indented by its depth."""

    ordering = ["path"]

    @admin.display(description=_("name"), ordering="path")
    def tree_name(self, obj):
        return format_html(
            '<span style="padding-left:{}rem">{}</span>', (obj.depth - 1) * 1.25, obj.name
        )


class OrgUnitForm(forms.ModelForm):
    parent = forms.ModelChoiceField(
        label=_("parent unit"), queryset=OrgUnit.objects.none(), required=True
    )

    class Meta:
        model = OrgUnit
        fields = ["parent", *actions.UNIT_FIELDS]


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeListMixin, ScopedAdmin):
    nav_icon = "account_tree"
    nav_order = 10
    form = OrgUnitForm
    workflow = unit_workflow
    transition_action = staticmethod(actions.transition_unit)
    list_display = ["tree_name", "code", "kind", "status", "region", "founded_on", "chair_name"]
    list_filter = [UnderUnitFilter, "kind", "status"]
    search_fields = ["name", "code", "credit_code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    export_fields = (
        "code",
        "name",
        "kind",
        "status",
        "credit_code",
        "founded_on",
        "chair_name",
        "contact_name",
        "contact_phone",
        "region",
        "address",
    )

    # What the separated administrators see of a unit: enough to place an account or a role,
    # nothing of the union's business (its people, contacts, address).
    DIRECTORY_FIELDS = ["code", "name", "kind", "status"]

    def _directory_only(self, request) -> bool:
        return request.user.is_separated_admin

    def get_list_display(self, request):
        if self._directory_only(request):
            return ["tree_name", "code", "kind", "status"]
        return super().get_list_display(request)

    def get_fieldsets(self, request, obj=None):
        if self._directory_only(request):
            return [(None, {"fields": self.DIRECTORY_FIELDS})]
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if self._directory_only(request):
            kwargs["fields"] = self.DIRECTORY_FIELDS
            return super().get_form(request, obj, **kwargs)
        form = super().get_form(request, obj, **kwargs)
        parents = scope.units_in_scope(request.user, OrgUnit, "add" if obj is None else "change")
        parents = parents.exclude(kind__in=OrgUnit.GRASSROOTS)
        if obj is not None:
            parents = parents.exclude(path__startswith=obj.path)
        form.base_fields["parent"].queryset = parents.order_by("path")
        if obj is not None:
            if obj.depth == 1:
                form.base_fields["parent"].required = False
                form.base_fields["parent"].disabled = True
            else:
                form.base_fields["parent"].initial = OrgUnit.objects.get_parent(obj)
        return form

    def save_action(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k in actions.UNIT_FIELDS}
        parent = form.cleaned_data.get("parent")
        if change:
            unit = actions.update_unit(obj, acting_user=request.user, **data)
            current = OrgUnit.objects.get_parent(unit)
            if parent and current and parent.pk != current.pk:
                unit = actions.move_unit(unit, parent, acting_user=request.user)
        else:
            unit = actions.create_unit(acting_user=request.user, parent=parent, **data)
        for warning in unit.credit_code_warnings():
            messages.warning(request, warning)
        return unit


@admin.register(Region)
class RegionAdmin(TreeListMixin, ScopedAdmin):
    nav_icon = "map"
    nav_order = 30
    list_display = ["tree_name", "code", "level"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    fields = ["code", "name", "level"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "level"]  # codes are official and stable; only names are corrected

    def has_add_permission(self, request):
        return False  # divisions come from the official code list (`gongjia demo` loads them)


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    nav_icon = "factory"
    nav_order = 20
    list_display = [
        "name",
        "credit_code",
        "industry",
        "size_band",
        "headcount",
        "federation",
        "union",
    ]
    list_filter = [under_unit("federation__path"), "industry", "size_band"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["federation", "union"]
    autocomplete_fields = ["region", "union", "federation"]
    ordering = ["name"]

    def save_action(self, request, obj, form, change):
        data = {
            k: form.cleaned_data[k] for k in actions.ENTERPRISE_FIELDS if k in form.cleaned_data
        }
        if change:
            ent = actions.update_enterprise(obj, acting_user=request.user, **data)
        else:
            ent = actions.create_enterprise(acting_user=request.user, **data)
        return ent
