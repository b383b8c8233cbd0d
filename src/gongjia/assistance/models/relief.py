"""Unemployment relief: applications, the yearly fund, payment batches and the append-only ledger
(assistance.md §6)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjia.assistance.models.archive import Household, HouseholdMember
from gongjia.platform import money


class ReliefApplication(models.Model):
    """An application for relief under one policy (`assistance.relief_policies`) for a run of
    periods; approved by someone other than the person who prepared it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", pgettext_lazy("relief application", "Withdrawn")

    number = models.CharField(_("application number"), max_length=20, unique=True, editable=False)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="relief_applications",
    )
    beneficiary = models.ForeignKey(
        HouseholdMember,
        verbose_name=_("member who lost their job"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    policy = models.CharField(_("policy"), max_length=30)
    first_period = models.CharField(_("first month"), max_length=7, help_text=_("As 2026-03."))
    periods = models.PositiveSmallIntegerField(_("months"))
    amount_fen = models.BigIntegerField(_("amount per month (fen)"), editable=False)
    fund_source = models.CharField(_("fund source"), max_length=60, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    reason = models.CharField(_("situation"), max_length=300)
    prepared_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("relief application")
        verbose_name_plural = _("relief applications")
        ordering = ["-prepared_at", "-id"]
        permissions = [("approve_reliefapplication", _("Can approve relief applications"))]
        constraints = [
            # Four eyes: the database refuses an approval by the person who prepared it.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("prepared_by")),
                name="relief_four_eyes",
            ),
            models.CheckConstraint(condition=Q(periods__gte=1), name="relief_periods"),
        ]

    def __str__(self):
        return f"{self.number} {self.household.head_name}"


class ReliefFund(models.Model):
    """The district's relief budget for a year and what the ledger has paid from it. The check
    constraint is the last guard: no sequence of approvals can overdraw the budget."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    budget_fen = models.BigIntegerField(_("budget (fen)"))
    paid_fen = models.BigIntegerField(_("paid (fen)"), default=0)

    class Meta:
        verbose_name = _("relief budget")
        verbose_name_plural = _("relief budgets")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_fen__lte=models.F("budget_fen")), name="relief_within_budget"
            ),
            models.CheckConstraint(condition=Q(paid_fen__gte=0), name="relief_paid_positive"),
        ]

    def __str__(self):
        return f"{self.year}"

    @property
    def left_fen(self) -> int:
        return self.budget_fen - self.paid_fen


class PaymentBatch(models.Model):
    """Payments handed to the bank together, exported as one spreadsheet."""

    number = models.CharField(_("batch number"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("paying federation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("made by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    entries = models.PositiveIntegerField(_("payments"), default=0)
    total_fen = models.BigIntegerField(_("total (fen)"), default=0)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.number} {self.unit}"


class ReliefPayment(models.Model):
    """One line of the relief ledger. Lines are never edited: a reversal is a new line with the
    opposite amount, and a period reversed may be paid again as the next attempt. The unique
    constraint pays a household at most once per policy and period and attempt."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REVERSAL = "reversal", _("Reversal")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="payments"
    )
    application = models.ForeignKey(
        ReliefApplication,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    policy = models.CharField(_("policy"), max_length=30)
    period = models.CharField(_("month"), max_length=7)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=0)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    fund_source = models.CharField(_("fund source"), max_length=60)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    batch = models.ForeignKey(
        PaymentBatch,
        verbose_name=_("bank batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    entered_by = models.ForeignKey(
        "accounts.User", verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("relief ledger entry")
        verbose_name_plural = _("relief ledger")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "policy", "period", "attempt"],
                condition=Q(kind="payment"),
                name="relief_once_per_period",
            ),
            models.CheckConstraint(
                condition=(Q(kind="payment", amount_fen__gt=0, reverses__isnull=True))
                | Q(kind="reversal", amount_fen__lt=0, reverses__isnull=False),
                name="relief_entry_shape",
            ),
        ]

    def __str__(self):
        return f"{self.household} · {self.period}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("ledger entries are never edited: enter a reversal")
        super().save(*args, **kwargs)

    @property
    def yuan(self) -> str:
        return money.yuan(self.amount_fen)
