"""Training in the back office: the academy's catalogue, classes with their sessions, check-in
codes, enrolments and assessments, certificates, training bases and the talent plan."""

import segno
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gongjia.members.selectors import SkillLevel, members_by_number, members_in_scope
from gongjia.orgs.admin import under_unit
from gongjia.platform import formatting, kpis, money, scope, sheetimport
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.skills.selectors import CompetitionLevel
from gongjia.training import actions, plans, steps
from gongjia.training.imports import EnrolmentsImport
from gongjia.training.models import (
    BaseReview,
    Certificate,
    ClassSession,
    Course,
    Enrolment,
    Plan,
    PlanTier,
    TrainingBase,
    TrainingClass,
)
from gongjia.training.workflows import base_workflow, class_workflow, enrolment_workflow

E = Enrolment.Status
LEVELS = [("", "—"), *SkillLevel.choices[1:]]


@admin.register(Course)
class CourseAdmin(ScopedAdmin):
    nav_icon = "menu_book"
    nav_order = 10
    list_display = ["name", "trade", "level", "theory_hours", "practice_hours", "active"]
    list_filter = ["level", "active"]
    search_fields = ["name", "teachers"]
    list_select_related = ["trade"]
    autocomplete_fields = ["trade"]


class SessionInline(admin.TabularInline):
    model = ClassSession
    fields = ["on", "starts_at", "ends_at", "kind", "topic", "teacher"]
    extra = 0


class ClassForm(forms.ModelForm):
    """The class, its cost split typed in yuan (kept in fen)."""

    cost_enterprise = forms.CharField(
        label=_("paid by the enterprise (yuan)"), required=False, initial="0"
    )
    cost_federation = forms.CharField(
        label=_("paid by the federation (yuan)"), required=False, initial="0"
    )
    MONEY = ("cost_enterprise", "cost_federation")

    class Meta:
        model = TrainingClass
        fields = [
            "course",
            "name",
            "organiser",
            "kind",
            "base",
            "venue",
            "starts_on",
            "ends_on",
            "capacity",
            "enterprise",
            "requested_on",
            "request",
            "programme",
            "cost_enterprise",
            "cost_federation",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.MONEY:
            self.initial[name] = money.yuan(getattr(self.instance, name) or 0)

    def _fen(self, name):
        return money.fen(self.cleaned_data.get(name) or "0")

    def clean_cost_enterprise(self):
        return self._fen("cost_enterprise")

    def clean_cost_federation(self):
        return self._fen("cost_federation")


@admin.register(TrainingClass)
class TrainingClassAdmin(ScopedAdmin):
    nav_icon = "school"
    nav_order = 20
    workflow = class_workflow
    transition_action = actions.class_step
    list_display = ["name", "course", "kind", "organiser", "starts_on", "status", "enrolled"]
    list_filter = [under_unit("organiser__path"), "kind", "status", "base"]
    search_fields = ["name", "course__name", "enterprise__name"]
    list_select_related = ["course", "organiser"]
    autocomplete_fields = ["course", "organiser", "enterprise", "base"]
    inlines = [SessionInline]
    form = ClassForm
    change_form_outer_after_template = "training/admin/class_extras.html"
    fieldsets = [
        (None, {"fields": ["course", "name", "organiser", "kind", "base", "venue"]}),
        (None, {"fields": ["starts_on", "ends_on", "capacity"]}),
        (
            _("Customised for an enterprise"),
            {
                "fields": [
                    "enterprise",
                    "requested_on",
                    "request",
                    "programme",
                    "cost_enterprise",
                    "cost_federation",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        enrolled = Count("enrolments", filter=Q(enrolments__status__in=(E.ENROLLED, E.COMPLETED)))
        return super().get_queryset(request).annotate(n_enrolled=enrolled)

    @admin.display(description=_("enrolled"), ordering="n_enrolled")
    def enrolled(self, obj):
        return formatting.number(obj.n_enrolled)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            sessions = list(obj.sessions.all())
            context["session_count"] = len(sessions)
            context["session_links"] = [
                (s, reverse("admin:training_trainingclass_code", args=[obj.pk, s.pk]))
                for s in sessions
            ]
            rows = list(
                scope.restrict(obj.enrolments.all(), request.user)
                .select_related("member", "union", "certificate")
                .annotate(present=Count("attendance"))
                .order_by("pk")[:200]
            )
            for e in rows:
                e.score_display = formatting.number(e.score, 2) if e.score is not None else "—"
                cert = getattr(e, "certificate", None)
                e.certificate_number = cert.number if cert else "—"
            context["enrolment_rows"] = rows
            context["enrolled_count"] = obj.n_enrolled
            if len(rows) == 200:
                url = reverse("admin:training_enrolment_changelist")
                context["enrolment_more"] = f"{url}?training_class__id__exact={obj.pk}"
            if obj.status == TrainingClass.Status.ENROLLING and request.user.has_perm(
                "training.add_enrolment"
            ):
                context["enrol_url"] = reverse("admin:training_trainingclass_enrol", args=[obj.pk])
                context["import_url"] = reverse(
                    "admin:training_trainingclass_import", args=[obj.pk]
                )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def enrol_view(self, request, pk):
        """Enrol members from the class's page by their member numbers."""

        def do(c):
            numbers = [n.strip() for n in request.POST.get("members", "").split(",") if n.strip()]
            found = members_by_number(numbers)
            missing = [n for n in numbers if n not in found]
            if missing:
                raise ValidationError(
                    _("No member with the number %(n)s.") % {"n": "、".join(missing)}
                )
            for n in numbers:
                actions.enrol(
                    c, found[n].pk, acting_user=request.user, channel=Enrolment.Channel.UNION
                )

        return self.record_post(request, pk, do, action="view")

    def import_view(self, request, pk):
        c = get_object_or_404(scope.restrict(TrainingClass.objects.all(), request.user), pk=pk)
        if not request.user.has_perm("training.add_enrolment"):
            raise PermissionDenied
        return sheetimport.upload_page(
            self,
            request,
            EnrolmentsImport.key,
            params={"training_class": c.pk},
            title=_("Import enrolments: %(c)s") % {"c": c},
            template_url=reverse("admin:training_trainingclass_import_template"),
        )

    def code_view(self, request, pk, session_pk):
        """The session's check-in code, large, for the classroom's screen."""
        c = get_object_or_404(self.get_queryset(request), pk=pk)
        session = get_object_or_404(ClassSession, pk=session_pk, training_class=c)
        url = request.build_absolute_uri(reverse("portal:training-checkin", args=[session.token]))
        qr = segno.make(url, error="m").svg_inline(scale=8)
        present = session.attendance.count()
        return TemplateResponse(
            request,
            "training/admin/checkin_code.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Check-in code"),
                "opts": self.model._meta,
                "session": session,
                "qr": mark_safe(qr),  # noqa: S308  segno's own SVG of our own URL
                "checkin_url": url,
                "present": present,
                "enrolled": c.enrolments.filter(status=E.ENROLLED).count(),
                "back_url": self._change_url(c),
            },
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/enrol/", view(self.enrol_view), name="training_trainingclass_enrol"),
            path("<int:pk>/import/", view(self.import_view), name="training_trainingclass_import"),
            path(
                "import-template/",
                view(lambda request: sheetimport.template_download(EnrolmentsImport.key)),
                name="training_trainingclass_import_template",
            ),
            path(
                "<int:pk>/sessions/<int:session_pk>/code/",
                view(self.code_view),
                name="training_trainingclass_code",
            ),
            *super().get_urls(),
        ]


class AssessForm(forms.Form):
    score = forms.DecimalField(
        label=_("assessment (out of 100)"), min_value=0, max_value=100, decimal_places=2
    )
    level = forms.TypedChoiceField(
        label=_("skill level certified"),
        choices=LEVELS,
        coerce=int,
        empty_value=0,
        required=False,
    )


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedAdmin):
    nav_icon = "how_to_reg"
    nav_order = 30
    workflow = enrolment_workflow
    transition_action = actions.enrolment_step
    list_display = ["member", "training_class", "union", "channel", "status", "score"]
    list_filter = [under_unit("union__path"), "status", "channel", "training_class__kind"]
    search_fields = ["member__name", "member__member_number", "training_class__name"]
    list_select_related = ["member", "training_class", "union"]
    readonly_fields = ["training_class", "member", "union", "channel", "score", "level_reached"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # enrolled on the class's page, by spreadsheet or in the portal

    def record_tools(self, request, obj):
        if (
            obj.status == E.ENROLLED
            and obj.training_class.status == TrainingClass.Status.RUNNING
            and scope.can(request.user, "change", obj.training_class)
        ):
            return [
                (
                    reverse("admin:training_enrolment_assess", args=[obj.pk]),
                    _("Record the assessment"),
                )
            ]
        return []

    def assess_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            AssessForm,
            lambda obj, d: actions.assess(
                obj, d["score"], level=d["level"] or 0, acting_user=request.user
            ),
            title=lambda obj: _("Record the assessment: %(e)s") % {"e": obj},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/assess/", view(self.assess_view), name="training_enrolment_assess"),
            *super().get_urls(),
        ]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason revoked"), max_length=200)


@admin.register(Certificate)
class CertificateAdmin(ScopedAdmin):
    nav_icon = "workspace_premium"
    nav_order = 40
    list_display = ["number", "holder", "course", "issued_on", "valid_display"]
    list_filter = ["issued_on", "revoked_on"]
    search_fields = ["number", "code", "enrolment__member__name"]
    list_select_related = ["enrolment__member", "enrolment__training_class__course"]
    readonly_fields = ["number", "code", "enrolment", "issued_on", "revoked_on", "revoked_reason"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # issued when a class is completed

    @admin.display(description=_("holder"))
    def holder(self, obj):
        return obj.enrolment.member.name

    @admin.display(description=_("course"))
    def course(self, obj):
        return obj.enrolment.training_class.course

    @admin.display(description=_("valid"), boolean=True)
    def valid_display(self, obj):
        return obj.valid

    def record_tools(self, request, obj):
        if obj.valid and scope.can(request.user, "change", obj):
            return [(reverse("admin:training_certificate_revoke", args=[obj.pk]), _("Revoke"))]
        return []

    def revoke_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            RevokeForm,
            lambda obj, d: actions.revoke_certificate(
                obj, reason=d["reason"], acting_user=request.user
            ),
            title=_("Revoke the certificate"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/revoke/", view(self.revoke_view), name="training_certificate_revoke"),
            *super().get_urls(),
        ]


class ReviewInline(admin.TabularInline):
    model = BaseReview
    fields = ["year", "reviewed_on", "passed", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # recorded through the review form (actions.review_base)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    passed = forms.BooleanField(label=_("passed"), required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


@admin.register(TrainingBase)
class TrainingBaseAdmin(ScopedAdmin):
    nav_icon = "factory"
    nav_order = 50
    workflow = base_workflow
    transition_action = actions.base_step
    list_display = [
        "enterprise",
        "kind",
        "status",
        "named_on",
        "term_until",
        "classes_count",
        "trainees_count",
    ]
    list_filter = [under_unit("enterprise__federation__path"), "kind", "status"]
    search_fields = ["enterprise__name", "title"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise", "authority"]
    fields = ["enterprise", "authority", "kind", "title", "applied_on", "application"]
    inlines = [ReviewInline]
    unblockers = {
        "checklist": ("admin:training_trainingbase_checklist", _("Record the checklist")),
        "review": ("admin:training_trainingbase_review", _("Record the yearly review")),
    }

    def get_queryset(self, request):
        done = Q(classes__enrolments__status=E.COMPLETED)
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_classes=Count("classes", distinct=True),
                n_trainees=Count("classes__enrolments", filter=done, distinct=True),
            )
        )

    @admin.display(description=_("classes"), ordering="n_classes")
    def classes_count(self, obj):
        return formatting.number(obj.n_classes)

    @admin.display(description=_("trainees"), ordering="n_trainees")
    def trainees_count(self, obj):
        return formatting.number(obj.n_trainees)

    def get_readonly_fields(self, request, obj=None):
        # The base's status is read-only whatever its state (the workflow's field, from super).
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status != TrainingBase.Status.APPLIED:
            return [*self.fields, *fields]
        return fields

    def record_tools(self, request, obj):
        tools = []
        if obj.status == TrainingBase.Status.NAMED and scope.can(request.user, "change", obj):
            tools.append(
                (
                    reverse("admin:training_trainingbase_review", args=[obj.pk]),
                    _("Record the yearly review"),
                )
            )
        return tools

    def checklist_view(self, request, pk):
        def checklist_form(obj, data):
            form = forms.Form(data)
            for i in steps.checklist_items():
                form.fields[i["key"]] = forms.BooleanField(
                    label=i["label"], required=False, initial=(obj.checklist or {}).get(i["key"])
                )
            return form

        return self.tool_form(
            request,
            pk,
            checklist_form,
            lambda obj, d: actions.record_checklist(obj, d, acting_user=request.user),
            title=lambda obj: _("Evaluation checklist: %(b)s") % {"b": obj},
            intro=_("Tick each item the evaluators found met; an item left unticked is not met."),
        )

    def review_view(self, request, pk):
        return self.tool_form(
            request,
            pk,
            ReviewForm,
            lambda obj, d: actions.review_base(
                obj, year=d["year"], passed=d["passed"], note=d["note"], acting_user=request.user
            ),
            title=lambda obj: _("Yearly review: %(b)s") % {"b": obj},
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/checklist/",
                view(self.checklist_view),
                name="training_trainingbase_checklist",
            ),
            path("<int:pk>/review/", view(self.review_view), name="training_trainingbase_review"),
            *super().get_urls(),
        ]


class TierForm(forms.ModelForm):
    """A tier with its criteria as fields (stored as data on the tier, read by `plans`)."""

    training_level = forms.TypedChoiceField(
        label=_("completed a course for at least"),
        choices=[("", "—"), ("0", _("any course")), *SkillLevel.choices[1:]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    certified_level = forms.TypedChoiceField(
        label=_("certified at least at"),
        choices=LEVELS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    competition_levels = forms.MultipleChoiceField(
        label=_("placed in a competition of"),
        choices=CompetitionLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    competition_place = forms.IntegerField(
        label=_("at the place or better"), min_value=1, required=False
    )

    class Meta:
        model = PlanTier
        fields = ["key", "rank", "target"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in self.instance.criteria or []:
            if c.get("kind") == "training":
                self.initial["training_level"] = c.get("min_level", 0)
            elif c.get("kind") == "level":
                self.initial["certified_level"] = c.get("min_level")
            elif c.get("kind") == "competition":
                self.initial["competition_levels"] = c.get("levels", [])
                self.initial["competition_place"] = c.get("max_place")

    def clean(self):
        d = super().clean()
        if bool(d.get("competition_levels")) != bool(d.get("competition_place")):
            self.add_error(
                "competition_place",
                _("A competition criterion names both the levels and the place."),
            )
        return d

    def save(self, commit=True):
        d = self.cleaned_data
        # Criteria this form does not show (another programme's, such as a title) are kept.
        shown = {"training", "level", "competition"}
        criteria = [c for c in self.instance.criteria or [] if c.get("kind") not in shown]
        if d.get("training_level") is not None:
            criteria.append({"kind": "training", "min_level": d["training_level"]})
        if d.get("certified_level"):
            criteria.append({"kind": "level", "min_level": d["certified_level"]})
        if d.get("competition_levels") and d.get("competition_place"):
            criteria.append(
                {
                    "kind": "competition",
                    "levels": list(d["competition_levels"]),
                    "max_place": d["competition_place"],
                }
            )
        self.instance.criteria = criteria
        return super().save(commit)


class TierInline(admin.StackedInline):
    model = PlanTier
    form = TierForm
    extra = 0
    fields = [
        "key",
        "rank",
        "target",
        "training_level",
        "certified_level",
        "competition_levels",
        "competition_place",
    ]


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    nav_icon = "trending_up"
    nav_order = 60
    list_display = ["name", "organiser", "first_year", "last_year"]
    autocomplete_fields = ["organiser"]
    fields = ["name", "organiser", "first_year", "last_year"]
    inlines = [TierInline]
    change_form_outer_after_template = "training/admin/plan_extras.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            years = list(range(obj.first_year, obj.last_year + 1))
            context["years"] = years
            context["progress"] = progress_rows(obj, request.user, years)
        return super().render_change_form(request, context, add, change, form_url, obj)


INDICATOR_OF_TIER = {
    PlanTier.Key.CRAFTSMAN_TALENT: "training.plan_craftsman_talents",
    PlanTier.Key.TECHNICAL_BACKBONE: "training.plan_technical_backbones",
    PlanTier.Key.FRONTLINE_WORKER: "training.plan_frontline_workers",
}


def progress_rows(plan: Plan, user, years) -> list[dict]:
    """Each tier's count at the end of each year of the plan, with the people behind it (the
    figure's list, for the years the figures count by this plan)."""
    people = members_in_scope(user)
    figures_by_this = {y for y in years if plans.plan_for(y) == plan}
    rows = []
    for tier in plan.tiers.order_by("rank"):
        key = INDICATOR_OF_TIER.get(tier.key)
        counts = []
        for y in years:
            n = plans.counted(tier, people, y).count()
            url = kpis.drill_down(key, y) if key and y in figures_by_this else ""
            counts.append((formatting.number(n), url))
        last = plans.counted(tier, people).count()
        rows.append(
            {
                "label": tier.get_key_display(),
                "criteria": [plans.describe(c) for c in tier.criteria],
                "target": formatting.number(tier.target),
                "years": counts,
                "met": last >= tier.target,
            }
        )
    return rows
