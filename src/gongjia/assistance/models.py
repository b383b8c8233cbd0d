"""Hardship household archives (一户一档): the household, its members, its yearly finances and
the category decisions taken on them (assistance.md §§1-3)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjia.platform import money
from gongjia.platform.pii import AddressField, BlindIndexField, ProtectedField


class Household(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        CHECKED = "checked", _("Checked by the base union")
        VISITED = "visited", _("Home visit done")
        CONFIRMED = "confirmed", _("Confirmed by the higher union")
        VERIFIED = "verified", _("Economic check passed")
        NOTICE = "notice", _("Public notice")
        ARCHIVED = "archived", _("Archived")
        EXITED = "exited", _("Left the archive")
        REJECTED = "rejected", _("Not archived")

    class Category(models.TextChoices):
        DEEP = "deep", _("Deep hardship")
        RELATIVE = "relative", _("Relative hardship")
        ACCIDENT = "accident", _("Accident-caused hardship")

    class Cause(models.TextChoices):
        ILLNESS = "illness", _("Illness")
        DISABILITY = "disability", _("Disability")
        SCHOOLING = "schooling", _("Children's schooling")
        UNEMPLOYMENT = "unemployment", _("Unemployment")
        ACCIDENT = "accident", _("Accident or disaster")
        LOW_INCOME = "low_income", _("Low income")
        OTHER = "other", _("Other")

    class ExitReason(models.TextChoices):
        RECOVERED = "recovered", _("Out of hardship")
        RETIRED = "retired", _("Retired")
        MOVED = "moved", _("Moved away")
        DIED = "died", _("Died")
        GOVERNMENT = "government", _("Handed to government support")
        VOLUNTARY = "voluntary", _("Left at their own request")
        NOT_ELIGIBLE = "not_eligible", _("No longer eligible")

    number = models.CharField(_("archive number"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("base union"),
        on_delete=models.PROTECT,
        related_name="hardship_households",
    )
    head_name = models.CharField(_("worker applying"), max_length=50)
    address = AddressField(_("address"), max_length=200)
    primary_cause = models.CharField(_("main cause"), max_length=14, choices=Cause.choices)
    secondary_cause = models.CharField(
        _("secondary cause"), max_length=14, choices=Cause.choices, blank=True, default=""
    )
    bank_account = ProtectedField(_("bank account"), kind="bank", blank=True)
    migrant = models.BooleanField(_("migrant worker household"), default=False)
    lives_in_city = models.BooleanField(_("lives long-term in the city"), default=True)
    employed_since = models.DateField(
        _("de facto employment since"),
        null=True,
        blank=True,
        help_text=_("For migrant workers: the start of their current de facto employment."),
    )
    exclusions = models.JSONField(
        _("exclusions that apply"),
        default=list,
        blank=True,
        help_text=_("Any one of them blocks filing (assistance.exclusions)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    category = models.CharField(
        _("category"), max_length=10, choices=Category.choices, blank=True, default=""
    )
    category_overridden = models.BooleanField(_("category set by an officer"), default=False)
    applicant = models.ForeignKey(
        "accounts.User",
        verbose_name=_("portal account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hardship_households",
    )
    notice_until = models.DateField(_("public notice until"), null=True, blank=True)
    archived_on = models.DateField(_("archived on"), null=True, blank=True, editable=False)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=14, choices=ExitReason.choices, blank=True, default=""
    )
    exited_on = models.DateField(_("left on"), null=True, blank=True, editable=False)
    keep_until = models.DateField(_("files kept until"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hardship household")
        verbose_name_plural = _("hardship households")
        ordering = ["-created_at"]
        permissions = [
            ("reveal_household", _("Can reveal hardship households' personal data")),
            ("export_household", _("Can export hardship households")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="archived") | ~Q(category=""), name="archived_has_category"
            ),
            models.CheckConstraint(
                condition=~Q(status="exited") | ~Q(exit_reason=""), name="exit_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.head_name}"


class ArchivePeriod(models.Model):
    """A household's time in the archive under one category: opened when it is archived, when
    it relapses and when its category changes; closed when it leaves or its category changes.
    The household row shows only today; the figures of a past year are read from these."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="periods"
    )
    category = models.CharField(_("category"), max_length=10, choices=Household.Category.choices)
    started_on = models.DateField(_("in the archive from"))
    ended_on = models.DateField(_("in the archive until"), null=True, blank=True)

    class Meta:
        verbose_name = _("period in the archive")
        verbose_name_plural = _("periods in the archive")
        ordering = ["household", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(ended_on=None), name="one_open_archive_period"
            ),
            models.CheckConstraint(
                condition=Q(ended_on=None) | Q(ended_on__gte=models.F("started_on")),
                name="archive_period_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.household} · {self.started_on}–{self.ended_on or ''}"


class HouseholdMember(models.Model):
    class Relationship(models.TextChoices):
        SELF = "self", _("The worker")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        OTHER = "other", _("Other")

    class Work(models.TextChoices):
        EMPLOYED = "employed", _("Employed")
        UNEMPLOYED = "unemployed", _("Unemployed")
        FLEXIBLE = "flexible", _("Flexibly employed")
        RETIRED = "retired", _("Retired")
        STUDENT = "student", _("In school")
        UNABLE = "unable", _("Unable to work")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=50)
    relationship = models.CharField(_("relationship"), max_length=8, choices=Relationship.choices)
    id_number = ProtectedField(_("ID number"), blank=True)
    # One archive per household: a person belongs to one archived household at most.
    id_number_bidx = BlindIndexField(source="id_number", db_index=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    health = ProtectedField(_("health and disability"), kind="text", blank=True)
    schooling = models.CharField(_("schooling"), max_length=50, blank=True, default="")
    work = models.CharField(_("employment"), max_length=10, choices=Work.choices)
    employer = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("employer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    employer_name = models.CharField(_("employer name"), max_length=200, blank=True, default="")
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("union member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contract_ends_on = models.DateField(_("labour contract ends on"), null=True, blank=True)
    wage_arrears = models.BooleanField(_("wages owed to this member"), default=False)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_bidx"],
                condition=~Q(id_number_bidx=""),
                name="one_household_per_person",
            )
        ]

    def __str__(self):
        return f"{self.household} · {self.name}"


class YearFinance(models.Model):
    """A household's income and unavoidable expenditure for one year, in fen."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="finances"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    income_fen = models.BigIntegerField(_("disposable income (fen)"))
    rigid_fen = models.BigIntegerField(_("unavoidable expenditure (fen)"), default=0)
    members_living = models.PositiveSmallIntegerField(_("members living together"))
    accident_event = models.CharField(
        _("listed accident event"), max_length=30, blank=True, default=""
    )
    accident_cost_fen = models.BigIntegerField(
        _("accident costs after compensation and aid (fen)"), default=0
    )

    class Meta:
        verbose_name = _("yearly finances")
        verbose_name_plural = _("yearly finances")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="one_finance_per_year"),
            models.CheckConstraint(
                condition=Q(income_fen__gte=0, rigid_fen__gte=0, accident_cost_fen__gte=0),
                name="finance_amounts_positive",
            ),
            models.CheckConstraint(condition=Q(members_living__gte=1), name="finance_members"),
        ]

    def __str__(self):
        return f"{self.household} · {self.year}"


class CategoryDecision(models.Model):
    """A category decided with every input and the parameter values in force, so that a later
    audit reproduces it; an officer's override carries its reason."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    computed = models.CharField(_("computed category"), max_length=10, blank=True, default="")
    category = models.CharField(_("category"), max_length=10, blank=True, default="")
    record = models.JSONField(_("inputs and parameters"))
    override_reason = models.CharField(_("reason for overriding"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("category decision")
        verbose_name_plural = _("category decisions")
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.household} · {self.year} · {self.category or '—'}"


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
