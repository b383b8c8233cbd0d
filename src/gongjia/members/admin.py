from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from gongjia.members import actions, identity
from gongjia.members.imports import write_template
from gongjia.members.models import Founding, Member, MembershipChange, TransferRequest
from gongjia.members.selectors import waiting_links
from gongjia.members.workflows import founding_workflow, member_workflow, transfer_workflow
from gongjia.orgs.admin import under_unit
from gongjia.orgs.models import OrgUnit
from gongjia.platform import jobs, pii, scope, validators
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin
from gongjia.platform.sheetimport import UploadForm, save_upload


class MemberForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=24,
        help_text=_("18 characters; a 15-digit number is upgraded. Stored encrypted."),
    )

    class Meta:
        model = Member
        fields = ["name", "union", *[f for f in actions.EDITABLE if f != "name"]]

    def clean_id_number(self):
        try:
            return validators.validate_id_number(self.cleaned_data["id_number"])
        except ValidationError as e:
            raise forms.ValidationError(e.messages) from None


class ImportForm(UploadForm):
    file = forms.FileField(
        label=_("Excel or CSV file"),
        help_text=_("Use the template: its headers, one person per row."),
    )
    valid_only = forms.BooleanField(
        label=_("Write the valid rows even if some rows have errors"), required=False
    )


class MemberChangeForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = list(actions.EDITABLE)


class AccountWaitingFilter(admin.SimpleListFilter):
    title = _("portal account")
    parameter_name = "account"

    def lookups(self, request, model_admin):
        return [("waiting", _("Waiting to be linked")), ("linked", _("Linked"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return waiting_links(queryset)
        if self.value() == "linked":
            return queryset.filter(user__isnull=False)
        return queryset


@admin.register(Member)
class MemberAdmin(ScopedAdmin):
    nav_icon = "badge"
    nav_order = 40
    workflow = member_workflow
    transition_action = staticmethod(actions.transition)
    list_display = [
        "name",
        "member_number",
        "id_masked",
        "union",
        "category",
        "status",
        "join_date",
    ]
    list_filter = [
        under_unit("union__path"),
        "status",
        AccountWaitingFilter,
        "category",
        "skill_level",
    ]
    search_fields = ["name", "member_number"]
    # The unions come in one extra query instead of a join: with a join, SQLite's planner
    # (once it has statistics) sorts the whole registry for the newest 50 (200 ms at 1M rows
    # instead of a few milliseconds).
    list_select_related = ()
    autocomplete_fields = ["union", "employer"]
    readonly_fields = [
        "member_number",
        "sex",
        "birth_date",
        "union",
        "withdrawn_on",
        "withdrawal_reason",
    ]
    export_fields = (
        "member_number",
        "name",
        "id_number",
        "sex",
        "birth_date",
        "mobile",
        "union",
        "employer",
        "join_date",
        "category",
        "skill_level",
        "status",
    )
    actions_list = ["import_excel", "import_template", "export_all"]

    @action(
        description=_("Import from Excel"),
        url_path="import-excel",
        permissions=["add"],
        icon="upload",
    )
    def import_excel(self, request):
        """Upload page: the file is checked and written by the worker, with progress."""
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            target = save_upload(upload)
            job = jobs.start(
                "gongjia.members.imports.run_job",
                label=_("Import members: %(f)s") % {"f": upload.name},
                user=request.user,
                params={
                    "path": str(target),
                    "valid_only": form.cleaned_data["valid_only"],
                    "name": Path(upload.name).name,
                },
            )
            return HttpResponseRedirect(reverse("admin:platform_job_change", args=[job.pk]))
        return TemplateResponse(
            request,
            "platform/admin/sheet_import.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "opts": self.model._meta,
                "title": _("Import members from Excel"),
                "template_url": reverse("admin:members_member_import_template"),
            },
        )

    @action(
        description=_("Download the import template"), url_path="import-template", icon="download"
    )
    def import_template(self, request):

        folder = Path(settings.MEDIA_ROOT) / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "会员导入模板.xlsx"
        write_template(path)
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)

    @action(
        description=_("Export all to Excel"),
        url_path="export-all",
        permissions=["export"],
        icon="download",
    )
    def export_all(self, request):
        job = jobs.start(
            "gongjia.members.exports.run_job",
            label=_("Export members"),
            user=request.user,
            params={},
        )
        return HttpResponseRedirect(reverse("admin:platform_job_change", args=[job.pk]))

    @admin.display(description=_("ID number"))
    def id_masked(self, obj):
        return pii.mask_id_list(obj.id_number)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("union")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/link-account/", view(self.link_view), name="members_member_link"),
            *super().get_urls(),
        ]

    def record_tools(self, request, obj):
        waiting = obj.user_id is None and self.has_change_permission(request, obj)
        if waiting and waiting_links(Member.objects.filter(pk=obj.pk)).exists():
            url = reverse("admin:members_member_link", args=[obj.pk])
            return [(url, _("Link the portal account that declares this ID number"))]
        return []

    def link_view(self, request, pk):
        return self.record_post(
            request, pk, lambda m: identity.link_account(m, acting_user=request.user)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MemberChangeForm if obj is not None else MemberForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # A new member's union is chosen on the form; after that it changes by a transfer.
        return [f for f in fields if f != "union"] if obj is None else fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "id_number", *MemberForm.Meta.fields[1:]]
        return [*MemberChangeForm.Meta.fields, *self.readonly_fields, "status"]

    def get_search_results(self, request, queryset, search_term):
        """A term that is a valid ID number is looked up exactly through the blind index."""
        try:
            id_number = validators.validate_id_number(search_term)
        except ValidationError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(**pii.lookup(Member, "id_number", id_number)), False

    def _unions(self, request):
        """The grassroots unions the user may add members to."""
        return scope.units_in_scope(request.user, Member, "add").filter(kind__in=OrgUnit.GRASSROOTS)

    def get_changeform_initial_data(self, request):
        """A union officer adds members to their own union: it is chosen already."""
        initial = super().get_changeform_initial_data(request)
        only = self._unions(request)[:2]
        if "union" not in initial and len(only) == 1:
            initial["union"] = only[0].pk
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "union":
            kwargs["queryset"] = self._unions(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_action(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in actions.EDITABLE if k in form.cleaned_data}
        if change:
            member = actions.update(obj, acting_user=request.user, **data)
        else:
            name = data.pop("name")
            member = actions.register(
                acting_user=request.user,
                union=form.cleaned_data["union"],
                name=name,
                id_number=form.cleaned_data["id_number"],
                **data,
            )
        return member


@admin.register(MembershipChange)
class MembershipChangeAdmin(ReadOnlyAdmin):
    nav_icon = "swap_horiz"
    nav_order = 41
    list_display = ["member", "kind", "on", "from_union", "to_union", "note"]
    list_filter = ["kind"]
    search_fields = ["member__name", "member__member_number"]
    list_select_related = ["member", "from_union", "to_union"]
    fields = ["member", "kind", "on", "from_union", "to_union", "note"]
    readonly_fields = fields


@admin.register(Founding)
class FoundingAdmin(ScopedAdmin):
    nav_icon = "add_business"
    nav_order = 45
    workflow = founding_workflow
    transition_action = staticmethod(actions.founding_step)
    list_display = ["name", "field", "federation", "status", "started_on", "approved_on", "unit"]
    list_filter = [under_unit("federation__path"), "field", "status"]
    search_fields = ["name", "unit_code"]
    list_select_related = ["federation", "unit"]
    autocomplete_fields = ["enterprise", "region"]
    readonly_fields = ["unit"]
    fields = ["federation", *actions.FOUNDING_FIELDS, "unit"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "federation":
            kwargs["queryset"] = scope.units_in_scope(request.user, Founding, "add").filter(
                kind__in=OrgUnit.FEDERATIONS
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["widget"] = forms.Select(
                choices=[(k, v) for k, v in OrgUnit.Kind.choices if k in OrgUnit.GRASSROOTS]
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_action(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in actions.FOUNDING_FIELDS if k in form.cleaned_data}
        if change:
            f = actions.update_founding(obj, acting_user=request.user, **data)
        else:
            f = actions.open_founding(
                acting_user=request.user, federation=form.cleaned_data["federation"], **data
            )
        return f


@admin.register(TransferRequest)
class TransferRequestAdmin(ScopedAdmin):
    """Transfers into a union of another organisation wait here for the receiving union, which
    accepts or refuses them on the request's page; the sender may withdraw."""

    nav_icon = "move_down"
    nav_order = 25
    workflow = transfer_workflow
    transition_action = staticmethod(actions.decide_transfer)
    list_display = ["member", "from_union", "to_union", "on", "status", "requested_at"]
    list_filter = ["status"]
    search_fields = ["member__name", "member__member_number", "to_union__name"]
    list_select_related = ["member", "from_union", "to_union"]
    fields = ["member", "from_union", "to_union", "on", "note", "requested_by", "requested_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # a request is made by transferring a member
