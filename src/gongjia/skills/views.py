"""Portal: a worker's skill competitions on the phone. The competitions open to them (the
district's, their town's, their enterprise's) with the individual events they may enter, their
own entries with the results once published, the certificate to print, and an appeal while the
published results are open to appeals."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjia.members.selectors import member_of
from gongjia.platform import formatting, paperwork
from gongjia.skills import actions
from gongjia.skills.models import Competition, Entry, Event
from gongjia.skills.results import award_labels


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=gettext_lazy("What the appeal is against"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _open_to(member):
    """Competitions open for registration whose organiser is above the member's union."""
    if member is None:
        return Competition.objects.none()
    path, step = member.union.path, type(member.union).steplen
    above = [path[:n] for n in range(step, len(path) + 1, step)]  # the union and units above
    return Competition.objects.filter(
        Q(organiser__path__in=above), status=Competition.Status.REGISTRATION
    ).select_related("organiser")


def _own_entries(user):
    return (
        Entry.objects.filter(entrants__member__user=user)
        .select_related("event__trade", "event__competition")
        .order_by("-event__competition__starts_on", "event__trade__name")
    )


@login_required
def mine(request):
    member = member_of(request.user, active=True)
    own = list(_own_entries(request.user))
    entered = {entry.event_id for entry in own}
    events = Prefetch("events", Event.objects.select_related("trade"))
    competitions = []
    for c in _open_to(member).prefetch_related(events).order_by("starts_on"):
        rows = [
            {
                "event": e,
                "entered": e.pk in entered,
                "team": e.team_size != 1,
                "why_not": actions.eligibility_problems(e, member) if member else [],
            }
            for e in c.events.all()
        ]
        competitions.append({"competition": c, "events": rows})
    labels = dict(award_labels())
    entries = []
    for entry in own:
        competition = entry.event.competition
        shown = competition.results_open and entry.rank is not None
        entries.append(
            {
                "entry": entry,
                "competition": competition,
                "result": _("rank %(r)d, total %(t)s")
                % {"r": entry.rank, "t": formatting.number(float(entry.total), 2)}
                if shown
                else "",
                "award": labels.get(entry.award, "") if shown else "",
                "certificate": shown,
                "appeal": competition.status == Competition.Status.PUBLISHED
                and competition.appeals_until is not None,
            }
        )
    return render(
        request,
        "skills/portal/mine.html",
        {
            "member": member,
            "competitions": competitions,
            "entries": entries,
            "appeal_form": AppealForm(),
        },
    )


@login_required
@require_POST
def enter(request, pk):
    event = get_object_or_404(Event.objects.select_related("competition__organiser"), pk=pk)
    try:
        entry = actions.enter_myself(event, acting_user=request.user)
    except ValidationError as e:
        messages.error(request, formatting.clauses(e.messages))
    else:
        messages.success(
            request,
            _("You are entered in %(e)s: your competitor number is %(n)d.")
            % {"e": event.trade.name, "n": entry.number},
        )
    return redirect("portal:skills-mine")


@login_required
@require_POST
def appeal(request, pk):
    entry = get_object_or_404(_own_entries(request.user), pk=pk)
    form = AppealForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say what the appeal is against."))
        actions.lodge_appeal(entry, form.cleaned_data["grounds"], acting_user=request.user)
    except ValidationError as e:
        messages.error(request, formatting.clauses(e.messages))
    else:
        messages.success(request, _("Your appeal was lodged: the jury will answer it."))
    return redirect("portal:skills-mine")


@login_required
def certificate(request, pk):
    entry = get_object_or_404(_own_entries(request.user), pk=pk)
    try:
        return paperwork.response(
            request, paperwork.get("skills.certificate"), entry, pdf=bool(request.GET.get("pdf"))
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("portal:skills-mine")
