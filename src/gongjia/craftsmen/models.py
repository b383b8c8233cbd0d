"""The district craftsman title (萧山工匠, competitions.md §5): a round's scheme as data, the
nominations with their eligibility explained, the panel's rubric scores, objections during the
public notice, the title register with the benefits a title brings (the recuperation
entitlement), and the one-off award on an append-only ledger."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjia.platform import money
from gongjia.platform.pii import PhoneField, ProtectedField
from gongjia.skills.marking import MEAN, SPREAD_CHECKED, TRIMMED, TWO_CLOSEST

AGGREGATIONS = [
    (TRIMMED, _("Trimmed mean (highest and lowest dropped from four scores on)")),
    (MEAN, _("Mean of all scores")),
    (TWO_CLOSEST, _("Mean of the two closest of three")),
]
assert SPREAD_CHECKED not in dict(AGGREGATIONS)  # the judgement rule is for 0–3 scores only


class Round(models.Model):
    """A round of the title (第二届萧山工匠): its quotas, award, the fixed conditions, the
    qualifying conditions and the competition results that waive the years in the skill, the
    rubric its panel scores on, and the public notice's length in working days."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Taking nominations")
        REVIEW = "review", _("Under review")
        NOTICE = "notice", _("Public notice")
        APPROVED = "approved", _("Titles conferred")
        CANCELLED = "cancelled", _("Cancelled")

    organiser = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="craftsman_rounds",
    )
    number = models.PositiveSmallIntegerField(_("round"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    nominations_from = models.DateField(_("nominations from"))
    nominations_until = models.DateField(
        _("nominations until"),
        help_text=_("Ages, years in the skill and results are counted on this day."),
    )
    title_quota = models.PositiveSmallIntegerField(_("titles"), validators=[MinValueValidator(1)])
    nomination_quota = models.PositiveSmallIntegerField(_("nomination awards"), default=0)
    award_fen = models.PositiveBigIntegerField(_("one-off award (fen)"))
    min_years = models.PositiveSmallIntegerField(_("minimum years in the skill"))
    max_age = models.PositiveSmallIntegerField(
        _("age limit (under)"), null=True, blank=True, help_text=_("Empty: no age limit.")
    )
    union_member = models.BooleanField(_("union membership required"), default=True)
    frontline = models.BooleanField(_("front-line work required"), default=True)
    recuperation = models.BooleanField(_("holders entitled to recuperation"), default=True)
    # [{"key", "label"} or with "levels" and "max_place": met by a competition result]
    conditions = models.JSONField(_("qualifying conditions"), default=list, blank=True)
    # [{"levels": [...], "max_place": n}]: a placing that waives the years in the skill
    waivers = models.JSONField(_("competition results waiving the years"), default=list)
    # [{"key", "label", "max"}]
    rubric = models.JSONField(_("review rubric"), default=list)
    aggregation = models.CharField(
        _("panel aggregation"), max_length=14, choices=AGGREGATIONS, default=TRIMMED
    )
    notice_working_days = models.PositiveSmallIntegerField(_("public notice (working days)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    notice_from = models.DateField(_("notice from"), null=True, blank=True, editable=False)
    notice_until = models.DateField(_("notice until"), null=True, blank=True, editable=False)
    approved_on = models.DateField(_("conferred on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("craftsman title round")
        verbose_name_plural = _("craftsman title rounds")
        ordering = ["-year", "-number"]
        permissions = [("approve_round", _("Can rank, publish and confer a craftsman round"))]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "number"], name="craftsman_round_once"),
            models.CheckConstraint(
                condition=Q(nominations_until__gte=models.F("nominations_from")),
                name="craftsman_round_dates",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.nominations_from
            and self.nominations_until
            and self.nominations_until < self.nominations_from
        ):
            raise ValidationError(
                {"nominations_until": _("Nominations close on or after the day they open.")}
            )

    @property
    def award_yuan(self) -> str:
        return money.yuan(self.award_fen)


class PanelMember(models.Model):
    """A member of a round's review panel: each scores every eligible nomination on the
    rubric, on their own."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="panel"
    )
    user = models.ForeignKey(
        "accounts.User", verbose_name=_("panel member"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("review panel member")
        verbose_name_plural = _("review panel")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="craftsman_panel_once")
        ]

    def __str__(self):
        return f"{self.round} · {self.user}"


class Nomination(models.Model):
    """A person nominated by a unit (or nominating themselves with a union's endorsement), with
    the evidence; checked against the round's conditions, scored by the panel, ranked."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting the eligibility check")
        ELIGIBLE = "eligible", _("Eligible, under review")
        INELIGIBLE = "ineligible", _("Not eligible")
        WITHDRAWN = "withdrawn", pgettext_lazy("craftsman nomination", "Withdrawn")
        SELECTED = "selected", _("Proposed")
        NOT_SELECTED = "not_selected", _("Not selected")
        DISQUALIFIED = "disqualified", _("Removed after an objection")
        CONFERRED = "conferred", _("Conferred")

    class Channel(models.TextChoices):
        UNIT = "unit", _("Nominated by a unit")
        SELF = "self", _("Self-nomination endorsed by a union")

    class Outcome(models.TextChoices):
        TITLE = "title", _("Craftsman title")
        NOMINATION = "nomination", _("Craftsman nomination award")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="nominations"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("nominee"),
        on_delete=models.PROTECT,
        related_name="craftsman_nominations",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("nominating or endorsing unit"),
        on_delete=models.PROTECT,
        related_name="craftsman_nominations",
    )
    channel = models.CharField(
        _("nominated"), max_length=4, choices=Channel.choices, default=Channel.UNIT
    )
    skill = models.CharField(_("skill or trade"), max_length=100)
    skill_since = models.DateField(
        _("in the skill since"), help_text=_("The day the nominee began working in the skill.")
    )
    frontline = models.BooleanField(_("works on the front line"), default=True)
    claimed = models.JSONField(
        _("qualifying conditions claimed"),
        default=list,
        blank=True,
        help_text=_("The keys of the round's conditions the evidence shows."),
    )
    evidence = models.TextField(
        _("achievements and evidence"),
        help_text=_("What the nominee has done, and the documents that show it."),
    )
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.SUBMITTED,
        editable=False,
    )
    # The check's finding, condition by condition (shown written out, never as data).
    eligibility = models.JSONField(_("eligibility"), default=list, blank=True, editable=False)
    total = models.DecimalField(
        _("review score"), max_digits=8, decimal_places=2, null=True, blank=True, editable=False
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True, editable=False)
    outcome = models.CharField(
        _("proposed for"), max_length=10, choices=Outcome.choices, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("craftsman nomination")
        verbose_name_plural = _("craftsman nominations")
        ordering = ["round", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="craftsman_nominated_once")
        ]

    def __str__(self):
        return f"{self.round} · {self.member.name}"


class ReviewScore(models.Model):
    """One panel member's score of one rubric item of a nomination."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.PROTECT, related_name="scores"
    )
    judge = models.ForeignKey(
        "accounts.User", verbose_name=_("panel member"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.CharField(_("rubric item"), max_length=40)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        ordering = ["nomination", "judge", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "judge", "item"], name="craftsman_scored_once"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="craftsman_points"),
        ]

    def __str__(self):
        return f"{self.nomination} · {self.item}"


class Objection(models.Model):
    """An objection to a proposed holder during the public notice: by real name (an anonymous
    one is not taken), dated by receipt or, for a letter, by its postmark."""

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
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.nomination} · {self.name}"


class Title(models.Model):
    """The register of holders: a title (or a nomination award) held from its round for life,
    unless revoked with a reason."""

    Kind = Nomination.Outcome

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="titles"
    )
    nomination = models.OneToOneField(
        Nomination, verbose_name=_("nomination"), on_delete=models.PROTECT, related_name="title"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="craftsman_titles",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("nominating unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("title"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    held_from = models.DateField(_("held from"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True, editable=False)
    revoked_reason = models.CharField(
        _("reason revoked"), max_length=300, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("craftsman title holder")
        verbose_name_plural = _("craftsman title register")
        ordering = ["-held_from", "number"]
        indexes = [models.Index(fields=["held_from"])]

    def __str__(self):
        return f"{self.number} {self.member.name}"

    @property
    def in_force(self) -> bool:
        return self.revoked_on is None


class Entitlement(models.Model):
    """A benefit a title brings that another programme grants: the recuperation place the
    honours programme's allocation reads (honours.md §7: craftsman-title holders get a
    priority flag), used once."""

    class Kind(models.TextChoices):
        RECUPERATION = "recuperation", _("Free recuperation (priority)")

    title = models.ForeignKey(
        Title, verbose_name=_("title"), on_delete=models.PROTECT, related_name="entitlements"
    )
    kind = models.CharField(_("benefit"), max_length=14, choices=Kind.choices)
    granted_on = models.DateField(_("granted on"))
    used_on = models.DateField(_("used on"), null=True, blank=True, editable=False)
    used_for = models.CharField(_("used for"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("title benefit")
        verbose_name_plural = _("title benefits")
        ordering = ["-granted_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["title", "kind"], name="craftsman_benefit_once")
        ]

    def __str__(self):
        return f"{self.title} · {self.get_kind_display()}"


class Award(models.Model):
    """The one-off award of a holder: prepared by one officer with the bank account, approved by
    another, which writes the payment to the ledger. One award per title (a database rule)."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Awaiting approval")
        PAID = "paid", _("Paid")
        REVERSED = "reversed", _("Payment reversed")
        REFUSED = "refused", _("Refused")

    title = models.OneToOneField(
        Title, verbose_name=_("title"), on_delete=models.PROTECT, related_name="award"
    )
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"), editable=False)
    bank_name = models.CharField(_("bank"), max_length=60)
    bank_account = ProtectedField(_("bank account"), kind="bank")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PREPARED,
        editable=False,
    )
    prepared_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("craftsman award")
        verbose_name_plural = _("craftsman awards")
        ordering = ["-prepared_at", "-pk"]
        permissions = [
            ("approve_award", _("Can approve craftsman awards")),
            ("reveal_award", _("Can reveal award holders' bank accounts")),
        ]
        constraints = [
            # Four eyes: the database refuses an approval by the person who prepared it.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("prepared_by")),
                name="craftsman_award_four_eyes",
            ),
        ]

    def __str__(self):
        return f"{self.title} · {money.yuan(self.amount_fen)}"


class AwardBatch(models.Model):
    """Award payments handed to the bank together, exported as one spreadsheet."""

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
        verbose_name = _("award bank batch")
        verbose_name_plural = _("award bank batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.number


class AwardPayment(models.Model):
    """A line of the award ledger, never edited: a reversal is a new line with the opposite
    amount, after which the award may be paid again as the next attempt. The unique constraint
    pays an award at most once per attempt, whoever approves at the same moment."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REVERSAL = "reversal", _("Reversal")

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=0)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    on = models.DateField(_("date"))
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
        AwardBatch,
        verbose_name=_("bank batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    entered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award ledger entry")
        verbose_name_plural = _("award ledger")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "attempt"],
                condition=Q(kind="payment"),
                name="craftsman_award_paid_once",
            ),
            models.CheckConstraint(
                condition=(Q(kind="payment", amount_fen__gt=0, reverses__isnull=True))
                | Q(kind="reversal", amount_fen__lt=0, reverses__isnull=False),
                name="craftsman_award_entry_shape",
            ),
        ]

    def __str__(self):
        return f"{self.award} · {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("ledger entries are never edited: enter a reversal")
        super().save(*args, **kwargs)
