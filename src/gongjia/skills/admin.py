"""Skill competitions in the back office: the trade dictionary, competitions and their events,
marking schemes, entries, judges, marks, unlockings, rechecks, appeals and promotions.

Results (totals, ranks, awards) are shown only once the jury has published them, or to the
jury; a mark shows its value once the panel has revealed it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from gongjia.members.selectors import SkillLevel, members_by_number
from gongjia.orgs.admin import under_unit
from gongjia.orgs.models import OrgUnit
from gongjia.platform import attachments, formatting, scope, sheetimport
from gongjia.platform.admin_base import ReadOnlyAdmin, ScopedAdmin
from gongjia.platform.forms import form_errors
from gongjia.skills import actions, marking, results, schemes, steps
from gongjia.skills.imports import EntriesImport, ReportsImport
from gongjia.skills.models import (
    Appeal,
    Aspect,
    Competition,
    Criterion,
    Entry,
    Event,
    Judge,
    Mark,
    PanelSeat,
    Promotion,
    Recheck,
    Scheme,
    Score,
    Section,
    SubCriterion,
    Trade,
    Unlock,
)
from gongjia.skills.results import award_labels
from gongjia.skills.schemes import SchemeImport
from gongjia.skills.workflows import (
    appeal_workflow,
    competition_workflow,
    scheme_workflow,
    unlock_workflow,
)


@admin.register(Trade)
class TradeAdmin(ScopedAdmin):
    nav_icon = "construction"
    nav_order = 90
    list_display = ["name", "occupation_code", "active"]
    list_filter = ["active"]
    search_fields = ["name", "occupation_code"]


class EventInline(admin.TabularInline):
    model = Event
    fields = ["trade", "skill_level", "team_size", "practical_minutes", "participants_reported"]
    autocomplete_fields = ["trade"]
    extra = 0
    show_change_link = True
    # A checked report and published results are what the figures count: their events stay.
    SETTLED = (
        Competition.Status.CHECKED,
        Competition.Status.PUBLISHED,
        Competition.Status.FROZEN,
        Competition.Status.CANCELLED,
    )

    def _open(self, obj):
        return obj is None or obj.status not in self.SETTLED

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scheme_links(request, event: Event) -> list[tuple[str, str]]:
    """The event's marking scheme as a spreadsheet: exported where it exists, imported while
    it is a draft (or none yet)."""
    scheme = Scheme.objects.filter(event=event).first()
    links = []
    if scheme is not None and request.user.has_perm("skills.view_scheme"):
        url = reverse("admin:skills_scheme_export", args=[scheme.pk])
        links.append((url, _("Export the marking scheme to Excel")))
    draft = scheme is None or scheme.status == Scheme.Status.DRAFT
    if draft and request.user.has_perm("skills.change_scheme"):
        url = reverse("admin:skills_event_import_scheme", args=[event.pk])
        links.append((url, _("Import the marking scheme from Excel")))
        links.append((reverse("admin:skills_scheme_import_template"), _("Scheme template")))
    return links


class ReportForm(forms.Form):
    """A competition a town, street or enterprise ran, reported with one event; more events on
    its page, or many competitions at once by spreadsheet."""

    name = forms.CharField(label=_("name"), max_length=200)
    level = forms.ChoiceField(
        label=_("level"), choices=[(v, Competition.Level(v).label) for v in actions.GUIDED]
    )
    organiser = forms.ModelChoiceField(label=_("organiser"), queryset=OrgUnit.objects.none())
    starts_on = forms.DateField(label=_("starts on"), widget=forms.DateInput({"type": "date"}))
    ends_on = forms.DateField(label=_("ends on"), widget=forms.DateInput({"type": "date"}))
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)
    trade = forms.ModelChoiceField(label=_("trade"), queryset=Trade.objects.filter(active=True))
    participants = forms.IntegerField(label=_("participants"), min_value=1)
    evidence = forms.FileField(
        label=_("evidence"), help_text=_("The competition's notice or its results list.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = scope.units_in_scope(user, Competition, "add")


@admin.register(Competition)
class CompetitionAdmin(ScopedAdmin):
    actions_list = ["report", "import_reports", "reports_template"]

    @action(
        description=_("Report a guided competition"),
        url_path="report",
        permissions=["add"],
        icon="post_add",
    )
    def report(self, request):
        form = ReportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    competition = actions.report_competition(
                        name=d["name"],
                        level=d["level"],
                        organiser=d["organiser"],
                        starts_on=d["starts_on"],
                        ends_on=d["ends_on"],
                        venue=d["venue"],
                        acting_user=request.user,
                    )
                    actions.report_event(
                        competition, d["trade"], d["participants"], acting_user=request.user
                    )
                    attachments.attach(competition, d["evidence"], acting_user=request.user)
            except ValidationError as e:
                form_errors(form, e)
            else:
                return HttpResponseRedirect(
                    reverse("admin:skills_competition_change", args=[competition.pk])
                )
        return TemplateResponse(
            request,
            "skills/admin/report.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "opts": self.model._meta,
                "title": _("Report a guided competition"),
            },
        )

    @action(
        description=_("Import reported competitions"),
        url_path="import-reports",
        permissions=["add"],
        icon="upload",
    )
    def import_reports(self, request):
        return sheetimport.upload_page(
            self,
            request,
            ReportsImport.key,
            params={},
            title=_("Import reported competitions"),
            template_url=reverse("admin:skills_competition_reports_template"),
        )

    @action(
        description=_("Download the report template"), url_path="reports-template", icon="download"
    )
    def reports_template(self, request):
        return sheetimport.template_download(ReportsImport.key)

    nav_icon = "military_tech"
    nav_order = 10
    workflow = competition_workflow
    transition_action = actions.step
    list_display = ["name", "level", "organiser", "year", "starts_on", "status"]
    list_filter = [under_unit("organiser__path"), "level", "year", "status"]
    search_fields = ["name"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser", "jury"]
    inlines = [EventInline]
    change_form_outer_after_template = "skills/admin/competition_extras.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and obj.results_visible_to(request.user):
            # Across trades only the standardised score compares (competitions.md): the best
            # of every event side by side.
            entries = Entry.objects.filter(event__competition=obj, standardised__isnull=False)
            if obj.events.count() > 1:
                context["across"] = results.table(entries.order_by("-standardised", "pk"))[:20]
        return super().render_change_form(request, context, add, change, form_url, obj)

    fields = [
        "name",
        "level",
        "organiser",
        "year",
        "starts_on",
        "ends_on",
        "venue",
        "rulebook",
        "theory_weight",
        "practical_weight",
        "shared_ranks",
        "conflict_rule",
        "jury",
    ]


class EventForm(forms.ModelForm):
    """The event, with its eligibility rules as fields (stored as data on the event, read when
    an entry is registered)."""

    union_member = forms.BooleanField(label=_("union members only"), required=False, initial=True)
    min_age = forms.IntegerField(label=_("minimum age"), required=False, min_value=16)
    max_age = forms.IntegerField(label=_("maximum age"), required=False, max_value=80)
    min_level = forms.TypedChoiceField(
        label=_("lowest skill level held"),
        choices=[("", "—"), *SkillLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    max_level = forms.TypedChoiceField(
        label=_("highest skill level held"),
        choices=[("", "—"), *SkillLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    employer_in_district = forms.BooleanField(label=_("employer in the district"), required=False)
    RULES = ("union_member", "min_age", "max_age", "min_level", "max_level", "employer_in_district")

    class Meta:
        model = Event
        fields = [
            "competition",
            "trade",
            "skill_level",
            "team_size",
            "practical_minutes",
            "participants_reported",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = self.instance.eligibility or {}
        for name in self.RULES:
            if name in rules:
                self.initial[name] = rules[name]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The maximum age is not below the minimum."))
        return data

    def save(self, commit=True):
        d = self.cleaned_data
        self.instance.eligibility = {
            name: d[name]
            for name in self.RULES
            if d.get(name) not in (None, "") and (d[name] is not False or name == "union_member")
        }
        return super().save(commit)


class PanelSeatInline(admin.TabularInline):
    model = PanelSeat
    fields = ["judge", "chief"]
    autocomplete_fields = ["judge"]
    extra = 0


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    nav_icon = "category"
    nav_order = 20
    list_display = ["trade", "competition", "skill_level", "team_size", "entries_count"]
    list_filter = [
        under_unit("competition__organiser__path"),
        "competition__year",
        "competition__status",
        "team_size",
    ]
    search_fields = ["trade__name", "competition__name"]
    list_select_related = ["trade", "competition"]
    autocomplete_fields = ["competition", "trade"]
    inlines = [PanelSeatInline]
    form = EventForm
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "competition",
                    "trade",
                    "skill_level",
                    "team_size",
                    "practical_minutes",
                    "participants_reported",
                ]
            },
        ),
        (_("Who may enter"), {"fields": list(EventForm.RULES)}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_entries=Count("entries"))

    @admin.display(description=_("entries"), ordering="n_entries")
    def entries_count(self, obj):
        return formatting.number(obj.n_entries)

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        judge = Judge.objects.filter(user=request.user).first()
        if judge is None:
            return shown
        seated = set(PanelSeat.objects.filter(judge=judge).values_list("event_id", flat=True))

        @admin.display(description=_("marking"))
        def marking_link(obj):
            if obj.pk not in seated:
                return formatting.DASH
            url = reverse("admin:skills_event_mark", args=[obj.pk])
            return format_html('<a href="{}">{}</a>', url, _("Mark on my phone"))

        return [*shown, marking_link]

    change_form_outer_after_template = "skills/admin/event_extras.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["scheme_links"] = scheme_links(request, obj)
            if obj.competition.results_visible_to(request.user):
                rows = results.table(obj.entries.order_by("rank", "number"))
                for r in rows:
                    r["certificate"] = reverse(
                        "admin:skills_entry_print", args=[r["entry"].pk, "skills.certificate"]
                    )
                context["results_rows"] = rows
                context["results_open"] = obj.competition.results_open
        if obj is not None and obj.pk and request.user.has_perm("skills.add_entry"):
            context["register_url"] = reverse("admin:skills_event_register", args=[obj.pk])
            context["import_url"] = reverse("admin:skills_event_import", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def register_view(self, request, pk):
        """Register an entry from the event's page: members by their member numbers."""

        def do(event):
            numbers = [n.strip() for n in request.POST.get("members", "").split(",") if n.strip()]
            found = members_by_number(numbers)
            missing = [n for n in numbers if n not in found]
            if missing:
                raise ValidationError(
                    _("No member with the number %(n)s.") % {"n": "、".join(missing)}
                )
            actions.register_entry(
                event,
                [found[n].pk for n in numbers],
                acting_user=request.user,
                team_name=request.POST.get("team_name", "").strip()[:100],
            )

        return self.record_post(request, pk, do, action="view")

    def _event_import(self, request, pk, key: str, perm: str, title, template: str):
        """An upload page of one of the event's spreadsheets (its entries, its scheme)."""
        event = get_object_or_404(scope.restrict(Event.objects.all(), request.user), pk=pk)
        if not request.user.has_perm(perm):
            raise PermissionDenied
        return sheetimport.upload_page(
            self,
            request,
            key,
            params={"event": event.pk},
            title=title % {"e": event},
            template_url=reverse(template),
        )

    def scheme_import_view(self, request, pk):
        return self._event_import(
            request,
            pk,
            SchemeImport.key,
            "skills.change_scheme",
            _("Import the marking scheme: %(e)s"),
            "admin:skills_scheme_import_template",
        )

    def import_view(self, request, pk):
        return self._event_import(
            request,
            pk,
            EntriesImport.key,
            "skills.add_entry",
            _("Import entries: %(e)s"),
            "admin:skills_event_import_template",
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/import/", view(self.import_view), name="skills_event_import"),
            path(
                "<int:pk>/import-scheme/",
                view(self.scheme_import_view),
                name="skills_event_import_scheme",
            ),
            path(
                "import-template/",
                view(lambda request: sheetimport.template_download(EntriesImport.key)),
                name="skills_event_import_template",
            ),
            path(
                "<int:pk>/register/",
                self.admin_site.admin_view(self.register_view),
                name="skills_event_register",
            ),
            path(
                "<int:pk>/mark/",
                self.admin_site.admin_view(self.mark_view),
                name="skills_event_mark",
            ),
            *super().get_urls(),
        ]

    def mark_view(self, request, pk):
        """A judge's marking page, made for a phone: every entrant's aspects, each sent as it is
        chosen, kept on the phone while offline (skills/marking.js)."""
        event = scope.restrict(Event.objects.select_related("competition", "trade"), request.user)
        event = get_object_or_404(event, pk=pk)
        judge = actions.judge_of(request.user, event)
        aspects = list(
            Aspect.objects.filter(sub__criterion__scheme__event=event)
            .select_related("sub")
            .order_by("sub__code", "order", "pk")
        )
        mine = {
            (m, a): v
            for m, a, v in Score.objects.filter(judge=judge, mark__entry__event=event).values_list(
                "mark__entry_id", "mark__aspect_id", "value"
            )
        }
        entries = Entry.objects.filter(event=event, status=Entry.Status.REGISTERED)
        entries = entries.select_related("enterprise").order_by("number")
        rows = []
        for entry in entries:
            conflict = actions.conflict(judge, entry, event.competition)
            cells = []
            for a in aspects:
                value = mine.get((entry.pk, a.pk))
                # The input's own value: a plain number, as the phone sends it back.
                cells.append((a, "" if value is None else f"{value:g}", conflict))
            rows.append((entry, cells))
        context = {
            "event": event,
            "judge": judge,
            "rows": rows,
            "open": event.competition.status == Competition.Status.MARKING,
            "api_url": f"/api/v1/skills/events/{event.pk}/marks",
        }
        return TemplateResponse(request, "skills/marking.html", context)


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["number", "title", "weight"]
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["letter", "title"]
    extra = 0
    show_change_link = True


@admin.register(Scheme)
class SchemeAdmin(ScopedAdmin):
    nav_icon = "rule"
    nav_order = 30
    workflow = scheme_workflow
    transition_action = actions.scheme_step
    list_display = ["event", "status"]
    list_filter = [under_unit("event__competition__organiser__path"), "status"]
    search_fields = ["event__trade__name", "event__competition__name"]
    list_select_related = ["event__trade", "event__competition"]
    autocomplete_fields = ["event"]
    inlines = [SectionInline, CriterionInline]
    fields = ["event", "scheme_check"]
    readonly_fields = ["scheme_check"]
    change_form_outer_after_template = "skills/admin/scheme_extras.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["scheme_links"] = scheme_links(request, obj.event)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def export_view(self, request, pk):
        scheme = get_object_or_404(self.get_queryset(request).select_related("event"), pk=pk)
        out = HttpResponse(schemes.export(scheme), content_type=XLSX)
        name = f"评分方案-{scheme.event.trade.name}.xlsx"
        out.headers["Content-Disposition"] = content_disposition_header(True, name)
        return out

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/export/", view(self.export_view), name="skills_scheme_export"),
            path(
                "import-template/",
                view(lambda request: sheetimport.template_download(SchemeImport.key)),
                name="skills_scheme_import_template",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("check of the scheme"))
    def scheme_check(self, obj):
        if obj.pk is None:
            return formatting.DASH
        problems = steps.scheme_problems(obj)
        aspects = Aspect.objects.filter(sub__criterion__scheme=obj).select_related("section")
        weights = {s.number: s.weight for s in obj.sections.all()}
        checks = marking.section_variation(
            weights, [(a.section.number, a.max_mark) for a in aspects]
        )
        lines = [
            _("Section %(n)s: weighting %(w)s, aspects %(m)s, variation %(v)s")
            % {
                "n": c.number,
                "w": formatting.number(float(c.weight), 2),
                "m": formatting.number(float(c.marks), 2),
                "v": formatting.number(float(c.variation), 2),
            }
            for c in checks
        ]
        return "；".join([*map(str, problems), *lines]) or _("Nothing to report.")


class AspectInline(admin.TabularInline):
    model = Aspect
    fields = ["order", "kind", "description", "max_mark", "section", "calculation", "aggregation"]
    extra = 0


@admin.register(SubCriterion)
class SubCriterionAdmin(ScopedAdmin):
    nav_icon = "checklist"
    nav_order = 35
    list_display = ["code", "title", "criterion", "marking_day"]
    list_filter = [under_unit("criterion__scheme__event__competition__organiser__path")]
    search_fields = ["code", "title"]
    list_select_related = ["criterion"]
    inlines = [AspectInline]


@admin.register(Judge)
class JudgeAdmin(ScopedAdmin):
    nav_icon = "gavel"
    nav_order = 40
    list_display = ["name", "unit", "qualification", "affiliated"]
    list_filter = [under_unit("unit__path")]
    search_fields = ["name", "user__username"]
    list_select_related = ["unit"]
    autocomplete_fields = ["user", "unit", "affiliations"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("affiliations")

    @admin.display(description=_("declared affiliations"))
    def affiliated(self, obj):
        return "、".join(e.name for e in obj.affiliations.all()) or formatting.DASH


@admin.register(Entry)
class EntryAdmin(ScopedAdmin):
    nav_icon = "badge"
    nav_order = 25
    list_display = ["number", "event", "entrants_names", "union", "status"]  # and the result
    list_filter = [under_unit("union__path"), "event__competition__year", "status"]
    search_fields = ["team_name", "event__trade__name", "entrants__member__name"]
    list_select_related = ["event__trade", "event__competition", "union"]
    fields = ["event", "team_name", "enterprise", "union", "theory", "practical_seconds"]
    readonly_fields = ["event", "union"]
    autocomplete_fields = ["enterprise"]
    export_fields = ("number", "event", "team_name", "union", "status")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("entrants__member", "event__competition__jury")
        )

    def has_add_permission(self, request):
        return False  # entries are registered by the action (eligibility, teams, numbers)

    @admin.display(description=_("entrants"))
    def entrants_names(self, obj):
        return "、".join(e.member.name for e in obj.entrants.all())

    def get_list_display(self, request):
        # The result column knows who is looking (the admin itself is shared between requests).
        @admin.display(description=_("result"))
        def result(obj):
            competition = obj.event.competition
            if obj.rank is None or not competition.results_visible_to(request.user):
                return formatting.DASH
            award = dict(award_labels()).get(obj.award, "")
            return _("rank %(r)d, total %(t)s%(a)s") % {
                "r": obj.rank,
                "t": formatting.number(float(obj.total), 2),
                "a": f"，{award}" if award else "",
            }

        return [*super().get_list_display(request), result]


@admin.register(Mark)
class MarkAdmin(ReadOnlyAdmin):
    nav_icon = "grading"
    nav_order = 45
    list_display = ["entry", "aspect", "status", "shown", "rescore"]
    list_filter = [under_unit("entry__event__competition__organiser__path"), "status", "rescore"]
    search_fields = ["entry__event__trade__name", "aspect__description"]
    list_select_related = ["entry__event__trade", "aspect__sub"]
    fields = readonly_fields = ["entry", "aspect", "status", "shown", "rescore", "signed_by"]

    @admin.display(description=_("mark"))
    def shown(self, obj):
        value = obj.value
        if value is None or obj.status == Mark.Status.PENDING:
            return formatting.DASH  # not revealed before the panel has scored
        return formatting.number(float(value), 2)


@admin.register(Unlock)
class UnlockAdmin(ScopedAdmin):
    nav_icon = "lock_open"
    nav_order = 50
    workflow = unlock_workflow
    transition_action = actions.decide_unlock
    list_display = ["mark", "reason", "requested_by", "requested_at", "status"]
    list_filter = [under_unit("mark__entry__event__competition__organiser__path"), "status"]
    list_select_related = ["mark__entry__event__trade", "mark__aspect__sub", "requested_by"]
    fields = ["mark", "reason", "requested_by", "decided_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # asked for on the locked mark (actions.request_unlock)


@admin.register(Recheck)
class RecheckAdmin(ReadOnlyAdmin):
    nav_icon = "fact_check"
    nav_order = 55
    list_display = ["event", "checked", "wrong", "everything", "confirmed_by"]
    list_filter = [under_unit("event__competition__organiser__path"), "everything"]
    list_select_related = ["event__trade", "event__competition", "confirmed_by"]


@admin.register(Appeal)
class AppealAdmin(ScopedAdmin):
    nav_icon = "report"
    nav_order = 60
    workflow = appeal_workflow
    transition_action = actions.decide_appeal
    list_display = ["entry", "lodged_on", "status"]
    list_filter = [under_unit("entry__event__competition__organiser__path"), "status"]
    list_select_related = ["entry__event__trade"]
    fields = ["entry", "grounds", "lodged_on", "decision"]
    readonly_fields = ["entry", "grounds", "lodged_on"]

    def has_add_permission(self, request):
        return False  # lodged on a published result (actions.lodge_appeal)


@admin.register(Promotion)
class PromotionAdmin(ReadOnlyAdmin):
    nav_icon = "trending_up"
    nav_order = 65
    list_display = ["member", "entry", "from_level", "to_level", "on"]
    list_filter = [under_unit("entry__event__competition__organiser__path"), "to_level"]
    search_fields = ["member__name"]
    list_select_related = ["member", "entry__event__trade"]
