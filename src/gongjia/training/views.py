"""Portal: a worker's training on the phone: the classes open to them and their enrolments, the
check-in page a session's code opens, their certificates, their place in the talent plan; and
the public page where anyone checks a certificate by its verification code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjia.members.selectors import member_of
from gongjia.platform import formatting, paperwork
from gongjia.platform.scope import SYSTEM
from gongjia.training import actions, plans
from gongjia.training.models import Certificate, ClassSession, Enrolment, TrainingClass

E = Enrolment.Status


def _open_to(member):
    """Classes open for enrolment whose organiser is above the member's union: public ones,
    and those customised for the member's own enterprise."""
    path, step = member.union.path, type(member.union).steplen
    above = [path[:n] for n in range(step, len(path) + 1, step)]
    return (
        TrainingClass.objects.filter(
            organiser__path__in=above, status=TrainingClass.Status.ENROLLING
        )
        .filter(Q(kind=TrainingClass.Kind.PUBLIC) | Q(enterprise_id=member.employer_id))
        .select_related("course", "organiser")
        .order_by("starts_on")
    )


@login_required
def mine(request):
    member = member_of(request.user, active=True)
    if member is None:
        return render(request, "training/portal/mine.html", {"member": None})
    own = list(
        Enrolment.objects.filter(member=member)
        .select_related("training_class__course", "certificate")
        .annotate(present=Count("attendance", distinct=True))
        .order_by("-training_class__starts_on")
    )
    enrolled = {e.training_class_id for e in own}
    plan = plans.plan_for(timezone.localdate().year) or plans.plan_for(None)
    return render(
        request,
        "training/portal/mine.html",
        {
            "member": member,
            "enrolments": own,
            "classes": [c for c in _open_to(member) if c.pk not in enrolled],
            "plan": plan,
            "progress": plans.person(plan, member.pk) if plan else [],
        },
    )


@login_required
@require_POST
def enrol(request, pk):
    member = member_of(request.user, active=True)
    c = get_object_or_404(TrainingClass, pk=pk)
    try:
        if member is None:
            raise ValidationError(_("Classes are for union members: join your union first."))
        # The portal has checked who the worker is: the platform files their own enrolment.
        actions.enrol(c, member.pk, acting_user=SYSTEM, channel=Enrolment.Channel.PORTAL)
    except ValidationError as e:
        messages.error(request, formatting.clauses(e.messages))
    else:
        messages.success(request, _("You are enrolled in %(c)s.") % {"c": c.name})
    return redirect("portal:training-mine")


@login_required
def checkin(request, token):
    """The page a session's code opens: the session, and the button that checks the worker in
    (a GET changes nothing; the camera app may open the address more than once)."""
    session = get_object_or_404(
        ClassSession.objects.select_related("training_class__course"), token=token
    )
    member = member_of(request.user, active=True)
    done = None
    if request.method == "POST":
        try:
            if member is None:
                raise ValidationError(_("Check-in is for the class's members: sign in as one."))
            attendance, made = actions.check_in(token, member.pk, acting_user=SYSTEM)
        except ValidationError as e:
            messages.error(request, formatting.clauses(e.messages))
        else:
            done = attendance
            if made:
                messages.success(request, _("You are checked in."))
            else:
                messages.info(request, _("You had already checked in to this session."))
    elif member is not None:
        done = session.attendance.filter(enrolment__member=member).first()
    return render(request, "training/portal/checkin.html", {"session": session, "done": done})


@login_required
def certificate(request, pk):
    cert = get_object_or_404(
        Certificate.objects.select_related("enrolment__member"),
        pk=pk,
        enrolment__member__user=request.user,
    )
    try:
        return paperwork.response(
            request, paperwork.get("training.certificate"), cert, pdf=bool(request.GET.get("pdf"))
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("portal:training-mine")


def verify(request):
    """Anyone checks a certificate by its code: valid or revoked, whose (the name masked), for
    which course, issued when. Nothing else about the holder is shown."""
    code = "".join(request.GET.get("code", "").split()).upper()[:16]
    found = None
    if code:
        found = (
            Certificate.objects.select_related(
                "enrolment__member",
                "enrolment__training_class__course",
                "enrolment__training_class__organiser",
            )
            .filter(code=code)
            .first()
        )
    # The name with all but its first character hidden: enough to match the paper in hand.
    name = found.enrolment.member.name if found else ""
    holder = name[:1] + "*" * (len(name) - 1)
    return render(
        request,
        "training/portal/verify.html",
        {"code": code, "found": found, "holder": holder},
    )
