import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from gongjia.assistance import actions, relief, rules
from gongjia.assistance.models import (
    AssistanceRecord,
    CategoryDecision,
    CheckUp,
    EmployerSignal,
    Household,
    HouseholdMember,
    Pairing,
    PaymentBatch,
    ReliefApplication,
    ReliefFund,
    ReliefPayment,
    RiskGrade,
    Visit,
    YearFinance,
)
from gongjia.assistance.workflows import household_workflow, relief_workflow
from gongjia.orgs.admin import under_unit
from gongjia.platform import pii, scope, validators
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin


class MemberForm(forms.ModelForm):
    # Not named id_number: that model field is not editable in forms.
    id_number_input = forms.CharField(
        label=_("ID number"),
        max_length=24,
        required=False,
        help_text=_("Given once, stored encrypted, shown masked."),
    )

    class Meta:
        model = HouseholdMember
        fields = [
            "name",
            "relationship",
            "work",
            "employer",
            "employer_name",
            "contract_ends_on",
            "wage_arrears",
            "member",
            "schooling",
        ]

    health_input = forms.CharField(
        label=_("health and disability"),
        max_length=500,
        required=False,
        help_text=_("Sensitive: stored encrypted, shown masked, only after the separate consent."),
    )

    def clean_health_input(self):
        text = (self.cleaned_data.get("health_input") or "").strip()
        household = getattr(self.instance, "household", None)
        if text and (household is None or not actions.has_consent(household)):
            raise forms.ValidationError(_("Record the worker's separate consent first."))
        return text

    def save(self, commit=True):
        if self.cleaned_data.get("health_input"):
            self.instance.health = self.cleaned_data["health_input"]
        if self.cleaned_data.get("id_number_input") and self.instance.household_id:
            parsed = validators.parse_id_number(self.cleaned_data["id_number_input"])
            self.instance.id_number, self.instance.birth_date = parsed.value, parsed.birth_date
        return super().save(commit)

    def clean_id_number_input(self):
        raw = self.cleaned_data.get("id_number_input")
        if not raw:
            return ""
        if self.instance.pk and self.instance.id_number:
            raise forms.ValidationError(_("The ID number is already recorded."))
        try:
            value = validators.validate_id_number(raw)
        except ValidationError as e:
            raise forms.ValidationError(e.messages) from None
        key = pii.lookup(HouseholdMember, "id_number", value)["id_number_bidx"]
        if HouseholdMember.objects.filter(id_number_bidx=key).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A member already belongs to another archive."))
        return value


class MemberInline(admin.TabularInline):
    model = HouseholdMember
    form = MemberForm
    fields = [
        "name",
        "relationship",
        "id_masked",
        "work",
        "employer",
        "employer_name",
        "contract_ends_on",
        "wage_arrears",
        "member",
        "schooling",
    ]
    readonly_fields = ["id_masked"]
    autocomplete_fields = ["employer", "member"]
    extra = 0

    def get_fields(self, request, obj=None):
        # The ID number is entered when the household is filed, then only shown masked; health
        # data once the household's consent is on record.
        if obj is None:
            return [*self.fields[:2], "id_number_input", *self.fields[3:]]
        # A member added later (or recorded without one) takes the ID number once.
        return [*self.fields, "id_number_input", "health_masked", "health_input"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "health_masked"]

    @admin.display(description=_("ID number"))
    def id_masked(self, obj):
        return pii.mask_id_list(obj.id_number)

    @admin.display(description=_("health (masked)"))
    def health_masked(self, obj):
        return pii.mask_text(obj.health) if obj.pk else ""


class FinanceInline(admin.TabularInline):
    model = YearFinance
    fields = [
        "year",
        "income_fen",
        "rigid_fen",
        "members_living",
        "accident_event",
        "accident_cost_fen",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # entered through the action, which computes the category


class DecisionInline(admin.TabularInline):
    model = CategoryDecision
    fields = [
        "year",
        "computed",
        "category",
        "override_reason",
        "decided_by",
        "decided_at",
        "record",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class Deidentified:
    """Exports name the archive, never the person: `export_fields` use these columns."""

    @admin.display(description=_("archive number"))
    def household_number(self, obj):
        h = getattr(obj, "household", None) or obj.member.household
        return h.number

    @admin.display(description=_("base union"))
    def household_unit(self, obj):
        h = getattr(obj, "household", None) or obj.member.household
        return str(h.unit)


class HouseholdForm(forms.ModelForm):
    # Protected fields are left out of forms: the account is entered here, then shown masked.
    bank_account_input = forms.CharField(
        label=_("bank account"),
        max_length=34,
        required=False,
        help_text=_("Given once, stored encrypted, shown masked. Leave empty to keep it."),
    )
    consent_signed = forms.BooleanField(
        label=_("separate consent signed"),
        required=False,
        help_text=_(
            "The worker signed the application with its separate consent to process health, "
            "income and bank details (PIPL arts. 28-29). Needed before a bank account is stored."
        ),
    )
    exclusions = forms.MultipleChoiceField(
        label=_("exclusions that apply"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Any one of them blocks filing (assistance.exclusions)."),
    )

    class Meta:
        model = Household
        fields = ["unit", *(f for f in actions.HOUSEHOLD_FIELDS if f != "bank_account")]

    def clean(self):
        data = super().clean()
        if (
            data.get("bank_account_input")
            and not data.get("consent_signed")
            and not (self.instance.pk and actions.has_consent(self.instance))
        ):
            self.add_error("consent_signed", _("Record the worker's separate consent first."))
        return data

    def clean_bank_account_input(self):
        raw = validators.normalise_text(self.cleaned_data.get("bank_account_input") or "")
        raw = raw.replace(" ", "").replace("-", "")
        if raw and not (raw.isdigit() and 12 <= len(raw) <= 30):
            raise forms.ValidationError(_("A bank account number has 12 to 30 digits."))
        return raw

    def __init__(self, *args, **kwargs):
        from django.utils import timezone

        from gongjia.platform import parameters

        super().__init__(*args, **kwargs)
        if "exclusions" in self.fields:
            listed = parameters.value("assistance.exclusions", on=timezone.localdate())
            self.fields["exclusions"].choices = list(listed.items())


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    """Lists show names to those in scope; exports leave names out (de-identified)."""

    nav_icon = "family_restroom"
    nav_order = 10
    workflow = household_workflow
    transition_action = staticmethod(actions.household_step)
    form = HouseholdForm
    list_display = ["number", "head_name", "unit", "category", "status", "archived_on"]
    export_fields = (
        "number",
        "unit",
        "category",
        "status",
        "primary_cause",
        "secondary_cause",
        "migrant",
        "archived_on",
        "exit_reason",
        "exited_on",
    )
    list_filter = [under_unit("unit__path"), "status", "category", "primary_cause"]
    search_fields = ["number", "head_name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = [
        "unit",
        "head_name",
        "address",
        "primary_cause",
        "secondary_cause",
        "bank_account_input",
        "consent_signed",
        "migrant",
        "lives_in_city",
        "employed_since",
        "exclusions",
        "exit_reason",
        "number",
        "category",
        "category_overridden",
        "notice_until",
        "archived_on",
        "exited_on",
        "keep_until",
    ]
    readonly_fields = [
        "number",
        "category",
        "category_overridden",
        "notice_until",
        "archived_on",
        "exited_on",
        "keep_until",
    ]
    inlines = [MemberInline, FinanceInline, DecisionInline]
    actions_list = ["public_notice"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["unit"] if obj else [])]

    change_form_outer_after_template = "assistance/admin/household_extras.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/authorisation/",
                view(self.authorisation_view),
                name="assistance_household_authorisation",
            ),
            path(
                "<int:pk>/finances/", view(self.finances_view), name="assistance_household_finances"
            ),
            path(
                "<int:pk>/override/", view(self.override_view), name="assistance_household_override"
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and self.has_change_permission(request, obj):
            last = obj.decisions.first()
            context["household_tools"] = {
                "authorised": actions.has_consent(obj),
                "authorisation_url": reverse(
                    "admin:assistance_household_authorisation", args=[obj.pk]
                ),
                "finances_url": reverse("admin:assistance_household_finances", args=[obj.pk]),
                "override_url": reverse("admin:assistance_household_override", args=[obj.pk]),
                "categories": Household.Category.choices,
                "year": timezone.localdate().year - 1,
                "computation": rules.explain(last.record) if last and last.record else None,
                "decision": last,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    @action(description=_("Public notice of hardship households"), url_path="public-notice")
    def public_notice(self, request):
        """The public notice (公示) of the households under notice in the officer's scope: name,
        unit and category only, never ID numbers, income or diagnoses (assistance.md §2)."""
        from django.template.response import TemplateResponse

        rows = (
            self.get_queryset(request)
            .filter(status=Household.Status.NOTICE)
            .select_related("unit")
            .order_by("unit__path", "number")
        )
        return TemplateResponse(
            request,
            "assistance/admin/public_notice.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Public notice of hardship households"),
                "rows": rows,
            },
        )

    def authorisation_view(self, request, pk):
        return self.record_post(
            request, pk, lambda h: actions.record_authorisation(h, acting_user=request.user)
        )

    def finances_view(self, request, pk):
        def do(h):
            p = request.POST
            try:
                year = int(p.get("year", ""))
                members = int(p.get("members_living", ""))
            except ValueError:
                raise ValidationError(
                    _("Give the year and how many members live together.")
                ) from None
            actions.record_finances(
                h,
                acting_user=request.user,
                year=year,
                income_fen=relief.fen(p.get("income", "")),
                rigid_fen=relief.fen(p.get("rigid", "") or "0"),
                members_living=members,
                accident_event=p.get("accident_event", "").strip()[:30],
                accident_cost_fen=relief.fen(p.get("accident_cost", "") or "0"),
            )

        return self.record_post(request, pk, do)

    def override_view(self, request, pk):
        return self.record_post(
            request,
            pk,
            lambda h: actions.override_category(
                h,
                acting_user=request.user,
                category=request.POST.get("category", ""),
                reason=request.POST.get("reason", ""),
            ),
        )

    def save_model(self, request, obj, form, change):
        if change:
            data = {
                k: form.cleaned_data[k]
                for k in actions.HOUSEHOLD_FIELDS
                if k in form.cleaned_data and k in form.changed_data
            }
            if form.cleaned_data.get("consent_signed") and not actions.has_consent(obj):
                actions.record_application_consent(obj, acting_user=request.user)
            if form.cleaned_data.get("bank_account_input"):
                data["bank_account"] = form.cleaned_data["bank_account_input"]
            if data:
                actions.update_household(obj, acting_user=request.user, **data)
        # A new household is opened in save_related, with the members of the inline.

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)
            # A member's job, contract or arrears may have changed: grades follow at once.
            from gongjia.assistance.risk import regrade_household

            regrade_household(form.instance)
            return
        rows = [
            r
            for f in formsets
            if f.model is HouseholdMember
            for r in f.cleaned_data
            if r and not r.get("DELETE")
        ]
        h = actions.open_household(
            acting_user=request.user,
            unit=form.cleaned_data["unit"],
            members=[
                {k: r.get(k) for k in MemberForm.Meta.fields if r.get(k) not in (None, "")}
                | ({"id_number": r["id_number_input"]} if r.get("id_number_input") else {})
                for r in rows
            ],
            **{k: form.cleaned_data[k] for k in actions.HOUSEHOLD_FIELDS if k in form.cleaned_data},
            bank_account=form.cleaned_data.get("bank_account_input", ""),
            consent_method="written" if form.cleaned_data.get("consent_signed") else "",
        )
        form.instance.__dict__.update(h.__dict__)
        for f in formsets:  # saved by the action above; the change message reads these
            f.new_objects, f.changed_objects, f.deleted_objects = [], [], []


@admin.register(RiskGrade)
class RiskGradeAdmin(Deidentified, ScopedAdmin):
    """A list to act on, never a decision: officers visit and offer help (PIPL art. 24)."""

    nav_icon = "warning"
    nav_order = 20
    list_display = ["member", "grade", "points", "reasons", "graded_on"]
    list_filter = [under_unit("member__household__unit__path"), "grade"]
    search_fields = ["member__name", "member__household__number"]
    list_select_related = ["member__household"]
    readonly_fields = ["member", "grade", "points", "reasons", "graded_on", "parameters_since"]
    fields = readonly_fields
    export_fields = (
        "household_number",
        "household_unit",
        "grade",
        "points",
        "reasons",
        "graded_on",
    )

    def has_add_permission(self, request):
        return False


@admin.register(EmployerSignal)
class EmployerSignalAdmin(ScopedAdmin):
    nav_icon = "campaign"
    nav_order = 25
    list_display = ["enterprise", "kind", "since", "until", "note"]
    list_filter = ["kind"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]

    def save_model(self, request, obj, form, change):
        actions.record_signal(obj, acting_user=request.user)


def _yuan(fen):
    return relief.yuan(fen) if fen is not None else "—"


class ReliefApplicationForm(forms.ModelForm):
    policy = forms.ChoiceField(label=_("policy"), choices=())

    class Meta:
        model = ReliefApplication
        fields = ["household", "beneficiary", "policy", "first_period", "periods", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "policy" in self.fields:
            self.fields["policy"].choices = relief.policy_choices()

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
                for field, errors in e.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
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
        return _yuan(obj.amount_fen)


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
        "policy",
        "first_period",
        "periods",
        "monthly",
        "status",
        "prepared_by",
        "decided_by",
    ]
    list_filter = [under_unit("household__unit__path"), "status", "policy"]
    export_fields = (
        "number",
        "household_number",
        "household_unit",
        "policy",
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
        return head if obj is None else ["number", *head, *self.readonly_fields[1:]]

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
                "policy",
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
        return _yuan(obj.amount_fen)

    def save_model(self, request, obj, form, change):
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
        obj.__dict__.update(a.__dict__)

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
        "policy",
        "period",
        "kind",
        "amount",
        "attempt",
        "batch",
        "entered_by",
        "entered_at",
    ]
    list_filter = [under_unit("household__unit__path"), "kind", "year", "policy"]
    export_fields = (
        "household_number",
        "household_unit",
        "policy",
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
        "policy",
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
        return _yuan(obj.amount_fen)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
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
    change_form_outer_after_template = "assistance/admin/batch_extras.html"

    def get_fields(self, request, obj=None):
        return ["unit"] if obj is None else ["number", "unit", *self.readonly_fields[1:]]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else [*self.readonly_fields, "unit"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("total (yuan)"), ordering="total_fen")
    def total(self, obj):
        return _yuan(obj.total_fen)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        if change:
            return
        b = relief.make_batch(acting_user=request.user, unit=form.cleaned_data["unit"])
        obj.__dict__.update(b.__dict__)

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
        if obj is not None and request.user.has_perm("assistance.reveal_household"):
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
        return _yuan(relief.budget(obj.year))

    @admin.display(description=_("paid (yuan)"))
    def paid(self, obj):
        return _yuan(obj.paid_fen)

    @admin.display(description=_("left (yuan)"))
    def left(self, obj):
        return _yuan(relief.budget(obj.year) - obj.paid_fen)


def _form_errors(form, error: ValidationError):
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


RECORD_FORM_FIELDS = [
    "household",
    "kind",
    "given_on",
    "beneficiary",
    "amount_fen",
    "item",
    "campaign",
    "fund_source",
    "legal_case",
    "signed",
]


class AssistanceRecordForm(forms.ModelForm):
    # Not named note: protected fields are left out of forms; this one is entered, then masked.
    note_input = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = AssistanceRecord
        fields = RECORD_FORM_FIELDS

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("household") and data.get("given_on"):
            r = AssistanceRecord(**{k: data.get(k) for k in RECORD_FORM_FIELDS})
            try:
                actions.check_record(r)
            except ValidationError as e:
                _form_errors(self, e)
        return data


@admin.register(AssistanceRecord)
class AssistanceRecordAdmin(Deidentified, ScopedAdmin):
    nav_icon = "volunteer_activism"
    nav_order = 40
    form = AssistanceRecordForm
    list_display = ["household", "kind", "given_on", "amount", "item", "campaign", "signed"]
    list_filter = [under_unit("household__unit__path"), "kind", "signed"]
    search_fields = ["household__number", "household__head_name", "campaign", "item"]
    list_select_related = ["household"]
    autocomplete_fields = ["household", "legal_case"]
    date_hierarchy = "given_on"
    export_fields = (
        "household_number",
        "household_unit",
        "kind",
        "given_on",
        "amount",
        "item",
        "campaign",
    )

    def get_fields(self, request, obj=None):
        return [*RECORD_FORM_FIELDS, "note_input"] if obj is None else RECORD_FORM_FIELDS

    def get_readonly_fields(self, request, obj=None):
        # A record of help given is not rewritten; a mistake is corrected by a new record.
        return [] if obj is None else RECORD_FORM_FIELDS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "beneficiary":
            kwargs["queryset"] = scope.restrict(
                HouseholdMember.objects.filter(household__status=Household.Status.ARCHIVED),
                request.user,
            ).select_related("household")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("amount (yuan)"), ordering="amount_fen")
    def amount(self, obj):
        return _yuan(obj.amount_fen)

    def save_model(self, request, obj, form, change):
        if change:
            return
        d = form.cleaned_data
        r = actions.record_assistance(
            d["household"],
            acting_user=request.user,
            **{k: d.get(k) for k in RECORD_FORM_FIELDS if k != "household"},
            note=d.get("note_input", ""),
        )
        obj.__dict__.update(r.__dict__)


class VisitInline(admin.TabularInline):
    model = Visit
    fields = ["visited_on", "kind", "notes_masked", "recorded_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # logged from the form below the pairing

    @admin.display(description=_("notes"))
    def notes_masked(self, obj):
        return pii.mask_text(obj.notes)


class PairingForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = ["household", "helper", "helper_unit", "visit_every_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "visit_every_days" in self.fields:
            self.fields["visit_every_days"].required = False
            self.fields["visit_every_days"].help_text = _(
                "Leave empty for the usual interval (assistance.visit_every_days)."
            )

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("household"):
            try:
                actions.check_pairing(data["household"])
            except ValidationError as e:
                _form_errors(self, e)
        return data


@admin.register(Pairing)
class PairingAdmin(Deidentified, ScopedAdmin):
    """One-to-one help: the helper logs visits; an overdue visit shows in red and is notified."""

    nav_icon = "handshake"
    nav_order = 41
    form = PairingForm
    list_display = ["household", "helper", "helper_unit", "started_on", "next_visit", "ended_on"]
    list_filter = [under_unit("household__unit__path"), ("ended_on", admin.EmptyFieldListFilter)]
    search_fields = ["household__number", "household__head_name", "helper__username"]
    list_select_related = ["household", "helper", "helper_unit"]
    autocomplete_fields = ["household", "helper_unit"]
    readonly_fields = ["started_on", "next_visit_on", "ended_on"]
    inlines = [VisitInline]
    change_form_outer_after_template = "assistance/admin/pairing_extras.html"
    export_fields = (
        "household_number",
        "household_unit",
        "started_on",
        "next_visit_on",
        "ended_on",
    )

    def get_fields(self, request, obj=None):
        base = ["household", "helper", "helper_unit", "visit_every_days"]
        return base if obj is None else [*base, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.readonly_fields, "household", "helper", "helper_unit", "visit_every_days"]

    def has_change_permission(self, request, obj=None):
        # The helper logs their own visits, whatever their role allows elsewhere.
        if obj is not None and obj.helper_id == request.user.pk:
            return True
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "helper":
            from gongjia.accounts.models import User

            units = scope.units_in_scope(request.user, Pairing, "change")
            kwargs["queryset"] = User.objects.filter(
                is_active=True, roles__active=True, roles__unit__in=units
            ).distinct()
            # Colleagues holding a role in the officer's branch, even without the permission to
            # browse accounts, which the scoped lookup would require.
            return super(ScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("next visit due"), ordering="next_visit_on")
    def next_visit(self, obj):
        from django.utils import timezone
        from django.utils.html import format_html

        if obj.ended_on is None and obj.next_visit_on < timezone.localdate():
            return format_html(
                '<span class="text-red-600 font-semibold">{}</span>', obj.next_visit_on
            )
        return obj.next_visit_on

    def save_model(self, request, obj, form, change):
        if change:
            return
        d = form.cleaned_data
        p = actions.pair(
            d["household"],
            acting_user=request.user,
            helper=d["helper"],
            helper_unit=d["helper_unit"],
            every_days=d.get("visit_every_days"),
        )
        obj.__dict__.update(p.__dict__)

    def save_related(self, request, form, formsets, change):
        for f in formsets:
            f.new_objects, f.changed_objects, f.deleted_objects = [], [], []

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/visit/", view(self.visit_view), name="assistance_pairing_visit"),
            path("<int:pk>/end/", view(self.end_view), name="assistance_pairing_end"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.ended_on is None and self.has_change_permission(request, obj):
            context["visit_url"] = reverse("admin:assistance_pairing_visit", args=[obj.pk])
            context["end_url"] = reverse("admin:assistance_pairing_end", args=[obj.pk])
            context["visit_kinds"] = Visit.Kind.choices
        return super().render_change_form(request, context, add, change, form_url, obj)

    def visit_view(self, request, pk):
        def do(p):
            try:
                day = dt.date.fromisoformat(request.POST.get("visited_on", ""))
            except ValueError:
                raise ValidationError(_("Enter the date of the visit.")) from None
            actions.log_visit(
                p,
                acting_user=request.user,
                visited_on=day,
                kind=request.POST.get("kind", "home"),
                notes=request.POST.get("notes", ""),
            )

        return self.record_post(request, pk, do)

    def end_view(self, request, pk):
        return self.record_post(
            request, pk, lambda p: actions.end_pairing(p, acting_user=request.user)
        )


class CheckUpForm(forms.ModelForm):
    exit_reason = forms.ChoiceField(
        label=_("reason for leaving"),
        choices=[("", "—"), *Household.ExitReason.choices],
        required=False,
    )

    class Meta:
        model = CheckUp
        fields = ["outcome", "note"]

    def clean(self):
        data = super().clean()
        if not data.get("outcome"):
            self.add_error("outcome", _("Choose the outcome."))
        elif data["outcome"] not in actions.OUTCOMES[self.instance.kind]:
            self.add_error("outcome", _("Choose an outcome of this kind of check."))
        elif data["outcome"] == CheckUp.Outcome.EXIT and not data.get("exit_reason"):
            self.add_error("exit_reason", _("This field is required for this step."))
        elif data["outcome"] == CheckUp.Outcome.RELAPSE and len(data.get("note", "").strip()) < 2:
            self.add_error("note", _("Please give a reason for this step."))
        return data


@admin.register(CheckUp)
class CheckUpAdmin(Deidentified, ScopedAdmin):
    """The yearly reviews and the calls after exit: open ones are done from their page."""

    nav_icon = "fact_check"
    nav_order = 42
    form = CheckUpForm
    list_display = ["household", "kind", "due_on", "done_on", "outcome", "done_by"]
    list_filter = [
        under_unit("household__unit__path"),
        "kind",
        ("done_on", admin.EmptyFieldListFilter),
        "outcome",
    ]
    search_fields = ["household__number", "household__head_name"]
    list_select_related = ["household", "done_by"]
    readonly_fields = ["household", "kind", "due_on", "done_on", "done_by"]
    export_fields = ("household_number", "household_unit", "kind", "due_on", "done_on", "outcome")

    def get_fields(self, request, obj=None):
        if obj is not None and obj.done_on is None:
            return [*self.readonly_fields[:3], "outcome", "exit_reason", "note"]
        return [*self.readonly_fields, "outcome", "note"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.done_on is None:
            return self.readonly_fields
        return [*self.readonly_fields, "outcome", "note"]

    def has_add_permission(self, request):
        return False  # opened by the yearly sweep and by an exit

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        actions.complete_checkup(
            CheckUp.objects.get(pk=obj.pk),
            acting_user=request.user,
            outcome=d["outcome"],
            note=d.get("note", ""),
            exit_reason=d.get("exit_reason", ""),
        )
