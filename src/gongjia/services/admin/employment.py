"""Employment assistance in the back office: campaigns and fairs (their own figures), postings
checked for discriminatory wording, job seekers with the service's certification and the
ranked offers, placements followed to six months, hires, zero-employment households, and the
government's figures with their sources."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.orgs.admin import under_unit
from gongjia.platform import scope, sheetimport
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin
from gongjia.services import actions, matching, selectors
from gongjia.services.imports import SeekersImport
from gongjia.services.models import (
    Campaign,
    ExternalFigure,
    Fair,
    Hire,
    Placement,
    Posting,
    Seeker,
    ZeroHousehold,
)
from gongjia.services.workflows import placement_workflow, posting_workflow


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    nav_icon = "campaign"
    nav_order = 110
    list_display = ["name", "kind", "starts_on", "ends_on", "unit"]
    list_filter = [under_unit("unit__path"), "kind"]
    search_fields = ["name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "kind", "name", "starts_on", "ends_on", "content"]


@admin.register(Fair)
class FairAdmin(ScopedAdmin):
    nav_icon = "storefront"
    nav_order = 120
    list_display = ["venue", "held_on", "campaign", "employers", "posts", "visitors", "hires"]
    list_filter = [under_unit("unit__path"), "campaign"]
    search_fields = ["venue"]
    list_select_related = ["campaign"]
    autocomplete_fields = ["unit", "campaign"]
    fields = [
        "unit",
        "campaign",
        "held_on",
        "venue",
        "employers",
        "posts",
        "visitors",
        "intentions",
        "hires",
    ]


@admin.register(Posting)
class PostingAdmin(ScopedAdmin):
    nav_icon = "work"
    nav_order = 130
    workflow = posting_workflow
    transition_action = actions.posting_step
    list_display = ["occupation", "enterprise", "openings", "pay", "region", "posted_on", "status"]
    list_filter = [under_unit("unit__path"), "status", "contract", "campaign"]
    search_fields = ["occupation", "enterprise__name"]
    list_select_related = ["enterprise", "region"]
    autocomplete_fields = ["unit", "enterprise", "campaign", "fair", "region"]
    fields = [
        "unit",
        "enterprise",
        "campaign",
        "fair",
        "occupation",
        "skill_level",
        "openings",
        "pay_min",
        "pay_max",
        "region",
        "weekly_hours",
        "contract",
        "insurance",
        "accommodation",
        "requirements",
        "posted_on",
    ]

    @admin.display(description=_("monthly pay (yuan)"))
    def pay(self, obj):
        return f"{obj.pay_min:,}–{obj.pay_max:,}"


class SeekerForm(forms.ModelForm):
    member_number = forms.CharField(label=_("member number"), max_length=24, required=False)
    household_id_number = forms.CharField(
        label=_("ID number of a member of a hardship household"),
        max_length=18,
        required=False,
        help_text=_("For a household member who is not a union member."),
    )

    class Meta:
        model = Seeker
        fields = [
            "unit",
            "category",
            "certified_on",
            "certified_by",
            "certificate_number",
            "exited_on",
            "occupation",
            "skill_level",
            "home_region",
            "pay_wanted",
            "hours_wanted",
            "accommodation",
            "officer",
            "registered_on",
        ]


class ReferForm(forms.Form):
    posting = forms.ModelChoiceField(label=_("posting"), queryset=Posting.objects.none())
    on = forms.DateField(label=_("referred on"))


class ZeroForm(forms.Form):
    confirmed_on = forms.DateField(label=_("confirmed on"))
    confirmed_by = forms.CharField(label=_("confirming office"), max_length=100)


@admin.register(Seeker)
class SeekerAdmin(ScopedAdmin):
    nav_icon = "person_search"
    nav_order = 140
    form = SeekerForm
    list_display = ["name", "category", "certified_on", "occupation", "registered_on", "exited_on"]
    list_filter = [under_unit("unit__path"), "category"]
    search_fields = ["name", "certificate_number"]
    autocomplete_fields = ["unit", "home_region"]
    change_form_before_template = "services/admin/seeker_offers.html"
    list_before_template = "services/admin/import_link.html"

    def changelist_view(self, request, extra_context=None):
        if self.has_add_permission(request):
            extra_context = {
                **(extra_context or {}),
                "import_url": reverse("admin:services_seeker_import"),
                "import_label": SeekersImport.label,
            }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return sheetimport.upload_page(
            self,
            request,
            SeekersImport.key,
            params={},
            title=SeekersImport.label,
            template_url=reverse("admin:services_seeker_import_template"),
        )

    def get_fields(self, request, obj=None):
        fields = list(SeekerForm.Meta.fields)
        return (
            ["member_number", "household_id_number", *fields] if obj is None else ["name", *fields]
        )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ["name", *fields] if obj is not None else fields

    def save_action(self, request, obj, form, change):
        if change:
            return super().save_action(request, obj, form, change)
        d = form.cleaned_data
        return actions.register_seeker(
            obj,
            acting_user=request.user,
            member_number=(d.get("member_number") or "").strip(),
            household_id_number=(d.get("household_id_number") or "").strip(),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            open_ = Posting.objects.filter(status=Posting.Status.OPEN).select_related(
                "enterprise", "region"
            )
            context["offers"] = matching.rank(obj, open_[:500])[:10]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def record_tools(self, request, obj):
        tools = []
        if scope.can(request.user, "change", obj):
            tools.append((reverse("admin:services_seeker_refer", args=[obj.pk]), _("Refer")))
            tools.append(
                (
                    reverse("admin:services_seeker_zero", args=[obj.pk]),
                    _("Zero-employment household confirmed"),
                )
            )
        return tools

    def refer_view(self, request, pk):
        def form(obj, data):
            f = ReferForm(data, initial={"on": timezone.localdate()})
            f.fields["posting"].queryset = Posting.objects.filter(
                status=Posting.Status.OPEN
            ).select_related("enterprise")
            return f

        def do(obj, d):
            p = actions.refer(obj, acting_user=request.user, posting=d["posting"], on=d["on"])
            return reverse("admin:services_placement_change", args=[p.pk])

        return self.tool_form(
            request,
            pk,
            form,
            do,
            title=lambda obj: _("Refer %(s)s to a posting") % {"s": obj},
            error_field="posting",
        )

    def zero_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            ZeroForm,
            lambda obj, d: actions.confirm_zero_household(obj, acting_user=request.user, **d),
            title=lambda obj: _("Zero-employment household of %(s)s") % {"s": obj},
            intro=_("One member is to be in a suitable job within a month of the confirmation."),
            error_field="confirmed_on",
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="services_seeker_import"),
            path(
                "import-template/",
                view(lambda request: sheetimport.template_download(SeekersImport.key)),
                name="services_seeker_import_template",
            ),
            path("<int:pk>/refer/", view(self.refer_view), name="services_seeker_refer"),
            path("<int:pk>/zero/", view(self.zero_view), name="services_seeker_zero"),
            *super().get_urls(),
        ]


class DueFilter(admin.SimpleListFilter):
    title = _("stable-work check")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("1", _("Due, mine or nobody's"))]

    def queryset(self, request, queryset):
        return selectors.due_checks(queryset, request.user) if self.value() == "1" else queryset


class HireForm(forms.Form):
    hired_on = forms.DateField(label=_("started work on"))
    evidence = forms.ChoiceField(label=_("evidence of hiring"), choices=Placement.Evidence.choices)
    evidence_reference = forms.CharField(label=_("evidence reference"), max_length=100)


@admin.register(Placement)
class PlacementAdmin(ScopedAdmin):
    nav_icon = "handshake"
    nav_order = 150
    workflow = placement_workflow
    transition_action = actions.placement_step
    list_display = ["seeker", "enterprise", "referred_on", "hired_on", "next_check_on", "status"]
    list_filter = [under_unit("unit__path"), "status", DueFilter]
    search_fields = ["seeker__name", "enterprise__name"]
    list_select_related = ["seeker", "enterprise"]
    fields = [
        "seeker",
        "enterprise",
        "posting",
        "referred_on",
        "hired_on",
        "evidence",
        "evidence_reference",
        "next_check_on",
        "stable_3_on",
        "stable_6_on",
        "lost_on",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # a placement starts from the seeker's page: "Refer"

    def save_action(self, request, obj, form, change):
        return obj  # its steps change it

    def record_tools(self, request, obj):
        if obj.status == Placement.Status.REFERRED and scope.can(request.user, "change", obj):
            return [(reverse("admin:services_placement_hire", args=[obj.pk]), _("Hired"))]
        return []

    def hire_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            HireForm,
            lambda obj, d: actions.record_hire(obj, acting_user=request.user, **d),
            title=lambda obj: _("Hired: %(s)s") % {"s": obj},
            intro=_(
                "Only a hire with its evidence counts: the labour contract, the social insurance "
                "record or the employer's confirmation."
            ),
            error_field="evidence",
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/hire/", view(self.hire_view), name="services_placement_hire"),
            *super().get_urls(),
        ]


@admin.register(Hire)
class HireAdmin(ReadOnlyAdmin):
    nav_icon = "how_to_reg"
    nav_order = 160
    list_display = ["seeker", "enterprise", "hired_on", "evidence", "evidence_reference"]
    list_filter = [under_unit("unit__path"), "evidence"]
    search_fields = ["seeker__name", "enterprise__name"]
    list_select_related = ["seeker", "enterprise"]


class OverdueFilter(admin.SimpleListFilter):
    title = _("one-month clock")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", _("Past the month without a job"))]

    def queryset(self, request, queryset):
        return selectors.zero_overdue(queryset) if self.value() == "1" else queryset


@admin.register(ZeroHousehold)
class ZeroHouseholdAdmin(ReadOnlyAdmin):
    nav_icon = "family_restroom"
    nav_order = 170
    list_display = ["seeker", "confirmed_on", "confirmed_by", "due_on", "hired"]
    list_filter = [under_unit("unit__path"), OverdueFilter]
    search_fields = ["seeker__name"]
    list_select_related = ["seeker"]

    def get_queryset(self, request):
        hired = Hire.objects.filter(
            seeker=OuterRef("seeker"), hired_on__gte=OuterRef("confirmed_on")
        )
        return super().get_queryset(request).annotate(n_hired=Exists(hired))

    @admin.display(description=_("in work"), boolean=True)
    def hired(self, obj):
        return obj.n_hired


@admin.register(ExternalFigure)
class ExternalFigureAdmin(ScopedAdmin):
    nav_icon = "public"
    nav_order = 180
    list_display = ["key", "year", "value", "source", "published_on", "unit"]
    list_filter = ["key", "year"]
    list_select_related = ["unit"]
    search_fields = ["source"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "key", "year", "value", "source", "published_on"]
