"""Counselling in the back office: rooms with their checklist, counsellors and the weekly
schedule, bookings (seen only by the counselling staff; who booked shows only for a named
booking; nothing of them is exported), session counts and crises as ticks and times."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.honours.admin.common import MemberNumberMixin
from gongjia.orgs.admin import under_unit
from gongjia.platform import parameters, scope
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.services import actions, selectors
from gongjia.services.models import (
    Booking,
    CounsellingRoom,
    Counsellor,
    Crisis,
    Hotline,
    Kind,
    ScheduleSlot,
    Session,
    Topic,
)
from gongjia.services.workflows import booking_workflow, room_workflow


@admin.register(Hotline)
class HotlineAdmin(ScopedAdmin):
    nav_icon = "call"
    nav_order = 10
    list_display = ["number", "name", "operator", "hours", "valid_from", "valid_until"]
    search_fields = ["number", "name"]
    fields = ["number", "name", "operator", "hours", "valid_from", "valid_until", "source"]


class RoomForm(forms.ModelForm):
    class Meta:
        model = CounsellingRoom
        fields = [
            "unit",
            "name",
            "level",
            "address",
            "hours",
            "area_m2",
            "opened_on",
            "checklist",
            "checked_on",
        ]


class SlotInline(admin.TabularInline):
    model = ScheduleSlot
    fields = ["counsellor", "weekday", "starts_at", "ends_at"]
    extra = 0


@admin.register(CounsellingRoom)
class CounsellingRoomAdmin(ScopedAdmin):
    nav_icon = "psychology"
    nav_order = 20
    form = RoomForm
    workflow = room_workflow
    transition_action = actions.room_step
    list_display = ["name", "unit", "level", "opened_on", "standard", "status"]
    list_filter = [under_unit("unit__path"), "level", "status"]
    search_fields = ["name", "address"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [SlotInline]

    @admin.display(description=_("meets the standard"), boolean=True)
    def standard(self, obj):
        return obj.meets_standard


@admin.register(Counsellor)
class CounsellorAdmin(ScopedAdmin):
    nav_icon = "badge"
    nav_order = 30
    list_display = ["name", "organisation", "qualification", "training_hours", "contract_until"]
    list_filter = [under_unit("unit__path"), "qualification"]
    search_fields = ["name", "organisation", "certificate_number"]
    autocomplete_fields = ["unit"]
    fields = [
        "unit",
        "name",
        "organisation",
        "qualification",
        "certificate_number",
        "training_hours",
        "supervision",
        "contract_from",
        "contract_until",
    ]


class BookingForm(MemberNumberMixin, forms.ModelForm):
    consent = forms.BooleanField(
        label=_("The worker consents separately to the handling of mental-health data"),
        required=False,
    )

    class Meta:
        model = Booking
        fields = ["room", "channel", "kind", "wanted_on", "wanted_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No number: an anonymous booking.
        self.fields["member_number"].required = False
        self.fields["member_number"].help_text = _("Leave empty for an anonymous booking.")
        if "channel" in self.fields:
            self.fields["channel"].choices = [
                c for c in Booking.Channel.choices if c[0] != Booking.Channel.PORTAL
            ]


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("held on"))
    minutes = forms.IntegerField(label=_("duration (minutes)"), min_value=1, max_value=600)
    topic = forms.ChoiceField(label=_("topic"), choices=Topic.choices)
    risk = forms.BooleanField(label=_("risk flagged"), required=False)
    referred = forms.BooleanField(label=_("referred to a medical institution"), required=False)


@admin.register(Booking)
class BookingAdmin(ScopedAdmin):
    nav_icon = "event_available"
    nav_order = 40
    form = BookingForm
    workflow = booking_workflow
    transition_action = actions.booking_step
    actions = []  # mental-health data: nothing of a booking is ever exported
    list_display = ["number", "room", "channel", "kind", "wanted_on", "wanted_at", "who", "status"]
    list_filter = [under_unit("room__unit__path"), "status", "channel", "kind"]
    search_fields = ["number"]
    list_select_related = ["room", "member"]
    shown = ["number", "room", "channel", "kind", "wanted_on", "wanted_at", "who", "consent_at"]

    @admin.display(description=_("worker"))
    def who(self, obj):
        return _("Anonymous") if obj.anonymous or obj.member is None else obj.member.name

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["room", "channel", "kind", "wanted_on", "wanted_at", "member_number", "consent"]
        return self.shown

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*self.shown, *fields] if obj is not None else fields

    def save_action(self, request, obj, form, change):
        if change:
            return obj
        d = form.cleaned_data
        member = d.get("member")  # found by the member-number field, or none: anonymous
        member_id = member.pk if member else None
        return actions.book(
            d["room"],
            acting_user=request.user,
            channel=d["channel"],
            kind=d["kind"],
            wanted_on=d["wanted_on"],
            wanted_at=d["wanted_at"],
            consent=d.get("consent"),
            member_id=member_id,
            anonymous=member_id is None,
        )

    def record_tools(self, request, obj):
        if obj.status == Booking.Status.BOOKED and scope.can(request.user, "add", obj):
            return [
                (
                    reverse("admin:services_booking_session", args=[obj.pk]),
                    _("Record the session's counts"),
                )
            ]
        return []

    def session_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            lambda obj, data: SessionForm(data, initial={"held_on": obj.wanted_on, "minutes": 50}),
            lambda obj, d: actions.record_session(
                obj.room,
                booking=obj,
                acting_user=request.user,
                kind=obj.kind,
                held_on=d["held_on"],
                minutes=d["minutes"],
                topic=d["topic"],
                risk=d["risk"],
                referred=d["referred"],
            ),
            title=lambda obj: _("The counts of session %(b)s") % {"b": obj.number},
            intro=_("Only counts and flags are kept here: no notes, no test scores."),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/session/", view(self.session_view), name="services_booking_session"),
            *super().get_urls(),
        ]


@admin.register(Session)
class SessionAdmin(ScopedAdmin):
    nav_icon = "forum"
    nav_order = 50
    list_display = ["room", "held_on", "kind", "topic", "minutes", "people", "risk", "referred"]
    list_filter = [under_unit("room__unit__path"), "kind", "topic", "risk", "referred"]
    list_select_related = ["room"]
    search_fields = ["room__name"]
    fields = ["room", "held_on", "minutes", "kind", "topic", "people", "risk", "referred"]
    list_before_template = "services/admin/counselling_stats.html"

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*self.fields, *fields] if obj is not None else fields

    def changelist_view(self, request, extra_context=None):
        year = request.GET.get("held_on__year") or ""
        year = int(year) if year.isdigit() and 1949 <= int(year) <= 2100 else None
        year = year or timezone.localdate().year
        kinds = dict(Kind.choices)
        rows = [
            {
                "unit": r["unit"],
                "kind_label": kinds.get(r["kind"], r["kind"]),
                "cells": [r["sessions"], r["people"], r["risk"], r["referred"]],
            }
            for r in selectors.counselling_stats(request.user, year)
        ]
        extra_context = {
            **(extra_context or {}),
            "stats_rows": rows,
            "stats_year": year,
            "stats_floor": parameters.value("services.counselling.min_cell", dt.date(year, 12, 31)),
        }
        return super().changelist_view(request, extra_context)

    def save_action(self, request, obj, form, change):
        if change:
            return obj  # counts are kept as recorded
        d = form.cleaned_data
        return actions.record_session(
            d["room"],
            acting_user=request.user,
            held_on=d["held_on"],
            minutes=d["minutes"],
            kind=d["kind"],
            topic=d["topic"],
            people=d["people"],
            risk=d["risk"],
            referred=d["referred"],
        )


class CrisisForm(forms.ModelForm):
    class Meta:
        model = Crisis
        fields = ["room", "at", "taken", "outcome"]


@admin.register(Crisis)
class CrisisAdmin(ScopedAdmin):
    nav_icon = "emergency"
    nav_order = 60
    form = CrisisForm
    actions = []
    list_display = ["room", "at", "outcome", "follow_up_due", "followed_up_at"]
    list_filter = [under_unit("room__unit__path"), "outcome"]
    list_select_related = ["room"]
    search_fields = ["room__name"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None:
            return ["room", "at", "taken", "outcome", "follow_up_due", "followed_up_at", *fields]
        return fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["room", "at", "taken", "outcome"]
        return ["room", "at", "taken", "outcome", "follow_up_due", "followed_up_at"]

    def save_action(self, request, obj, form, change):
        if change:
            return obj
        d = form.cleaned_data
        return actions.record_crisis(
            d["room"], acting_user=request.user, at=d["at"], taken=d["taken"], outcome=d["outcome"]
        )

    def record_tools(self, request, obj):
        if obj.followed_up_at is None and scope.can(request.user, "follow_up", obj):
            return [(reverse("admin:services_crisis_follow_up", args=[obj.pk]), _("Followed up"))]
        return []

    def follow_up_view(self, request, pk):
        return self.record_post(
            request,
            pk,
            lambda obj: actions.follow_up_crisis(obj, acting_user=request.user, at=timezone.now()),
            action="follow_up",
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/follow-up/", view(self.follow_up_view), name="services_crisis_follow_up"
            ),
            *super().get_urls(),
        ]
