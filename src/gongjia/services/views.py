"""Portal: a worker's special services. Counselling: the hotlines, the open rooms and a booking
made anonymously if the worker wishes, with its own consent; the worker's own bookings. The
helmet campaign's volunteer shifts: signing up and checking in at the post on the phone. And the
public list of the open rest stations for outdoor workers (no account needed)."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongjia.members.selectors import member_of
from gongjia.platform import formatting
from gongjia.platform.scope import SYSTEM
from gongjia.services import actions, selectors
from gongjia.services.models import (
    FACILITIES,
    Booking,
    CounsellingRoom,
    Hotline,
    Kind,
    Shift,
    Volunteer,
)


class BookForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Room"), queryset=CounsellingRoom.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Kind.INDIVIDUAL, Kind.INDIVIDUAL.label), (Kind.GROUP, Kind.GROUP.label)],
    )
    wanted_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    wanted_at = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    anonymous = forms.BooleanField(
        label=_("Book anonymously: the room sees only a booking code"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I consent to the handling of this booking, which concerns my mental health, for the "
            "counselling service only; my employer and my union are never told."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = selectors.open_rooms()


def _hotlines():
    today = timezone.localdate()
    return Hotline.objects.filter(valid_from__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def _shifts_open(member):
    """Upcoming shifts of posts run by the worker's union or a union above it."""
    path, step = member.union.path, type(member.union).steplen
    above = [path[:n] for n in range(step, len(path) + 1, step)]
    return (
        Shift.objects.filter(on__gte=timezone.localdate(), post__unit__path__in=above)
        .select_related("post")
        .annotate(taken=Count("volunteers", filter=Q(volunteers__withdrawn=False)))
        .order_by("on", "starts_at")[:30]
    )


@login_required
def mine(request):
    member = member_of(request.user, active=True)
    context = {"member": member, "hotlines": _hotlines()}
    if member is not None:
        own_shifts = list(
            Volunteer.objects.filter(member=member, withdrawn=False)
            .select_related("shift__post")
            .order_by("-shift__on")[:20]
        )
        mine_ids = {v.shift_id for v in own_shifts}
        now = timezone.now()
        for v in own_shifts:
            start, end = actions.check_in_window(v.shift)
            v.may_check_in = v.checked_in_at is None and start <= now <= end
            v.past = now > end
        context.update(
            form=BookForm(initial={"wanted_on": timezone.localdate() + dt.timedelta(days=1)}),
            bookings=selectors.own_bookings(member.pk).order_by("-wanted_on", "-pk")[:20],
            shifts=[s for s in _shifts_open(member) if s.pk not in mine_ids],
            own_shifts=own_shifts,
        )
    return render(request, "services/portal/mine.html", context)


@login_required
@require_POST
def book(request):
    member = member_of(request.user, active=True)
    form = BookForm(request.POST)
    try:
        if member is None:
            raise ValidationError(_("The rooms are for union members: join your union first."))
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        d = form.cleaned_data
        # The portal knows who the worker is: the platform files their own booking.
        b = actions.book(
            d["room"],
            acting_user=SYSTEM,
            channel=Booking.Channel.PORTAL,
            kind=d["kind"],
            wanted_on=d["wanted_on"],
            wanted_at=d["wanted_at"],
            consent=d["consent"],
            member_id=member.pk,
            anonymous=d["anonymous"],
        )
    except ValidationError as e:
        messages.error(request, formatting.clauses(e.messages))
    else:
        messages.success(
            request,
            _("Booked: %(r)s on %(d)s at %(t)s. Your booking code is %(n)s.")
            % {
                "r": b.room.name,
                "d": formatting.day(b.wanted_on),
                "t": b.wanted_at.strftime("%H:%M"),
                "n": b.number,
            },
        )
    return redirect("portal:services-mine")


@login_required
@require_POST
def cancel(request, number):
    member = member_of(request.user, active=True)
    b = get_object_or_404(Booking, number=number)
    try:
        if member is None:
            raise ValidationError(_("This booking is not yours."))
        actions.cancel_own_booking(b, member_id=member.pk)
    except ValidationError as e:
        messages.error(request, formatting.clauses(e.messages))
    else:
        messages.success(request, _("Booking %(n)s is cancelled.") % {"n": number})
    return redirect("portal:services-mine")


@login_required
@require_POST
def sign_up(request, pk):
    member = member_of(request.user, active=True)
    shift = get_object_or_404(Shift, pk=pk)
    try:
        if member is None:
            raise ValidationError(_("Shifts are for union members: join your union first."))
        actions.sign_up(shift, member.pk)
    except ValidationError as e:
        messages.error(request, formatting.clauses(e.messages))
    else:
        messages.success(
            request,
            _("You are on the shift at %(p)s on %(d)s.")
            % {"p": shift.post.place, "d": formatting.day(shift.on)},
        )
    return redirect("portal:services-mine")


@login_required
@require_POST
def check_in(request, pk):
    member = member_of(request.user, active=True)
    v = get_object_or_404(Volunteer, pk=pk, member=member)
    try:
        actions.check_in(v)
    except ValidationError as e:
        messages.error(request, formatting.clauses(e.messages))
    else:
        messages.success(request, _("Checked in at %(p)s. Thank you.") % {"p": v.shift.post.place})
    return redirect("portal:services-mine")


def stations(request):
    """The open rest stations by town, for any worker on the street (no account needed)."""
    labels = dict(FACILITIES)
    rows = []
    for s in selectors.stations_open().order_by("region__name", "name"):
        s.facility_labels = [labels[k] for k in s.facilities if k in labels]
        rows.append(s)
    return render(request, "services/portal/stations.html", {"stations": rows})
