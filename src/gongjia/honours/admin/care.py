"""Recuperation and health-check places in the back office: batches with their cost typed in
yuan and the share of industrial workers among the places given; applications entered by member
number, places given by hand from the waiting list, attendance."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from gongjia.honours import actions, findings, quota, selectors
from gongjia.honours.admin.common import MemberNumberMixin, in_yuan
from gongjia.honours.models import CareApplication, CareBatch
from gongjia.honours.workflows import care_workflow
from gongjia.orgs.admin import under_unit
from gongjia.platform import money, scope
from gongjia.platform.admin_base import ScopedAdmin

A = CareApplication.Status


class CareBatchForm(forms.ModelForm):
    cost = forms.CharField(label=_("cost per person (yuan)"))

    class Meta:
        model = CareBatch
        fields = [
            "kind",
            "organiser",
            "name",
            "place",
            "starts_on",
            "days",
            "capacity",
            "paired_region",
            "applications_until",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.status != CareBatch.Status.OPEN:
            del self.fields["cost"]  # shown in yuan, read-only, once the places are allocated
        elif self.instance.pk:
            self.initial["cost"] = money.yuan(self.instance.cost_fen)

    def clean_cost(self):
        try:
            return money.fen(self.cleaned_data.get("cost") or "")
        except Exception:
            raise forms.ValidationError(_("Type the cost in yuan, as 2500.00.")) from None

    def clean(self):
        d = super().clean()
        if "cost" in d:
            self.instance.cost_fen = d["cost"]
        return d


@admin.register(CareBatch)
class CareBatchAdmin(ScopedAdmin):
    nav_icon = "spa"
    nav_order = 120
    form = CareBatchForm
    workflow = care_workflow
    transition_action = actions.care_step
    list_display = ["name", "kind", "place", "starts_on", "capacity", "placed", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "place"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser"]
    change_form_outer_after_template = "honours/admin/care_extras.html"
    fields = [
        "kind",
        "organiser",
        "name",
        "place",
        "starts_on",
        "days",
        "capacity",
        "cost",
        "paired_region",
        "applications_until",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_placed=Count("applications", filter=Q(applications__status__in=selectors.PLACED))
            )
        )

    @admin.display(description=_("places given"), ordering="n_placed")
    def placed(self, obj):
        return obj.n_placed

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status != CareBatch.Status.OPEN:
            return [f if f != "cost" else "cost_display" for f in self.fields]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != CareBatch.Status.OPEN:
            fields += [f for f in self.get_fields(request, obj)]
        return fields

    @admin.display(description=_("cost per person (yuan)"))
    def cost_display(self, obj):
        return in_yuan(obj.cost_fen)

    def save_action(self, request, obj, form, change):
        if change and obj.status != CareBatch.Status.OPEN:
            return obj  # allocated: everything is shown read-only, nothing was sent to change
        return actions.save_care_batch(obj, acting_user=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            rows = list(
                obj.applications.select_related("member", "unit").order_by(
                    "position", "applied_at", "pk"
                )
            )
            industrial = quota.industrial_categories(obj.starts_on)
            placed = [a for a in rows if a.status in selectors.PLACED]
            context["applications"] = rows
            context["share"] = findings.care_share(
                obj, len(placed), sum(1 for a in placed if a.member.category in industrial)
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


class ApplicationForm(MemberNumberMixin, forms.ModelForm):
    class Meta:
        model = CareApplication
        fields = ["batch", "post_since", "frontline", "key_project"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "batch" in self.fields:  # a new application: to a batch taking them
            self.fields["batch"].queryset = CareBatch.objects.filter(status=CareBatch.Status.OPEN)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("why"), max_length=300)


@admin.register(CareApplication)
class CareApplicationAdmin(ScopedAdmin):
    nav_icon = "event_seat"
    nav_order = 130
    form = ApplicationForm
    list_display = ["member", "batch", "applied_at", "frontline", "position", "status", "reason"]
    list_filter = [under_unit("unit__path"), "status", "batch__kind", "batch"]
    search_fields = ["member__name", "member__member_number"]
    list_select_related = ["member", "batch"]
    shown = [
        "batch",
        "member",
        "unit",
        "channel",
        "applied_at",
        "post_since",
        "frontline",
        "key_project",
        "position",
        "reason",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["batch", "member_number", "post_since", "frontline", "key_project"]
        return self.shown

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*self.shown, *fields] if obj is not None else fields

    def save_action(self, request, obj, form, change):
        if change:
            return obj  # an application's page is read-only: its tools change it
        d = form.cleaned_data
        return actions.apply_for_place(
            d["batch"],
            d["member"].pk,
            acting_user=request.user,
            post_since=d["post_since"],
            frontline=d["frontline"],
            key_project=d["key_project"],
        )

    def record_tools(self, request, obj):
        tools = []
        may_allocate = scope.can(request.user, "allocate", obj.batch)
        if obj.status == A.WAITLISTED and may_allocate:
            tools.append(
                (reverse("admin:honours_careapplication_place", args=[obj.pk]), _("Give the place"))
            )
        if obj.status == A.ALLOCATED and may_allocate:
            tools.append(
                (reverse("admin:honours_careapplication_attended", args=[obj.pk]), _("Attended"))
            )
            tools.append(
                (
                    reverse("admin:honours_careapplication_absent", args=[obj.pk]),
                    _("Did not attend"),
                )
            )
        if obj.status in (A.APPLIED, A.ALLOCATED, A.WAITLISTED) and scope.can(
            request.user, "change", obj
        ):
            tools.append(
                (reverse("admin:honours_careapplication_withdraw", args=[obj.pk]), _("Withdraw"))
            )
        return tools

    def place_view(self, request, pk):
        return self.record_post(
            request,
            pk,
            lambda obj: actions.grant_place(obj, acting_user=request.user),
            action="view",
        )

    def attended_view(self, request, pk):
        return self.record_post(
            request,
            pk,
            lambda obj: actions.record_attendance(obj, attended=True, acting_user=request.user),
            action="view",
        )

    def absent_view(self, request, pk):
        return self.record_post(
            request,
            pk,
            lambda obj: actions.record_attendance(obj, attended=False, acting_user=request.user),
            action="view",
        )

    def withdraw_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            WithdrawForm,
            lambda obj, d: actions.withdraw_application(
                obj, reason=d["reason"], acting_user=request.user
            ),
            title=lambda obj: _("Withdraw the application: %(a)s") % {"a": obj},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/place/", view(self.place_view), name="honours_careapplication_place"),
            path(
                "<int:pk>/attended/",
                view(self.attended_view),
                name="honours_careapplication_attended",
            ),
            path("<int:pk>/absent/", view(self.absent_view), name="honours_careapplication_absent"),
            path(
                "<int:pk>/withdraw/",
                view(self.withdraw_view),
                name="honours_careapplication_withdraw",
            ),
            *super().get_urls(),
        ]
