"""Portal pages of rights protection: a worker files a request for help with a labour dispute
and follows it; sends demands to a collective negotiation; votes as a representative."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.members.selectors import member_of
from gongjia.orgs.models import OrgUnit
from gongjia.platform import events, notifications, scope
from gongjia.platform.forms import form_errors
from gongjia.platform.models import AuditEvent
from gongjia.platform.workflow import timeline
from gongjia.rights import actions
from gongjia.rights.models import Ballot, CaseClaim, DisputeCase, Negotiation, Station, Vote
from gongjia.rights.workflows import case_workflow


class RequestForm(forms.Form):
    employer_name = forms.CharField(label=gettext_lazy("Employer"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=10,
        help_text=gettext_lazy("When, what was agreed, what went wrong, what you ask for."),
    )
    known_on = forms.DateField(
        label=gettext_lazy("When did you learn of it"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    still_employed = forms.BooleanField(label=gettext_lazy("I still work there"), required=False)
    employment_ended_on = forms.DateField(
        label=gettext_lazy("Last day of work"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    claim_kind = forms.ChoiceField(
        label=gettext_lazy("What you claim"), choices=CaseClaim.Kind.choices
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (CNY)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=20)
    station = forms.ModelChoiceField(
        label=gettext_lazy("Rights station near you"),
        queryset=Station.objects.filter(active=True).order_by("name"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        if data.get("known_on") and data["known_on"] > today:
            self.add_error("known_on", _("This date lies in the future."))
        if not data.get("still_employed") and not data.get("employment_ended_on"):
            self.add_error(
                "employment_ended_on",
                _("Give your last day of work, or tick that you still work there."),
            )
        return data


def _handling_unit(user, station):
    """The town federation that takes the request: the chosen station's host, else the one
    above the worker's union."""
    if station is not None:
        unit = station.host
    else:
        member = member_of(user)
        if member is not None:
            unit = member.union
        else:
            ra = next(iter(user.role_assignments()), None)
            unit = ra.unit if ra else None  # nothing known of the worker: they choose a station
    if unit is not None and unit.depth > 2:
        unit = OrgUnit.objects.get(path=unit.path[: 2 * OrgUnit.steplen])
    return unit


@login_required
def my_requests(request):
    cases = (
        DisputeCase.objects.filter(requester=request.user)
        .select_related("unit")
        .order_by("-received_on", "-id")
    )
    return render(request, "rights/my_requests.html", {"cases": cases})


@login_required
def request_detail(request, pk):
    case = get_object_or_404(
        DisputeCase.objects.select_related("unit"), pk=pk, requester=request.user
    )
    labels = dict(DisputeCase.Status.choices)
    steps = [
        (e.created_at, labels.get((e.data or {}).get("to"), ""), (e.data or {}).get("note", ""))
        if e.kind == AuditEvent.Kind.TRANSITION
        else (e.created_at, events.label(e), "")  # a public event: its name, no internal note
        for e in events.public(timeline(case, limit=50))
    ]
    return render(
        request,
        "rights/request_detail.html",
        {
            "case": case,
            "steps": steps,
            "claims": case.claims.all(),
            "ahead": case_workflow.ahead(case),
        },
    )


@login_required
def new_request(request):
    form = RequestForm(request.POST or None)
    home = _handling_unit(request.user, None)
    if home is not None:  # the stations of the worker's own town first
        near = Case(When(host__path__startswith=home.path, then=0), default=1)
        stations = form.fields["station"]
        stations.queryset = stations.queryset.order_by(near, "name")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = request.user
        unit = _handling_unit(user, data["station"])
        if unit is None:
            form.add_error(
                "station",
                _("Choose the rights station nearest to you: no union is on record for you."),
            )
            return render(request, "rights/new_request.html", {"form": form})
        try:
            case = actions.open_case(
                acting_user=scope.SYSTEM,  # the worker's own request, filed with them as requester
                requester=user,
                unit=unit,
                channel=DisputeCase.Channel.PORTAL,
                station=data["station"],
                employer_name=data["employer_name"],
                summary=data["summary"],
                known_on=data["known_on"],
                wage_arrears=data["claim_kind"] == CaseClaim.Kind.WAGES,
                employment_ended_on=None if data["still_employed"] else data["employment_ended_on"],
                workers=[
                    {
                        "name": user.full_name or user.username,
                        "id_number": user.id_number or "",
                        "mobile": data["mobile"],
                    }
                ],
                claims=[{"kind": data["claim_kind"], "amount": data["amount"]}],
            )
        except ValidationError as e:
            form_errors(form, e)
        else:
            notifications.notify(
                title=_("New request for help from the portal: %(n)s") % {"n": case.number},
                link=reverse("admin:rights_disputecase_change", args=[case.pk]),
                role="town_officer",
                unit=unit,
            )
            messages.success(
                request,
                _("Your request %(n)s was received. The union will contact you.")
                % {"n": case.number},
            )
            return redirect("portal:rights-request", pk=case.pk)
    return render(request, "rights/new_request.html", {"form": form})


# --- the online negotiation room ----------------------------------------------------------------


def _worker_paths(user) -> list[str]:
    """The tree paths of the worker's union (as a member) and of the units of their roles."""
    paths = [ra.unit.path for ra in user.role_assignments()]
    member = member_of(user)
    if member is not None:
        paths.append(member.union.path)
    return paths


def _open_to(user):
    """Negotiations a worker may follow: led by their union or a federation above it, or
    where they hold a seat."""
    from django.db.models import Q

    from gongjia.rights.workflows import N_TERMINAL

    step = OrgUnit.steplen
    ancestors = {p[:i] for p in _worker_paths(user) for i in range(step, len(p) + 1, step)}
    return (
        Negotiation.objects.exclude(status__in=N_TERMINAL)
        .filter(Q(unit__path__in=ancestors) | Q(representatives__user=user))
        .distinct()
        .order_by("-id")
    )


@login_required
def negotiation_room(request):
    rows = []
    for n in _open_to(request.user).prefetch_related("ballots", "clauses__versions"):
        seats = {
            r.side for r in n.representatives.filter(user=request.user, vacated_on__isnull=True)
        }
        ballots = []
        for b in n.ballots.all():
            mine = (
                Vote.objects.filter(ballot=b, representative__user=request.user)
                .values_list("choice", flat=True)
                .first()
            )
            ballots.append((b, b.side in seats and b.closed_at is None, mine))
        rows.append((n, ballots))
    return render(request, "rights/negotiation_room.html", {"rows": rows})


@login_required
def send_demand(request, pk):
    n = get_object_or_404(_open_to(request.user), pk=pk)
    if request.method == "POST":
        try:
            actions.add_demand(n, user=request.user, text=request.POST.get("text", ""))
            messages.success(request, _("Your demand was passed to the negotiators."))
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect("portal:rights-room")


@login_required
def vote(request, pk):
    ballot = get_object_or_404(Ballot.objects.select_related("negotiation"), pk=pk)
    if request.method == "POST":
        try:
            actions.cast_vote(ballot, user=request.user, choice=request.POST.get("choice", ""))
            messages.success(
                request, _("Your vote was recorded. You may change it until the vote closes.")
            )
        except (ValidationError, PermissionDenied) as e:
            messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
    return redirect("portal:rights-room")
