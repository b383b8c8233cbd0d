"""Labour-dispute cases of the "1+X" mechanism (rights.md §§2-5)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjia.platform.pii import BlindIndexField, PhoneField, ProtectedField

# The ten facts of the structured form (要素式) that travel with the case from agency to agency.
FACT_FIELDS = (
    ("hired_on", _("Date of hiring")),
    ("post", _("Post and place of work")),
    ("contract", _("Written labour contract (signed on, term)")),
    ("wage_standard", _("Agreed wage and how it is paid")),
    ("wages_owed", _("Wages owed (months, amounts)")),
    ("working_time", _("Working time and overtime")),
    ("social_insurance", _("Social insurance paid or not")),
    ("termination", _("End of employment (date, by whom, reason)")),
    ("injury", _("Work injury or occupational disease")),
    ("evidence", _("Evidence held and other facts")),
)
FACT_KEYS = tuple(k for k, _label in FACT_FIELDS)


class DisputeCase(models.Model):
    class Channel(models.TextChoices):
        STATION = "station", _("At a rights station")
        UNION = "union", _("By a union")
        PORTAL = "portal", _("From the portal")
        COURT = "court", _("Court referral")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        REJECTED = "rejected", _("Screened out")
        NEGOTIATING = "negotiating", _("Negotiating")
        SETTLED = "settled", _("Settled by negotiation")
        MEDIATING = "mediating", _("Mediating")
        AGREED = "agreed", _("Mediation agreement signed")
        MEDIATION_FAILED = "mediation_failed", _("Mediation failed")
        CONFIRMING = "confirming", _("Review or confirmation applied for")
        PERFORMED = "performed", _("Agreement performed")
        PAYMENT_ORDER = "payment_order", _("Payment order applied for")
        REFERRED_ARBITRATION = "referred_arbitration", _("Referred to arbitration")
        ARB_ACCEPTED = "arb_accepted", _("Accepted by arbitration")
        ARB_MEDIATED = "arb_mediated", _("Mediated in arbitration")
        ARB_AWARD = "arb_award", _("Award made")
        FINAL = "final", _("Award in effect")
        LITIGATION = "litigation", _("In court")
        COURT_ENTRUSTED = "court_entrusted", _("Court-entrusted mediation")
        WITHDRAWN = "withdrawn", pgettext_lazy("dispute case", "Withdrawn")
        CLOSED = "closed", _("Closed")

    class Closure(models.TextChoices):
        ADVICE = "advice", _("Advice given")
        NEGOTIATED = "negotiated", _("Settled by negotiation")
        MEDIATED_PERFORMED = "mediated_performed", _("Mediated and performed")
        MEDIATED_CONFIRMED = "mediated_confirmed", _("Mediated and confirmed")
        MEDIATED_UNPERFORMED = "mediated_unperformed", _("Mediated, not performed")
        ARBITRATION_MEDIATED = "arbitration_mediated", _("Mediated in arbitration")
        AWARD_WON = "award_won", _("Award: claims upheld")
        AWARD_PARTIAL = "award_partial", _("Award: claims partly upheld")
        AWARD_LOST = "award_lost", _("Award: claims dismissed")
        COURT_MEDIATED = "court_mediated", _("Mediated in court")
        COURT_JUDGMENT = "court_judgment", _("Court judgment")
        REFERRED_OUT = "referred_out", _("Referred to another body")
        WITHDRAWN = "withdrawn", pgettext_lazy("case closure", "Withdrawn")
        REJECTED = "rejected", _("Screened out")

    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="dispute_cases",
    )
    station = models.ForeignKey(
        "rights.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    oral = models.BooleanField(_("oral intake"), default=False)
    oral_record = models.TextField(
        _("record of the oral intake"),
        blank=True,
        default="",
        help_text=_("Written down on the spot and read back to the worker."),
    )
    requester = models.ForeignKey(
        "accounts.User",
        verbose_name=_("filed by (portal account)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_requests",
    )
    employer = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_cases",
    )
    employer_name = models.CharField(_("employer name"), max_length=200)
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("what the dispute is about"))
    facts = models.JSONField(_("facts (ten-field form)"), default=dict, blank=True)
    common_claim = models.BooleanField(_("the workers share a common claim"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    handler = models.ForeignKey(
        "rights.TeamMember",
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    # Limitation (LDMAL art. 27): recomputed whenever these or the case's events change.
    known_on = models.DateField(
        _("infringement known on"),
        null=True,
        blank=True,
        help_text=_(
            "When the worker knew or should have known of it: the limitation runs from here."
        ),
    )
    wage_arrears = models.BooleanField(_("wage arrears"), default=False)
    employment_ended_on = models.DateField(_("employment ended on"), null=True, blank=True)
    limitation_expires_on = models.DateField(
        _("limitation expires on"), null=True, blank=True, editable=False
    )
    # The clock that runs now (the next legal deadline) and when its warning starts.
    clock = models.CharField(_("running clock"), max_length=30, blank=True, default="")
    due_on = models.DateField(_("next deadline"), null=True, blank=True, editable=False)
    warn_on = models.DateField(_("warning from"), null=True, blank=True, editable=False)
    # "<clock>:<warning|overdue>" once that notice went out (the sweep notifies once per level).
    alerted = models.CharField(max_length=40, blank=True, default="", editable=False)
    agreement_terms = models.TextField(
        _("terms of the mediation agreement"),
        blank=True,
        default="",
        help_text=_("What the parties agreed, and how and by when it is performed."),
    )
    agreement_effective_on = models.DateField(_("agreement in effect from"), null=True, blank=True)
    award_received_on = models.DateField(_("award received on"), null=True, blank=True)
    final_award = models.BooleanField(_("final award"), null=True, blank=True, editable=False)
    closure = models.CharField(
        _("closure code"), max_length=24, choices=Closure.choices, blank=True, default=""
    )
    fully_performed = models.BooleanField(_("award or judgment fully performed"), default=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("labour-dispute case")
        verbose_name_plural = _("labour-dispute cases")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="case_status_due"),
            models.Index(fields=["received_on"], name="case_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "settled", "performed", "withdrawn", "closed"])
                | ~Q(closure=""),
                name="closed_case_has_code",
            )
        ]

    def __str__(self):
        return f"{self.number} {self.employer_name}"

    def clean(self):
        unknown = set(self.facts or {}) - set(FACT_KEYS)
        if unknown:
            raise ValidationError(
                {"facts": _("Unknown facts: %(k)s.") % {"k": "、".join(sorted(unknown))}}
            )
        if self.oral and not self.oral_record.strip():
            raise ValidationError({"oral_record": _("Write down what the worker said.")})


class CaseWorker(models.Model):
    """A worker party of a case (one or many)."""

    case = models.ForeignKey(
        DisputeCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="workers"
    )
    name = models.CharField(_("full name"), max_length=50)
    id_number = ProtectedField(_("ID number"), blank=True)
    id_number_bidx = BlindIndexField(source="id_number", db_index=True)
    mobile = PhoneField(_("mobile"), max_length=20, blank=True, default="")
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("union member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    representative = models.BooleanField(_("elected representative"), default=False)

    class Meta:
        verbose_name = _("worker party")
        verbose_name_plural = _("worker parties")

    def __str__(self):
        return self.name


class CaseClaim(models.Model):
    class Kind(models.TextChoices):
        WAGES = "wages", _("Wages")
        INJURY_MEDICAL = "injury_medical", _("Work-injury medical costs")
        COMPENSATION = "compensation", _("Economic compensation")
        DAMAGES = "damages", _("Damages")
        WORKING_TIME = "working_time", _("Working time")
        REST_LEAVE = "rest_leave", _("Rest and leave")
        SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        DisputeCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="claims"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = models.CharField(_("description"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="claim_amount_positive"
            )
        ]

    def __str__(self):
        return f"{self.case} · {self.get_kind_display()} {self.amount or ''}"


class LimitationEvent(models.Model):
    """An interruption or suspension of the limitation period (LDMAL art. 27)."""

    class Kind(models.TextChoices):
        INTERRUPTION = "interruption", _("Interruption")
        SUSPENSION_START = "suspension_start", _("Suspension begins")
        SUSPENSION_END = "suspension_end", _("Suspension ends")

    case = models.ForeignKey(
        DisputeCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="limitation_events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("limitation event")
        verbose_name_plural = _("limitation events")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.case} · {self.get_kind_display()} {self.on}"


class Referral(models.Model):
    """An edge of "1+X": the case handed to an agency (or entrusted by a court) with its own
    clock, handler, result and feedback letter."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        COURT_ENTRUSTED = "court_entrusted", _("Court-entrusted mediation")

    class Result(models.TextChoices):
        PENDING = "", _("Pending")
        RESOLVED = "resolved", _("Resolved")
        FAILED = "failed", _("Not resolved")
        RETURNED = "returned", _("Returned")

    case = models.ForeignKey(
        DisputeCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    agency = models.ForeignKey(
        "rights.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    entrusted_on = models.DateField(_("entrusted on"))
    due_on = models.DateField(_("feedback due"), editable=False)
    handler_name = models.CharField(_("handler at the agency"), max_length=100, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, blank=True, default=""
    )
    returned_on = models.DateField(_("feedback on"), null=True, blank=True)
    alerted = models.BooleanField(default=False, editable=False)  # overdue notice sent
    feedback_letter = models.TextField(
        _("feedback letter"),
        blank=True,
        default="",
        help_text=_("On failure: the disputed points and what stood in the way."),
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["entrusted_on", "id"]

    def __str__(self):
        return f"{self.case} → {self.agency}"
