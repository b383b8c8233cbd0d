"""Harmonious labour relations: checklists and evaluations."""

from django.contrib import admin

from gongjia.orgs.admin import under_unit
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.rights import actions
from gongjia.rights.models import (
    Checklist,
    ChecklistItem,
    Evaluation,
    Score,
)
from gongjia.rights.workflows import (
    evaluation_workflow,
)

# --- harmonious labour relations ----------------------------------------------------------------


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ["code", "text", "weight"]
    extra = 0


@admin.register(Checklist)
class ChecklistAdmin(ScopedAdmin):
    nav_icon = "checklist"
    nav_order = 70
    list_display = ["name", "unit", "effective_from", "certificate_years"]
    list_filter = [under_unit("unit__path")]
    search_fields = ["name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [ChecklistItemInline]


class ScoreInline(admin.TabularInline):
    model = Score
    fields = ["item", "percent", "note"]
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == Evaluation.Status.SCORING

    has_add_permission = has_change_permission


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdmin):
    nav_icon = "workspace_premium"
    nav_order = 75
    workflow = evaluation_workflow
    transition_action = staticmethod(actions.evaluation_step)
    list_display = [
        "enterprise",
        "round",
        "status",
        "total",
        "grade",
        "certificate_number",
        "valid_until",
    ]
    list_filter = [under_unit("unit__path"), "status", "grade", "round"]
    search_fields = ["enterprise__name", "certificate_number"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise", "unit"]
    readonly_fields = [
        "total",
        "grade",
        "certificate_number",
        "valid_from",
        "valid_until",
        "revoked_on",
    ]
    inlines = [ScoreInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + (["enterprise", "unit", "checklist", "round"] if obj else [])

    def save_action(self, request, obj, form, change):
        if not change:
            e = actions.open_evaluation(
                acting_user=request.user,
                unit=form.cleaned_data["unit"],
                enterprise=form.cleaned_data["enterprise"],
                checklist=form.cleaned_data["checklist"],
                round=form.cleaned_data["round"],
            )
            return e

    def save_formset(self, request, form, formset, change):
        # Scores go through the action, which recomputes the total.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.cleaned_data:
            if row and not row.get("DELETE") and row.get("item"):
                actions.score(
                    form.instance,
                    acting_user=request.user,
                    item=row["item"],
                    percent=row["percent"],
                    note=row.get("note", ""),
                )
