"""Near-due and overdue dispute cases and negotiations: the handler and the unit's officers are
told once per clock and level (warning, then overdue); contracts enter their renewal window."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.platform import notifications, scope
from gongjia.platform.batches import in_batches
from gongjia.platform.worker import sweep
from gongjia.rights.models import DisputeCase
from gongjia.rights.workflows import OPEN

OFFICER_ROLES = ("town_officer", "district_admin", "union_officer")


def _alert(queryset, today, title_of, admin_url, handler_of=lambda obj: []) -> int:
    """Tell the handler and the unit's officers once when a record's clock enters its warning
    days and once when it is overdue; returns how many records were notified."""
    sent = 0
    for obj in in_batches(
        queryset.filter(warn_on__lte=today).exclude(alerted__endswith=":overdue")
    ):
        level = "overdue" if today > obj.due_on else "warning"
        mark = f"{obj.clock}:{level}"
        if obj.alerted == mark:
            continue
        link = reverse(admin_url, args=[obj.pk])
        with transaction.atomic():
            # Claimed first: a second sweep running at the same moment finds it taken.
            model = type(obj)
            if not model.objects.filter(pk=obj.pk, alerted=obj.alerted).update(alerted=mark):
                continue
            title = title_of(obj, level)
            notifications.notify(title=title, link=link, users=handler_of(obj))
            for role in OFFICER_ROLES:
                notifications.notify(title=title, link=link, role=role, unit=obj.unit)
        sent += 1
    return sent


def _case_title(case, level):
    if level == "overdue":
        return _("Overdue: case %(n)s passed its deadline of %(d)s") % {
            "n": case.number,
            "d": case.due_on,
        }
    return _("Due soon: case %(n)s must move by %(d)s") % {"n": case.number, "d": case.due_on}


def _negotiation_title(n, level):
    if level == "overdue":
        return _("Overdue: %(t)s passed its deadline of %(d)s") % {"t": n.title, "d": n.due_on}
    return _("Due soon: %(t)s must move by %(d)s") % {"t": n.title, "d": n.due_on}


def alert_due_cases(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    cases = DisputeCase.objects.filter(status__in=OPEN, due_on__isnull=False).select_related(
        "unit", "handler__user"
    )
    return _alert(
        cases,
        today,
        _case_title,
        "admin:rights_disputecase_change",
        lambda c: [c.handler.user] if c.handler_id and c.handler.user_id else [],
    )


def alert_due_negotiations(today: dt.date | None = None) -> int:
    """Negotiation clocks (reply to the offer, coordination, filing, review, publication,
    a vacant seat); the renewal window has its own sweep."""
    from gongjia.rights.models import Negotiation
    from gongjia.rights.workflows import N_TERMINAL

    today = today or timezone.localdate()
    negotiations = (
        Negotiation.objects.exclude(status__in=N_TERMINAL)
        .exclude(clock__in=("", "renewal"))
        .filter(due_on__isnull=False)
        .select_related("unit")
    )
    return _alert(negotiations, today, _negotiation_title, "admin:rights_negotiation_change")


def alert_overdue_edges(today: dt.date | None = None) -> int:
    """Referrals without feedback and information not supplied, once past their due day:
    the unit that sent them is told once."""
    from gongjia.rights.models import InformationRequest, Referral

    today = today or timezone.localdate()
    sent = 0
    pending = [
        (
            Referral.objects.filter(result="", due_on__lt=today, alerted=False).select_related(
                "case__unit", "agency"
            ),
            lambda r: (
                _("No feedback: %(a)s on case %(n)s, due %(d)s")
                % {"a": r.agency.name, "n": r.case.number, "d": r.due_on},
                reverse("admin:rights_disputecase_change", args=[r.case_id]),
                r.case.unit,
            ),
        ),
        (
            InformationRequest.objects.filter(
                supplied_on__isnull=True, due_on__lt=today, alerted=False
            ).select_related("negotiation__unit"),
            lambda r: (
                _("Information not supplied for %(t)s, due %(d)s")
                % {"t": r.negotiation.title, "d": r.due_on},
                reverse("admin:rights_negotiation_change", args=[r.negotiation_id]),
                r.negotiation.unit,
            ),
        ),
    ]
    for queryset, describe in pending:
        for edge in queryset:
            with transaction.atomic():
                if not type(edge).objects.filter(pk=edge.pk, alerted=False).update(alerted=True):
                    continue
                title, link, unit = describe(edge)
                for role in OFFICER_ROLES:
                    notifications.notify(title=title, link=link, role=role, unit=unit)
            sent += 1
    return sent


@sweep("rights.case_deadlines", every_seconds=3600)
def case_deadlines():
    alert_due_cases()
    alert_due_negotiations()
    alert_overdue_edges()


def open_renewal_windows(today: dt.date | None = None) -> int:
    """Contracts in force whose renewal window has begun move to "renewal due", and the union
    leading the worker side is told (CCP art. 38: 3 months; wage agreements: 60 days)."""
    from gongjia.rights.actions import negotiation_step
    from gongjia.rights.models import Negotiation

    today = today or timezone.localdate()
    due = Negotiation.objects.filter(
        status=Negotiation.Status.IN_FORCE, warn_on__lte=today
    ).select_related("unit")
    moved = 0
    for n in due:
        negotiation_step(n, "renewal_due", acting_user=scope.SYSTEM, on=today)
        link = reverse("admin:rights_negotiation_change", args=[n.pk])
        title = _("Renewal due: %(t)s expires on %(d)s") % {"t": n.title, "d": n.expires_on}
        for role in OFFICER_ROLES:
            notifications.notify(title=title, link=link, role=role, unit=n.unit)
        moved += 1
    return moved


@sweep("rights.contract_renewals", every_seconds=6 * 3600)
def contract_renewals():
    open_renewal_windows()
