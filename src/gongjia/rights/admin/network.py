"""The station network, the legal service team, duty rosters, agencies and legal talks."""

import io

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from gongjia.orgs.admin import under_unit
from gongjia.platform import exports
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.platform.forms import form_errors
from gongjia.rights import actions, selectors
from gongjia.rights.models import (
    Agency,
    DutyShift,
    LegalTalk,
    Station,
    TeamMember,
)
from gongjia.rights.workflows import (
    OPEN,
)


class StationForm(forms.ModelForm):
    class Meta:
        model = Station
        fields = ["host", *actions.STATION_FIELDS, "serves"]

    def clean(self):
        data = super().clean()
        if data.get("host") and data.get("serves") is not None:
            try:
                actions.check_served(data["host"], data["serves"])
            except ValidationError as e:
                self.add_error("serves", e.message_dict["serves"])
        return data


@admin.register(Station)
class StationAdmin(ScopedAdmin):
    nav_icon = "shield_person"
    nav_order = 10
    form = StationForm
    list_display = ["name", "kind", "host", "address", "hours", "villages", "active"]
    list_filter = [under_unit("host__path"), "kind", "active"]
    search_fields = ["name", "address"]
    list_select_related = ["host"]
    autocomplete_fields = ["host", "serves"]
    actions_list = ["coverage_report"]

    def get_queryset(self, request):

        return super().get_queryset(request).annotate(n_villages=Count("serves", distinct=True))

    @admin.display(description=_("villages and communities served"), ordering="n_villages")
    def villages(self, obj):
        return obj.n_villages

    def save_action(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in actions.STATION_FIELDS if k in form.cleaned_data}
        station = actions.save_station(
            obj if change else None,
            acting_user=request.user,
            host=form.cleaned_data["host"],
            **data,
        )
        return station

    def save_related(self, request, form, formsets, change):
        actions.save_station(
            form.instance, acting_user=request.user, serves=form.cleaned_data.get("serves", [])
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def get_urls(self):
        return [
            path(
                "coverage/",
                self.admin_site.admin_view(self.coverage_view),
                name="rights_station_coverage",
            ),
            *super().get_urls(),
        ]

    @action(description=_("Coverage of villages and communities"), url_path="coverage-report")
    def coverage_report(self, request):
        return self.coverage_view(request)

    def coverage_view(self, request):
        """Every village and community in the user's area with its stations; gaps first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = selectors.coverage(request.user)
        gaps = [r for r, stations in rows if not stations]
        if request.GET.get("format") == "xlsx":
            headers = [str(_("division code")), str(_("name")), str(_("stations"))]
            out = io.BytesIO()
            if request.GET.get("gaps"):
                rows = [(r, ss) for r, ss in rows if not ss]
            exports.write_xlsx(
                out,
                headers,
                ((r.code, r.name, "、".join(s.name for s in ss) or "—") for r, ss in rows),
                sheet=str(_("coverage")),
            )
            response = HttpResponse(
                out.getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            name = f"coverage-{timezone.localdate():%Y%m%d}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        only_gaps = bool(request.GET.get("gaps"))
        if only_gaps:
            rows = [(r, ss) for r, ss in rows if not ss]
        return TemplateResponse(
            request,
            "rights/admin/coverage.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Coverage of villages and communities"),
                "rows": rows,
                "total": len(rows),
                "gaps": len(gaps),
                "only_gaps": only_gaps,
            },
        )


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["unit", *actions.TEAM_FIELDS, "stations", "areas"]


@admin.register(TeamMember)
class TeamMemberAdmin(ScopedAdmin):
    nav_icon = "gavel"
    nav_order = 20
    form = TeamMemberForm
    list_display = ["name", "kind", "unit", "region", "firm", "valid_until", "case_load", "active"]
    list_filter = [under_unit("unit__path"), "kind", "active"]
    search_fields = ["name", "firm", "licence_number", "credential_number"]
    search_choice_fields = ("kind",)  # "律师", "调解员" find the team by what they are
    list_select_related = ["unit", "region"]
    autocomplete_fields = ["unit", "region", "enterprise", "stations", "areas", "user"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_open=Count("cases", filter=Q(cases__status__in=OPEN)))
        )

    @admin.display(description=_("open cases"), ordering="n_open")
    def case_load(self, obj):
        return obj.n_open

    def save_action(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in actions.TEAM_FIELDS if k in form.cleaned_data}
        member = actions.save_team_member(
            obj if change else None,
            acting_user=request.user,
            unit=form.cleaned_data["unit"],
            **data,
        )
        return member

    def save_related(self, request, form, formsets, change):
        actions.save_team_member(
            form.instance,
            acting_user=request.user,
            stations=form.cleaned_data.get("stations", []),
            areas=form.cleaned_data.get("areas", []),
        )


class DutyShiftForm(forms.ModelForm):
    class Meta:
        model = DutyShift
        fields = ["station", "member", "on", "period"]

    def clean(self):
        data = super().clean()
        if all(data.get(k) for k in self.Meta.fields):
            try:
                actions.check_shift(data["station"], data["member"], data["on"], data["period"])
            except ValidationError as e:
                form_errors(self, e)
        return data


@admin.register(DutyShift)
class DutyShiftAdmin(ScopedAdmin):
    nav_icon = "calendar_month"
    nav_order = 30
    form = DutyShiftForm
    list_display = ["on", "period", "station", "member"]
    list_filter = [under_unit("station__host__path"), "period", ("on", admin.DateFieldListFilter)]
    search_fields = ["station__name", "member__name"]
    list_select_related = ["station", "member"]
    autocomplete_fields = ["station", "member"]
    date_hierarchy = "on"

    def changelist_view(self, request, extra_context=None):
        """The roster opens at this month (its first page would be the oldest January)."""
        if request.method == "GET" and not request.GET:
            today = timezone.localdate()
            return HttpResponseRedirect(
                f"{request.path}?on__year={today.year}&on__month={today.month}"
            )
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request, obj=None):
        return ["station", "member", "on", "period"] if obj else []

    def save_action(self, request, obj, form, change):
        shift = actions.add_shift(
            acting_user=request.user,
            station=form.cleaned_data["station"],
            member=form.cleaned_data["member"],
            on=form.cleaned_data["on"],
            period=form.cleaned_data["period"],
        )
        return shift


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    nav_icon = "hub"
    nav_order = 40
    list_display = ["name", "kind", "unit", "effective_from", "effective_until"]
    list_filter = [under_unit("unit__path"), "kind"]
    search_fields = ["name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(LegalTalk)
class LegalTalkAdmin(ScopedAdmin):
    nav_icon = "campaign"
    nav_order = 90
    list_display = ["held_on", "topic", "speaker", "venue", "audience", "unit"]
    list_filter = [under_unit("unit__path"), ("held_on", admin.DateFieldListFilter)]
    search_fields = ["topic", "speaker", "venue"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "enterprise"]
    date_hierarchy = "held_on"
