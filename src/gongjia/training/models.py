"""The craftsman academy (匠心学院): its course catalogue, classes opened for the public or
customised for one enterprise, enrolments, sessions with their attendance, assessments and
completion certificates; the district's training bases and enterprise learning stations; and
the "百千万" talent plan, its tiers and the criteria a person counts in a tier by."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjia.members.selectors import SkillLevel


def new_token() -> str:
    return secrets.token_urlsafe(18)


# A verification code is read off paper and typed: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


class Course(models.Model):
    """A course of the academy's catalogue: what is taught, to which level, in how many hours
    of theory and of practice, and by whom."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    trade = models.ForeignKey(
        "skills.Trade",
        verbose_name=_("trade"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
    )
    level = models.PositiveSmallIntegerField(
        _("skill level trained for"), choices=SkillLevel.choices, default=SkillLevel.NONE
    )
    theory_hours = models.PositiveSmallIntegerField(_("theory hours"), default=0)
    practice_hours = models.PositiveSmallIntegerField(_("practice hours"), default=0)
    teachers = models.CharField(_("teachers"), max_length=300, blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    active = models.BooleanField(_("in the catalogue"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(theory_hours__gt=0) | Q(practice_hours__gt=0), name="course_hours"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not (self.theory_hours or self.practice_hours):
            raise ValidationError(
                {"theory_hours": _("A course has hours of theory, of practice or of both.")}
            )

    @property
    def hours(self) -> int:
        return self.theory_hours + self.practice_hours


class TrainingBase(models.Model):
    """An enterprise named a district training base (区产业工人培训基地), or an enterprise's
    learning station (产业工人能量“加油站”): applied for, evaluated on a checklist, named for
    a term, reviewed every year and removed when it no longer meets the checklist."""

    class Kind(models.TextChoices):
        BASE = "base", _("District training base")
        STATION = "station", _("Enterprise learning station")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        EVALUATED = "evaluated", _("Evaluated")
        NAMED = "named", _("Named")
        REJECTED = "rejected", _("Not named")
        REMOVED = "removed", _("Removed")

    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="training_bases",
    )
    # The federation that names the base (the district's, for a district training base): only
    # its officers name, renew and remove it; the enterprise's town and union follow it.
    authority = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("naming federation"),
        on_delete=models.PROTECT,
        related_name="training_bases_named",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.BASE)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED, editable=False
    )
    applied_on = models.DateField(_("applied on"))
    application = models.TextField(
        _("application"), help_text=_("What the enterprise offers: venue, equipment, teachers.")
    )
    # The evaluation checklist (training.base_checklist): {item: true/false}, set on the form.
    checklist = models.JSONField(_("evaluation checklist"), default=dict, blank=True)
    named_on = models.DateField(_("named on"), null=True, blank=True, editable=False)
    term_until = models.DateField(_("named until"), null=True, blank=True, editable=False)
    removed_on = models.DateField(_("removed on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")
        ordering = ["-named_on", "enterprise__name"]
        permissions = [("approve_trainingbase", _("Can name, renew and remove training bases"))]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind"],
                condition=Q(status__in=["applied", "evaluated", "named"]),
                name="one_open_base_per_enterprise",
            )
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()}"


class BaseReview(models.Model):
    """A base's yearly review against its checklist."""

    base = models.ForeignKey(
        TrainingBase,
        verbose_name=_("training base"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reviewed_on = models.DateField(_("reviewed on"))
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("yearly review of a base")
        verbose_name_plural = _("yearly reviews of bases")
        ordering = ["base", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["base", "year"], name="base_review_once_a_year")
        ]

    def __str__(self):
        return f"{self.base} · {self.year}"


class TrainingClass(models.Model):
    """A class of a course: open to the public, or customised for one enterprise at its
    request, with the programme agreed and the cost split between the enterprise and the
    federation (in fen)."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Open to the public")
        CUSTOMISED = "customised", _("Customised for an enterprise")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ENROLLING = "enrolling", _("Open for enrolment")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="classes"
    )
    name = models.CharField(_("name"), max_length=200)
    organiser = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    enterprise = models.ForeignKey(
        "orgs.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_classes",
        help_text=_("The enterprise a customised class is for."),
    )
    base = models.ForeignKey(
        TrainingBase,
        verbose_name=_("training base"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classes",
        help_text=_("Where the class is held, if at a training base."),
    )
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    request = models.TextField(_("the enterprise's request"), blank=True, default="")
    programme = models.TextField(_("agreed programme"), blank=True, default="")
    cost_enterprise = models.PositiveBigIntegerField(_("paid by the enterprise (fen)"), default=0)
    cost_federation = models.PositiveBigIntegerField(_("paid by the federation (fen)"), default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=200, blank=True, default="")
    capacity = models.PositiveIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED, editable=False
    )

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-starts_on", "name"]
        indexes = [models.Index(fields=["starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="class_dates"
            ),
            models.CheckConstraint(
                condition=Q(kind="public") | Q(enterprise__isnull=False),
                name="customised_class_enterprise",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A class cannot end before it starts.")
        if self.kind == self.Kind.CUSTOMISED:
            if not self.enterprise_id:
                errors["enterprise"] = _("A customised class names the enterprise it is for.")
            if not self.requested_on:
                errors["requested_on"] = _("Enter the day the enterprise asked for the class.")
            if not self.request.strip():
                errors["request"] = _("Enter what the enterprise asked for.")
        elif self.enterprise_id:
            errors["enterprise"] = _("A class open to the public is for no one enterprise.")
        if errors:
            raise ValidationError(errors)


class ClassSession(models.Model):
    """One session of a class, theory or practice; workers check in by scanning its code."""

    class Kind(models.TextChoices):
        THEORY = "theory", _("Theory")
        PRACTICE = "practice", _("Practice")

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="sessions"
    )
    on = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.THEORY)
    topic = models.CharField(_("topic"), max_length=200)
    teacher = models.CharField(_("teacher"), max_length=100, blank=True, default="")
    # What the check-in code carries: random, so no one checks in without having seen it.
    token = models.CharField(
        _("check-in code"), max_length=32, unique=True, editable=False, default=new_token
    )

    class Meta:
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        ordering = ["training_class", "on", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_times"
            )
        ]

    def __str__(self):
        return f"{self.training_class} · {self.on:%Y-%m-%d} {self.topic}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session ends after it starts.")})
        c = self.training_class if self.training_class_id else None
        if c and self.on and not (c.starts_on <= self.on <= c.ends_on):
            raise ValidationError(
                {
                    "on": _("The session falls within the class's dates (%(a)s to %(b)s).")
                    % {"a": c.starts_on, "b": c.ends_on}
                }
            )


class Enrolment(models.Model):
    """A member in a class: enrolled in the portal, by their union or by spreadsheet; assessed
    at the end; completed (with a certificate) or not."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("In the portal")
        UNION = "union", _("By the union")
        IMPORT = "import", _("By spreadsheet")

    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    union = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The member's union when they enrolled."),
    )
    channel = models.CharField(_("enrolled"), max_length=8, choices=Channel.choices)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=Status.choices,
        default=Status.ENROLLED,
        editable=False,
    )
    score = models.DecimalField(
        _("assessment (out of 100)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    level_reached = models.PositiveSmallIntegerField(
        _("skill level certified"),
        choices=SkillLevel.choices,
        default=SkillLevel.NONE,
        editable=False,
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["training_class", "pk"]
        indexes = [models.Index(fields=["status", "completed_on"])]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "member"], name="enrolled_once"),
        ]

    def __str__(self):
        return f"{self.training_class} · {self.member}"


class Attendance(models.Model):
    """A member present at a session: checked in on their phone or marked by the teacher."""

    class How(models.TextChoices):
        QR = "qr", _("Checked in with the code")
        ROLL = "roll", _("Marked by the teacher")

    session = models.ForeignKey(
        ClassSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    at = models.DateTimeField(_("at"))
    how = models.CharField(_("how"), max_length=4, choices=How.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="present_once"),
        ]

    def __str__(self):
        return f"{self.session} · {self.enrolment.member}"


class Certificate(models.Model):
    """A completion certificate, with a code anyone can check on the public verification page."""

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    code = models.CharField(_("verification code"), max_length=16, unique=True, default=new_code)
    issued_on = models.DateField(_("issued on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True, editable=False)
    revoked_reason = models.CharField(
        _("reason revoked"), max_length=200, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("completion certificate")
        verbose_name_plural = _("completion certificates")
        ordering = ["-issued_on", "number"]

    def __str__(self):
        return self.number

    @property
    def valid(self) -> bool:
        return self.revoked_on is None


class Plan(models.Model):
    """A talent plan (the "百千万" plan): its period and, in its tiers, the targets and the
    criteria a person counts by, read from records."""

    name = models.CharField(_("name"), max_length=200)
    organiser = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="talent_plans",
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("talent plan")
        verbose_name_plural = _("talent plans")
        ordering = ["-first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="plan_years"
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.first_year}–{self.last_year}）"

    def clean(self):
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("The plan ends in or after its first year.")})


class PlanTier(models.Model):
    """A tier of a plan with its target and its criteria (`training.plans.CRITERIA`): a person
    counts in the highest tier any of whose criteria their records meet, and only there."""

    class Key(models.TextChoices):
        CRAFTSMAN_TALENT = "craftsman_talent", _("Craftsman-type talents")
        TECHNICAL_BACKBONE = "technical_backbone", _("Applied technical backbones")
        FRONTLINE_WORKER = "frontline_worker", _("Frontline professional workers")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="tiers"
    )
    key = models.CharField(_("tier"), max_length=20, choices=Key.choices)
    rank = models.PositiveSmallIntegerField(
        _("order"), help_text=_("1 is the highest tier: a person counts in the highest they meet.")
    )
    target = models.PositiveIntegerField(_("target (people)"))
    # Any one of these makes a person count: [{"kind": "training", "min_level": 2}, ...]
    criteria = models.JSONField(_("criteria"), default=list, blank=True)

    class Meta:
        verbose_name = _("plan tier")
        verbose_name_plural = _("plan tiers")
        ordering = ["plan", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plan_tier_once"),
            models.UniqueConstraint(fields=["plan", "rank"], name="plan_tier_rank"),
        ]

    def __str__(self):
        return f"{self.plan.name} · {self.get_key_display()}"
