"""Near-due and overdue dispute cases: the handler and the handling unit's officers are told
once per clock and level (warning, then overdue)."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.platform import notifications
from gongjia.platform.worker import sweep
from gongjia.rights.models import DisputeCase
from gongjia.rights.workflows import OPEN

OFFICER_ROLES = ("town_officer", "district_admin", "union_officer")


def alert_due_cases(today: dt.date | None = None) -> int:
    """Notify about every open case whose warning period has begun or whose deadline passed;
    returns how many cases were notified."""
    today = today or timezone.localdate()
    cases = (
        DisputeCase.objects.filter(status__in=OPEN, due_on__isnull=False, warn_on__lte=today)
        .filter(~Q(alerted__endswith=":overdue"))
        .select_related("unit", "handler__user")
    )
    sent = 0
    for case in cases.iterator(chunk_size=500):
        level = "overdue" if today > case.due_on else "warning"
        mark = f"{case.clock}:{level}"
        if case.alerted == mark:
            continue
        if level == "overdue":
            title = _("Overdue: case %(n)s passed its deadline of %(d)s") % {
                "n": case.number,
                "d": case.due_on,
            }
        else:
            title = _("Due soon: case %(n)s must move by %(d)s") % {
                "n": case.number,
                "d": case.due_on,
            }
        link = reverse("admin:rights_disputecase_change", args=[case.pk])
        users = [case.handler.user] if case.handler_id and case.handler.user_id else []
        with transaction.atomic():
            # Claimed first: a second sweep running at the same moment finds it taken.
            if not DisputeCase.objects.filter(pk=case.pk, alerted=case.alerted).update(
                alerted=mark
            ):
                continue
            notifications.notify(title=title, link=link, users=users)
            for role in OFFICER_ROLES:
                notifications.notify(title=title, link=link, role=role, unit=case.unit)
        sent += 1
    return sent


@sweep("rights.case_deadlines", every_seconds=3600)
def case_deadlines():
    alert_due_cases()


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
        negotiation_step(n, "renewal_due", acting_user=None, on=today)
        link = reverse("admin:rights_negotiation_change", args=[n.pk])
        title = _("Renewal due: %(t)s expires on %(d)s") % {"t": n.title, "d": n.expires_on}
        for role in OFFICER_ROLES:
            notifications.notify(title=title, link=link, role=role, unit=n.unit)
        moved += 1
    return moved


@sweep("rights.contract_renewals", every_seconds=6 * 3600)
def contract_renewals():
    open_renewal_windows()
