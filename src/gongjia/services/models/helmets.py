"""The helmet campaign (一盔一带, from 1 June 2020): a stock ledger by batch, helmets issued to
members, shared-helmet points, persuasion posts with volunteers' shifts and their logs, gate
counts of riders, and the reconciliation of each period (services.md §3). The union educates,
persuades and gives or lends helmets; it fines nobody."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gongjia.platform import parameters


class HelmetPeriod(models.Model):
    """A stock period of one union: closed only when the count on the shelf reconciles."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    opening = models.PositiveIntegerField(_("opening stock"), default=0, editable=False)
    counted = models.PositiveIntegerField(
        _("closing stock counted"),
        null=True,
        blank=True,
        help_text=_("The helmets on the shelf at the end."),
    )
    closing = models.PositiveIntegerField(_("closing stock"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, editable=False
    )

    class Meta:
        verbose_name = _("helmet stock period")
        verbose_name_plural = _("helmet stock periods")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="period_in_order"
            ),
            models.UniqueConstraint(fields=["unit", "starts_on"], name="one_period_start"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.name}"


class HelmetBatch(models.Model):
    """Helmets received: one line of the stock ledger."""

    class Type(models.TextChoices):
        A = "A", _("Type A (motorcycles and e-bikes)")
        B = "B", _("Type B (e-bikes only)")

    class Standard(models.TextChoices):
        # The standard's own designation, the same in every language.
        GB811_2022 = "GB 811-2022", "GB 811-2022"
        GB811_2010 = "GB 811-2010", "GB 811-2010"

    class Fund(models.TextChoices):
        UNION = "union", _("Union funds")
        EMPLOYER = "employer", _("Employer")
        DONATION = "donation", _("Donation")
        GOVERNMENT = "government", _("Government")

    period = models.ForeignKey(
        HelmetPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="batches"
    )
    received_on = models.DateField(_("received on"))
    supplier = models.CharField(_("supplier"), max_length=200)
    model = models.CharField(_("model"), max_length=60)
    type = models.CharField(_("type"), max_length=1, choices=Type.choices)
    size = models.CharField(_("size"), max_length=10)
    standard = models.CharField(_("standard"), max_length=12, choices=Standard.choices)
    ccc_number = models.CharField(_("CCC certificate number"), max_length=40)
    produced_on = models.DateField(_("produced on"))
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_fen = models.PositiveIntegerField(_("unit price (fen)"))
    fund = models.CharField(_("fund source"), max_length=10, choices=Fund.choices)

    class Meta:
        verbose_name = _("helmet batch")
        verbose_name_plural = _("helmet stock")
        ordering = ["-received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="batch_quantity")]

    def __str__(self):
        return f"{self.model} {self.size} · {self.received_on}"

    def clean(self):
        errors = {}
        if self.received_on:
            allowed = parameters.value("services.helmets.standards", self.received_on)
            if self.standard and self.standard not in allowed:
                errors["standard"] = _("Helmets received on %(d)s must meet %(s)s.") % {
                    "d": self.received_on,
                    "s": "、".join(allowed),
                }
        if self.produced_on and self.received_on and self.produced_on > self.received_on:
            errors["produced_on"] = _("A helmet is produced before it is received.")
        if self.period_id and self.received_on:
            p = self.period
            if not p.starts_on <= self.received_on <= p.ends_on:
                errors["received_on"] = _("Choose a day within the period %(p)s.") % {"p": p.name}
            elif p.status != HelmetPeriod.Status.OPEN:
                errors["period"] = _("The period is closed.")
        if errors:
            raise ValidationError(errors)


class HelmetIssue(models.Model):
    """A helmet given to a member: one per person per period of the parameter; a replacement
    within it says why."""

    class Replacement(models.TextChoices):
        NONE = "", _("First helmet")
        DAMAGED = "damaged", _("Damaged")
        LOST = "lost", _("Lost or stolen")
        AGED = "aged", _("Past its service life")
        SIZE = "size", _("Wrong size")

    batch = models.ForeignKey(
        HelmetBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="issues"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"))
    signed = models.BooleanField(_("signed for"), default=True)
    replacement = models.CharField(
        _("replacement"), max_length=8, choices=Replacement.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("helmet issued")
        verbose_name_plural = _("helmets issued")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["member", "issued_on"])]

    def __str__(self):
        return f"{self.member} · {self.issued_on}"


class SharedPoint(models.Model):
    """A point lending shared helmets free of charge."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    opened_on = models.DateField(_("opened on"))

    class Meta:
        verbose_name = _("shared-helmet point")
        verbose_name_plural = _("shared-helmet points")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class SharedMove(models.Model):
    class Kind(models.TextChoices):
        STOCKED = "stocked", _("Placed at the point")
        LENT = "lent", _("Lent")
        RETURNED = "returned", _("Returned")
        CLEANED = "cleaned", _("Cleaned")
        WRITTEN_OFF = "written_off", _("Written off")

    point = models.ForeignKey(
        SharedPoint, verbose_name=_("point"), on_delete=models.PROTECT, related_name="moves"
    )
    batch = models.ForeignKey(
        HelmetBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="shared_moves"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("date"))
    quantity = models.PositiveIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("shared-helmet movement")
        verbose_name_plural = _("shared-helmet movements")
        ordering = ["-on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="move_quantity")]

    def __str__(self):
        return f"{self.point} · {self.get_kind_display()}"


class PersuasionPost(models.Model):
    """A persuasion post (劝导岗), staffed with the traffic police."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200)
    partner = models.CharField(_("traffic police partner"), max_length=100, blank=True, default="")
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        verbose_name = _("persuasion post")
        verbose_name_plural = _("persuasion posts")
        ordering = ["place", "pk"]

    def __str__(self):
        return self.place


class Shift(models.Model):
    post = models.ForeignKey(
        PersuasionPost, verbose_name=_("post"), on_delete=models.PROTECT, related_name="shifts"
    )
    on = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    places = models.PositiveSmallIntegerField(_("volunteers wanted"))

    class Meta:
        verbose_name = _("volunteer shift")
        verbose_name_plural = _("volunteer shifts")
        ordering = ["on", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_in_order"),
            models.CheckConstraint(condition=Q(places__gt=0), name="shift_places"),
        ]

    def __str__(self):
        return f"{self.post} · {self.on} {self.starts_at:%H:%M}"


class Volunteer(models.Model):
    """A member signed up for a shift, checked in on their phone at the post."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="volunteers"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    signed_up_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True, editable=False)
    withdrawn = models.BooleanField(_("withdrawn"), default=False, editable=False)

    class Meta:
        verbose_name = _("shift volunteer")
        verbose_name_plural = _("shift volunteers")
        ordering = ["shift", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "member"], name="one_signup_per_shift")
        ]

    def __str__(self):
        return f"{self.shift} · {self.member}"


class PostLog(models.Model):
    post = models.ForeignKey(
        PersuasionPost, verbose_name=_("post"), on_delete=models.PROTECT, related_name="logs"
    )
    on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours on duty"), max_digits=4, decimal_places=1)
    staff = models.PositiveSmallIntegerField(_("staff on duty"))
    observed = models.PositiveIntegerField(_("riders observed"))
    without_helmet = models.PositiveIntegerField(_("riders without a helmet"))
    persuaded = models.PositiveIntegerField(_("riders persuaded"))
    lent = models.PositiveIntegerField(_("helmets lent"), default=0)

    class Meta:
        verbose_name = _("post log")
        verbose_name_plural = _("post logs")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(without_helmet__lte=F("observed")), name="log_without_within_observed"
            ),
            models.CheckConstraint(
                condition=Q(persuaded__lte=F("without_helmet")),
                name="log_persuaded_within_without",
            ),
        ]

    def __str__(self):
        return f"{self.post} · {self.on}"


class GateCount(models.Model):
    """Riders counted at an enterprise's gate: the wearing rate is wearing ÷ observed; the riders
    among its workers are the base of coverage."""

    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("date"))
    riders = models.PositiveIntegerField(_("workers who ride"))
    observed = models.PositiveIntegerField(_("riders observed at the gate"))
    wearing = models.PositiveIntegerField(_("riders wearing a helmet"))

    class Meta:
        verbose_name = _("gate count")
        verbose_name_plural = _("gate counts")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wearing__lte=F("observed")), name="gate_wearing_within_observed"
            )
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.on}"
