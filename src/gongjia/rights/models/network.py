"""Rights protection: the station network, the legal service team, the agencies of "1+X",
legal talks. (Dispute cases and collective negotiation live in their own modules.)"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjia.platform.pii import PhoneField


class Station(models.Model):
    """A workers' rights station (职工维权站) or room (维权室) and the villages it serves."""

    class Kind(models.TextChoices):
        STATION = "station", _("Rights station")
        ROOM = "room", _("Rights room")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.STATION)
    host = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("host unit"),
        on_delete=models.PROTECT,
        related_name="rights_stations",
    )
    address = models.CharField(_("address"), max_length=200)
    hours = models.CharField(
        _("opening hours"), max_length=100, help_text=_("For example: 工作日 8:30-17:00")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    serves = models.ManyToManyField(
        "orgs.Region",
        verbose_name=_("villages and communities served"),
        related_name="rights_stations",
        blank=True,
        limit_choices_to={"level": "village"},
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    active = models.BooleanField(_("in service"), default=True)
    closed_on = models.DateField(
        pgettext_lazy("station", "closed on"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the station leaves service (today unless given); kept for the "
            "figures of past years."
        ),
    )

    class Meta:
        verbose_name = _("rights station")
        verbose_name_plural = _("rights stations")
        constraints = [models.UniqueConstraint(fields=["host", "name"], name="station_name")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": _("A station cannot close before it opened.")})
        if self.closed_on and self.closed_on > timezone.localdate():
            raise ValidationError({"closed_on": _("Give the day the station left service.")})


class TeamMember(models.Model):
    """A member of the legal service team: lawyer, regional chief maintainer (首席维护员),
    union labour-law supervisor (劳动法律监督员) or mediator."""

    class Kind(models.TextChoices):
        LAWYER = "lawyer", _("Lawyer")
        CHIEF_MAINTAINER = "chief_maintainer", _("Regional chief maintainer")
        LAW_SUPERVISOR = "law_supervisor", _("Union labour-law supervisor")
        MEDIATOR = "mediator", _("Mediator")

    kind = models.CharField(_("role in the team"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("full name"), max_length=50)
    mobile = PhoneField(_("mobile"), max_length=20, blank=True, default="")
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="rights_team",
        help_text=_("The federation or union the person works for in the team."),
    )
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("town or street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Required for regional chief maintainers."),
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    firm = models.CharField(_("law firm"), max_length=200, blank=True, default="")
    licence_number = models.CharField(
        _("practising licence number"), max_length=17, blank=True, default=""
    )
    credential_number = models.CharField(
        _("credential number"), max_length=50, blank=True, default=""
    )
    valid_from = models.DateField(_("credential valid from"), null=True, blank=True)
    valid_until = models.DateField(_("credential valid until"), null=True, blank=True)
    stations = models.ManyToManyField(
        Station, verbose_name=_("stations"), related_name="staff", blank=True
    )
    areas = models.ManyToManyField(
        "orgs.Region", verbose_name=_("areas served"), related_name="+", blank=True
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rights_roles",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("legal service team member")
        verbose_name_plural = _("legal service team")
        indexes = [models.Index(fields=["kind", "active"], name="team_kind_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="team_credential_dates",
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"

    def clean(self):
        errors = {}
        if self.kind == self.Kind.LAWYER:
            if not self.firm:
                errors["firm"] = _("A lawyer's law firm is required.")
            if not self.licence_number:
                errors["licence_number"] = _("A lawyer's practising licence number is required.")
            elif not (self.licence_number.isdigit() and len(self.licence_number) == 17):
                errors["licence_number"] = _("A practising licence number has 17 digits.")
        if self.kind == self.Kind.CHIEF_MAINTAINER and (
            self.region_id is None or self.region.level != "town"
        ):
            errors["region"] = _("Choose the town or street this chief maintainer covers.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The credential cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def credential_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class DutyShift(models.Model):
    """One team member on duty at a station for a day or half a day (值班表)."""

    class Period(models.TextChoices):
        MORNING = "am", _("Morning")
        AFTERNOON = "pm", _("Afternoon")
        DAY = "day", _("All day")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="shifts"
    )
    member = models.ForeignKey(
        TeamMember, verbose_name=_("team member"), on_delete=models.PROTECT, related_name="shifts"
    )
    on = models.DateField(_("date"))
    period = models.CharField(_("period"), max_length=3, choices=Period.choices, default="day")

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty roster")
        ordering = ["on", "station"]
        constraints = [
            models.UniqueConstraint(fields=["member", "on", "period"], name="one_shift_at_a_time")
        ]

    def __str__(self):
        return f"{self.station} · {self.on} · {self.member.name}"


class Agency(models.Model):
    """A participating agency of the "1+X" mechanism: data with dates, never a constant."""

    class Kind(models.TextChoices):
        UNION = "union", _("Trade union")
        PEOPLES_MEDIATION = "peoples_mediation", _("People's mediation committee")
        ENTERPRISE_MEDIATION = "enterprise_mediation", _("Enterprise mediation committee")
        TOWNSHIP = "township", _("Township or street body")
        ARBITRATION = "arbitration", _("Labour dispute arbitration committee")
        COURT = "court", _("Court")
        PROCURATORATE = "procuratorate", _("Procuratorate")
        JUSTICE_BUREAU = "justice_bureau", _("Justice bureau")
        HRSS = "hrss", _("Human resources and social security bureau")
        LAW_FIRM = "law_firm", _("Law firm")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("listed by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The federation whose mechanism the agency takes part in."),
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True, default="")
    effective_from = models.DateField(_("taking part from"))
    effective_until = models.DateField(_("taking part until"), null=True, blank=True)

    class Meta:
        verbose_name = _("participating agency")
        verbose_name_plural = _("participating agencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="agency_dates",
            )
        ]

    def __str__(self):
        return self.name


class LegalTalk(models.Model):
    """A legal talk (法律宣讲) to workers."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    venue = models.CharField(_("venue"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=100)
    topic = models.CharField(_("topic"), max_length=200)
    audience = models.PositiveIntegerField(_("audience"))
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("legal talk")
        verbose_name_plural = _("legal talks")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.held_on} {self.topic}"
