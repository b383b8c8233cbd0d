"""Beautiful factories and workers in the back office: the assessment with its scores at each
stage on the marking scheme, the bars read from the records, the notice and naming; yearly
spot checks drawn and recorded; sanctions and safety breaches; beautiful workers nominated by
their union and named within the enterprise's quota."""

from django import forms
from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from gongjia.honours.admin.common import MemberNumberMixin
from gongjia.orgs.admin import under_unit
from gongjia.platform import formatting, scope
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.services import actions, steps
from gongjia.services.models import (
    BeautifulWorker,
    ConductRecord,
    FactoryAssessment,
    FactoryScore,
    SpotCheck,
    Stage,
)
from gongjia.services.workflows import factory_workflow, worker_workflow

FA = FactoryAssessment.Status


class ScoreInline(admin.TabularInline):
    model = FactoryScore
    fields = ["stage", "item", "percent"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # scores are entered a stage at a time with the scoring form


def score_form(a: FactoryAssessment, stage: str, data=None):
    """One field per criterion of the scheme, the share earned (0–100 %)."""
    current = {s.item.code: s.percent for s in a.scores.filter(stage=stage).select_related("item")}
    fields = {}
    for item in a.checklist.items.all():
        fields[item.code] = forms.IntegerField(
            label=f"{item.code} {item.text}（{formatting.number(item.weight)}）",
            min_value=0,
            max_value=100,
            initial=current.get(item.code),
            help_text=_("Share of the points earned, 0–100 %."),
        )
    return type("ScoreForm", (forms.Form,), fields)(data)


@admin.register(FactoryAssessment)
class FactoryAssessmentAdmin(ScopedAdmin):
    nav_icon = "factory"
    nav_order = 310
    workflow = factory_workflow
    transition_action = actions.factory_step
    list_display = ["enterprise", "year", "status", "total", "level", "named_on", "expires_on"]
    list_filter = [under_unit("unit__path"), "status", "year", "level"]
    search_fields = ["enterprise__name"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise", "unit"]
    inlines = [ScoreInline]
    fields = [
        "enterprise",
        "unit",
        "checklist",
        "year",
        "photos",
        "stage_totals",
        "bars_display",
        "notice_from",
        "notice_until",
        "total",
        "level",
        "named_on",
        "expires_on",
        "ended_on",
    ]
    readonly_fields = [
        "stage_totals",
        "bars_display",
        "notice_from",
        "notice_until",
        "total",
        "level",
        "named_on",
        "expires_on",
        "ended_on",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["enterprise", "unit", "checklist", "year", "photos"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["enterprise", "unit", "checklist", "year"]
            if obj.status != FA.APPLIED:
                fields.append("photos")
        return fields

    @admin.display(description=_("totals by stage"))
    def stage_totals(self, obj):
        if obj is None or not obj.pk:
            return "—"
        return (
            "；".join(
                f"{label}：{formatting.number(steps.stage_total(obj, key))}"
                for key, label in Stage.choices
                if obj.scores.filter(stage=key).exists()
            )
            or "—"
        )

    @admin.display(description=_("bars"))
    def bars_display(self, obj):
        if obj is None or not obj.pk:
            return "—"
        return format_html_join(
            "",
            "<div>{} {}：{}</div>",
            (("✗" if r["barred"] else "✓", r["bar"], r["found"]) for r in steps.factory_bars(obj)),
        )

    def record_tools(self, request, obj):
        tools = []
        if obj.status == FA.APPLIED and scope.can(request.user, "change", obj):
            for stage in (Stage.SELF, Stage.TOWN):
                tools.append(
                    (
                        reverse("admin:services_factoryassessment_score", args=[obj.pk, stage]),
                        _("Scores: %(s)s") % {"s": Stage(stage).label},
                    )
                )
        if obj.status == FA.CHECKED and scope.can(request.user, "approve", obj):
            tools.append(
                (
                    reverse(
                        "admin:services_factoryassessment_score", args=[obj.pk, Stage.DISTRICT]
                    ),
                    _("Scores: %(s)s") % {"s": Stage.DISTRICT.label},
                )
            )
        return tools

    def score_view(self, request, pk, stage):
        if stage not in Stage.values:
            from django.http import Http404

            raise Http404
        return self.tool_form(
            request,
            pk,
            lambda obj, data: score_form(obj, stage, data),
            lambda obj, d: actions.score_factory(
                obj, acting_user=request.user, stage=stage, scores=d
            ),
            title=lambda obj: _("%(s)s of %(f)s") % {"s": Stage(stage).label, "f": obj},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/score/<str:stage>/",
                view(self.score_view),
                name="services_factoryassessment_score",
            ),
            *super().get_urls(),
        ]


class DrawForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class SpotResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("result"), choices=[c for c in SpotCheck.Result.choices if c[0]]
    )
    checked_on = forms.DateField(label=_("checked on"))
    level = forms.CharField(label=_("level after a downgrade"), max_length=20, required=False)
    reason = forms.CharField(label=_("reason of a revocation"), max_length=300, required=False)


@admin.register(SpotCheck)
class SpotCheckAdmin(ScopedAdmin):
    nav_icon = "rule"
    nav_order = 320
    list_display = ["assessment", "year", "drawn_on", "checked_on", "result"]
    list_filter = [under_unit("assessment__unit__path"), "year", "result"]
    search_fields = ["assessment__enterprise__name"]
    list_select_related = ["assessment__enterprise"]
    fields = ["assessment", "year", "drawn_on", "checked_on", "result"]
    readonly_fields = fields
    list_before_template = "services/admin/spot_draw.html"

    def has_add_permission(self, request):
        return False  # checks are drawn

    def save_action(self, request, obj, form, change):
        return obj

    def record_tools(self, request, obj):
        if not obj.result and scope.can(request.user, "approve", obj.assessment):
            return [
                (reverse("admin:services_spotcheck_result", args=[obj.pk]), _("Record the result"))
            ]
        return []

    def result_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            lambda obj, data: SpotResultForm(data, initial={"checked_on": timezone.localdate()}),
            lambda obj, d: actions.record_spot_check(obj, acting_user=request.user, **d),
            title=lambda obj: _("Spot check of %(f)s") % {"f": obj.assessment},
            error_field="result",
        )

    def draw_view(self, request):
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied, ValidationError
        from django.http import HttpResponseRedirect

        if request.method != "POST":
            raise PermissionDenied
        form = DrawForm(request.POST)
        units = scope.units_in_scope(request.user, FactoryAssessment, "approve")
        unit = units.order_by("depth").first() if units is not None else None
        if not form.is_valid() or unit is None:
            messages.error(request, _("Give the year."))
        else:
            try:
                drawn = actions.draw_spot_checks(
                    unit, form.cleaned_data["year"], acting_user=request.user
                )
                messages.success(request, _("%(n)s factories drawn.") % {"n": len(drawn)})
            except ValidationError as e:
                messages.error(request, " ".join(e.messages))
        return HttpResponseRedirect(reverse("admin:services_spotcheck_changelist"))

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_draw": bool(request.user.has_perm("services.approve_factoryassessment")),
            "draw_year": timezone.localdate().year,
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("draw/", view(self.draw_view), name="services_spotcheck_draw"),
            path("<int:pk>/result/", view(self.result_view), name="services_spotcheck_result"),
            *super().get_urls(),
        ]


class ConductForm(MemberNumberMixin, forms.ModelForm):
    class Meta:
        model = ConductRecord
        fields = ["unit", "kind", "on", "until", "source"]


@admin.register(ConductRecord)
class ConductRecordAdmin(ScopedAdmin):
    nav_icon = "gavel"
    nav_order = 330
    form = ConductForm
    list_display = ["member", "kind", "on", "until", "source"]
    list_filter = [under_unit("unit__path"), "kind"]
    search_fields = ["member__name", "member__member_number"]
    list_select_related = ["member"]
    autocomplete_fields = ["unit"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member_number", "unit", "kind", "on", "until", "source"]
        return ["member", "unit", "kind", "on", "until", "source"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return ["member", *fields] if obj is not None else fields

    def save_action(self, request, obj, form, change):
        if not change:
            obj.member = form.cleaned_data["member"]
        return super().save_action(request, obj, form, change)


class WorkerForm(MemberNumberMixin, forms.ModelForm):
    class Meta:
        model = BeautifulWorker
        fields = ["unit", "year", "grounds", "deeds"]


@admin.register(BeautifulWorker)
class BeautifulWorkerAdmin(ScopedAdmin):
    nav_icon = "star"
    nav_order = 340
    form = WorkerForm
    workflow = worker_workflow
    transition_action = actions.worker_step
    list_display = ["member", "enterprise", "year", "status", "named_on"]
    list_filter = [under_unit("unit__path"), "status", "year"]
    search_fields = ["member__name", "enterprise__name"]
    list_select_related = ["member", "enterprise"]
    autocomplete_fields = ["unit"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member_number", "unit", "year", "grounds", "deeds"]
        return ["member", "enterprise", "unit", "year", "grounds", "deeds", "named_on"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is None:
            return fields
        shown = ["member", "enterprise", "unit", "year", "named_on"]
        if obj.status != BeautifulWorker.Status.NOMINATED:
            shown += ["grounds", "deeds"]
        return [*shown, *fields]

    def save_action(self, request, obj, form, change):
        if not change:
            return actions.nominate_worker(
                form.cleaned_data["member"].pk,
                acting_user=request.user,
                unit=form.cleaned_data["unit"],
                year=form.cleaned_data["year"],
                grounds=form.cleaned_data["grounds"],
                deeds=form.cleaned_data["deeds"],
            )
        return super().save_action(request, obj, form, change)
