"""Beautiful factories (美丽厂区) and beautiful workers (美丽职工) (services.md §4). A factory is
scored on a marking scheme of the harmonious-relations mechanism (`rights.Checklist`: weighted
criteria and grade lines), at three stages: the enterprise's own, the town's check with photos,
the district's spot check; the last stage scored decides the level. Named for three years,
spot-checked yearly, revoked from the date of a bar event."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjia.platform.keylists import KeyListField


class Stage(models.TextChoices):
    SELF = "self", _("Self-assessment")
    TOWN = "town", _("Town or street check")
    DISTRICT = "district", _("District spot check")


class FactoryAssessment(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Self-assessed")
        CHECKED = "checked", _("Checked by the town")
        SPOT_CHECKED = "spot_checked", _("Spot-checked by the district")
        NOTICE = "notice", _("Public notice")
        NAMED = "named", _("Named")
        DECLINED = "declined", _("Not named")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="factory_assessments",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("town or street union"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checklist = models.ForeignKey(
        "rights.Checklist",
        verbose_name=_("marking scheme"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED, editable=False
    )
    photos = models.FileField(
        _("photos of the check"), upload_to="services/factories/", blank=True, default=""
    )
    notice_from = models.DateField(_("notice from"), null=True, blank=True, editable=False)
    notice_until = models.DateField(_("notice until"), null=True, blank=True, editable=False)
    total = models.DecimalField(
        _("total score"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    level = models.CharField(_("level"), max_length=20, blank=True, default="", editable=False)
    bars = models.JSONField(_("bars found"), default=list, blank=True, editable=False)
    named_on = models.DateField(_("named on"), null=True, blank=True, editable=False)
    expires_on = models.DateField(_("valid until"), null=True, blank=True, editable=False)
    ended_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("beautiful factory")
        verbose_name_plural = _("beautiful factories")
        ordering = ["-year", "pk"]
        permissions = [("approve_factoryassessment", _("Can name beautiful factories"))]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="one_factory_assessment_a_year"
            )
        ]
        indexes = [models.Index(fields=["status", "named_on"])]

    def __str__(self):
        return f"{self.enterprise} · {self.year}"


class FactoryScore(models.Model):
    """One criterion of the scheme scored at one stage: the share of its weight earned."""

    assessment = models.ForeignKey(
        FactoryAssessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    item = models.ForeignKey(
        "rights.ChecklistItem",
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    percent = models.PositiveSmallIntegerField(_("share earned (%)"))

    class Meta:
        verbose_name = _("factory score")
        verbose_name_plural = _("factory scores")
        ordering = ["stage", "item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "stage", "item"], name="one_factory_score"
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="factory_score_within_100"),
        ]

    def __str__(self):
        return f"{self.assessment} · {self.item_id}"


class SpotCheck(models.Model):
    """The yearly check of a named factory (≥ 20 % of holders drawn)."""

    class Result(models.TextChoices):
        PENDING = "", _("Not yet checked")
        KEPT = "kept", _("Kept")
        DOWNGRADED = "downgraded", _("Downgraded")
        REVOKED = "revoked", _("Revoked")

    assessment = models.ForeignKey(
        FactoryAssessment,
        verbose_name=_("beautiful factory"),
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    drawn_on = models.DateField(_("drawn on"))
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("yearly spot check")
        verbose_name_plural = _("yearly spot checks")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "year"], name="one_spot_check_a_year")
        ]

    def __str__(self):
        return f"{self.assessment} · {self.year}"


class ConductRecord(models.Model):
    """A disciplinary sanction or a serious safety breach of a worker, with its dates: it bars
    the beautiful-worker title while in force."""

    class Kind(models.TextChoices):
        SANCTION = "sanction", _("Disciplinary sanction")
        SAFETY = "safety", _("Serious safety breach")

    member = models.ForeignKey(
        "members.Member", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    on = models.DateField(_("date"))
    until = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("sanction or safety breach")
        verbose_name_plural = _("sanctions and safety breaches")
        ordering = ["-on", "pk"]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()}"


WORKER_GROUNDS = [
    ("civility", _("civility")),
    ("safety", _("safety")),
    ("skill", _("skill")),
    ("volunteering", _("volunteering")),
]


class BeautifulWorker(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        NAMED = "named", _("Named")
        REFUSED = "refused", _("Not named")

    member = models.ForeignKey(
        "members.Member", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("base union"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grounds = KeyListField(_("grounds"), keys=WORKER_GROUNDS)
    deeds = models.TextField(_("deeds"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NOMINATED, editable=False
    )
    named_on = models.DateField(_("named on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("beautiful worker")
        verbose_name_plural = _("beautiful workers")
        ordering = ["-year", "pk"]
        permissions = [("approve_beautifulworker", _("Can name beautiful workers"))]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_beautiful_worker_a_year")
        ]

    def __str__(self):
        return f"{self.member} · {self.year}"
