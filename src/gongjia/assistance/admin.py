from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongjia.assistance import actions
from gongjia.assistance.models import (
    CategoryDecision,
    EmployerSignal,
    Household,
    HouseholdMember,
    RiskGrade,
    YearFinance,
)
from gongjia.assistance.workflows import household_workflow
from gongjia.orgs.admin import under_unit
from gongjia.platform import pii, validators
from gongjia.platform.admin_base import ScopedAdmin


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
        fields = ["name", "relationship", "work", "employer_name", "schooling"]

    def clean_id_number_input(self):
        raw = self.cleaned_data.get("id_number_input")
        if not raw:
            return ""
        try:
            return validators.validate_id_number(raw)
        except ValidationError as e:
            raise forms.ValidationError(e.messages) from None


class MemberInline(admin.TabularInline):
    model = HouseholdMember
    form = MemberForm
    fields = ["name", "relationship", "id_masked", "work", "employer_name", "schooling"]
    readonly_fields = ["id_masked"]
    extra = 0

    def get_fields(self, request, obj=None):
        # The ID number is entered when the household is filed, then only shown masked.
        return (
            self.fields
            if obj is not None
            else [*self.fields[:2], "id_number_input", *self.fields[3:]]
        )

    @admin.display(description=_("ID number"))
    def id_masked(self, obj):
        return pii.mask_id_list(obj.id_number)


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


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    nav_icon = "family_restroom"
    nav_order = 10
    workflow = household_workflow
    transition_action = staticmethod(actions.household_step)
    list_display = ["number", "head_name", "unit", "category", "status", "archived_on"]
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
        "migrant",
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

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["unit"] if obj else [])]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # A new household is opened in save_related, with the members of the inline.

    def save_related(self, request, form, formsets, change):
        if change:
            return super().save_related(request, form, formsets, change)
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
                {
                    k: r.get(k)
                    for k in ("name", "relationship", "work", "employer_name", "schooling")
                }
                | ({"id_number": r["id_number_input"]} if r.get("id_number_input") else {})
                for r in rows
            ],
            **{k: form.cleaned_data[k] for k in actions.HOUSEHOLD_FIELDS if k in form.cleaned_data},
        )
        form.instance.__dict__.update(h.__dict__)
        for f in formsets:  # saved by the action above; the change message reads these
            f.new_objects, f.changed_objects, f.deleted_objects = [], [], []


@admin.register(RiskGrade)
class RiskGradeAdmin(ScopedAdmin):
    """A list to act on, never a decision: officers visit and offer help (PIPL art. 24)."""

    nav_icon = "warning"
    nav_order = 20
    list_display = ["member", "grade", "points", "reasons", "graded_on"]
    list_filter = [under_unit("member__household__unit__path"), "grade"]
    search_fields = ["member__name", "member__household__number"]
    list_select_related = ["member__household"]
    readonly_fields = ["member", "grade", "points", "reasons", "graded_on", "parameters_since"]
    fields = readonly_fields

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
