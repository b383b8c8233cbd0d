"""Competitions, their events (one per trade), entries and the judges who mark them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjia.members.selectors import SkillLevel

WEIGHT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Trade(models.Model):
    """A trade (工种) competitions are held in: a dictionary the federation maintains, with
    the occupation's code in the national classification where it has one."""

    name = models.CharField(_("trade"), max_length=100, unique=True)
    occupation_code = models.CharField(
        _("occupation code"),
        max_length=20,
        blank=True,
        default="",
        help_text=_("The code in the national occupational classification, e.g. 6-31-01-03."),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("trade")
        verbose_name_plural = _("trades")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Competition(models.Model):
    """A skill competition (技术比武): held by the district, a town or street, or an
    enterprise; or a result of a higher level (city, provincial, national, WorldSkills)
    recorded for the people who took part."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        TOWN = "town", _("Town or street")
        ENTERPRISE = "enterprise", _("Enterprise")
        CITY = "city", _("City")
        PROVINCIAL = "provincial", _("Provincial")
        NATIONAL = "national", _("National")
        WORLDSKILLS = "worldskills", _("WorldSkills")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REGISTRATION = "registration", _("Open for registration")
        MARKING = "marking", _("Marking")
        REVIEW = "review", _("Results before the jury")
        PUBLISHED = "published", _("Results published")
        FROZEN = "frozen", _("Results final")
        REPORTED = "reported", _("Reported, to be checked")
        CHECKED = "checked", _("Report checked")
        CANCELLED = "cancelled", _("Cancelled")

    class Conflict(models.TextChoices):
        ENTERPRISE = "enterprise", _("No judge marks an entrant of their own enterprise")
        UNION = "union", _("Nor an entrant of their own enterprise's federation (town or street)")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    organiser = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="skill_competitions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=200, blank=True, default="")
    rulebook = models.TextField(_("rulebook"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    # Guided, not run by the district: reported with its events' participant counts and
    # evidence, checked by the town federation (the district's totals come from records).
    reported = models.BooleanField(_("reported to the federation"), default=False, editable=False)
    theory_weight = models.DecimalField(
        _("weight of the theory paper"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.3"),
        validators=WEIGHT,
    )
    practical_weight = models.DecimalField(
        _("weight of the practical"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.7"),
        validators=WEIGHT,
    )
    # Tie-break keys after the total, in order (marking.TIE_BREAKS): by default the higher
    # practical score, then the shorter practical time.
    tie_breaks = models.JSONField(_("tie-breaks"), default=list, blank=True)
    shared_ranks = models.BooleanField(
        _("shared ranks allowed"),
        default=False,
        help_text=_("Otherwise a tie that survives every tie-break goes to the jury."),
    )
    conflict_rule = models.CharField(
        _("conflict rule for judges"),
        max_length=12,
        choices=Conflict.choices,
        default=Conflict.ENTERPRISE,
    )
    award_rules = models.JSONField(_("award rules"), default=list, blank=True)
    promotion_rules = models.JSONField(_("promotion rules"), default=list, blank=True)
    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("jury"),
        blank=True,
        related_name="juries",
        help_text=_("Who may see the results before they are published, and publish them."),
    )
    published_on = models.DateField(_("results published on"), null=True, blank=True)
    appeals_until = models.DateField(_("appeals until"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("skill competition")
        verbose_name_plural = _("skill competitions")
        ordering = ["-year", "-starts_on"]
        indexes = [models.Index(fields=["year", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="competition_dates"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A competition cannot end before it starts.")})
        if self.starts_on and self.year and self.starts_on.year != self.year:
            raise ValidationError({"year": _("The year is the year the competition starts.")})
        if (
            self.theory_weight is not None
            and self.practical_weight is not None
            and self.theory_weight + self.practical_weight != 1
        ):
            raise ValidationError(
                {"practical_weight": _("The weights of theory and practical add up to 1.")}
            )

    @property
    def results_open(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.FROZEN)

    def on_jury(self, user) -> bool:
        """Whether `user` sits on the jury (read from `jury.all()`, so a prefetched list
        answers without a query)."""
        return any(u.pk == getattr(user, "pk", None) for u in self.jury.all())

    def results_visible_to(self, user) -> bool:
        """Results are confidential until the jury publishes them; the jury sees them before."""
        return self.results_open or self.on_jury(user)


class Event(models.Model):
    """One trade of a competition, at a skill level, for individuals or teams of three."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.PROTECT, related_name="events"
    )
    trade = models.ForeignKey(
        Trade, verbose_name=_("trade"), on_delete=models.PROTECT, related_name="events"
    )
    skill_level = models.PositiveSmallIntegerField(
        _("skill level"), choices=SkillLevel.choices, default=SkillLevel.NONE
    )
    team_size = models.PositiveSmallIntegerField(
        _("entrants per entry"),
        default=1,
        choices=[(1, _("Individual")), (3, _("Team of three"))],
    )
    practical_minutes = models.PositiveSmallIntegerField(
        _("practical time allowed (minutes)"), null=True, blank=True
    )
    # Eligibility as data: {"union_member": true, "min_age": 18, "max_age": 45, "min_level": 3,
    # "max_level": 6, "employer_in_district": true}; checked when an entry is registered.
    eligibility = models.JSONField(_("eligibility"), default=dict, blank=True)
    # A reported event (of a guided competition): the participants counted, no entries.
    participants_reported = models.PositiveIntegerField(
        _("participants (reported)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("competition event")
        verbose_name_plural = _("competition events")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "trade", "skill_level"], name="event_once_per_trade"
            )
        ]

    def __str__(self):
        return f"{self.competition} · {self.trade}"


class Entry(models.Model):
    """An individual or a team in an event, with its results once marked."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="entries"
    )
    number = models.PositiveIntegerField(_("competitor number"), editable=False)
    team_name = models.CharField(_("team"), max_length=100, blank=True, default="")
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skill_entries",
    )
    union = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="skill_entries",
        help_text=_("The union the entrants are members of."),
    )
    members = models.ManyToManyField(
        "members.Member",
        verbose_name=_("entrants"),
        related_name="skill_entries",
        through="Entrant",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.REGISTERED,
        editable=False,
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    theory = models.DecimalField(
        _("theory paper (out of 100)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    practical_seconds = models.PositiveIntegerField(_("practical time (s)"), null=True, blank=True)
    # The results, computed from the marks (actions.compute_results); exact totals are
    # recomputed from the marks, these are what the results page and the API read.
    practical = models.DecimalField(
        _("practical (out of 100)"), max_digits=12, decimal_places=6, null=True, editable=False
    )
    total = models.DecimalField(
        _("total"), max_digits=12, decimal_places=6, null=True, editable=False
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, editable=False)
    tied = models.BooleanField(_("tie for the jury"), default=False, editable=False)
    jury_place = models.PositiveIntegerField(
        _("place decided by the jury"), null=True, blank=True, editable=False
    )
    award = models.CharField(_("award"), max_length=20, blank=True, default="", editable=False)
    standardised = models.DecimalField(
        _("standardised score"), max_digits=8, decimal_places=2, null=True, editable=False
    )

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="entry_number"),
        ]

    def __str__(self):
        return f"{self.event.trade} #{self.number}" + (
            f" {self.team_name}" if self.team_name else ""
        )


class Entrant(models.Model):
    """A member in an entry (one for an individual, three for a team)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="entrants"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    # The entry's event again, so that one person enters an event once (a constraint).
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("entrant")
        verbose_name_plural = _("entrants")
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="entrant_once"),
        ]

    def __str__(self):
        return str(self.member)


class Judge(models.Model):
    """A person who marks, with the enterprises they declare being affiliated with (judges never
    mark entrants of those)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="judge",
    )
    name = models.CharField(_("full name"), max_length=50)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    affiliations = models.ManyToManyField(
        "orgs.Enterprise",
        verbose_name=_("declared affiliations"),
        blank=True,
        related_name="+",
    )
    qualification = models.CharField(_("qualification"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")

    def __str__(self):
        return self.name


class PanelSeat(models.Model):
    """A judge on an event's panel (the chief referee confirms rechecks)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="panel"
    )
    judge = models.ForeignKey(
        Judge, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="seats"
    )
    chief = models.BooleanField(_("chief referee"), default=False)

    class Meta:
        verbose_name = _("panel seat")
        verbose_name_plural = _("panel seats")
        constraints = [
            models.UniqueConstraint(fields=["event", "judge"], name="panel_seat_once"),
        ]

    def __str__(self):
        return f"{self.event} · {self.judge}"
