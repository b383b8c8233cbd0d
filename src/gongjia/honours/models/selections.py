"""Selections of model workers, May Day medals and technical leaders (honours.md §1–3): the
programme as data, a batch with its places and share rules, the nominations with their evidence
and the departments' clearance, objections during the notice, the honouree register, and the
posts exemplars hold in mass organisations."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjia.platform.pii import PhoneField


class Level(models.IntegerChoices):
    """The level of an honour; a higher one normally needs the next-lower one (the honour
    base, honours.md §3)."""

    ENTERPRISE = 0, _("Enterprise or town")
    DISTRICT = 1, _("District")
    CITY = 2, _("City")
    PROVINCE = 3, _("Province")
    NATIONAL = 4, _("National")


class Programme(models.Model):
    """An honour as data: what it is, its level, the honour it normally builds on, and the
    defaults a new batch takes (share rules, the clearing departments, the notice)."""

    class Kind(models.TextChoices):
        MODEL_WORKER = "model_worker", _("Model worker")
        MAYDAY_MEDAL = "mayday_medal", _("May Day labour medal")
        MAYDAY_CERTIFICATE = "mayday_cert", _("May Day labour certificate")
        TECH_LEADER = "tech_leader", _("Vocational technical leader")
        PIONEER = "pioneer", _("Worker-pioneer unit")
        OTHER = "other", _("Other honour")

    organiser = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="honour_programmes",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    builds_on = models.ForeignKey(
        "self",
        verbose_name=_("builds on (honour base)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The next-lower title a nominee normally holds already."),
    )
    base_required = models.BooleanField(
        _("honour base required"),
        default=False,
        help_text=_("Refuse nominees without the next-lower title (otherwise it is shown)."),
    )
    # [{"category", "op", "pct" | "count", "base"}]: see honours.quota
    rules = models.JSONField(_("share rules"), default=list, blank=True)
    departments = models.JSONField(_("clearing departments"), default=list, blank=True)
    notice_working_days = models.PositiveSmallIntegerField(_("public notice (working days)"))
    benefits = models.TextField(_("benefits"), blank=True, default="")
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("honour programme")
        verbose_name_plural = _("honour programmes")
        ordering = ["-level", "name"]

    def __str__(self):
        return self.name


class Batch(models.Model):
    """One selection of a programme by an organising unit (2020年区劳动模范评选): its places,
    its share rules and caps, the departments that clear nominees, its notice."""

    class Status(models.TextChoices):
        ASSEMBLING = "assembling", _("Being assembled")
        CLEARANCE = "clearance", _("With the departments for clearance")
        NOTICE = "notice", _("Public notice")
        APPROVED = "approved", _("Approved and awarded")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="batches"
    )
    organiser = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="honour_batches",
    )
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    rules = models.JSONField(_("share rules"), default=list, blank=True)
    departments = models.JSONField(_("clearing departments"), default=list, blank=True)
    notice_working_days = models.PositiveSmallIntegerField(_("public notice (working days)"))
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.ASSEMBLING,
        editable=False,
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, editable=False)
    notice_from = models.DateField(_("notice from"), null=True, blank=True, editable=False)
    notice_until = models.DateField(_("notice until"), null=True, blank=True, editable=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("selection batch")
        verbose_name_plural = _("selection batches")
        ordering = ["-year", "programme", "pk"]
        permissions = [("approve_batch", _("Can submit, publish and approve a selection"))]

    def __str__(self):
        return self.name


class Nomination(models.Model):
    """A person put forward in a batch by their unit, after the workers' democratic appraisal
    and the workers' congress's approval (honours.md §3), each with its evidence."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        WITHDRAWN = "withdrawn", pgettext_lazy("honour nomination", "Withdrawn")
        VETOED = "vetoed", _("Vetoed by a department")
        DISQUALIFIED = "disqualified", _("Removed after an objection")
        CONFERRED = "conferred", _("Conferred")

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="nominations"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("nominee"),
        on_delete=models.PROTECT,
        related_name="honour_nominations",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("recommending unit"),
        on_delete=models.PROTECT,
        related_name="honour_nominations",
    )
    # Declared categories (front line, enterprise head...); the industrial worker and the woman
    # come from the member registry (see honours.categories).
    categories = models.JSONField(_("categories"), default=list, blank=True)
    deeds = models.TextField(_("deeds"))
    appraisal_on = models.DateField(_("democratic appraisal on"))
    appraisal_evidence = models.CharField(_("appraisal evidence"), max_length=300)
    congress_on = models.DateField(_("workers' congress approval on"))
    congress_evidence = models.CharField(_("congress evidence"), max_length=300)
    nominated_on = models.DateField(_("nominated on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.NOMINATED,
        editable=False,
    )
    ended_reason = models.CharField(
        _("reason ended"), max_length=300, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("honour nomination")
        verbose_name_plural = _("honour nominations")
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "member"], name="honour_nominated_once")
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self):
        return f"{self.batch} · {self.member.name}"


class Clearance(models.Model):
    """A department's response on a nominee (市场监管、税务、人社、应急管理…): cleared, or a
    veto that ends the nomination with its reason (一票否决)."""

    class Result(models.TextChoices):
        CLEARED = "cleared", _("Cleared")
        VETOED = "vetoed", _("Veto")

    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.PROTECT,
        related_name="clearances",
    )
    department = models.CharField(_("department"), max_length=60)
    result = models.CharField(_("response"), max_length=8, choices=Result.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    responded_on = models.DateField(_("responded on"))

    class Meta:
        verbose_name = _("department clearance")
        verbose_name_plural = _("department clearances")
        ordering = ["nomination", "department"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "department"], name="honour_cleared_once")
        ]

    def __str__(self):
        return f"{self.nomination} · {self.department}"


class Objection(models.Model):
    """An objection during the notice, by real name; a letter counts from its postmark."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being looked into")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    name = models.CharField(_("objector's real name"), max_length=50)
    phone = PhoneField(_("objector's phone"), blank=True)
    received_on = models.DateField(
        _("received on"), help_text=_("For a letter, the date of its postmark.")
    )
    content = models.TextField(_("objection"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    finding = models.TextField(_("finding"), blank=True, default="", editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("honour objection")
        verbose_name_plural = _("honour objections")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.nomination} · {self.name}"


class Honour(models.Model):
    """The honouree register: a title held for life from its conferment, unless revoked with a
    reason. Titles conferred elsewhere (a city or provincial model worker) are recorded with
    the authority that conferred them, so the honour base can be checked."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("honouree"),
        on_delete=models.PROTECT,
        related_name="honours",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("recommending unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
    )
    nomination = models.OneToOneField(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honour",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Programme.Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    conferred_by = models.CharField(_("conferred by"), max_length=100)
    conferred_on = models.DateField(_("conferred on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True, editable=False)
    revoked_reason = models.CharField(
        _("reason revoked"), max_length=300, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("honouree")
        verbose_name_plural = _("honouree register")
        ordering = ["-conferred_on", "pk"]
        indexes = [models.Index(fields=["member", "level"])]

    def __str__(self):
        return f"{self.member.name} · {self.title}"

    @property
    def in_force(self) -> bool:
        return self.revoked_on is None


class MassOrgPost(models.Model):
    """A post a model worker or front-line worker holds in a mass organisation (the union's
    committees, the Women's Federation, the Youth League, the people's congresses and CPPCC
    where counted), with its term."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="mass_org_posts",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(_("organisation"), max_length=100)
    post = models.CharField(_("post"), max_length=60)
    term_from = models.DateField(_("term from"))
    term_until = models.DateField(_("term until"), null=True, blank=True)

    class Meta:
        verbose_name = _("post in a mass organisation")
        verbose_name_plural = _("posts in mass organisations")
        ordering = ["-term_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_until__isnull=True) | Q(term_until__gte=models.F("term_from")),
                name="honour_post_term",
            )
        ]

    def __str__(self):
        return f"{self.member.name} · {self.organisation}{self.post}"
