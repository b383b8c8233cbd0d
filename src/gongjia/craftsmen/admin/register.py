"""The title register with its benefits, the awards, their ledger and their bank batches."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from gongjia.craftsmen import actions
from gongjia.craftsmen.admin.common import in_yuan
from gongjia.craftsmen.models import (
    Award,
    AwardBatch,
    AwardPayment,
    Entitlement,
    Title,
)
from gongjia.craftsmen.workflows import award_workflow
from gongjia.orgs.admin import under_unit
from gongjia.platform import scope
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin

# --- the register and its benefits ------------------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason revoked"), max_length=300)


class AwardForm(forms.Form):
    bank_name = forms.CharField(label=_("bank"), max_length=60)
    bank_account = forms.CharField(label=_("bank account"), max_length=40)


class EntitlementInline(admin.TabularInline):
    model = Entitlement
    fields = ["kind", "granted_on", "used_on", "used_for"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # granted when the title is conferred


@admin.register(Title)
class TitleAdmin(ScopedAdmin):
    nav_icon = "workspace_premium"
    nav_order = 40
    list_display = ["number", "member", "kind", "round", "unit", "held_from", "in_force_display"]
    list_filter = [under_unit("unit__path"), "round", "kind", "revoked_on"]
    search_fields = ["number", "member__name", "member__member_number"]
    list_select_related = ["member", "round", "unit"]
    readonly_fields = [
        "number",
        "member",
        "kind",
        "round",
        "unit",
        "held_from",
        "revoked_on",
        "revoked_reason",
    ]
    fields = readonly_fields
    inlines = [EntitlementInline]

    def has_add_permission(self, request):
        return False  # conferred by the round's last step

    @admin.display(description=_("in force"), boolean=True)
    def in_force_display(self, obj):
        return obj.in_force

    def record_tools(self, request, obj):
        tools = []
        if not obj.in_force:
            return tools
        if (
            obj.kind == Title.Kind.TITLE
            and not Award.objects.filter(title=obj).exists()
            and request.user.has_perm("craftsmen.add_award")
            and scope.can(request.user, "view", obj.round)
        ):
            tools.append(
                (reverse("admin:craftsmen_title_award", args=[obj.pk]), _("Prepare the award"))
            )
        if scope.can(request.user, "approve", obj.round):
            tools.append((reverse("admin:craftsmen_title_revoke", args=[obj.pk]), _("Revoke")))
        return tools

    def award_view(self, request, pk):
        def prepare(obj, d):
            a = actions.prepare_award(obj, acting_user=request.user, **d)
            return reverse("admin:craftsmen_award_change", args=[a.pk])

        return self.tool_form(
            request,
            pk,
            AwardForm,
            prepare,
            title=lambda obj: _("Prepare the award: %(t)s") % {"t": obj},
            intro=lambda obj: (
                _("%(y)s yuan to the holder's account, approved and paid by another officer.")
                % {"y": in_yuan(obj.round.award_fen)}
            ),
        )

    def revoke_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            RevokeForm,
            lambda obj, d: actions.revoke_title(obj, reason=d["reason"], acting_user=request.user),
            title=lambda obj: _("Revoke the title: %(t)s") % {"t": obj},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/award/", view(self.award_view), name="craftsmen_title_award"),
            path("<int:pk>/revoke/", view(self.revoke_view), name="craftsmen_title_revoke"),
            *super().get_urls(),
        ]


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    nav_icon = "spa"
    nav_order = 50
    list_display = ["title", "kind", "granted_on", "used_on", "used_for"]
    list_filter = ["kind", "used_on"]
    search_fields = ["title__member__name", "title__number"]
    list_select_related = ["title__member"]


# --- the award and its ledger ------------------------------------------------------------------


class PaymentInline(admin.TabularInline):
    model = AwardPayment
    fields = ["kind", "attempt", "amount", "on", "reason", "batch"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # written by the award's steps

    @admin.display(description=_("amount (yuan)"))
    def amount(self, obj):
        return in_yuan(obj.amount_fen)


@admin.register(Award)
class AwardAdmin(ScopedAdmin):
    nav_icon = "payments"
    nav_order = 60
    workflow = award_workflow
    transition_action = actions.award_step
    list_display = ["title", "amount", "status", "prepared_by", "decided_by"]
    list_filter = ["status"]
    search_fields = ["title__member__name", "title__number"]
    list_select_related = ["title__member", "prepared_by", "decided_by"]
    readonly_fields = ["title", "amount", "bank_name", "prepared_by", "decided_by", "decided_at"]
    fields = readonly_fields
    inlines = [PaymentInline]

    def has_add_permission(self, request):
        return False  # prepared from the holder's page in the register

    @admin.display(description=_("amount (yuan)"), ordering="amount_fen")
    def amount(self, obj):
        return in_yuan(obj.amount_fen)


@admin.register(AwardPayment)
class AwardPaymentAdmin(ReadOnlyAdmin):
    nav_icon = "receipt_long"
    nav_order = 70
    list_display = ["award", "kind", "attempt", "amount", "on", "batch", "entered_by"]
    list_filter = ["kind", "on"]
    search_fields = ["award__title__member__name", "award__title__number"]
    list_select_related = ["award__title__member", "batch", "entered_by"]

    @admin.display(description=_("amount (yuan)"), ordering="amount_fen")
    def amount(self, obj):
        return in_yuan(obj.amount_fen)


class BatchForm(forms.ModelForm):
    user = None  # set by the admin for the request

    class Meta:
        model = AwardBatch
        fields = ["unit"]

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if not actions.pending_payments(self.user, unit).exists():
            raise forms.ValidationError(_("There are no award payments waiting for the bank."))
        return unit


@admin.register(AwardBatch)
class AwardBatchAdmin(ScopedAdmin):
    """Award payments not yet sent to the bank, gathered under a federation, in full."""

    nav_icon = "account_balance"
    nav_order = 80
    form = BatchForm
    list_display = ["number", "unit", "entries", "total", "created_by", "created_at"]
    list_filter = [under_unit("unit__path")]
    search_fields = ["number"]
    list_select_related = ["unit", "created_by"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["number", "entries", "total", "created_by", "created_at"]
    change_form_outer_after_template = "platform/admin/bank_file_extras.html"

    def get_fields(self, request, obj=None):
        return ["unit"] if obj is None else ["number", "unit", *self.readonly_fields[1:]]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else [*self.readonly_fields, "unit"]

    @admin.display(description=_("total (yuan)"), ordering="total_fen")
    def total(self, obj):
        return in_yuan(obj.total_fen)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_action(self, request, obj, form, change):
        if change:
            return obj
        return actions.make_batch(acting_user=request.user, unit=form.cleaned_data["unit"])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if (
            obj is not None
            and obj.pk
            and scope.units_in_scope(request.user, Award, "reveal").filter(pk=obj.unit_id).exists()
        ):
            context["bank_file_url"] = reverse(
                "admin:craftsmen_awardbatch_bank_file", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def bank_file_view(self, request, pk):
        b = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST":
            raise PermissionDenied
        try:
            data = actions.batch_xlsx(
                b, acting_user=request.user, purpose=request.POST.get("purpose", "")
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return HttpResponseRedirect(self._change_url(b))
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{b.number}.xlsx"'
        return response

    def get_urls(self):
        return [
            path(
                "<int:pk>/bank-file/",
                self.admin_site.admin_view(self.bank_file_view),
                name="craftsmen_awardbatch_bank_file",
            ),
            *super().get_urls(),
        ]
