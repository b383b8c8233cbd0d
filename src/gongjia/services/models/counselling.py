"""Worker counselling rooms (职工心理谈心室): rooms with their checklist, counsellors and their
weekly schedule, bookings that keep the booker's identity from the employer and the union, and
the counts a session leaves (services.md §1). The platform keeps counts only: no notes, no test
scores, no narrative of a crisis."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjia.platform.keylists import KeyListField

# services.md §1, the proposed standard of a room (confirm): each item is checked and dated.
ROOM_CHECKLIST = [
    ("soundproof", _("a sound-proofed room of at least 10 m²")),
    ("group_space", _("a shared space for groups")),
    ("posted", _("rules, counsellors, hours and crisis numbers posted")),
    ("counsellor", _("at least one qualified counsellor on a weekly schedule")),
    ("referral", _("a referral agreement with a hospital")),
    ("storage", _("locked storage")),
]


class Hotline(models.Model):
    """A psychological-assistance line shown to workers (dated reference data)."""

    number = models.CharField(_("number"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    operator = models.CharField(_("run by"), max_length=100)
    hours = models.CharField(_("hours"), max_length=60)
    valid_from = models.DateField(_("in service from"))
    valid_until = models.DateField(_("in service until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.name}"


class CounsellingRoom(models.Model):
    class Level(models.TextChoices):
        CENTRE = "centre", _("District centre")
        STATION = "station", _("Town or street station")
        POINT = "point", _("Enterprise point")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="counselling_rooms",
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    address = models.CharField(_("address"), max_length=200)
    hours = models.CharField(_("opening hours"), max_length=100)
    area_m2 = models.PositiveSmallIntegerField(_("room area (m²)"))
    opened_on = models.DateField(_("opened on"))
    checklist = KeyListField(_("standard items met"), keys=ROOM_CHECKLIST, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, editable=False
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("counselling room")
        verbose_name_plural = _("counselling rooms")
        ordering = ["-opened_on", "pk"]

    def __str__(self):
        return self.name

    @property
    def meets_standard(self) -> bool:
        return {k for k, _label in ROOM_CHECKLIST} <= set(self.checklist or ())


class Counsellor(models.Model):
    class Qualification(models.TextChoices):
        # The national certificate was withdrawn in 2017: an old one proves training only.
        OLD_L2 = "old_l2", _("Former national counsellor certificate, level 2")
        OLD_L3 = "old_l3", _("Former national counsellor certificate, level 3")
        CLINICAL = "clinical", _("Registered clinical or counselling psychologist")
        SOCIAL = "social", _("Licensed social worker")
        SKILL = "skill", _("Skill evaluation certificate")
        OTHER = "other", _("Other training")

    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("union"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("full name"), max_length=50)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        help_text=_("The professional body the service is bought from."),
    )
    qualification = models.CharField(
        _("qualification"), max_length=10, choices=Qualification.choices
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    training_hours = models.PositiveSmallIntegerField(_("training hours"), default=0)
    supervision = models.CharField(_("supervision"), max_length=200, blank=True, default="")
    contract_from = models.DateField(_("contract from"))
    contract_until = models.DateField(_("contract until"))

    class Meta:
        verbose_name = _("counsellor")
        verbose_name_plural = _("counsellors")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_until__gte=models.F("contract_from")),
                name="counsellor_contract_in_order",
            )
        ]

    def __str__(self):
        return self.name


class ScheduleSlot(models.Model):
    class Weekday(models.IntegerChoices):
        MON = 0, _("Monday")
        TUE = 1, _("Tuesday")
        WED = 2, _("Wednesday")
        THU = 3, _("Thursday")
        FRI = 4, _("Friday")
        SAT = 5, _("Saturday")
        SUN = 6, _("Sunday")

    room = models.ForeignKey(
        CounsellingRoom, verbose_name=_("room"), on_delete=models.PROTECT, related_name="slots"
    )
    counsellor = models.ForeignKey(
        Counsellor, verbose_name=_("counsellor"), on_delete=models.PROTECT, related_name="slots"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly schedule slot")
        verbose_name_plural = _("weekly schedule")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_in_order"
            )
        ]

    def __str__(self):
        return f"{self.room} · {self.get_weekday_display()}"


class Kind(models.TextChoices):
    INDIVIDUAL = "individual", _("One-to-one talk")
    GROUP = "group", _("Group session")
    HOTLINE = "hotline", _("Hotline call")
    LECTURE = "lecture", _("Mental-health lecture")


class Topic(models.TextChoices):
    WORK = "work", _("Work stress")
    RELATIONS = "relations", _("Relations at work")
    FAMILY = "family", _("Family and marriage")
    CHILDREN = "children", _("Children")
    HEALTH = "health", _("Health")
    MONEY = "money", _("Money and debt")
    LIFE = "life", _("Adjusting to city life")
    OTHER = "other", _("Other")


class Booking(models.Model):
    """A booking of a room. Who booked is never shown to anyone but the worker: an anonymous
    booking keeps only a keyed digest of the worker (so the worker can list their own), a named
    one keeps the member, seen by the room's counselling staff alone (PIPL arts. 28–29)."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Worker portal")
        PHONE = "phone", _("Phone")
        WALK_IN = "walk_in", _("Walk-in")

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        MISSED = "missed", _("Not attended")

    number = models.CharField(_("booking code"), max_length=20, unique=True, editable=False)
    room = models.ForeignKey(
        CounsellingRoom, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings"
    )
    channel = models.CharField(_("booked by"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INDIVIDUAL)
    wanted_on = models.DateField(_("date wanted"))
    wanted_at = models.TimeField(_("time wanted"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    consent_at = models.DateTimeField(_("separate consent given"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BOOKED, editable=False
    )
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("counselling booking")
        verbose_name_plural = _("counselling bookings")
        ordering = ["-wanted_on", "-pk"]
        permissions = [("counsel_booking", _("Can run counselling bookings and sessions"))]
        indexes = [models.Index(fields=["owner_digest"])]
        constraints = [
            # An anonymous booking names nobody.
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(member__isnull=True),
                name="anonymous_booking_names_nobody",
            )
        ]

    def __str__(self):
        return self.number


class Session(models.Model):
    """What a session leaves on the platform: counts and flags, nothing said in it."""

    room = models.ForeignKey(
        CounsellingRoom, verbose_name=_("room"), on_delete=models.PROTECT, related_name="sessions"
    )
    booking = models.OneToOneField(
        Booking,
        verbose_name=_("booking"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session",
    )
    held_on = models.DateField(_("held on"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices)
    people = models.PositiveIntegerField(_("people"), default=1)
    risk = models.BooleanField(_("risk flagged"), default=False)
    referred = models.BooleanField(_("referred to a medical institution"), default=False)

    class Meta:
        verbose_name = _("counselling session")
        verbose_name_plural = _("counselling sessions")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="session_minutes_positive"),
            models.CheckConstraint(condition=Q(people__gt=0), name="session_people_positive"),
        ]

    def __str__(self):
        return f"{self.room} · {self.held_on}"


CRISIS_ACTIONS = [
    ("stayed", _("stayed with the person")),
    ("called_120", _("called 120")),
    ("called_110", _("called 110")),
    ("contact_told", _("told the emergency contact, least disclosure")),
    ("referred", _("referred to a psychiatric hospital")),
]


class Crisis(models.Model):
    """The crisis path as times and ticks (services.md §1): no narrative."""

    class Outcome(models.TextChoices):
        SAFE = "safe", _("Safe with family or friends")
        HOSPITAL = "hospital", _("Taken to hospital")
        POLICE = "police", _("Handed to the police")
        OTHER = "other", _("Other")

    room = models.ForeignKey(
        CounsellingRoom, verbose_name=_("room"), on_delete=models.PROTECT, related_name="crises"
    )
    at = models.DateTimeField(_("time"))
    taken = KeyListField(_("actions taken"), keys=CRISIS_ACTIONS)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    follow_up_due = models.DateTimeField(_("follow up by"), editable=False)
    followed_up_at = models.DateTimeField(
        _("followed up at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        ordering = ["-at", "-pk"]
        permissions = [("follow_up_crisis", _("Can record crisis follow-ups"))]

    def __str__(self):
        return f"{self.room} · {self.at:%Y-%m-%d %H:%M}"
