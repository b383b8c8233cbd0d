import io

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from gongjia.orgs.admin import under_unit
from gongjia.platform import exports, pii
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.rights import actions, selectors
from gongjia.rights.models import (
    FACT_FIELDS,
    Agency,
    Ballot,
    CaseClaim,
    CaseWorker,
    Checklist,
    ChecklistItem,
    Clause,
    Demand,
    DisputeCase,
    DutyShift,
    Evaluation,
    InformationRequest,
    LegalTalk,
    LimitationEvent,
    Negotiation,
    Referral,
    Representative,
    Round,
    Score,
    Station,
    TeamMember,
)
from gongjia.rights.workflows import (
    N_TERMINAL,
    OPEN,
    TERMINAL,
    case_workflow,
    evaluation_workflow,
    negotiation_workflow,
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

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in actions.STATION_FIELDS if k in form.cleaned_data}
        station = actions.save_station(
            obj if change else None,
            acting_user=request.user,
            host=form.cleaned_data["host"],
            **data,
        )
        obj.__dict__.update(station.__dict__)

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

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in actions.TEAM_FIELDS if k in form.cleaned_data}
        member = actions.save_team_member(
            obj if change else None,
            acting_user=request.user,
            unit=form.cleaned_data["unit"],
            **data,
        )
        obj.__dict__.update(member.__dict__)

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
                for field, errors in e.message_dict.items():
                    self.add_error(field, errors)
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

    def get_readonly_fields(self, request, obj=None):
        return ["station", "member", "on", "period"] if obj else []

    def save_model(self, request, obj, form, change):
        shift = actions.add_shift(
            acting_user=request.user,
            station=form.cleaned_data["station"],
            member=form.cleaned_data["member"],
            on=form.cleaned_data["on"],
            period=form.cleaned_data["period"],
        )
        obj.__dict__.update(shift.__dict__)


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


# --- dispute cases ------------------------------------------------------------------------------


def deadline_html(obj, running: bool):
    """The next deadline: red once passed, orange in its warning days."""
    if not obj.due_on:
        return "—"
    today = timezone.localdate()
    if running and obj.due_on < today:
        return format_html('<span class="text-red-600 font-semibold">{} ⚠</span>', obj.due_on)
    if running and obj.warn_on and obj.warn_on <= today:
        return format_html('<span class="text-orange-600">{}</span>', obj.due_on)
    return obj.due_on


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("soon", _("Due soon")), ("mine", _("My cases"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(status__in=OPEN, due_on__lt=today)
        if self.value() == "soon":
            return queryset.filter(status__in=OPEN, warn_on__lte=today, due_on__gte=today)
        if self.value() == "mine":
            return queryset.filter(handler__user=request.user)
        return queryset


class CaseWorkerInline(admin.TabularInline):
    model = CaseWorker
    fields = ["name", "id_masked", "mobile", "member", "representative"]
    readonly_fields = ["id_masked", "member"]
    extra = 0
    min_num = 1  # a case has at least one worker

    @admin.display(description=_("ID number"))
    def id_masked(self, obj):
        return pii.mask_id_list(obj.id_number)


class CaseClaimInline(admin.TabularInline):
    model = CaseClaim
    fields = ["kind", "amount", "description"]
    extra = 0


class LimitationEventInline(admin.TabularInline):
    model = LimitationEvent
    fields = ["kind", "on", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReferralInline(admin.TabularInline):
    model = Referral
    fields = [
        "kind",
        "agency",
        "entrusted_on",
        "due_on",
        "result",
        "returned_on",
        "feedback_letter",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class _CaseForm(forms.ModelForm):
    """The case with its ten facts (要素式) as ten labelled fields, kept as one JSON value."""

    class Meta:
        model = DisputeCase
        fields = [
            "unit",
            *[f for f in actions.CASE_FIELDS if f != "facts"],
            "agreement_effective_on",
            "award_received_on",
            "closure",
            "fully_performed",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, value in (self.instance.facts or {}).items():
            if f"fact_{key}" in self.fields:
                self.fields[f"fact_{key}"].initial = value

    def clean(self):
        data = super().clean()
        data["facts"] = {
            key: data[f"fact_{key}"].strip()
            for key, _label in FACT_FIELDS
            if data.get(f"fact_{key}", "").strip()
        }
        return data


# Declared fields must exist on the class for the admin to lay them out.
DisputeCaseForm = type(
    "DisputeCaseForm",
    (_CaseForm,),
    {
        f"fact_{key}": forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        for key, label in FACT_FIELDS
    },
)


@admin.register(DisputeCase)
class DisputeCaseAdmin(ScopedAdmin):
    nav_icon = "balance"
    nav_order = 50
    form = DisputeCaseForm
    workflow = case_workflow
    transition_action = staticmethod(actions.case_step)
    list_display = [
        "number",
        "employer_name",
        "unit",
        "channel",
        "status",
        "handler",
        "received_on",
        "deadline",
        "limitation_expires_on",
    ]
    list_filter = [DeadlineFilter, under_unit("unit__path"), "status", "channel", "closure"]
    search_fields = ["number", "employer_name", "workers__name"]
    list_select_related = ["unit", "handler"]
    autocomplete_fields = ["unit", "station", "employer", "handler"]
    readonly_fields = ["number", "limitation_expires_on", "clock", "due_on", "final_award"]
    inlines = [CaseWorkerInline, CaseClaimInline, LimitationEventInline, ReferralInline]
    export_fields = (
        "number",
        "employer_name",
        "unit",
        "channel",
        "status",
        "received_on",
        "due_on",
        "limitation_expires_on",
        "closure",
        "closed_on",
    )

    @admin.display(description=_("next deadline"), ordering="due_on")
    def deadline(self, obj):
        return deadline_html(obj, obj.status in OPEN)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["unit", "channel", "received_on"]
            if obj.status in TERMINAL:
                fields += ["closure", "fully_performed"]
        return fields

    def get_inlines(self, request, obj):
        # Parties and claims are given at intake (the API or the add form's inlines).
        return self.inlines if obj is not None else [CaseWorkerInline, CaseClaimInline]

    def _data(self, request, obj, form) -> dict:
        readonly = self.get_readonly_fields(request, obj)
        keys = (*actions.CASE_FIELDS, "agreement_effective_on", "award_received_on", "closure")
        return {
            k: form.cleaned_data[k]
            for k in (*keys, "fully_performed")
            if k in form.cleaned_data and k not in readonly
        }

    def save_model(self, request, obj, form, change):
        if change:
            case = actions.update_case(
                obj, acting_user=request.user, **self._data(request, obj, form)
            )
            obj.__dict__.update(case.__dict__)
        # A new case is opened in save_related, with the parties and claims of the inlines.

    def save_related(self, request, form, formsets, change):
        if change:
            return super().save_related(request, form, formsets, change)
        rows = {
            type(f).model: [r for r in f.cleaned_data if r and not r.get("DELETE")]
            for f in formsets
        }
        data = self._data(request, None, form)
        for k in ("agreement_effective_on", "award_received_on", "closure", "fully_performed"):
            data.pop(k, None)
        case = actions.open_case(
            acting_user=request.user,
            unit=form.cleaned_data["unit"],
            workers=[
                {k: r.get(k) for k in ("name", "mobile", "representative")}
                for r in rows.get(CaseWorker, [])
            ],
            claims=[
                {k: r.get(k) for k in ("kind", "amount", "description")}
                for r in rows.get(CaseClaim, [])
            ],
            **data,
        )
        form.instance.__dict__.update(case.__dict__)
        for f in formsets:  # saved by the action above; the change message reads these
            f.new_objects, f.changed_objects, f.deleted_objects = [], [], []


# --- collective negotiation ---------------------------------------------------------------------


class RepresentativeInline(admin.TabularInline):
    model = Representative
    fields = [
        "side",
        "name",
        "id_masked",
        "chief",
        "outsider",
        "user",
        "appointed_on",
        "vacated_on",
    ]
    readonly_fields = ["id_masked"]
    autocomplete_fields = ["user"]
    extra = 0

    @admin.display(description=_("ID number"))
    def id_masked(self, obj):
        return pii.mask_id_list(obj.id_number)


class RoundInline(admin.StackedInline):
    model = Round
    fields = ["held_on", "recorder", "minutes", "signed_by_chiefs"]
    extra = 0


class ClauseInline(admin.TabularInline):
    model = Clause
    fields = ["number", "title", "latest"]
    readonly_fields = ["latest"]
    extra = 0

    @admin.display(description=_("latest version"))
    def latest(self, obj):
        v = obj.versions.order_by("-version").first() if obj.pk else None
        return f"v{v.version}（{v.get_side_display()}）{v.text[:80]}" if v else "—"


class InformationRequestInline(admin.TabularInline):
    model = InformationRequest
    fields = ["what", "requested_on", "due_on", "supplied_on"]
    readonly_fields = ["due_on"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # asked through the API or the action, which sets the due day


class DemandInline(admin.TabularInline):
    model = Demand
    fields = ["created_at", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class BallotInline(admin.TabularInline):
    model = Ballot
    fields = ["question", "options", "opened_at", "closed_at", "result", "seal"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class NegotiationForm(forms.ModelForm):
    class Meta:
        model = Negotiation
        fields = ["unit", *actions.NEGOTIATION_FIELDS, "covered"]


@admin.register(Negotiation)
class NegotiationAdmin(ScopedAdmin):
    nav_icon = "handshake"
    nav_order = 60
    form = NegotiationForm
    workflow = negotiation_workflow
    transition_action = staticmethod(actions.negotiation_step)
    list_display = [
        "number",
        "title",
        "level",
        "kind",
        "online",
        "status",
        "deadline",
        "expires_on",
    ]
    list_filter = [under_unit("unit__path"), "status", "level", "kind", "online"]
    search_fields = ["number", "title", "enterprise__name"]
    list_select_related = ["unit", "enterprise"]
    autocomplete_fields = ["unit", "enterprise", "covered"]
    readonly_fields = ["number", "clock", "due_on", "expires_on", "seats", "filing_package"]
    inlines = [
        RepresentativeInline,
        RoundInline,
        ClauseInline,
        InformationRequestInline,
        DemandInline,
        BallotInline,
    ]

    @admin.display(description=_("next deadline"), ordering="due_on")
    def deadline(self, obj):
        return deadline_html(obj, obj.status not in N_TERMINAL)

    @admin.display(description=_("representatives"))
    def seats(self, obj):
        problems = selectors.seat_problems_of(obj) if obj.pk else []
        return "；".join(problems) if problems else _("Both sides are in order.")

    @admin.display(description=_("filing package"))
    def filing_package(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:rights_negotiation_package", args=[obj.pk])
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, _("Print"))

    change_form_outer_after_template = "rights/admin/negotiation_extras.html"

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/package/", view(self.package_view), name="rights_negotiation_package"),
            path("<int:pk>/propose/", view(self.propose_view), name="rights_negotiation_propose"),
            path("<int:pk>/ballot/", view(self.ballot_view), name="rights_negotiation_ballot"),
            path(
                "<int:pk>/ballot/<int:bid>/close/",
                view(self.close_ballot_view),
                name="rights_negotiation_close_ballot",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and self.has_change_permission(request, obj):
            context["negotiation_room"] = {
                "propose_url": reverse("admin:rights_negotiation_propose", args=[obj.pk]),
                "ballot_url": reverse("admin:rights_negotiation_ballot", args=[obj.pk]),
                "open_ballots": [
                    (b, reverse("admin:rights_negotiation_close_ballot", args=[obj.pk, b.pk]))
                    for b in obj.ballots.filter(closed_at=None)
                ],
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def propose_view(self, request, pk):
        def do(n):
            p = request.POST
            number = int(p.get("number") or 0)
            if number < 1:
                raise ValidationError(_("Give the clause number."))
            clause, _created = Clause.objects.get_or_create(
                negotiation=n, number=number, defaults={"title": p.get("title", "").strip()[:100]}
            )
            actions.propose(
                clause, acting_user=request.user, side=p.get("side", ""), text=p.get("text", "")
            )

        return self.record_post(request, pk, do)

    def ballot_view(self, request, pk):
        def do(n):
            actions.open_ballot(
                n,
                acting_user=request.user,
                question=request.POST.get("question", "").strip(),
                options=request.POST.get("options", "").splitlines(),
            )

        return self.record_post(request, pk, do)

    def close_ballot_view(self, request, pk, bid):
        def do(n):
            actions.close_ballot(get_object_or_404(n.ballots, pk=bid), acting_user=request.user)

        return self.record_post(request, pk, do)

    def package_view(self, request, pk):
        """The filing package: agreement, explanation, minutes, representatives, votes."""
        n = get_object_or_404(self.get_queryset(request), pk=pk)
        clauses = [
            (c, c.versions.order_by("-version").first()) for c in n.clauses.order_by("number")
        ]
        return TemplateResponse(
            request,
            "rights/admin/filing_package.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Filing package"),
                "n": n,
                "clauses": clauses,
                "rounds": n.rounds.all(),
                "representatives": n.representatives.filter(vacated_on__isnull=True),
                "ballots": n.ballots.exclude(closed_at=None),
            },
        )

    def save_model(self, request, obj, form, change):
        data = {
            k: form.cleaned_data[k] for k in actions.NEGOTIATION_FIELDS if k in form.cleaned_data
        }
        if change:
            n = actions.update_negotiation(obj, acting_user=request.user, **data)
        else:
            n = actions.open_negotiation(
                acting_user=request.user, unit=form.cleaned_data["unit"], **data
            )
        obj.__dict__.update(n.__dict__)

    def save_related(self, request, form, formsets, change):
        form.instance.covered.set(form.cleaned_data.get("covered", []))
        for formset in formsets:
            self.save_formset(request, form, formset, change)


# --- harmonious labour relations ----------------------------------------------------------------


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ["code", "text", "weight"]
    extra = 0


@admin.register(Checklist)
class ChecklistAdmin(ScopedAdmin):
    nav_icon = "checklist"
    nav_order = 70
    list_display = ["name", "unit", "effective_from", "certificate_years"]
    list_filter = [under_unit("unit__path")]
    search_fields = ["name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [ChecklistItemInline]


class ScoreInline(admin.TabularInline):
    model = Score
    fields = ["item", "percent", "note"]
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == Evaluation.Status.SCORING

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdmin):
    nav_icon = "workspace_premium"
    nav_order = 75
    workflow = evaluation_workflow
    transition_action = staticmethod(actions.evaluation_step)
    list_display = [
        "enterprise",
        "round",
        "status",
        "total",
        "grade",
        "certificate_number",
        "valid_until",
    ]
    list_filter = [under_unit("unit__path"), "status", "grade", "round"]
    search_fields = ["enterprise__name", "certificate_number"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise", "unit"]
    readonly_fields = [
        "total",
        "grade",
        "certificate_number",
        "valid_from",
        "valid_until",
        "revoked_on",
    ]
    inlines = [ScoreInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + (["enterprise", "unit", "checklist", "round"] if obj else [])

    def save_model(self, request, obj, form, change):
        if not change:
            e = actions.open_evaluation(
                acting_user=request.user,
                unit=form.cleaned_data["unit"],
                enterprise=form.cleaned_data["enterprise"],
                checklist=form.cleaned_data["checklist"],
                round=form.cleaned_data["round"],
            )
            obj.__dict__.update(e.__dict__)

    def save_formset(self, request, form, formset, change):
        # Scores go through the action, which recomputes the total.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.cleaned_data:
            if row and not row.get("DELETE") and row.get("item"):
                actions.score(
                    form.instance,
                    acting_user=request.user,
                    item=row["item"],
                    percent=row["percent"],
                    note=row.get("note", ""),
                )
