"""Hardship households (the archive and its procedure), risk grades, employer signals."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from gongjia.assistance import actions, rules
from gongjia.assistance.admin.common import Deidentified, in_yuan
from gongjia.assistance.models import (
    CategoryDecision,
    EmployerSignal,
    Household,
    HouseholdMember,
    RiskGrade,
    YearFinance,
)
from gongjia.assistance.risk import reasons_text, regrade_household
from gongjia.assistance.workflows import authorised, household_workflow
from gongjia.orgs.admin import under_unit
from gongjia.platform import money, parameters, pii, records, validators
from gongjia.platform.admin_base import ScopedAdmin, dated_deadline


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
        probe = HouseholdMember(pk=self.instance.pk, id_number=value)
        try:
            actions.check_not_archived([probe], acting_user=self.user)
        except ValidationError as e:
            raise forms.ValidationError(e.messages) from None
        return value


class MemberInline(admin.TabularInline):
    model = HouseholdMember
    form = MemberForm

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The form checks through the action, which names an archive only to those who may see it.
        formset.form = type(formset.form.__name__, (formset.form,), {"user": request.user})
        return formset

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # A row of the table has no room for the add/change/delete/view icons of each choice.
        widget = getattr(field, "widget", None)
        for flag in ("add", "change", "delete", "view"):
            if hasattr(widget, f"can_{flag}_related"):
                setattr(widget, f"can_{flag}_related", False)
        return field

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
        "income",
        "rigid",
        "members_living",
        "accident_event",
        "accident_cost",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    # Kept in fen, entered and shown in yuan.
    @admin.display(description=_("disposable income (yuan)"))
    def income(self, obj):
        return in_yuan(obj.income_fen)

    @admin.display(description=_("unavoidable expenditure (yuan)"))
    def rigid(self, obj):
        return in_yuan(obj.rigid_fen)

    @admin.display(description=_("accident costs after compensation and aid (yuan)"))
    def accident_cost(self, obj):
        return in_yuan(obj.accident_cost_fen)

    def has_add_permission(self, request, obj=None):
        return False  # entered through the action, which computes the category


def _category_name(code):
    return dict(Household.Category.choices).get(code, "—") if code else _("none")


class DecisionInline(admin.TabularInline):
    model = CategoryDecision
    fields = [
        "year",
        "computed_name",
        "category_name",
        "override_reason",
        "decided_by",
        "decided_at",
        "computation",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("computed category"))
    def computed_name(self, obj):
        return _category_name(obj.computed)

    @admin.display(description=_("category"))
    def category_name(self, obj):
        return _category_name(obj.category)

    @admin.display(description=_("computation"))
    def computation(self, obj):
        """The stored record in words and figures, never as JSON."""
        rows = rules.explain(obj.record or {})
        return format_html_join(mark_safe("<br>"), "{}：{}", rows) if rows else "—"

    def has_add_permission(self, request, obj=None):
        return False


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
        help_text=_("Any one of them blocks filing."),
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

        super().__init__(*args, **kwargs)
        if "exclusions" in self.fields:
            listed = parameters.value("assistance.exclusions", on=timezone.localdate())
            self.fields["exclusions"].choices = [
                (code, parameters.words(label)) for code, label in listed.items()
            ]


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    """Lists show names to those in scope; exports leave names out (de-identified)."""

    nav_icon = "family_restroom"
    nav_order = 10
    workflow = household_workflow
    transition_action = staticmethod(actions.household_step)
    unblockers = {
        "authorisation": (
            "admin:assistance_household_authorisation",
            _("Record the signed economic-check authorisation (separate consent)"),
        )
    }
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
    # Grouped so the page reads in parts (it ran to 3,500 px): the application, the conditions
    # of migrant workers and exclusions (folded), the archive.
    fieldsets = [
        (
            _("Application"),
            {
                "fields": [
                    "unit",
                    "head_name",
                    "address",
                    "primary_cause",
                    "secondary_cause",
                    "bank_account_input",
                    "consent_signed",
                ]
            },
        ),
        (
            _("Migrant workers and exclusions"),
            {
                "fields": ["migrant", "lives_in_city", "employed_since", "exclusions"],
                "classes": ["collapse"],
            },
        ),
        (
            _("The archive"),
            {
                "fields": [
                    "number",
                    "category",
                    "category_overridden",
                    "notice_until_shown",
                    "archived_on",
                    "exited_on",
                    "exit_reason",
                    "periods_shown",
                    "keep_until",
                ]
            },
        ),
    ]
    readonly_fields = [
        "number",
        "category",
        "category_overridden",
        "notice_until_shown",
        "archived_on",
        "exited_on",
        "periods_shown",
        "keep_until",
    ]
    inlines = [MemberInline, FinanceInline, DecisionInline]
    actions_list = ["public_notice"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["unit"] if obj else [])]

    @admin.display(description=_("periods in the archive"))
    def periods_shown(self, obj):
        """Written by the steps (archive, exit, relapse, a new category); read here."""
        periods = obj.periods.all() if obj.pk else []
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} – {}：{}",
                (
                    (p.started_on, p.ended_on or _("today"), p.get_category_display())
                    for p in periods
                ),
            )
            or "—"
        )

    @admin.display(description=_("public notice until"))
    def notice_until_shown(self, obj):
        return dated_deadline(obj.notice_until)

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
                "consented": actions.has_consent(obj),
                "authorised": authorised(obj),
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
            request,
            pk,
            lambda h: actions.record_authorisation(h, acting_user=request.user),
            action="check",  # part of the home visit: the base union records it
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
                income_fen=money.fen(p.get("income", "")),
                rigid_fen=money.fen(p.get("rigid", "") or "0"),
                members_living=members,
                # Too long is refused by the record's rules, naming the field; never cut.
                accident_event=p.get("accident_event", "").strip(),
                accident_cost_fen=money.fen(p.get("accident_cost", "") or "0"),
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

    def save_action(self, request, obj, form, change):
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
        records.adopt(form.instance, h)
        for f in formsets:  # saved by the action above; the change message reads these
            f.new_objects, f.changed_objects, f.deleted_objects = [], [], []


@admin.register(RiskGrade)
class RiskGradeAdmin(Deidentified, ScopedAdmin):
    """A list to act on, never a decision: officers visit and offer help (PIPL art. 24)."""

    nav_icon = "warning"
    nav_order = 20
    list_display = ["member", "grade", "points", "factors", "graded_on"]
    list_filter = [under_unit("member__household__unit__path"), "grade"]
    search_fields = ["member__name", "member__household__number"]
    list_select_related = ["member__household"]
    readonly_fields = ["member", "grade", "points", "factors", "graded_on", "parameters_since"]
    fields = readonly_fields
    export_fields = (
        "household_number",
        "household_unit",
        "grade",
        "points",
        "factors",
        "graded_on",
    )

    @admin.display(description=_("factors that fired"))
    def factors(self, obj):
        return reasons_text(obj.reasons)

    def has_add_permission(self, request):
        return False


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(Deidentified, ScopedAdmin):
    """The family members of the archive, one row each: the list a figure of people drills
    down to. They are entered and changed on their household's page."""

    nav_icon = "group"
    nav_order = 15
    list_display = ["name", "household", "relationship", "work", "employer_label"]
    list_filter = [under_unit("household__unit__path"), "work", "relationship"]
    search_fields = ["household__number", "name"]
    list_select_related = ["household", "employer"]
    fields = readonly_fields = [
        "household",
        "name",
        "relationship",
        "work",
        "employer_label",
        "contract_ends_on",
        "wage_arrears",
        "schooling",
    ]
    export_fields = ("household_number", "household_unit", "relationship", "work", "schooling")

    @admin.display(description=_("employer"))
    def employer_label(self, obj):
        return str(obj.employer) if obj.employer_id else obj.employer_name or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
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

    def save_action(self, request, obj, form, change):
        actions.record_signal(obj, acting_user=request.user)
