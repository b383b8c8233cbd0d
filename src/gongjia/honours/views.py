"""Portal: a worker's honours and their free recuperation and health-check places: the batches
open to them with the application form, their applications with the place they hold in the
order and what became of them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongjia.honours import actions, selectors
from gongjia.honours.models import CareApplication, CareBatch, Honour, MassOrgPost
from gongjia.members.selectors import member_of
from gongjia.platform import formatting
from gongjia.platform.scope import SYSTEM


class ApplyForm(forms.Form):
    post_since = forms.DateField(
        label=_("In my post since"), widget=forms.DateInput(attrs={"type": "date"})
    )
    frontline = forms.BooleanField(
        label=_("I work in a front-line or hardship post"), required=False
    )
    key_project = forms.BooleanField(label=_("I work on a key project"), required=False)


@login_required
def mine(request):
    member = member_of(request.user, active=True)
    if member is None:
        return render(request, "honours/portal/mine.html", {"member": None})
    own = list(
        CareApplication.objects.filter(member=member)
        .select_related("batch")
        .order_by("-batch__starts_on")
    )
    applied = {a.batch_id for a in own}
    return render(
        request,
        "honours/portal/mine.html",
        {
            "member": member,
            "honours": Honour.objects.filter(member=member).order_by("-conferred_on"),
            "posts": MassOrgPost.objects.filter(member=member).order_by("-term_from"),
            "applications": own,
            "batches": [
                (b, ApplyForm(auto_id=f"batch{b.pk}_%s"))
                for b in selectors.care_batches_open_to(member)
                if b.pk not in applied
            ],
        },
    )


@login_required
@require_POST
def apply(request, pk):
    member = member_of(request.user, active=True)
    batch = get_object_or_404(CareBatch, pk=pk)
    form = ApplyForm(request.POST)
    try:
        if member is None:
            raise ValidationError(_("Places are for union members: join your union first."))
        if not form.is_valid():
            raise ValidationError(_("Give the day you began in your post."))
        d = form.cleaned_data
        # The portal has checked who the worker is: the platform files their own application.
        actions.apply_for_place(
            batch,
            member.pk,
            acting_user=SYSTEM,
            channel=CareApplication.Channel.PORTAL,
            post_since=d["post_since"],
            frontline=d["frontline"],
            key_project=d["key_project"],
        )
    except ValidationError as e:
        messages.error(request, formatting.clauses(e.messages))
    else:
        messages.success(
            request,
            _("You applied for %(b)s. Places are allocated after %(d)s.")
            % {"b": batch.name, "d": formatting.day(batch.applications_until)},
        )
    return redirect("portal:honours-mine")
