"""Collective (wage) negotiation, offline and in the online room (rights.md §6)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjia.platform.pii import BlindIndexField, ProtectedField


class Negotiation(models.Model):
    class Level(models.TextChoices):
        ENTERPRISE = "enterprise", _("One enterprise")
        INDUSTRY = "industry", _("An industry")
        AREA = "area", _("An area")

    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Collective contract")
        WAGE = "wage", _("Wage agreement")

    class Status(models.TextChoices):
        DRAFT_OFFER = "draft_offer", _("Offer being drafted")
        OFFER_SENT = "offer_sent", _("Offer sent")
        REPLIED_ACCEPT = "replied_accept", _("Offer accepted")
        REPLIED_REFUSE = "replied_refuse", _("Offer refused")
        NO_REPLY = "no_reply", _("No reply in time")
        REPS_APPOINTED = "reps_appointed", _("Representatives appointed")
        PREPARING = "preparing", _("Preparing")
        IN_NEGOTIATION = "in_negotiation", _("In negotiation")
        SUSPENDED = "suspended", _("Suspended")
        DISPUTE_COORDINATION = "coordination", _("Dispute in coordination")
        ABANDONED = "abandoned", _("Abandoned")
        DRAFT_AGREED = "draft_agreed", _("Draft signed by the chiefs")
        CONGRESS_VOTE = "congress_vote", _("Before the workers' congress")
        SIGNED = "signed", _("Signed")
        SUBMITTED = "submitted", _("Submitted for filing")
        UNDER_REVIEW = "under_review", _("Under review")
        EFFECTIVE = "effective", _("In effect")
        PUBLISHED = "published", _("Published")
        IN_FORCE = "in_force", _("In force")
        RENEWAL_WINDOW = "renewal_window", _("Renewal due")
        RENEWED = "renewed", _("Renewed")
        EXPIRED = "expired", _("Expired")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("union leading the worker side"),
        on_delete=models.PROTECT,
        related_name="negotiations",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.WAGE)
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="negotiations",
    )
    covered = models.ManyToManyField(
        "orgs.Enterprise",
        verbose_name=_("enterprises covered"),
        related_name="covering_negotiations",
        blank=True,
        help_text=_("For an industry or area agreement: the enterprises it binds."),
    )
    online = models.BooleanField(_("held online"), default=False)
    workers = models.PositiveIntegerField(_("workers concerned"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT_OFFER
    )
    offer_text = models.TextField(_("written offer"), blank=True, default="")
    offer_delivered_on = models.DateField(_("offer delivered on"), null=True, blank=True)
    congress_total = models.PositiveIntegerField(
        _("representatives in the congress"), null=True, blank=True
    )
    congress_present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    congress_yes = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    received_by_labour_dept_on = models.DateField(
        _("received by the labour department on"), null=True, blank=True
    )
    effective_on = models.DateField(_("in effect from"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, editable=False)
    explanation = models.TextField(_("explanation for filing"), blank=True, default="")
    clock = models.CharField(_("running clock"), max_length=30, blank=True, default="")
    due_on = models.DateField(_("next deadline"), null=True, blank=True, editable=False)
    warn_on = models.DateField(_("warning from"), null=True, blank=True, editable=False)
    # "<clock>:<warning|overdue>" once that notice went out (as on dispute cases).
    alerted = models.CharField(max_length=40, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("collective negotiation")
        verbose_name_plural = _("collective negotiations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="enterprise") | Q(enterprise__isnull=False),
                name="enterprise_negotiation_has_enterprise",
            ),
            models.CheckConstraint(
                condition=Q(congress_present__isnull=True)
                | Q(congress_total__isnull=True)
                | Q(congress_present__lte=models.F("congress_total")),
                name="congress_present_within_total",
            ),
            models.CheckConstraint(
                condition=Q(congress_yes__isnull=True)
                | Q(congress_present__isnull=True)
                | Q(congress_yes__lte=models.F("congress_present")),
                name="congress_yes_within_present",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class Representative(models.Model):
    """A seat on one side of the table (CCP arts. 19-24)."""

    class Side(models.TextChoices):
        WORKERS = "workers", _("Workers' side")
        EMPLOYER = "employer", _("Employer's side")

    negotiation = models.ForeignKey(
        Negotiation,
        verbose_name=_("negotiation"),
        on_delete=models.CASCADE,
        related_name="representatives",
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    name = models.CharField(_("full name"), max_length=50)
    id_number = ProtectedField(_("ID number"), blank=True)
    # Who the person is, to keep anyone off both sides: the ID number's blind index.
    id_number_bidx = BlindIndexField(source="id_number", db_index=True)
    chief = models.BooleanField(_("chief representative"), default=False)
    outsider = models.BooleanField(
        _("outside expert"), default=False, help_text=_("Not an employee of the enterprise.")
    )
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("login account (for voting)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="negotiation_seats",
    )
    appointed_on = models.DateField(_("appointed on"))
    vacated_on = models.DateField(_("seat vacated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["side", "-chief", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_side_display()}）"


class Round(models.Model):
    """A meeting of the two sides, chaired by the chiefs in turn, with its minutes (CCP art. 34)."""

    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("negotiation"), on_delete=models.CASCADE, related_name="rounds"
    )
    held_on = models.DateField(_("held on"))
    recorder = models.CharField(
        _("recorder"), max_length=50, help_text=_("Neutral, not a representative (CCP art. 33).")
    )
    minutes = models.TextField(_("minutes"))
    signed_by_chiefs = models.BooleanField(_("minutes signed by both chiefs"), default=False)

    class Meta:
        verbose_name = _("negotiation round")
        verbose_name_plural = _("negotiation rounds")
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.negotiation} · {self.held_on}"


class InformationRequest(models.Model):
    """Information the workers' side asks of the employer for wage talks, to be supplied
    within days of the request (WNM art. 21)."""

    negotiation = models.ForeignKey(
        Negotiation,
        verbose_name=_("negotiation"),
        on_delete=models.CASCADE,
        related_name="information_requests",
    )
    what = models.CharField(_("information asked for"), max_length=300)
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("due on"), editable=False)
    supplied_on = models.DateField(_("supplied on"), null=True, blank=True)
    alerted = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["requested_on", "id"]

    def __str__(self):
        return f"{self.negotiation}: {self.what[:30]}"


class Demand(models.Model):
    """A worker's demand gathered from the portal before or during the talks."""

    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("negotiation"), on_delete=models.CASCADE, related_name="demands"
    )
    author = models.ForeignKey(
        "accounts.User", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("demand"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("worker demand")
        verbose_name_plural = _("worker demands")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.negotiation}: {self.text[:30]}"


class Clause(models.Model):
    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("negotiation"), on_delete=models.CASCADE, related_name="clauses"
    )
    number = models.PositiveSmallIntegerField(_("clause number"))
    title = models.CharField(_("title"), max_length=100)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "number"], name="one_clause_number")
        ]

    def __str__(self):
        return f"{self.negotiation} 第{self.number}条 {self.title}"


class ClauseVersion(models.Model):
    """A proposal or counter-proposal of a clause's text; versions are never edited."""

    clause = models.ForeignKey(
        Clause, verbose_name=_("clause"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    side = models.CharField(_("proposed by"), max_length=8, choices=Representative.Side.choices)
    text = models.TextField(_("text"))
    proposed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clause version")
        verbose_name_plural = _("clause versions")
        ordering = ["clause", "version"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "version"], name="one_version_number")
        ]

    def __str__(self):
        return f"{self.clause} v{self.version}"


class Ballot(models.Model):
    """A vote of the representatives during an online session: one person one vote, changes
    logged, the result sealed when it closes."""

    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("negotiation"), on_delete=models.CASCADE, related_name="ballots"
    )
    question = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"), default=list)
    side = models.CharField(
        _("who votes"),
        max_length=8,
        choices=Representative.Side.choices,
        default=Representative.Side.WORKERS,
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    result = models.JSONField(_("sealed result"), null=True, blank=True)
    seal = models.CharField(_("seal (SHA-256)"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.negotiation}: {self.question}"


class Vote(models.Model):
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="votes"
    )
    representative = models.ForeignKey(
        Representative, verbose_name=_("representative"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("choice"), max_length=100)
    cast_at = models.DateTimeField(_("cast at"))
    changes = models.PositiveSmallIntegerField(_("times changed"), default=0)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "representative"], name="one_vote_each")
        ]

    def __str__(self):
        return f"{self.ballot} · {self.representative.name}"
