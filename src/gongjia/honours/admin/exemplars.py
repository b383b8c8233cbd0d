"""Exemplars in the back office: pioneer units with their bars written out and the teams' share,
the incidents that bar, studios with their seven haves, team and grant ledger, named methods
with their eligibility, and party development (personal data: never exported in clear)."""

from django import forms
from django.contrib import admin
from django.db.models import Sum
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.honours import actions, findings, selectors
from gongjia.honours.admin.common import MemberNumberMixin, in_yuan
from gongjia.honours.models import (
    NamedMethod,
    PartyDevelopment,
    PioneerUnit,
    SafetyIncident,
    Studio,
    StudioGrant,
    StudioMember,
)
from gongjia.honours.workflows import method_workflow, pioneer_workflow, studio_workflow
from gongjia.orgs.admin import under_unit
from gongjia.platform import money, scope
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin


def _findings_html(rows, key):
    from django.utils.html import format_html_join

    return format_html_join(
        "",
        "<div>{} {}</div>",
        (
            ("✗" if (r["barred"] if key == "bar" else not r["met"]) else "✓", r["text"])
            for r in rows
        ),
    )


@admin.register(SafetyIncident)
class SafetyIncidentAdmin(ScopedAdmin):
    nav_icon = "warning"
    nav_order = 70
    list_display = ["enterprise", "kind", "occurred_on", "description"]
    list_filter = ["kind"]
    search_fields = ["enterprise__name", "description"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise", "unit"]
    fields = ["enterprise", "unit", "kind", "occurred_on", "description", "source"]


@admin.register(PioneerUnit)
class PioneerUnitAdmin(ScopedAdmin):
    nav_icon = "flag"
    nav_order = 80
    workflow = pioneer_workflow
    transition_action = actions.pioneer_step
    list_display = ["name", "enterprise", "kind", "level", "year", "status", "named_on"]
    list_filter = [under_unit("unit__path"), "status", "kind", "level", "year"]
    search_fields = ["name", "enterprise__name"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise", "unit"]
    fields = ["enterprise", "unit", "name", "kind", "level", "year", "deeds", "bars_display"]
    readonly_fields = ["bars_display"]
    list_before_template = "honours/admin/pioneer_share.html"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != PioneerUnit.Status.RECOMMENDED:
            fields += ["enterprise", "unit", "name", "kind", "level", "year", "deeds"]
        return fields

    @admin.display(description=_("bars"))
    def bars_display(self, obj):
        if obj is None or not obj.pk:
            return "—"
        rows = findings.pioneer_bars(obj)
        return _findings_html(
            [{"barred": r["barred"], "text": f"{r['bar']}：{r['found']}"} for r in rows], "bar"
        )

    def changelist_view(self, request, extra_context=None):
        year = request.GET.get("year__exact")
        year = int(year) if year and year.isdigit() else timezone.localdate().year
        r = selectors.pioneer_team_share(request.user, year)
        extra_context = {
            **(extra_context or {}),
            "team_share": _("Teams' share of the units named in %(y)s: %(s)s")
            % {
                "y": year,
                "s": r.sentence(),
            },
        }
        return super().changelist_view(request, extra_context)


class StudioForm(forms.ModelForm):
    class Meta:
        model = Studio
        fields = [
            "name",
            "leader",
            "unit",
            "level",
            "founded_on",
            "haves",
            "projects",
            "innovations",
            "patents",
            "trained",
        ]


class StudioMemberInline(admin.TabularInline):
    model = StudioMember
    fields = ["member", "role", "joined_on", "left_on"]
    autocomplete_fields = ["member"]
    extra = 0
    can_delete = False


class StudioGrantInline(admin.TabularInline):
    model = StudioGrant
    fields = ["kind", "amount_display", "on", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("amount (yuan)"))
    def amount_display(self, obj):
        return in_yuan(obj.amount_fen)

    def has_add_permission(self, request, obj=None):
        return False  # a line of the ledger is added through the grant form


class GrantForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[
            (StudioGrant.Kind.PROJECT, StudioGrant.Kind.PROJECT.label),
            (StudioGrant.Kind.CORRECTION, StudioGrant.Kind.CORRECTION.label),
        ],
    )
    amount = forms.CharField(
        label=_("amount (yuan)"), help_text=_("A correction is negative: -2000.00.")
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def clean_amount(self):
        text = (self.cleaned_data.get("amount") or "").strip()
        negative = text.startswith("-")
        try:
            fen = money.fen(text.lstrip("-"))
        except Exception:
            raise forms.ValidationError(_("Type the amount in yuan, as 2000.00.")) from None
        return -fen if negative else fen


@admin.register(Studio)
class StudioAdmin(ScopedAdmin):
    nav_icon = "science"
    nav_order = 90
    form = StudioForm
    workflow = studio_workflow
    transition_action = actions.studio_step
    list_display = ["name", "leader", "level", "status", "named_on", "confirmed_until", "granted"]
    list_filter = [under_unit("unit__path"), "status", "level"]
    search_fields = ["name", "leader__name"]
    list_select_related = ["leader"]
    autocomplete_fields = ["leader", "unit"]
    inlines = [StudioMemberInline, StudioGrantInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_granted=Sum("grants__amount_fen"))

    @admin.display(description=_("grants (yuan)"))
    def granted(self, obj):
        return in_yuan(obj.n_granted or 0)

    def record_tools(self, request, obj):
        tools = []
        if obj.status == Studio.Status.NAMED and scope.can(request.user, "approve", obj):
            tools.append((reverse("admin:honours_studio_grant", args=[obj.pk]), _("Add a grant")))
            tools.append(
                (reverse("admin:honours_studio_reconfirm", args=[obj.pk]), _("Re-confirm"))
            )
        return tools

    def grant_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            GrantForm,
            lambda obj, d: actions.grant_studio(
                obj,
                kind=d["kind"],
                amount_fen=d["amount"],
                note=d["note"],
                acting_user=request.user,
            ),
            title=lambda obj: _("A line of the grant ledger: %(s)s") % {"s": obj},
            error_field="amount",
        )

    def reconfirm_view(self, request, pk):
        return self.record_post(
            request,
            pk,
            lambda obj: actions.reconfirm_studio(obj, acting_user=request.user),
            action="approve",
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/grant/", view(self.grant_view), name="honours_studio_grant"),
            path("<int:pk>/reconfirm/", view(self.reconfirm_view), name="honours_studio_reconfirm"),
            *super().get_urls(),
        ]


class MethodForm(MemberNumberMixin, forms.ModelForm):
    class Meta:
        model = NamedMethod
        fields = [
            "unit",
            "post",
            "frontline",
            "enterprise_head",
            "senior_title",
            "doctorate",
            "higher_award",
            "excluded",
            "results_since",
            "documentation",
            "trained",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_number"].label = _("first inventor's member number")


@admin.register(NamedMethod)
class NamedMethodAdmin(ScopedAdmin):
    nav_icon = "handyman"
    nav_order = 100
    form = MethodForm
    workflow = method_workflow
    transition_action = actions.method_step
    list_display = ["name", "inventor", "post", "trained", "status", "named_on"]
    list_filter = [under_unit("unit__path"), "status"]
    search_fields = ["name", "inventor__name"]
    list_select_related = ["inventor"]
    autocomplete_fields = ["unit"]
    editable = [
        "post",
        "frontline",
        "enterprise_head",
        "senior_title",
        "doctorate",
        "higher_award",
        "excluded",
        "results_since",
        "documentation",
        "trained",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["member_number", "unit", *self.editable]
        return ["name", "inventor", "unit", *self.editable, "eligibility_display"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["name", "inventor", "unit", "eligibility_display"]
            if obj.status != NamedMethod.Status.PROPOSED:
                fields += self.editable
        return fields

    @admin.display(description=_("eligibility"))
    def eligibility_display(self, obj):
        on = obj.named_on or timezone.localdate()
        rows = findings.method_eligibility(obj, on)
        return _findings_html([{"met": r["met"], "text": r["condition"]} for r in rows], "met")

    def save_action(self, request, obj, form, change):
        d = form.cleaned_data
        if change:
            scope.require(request.user, "change", obj)
            obj.save()
            return obj
        return actions.propose_method(
            d["member"].pk,
            unit=d["unit"],
            acting_user=request.user,
            **{k: d[k] for k in self.editable},
        )


class PartyForm(MemberNumberMixin, forms.ModelForm):
    class Meta:
        model = PartyDevelopment
        fields = ["unit", "consent_on", "applied_on", "activist_on", "probationary_on", "full_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["member_number"] = self.instance.member.member_number
        self.fields["consent_on"].help_text = _(
            "Political status is personal data: it is recorded with the person's consent."
        )

    def clean(self):
        d = super().clean()
        if d.get("member"):
            self.instance.member = d["member"]
        return d


@admin.register(PartyDevelopment)
class PartyDevelopmentAdmin(ScopedAdmin):
    nav_icon = "how_to_reg"
    nav_order = 110
    form = PartyForm
    # Political status is personal data: listed in scope, never exported.
    actions = []
    list_display = ["member", "applied_on", "activist_on", "probationary_on", "full_on"]
    list_filter = [under_unit("unit__path")]
    search_fields = ["member__name", "member__member_number"]
    list_select_related = ["member"]
    autocomplete_fields = ["unit"]
    fields = [
        "member_number",
        "unit",
        "consent_on",
        "applied_on",
        "activist_on",
        "probationary_on",
        "full_on",
    ]

    def has_export_permission(self, request):
        return False


@admin.register(StudioMember)
class StudioMemberAdmin(ReadOnlyAdmin):
    nav_icon = "group"
    nav_order = 95
    list_display = ["studio", "member", "role", "joined_on", "left_on"]
    search_fields = ["studio__name", "member__name"]
    list_select_related = ["studio", "member"]


@admin.register(StudioGrant)
class StudioGrantAdmin(ReadOnlyAdmin):
    nav_icon = "payments"
    nav_order = 96
    list_display = ["studio", "kind", "amount_display", "on", "note"]
    list_filter = ["kind"]
    search_fields = ["studio__name"]
    list_select_related = ["studio"]

    @admin.display(description=_("amount (yuan)"))
    def amount_display(self, obj):
        return in_yuan(obj.amount_fen)
