""" "1+X" dispute cases with their deadlines, parties, claims, limitation and referrals."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongjia.orgs.admin import under_unit
from gongjia.platform import pii, records
from gongjia.platform.admin_base import ScopedAdmin, provisional_note
from gongjia.rights import actions, clocks, selectors
from gongjia.rights.models import (
    FACT_FIELDS,
    CaseClaim,
    CaseWorker,
    DisputeCase,
    LimitationEvent,
    Referral,
)
from gongjia.rights.workflows import (
    OPEN,
    TERMINAL,
    case_workflow,
)

# --- dispute cases ------------------------------------------------------------------------------


def deadline_html(obj, running: bool):
    """The next deadline: red once passed, orange in its warning days."""
    if not obj.due_on:
        return "—"
    today = timezone.localdate()
    note = provisional_note(obj.due_on)
    if running and obj.due_on < today:
        return format_html(
            '<span class="text-red-600 font-semibold">{} ⚠</span>{}', obj.due_on, note
        )
    if running and obj.warn_on and obj.warn_on <= today:
        return format_html('<span class="text-orange-600">{}</span>{}', obj.due_on, note)
    return format_html("{}{}", obj.due_on, note) if note else obj.due_on


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("soon", _("Due soon")), ("mine", _("My open cases"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(selectors.overdue())
        if self.value() == "soon":
            return queryset.filter(selectors.due_soon())
        if self.value() == "mine":
            return queryset.filter(selectors.handled_by(request.user))
        return queryset


class CaseWorkerInline(admin.TabularInline):
    model = CaseWorker
    fields = ["name", "id_masked", "mobile", "member", "representative"]
    readonly_fields = ["id_masked", "member"]
    extra = 0
    min_num = 1  # a case has at least one worker

    @admin.display(description=_("ID number"))
    def id_masked(self, obj):
        return pii.mask_id_list(obj.id_number)


class CaseClaimInline(admin.TabularInline):
    model = CaseClaim
    fields = ["kind", "amount", "description"]
    extra = 0


class LimitationEventInline(admin.TabularInline):
    model = LimitationEvent
    fields = ["kind", "on", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReferralInline(admin.TabularInline):
    model = Referral
    fields = [
        "kind",
        "agency",
        "entrusted_on",
        "due_on",
        "result",
        "returned_on",
        "feedback_letter",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class _CaseForm(forms.ModelForm):
    """The case with its ten facts (要素式) as ten labelled fields, kept as one JSON value."""

    class Meta:
        model = DisputeCase
        fields = [
            "unit",
            *[f for f in actions.CASE_FIELDS if f != "facts"],
            *actions.RECORDED,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, value in (self.instance.facts or {}).items():
            if f"fact_{key}" in self.fields:
                self.fields[f"fact_{key}"].initial = value

    def clean(self):
        data = super().clean()
        data["facts"] = {
            key: data[f"fact_{key}"].strip()
            for key, _label in FACT_FIELDS
            if data.get(f"fact_{key}", "").strip()
        }
        return data


# Declared fields must exist on the class for the admin to lay them out.
DisputeCaseForm = type(
    "DisputeCaseForm",
    (_CaseForm,),
    {
        f"fact_{key}": forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        for key, label in FACT_FIELDS
    },
)


@admin.register(DisputeCase)
class DisputeCaseAdmin(ScopedAdmin):
    nav_icon = "balance"
    nav_order = 50
    form = DisputeCaseForm
    workflow = case_workflow
    transition_action = staticmethod(actions.case_step)
    list_display = [
        "number",
        "employer_name",
        "unit",
        "channel",
        "status",
        "handler",
        "received_on",
        "deadline",
        "limitation_expires_on",
    ]
    list_filter = [DeadlineFilter, under_unit("unit__path"), "status", "channel", "closure"]
    search_fields = ["number", "employer_name", "workers__name"]
    list_select_related = ["unit", "handler"]
    autocomplete_fields = ["unit", "station", "employer", "handler"]
    readonly_fields = ["number", "limitation_expires_on", "clock_name", "due_on", "final_award"]

    @admin.display(description=_("running clock"))
    def clock_name(self, obj):
        return clocks.label(obj.clock)

    inlines = [CaseWorkerInline, CaseClaimInline, LimitationEventInline, ReferralInline]
    export_fields = (
        "number",
        "employer_name",
        "unit",
        "channel",
        "status",
        "received_on",
        "due_on",
        "limitation_expires_on",
        "closure",
        "closed_on",
    )

    @admin.display(description=_("next deadline"), ordering="due_on")
    def deadline(self, obj):
        return deadline_html(obj, obj.status in OPEN)

    def get_fieldsets(self, request, obj=None):
        """Intake first, then the ten facts; what happens later (the agreement, the award, the
        closure) and the clocks only once the case exists, so a walk-in is a short form."""
        facts = [f"fact_{key}" for key, _label in FACT_FIELDS]
        intake = ["unit", *[f for f in actions.CASE_FIELDS if f != "facts"]]
        sets = [
            (None, {"fields": intake}),
            (_("The facts (ten elements)"), {"fields": facts}),
        ]
        if obj is not None:
            sets += [
                (_("As the case goes on"), {"fields": list(actions.RECORDED)}),
                (_("Clocks"), {"fields": [*self.readonly_fields[1:], self.workflow.field]}),
            ]
            sets[0][1]["fields"] = ["number", *intake]
        return sets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["unit", "channel", "received_on"]
            if obj.status in TERMINAL:
                fields += ["closure", "fully_performed"]
        return fields

    def get_inlines(self, request, obj):
        # Parties and claims are given at intake (the API or the add form's inlines).
        return self.inlines if obj is not None else [CaseWorkerInline, CaseClaimInline]

    def _data(self, request, obj, form) -> dict:
        readonly = self.get_readonly_fields(request, obj)
        return {
            k: form.cleaned_data[k]
            for k in (*actions.CASE_FIELDS, *actions.RECORDED)
            if k in form.cleaned_data and k not in readonly
        }

    def save_action(self, request, obj, form, change):
        if change:
            case = actions.update_case(
                obj, acting_user=request.user, **self._data(request, obj, form)
            )
            return case
        # A new case is opened in save_related, with the parties and claims of the inlines.

    def save_related(self, request, form, formsets, change):
        if change:
            return super().save_related(request, form, formsets, change)
        rows = {
            type(f).model: [r for r in f.cleaned_data if r and not r.get("DELETE")]
            for f in formsets
        }
        data = self._data(request, None, form)
        for k in actions.RECORDED:  # what happens later in the case, not at intake
            data.pop(k, None)
        case = actions.open_case(
            acting_user=request.user,
            unit=form.cleaned_data["unit"],
            workers=[
                {k: r.get(k) for k in ("name", "mobile", "representative")}
                for r in rows.get(CaseWorker, [])
            ],
            claims=[
                {k: r.get(k) for k in ("kind", "amount", "description")}
                for r in rows.get(CaseClaim, [])
            ],
            **data,
        )
        records.adopt(form.instance, case)
        for f in formsets:  # saved by the action above; the change message reads these
            f.new_objects, f.changed_objects, f.deleted_objects = [], [], []
