"""Selections in the back office: programmes and batches with their share rules as rows of
fields, the batch's live quota panel, nominations entered by member number with their evidence,
the departments' responses, objections with their decision, the honouree register and the posts
in mass organisations."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.honours import actions, findings, quota, selectors
from gongjia.honours.admin.common import MemberNumberMixin, RulesFormMixin, rules_in_words
from gongjia.honours.imports import NominationsImport
from gongjia.honours.models import (
    Batch,
    Clearance,
    Honour,
    MassOrgPost,
    Nomination,
    Objection,
    Programme,
)
from gongjia.honours.workflows import batch_workflow, nomination_workflow
from gongjia.orgs.admin import under_unit
from gongjia.platform import formatting, scope, sheetimport
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin

N = Nomination.Status
B = Batch.Status


# --- programmes --------------------------------------------------------------------------------


class ProgrammeForm(RulesFormMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "organiser",
            "name",
            "kind",
            "level",
            "builds_on",
            "base_required",
            "notice_working_days",
            "benefits",
            "legal_reference",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_rule_fields(self.instance.rules, self.instance.departments)

    def clean(self):
        d = super().clean()
        self.instance.rules = self.rules_value()
        self.instance.departments = self.departments_value()
        for problem in quota.valid(self.instance.rules):
            self.add_error(None, problem)
        return d


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    nav_icon = "emoji_events"
    nav_order = 10
    form = ProgrammeForm
    list_display = ["name", "kind", "level", "organiser", "rules_display"]
    list_filter = ["kind", "level"]
    search_fields = ["name"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser"]

    def get_fieldsets(self, request, obj=None):
        return [
            (
                None,
                {
                    "fields": [
                        "organiser",
                        "name",
                        "kind",
                        "level",
                        "builds_on",
                        "base_required",
                        "notice_working_days",
                        "benefits",
                        "legal_reference",
                    ]
                },
            ),
            (
                _("Share rules a new batch starts from"),
                {"fields": RulesFormMixin.rule_field_rows()},
            ),
            (None, {"fields": ["departments_text"]}),
        ]

    @admin.display(description=_("share rules"))
    def rules_display(self, obj):
        return "；".join(rules_in_words(obj.rules)) or "—"


# --- batches -----------------------------------------------------------------------------------


class BatchForm(RulesFormMixin, forms.ModelForm):
    class Meta:
        model = Batch
        fields = ["programme", "organiser", "name", "year", "places", "notice_working_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_rule_fields(self.instance.rules, self.instance.departments)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year
            self.fields["notice_working_days"].required = False
            self.fields["notice_working_days"].help_text = _("Empty: the programme's.")
            self.fields["departments_text"].help_text = _(
                "One department a line; empty: the programme's."
            )

    def clean(self):
        d = super().clean()
        # Read here, so that a rule typed wrong comes back on its field and nothing is saved.
        self.rules, self.departments = self.rules_value(), self.departments_value()
        return d

    def batch_fields(self) -> dict:
        d = self.cleaned_data
        fields = {k: d[k] for k in ("name", "year", "places") if k in d}
        if d.get("notice_working_days") is not None:
            fields["notice_working_days"] = d["notice_working_days"]
        rules, departments = self.rules, self.departments
        # A new batch left without rules or departments takes the programme's.
        if rules or self.instance.pk:
            fields["rules"] = rules
        if departments or self.instance.pk:
            fields["departments"] = departments
        return fields


@admin.register(Batch)
class BatchAdmin(ScopedAdmin):
    nav_icon = "how_to_vote"
    nav_order = 20
    form = BatchForm
    workflow = batch_workflow
    transition_action = actions.batch_step
    list_display = ["name", "programme", "organiser", "year", "places", "nominated", "status"]
    list_filter = ["status", "year", "programme__kind"]
    search_fields = ["name"]
    list_select_related = ["programme", "organiser"]
    autocomplete_fields = ["organiser"]
    change_form_before_template = "honours/admin/batch_quota.html"

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(n_nominated=Count("nominations", distinct=True))
        )

    @admin.display(description=_("nominations"), ordering="n_nominated")
    def nominated(self, obj):
        return formatting.number(obj.n_nominated)

    def get_fieldsets(self, request, obj=None):
        base = ["programme", "organiser", "name", "year", "places", "notice_working_days"]
        if obj is not None and obj.status != B.ASSEMBLING:
            return [(None, {"fields": [*base, "rules_display", "departments_display"]})]
        rules = {"fields": RulesFormMixin.rule_field_rows()}
        if obj is not None:
            rules["classes"] = ["collapse"]  # the panel above states them in words
        return [
            (None, {"fields": base}),
            (_("Share rules and caps"), rules),
            (None, {"fields": ["departments_text"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["programme", "organiser"]
            if obj.status != B.ASSEMBLING:
                fields += [
                    "name",
                    "year",
                    "places",
                    "notice_working_days",
                    "rules_display",
                    "departments_display",
                ]
        return fields

    @admin.display(description=_("share rules"))
    def rules_display(self, obj):
        return "；".join(rules_in_words(obj.rules)) or "—"

    @admin.display(description=_("clearing departments"))
    def departments_display(self, obj):
        return "、".join(obj.departments) or "—"

    def save_action(self, request, obj, form, change):
        if change and obj.status != B.ASSEMBLING:
            # Submitted: everything is shown read-only, nothing is sent to change.
            return actions.save_batch(obj, acting_user=request.user)
        fields = form.batch_fields()
        if change:
            return actions.save_batch(obj, acting_user=request.user, **fields)
        d = form.cleaned_data
        return actions.save_batch(
            None,
            acting_user=request.user,
            programme=d["programme"],
            organiser=d["organiser"],
            **fields,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            check = findings.quota_check(obj)
            context["quota"] = check
            context["quota_url"] = reverse(
                "api-v1:honours_quota_check", kwargs={"batch_id": obj.pk}
            )
            context["batch_nominations"] = list(
                obj.nominations.select_related("member", "unit").order_by("pk")
            )
            names = quota.categories()
            industrial = quota.industrial_categories()
            for n in context["batch_nominations"]:
                cats = quota.categories_of(
                    n.member.category, n.member.sex, n.categories, industrial
                )
                n.category_words = "、".join(names[k] for k in names if k in cats) or "—"
                n.counted = n.status in findings.COUNTED
            if obj.status == B.ASSEMBLING and request.user.has_perm("honours.add_nomination"):
                context["add_nominee_url"] = (
                    reverse("admin:honours_nomination_add") + f"?batch={obj.pk}"
                )
                context["import_url"] = reverse("admin:honours_nomination_import", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)


# --- nominations -------------------------------------------------------------------------------


class NominationForm(MemberNumberMixin, forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("categories"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Those the nominee belongs to; the industrial worker and the woman are read from the"
            " member registry."
        ),
    )

    class Meta:
        model = Nomination
        fields = [
            "batch",
            "unit",
            "deeds",
            "appraisal_on",
            "appraisal_evidence",
            "congress_on",
            "congress_evidence",
            "nominated_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [  # the declared ones: the registry says the rest
            (k, v) for k, v in quota.categories().items() if k not in ("industrial", "woman")
        ]
        if "nominated_on" in self.fields:
            self.fields["nominated_on"].initial = timezone.localdate()


class ClearanceForm(forms.Form):
    department = forms.ChoiceField(label=_("department"))
    result = forms.ChoiceField(label=_("response"), choices=Clearance.Result.choices)
    reason = forms.CharField(
        label=_("reason"),
        max_length=300,
        required=False,
        help_text=_("A veto gives its reason; it ends the nomination."),
    )
    on = forms.DateField(label=_("responded on"))


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("objector's real name"), max_length=50)
    phone = forms.CharField(label=_("objector's phone"), max_length=20, required=False)
    received_on = forms.DateField(
        label=_("received on"), help_text=_("For a letter, the date of its postmark.")
    )
    content = forms.CharField(label=_("objection"), widget=forms.Textarea)


class ClearanceInline(admin.TabularInline):
    model = Clearance
    fields = ["department", "result", "reason", "responded_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # recorded through the response form (actions.record_clearance)


class NominationObjectionInline(admin.TabularInline):
    model = Objection
    fields = ["name", "received_on", "content", "status", "finding"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ScopedAdmin):
    nav_icon = "person_add"
    nav_order = 30
    form = NominationForm
    workflow = nomination_workflow
    transition_action = actions.nomination_step
    list_display = ["member", "batch", "unit", "nominated_on", "status"]
    list_filter = [under_unit("unit__path"), "status", "batch__status", "batch__year"]
    search_fields = ["member__name", "member__member_number"]
    list_select_related = ["member", "batch", "unit"]
    autocomplete_fields = ["unit"]
    inlines = [ClearanceInline, NominationObjectionInline]
    list_before_template = "honours/admin/open_batches.html"
    shown = [
        "batch",
        "member",
        "unit",
        "categories_display",
        "honour_base_display",
        "deeds",
        "appraisal_on",
        "appraisal_evidence",
        "congress_on",
        "congress_evidence",
        "nominated_on",
        "ended_reason",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "batch",
                "member_number",
                "unit",
                "categories",
                "deeds",
                "appraisal_on",
                "appraisal_evidence",
                "congress_on",
                "congress_evidence",
                "nominated_on",
            ]
        return self.shown

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None:
            return [*self.shown, *fields]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "batch":
            # The batches open to the user's units, the district's among them (a town cannot
            # otherwise see the district's batch).
            kwargs["queryset"] = selectors.batches_open_to(request.user)
            return super(ScopedAdmin, self).formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(self, request, extra_context=None):
        open_ = []
        if request.user.has_perm("honours.add_nomination"):
            for b in selectors.batches_open_to(request.user).order_by("-year", "pk")[:10]:
                open_.append(
                    (
                        b,
                        reverse("admin:honours_nomination_add") + f"?batch={b.pk}",
                        reverse("admin:honours_nomination_import", args=[b.pk]),
                    )
                )
        extra_context = {**(extra_context or {}), "open_batches": open_}
        return super().changelist_view(request, extra_context)

    def import_view(self, request, batch_pk):
        if not request.user.has_perm("honours.add_nomination"):
            raise PermissionDenied
        b = get_object_or_404(selectors.batches_open_to(request.user), pk=batch_pk)
        return sheetimport.upload_page(
            self,
            request,
            NominationsImport.key,
            params={"batch": b.pk},
            title=_("Import nominations: %(b)s") % {"b": b},
            template_url=reverse("admin:honours_nomination_import_template"),
        )

    def get_inlines(self, request, obj):
        # The departments' responses and the objections come later, through their forms.
        return self.inlines if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.GET.get("batch", "").isdigit():
            initial["batch"] = int(request.GET["batch"])
        return initial

    @admin.display(description=_("categories"))
    def categories_display(self, obj):
        names = quota.categories()
        cats = quota.categories_of(
            obj.member.category, obj.member.sex, obj.categories, quota.industrial_categories()
        )
        return "、".join(names[k] for k in names if k in cats) or "—"

    @admin.display(description=_("honour base"))
    def honour_base_display(self, obj):
        _held, said = findings.honour_base(obj.member_id, obj.batch.programme, obj.nominated_on)
        return said

    def save_action(self, request, obj, form, change):
        if change:
            return obj  # a nomination's page is read-only: its steps and tools change it
        d = form.cleaned_data
        return actions.nominate(
            d["batch"],
            d["member"].pk,
            unit=d["unit"],
            acting_user=request.user,
            nominated_on=d["nominated_on"],
            categories=d.get("categories") or [],
            **{
                k: d[k]
                for k in (
                    "deeds",
                    "appraisal_on",
                    "appraisal_evidence",
                    "congress_on",
                    "congress_evidence",
                )
            },
        )

    def record_tools(self, request, obj):
        tools = []
        b = obj.batch
        if obj.status != N.NOMINATED or not scope.can(request.user, "change", b):
            return tools
        if b.status == B.CLEARANCE and b.departments:
            tools.append(
                (
                    reverse("admin:honours_nomination_clearance", args=[obj.pk]),
                    _("Record a department's response"),
                )
            )
        if b.status == B.NOTICE:
            tools.append(
                (
                    reverse("admin:honours_nomination_objection", args=[obj.pk]),
                    _("Record an objection"),
                )
            )
        return tools

    def clearance_view(self, request, pk):
        def form(obj, data):
            f = ClearanceForm(data, initial={"on": timezone.localdate()})
            answered = set(obj.clearances.values_list("department", flat=True))
            f.fields["department"].choices = [
                (d, d) for d in obj.batch.departments if d not in answered
            ]
            return f

        return self.tool_form(
            request,
            pk,
            form,
            lambda obj, d: actions.record_clearance(obj, acting_user=request.user, **d),
            title=lambda obj: _("A department's response: %(n)s") % {"n": obj},
            intro=_("Each department may veto a nominee (一票否决); a veto gives its reason."),
        )

    def objection_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            ObjectionForm,
            lambda obj, d: actions.record_objection(obj, acting_user=request.user, **d),
            title=lambda obj: _("Record an objection: %(n)s") % {"n": obj},
            intro=_("Objections are taken by real name; a letter counts from its postmark."),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/clearance/",
                view(self.clearance_view),
                name="honours_nomination_clearance",
            ),
            path(
                "<int:pk>/objection/",
                view(self.objection_view),
                name="honours_nomination_objection",
            ),
            path(
                "import/<int:batch_pk>/",
                view(self.import_view),
                name="honours_nomination_import",
            ),
            path(
                "import-template/",
                view(lambda request: sheetimport.template_download(NominationsImport.key)),
                name="honours_nomination_import_template",
            ),
            *super().get_urls(),
        ]


@admin.register(Clearance)
class ClearanceAdmin(ReadOnlyAdmin):
    nav_icon = "fact_check"
    nav_order = 35
    list_display = ["nomination", "department", "result", "reason", "responded_on"]
    list_filter = ["result", "department"]
    search_fields = ["nomination__member__name", "department"]
    list_select_related = ["nomination__member", "nomination__batch"]


class DecideForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("0", _("Dismissed")), ("1", _("Upheld: remove the nominee"))],
        coerce=lambda v: v == "1",
    )
    finding = forms.CharField(label=_("finding"), widget=forms.Textarea)


@admin.register(Objection)
class ObjectionAdmin(ScopedAdmin):
    nav_icon = "report"
    nav_order = 40
    list_display = ["nomination", "name", "received_on", "status", "decided_on"]
    list_filter = ["status"]
    search_fields = ["name", "nomination__member__name"]
    list_select_related = ["nomination__member", "nomination__batch"]
    readonly_fields = ["nomination", "name", "received_on", "content", "status", "finding"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # recorded on the nomination's page

    def record_tools(self, request, obj):
        if obj.status == Objection.Status.OPEN and scope.can(
            request.user, "approve", obj.nomination.batch
        ):
            return [(reverse("admin:honours_objection_decide", args=[obj.pk]), _("Decide"))]
        return []

    def decide_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            DecideForm,
            lambda obj, d: actions.decide_objection(obj, acting_user=request.user, **d),
            title=lambda obj: _("Decide the objection: %(o)s") % {"o": obj},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="honours_objection_decide"),
            *super().get_urls(),
        ]


# --- the register ------------------------------------------------------------------------------


class HonourForm(MemberNumberMixin, forms.ModelForm):
    class Meta:
        model = Honour
        fields = ["unit", "programme", "title", "kind", "level", "conferred_by", "conferred_on"]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason revoked"), max_length=300)


@admin.register(Honour)
class HonourAdmin(ScopedAdmin):
    nav_icon = "workspace_premium"
    nav_order = 50
    form = HonourForm
    list_display = ["member", "title", "level", "conferred_by", "conferred_on", "in_force_display"]
    list_filter = [under_unit("unit__path"), "level", "kind", "revoked_on"]
    search_fields = ["member__name", "member__member_number", "title"]
    list_select_related = ["member"]
    autocomplete_fields = ["unit"]
    shown = [
        "member",
        "unit",
        "programme",
        "title",
        "kind",
        "level",
        "conferred_by",
        "conferred_on",
        "benefits_display",
        "revoked_on",
        "revoked_reason",
    ]

    @admin.display(description=_("benefits"))
    def benefits_display(self, obj):
        return (obj.programme.benefits if obj.programme_id else "") or "—"

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "member_number",
                "unit",
                "programme",
                "title",
                "kind",
                "level",
                "conferred_by",
                "conferred_on",
            ]
        return self.shown

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*self.shown, *fields] if obj is not None else fields

    @admin.display(description=_("in force"), boolean=True)
    def in_force_display(self, obj):
        return obj.in_force

    def save_action(self, request, obj, form, change):
        if change:
            return obj  # the register's page is read-only: a title is revoked, never edited
        d = form.cleaned_data
        return actions.record_honour(
            d["member"].pk,
            unit=d["unit"],
            acting_user=request.user,
            **{
                k: d[k]
                for k in ("programme", "title", "kind", "level", "conferred_by", "conferred_on")
            },
        )

    def record_tools(self, request, obj):
        if obj.in_force and scope.can(request.user, "change", obj):
            return [(reverse("admin:honours_honour_revoke", args=[obj.pk]), _("Revoke"))]
        return []

    def revoke_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            RevokeForm,
            lambda obj, d: actions.revoke_honour(obj, reason=d["reason"], acting_user=request.user),
            title=lambda obj: _("Revoke the title: %(t)s") % {"t": obj},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/revoke/", view(self.revoke_view), name="honours_honour_revoke"),
            *super().get_urls(),
        ]


class MassOrgPostForm(MemberNumberMixin, forms.ModelForm):
    class Meta:
        model = MassOrgPost
        fields = ["unit", "organisation", "post", "term_from", "term_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["member_number"] = self.instance.member.member_number

    def clean(self):
        d = super().clean()
        if d.get("member"):
            self.instance.member = d["member"]
        return d


@admin.register(MassOrgPost)
class MassOrgPostAdmin(ScopedAdmin):
    nav_icon = "groups"
    nav_order = 60
    form = MassOrgPostForm
    list_display = ["member", "organisation", "post", "term_from", "term_until"]
    list_filter = [under_unit("unit__path"), "organisation"]
    search_fields = ["member__name", "member__member_number", "organisation", "post"]
    list_select_related = ["member"]
    autocomplete_fields = ["unit"]
    fields = ["member_number", "unit", "organisation", "post", "term_from", "term_until"]
