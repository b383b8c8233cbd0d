"""Unemployment-risk grades of archived households' employed members and what is known of their
employers (assistance.md §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjia.assistance.models.archive import HouseholdMember


class EmployerSignal(models.Model):
    """What is known of an employer that raises its workers' risk of losing their jobs."""

    class Kind(models.TextChoices):
        LAYOFF_PLAN = "layoff_plan", _("Layoff plan reported (Labour Contract Law art. 41)")
        MONITORED = "monitored", _("On the monitored job-loss list")
        WAGE_ARREARS = "wage_arrears", _("Wage arrears")

    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="risk_signals",
    )
    kind = models.CharField(_("signal"), max_length=14, choices=Kind.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("employer signal")
        verbose_name_plural = _("employer signals")
        ordering = ["-since"]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()}"


class RiskGrade(models.Model):
    """The member's current grade with the factors that fired; a prompt for an officer."""

    class Grade(models.TextChoices):
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")

    member = models.OneToOneField(
        HouseholdMember,
        verbose_name=_("household member"),
        on_delete=models.CASCADE,
        related_name="risk",
    )
    grade = models.CharField(_("grade"), max_length=6, choices=Grade.choices)
    points = models.PositiveSmallIntegerField(_("points"))
    reasons = models.JSONField(_("factors and their points"), default=dict)
    graded_on = models.DateField(_("graded on"))
    parameters_since = models.CharField(_("points table in force since"), max_length=10)

    class Meta:
        verbose_name = _("unemployment-risk grade")
        verbose_name_plural = _("unemployment-risk grades")
        ordering = ["-points"]

    def __str__(self):
        return f"{self.member} · {self.get_grade_display()}"
