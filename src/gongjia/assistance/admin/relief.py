"""Relief applications, the ledger, bank batches and the yearly budget."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from gongjia.assistance import relief
from gongjia.assistance.admin.common import Deidentified, in_yuan
from gongjia.assistance.models import (
    Household,
    HouseholdMember,
    PaymentBatch,
    ReliefApplication,
    ReliefFund,
    ReliefPayment,
)
from gongjia.assistance.workflows import relief_workflow
from gongjia.orgs.admin import under_unit
from gongjia.platform import scope
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin
from gongjia.platform.forms import form_errors


class ReliefApplicationForm(forms.ModelForm):
    policy = forms.ChoiceField(label=_("policy"), choices=())

    class Meta:
        model = ReliefApplication
        fields = ["household", "beneficiary", "policy", "first_period", "periods", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "policy" in self.fields:
            self.fields["policy"].choices = relief.policy_choices()
        # Once the household is known (posted, or given as ?household= from its page), the
        # beneficiary is one of its own members, not anyone in every archived household.
        household = self.data.get("household") or self.initial.get("household")
        if "beneficiary" in self.fields and household and str(household).isdigit():
            field = self.fields["beneficiary"]
            field.queryset = field.queryset.filter(household_id=int(household))

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and all(
            data.get(k) for k in ("household", "policy", "first_period", "periods", "reason")
        ):
            try:
                relief.check_application(
                    data["household"],
                    **{k: data[k] for k in ("policy", "first_period", "periods", "reason")},
                    beneficiary=data.get("beneficiary"),
                )
            except ValidationError as e:
                form_errors(self, e)
        return data


class PaymentInline(admin.TabularInline):
    model = ReliefPayment
    fields = ["period", "kind", "attempt", "amount", "batch", "entered_by", "entered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("amount (yuan)"))
    def amount(self, obj):
        return in_yuan(obj.amount_fen)


class PolicyFilter(admin.SimpleListFilter):
    """Relief policies by their names (the codes are the parameter's keys)."""

    title = _("policy")
    parameter_name = "policy"

    def lookups(self, request, model_admin):
        return relief.policy_choices()

    def queryset(self, request, queryset):
        return queryset.filter(policy=self.value()) if self.value() else queryset


@admin.register(ReliefApplication)
class ReliefApplicationAdmin(Deidentified, ScopedAdmin):
    """Prepared by one officer, approved by another; approval writes the ledger."""

    nav_icon = "payments"
    nav_order = 30
    form = ReliefApplicationForm
    workflow = relief_workflow
    transition_action = staticmethod(relief.application_step)
    list_display = [
        "number",
        "household",
        "policy_name",
        "first_period",
        "periods",
        "monthly",
        "status",
        "prepared_by",
        "decided_by",
    ]
    list_filter = [under_unit("household__unit__path"), "status", PolicyFilter]
    export_fields = (
        "number",
        "household_number",
        "household_unit",
        "policy_name",
        "first_period",
        "periods",
        "monthly",
        "status",
    )
    search_fields = ["number", "household__number", "household__head_name"]
    list_select_related = ["household", "prepared_by", "decided_by"]
    autocomplete_fields = ["household"]
    readonly_fields = [
        "number",
        "monthly",
        "fund_source",
        "prepared_by",
        "prepared_at",
        "decided_by",
        "decided_at",
    ]
    inlines = [PaymentInline]

    def get_fields(self, request, obj=None):
        head = ["household", "beneficiary", "policy", "first_period", "periods", "reason"]
        if obj is None:
            return head
        head[2] = "policy_name"  # by its name once prepared
        return ["number", *head, *self.readonly_fields[1:]]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Nothing of a prepared application changes except through its steps.
        return (
            fields
            if obj is None
            else [
                *fields,
                "household",
                "beneficiary",
                "policy_name",
                "first_period",
                "periods",
                "reason",
            ]
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "beneficiary":
            kwargs["queryset"] = scope.restrict(
                HouseholdMember.objects.filter(household__status=Household.Status.ARCHIVED),
                request.user,
            ).select_related("household")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("amount per month (yuan)"), ordering="amount_fen")
    def monthly(self, obj):
        return in_yuan(obj.amount_fen)

    def save_action(self, request, obj, form, change):
        if change:
            return
        d = form.cleaned_data  # checked in the form's clean(), so errors show on the form
        a = relief.apply(
            d["household"],
            acting_user=request.user,
            policy=d["policy"],
            first_period=d["first_period"],
            periods=d["periods"],
            reason=d["reason"],
            beneficiary=d.get("beneficiary"),
        )
        return a

    def save_related(self, request, form, formsets, change):
        for f in formsets:
            f.new_objects, f.changed_objects, f.deleted_objects = [], [], []


@admin.register(ReliefPayment)
class ReliefPaymentAdmin(Deidentified, ScopedAdmin):
    """The ledger: read only; a reversal is a new line entered from the line it reverses."""

    nav_icon = "receipt_long"
    nav_order = 31
    list_display = [
        "household",
        "policy_name",
        "period",
        "kind",
        "amount",
        "attempt",
        "batch",
        "entered_by",
        "entered_at",
    ]
    list_filter = [under_unit("household__unit__path"), "kind", "year", PolicyFilter]
    export_fields = (
        "household_number",
        "household_unit",
        "policy_name",
        "period",
        "kind",
        "amount",
        "attempt",
        "fund_source",
        "entered_at",
    )
    search_fields = ["household__number", "household__head_name", "period"]
    list_select_related = ["household", "batch__unit", "entered_by"]
    fields = [
        "household",
        "application",
        "policy_name",
        "period",
        "kind",
        "attempt",
        "amount",
        "fund_source",
        "reverses",
        "reason",
        "batch",
        "entered_by",
        "entered_at",
    ]
    readonly_fields = fields
    change_form_outer_after_template = "assistance/admin/payment_extras.html"

    @admin.display(description=_("amount (yuan)"), ordering="amount_fen")
    def amount(self, obj):
        return in_yuan(obj.amount_fen)

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/reverse/",
                self.admin_site.admin_view(self.reverse_view),
                name="assistance_reliefpayment_reverse",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if (
            obj is not None
            and obj.kind == ReliefPayment.Kind.PAYMENT
            and not ReliefPayment.objects.filter(reverses=obj).exists()
            and scope.can(request.user, "approve", obj.application)
        ):
            context["reverse_url"] = reverse(
                "admin:assistance_reliefpayment_reverse", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def reverse_view(self, request, pk):
        p = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST":
            raise PermissionDenied
        try:
            r = relief.reverse(p, acting_user=request.user, reason=request.POST.get("reason", ""))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return HttpResponseRedirect(reverse("admin:assistance_reliefpayment_change", args=[pk]))
        messages.success(request, _("Reversed: a new ledger entry was made."))
        return HttpResponseRedirect(reverse("admin:assistance_reliefpayment_change", args=[r.pk]))


class BatchForm(forms.ModelForm):
    user = None  # set by the admin for the request

    class Meta:
        model = PaymentBatch
        fields = ["unit"]

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if not relief.pending_payments(self.user, unit).exists():
            raise forms.ValidationError(_("There are no payments waiting for the bank."))
        return unit


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ScopedAdmin):
    """Payments not yet sent to the bank, gathered under a federation and exported in full."""

    nav_icon = "account_balance"
    nav_order = 32
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

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("total (yuan)"), ordering="total_fen")
    def total(self, obj):
        return in_yuan(obj.total_fen)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_action(self, request, obj, form, change):
        if change:
            return
        b = relief.make_batch(acting_user=request.user, unit=form.cleaned_data["unit"])
        return b

    def get_urls(self):
        return [
            path(
                "<int:pk>/bank-file/",
                self.admin_site.admin_view(self.bank_file_view),
                name="assistance_paymentbatch_bank_file",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if (
            obj is not None
            and scope.units_in_scope(request.user, Household, "reveal")
            .filter(pk=obj.unit_id)
            .exists()
        ):
            context["bank_file_url"] = reverse(
                "admin:assistance_paymentbatch_bank_file", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def bank_file_view(self, request, pk):
        b = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST":
            raise PermissionDenied
        try:
            data = relief.batch_xlsx(
                b, acting_user=request.user, purpose=request.POST.get("purpose", "")
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return HttpResponseRedirect(reverse("admin:assistance_paymentbatch_change", args=[pk]))
        response = HttpResponse(
            data,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{b.number}.xlsx"'
        return response


@admin.register(ReliefFund)
class ReliefFundAdmin(ReadOnlyAdmin):
    nav_icon = "savings"
    nav_order = 33
    list_display = ["year", "budget", "paid", "left"]

    @admin.display(description=_("budget (yuan)"))
    def budget(self, obj):
        return in_yuan(relief.budget(obj.year))

    @admin.display(description=_("paid (yuan)"))
    def paid(self, obj):
        return in_yuan(obj.paid_fen)

    @admin.display(description=_("left (yuan)"))
    def left(self, obj):
        return in_yuan(relief.budget(obj.year) - obj.paid_fen)
