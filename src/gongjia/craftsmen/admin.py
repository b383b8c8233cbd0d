"""The district craftsman title in the back office: rounds with their scheme and panel,
nominations with their eligibility written out and the panel's scores, objections during the
notice, the title register with its benefits, the awards and their ledger and bank batches."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from gongjia.accounts.models import User
from gongjia.craftsmen import actions, eligibility, steps
from gongjia.craftsmen.models import (
    Award,
    AwardBatch,
    AwardPayment,
    Entitlement,
    Nomination,
    Objection,
    ReviewScore,
    Round,
    Title,
)
from gongjia.craftsmen.workflows import award_workflow, nomination_workflow, round_workflow
from gongjia.members.selectors import members_by_number
from gongjia.orgs.admin import under_unit
from gongjia.platform import formatting, money, parameters, scope
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin
from gongjia.platform.forms import form_errors, form_page, submitted
from gongjia.skills.selectors import CompetitionLevel

N = Nomination.Status


def _yuan(fen):
    return formatting.money(money.yuan_figure(fen)) if fen is not None else "—"


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
        fields["award_fen"] = d["award"]
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
        return _yuan(obj.award_fen)

    def save_action(self, request, obj, form, change):
        fields = form.scheme()
        organiser = fields.pop("organiser")
        if change:
            return actions.save_round(obj, acting_user=request.user, **fields)
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
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        form = PanelForm(submitted(request))
        if request.method == "POST" and form.is_valid():
            try:
                actions.add_to_panel(obj, form.cleaned_data["user"], acting_user=request.user)
            except ValidationError as e:
                form_errors(form, e, "username")
            else:
                return HttpResponseRedirect(self._change_url(obj))
        return form_page(
            self,
            request,
            obj,
            form,
            title=_("Name the review panel: %(r)s") % {"r": obj},
            intro=_("Each panel member scores every eligible nomination on the rubric."),
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


# --- nominations -------------------------------------------------------------------------------


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
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        mine = dict(obj.scores.filter(judge=request.user).values_list("item", "points"))
        form = forms.Form(submitted(request))
        for i in obj.round.rubric:
            form.fields[i["key"]] = forms.DecimalField(
                label=_("%(i)s (0 to %(m)s)")
                % {"i": parameters.words(i["label"]), "m": formatting.number(i["max"])},
                min_value=0,
                max_value=i["max"],
                decimal_places=2,
                initial=mine.get(i["key"]),
            )
        if request.method == "POST" and form.is_valid():
            try:
                actions.score(obj, form.cleaned_data, acting_user=request.user)
            except ValidationError as e:
                form_errors(form, e)
            else:
                return HttpResponseRedirect(self._change_url(obj))
        return form_page(
            self,
            request,
            obj,
            form,
            title=_("Score the nomination: %(n)s") % {"n": obj},
            intro=_("Your scores are your own: the panel's are combined once all have scored."),
        )

    def objection_view(self, request, pk):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        form = ObjectionForm(submitted(request))
        if request.method == "POST" and form.is_valid():
            try:
                actions.record_objection(obj, acting_user=request.user, **form.cleaned_data)
            except ValidationError as e:
                form_errors(form, e)
            else:
                return HttpResponseRedirect(self._change_url(obj))
        return form_page(
            self,
            request,
            obj,
            form,
            title=_("Record an objection: %(n)s") % {"n": obj},
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
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        form = DecideForm(submitted(request))
        if request.method == "POST" and form.is_valid():
            try:
                actions.decide_objection(obj, acting_user=request.user, **form.cleaned_data)
            except ValidationError as e:
                form_errors(form, e)
            else:
                return HttpResponseRedirect(self._change_url(obj))
        return form_page(
            self, request, obj, form, title=_("Decide the objection: %(o)s") % {"o": obj}
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="craftsmen_objection_decide"),
            *super().get_urls(),
        ]


# --- the register and its benefits ------------------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason revoked"), max_length=300)


class AwardForm(forms.Form):
    bank_name = forms.CharField(label=_("bank"), max_length=60)
    bank_account = forms.CharField(label=_("bank account"), max_length=40)


class EntitlementInline(admin.TabularInline):
    model = Entitlement
    fields = ["kind", "granted_on", "used_on", "used_for"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # granted when the title is conferred


@admin.register(Title)
class TitleAdmin(ScopedAdmin):
    nav_icon = "workspace_premium"
    nav_order = 40
    list_display = ["number", "member", "kind", "round", "unit", "held_from", "in_force_display"]
    list_filter = [under_unit("unit__path"), "round", "kind", "revoked_on"]
    search_fields = ["number", "member__name", "member__member_number"]
    list_select_related = ["member", "round", "unit"]
    readonly_fields = [
        "number",
        "member",
        "kind",
        "round",
        "unit",
        "held_from",
        "revoked_on",
        "revoked_reason",
    ]
    fields = readonly_fields
    inlines = [EntitlementInline]

    def has_add_permission(self, request):
        return False  # conferred by the round's last step

    @admin.display(description=_("in force"), boolean=True)
    def in_force_display(self, obj):
        return obj.in_force

    def record_tools(self, request, obj):
        tools = []
        if not obj.in_force:
            return tools
        if (
            obj.kind == Title.Kind.TITLE
            and not Award.objects.filter(title=obj).exists()
            and request.user.has_perm("craftsmen.add_award")
            and scope.can(request.user, "view", obj.round)
        ):
            tools.append(
                (reverse("admin:craftsmen_title_award", args=[obj.pk]), _("Prepare the award"))
            )
        if scope.can(request.user, "approve", obj.round):
            tools.append((reverse("admin:craftsmen_title_revoke", args=[obj.pk]), _("Revoke")))
        return tools

    def award_view(self, request, pk):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        form = AwardForm(submitted(request))
        if request.method == "POST" and form.is_valid():
            try:
                a = actions.prepare_award(obj, acting_user=request.user, **form.cleaned_data)
            except ValidationError as e:
                form_errors(form, e)
            else:
                return HttpResponseRedirect(reverse("admin:craftsmen_award_change", args=[a.pk]))
        return form_page(
            self,
            request,
            obj,
            form,
            title=_("Prepare the award: %(t)s") % {"t": obj},
            intro=_("%(y)s yuan to the holder's account, approved and paid by another officer.")
            % {"y": _yuan(obj.round.award_fen)},
        )

    def revoke_view(self, request, pk):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        form = RevokeForm(submitted(request))
        if request.method == "POST" and form.is_valid():
            try:
                actions.revoke_title(
                    obj, reason=form.cleaned_data["reason"], acting_user=request.user
                )
            except ValidationError as e:
                form_errors(form, e)
            else:
                return HttpResponseRedirect(self._change_url(obj))
        return form_page(self, request, obj, form, title=_("Revoke the title: %(t)s") % {"t": obj})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/award/", view(self.award_view), name="craftsmen_title_award"),
            path("<int:pk>/revoke/", view(self.revoke_view), name="craftsmen_title_revoke"),
            *super().get_urls(),
        ]


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    nav_icon = "spa"
    nav_order = 50
    list_display = ["title", "kind", "granted_on", "used_on", "used_for"]
    list_filter = ["kind", "used_on"]
    search_fields = ["title__member__name", "title__number"]
    list_select_related = ["title__member"]


# --- the award and its ledger ------------------------------------------------------------------


class PaymentInline(admin.TabularInline):
    model = AwardPayment
    fields = ["kind", "attempt", "amount", "on", "reason", "batch"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # written by the award's steps

    @admin.display(description=_("amount (yuan)"))
    def amount(self, obj):
        return _yuan(obj.amount_fen)


@admin.register(Award)
class AwardAdmin(ScopedAdmin):
    nav_icon = "payments"
    nav_order = 60
    workflow = award_workflow
    transition_action = actions.award_step
    list_display = ["title", "amount", "status", "prepared_by", "decided_by"]
    list_filter = ["status"]
    search_fields = ["title__member__name", "title__number"]
    list_select_related = ["title__member", "prepared_by", "decided_by"]
    readonly_fields = ["title", "amount", "bank_name", "prepared_by", "decided_by", "decided_at"]
    fields = readonly_fields
    inlines = [PaymentInline]

    def has_add_permission(self, request):
        return False  # prepared from the holder's page in the register

    @admin.display(description=_("amount (yuan)"), ordering="amount_fen")
    def amount(self, obj):
        return _yuan(obj.amount_fen)


@admin.register(AwardPayment)
class AwardPaymentAdmin(ReadOnlyAdmin):
    nav_icon = "receipt_long"
    nav_order = 70
    list_display = ["award", "kind", "attempt", "amount", "on", "batch", "entered_by"]
    list_filter = ["kind", "on"]
    search_fields = ["award__title__member__name", "award__title__number"]
    list_select_related = ["award__title__member", "batch", "entered_by"]

    @admin.display(description=_("amount (yuan)"), ordering="amount_fen")
    def amount(self, obj):
        return _yuan(obj.amount_fen)


class BatchForm(forms.ModelForm):
    user = None  # set by the admin for the request

    class Meta:
        model = AwardBatch
        fields = ["unit"]

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if not actions.pending_payments(self.user, unit).exists():
            raise forms.ValidationError(_("There are no award payments waiting for the bank."))
        return unit


@admin.register(AwardBatch)
class AwardBatchAdmin(ScopedAdmin):
    """Award payments not yet sent to the bank, gathered under a federation, in full."""

    nav_icon = "account_balance"
    nav_order = 80
    form = BatchForm
    list_display = ["number", "unit", "entries", "total", "created_by", "created_at"]
    list_filter = [under_unit("unit__path")]
    search_fields = ["number"]
    list_select_related = ["unit", "created_by"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["number", "entries", "total", "created_by", "created_at"]
    change_form_outer_after_template = "platform/admin/bank_file_extras.html"

    def get_fields(self, request, obj=None):
        return ["unit"] if obj is None else ["number", "unit", *self.readonly_fields[1:]]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else [*self.readonly_fields, "unit"]

    @admin.display(description=_("total (yuan)"), ordering="total_fen")
    def total(self, obj):
        return _yuan(obj.total_fen)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_action(self, request, obj, form, change):
        if change:
            return obj
        return actions.make_batch(acting_user=request.user, unit=form.cleaned_data["unit"])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if (
            obj is not None
            and obj.pk
            and scope.units_in_scope(request.user, Award, "reveal").filter(pk=obj.unit_id).exists()
        ):
            context["bank_file_url"] = reverse(
                "admin:craftsmen_awardbatch_bank_file", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def bank_file_view(self, request, pk):
        b = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST":
            raise PermissionDenied
        try:
            data = actions.batch_xlsx(
                b, acting_user=request.user, purpose=request.POST.get("purpose", "")
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
            return HttpResponseRedirect(self._change_url(b))
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{b.number}.xlsx"'
        return response

    def get_urls(self):
        return [
            path(
                "<int:pk>/bank-file/",
                self.admin_site.admin_view(self.bank_file_view),
                name="craftsmen_awardbatch_bank_file",
            ),
            *super().get_urls(),
        ]
