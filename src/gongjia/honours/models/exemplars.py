"""Exemplars that are not a person's title: worker-pioneer units (a team, not a person) with
the bars the platform's records raise, the events that bar for three years, innovation studios
with their "seven haves", team, results and grants, named operation methods, and party
development among industrial workers (honours.md §4–6)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjia.honours.models.selections import Level
from gongjia.platform.keylists import KeyListField

SEVEN_HAVES = [  # honours.md §5 (Fujian and Xiamen rules): 七有
    ("plaque", _("a plaque")),
    ("place", _("a place")),
    ("rules", _("rules")),
    ("funds", _("funds")),
    ("team", _("a team")),
    ("ledger", _("a ledger")),
    ("results", _("results")),
]


class SafetyIncident(models.Model):
    """A safety accident, serious occupational hazard or mass incident at an enterprise, with
    its date: it bars the enterprise's teams from the pioneer title for three years from that
    date (honours.md §4)."""

    class Kind(models.TextChoices):
        ACCIDENT = "accident", _("Safety accident")
        HAZARD = "hazard", _("Serious occupational hazard")
        MASS = "mass", _("Mass incident")

    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="safety_incidents",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occurred_on = models.DateField(_("occurred on"))
    description = models.CharField(_("what happened"), max_length=300)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("The authority's finding or report it is from.")
    )

    class Meta:
        verbose_name = _("safety or mass incident")
        verbose_name_plural = _("safety and mass incidents")
        ordering = ["-occurred_on", "pk"]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()}"


class PioneerUnit(models.Model):
    """A worker-pioneer unit (工人先锋号): a team, section, workshop, department or service
    window of an enterprise, never a person; recommended by its union, examined against the
    bars of its year, named."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Team")
        SECTION = "section", _("Section")
        WORKSHOP = "workshop", _("Workshop")
        DEPARTMENT = "department", _("Department")
        WINDOW = "window", _("Service window")

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommended")
        NAMED = "named", _("Named")
        REFUSED = "refused", _("Not named")
        REVOKED = "revoked", _("Revoked")

    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="pioneer_units",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("recommending union"),
        on_delete=models.PROTECT,
        related_name="pioneer_units",
    )
    name = models.CharField(_("name of the team"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    deeds = models.TextField(_("deeds"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.RECOMMENDED,
        editable=False,
    )
    # The bars as found at the naming, written out (never shown as data).
    bars = models.JSONField(_("bars found"), default=list, blank=True, editable=False)
    named_on = models.DateField(_("named on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("worker-pioneer unit")
        verbose_name_plural = _("worker-pioneer units")
        ordering = ["-year", "pk"]
        permissions = [("approve_pioneerunit", _("Can name worker-pioneer units"))]
        indexes = [models.Index(fields=["status", "named_on"])]

    def __str__(self):
        return f"{self.enterprise}{self.name}"


class Studio(models.Model):
    """An innovation studio named after its leading model worker or craftsman, checked on the
    "seven haves", with its team, projects, results and grants; named, then re-confirmed
    periodically (honours.md §5)."""

    class Status(models.TextChoices):
        CREATING = "creating", _("Being created")
        APPLIED = "applied", _("Applied for naming")
        NAMED = "named", _("Named")
        LAPSED = "lapsed", _("Lapsed")

    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        "members.Member",
        verbose_name=_("leading model worker or craftsman"),
        on_delete=models.PROTECT,
        related_name="studios_led",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="studios"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    founded_on = models.DateField(_("created on"))
    haves = KeyListField(_("seven haves"), keys=SEVEN_HAVES, blank=True)
    projects = models.TextField(_("projects"), blank=True, default="")
    innovations = models.PositiveIntegerField(_("innovations"), default=0)
    patents = models.PositiveIntegerField(_("patents"), default=0)
    trained = models.PositiveIntegerField(_("people trained"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CREATING, editable=False
    )
    named_on = models.DateField(_("named on"), null=True, blank=True, editable=False)
    confirmed_until = models.DateField(_("confirmed until"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("innovation studio")
        verbose_name_plural = _("innovation studios")
        ordering = ["-founded_on", "pk"]
        permissions = [("approve_studio", _("Can name and re-confirm innovation studios"))]

    def __str__(self):
        return self.name


class StudioMember(models.Model):
    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.PROTECT, related_name="team"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=40, blank=True, default="")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("studio team member")
        verbose_name_plural = _("studio team")
        ordering = ["studio", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["studio", "member"], name="studio_member_once")
        ]

    def __str__(self):
        return f"{self.studio} · {self.member.name}"


class StudioGrant(models.Model):
    """A line of a studio's grant ledger (at naming, at re-confirmation, for a project);
    append-only, a correction is a negative line."""

    class Kind(models.TextChoices):
        NAMING = "naming", _("Grant at naming")
        RECONFIRMATION = "reconfirm", _("Grant at re-confirmation")
        PROJECT = "project", _("Project grant")
        CORRECTION = "correction", _("Correction")

    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.PROTECT, related_name="grants"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("studio grant")
        verbose_name_plural = _("studio grants")
        ordering = ["studio", "on", "pk"]

    def __str__(self):
        return f"{self.studio} · {self.get_kind_display()}"


class NamedMethod(models.Model):
    """An advanced operation method named after its first inventor ("<name>操作法"), with the
    eligibility of honours.md §6 found and explained, its documentation and the people
    trained in it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        NAMED = "named", _("Named")
        REFUSED = "refused", _("Not named")

    inventor = models.ForeignKey(
        "members.Member",
        verbose_name=_("first inventor"),
        on_delete=models.PROTECT,
        related_name="named_methods",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("recommending union"),
        on_delete=models.PROTECT,
        related_name="named_methods",
    )
    name = models.CharField(_("name"), max_length=100, editable=False)
    post = models.CharField(_("post"), max_length=60)
    frontline = models.BooleanField(_("the inventor works on the front line"), default=True)
    enterprise_head = models.BooleanField(_("the inventor heads the enterprise"), default=False)
    senior_title = models.BooleanField(_("the inventor holds a senior title"), default=False)
    doctorate = models.BooleanField(_("the inventor holds a doctorate"), default=False)
    higher_award = models.BooleanField(
        _("already awarded at a higher level"),
        default=False,
        help_text=_("A national or provincial science-and-technology prize for the same result."),
    )
    excluded = models.BooleanField(
        _("classified, disputed or medical"),
        default=False,
        help_text=_("Classified or IP-disputed results and medical methods are not named."),
    )
    results_since = models.DateField(_("results since"))
    documentation = models.TextField(_("the method written down"))
    trained = models.PositiveIntegerField(_("people trained in it"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, editable=False
    )
    eligibility = models.JSONField(_("eligibility"), default=list, blank=True, editable=False)
    named_on = models.DateField(_("named on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("named operation method")
        verbose_name_plural = _("named operation methods")
        ordering = ["-pk"]
        permissions = [("approve_namedmethod", _("Can name operation methods"))]

    def __str__(self):
        return self.name


class PartyDevelopment(models.Model):
    """An industrial worker's way into the party, recorded by the union's officers with the
    person's consent: political status is personal data (scoped, never exported in clear)."""

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="party_development",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    consent_on = models.DateField(_("consent given on"))
    applied_on = models.DateField(_("applied on"))
    activist_on = models.DateField(_("activist from"), null=True, blank=True)
    probationary_on = models.DateField(_("probationary member from"), null=True, blank=True)
    full_on = models.DateField(_("full member from"), null=True, blank=True)

    class Meta:
        verbose_name = _("party development")
        verbose_name_plural = _("party development")
        ordering = ["-applied_on", "pk"]
        indexes = [models.Index(fields=["probationary_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(activist_on__isnull=True) | Q(activist_on__gte=models.F("applied_on")),
                name="party_activist_after_application",
            ),
            models.CheckConstraint(
                condition=Q(probationary_on__isnull=True)
                | Q(activist_on__isnull=False, probationary_on__gte=models.F("activist_on")),
                name="party_probation_after_activist",
            ),
            models.CheckConstraint(
                condition=Q(full_on__isnull=True)
                | Q(probationary_on__isnull=False, full_on__gte=models.F("probationary_on")),
                name="party_full_after_probation",
            ),
        ]

    def __str__(self):
        return self.member.name
