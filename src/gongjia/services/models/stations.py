"""Outdoor workers' rest stations (爱心驿家): hosts, hours, facilities, a public list on the
workers' phones, visits reported by the hosts and yearly checks."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjia.platform.keylists import KeyListField

FACILITIES = [
    ("water", _("drinking water")),
    ("microwave", _("microwave")),
    ("charging", _("phone and e-bike charging")),
    ("toilet", _("toilet")),
    ("seats", _("rest seats")),
    ("first_aid", _("first-aid kit")),
]


class RestStation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    host = models.CharField(
        _("host"),
        max_length=200,
        help_text=_("The shop, bank, office or enterprise that hosts it."),
    )
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("town or street"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200)
    hours = models.CharField(_("opening hours"), max_length=100)
    facilities = KeyListField(_("facilities"), keys=FACILITIES, blank=True)
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("rest station")
        verbose_name_plural = _("rest stations")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class StationVisits(models.Model):
    station = models.ForeignKey(
        RestStation, verbose_name=_("rest station"), on_delete=models.PROTECT, related_name="visits"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    visits = models.PositiveIntegerField(_("visits"))

    class Meta:
        verbose_name = _("visits reported")
        verbose_name_plural = _("visits reported")
        ordering = ["-month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["station", "month"], name="one_visit_count_a_month")
        ]

    def __str__(self):
        return f"{self.station} · {self.month:%Y-%m}"


class StationCheck(models.Model):
    station = models.ForeignKey(
        RestStation, verbose_name=_("rest station"), on_delete=models.PROTECT, related_name="checks"
    )
    checked_on = models.DateField(_("checked on"))
    facilities = KeyListField(_("facilities found"), keys=FACILITIES, blank=True)
    passed = models.BooleanField(_("passed"))
    findings = models.CharField(_("findings"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("yearly check")
        verbose_name_plural = _("yearly checks")
        ordering = ["-checked_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(passed=True) | ~Q(findings=""), name="failed_check_says_why"
            )
        ]

    def __str__(self):
        return f"{self.station} · {self.checked_on}"
