"""Rest stations in the back office: hosts, hours, facilities, the visits their hosts report
month by month, and the yearly checks."""

from django import forms
from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.orgs.admin import under_unit
from gongjia.platform import scope
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.services import actions
from gongjia.services.models import FACILITIES, RestStation, StationCheck, StationVisits
from gongjia.services.workflows import station_workflow


class StationForm(forms.ModelForm):
    class Meta:
        model = RestStation
        fields = ["unit", "name", "host", "region", "address", "hours", "facilities", "opened_on"]


class VisitsInline(admin.TabularInline):
    model = StationVisits
    fields = ["month", "visits"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class CheckInline(admin.TabularInline):
    model = StationCheck
    fields = ["checked_on", "passed", "findings"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class VisitsForm(forms.Form):
    month = forms.DateField(label=_("month"), help_text=_("Any day of the month."))
    visits = forms.IntegerField(label=_("visits"), min_value=0)


class CheckForm(forms.Form):
    checked_on = forms.DateField(label=_("checked on"))
    facilities = forms.MultipleChoiceField(
        label=_("facilities found"),
        choices=FACILITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    passed = forms.BooleanField(label=_("passed"), required=False)
    findings = forms.CharField(label=_("findings"), max_length=300, required=False)


@admin.register(RestStation)
class RestStationAdmin(ScopedAdmin):
    nav_icon = "local_cafe"
    nav_order = 410
    form = StationForm
    workflow = station_workflow
    transition_action = actions.station_step
    list_display = ["name", "host", "region", "hours", "opened_on", "status"]
    list_filter = [under_unit("unit__path"), "status", "region"]
    search_fields = ["name", "host", "address"]
    list_select_related = ["region"]
    autocomplete_fields = ["unit", "region"]
    inlines = [VisitsInline, CheckInline]

    def record_tools(self, request, obj):
        if not scope.can(request.user, "change", obj):
            return []
        return [
            (reverse("admin:services_reststation_visits", args=[obj.pk]), _("Report visits")),
            (reverse("admin:services_reststation_check", args=[obj.pk]), _("Yearly check")),
        ]

    def visits_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            VisitsForm,
            lambda obj, d: actions.report_visits(obj, acting_user=request.user, **d),
            title=lambda obj: _("Visits to %(s)s") % {"s": obj},
            error_field="month",
        )

    def check_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            lambda obj, data: CheckForm(
                data, initial={"checked_on": timezone.localdate(), "facilities": obj.facilities}
            ),
            lambda obj, d: actions.record_station_check(obj, acting_user=request.user, **d),
            title=lambda obj: _("Yearly check of %(s)s") % {"s": obj},
            error_field="findings",
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/visits/", view(self.visits_view), name="services_reststation_visits"),
            path("<int:pk>/check/", view(self.check_view), name="services_reststation_check"),
            *super().get_urls(),
        ]
