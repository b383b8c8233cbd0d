"""Employment assistance (就业援助, the federation's "四季如春" actions): campaigns and fairs as
dated records, postings whose wording is checked, job seekers with the certification the public
employment service issued, and placements followed to six months of stable work (services.md §2).
The union never certifies, and never computes the government's urban-new-jobs figure."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gongjia.platform import parameters
from gongjia.platform.pii import BlindIndexField, ProtectedField


class Campaign(models.Model):
    class Kind(models.TextChoices):
        SPRING_WIND = "spring_wind", _("Spring Wind action (national)")
        AID_MONTH = "aid_month", _("Employment assistance month (national)")
        UNION_POSTS = "union_posts", _("Union job-service series (春风送岗)")
        SEASONS = "seasons", _("Four Seasons Like Spring quarterly action")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    content = models.TextField(_("content"), blank=True, default="")

    class Meta:
        verbose_name = _("employment campaign")
        verbose_name_plural = _("employment campaigns")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_in_order"
            )
        ]

    def __str__(self):
        return self.name


class Fair(models.Model):
    """A job fair's own figures: they are never added to placements."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fairs",
    )
    held_on = models.DateField(_("held on"))
    venue = models.CharField(_("venue"), max_length=200)
    employers = models.PositiveIntegerField(_("employers"), default=0)
    posts = models.PositiveIntegerField(_("posts offered"), default=0)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
    intentions = models.PositiveIntegerField(_("intentions signed"), default=0)
    hires = models.PositiveIntegerField(_("hires reported"), default=0)

    class Meta:
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        ordering = ["-held_on", "pk"]

    def __str__(self):
        return f"{self.venue} · {self.held_on}"


class Posting(models.Model):
    class Contract(models.TextChoices):
        FIXED = "fixed", _("Fixed-term contract")
        OPEN = "open", _("Open-ended contract")
        TASK = "task", _("Contract for a task")
        PART_TIME = "part_time", _("Part-time")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="job_postings",
        help_text=_("Verified by its unified social credit code."),
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    fair = models.ForeignKey(
        Fair,
        verbose_name=_("job fair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    occupation = models.CharField(_("occupation"), max_length=100)
    skill_level = models.PositiveSmallIntegerField(
        _("skill level wanted"),
        null=True,
        blank=True,
        help_text=_("5 is the entry level, 1 the highest (senior technician)."),
    )
    openings = models.PositiveIntegerField(_("number of posts"))
    pay_min = models.PositiveIntegerField(_("monthly pay from (yuan)"))
    pay_max = models.PositiveIntegerField(_("monthly pay up to (yuan)"))
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("place of work"), on_delete=models.PROTECT, related_name="+"
    )
    weekly_hours = models.PositiveSmallIntegerField(_("hours a week"))
    contract = models.CharField(_("contract"), max_length=10, choices=Contract.choices)
    insurance = models.BooleanField(_("social insurance paid"), default=True)
    accommodation = models.BooleanField(_("accommodation offered"), default=False)
    requirements = models.TextField(_("requirements"), blank=True, default="")
    posted_on = models.DateField(_("posted on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["-posted_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(pay_max__gte=F("pay_min")), name="pay_in_order"),
            models.CheckConstraint(condition=Q(openings__gt=0), name="posting_has_posts"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.occupation}"

    def clean(self):
        # EPL arts. 3, 27–31: discriminatory wording blocks the posting, naming the words.
        found = discriminatory_terms(
            " ".join([self.occupation or "", self.requirements or ""]), self.posted_on
        )
        if found:
            raise ValidationError(
                {
                    "requirements": _(
                        "The posting discriminates (Employment Promotion Law arts. 3, 27–31): "
                        "remove “%(t)s”."
                    )
                    % {"t": "”“".join(found)}
                }
            )


def discriminatory_terms(text: str, on) -> list[str]:
    terms = parameters.value("services.employment.discriminatory_terms", on)
    return [t for t in terms if t in text]


class Seeker(models.Model):
    """A person the union helps into work: a member, or a member of an archived hardship
    household. The certification is the public employment service's, stored as issued."""

    class Category(models.TextChoices):
        # The Zhejiang list of 2025 (浙人社发〔2025〕59号); older lists stay readable.
        OLDER = "older", _("Older unemployed")
        ZERO_HOUSEHOLD = "zero_household", _("Zero-employment household")
        LONG_TERM = "long_term", _("Long-term unemployed")
        LOW_INCOME = "low_income", _("Low-income (低保 or edge) household")
        DISABLED = "disabled", _("Disabled")
        OTHER = "other", _("Other category approved by the province")
        INSURANCE_YEAR = "insurance_year", _("Unemployment insurance over a year (older list)")
        FOUR_FIFTY = "four_fifty", _("Women over 40, men over 50 (older list)")

    class Accommodation(models.TextChoices):
        NONE = "none", _("Not needed")
        NEEDED = "needed", _("Needed")

    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("responsible union"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("union member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    household_member = models.ForeignKey(
        "assistance.HouseholdMember",
        verbose_name=_("member of a hardship household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("full name"), max_length=50)
    id_number = ProtectedField(_("ID number"))
    # One record per person: counting placements per person rests on it.
    id_number_bidx = BlindIndexField(source="id_number", db_index=False)
    # The certification as the public employment service issued it.
    category = models.CharField(_("category certified"), max_length=16, choices=Category.choices)
    certified_on = models.DateField(_("certified on"))
    certified_by = models.CharField(_("certifying office"), max_length=100)
    certificate_number = models.CharField(_("record number"), max_length=40)
    exited_on = models.DateField(_("exit date"), null=True, blank=True)
    # What the worker wants, for the ranking of offers.
    occupation = models.CharField(_("occupation wanted"), max_length=100)
    skill_level = models.PositiveSmallIntegerField(_("skill level held"), null=True, blank=True)
    home_region = models.ForeignKey(
        "orgs.Region", verbose_name=_("lives in"), on_delete=models.PROTECT, related_name="+"
    )
    pay_wanted = models.PositiveIntegerField(_("monthly pay wanted (yuan)"))
    hours_wanted = models.PositiveSmallIntegerField(_("hours a week at most"), default=44)
    accommodation = models.CharField(
        _("accommodation"), max_length=8, choices=Accommodation.choices, default="none"
    )
    officer = models.ForeignKey(
        "accounts.User",
        verbose_name=_("responsible officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_on = models.DateField(_("registered with the union on"))

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        ordering = ["-registered_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_bidx"], name="one_seeker_per_person")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # Members and members of archived hardship households come first; others are not
        # the union's to register.
        if bool(self.member_id) == bool(self.household_member_id):
            raise ValidationError(
                _("Choose the union member or the member of a hardship household (one of them).")
            )


class Placement(models.Model):
    """One referral and what became of it: referred → hired with evidence → stable at 3 months →
    stable at 6 months → closed; a job lost goes back to referred."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        HIRED = "hired", _("Hired")
        STABLE_3 = "stable_3", _("Stable for 3 months")
        STABLE_6 = "stable_6", _("Stable for 6 months")
        CLOSED = "closed", _("Closed")
        DROPPED = "dropped", _("Not taken up")

    class Evidence(models.TextChoices):
        CONTRACT = "contract", _("Labour contract")
        INSURANCE = "insurance", _("Social insurance record")
        EMPLOYER = "employer", _("Employer's confirmation")

    seeker = models.ForeignKey(
        Seeker, verbose_name=_("job seeker"), on_delete=models.PROTECT, related_name="placements"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    posting = models.ForeignKey(
        Posting,
        verbose_name=_("posting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REFERRED, editable=False
    )
    hired_on = models.DateField(_("started work on"), null=True, blank=True)
    evidence = models.CharField(
        _("evidence of hiring"), max_length=10, choices=Evidence.choices, blank=True, default=""
    )
    evidence_reference = models.CharField(
        _("evidence reference"), max_length=100, blank=True, default=""
    )
    next_check_on = models.DateField(_("next check on"), null=True, blank=True, editable=False)
    stable_3_on = models.DateField(
        _("stable at 3 months on"), null=True, blank=True, editable=False
    )
    stable_6_on = models.DateField(
        _("stable at 6 months on"), null=True, blank=True, editable=False
    )
    lost_on = models.DateField(_("job lost on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["status", "next_check_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hired_on__isnull=True) | ~Q(evidence=""),
                name="hire_has_evidence",
            )
        ]

    def __str__(self):
        return f"{self.seeker} · {self.enterprise}"


class Hire(models.Model):
    """A start of work with its evidence: union-assisted placements are the distinct persons
    hired in the year (services.md §2), however many times the same person is hired."""

    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="hires"
    )
    seeker = models.ForeignKey(
        Seeker, verbose_name=_("job seeker"), on_delete=models.PROTECT, related_name="hires"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    hired_on = models.DateField(_("started work on"))
    evidence = models.CharField(
        _("evidence of hiring"), max_length=10, choices=Placement.Evidence.choices
    )
    evidence_reference = models.CharField(_("evidence reference"), max_length=100)

    class Meta:
        verbose_name = _("hire")
        verbose_name_plural = _("hires")
        ordering = ["-hired_on", "-pk"]
        indexes = [models.Index(fields=["hired_on", "seeker"])]

    def __str__(self):
        return f"{self.seeker} · {self.hired_on}"


class ZeroHousehold(models.Model):
    """A zero-employment household confirmed by the street or community office: at least one
    member in a suitable job within one month (EPL art. 56; labour-ministry notices)."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    seeker = models.ForeignKey(
        Seeker,
        verbose_name=_("member of the household"),
        on_delete=models.PROTECT,
        related_name="zero_households",
    )
    confirmed_on = models.DateField(_("confirmed on"))
    confirmed_by = models.CharField(_("confirming office"), max_length=100)
    due_on = models.DateField(_("a job by"), editable=False)

    class Meta:
        verbose_name = _("zero-employment household")
        verbose_name_plural = _("zero-employment households")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.seeker} · {self.confirmed_on}"


class ExternalFigure(models.Model):
    """A figure the government publishes (城镇新增就业): stored with its source, never computed."""

    class Key(models.TextChoices):
        URBAN_NEW_JOBS = "urban_new_jobs", _("New urban jobs (government statistic)")

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(_("figure"), max_length=20, choices=Key.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveIntegerField(_("value"))
    source = models.CharField(_("source"), max_length=200)
    published_on = models.DateField(_("published on"))

    class Meta:
        verbose_name = _("external figure")
        verbose_name_plural = _("external figures")
        ordering = ["-year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "key", "year"], name="one_external_figure")
        ]

    def __str__(self):
        return f"{self.get_key_display()} {self.year}"
