"""Help on record: assistance records, one-to-one pairings with visits, reviews and follow-ups."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.accounts.models import User
from gongjia.assistance import actions, selectors
from gongjia.assistance.admin.common import Deidentified, in_yuan
from gongjia.assistance.models import (
    AssistanceRecord,
    CheckUp,
    Household,
    HouseholdMember,
    Pairing,
    Visit,
)
from gongjia.orgs.admin import under_unit
from gongjia.platform import parameters, pii, scope
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.platform.forms import form_errors

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
                form_errors(self, e)
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
        return in_yuan(obj.amount_fen)

    def save_action(self, request, obj, form, change):
        if change:
            return
        d = form.cleaned_data
        r = actions.record_assistance(
            d["household"],
            acting_user=request.user,
            **{k: d.get(k) for k in RECORD_FORM_FIELDS if k != "household"},
            note=d.get("note_input", ""),
        )
        return r


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
            usual = parameters.value("assistance.visit_every_days", on=timezone.localdate())
            self.fields["visit_every_days"].help_text = _(
                "Leave empty for the usual interval of %(n)d days."
            ) % {"n": usual}

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("household"):
            try:
                actions.check_pairing(data["household"])
            except ValidationError as e:
                form_errors(self, e)
        return data


class VisitDueFilter(admin.SimpleListFilter):
    title = _("next visit")
    parameter_name = "visit"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(selectors.overdue_visit())
        return queryset


@admin.register(Pairing)
class PairingAdmin(Deidentified, ScopedAdmin):
    """One-to-one help: the helper logs visits; an overdue visit shows in red and is notified."""

    nav_icon = "handshake"
    nav_order = 41
    form = PairingForm
    list_display = ["household", "helper", "helper_unit", "started_on", "next_visit", "ended_on"]
    list_filter = [
        under_unit("household__unit__path"),
        VisitDueFilter,
        ("ended_on", admin.EmptyFieldListFilter),
    ]
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
        from django.utils.html import format_html

        if obj.ended_on is None and obj.next_visit_on < timezone.localdate():
            return format_html(
                '<span class="text-red-600 font-semibold">{}</span>', obj.next_visit_on
            )
        return obj.next_visit_on

    def save_action(self, request, obj, form, change):
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
        return p

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

    def save_action(self, request, obj, form, change):
        d = form.cleaned_data
        actions.complete_checkup(
            CheckUp.objects.get(pk=obj.pk),
            acting_user=request.user,
            outcome=d["outcome"],
            note=d.get("note", ""),
            exit_reason=d.get("exit_reason", ""),
        )
