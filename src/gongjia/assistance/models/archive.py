"""Hardship household archives (一户一档): the household, its periods in the archive, its members,
its yearly finances and the category decisions taken on them (assistance.md §§1-3)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
        help_text=_("Any one of them blocks filing."),
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
    name = models.CharField(_("full name"), max_length=50)
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
