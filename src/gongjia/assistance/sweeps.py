"""The assistance sweeps: monthly re-grading of unemployment risk, the yearly reviews, and
overdue visits of one-to-one helpers."""

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.assistance.actions import open_annual_reviews
from gongjia.assistance.models import Pairing
from gongjia.assistance.risk import regrade_all
from gongjia.platform import notifications
from gongjia.platform.batches import in_batches
from gongjia.platform.worker import sweep

OFFICER_ROLES = ("town_officer", "district_admin")


@sweep("assistance.risk_grades", every_seconds=30 * 24 * 3600)
def monthly_risk_grades():
    regrade_all()


@sweep("assistance.annual_reviews", every_seconds=24 * 3600)
def annual_reviews():
    # Daily, idempotent: the year's reviews open on its first run and households archived later
    # in the year get theirs the next day.
    open_annual_reviews()


def alert_overdue_visits(today: dt.date | None = None) -> int:
    """Tell the helper and their unit's officers once per missed visit."""
    today = today or timezone.localdate()
    sent = 0
    due = Pairing.objects.filter(ended_on=None, next_visit_on__lt=today).filter(
        Q(alerted_for=None) | ~Q(alerted_for=F("next_visit_on"))
    )
    for p in in_batches(due.select_related("household", "helper", "helper_unit")):
        # Claimed first: a second sweep running at the same moment finds it taken.
        if (
            not Pairing.objects.filter(pk=p.pk, next_visit_on=p.next_visit_on)
            .exclude(alerted_for=p.next_visit_on)
            .update(alerted_for=p.next_visit_on)
        ):
            continue
        title = _("Visit overdue: %(h)s was due a visit on %(d)s") % {
            "h": p.household.number,
            "d": p.next_visit_on,
        }
        link = reverse("admin:assistance_pairing_change", args=[p.pk])
        notifications.notify(title=title, link=link, users=[p.helper])
        for role in OFFICER_ROLES:
            notifications.notify(title=title, link=link, role=role, unit=p.helper_unit)
        sent += 1
    return sent


@sweep("assistance.overdue_visits", every_seconds=6 * 3600)
def overdue_visits():
    alert_overdue_visits()
