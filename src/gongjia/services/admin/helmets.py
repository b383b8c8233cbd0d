"""The helmet campaign in the back office: stock periods with their reconciliation, the stock
ledger by batch, helmets issued to members (by member number), shared-helmet points and their
movements, persuasion posts with shifts, volunteers and logs, and gate counts."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.honours.admin.common import MemberNumberMixin, in_yuan
from gongjia.orgs.admin import under_unit
from gongjia.platform import formatting, scope, sheetimport
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin
from gongjia.services import actions, selectors
from gongjia.services.imports import GateCountsImport
from gongjia.services.models import (
    GateCount,
    HelmetBatch,
    HelmetIssue,
    HelmetPeriod,
    PersuasionPost,
    PostLog,
    SharedMove,
    SharedPoint,
    Shift,
    Volunteer,
)
from gongjia.services.workflows import period_workflow


@admin.register(HelmetPeriod)
class HelmetPeriodAdmin(ScopedAdmin):
    nav_icon = "inventory"
    nav_order = 210
    workflow = period_workflow
    transition_action = actions.period_step
    list_display = ["name", "unit", "starts_on", "ends_on", "opening", "closing", "status"]
    list_filter = [under_unit("unit__path"), "status"]
    search_fields = ["name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "name", "starts_on", "ends_on", "opening", "counted", "ledger", "closing"]
    readonly_fields = ["opening", "ledger", "closing"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == HelmetPeriod.Status.CLOSED:
            fields += ["unit", "name", "starts_on", "ends_on", "counted"]
        return fields

    @admin.display(description=_("ledger"))
    def ledger(self, obj):
        if obj is None or not obj.pk:
            return "—"
        r = selectors.reconciliation(obj)
        n = formatting.number
        return _("%(o)s opening + %(r)s received − %(i)s issued − %(w)s written off = %(c)s") % {
            "o": n(r["opening"]),
            "r": n(r["received"]),
            "i": n(r["issued"]),
            "w": n(r["written_off"]),
            "c": n(r["closing"]),
        }


class IssueForm(MemberNumberMixin, forms.Form):
    issued_on = forms.DateField(label=_("issued on"))
    replacement = forms.ChoiceField(
        label=_("replacement"), choices=HelmetIssue.Replacement.choices, required=False
    )


@admin.register(HelmetBatch)
class HelmetBatchAdmin(ScopedAdmin):
    nav_icon = "sports_motorsports"
    nav_order = 220
    list_display = [
        "model",
        "type",
        "size",
        "standard",
        "received_on",
        "quantity",
        "price",
        "fund",
        "period",
    ]
    list_filter = [under_unit("period__unit__path"), "type", "standard", "fund"]
    search_fields = ["model", "supplier", "ccc_number"]
    list_select_related = ["period__unit"]
    fields = [
        "period",
        "received_on",
        "supplier",
        "model",
        "type",
        "size",
        "standard",
        "ccc_number",
        "produced_on",
        "quantity",
        "unit_price_fen",
        "fund",
        "left",
    ]
    readonly_fields = ["left"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (obj.issues.exists() or obj.shared_moves.exists()):
            fields += [f for f in self.fields if f != "left"]  # a ledger line in use stays
        return fields

    @admin.display(description=_("unit price (yuan)"))
    def price(self, obj):
        return in_yuan(obj.unit_price_fen)

    @admin.display(description=_("still in stock"))
    def left(self, obj):
        return formatting.number(selectors.batch_left(obj)) if obj and obj.pk else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":
            kwargs["queryset"] = HelmetPeriod.objects.filter(status=HelmetPeriod.Status.OPEN)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def record_tools(self, request, obj):
        if scope.can(request.user, "add", obj.period.unit) or scope.can(
            request.user, "change", obj
        ):
            return [
                (reverse("admin:services_helmetbatch_issue", args=[obj.pk]), _("Issue a helmet"))
            ]
        return []

    def issue_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            lambda obj, data: IssueForm(data, initial={"issued_on": timezone.localdate()}),
            lambda obj, d: actions.issue_helmet(
                obj,
                d["member"].pk,
                acting_user=request.user,
                issued_on=d["issued_on"],
                replacement=d.get("replacement") or "",
            ),
            title=lambda obj: _("Issue a helmet of %(b)s") % {"b": obj},
            intro=_(
                "One helmet per member within the period; a second one replaces the first, "
                "with the reason."
            ),
            error_field="member_number",
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/issue/", view(self.issue_view), name="services_helmetbatch_issue"),
            *super().get_urls(),
        ]


@admin.register(HelmetIssue)
class HelmetIssueAdmin(ReadOnlyAdmin):
    nav_icon = "assignment_ind"
    nav_order = 230
    list_display = ["member", "enterprise", "batch", "issued_on", "replacement", "signed"]
    list_filter = [under_unit("batch__period__unit__path"), "replacement"]
    search_fields = ["member__name", "member__member_number"]
    list_select_related = ["member", "enterprise", "batch"]


class MoveInline(admin.TabularInline):
    model = SharedMove
    fields = ["batch", "kind", "on", "quantity", "reason"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # a movement is added with the form on the point's page


class MoveForm(forms.Form):
    batch = forms.ModelChoiceField(label=_("batch"), queryset=HelmetBatch.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=SharedMove.Kind.choices)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1)
    on = forms.DateField(label=_("date"))
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


@admin.register(SharedPoint)
class SharedPointAdmin(ScopedAdmin):
    nav_icon = "share"
    nav_order = 240
    list_display = ["name", "address", "opened_on", "unit"]
    list_filter = [under_unit("unit__path")]
    search_fields = ["name", "address"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "name", "address", "opened_on"]
    inlines = [MoveInline]

    def record_tools(self, request, obj):
        if scope.can(request.user, "change", obj):
            return [
                (reverse("admin:services_sharedpoint_move", args=[obj.pk]), _("Record a movement"))
            ]
        return []

    def move_view(self, request, pk):
        def form(obj, data):
            f = MoveForm(data, initial={"on": timezone.localdate()})
            f.fields["batch"].queryset = HelmetBatch.objects.filter(
                period__unit=obj.unit, period__status=HelmetPeriod.Status.OPEN
            )
            return f

        return self.tool_form(
            request,
            pk,
            form,
            lambda obj, d: actions.move_shared(
                obj,
                d["batch"],
                acting_user=request.user,
                **{k: d[k] for k in ("kind", "quantity", "on", "reason")},
            ),
            title=lambda obj: _("A movement of shared helmets at %(p)s") % {"p": obj},
            error_field="quantity",
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/move/", view(self.move_view), name="services_sharedpoint_move"),
            *super().get_urls(),
        ]


class ShiftInline(admin.TabularInline):
    model = Shift
    fields = ["on", "starts_at", "ends_at", "places"]
    extra = 0


class LogInline(admin.TabularInline):
    model = PostLog
    fields = ["on", "hours", "staff", "observed", "without_helmet", "persuaded", "lent"]
    extra = 0


@admin.register(PersuasionPost)
class PersuasionPostAdmin(ScopedAdmin):
    nav_icon = "traffic"
    nav_order = 250
    list_display = ["place", "partner", "active_from", "active_until", "unit"]
    list_filter = [under_unit("unit__path")]
    search_fields = ["place"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "place", "partner", "active_from", "active_until"]
    inlines = [ShiftInline, LogInline]


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    nav_icon = "volunteer_activism"
    nav_order = 260
    list_display = ["member", "shift", "signed_up_at", "checked_in_at", "withdrawn"]
    list_filter = [under_unit("shift__post__unit__path"), "withdrawn"]
    search_fields = ["member__name", "shift__post__place"]
    list_select_related = ["member", "shift__post"]


@admin.register(GateCount)
class GateCountAdmin(ScopedAdmin):
    nav_icon = "fact_check"
    nav_order = 270
    list_display = ["enterprise", "on", "riders", "observed", "wearing", "rate"]
    list_filter = [under_unit("unit__path")]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise", "unit"]
    fields = ["enterprise", "unit", "on", "riders", "observed", "wearing"]
    list_before_template = "services/admin/wearing.html"

    @admin.display(description=_("wearing rate"))
    def rate(self, obj):
        return formatting.share(obj.wearing / obj.observed) if obj.observed else "—"

    def changelist_view(self, request, extra_context=None):
        year = request.GET.get("on__year") or ""
        year = int(year) if year.isdigit() else timezone.localdate().year
        extra_context = {
            **(extra_context or {}),
            "wearing_year": year,
            "wearing_rows": selectors.wearing_by(request.user, year, "unit__name"),
            "wearing_enterprises": selectors.wearing_by(request.user, year, "enterprise__name"),
        }
        if self.has_add_permission(request):
            extra_context["import_url"] = reverse("admin:services_gatecount_import")
            extra_context["import_label"] = GateCountsImport.label
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return sheetimport.upload_page(
            self,
            request,
            GateCountsImport.key,
            params={},
            title=GateCountsImport.label,
            template_url=reverse("admin:services_gatecount_import_template"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="services_gatecount_import"),
            path(
                "import-template/",
                view(lambda request: sheetimport.template_download(GateCountsImport.key)),
                name="services_gatecount_import_template",
            ),
            *super().get_urls(),
        ]
