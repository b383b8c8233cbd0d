"""Collective negotiation: representatives, rounds, clauses, the online room, the filing package."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongjia.orgs.admin import under_unit
from gongjia.platform import pii
from gongjia.platform.admin_base import ScopedAdmin
from gongjia.rights import actions, clocks, selectors
from gongjia.rights.admin.cases import deadline_html
from gongjia.rights.models import (
    Ballot,
    Clause,
    Demand,
    InformationRequest,
    Negotiation,
    Representative,
    Round,
)
from gongjia.rights.workflows import (
    N_TERMINAL,
    negotiation_workflow,
)

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
    readonly_fields = ["number", "clock_name", "due_on", "expires_on", "seats", "filing_package"]

    @admin.display(description=_("running clock"))
    def clock_name(self, obj):
        return clocks.label(obj.clock)

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

    def save_action(self, request, obj, form, change):
        data = {
            k: form.cleaned_data[k] for k in actions.NEGOTIATION_FIELDS if k in form.cleaned_data
        }
        if change:
            n = actions.update_negotiation(obj, acting_user=request.user, **data)
        else:
            n = actions.open_negotiation(
                acting_user=request.user, unit=form.cleaned_data["unit"], **data
            )
        return n

    def save_related(self, request, form, formsets, change):
        form.instance.covered.set(form.cleaned_data.get("covered", []))
        for formset in formsets:
            self.save_formset(request, form, formset, change)
