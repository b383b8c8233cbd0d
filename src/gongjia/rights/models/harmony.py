"""Evaluation of enterprises for harmonious labour relations (和谐劳动关系): a configurable
weighted checklist, scoring rounds, a grade and a certificate with its validity, revocation."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Checklist(models.Model):
    """The criteria of one evaluation scheme, with weights and grade thresholds."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField(_("in use from"))
    grades = models.JSONField(
        _("grades"),
        default=list,
        help_text=_(
            'Highest first, e.g. [{"grade": "AAA", "min": 90}, {"grade": "AA", "min": 80}]'
        ),
    )
    certificate_years = models.PositiveSmallIntegerField(_("certificate valid (years)"), default=3)

    class Meta:
        verbose_name = _("evaluation checklist")
        verbose_name_plural = _("evaluation checklists")

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=10)
    text = models.CharField(_("criterion"), max_length=300)
    weight = models.DecimalField(_("weight (points)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="one_criterion_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return f"{self.checklist} {self.code}"


class Evaluation(models.Model):
    class Status(models.TextChoices):
        SCORING = "scoring", _("Scoring")
        SUBMITTED = "submitted", _("Submitted")
        CERTIFIED = "certified", _("Certified")
        NOT_CERTIFIED = "not_certified", _("Not certified")
        REVOKED = "revoked", _("Revoked")

    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="harmony_evaluations",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("evaluating unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.CharField(_("round"), max_length=50, help_text=_("For example: 2026 年度"))
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.SCORING
    )
    total = models.DecimalField(
        _("total score"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    grade = models.CharField(_("grade"), max_length=10, blank=True, default="", editable=False)
    certificate_number = models.CharField(
        _("certificate number"), max_length=30, blank=True, default="", editable=False
    )
    valid_from = models.DateField(_("certificate valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("certificate valid until"), null=True, blank=True, editable=False
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("harmonious labour relations evaluation")
        verbose_name_plural = _("harmonious labour relations evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "checklist", "round"], name="one_evaluation_per_round"
            )
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.round}"


class Score(models.Model):
    """One criterion scored in one evaluation: the share of its weight earned (0-100 %)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("share earned (%)"))
    note = models.CharField(_("evidence seen"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="score_within_100"),
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.item.code}"
