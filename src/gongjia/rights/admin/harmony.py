"""Harmonious labour relations: checklists and evaluations."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


class ChecklistForm(forms.ModelForm):
    """The grades as people write them, one a line ("AAA 90"), not as JSON."""

    grades_text = forms.CharField(
        label=gettext_lazy("grades"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One grade a line, highest first: the grade and the lowest total that earns it, "
            "e.g. “AAA 90”."
        ),
    )

    class Meta:
        model = Checklist
        fields = ["name", "unit", "effective_from", "certificate_years"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grades = self.instance.grades or []
        self.fields["grades_text"].initial = "\n".join(f"{g['grade']} {g['min']}" for g in grades)

    def clean_grades_text(self):
        grades, last = [], None
        for n, line in enumerate(self.cleaned_data["grades_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = re.split(r"[\s:：,，]+", line.strip())
            try:
                if len(parts) != 2:
                    raise InvalidOperation
                low = Decimal(parts[1])
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(n)d: write the grade and its lowest total, e.g. “AAA 90”.") % {"n": n}
                ) from None
            if not 0 <= low <= 100 or (last is not None and low >= last):
                raise forms.ValidationError(
                    _("Line %(n)d: totals go from 100 down, each grade lower than the one before.")
                    % {"n": n}
                )
            grades.append({"grade": parts[0], "min": int(low) if low == int(low) else float(low)})
            last = low
        if not grades:
            raise forms.ValidationError(_("Give at least one grade."))
        return grades

    def save(self, commit=True):
        self.instance.grades = self.cleaned_data["grades_text"]
        return super().save(commit)


@admin.register(Checklist)
class ChecklistAdmin(ScopedAdmin):
    form = ChecklistForm
    fields = ["name", "unit", "effective_from", "grades_text", "certificate_years"]
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
