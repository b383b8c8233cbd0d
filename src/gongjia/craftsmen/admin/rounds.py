"""A round in the back office: its scheme as fields (the award in yuan, the waivers as a best
place per level), its panel, and its ranking as the scores stand or as published."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from gongjia.accounts.models import User
from gongjia.craftsmen import actions, eligibility, steps
from gongjia.craftsmen.admin.common import in_yuan
from gongjia.craftsmen.models import (
    Nomination,
    Round,
)
from gongjia.craftsmen.workflows import round_workflow
from gongjia.platform import formatting, money, scope
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.skills.selectors import CompetitionLevel

# --- rounds ------------------------------------------------------------------------------------

WAIVER_LEVELS = [
    CompetitionLevel.WORLDSKILLS,
    CompetitionLevel.NATIONAL,
    CompetitionLevel.PROVINCIAL,
    CompetitionLevel.CITY,
    CompetitionLevel.DISTRICT,
]


def _waiver(level):
    # The label in the reader's language, made when the form is shown.
    label = lazy(
        lambda: _("%(l)s competition: waives the years from place") % {"l": level.label}, str
    )
    return forms.IntegerField(
        label=label(),
        min_value=1,
        required=False,
        help_text=_("Empty: no result of this level waives the years."),
    )


class RoundForm(forms.ModelForm):
    """The round's scheme as fields: the award typed in yuan (kept in fen), and for each
    competition level the best place that waives the years in the skill."""

    award = forms.CharField(label=_("one-off award (yuan)"), required=False)
    waive_worldskills = _waiver(CompetitionLevel.WORLDSKILLS)
    waive_national = _waiver(CompetitionLevel.NATIONAL)
    waive_provincial = _waiver(CompetitionLevel.PROVINCIAL)
    waive_city = _waiver(CompetitionLevel.CITY)
    waive_district = _waiver(CompetitionLevel.DISTRICT)

    class Meta:
        model = Round
        fields = [
            "organiser",
            "number",
            "name",
            "year",
            "nominations_from",
            "nominations_until",
            "title_quota",
            "nomination_quota",
            "min_years",
            "max_age",
            "union_member",
            "frontline",
            "recuperation",
            "aggregation",
            "notice_working_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = actions.scheme_defaults(timezone.localdate())
        for name in (
            "title_quota",
            "nomination_quota",
            "min_years",
            "max_age",
            "notice_working_days",
        ):
            if name in self.fields and not self.instance.pk:
                self.fields[name].initial = defaults[name]
        waivers = self.instance.waivers if self.instance.pk else defaults["waivers"]
        fen = self.instance.award_fen if self.instance.pk else defaults["award_fen"]
        self.initial["award"] = money.yuan(fen)
        for w in waivers:
            for level in w.get("levels", []):
                self.initial[f"waive_{level}"] = w.get("max_place")

    def clean_award(self):
        try:
            fen = money.fen(self.cleaned_data.get("award") or "")
        except (ValueError, ValidationError):
            raise forms.ValidationError(_("Type the award in yuan, as 10000.00.")) from None
        if fen <= 0:
            raise forms.ValidationError(_("The award is more than nothing."))
        return fen

    def scheme(self) -> dict:
        d = self.cleaned_data
        fields = {k: d[k] for k in actions.ROUND_FIELDS if k in d}
        if "award" in d:
            fields["award_fen"] = d["award"]
        if "waive_city" not in self.fields:
            return fields  # the scheme is fixed: shown, not sent
        fields["waivers"] = [
            {"levels": [level.value], "max_place": d[f"waive_{level.value}"]}
            for level in WAIVER_LEVELS
            if d.get(f"waive_{level.value}")
        ]
        return fields


@admin.register(Round)
class RoundAdmin(ScopedAdmin):
    nav_icon = "military_tech"
    nav_order = 10
    form = RoundForm
    workflow = round_workflow
    transition_action = actions.round_step
    list_display = ["name", "organiser", "year", "status", "nominated", "notice_until"]
    list_filter = ["status", "year"]
    search_fields = ["name"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser"]
    change_form_outer_after_template = "craftsmen/admin/round_extras.html"
    fieldsets = [
        (None, {"fields": ["organiser", "number", "name", "year"]}),
        (None, {"fields": ["nominations_from", "nominations_until"]}),
        (
            _("The scheme"),
            {
                "fields": [
                    "title_quota",
                    "nomination_quota",
                    "award",
                    "min_years",
                    "max_age",
                    "union_member",
                    "frontline",
                    "recuperation",
                    "aggregation",
                    "notice_working_days",
                ]
            },
        ),
        (
            _("Competition results that waive the years in the skill"),
            {"fields": [f"waive_{level.value}" for level in WAIVER_LEVELS]},
        ),
    ]
    unblockers = {"panel": ("admin:craftsmen_round_panel", _("Name the review panel"))}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_nominated=Count("nominations"))

    @admin.display(description=_("nominations"), ordering="n_nominated")
    def nominated(self, obj):
        return formatting.number(obj.n_nominated)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.status == Round.Status.DRAFT:
            return fieldsets
        # Once nominations open the scheme is fixed: the award shown in yuan, the waivers
        # written out below with the conditions.
        return [
            (name, {**o, "fields": ["award_display" if f == "award" else f for f in o["fields"]]})
            for name, o in fieldsets
            if not any(str(f).startswith("waive_") for f in o["fields"])
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status != Round.Status.DRAFT:
            shown = [f for _n, o in self.get_fieldsets(request, obj) for f in o["fields"]]
            return [*shown, *fields]
        return fields

    @admin.display(description=_("one-off award (yuan)"))
    def award_display(self, obj):
        return in_yuan(obj.award_fen)

    def save_action(self, request, obj, form, change):
        fields = form.scheme()
        if change:
            return actions.save_round(obj, acting_user=request.user, **fields)
        organiser = form.cleaned_data["organiser"]
        return actions.save_round(None, acting_user=request.user, organiser=organiser, **fields)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["scheme_lists"] = eligibility.scheme_words(obj)
            context["panel"] = list(obj.panel.select_related("user"))
            if obj.status == Round.Status.REVIEW:
                context["missing_scores"] = steps.missing_scores(obj)
            if obj.status in (Round.Status.REVIEW, Round.Status.NOTICE, Round.Status.APPROVED):
                context["standings"] = standing_rows(obj, request.user)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def record_tools(self, request, obj):
        tools = []
        if obj.status in (Round.Status.DRAFT, Round.Status.OPEN, Round.Status.REVIEW) and scope.can(
            request.user, "change", obj
        ):
            tools.append(
                (reverse("admin:craftsmen_round_panel", args=[obj.pk]), _("Name the review panel"))
            )
        return tools

    def panel_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            PanelForm,
            lambda obj, d: actions.add_to_panel(obj, d["user"], acting_user=request.user),
            title=lambda obj: _("Name the review panel: %(r)s") % {"r": obj},
            intro=_("Each panel member scores every eligible nomination on the rubric."),
            error_field="username",
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/panel/", view(self.panel_view), name="craftsmen_round_panel"),
            *super().get_urls(),
        ]


class PanelForm(forms.Form):
    username = forms.CharField(label=_("the panel member's sign-in name"), max_length=150)

    def clean(self):
        d = super().clean()
        user = User.objects.filter(username=d.get("username", ""), is_active=True).first()
        if user is None:
            raise forms.ValidationError({"username": _("No active account has this name.")})
        d["user"] = user
        return d


def standing_rows(r: Round, user) -> list[dict]:
    """The ranking as the panel's scores stand (under review) or as published."""
    if r.status == Round.Status.REVIEW:
        rows = steps.standings(r)
        return [
            {
                "name": x["nomination"].member.name,
                "unit": x["nomination"].unit,
                "rank": x["rank"],
                "tied": x["tied"],
                "total": formatting.number(x["total"], 2),
                "outcome": Nomination.Outcome(x["outcome"]).label if x["outcome"] else "—",
            }
            for x in rows
        ]
    ranked = r.nominations.exclude(rank=None).select_related("member", "unit").order_by("rank")
    return [
        {
            "name": n.member.name,
            "unit": n.unit,
            "rank": n.rank,
            "tied": False,
            "total": formatting.number(n.total, 2),
            "outcome": n.get_outcome_display() or "—",
            "status": n.get_status_display(),
        }
        for n in ranked
    ]
