"""The real-name member registry (会员实名制) and union founding in new fields (建会)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjia.platform.pii import BlindIndexField, PhoneField, ProtectedField


class Member(models.Model):
    """One person in the district's registry, with their membership in one grassroots union.

    The person is identified by the ID number (encrypted, found through its blind index); a
    person has one record, so one active membership in the district.
    """

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Category(models.TextChoices):
        OPERATOR = "operator", _("Industrial worker: frontline operator")
        TECHNICAL = "technical", _("Industrial worker: technical staff")
        MANAGEMENT = "management", _("Industrial worker: management")
        MIGRANT = "migrant", _("Migrant worker")
        NEW_FORM = "new_form", _("New-form worker (riders, drivers...)")
        OTHER = "other", _("Other")

    class SkillLevel(models.IntegerChoices):
        # The eight-level ladder (新八级工), MOHRSS 2022; 0 = none recorded
        NONE = 0, _("None recorded")
        APPRENTICE = 1, _("Apprentice")
        LEVEL5 = 2, _("Level 5 / junior worker")
        LEVEL4 = 3, _("Level 4 / intermediate worker")
        LEVEL3 = 4, _("Level 3 / senior worker")
        LEVEL2 = 5, _("Level 2 / technician")
        LEVEL1 = 6, _("Level 1 / senior technician")
        PRINCIPAL = 7, _("Principal technician")
        CHIEF = 8, _("Chief technician")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("Primary school or below")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary or vocational")
        COLLEGE = "college", _("Junior college")
        BACHELOR = "bachelor", _("Bachelor")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    class Political(models.TextChoices):
        MASSES = "masses", _("Masses")
        PARTY = "party", _("Communist Party member")
        PROBATIONARY = "probationary", _("Probationary party member")
        LEAGUE = "league", _("Communist Youth League member")
        OTHER_PARTY = "other_party", _("Member of another party")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACTIVE = "active", _("Member")
        WITHDRAWN = "withdrawn", pgettext_lazy("membership", "Withdrawn")
        REJECTED = "rejected", _("Application rejected")

    # Indexes are chosen for the million-row registry: each one costs every import.
    name = models.CharField(_("full name"), max_length=50)
    id_number = ProtectedField(_("ID number"))
    # Indexed by the unique constraint below; a second (and on PostgreSQL a third, LIKE) index
    # of 64 random characters would only slow every import.
    id_number_bidx = BlindIndexField(source="id_number", db_index=False)
    id_upgraded = models.BooleanField(_("upgraded from 15 digits"), default=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    mobile = PhoneField(_("mobile"), max_length=11, blank=True, default="")
    employer = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        db_index=False,  # (employer, status) below serves both the key and membership rates
    )
    union = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,  # led by the (union, status) index
    )
    join_date = models.DateField(_("join date"), null=True, blank=True)
    member_number = models.CharField(_("member number"), max_length=24)  # unique: see Meta
    category = models.CharField(
        _("worker category"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    skill_level = models.PositiveSmallIntegerField(
        _("skill level"), choices=SkillLevel.choices, default=SkillLevel.NONE
    )
    highest_certificate = models.CharField(
        _("highest certificate"), max_length=100, blank=True, default=""
    )
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True, default=""
    )
    political_status = models.CharField(
        _("political status"), max_length=16, choices=Political.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )  # led by the (status, join_date) index
    withdrawn_on = models.DateField(_("withdrawal date"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("withdrawal reason"), max_length=200, blank=True, default=""
    )
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("portal account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            # One person, one record in the district (so at most one active membership).
            models.UniqueConstraint(fields=["id_number_bidx"], name="one_record_per_person"),
            # A constraint, not unique=True, so PostgreSQL gets no unused LIKE index as well.
            models.UniqueConstraint(fields=["member_number"], name="unique_member_number"),
        ]
        indexes = [
            models.Index(fields=["union", "status"], name="member_union_status"),
            # Covering for the yearly member count (status, joined by, not withdrawn by): the
            # count reads the index alone instead of a million rows.
            models.Index(
                fields=["status", "join_date", "withdrawn_on"], name="member_status_join_out"
            ),
            models.Index(fields=["employer", "status"], name="member_employer_status"),
        ]
        permissions = [
            ("export_member", _("Can export members")),
            ("reveal_member", _("Can reveal members' ID numbers")),
            ("approve_member", _("Can approve membership applications")),
        ]

    def __str__(self):
        return f"{self.name} ({self.member_number})"


class MembershipChange(models.Model):
    """History of a membership: joins, transfers between unions (转会), withdrawals."""

    class Kind(models.TextChoices):
        JOIN = "join", _("Joined")
        TRANSFER = "transfer", _("Transferred")
        WITHDRAW = "withdraw", _("Withdrew")
        REINSTATE = "reinstate", _("Reinstated")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("date"))
    from_union = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("from union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_union = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("to union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()} · {self.on}"


class Founding(models.Model):
    """A case of founding a union in a new field, from preparation to establishment."""

    class Field(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        BUILDING = "building", _("Office building")
        COMMERCIAL = "commercial", _("Commercial district")
        PARK = "park", _("Park or industry town")
        VILLAGE = "village", _("Village or community")
        INDUSTRY = "industry", _("Industry joint union")
        NEW_FORM = "new_form", _("New-form workers")

    class Status(models.TextChoices):
        PREPARATION = "preparation", _("Preparation")
        ELECTION = "election", _("Committee elected")
        APPROVAL = "approval", _("Awaiting approval")
        ESTABLISHED = "established", _("Established")
        ABANDONED = "abandoned", _("Abandoned")

    name = models.CharField(_("proposed union name"), max_length=200)
    field = models.CharField(_("field"), max_length=12, choices=Field.choices)
    kind = models.CharField(_("union kind"), max_length=24, default="grassroots_union")
    federation = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("town or street federation"),
        on_delete=models.PROTECT,
        related_name="foundings",
    )
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        "orgs.Region", verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    workers = models.PositiveIntegerField(_("workers covered"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PREPARATION
    )
    started_on = models.DateField(_("preparation started"))
    elected_on = models.DateField(_("committee elected on"), null=True, blank=True)
    chair_name = models.CharField(_("chair"), max_length=50, blank=True, default="")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_document = models.CharField(
        _("approval document number"), max_length=100, blank=True, default=""
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, default=""
    )
    unit_code = models.CharField(_("unit code"), max_length=32, blank=True, default="")
    unit = models.OneToOneField(
        "orgs.OrgUnit",
        verbose_name=_("established union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="founding",
    )

    class Meta:
        verbose_name = _("union founding")
        verbose_name_plural = _("union foundings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="established") | Q(unit__isnull=False),
                name="established_founding_has_unit",
            )
        ]

    def __str__(self):
        return self.name


class TransferRequest(models.Model):
    """A transfer (转会) into a union outside the sending officer's organisation: the member
    stays where they are until the receiving union accepts; it may refuse, with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the receiving union")
        ACCEPTED = "accepted", pgettext_lazy("transfer request", "Accepted")
        REFUSED = "refused", pgettext_lazy("transfer request", "Refused")
        WITHDRAWN = "withdrawn", pgettext_lazy("transfer request", "Withdrawn by the sender")

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="transfer_requests",
    )
    from_union = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("from union"), on_delete=models.PROTECT, related_name="+"
    )
    to_union = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("to union"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("transfer date"))
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status="pending"),
                name="one_pending_transfer_per_member",
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.to_union}"
