"""Nominations in the back office: entered by member number, their eligibility written out, the
panel member's scoring form, and the objections of the notice with their decision."""

from django import forms
from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.craftsmen import actions, eligibility, steps
from gongjia.craftsmen.models import (
    Nomination,
    Objection,
    ReviewScore,
    Round,
)
from gongjia.craftsmen.workflows import nomination_workflow
from gongjia.members.selectors import members_by_number
from gongjia.orgs.admin import under_unit
from gongjia.platform import formatting, parameters, scope
from gongjia.platform.admin_base import ScopedAdmin

# --- nominations -------------------------------------------------------------------------------

N = Nomination.Status


class NominationForm(forms.ModelForm):
    member_number = forms.CharField(label=_("nominee's member number"), max_length=24)
    claimed = forms.MultipleChoiceField(
        label=_("qualifying conditions claimed"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Those the evidence shows; results of competitions are read from records."),
    )

    class Meta:
        model = Nomination
        fields = [
            "round",
            "unit",
            "channel",
            "skill",
            "skill_since",
            "frontline",
            "evidence",
            "submitted_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "round" in self.fields:
            open_rounds = Round.objects.filter(status=Round.Status.OPEN)
            self.fields["round"].queryset = open_rounds
            seen = {}
            for r in open_rounds:
                for c in r.conditions:
                    if not c.get("levels"):
                        seen.setdefault(c["key"], parameters.words(c["label"]))
            self.fields["claimed"].choices = list(seen.items())
        if "submitted_on" in self.fields:
            self.fields["submitted_on"].initial = timezone.localdate()

    def clean(self):
        d = super().clean()
        number = (d.get("member_number") or "").strip()
        if number:
            member = members_by_number([number]).get(number)
            if member is None:
                self.add_error(
                    "member_number", _("No member with the number %(n)s.") % {"n": number}
                )
            else:
                d["member"] = member
        return d


class ScoreInline(admin.TabularInline):
    model = ReviewScore
    fields = ["judge", "item_label", "points"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("judge", "nomination__round")

    @admin.display(description=_("rubric item"))
    def item_label(self, obj):
        for i in obj.nomination.round.rubric:
            if i["key"] == obj.item:
                return parameters.words(i["label"])
        return obj.item

    def has_add_permission(self, request, obj=None):
        return False  # scored through the panel member's own form (actions.score)


class ObjectionInline(admin.TabularInline):
    model = Objection
    fields = ["name", "received_on", "content", "status", "finding"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # recorded through the objection form (actions.record_objection)


@admin.register(Nomination)
class NominationAdmin(ScopedAdmin):
    nav_icon = "person_add"
    nav_order = 20
    form = NominationForm
    workflow = nomination_workflow
    transition_action = actions.nomination_step
    list_display = ["member", "round", "unit", "channel", "status", "total", "rank", "outcome"]
    list_filter = [under_unit("unit__path"), "round", "status", "outcome", "channel"]
    search_fields = ["member__name", "member__member_number", "skill"]
    list_select_related = ["member", "round", "unit"]
    autocomplete_fields = ["unit"]
    change_form_outer_after_template = "craftsmen/admin/nomination_extras.html"
    readonly_fields = ["member", "total", "rank", "outcome"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "round",
                "member_number",
                "unit",
                "channel",
                "skill",
                "skill_since",
                "frontline",
                "claimed",
                "evidence",
                "submitted_on",
            ]
        return [
            "round",
            "member",
            "unit",
            "channel",
            "skill",
            "skill_since",
            "frontline",
            "evidence",
            "submitted_on",
            "total",
            "rank",
            "outcome",
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None:
            return [*self.get_fields(request, obj), *fields]
        return fields

    def get_inlines(self, request, obj):
        """The panel's scores, once scoring is over, or to the organiser while it runs (a panel
        member scores on their own); the objections once the notice is out."""
        if obj is None or obj.round.status in (Round.Status.DRAFT, Round.Status.OPEN):
            return []
        if obj.round.status == Round.Status.REVIEW:
            if not scope.can(request.user, "approve", obj.round):
                return []
            return [ScoreInline]
        return [ScoreInline, ObjectionInline]

    def save_action(self, request, obj, form, change):
        d = form.cleaned_data
        return actions.nominate(
            d["round"],
            d["member"].pk,
            unit=d["unit"],
            acting_user=request.user,
            submitted_on=d["submitted_on"],
            claimed=d.get("claimed") or [],
            **{k: d[k] for k in ("channel", "skill", "skill_since", "frontline", "evidence")},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            # Before the check, from the records as they stand; after it, what it found.
            rows = steps.findings(obj) if obj.status == N.SUBMITTED else obj.eligibility
            context["eligibility_rows"] = eligibility.explained(obj.round, rows)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def record_tools(self, request, obj):
        tools = []
        r = obj.round
        on_panel = r.panel.filter(user=request.user).exists()
        if r.status == Round.Status.REVIEW and obj.status == N.ELIGIBLE and on_panel:
            tools.append((reverse("admin:craftsmen_nomination_score", args=[obj.pk]), _("Score")))
        if (
            r.status == Round.Status.NOTICE
            and obj.status == N.SELECTED
            and scope.can(request.user, "change", obj)
        ):
            tools.append(
                (
                    reverse("admin:craftsmen_nomination_objection", args=[obj.pk]),
                    _("Record an objection"),
                )
            )
        return tools

    def score_view(self, request, pk):
        def score_form(obj, data):
            mine = dict(obj.scores.filter(judge=request.user).values_list("item", "points"))
            form = forms.Form(data)
            for i in obj.round.rubric:
                form.fields[i["key"]] = forms.DecimalField(
                    label=_("%(i)s (0 to %(m)s)")
                    % {"i": parameters.words(i["label"]), "m": formatting.number(i["max"])},
                    min_value=0,
                    max_value=i["max"],
                    decimal_places=2,
                    initial=mine.get(i["key"]),
                )
            return form

        return self.tool_form(
            request,
            pk,
            score_form,
            lambda obj, d: actions.score(obj, d, acting_user=request.user),
            title=lambda obj: _("Score the nomination: %(n)s") % {"n": obj},
            intro=_("Your scores are your own: the panel's are combined once all have scored."),
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
            path("<int:pk>/score/", view(self.score_view), name="craftsmen_nomination_score"),
            path(
                "<int:pk>/objection/",
                view(self.objection_view),
                name="craftsmen_nomination_objection",
            ),
            *super().get_urls(),
        ]


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("objector's real name"), max_length=50)
    phone = forms.CharField(label=_("objector's phone"), max_length=20, required=False)
    received_on = forms.DateField(
        label=_("received on"), help_text=_("For a letter, the date of its postmark.")
    )
    content = forms.CharField(label=_("objection"), widget=forms.Textarea)


class DecideForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("0", _("Dismissed")), ("1", _("Upheld: remove the proposed holder"))],
        coerce=lambda v: v == "1",
    )
    finding = forms.CharField(label=_("finding"), widget=forms.Textarea)


@admin.register(Objection)
class ObjectionAdmin(ScopedAdmin):
    nav_icon = "report"
    nav_order = 30
    list_display = ["nomination", "name", "received_on", "status", "decided_on"]
    list_filter = ["status"]
    search_fields = ["name", "nomination__member__name"]
    list_select_related = ["nomination__member", "nomination__round"]
    readonly_fields = ["nomination", "name", "received_on", "content", "status", "finding"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # recorded on the nomination's page

    def record_tools(self, request, obj):
        if obj.status == Objection.Status.OPEN and scope.can(
            request.user, "approve", obj.nomination
        ):
            return [(reverse("admin:craftsmen_objection_decide", args=[obj.pk]), _("Decide"))]
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
            path("<int:pk>/decide/", view(self.decide_view), name="craftsmen_objection_decide"),
            *super().get_urls(),
        ]
