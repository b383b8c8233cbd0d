"""Free recuperation stays and free health checks (honours.md §7, services.md §5): batches with
their capacity, dates and cost, the applications, the allocation in the published order, and
attendance. A health check's results stay with the worker and the institution: none is kept."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CareBatch(models.Model):
    """A recuperation batch (a week at a destination for so many people) or a health-check
    campaign (an institution, its days, its places)."""

    class Kind(models.TextChoices):
        RECUPERATION = "recuperation", _("Free recuperation")
        HEALTH_CHECK = "health_check", _("Free health check")

    class Status(models.TextChoices):
        OPEN = "open", _("Taking applications")
        ALLOCATED = "allocated", _("Places allocated")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    organiser = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="care_batches",
    )
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(_("destination or institution"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    days = models.PositiveSmallIntegerField(
        _("days (with travel)"), validators=[MinValueValidator(1)]
    )
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    cost_fen = models.PositiveIntegerField(_("cost per person (fen)"))
    paired_region = models.BooleanField(
        _("paired-assistance region"),
        default=False,
        help_text=_("Stays in a paired-assistance region may run longer."),
    )
    applications_until = models.DateField(_("applications until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    allocated_on = models.DateField(_("allocated on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("recuperation or health-check batch")
        verbose_name_plural = _("recuperation and health-check batches")
        ordering = ["-starts_on", "pk"]
        permissions = [("allocate_carebatch", _("Can allocate recuperation and check places"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_until__lte=models.F("starts_on")),
                name="care_applications_before_start",
            )
        ]

    def __str__(self):
        return self.name


class CareApplication(models.Model):
    """A worker's application for a place, with what the allocation order reads: their time in
    the post, a front-line or hardship post, key-project work, and the time they applied."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ALLOCATED = "allocated", _("Place allocated")
        WAITLISTED = "waitlisted", _("On the waiting list")
        INELIGIBLE = "ineligible", _("Not eligible")
        CAPPED = "capped", _("Over the yearly limit")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Did not attend")
        WITHDRAWN = "withdrawn", pgettext_lazy("care application", "Withdrawn")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        OFFICE = "office", _("Through the union")

    batch = models.ForeignKey(
        CareBatch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="care_applications",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(
        _("applied"), max_length=6, choices=Channel.choices, default=Channel.OFFICE
    )
    applied_at = models.DateTimeField(_("applied at"))
    post_since = models.DateField(_("in the post since"))
    frontline = models.BooleanField(_("front-line or hardship post"), default=False)
    key_project = models.BooleanField(_("works on a key project"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED, editable=False
    )
    position = models.PositiveIntegerField(
        _("place in the order"), null=True, blank=True, editable=False
    )
    reason = models.CharField(_("why"), max_length=300, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("place application")
        verbose_name_plural = _("place applications")
        ordering = ["batch", "position", "applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "member"], name="care_applied_once")
        ]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self):
        return f"{self.batch} · {self.member.name}"
