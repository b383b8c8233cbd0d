"""Help on record, one-to-one pairing with its visits, and the reviews and follow-up calls of
archived and former households (assistance.md §§3, 7)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjia.assistance.models.archive import Household, HouseholdMember
from gongjia.platform.pii import ProtectedField


class AssistanceRecord(models.Model):
    """Help given to an archived household ("file first, then help")."""

    class Kind(models.TextChoices):
        LIVING = "living", _("Living aid")
        EDUCATION = "education", _("Education aid")
        MEDICAL = "medical", _("Medical and serious-illness aid")
        EMPLOYMENT = "employment", _("Employment help")
        LEGAL = "legal", _("Legal aid")
        SEASONAL = "seasonal", _("Seasonal visit (送温暖)")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="assistance"
    )
    kind = models.CharField(_("kind of help"), max_length=10, choices=Kind.choices)
    given_on = models.DateField(_("given on"))
    beneficiary = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("for member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amount_fen = models.BigIntegerField(_("amount (fen)"), default=0)
    item = models.CharField(_("item or service"), max_length=100, blank=True, default="")
    campaign = models.CharField(_("campaign"), max_length=60, blank=True, default="")
    fund_source = models.CharField(_("fund source"), max_length=60, blank=True, default="")
    legal_case = models.ForeignKey(
        "rights.DisputeCase",
        verbose_name=_("dispute case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed = models.BooleanField(_("receipt signed"), default=False)
    # May describe illness or schooling: sensitive, so stored encrypted.
    note = ProtectedField(_("note"), kind="text", blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assistance record")
        verbose_name_plural = _("assistance records")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="assistance_amount")
        ]

    def __str__(self):
        return f"{self.household} · {self.get_kind_display()} · {self.given_on}"


class Pairing(models.Model):
    """One-to-one help (结对帮扶): a cadre or volunteer paired with a household, visiting on a
    plan; a household has one active helper."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="pairings"
    )
    helper = models.ForeignKey(
        "accounts.User", verbose_name=_("helper"), on_delete=models.PROTECT, related_name="+"
    )
    helper_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("helper's unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_on = models.DateField(_("paired on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    visit_every_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    next_visit_on = models.DateField(_("next visit due"))
    alerted_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("one-to-one pairing")
        verbose_name_plural = _("one-to-one pairings")
        ordering = ["next_visit_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(ended_on__isnull=True), name="one_active_helper"
            ),
            models.CheckConstraint(condition=Q(visit_every_days__gte=1), name="visit_interval"),
        ]

    def __str__(self):
        return f"{self.household} · {self.helper}"


class Visit(models.Model):
    class Kind(models.TextChoices):
        HOME = "home", _("Home visit")
        PHONE = "phone", _("Phone call")
        WORKPLACE = "workplace", _("At the workplace")

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("visited on"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HOME)
    notes = ProtectedField(_("notes"), kind="text", blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.pairing.household} · {self.visited_on}"


class CheckUp(models.Model):
    """The yearly review of an archived household, and the follow-up calls after it left, to
    catch a relapse early (assistance.md §3)."""

    class Kind(models.TextChoices):
        ANNUAL_REVIEW = "review", _("Annual review")
        FOLLOW_UP = "follow_up", _("Follow-up call after leaving")

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Still in hardship: keep the archive")
        EXIT = "exit", _("Out of hardship: leave the archive")
        FINE = "fine", _("Doing fine")
        RELAPSE = "relapse", _("Back in hardship: reopen the archive")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="checkups"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    done_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review or follow-up")
        verbose_name_plural = _("reviews and follow-ups")
        ordering = ["done_on", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["household", "kind", "due_on"], name="one_checkup"),
        ]

    def __str__(self):
        return f"{self.household} · {self.get_kind_display()} · {self.due_on}"
