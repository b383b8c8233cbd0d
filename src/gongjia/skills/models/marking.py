"""Marking schemes in the WorldSkills structure, the judges' scores and the marks they make,
rechecks, unlocking, appeals and promotions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.members.selectors import SkillLevel
from gongjia.skills import marking
from gongjia.skills.models.competitions import Entry, Event, Judge


class Scheme(models.Model):
    """An event's marking scheme: standard sections whose weights sum to 100, criteria, their
    sub-criteria and aspects. Draft → approved → locked when marking opens."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        LOCKED = "locked", _("Locked for marking")

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="scheme"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )

    class Meta:
        verbose_name = _("marking scheme")
        verbose_name_plural = _("marking schemes")

    def __str__(self):
        return str(self.event)


class Section(models.Model):
    """A standard section (WSOS) with its weighting; the weightings of a scheme sum to 100."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="sections"
    )
    number = models.CharField(_("section"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    weight = models.DecimalField(_("weighting"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("standard section")
        verbose_name_plural = _("standard sections")
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="section_number"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class Criterion(models.Model):
    """A criterion (A, B, C …), usually one module of the test project; its mark is the sum of
    its aspects'."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="criteria"
    )
    letter = models.CharField(_("criterion"), max_length=4)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["scheme", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "letter"], name="criterion_letter"),
        ]

    def __str__(self):
        return f"{self.letter} {self.title}"


class SubCriterion(models.Model):
    """A group of aspects, marked on one day of the competition."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="subs"
    )
    code = models.CharField(_("sub-criterion"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    marking_day = models.PositiveSmallIntegerField(_("marking day"), default=1)

    class Meta:
        verbose_name = _("sub-criterion")
        verbose_name_plural = _("sub-criteria")
        ordering = ["criterion", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="subcriterion_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class Aspect(models.Model):
    """What is marked: a measurement (by a calculation type) or a judgement (0–3 by three
    judges), with its maximum mark, linked to exactly one standard section."""

    class Kind(models.TextChoices):
        MEASUREMENT = "M", _("Measurement")
        JUDGEMENT = "J", _("Judgement")

    class Calculation(models.TextChoices):
        PASS_FAIL = marking.PASS_FAIL, _("Pass or fail")
        COMPLETED = marking.COMPLETED, _("Number completed")
        CHOICE = marking.CHOICE, _("Choice with a deduction")
        RANGED = marking.RANGED, _("Ranged score")

    class Aggregation(models.TextChoices):
        SPREAD_CHECKED = marking.SPREAD_CHECKED, _("Three judges, spread checked")
        MEAN = marking.MEAN, _("Mean of the scores")
        TRIMMED = marking.TRIMMED, _("Mean without the highest and the lowest")
        TWO_CLOSEST = marking.TWO_CLOSEST, _("Mean of the two closest of three")

    sub = models.ForeignKey(
        SubCriterion,
        verbose_name=_("sub-criterion"),
        on_delete=models.CASCADE,
        related_name="aspects",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("standard section"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=1, choices=Kind.choices)
    description = models.CharField(_("aspect"), max_length=500)
    max_mark = models.DecimalField(_("maximum mark"), max_digits=5, decimal_places=2)
    calculation = models.CharField(
        _("calculation"), max_length=10, choices=Calculation.choices, blank=True, default=""
    )
    # For a measurement: {"n": 4} (number completed), {"choices": [{"label": …, "deduction":
    # 33.3}, …]}, {"ranges": [{"low": …, "high": …, "deduction": …}, …]}; for a judgement the
    # descriptors of the scores 0–3: {"descriptors": ["…", "…", "…", "…"]}.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    aggregation = models.CharField(
        _("panel aggregation"),
        max_length=14,
        choices=Aggregation.choices,
        default=Aggregation.SPREAD_CHECKED,
    )
    requirement = models.CharField(_("requirement"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("aspect")
        verbose_name_plural = _("aspects")
        ordering = ["sub", "order", "pk"]

    def __str__(self):
        return f"{self.sub.code}.{self.order} {self.description}"


class Mark(models.Model):
    """An entry's mark for one aspect: entered → signed → locked. The mark is kept exact, as
    the fraction it is (2, 2, 3 out of 3 with maximum 0.75 is 7/12), and rounded only where it
    is read."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the panel")
        ENTERED = "entered", _("Entered")
        SIGNED = "signed", _("Signed")
        LOCKED = "locked", _("Locked")

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="marks"
    )
    aspect = models.ForeignKey(
        Aspect, verbose_name=_("aspect"), on_delete=models.PROTECT, related_name="marks"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING, editable=False
    )
    # The panel's scores are further apart than the rule allows: the judges score again.
    rescore = models.BooleanField(_("to be scored again"), default=False, editable=False)
    numerator = models.BigIntegerField(
        _("mark (numerator of the exact value)"), null=True, editable=False
    )
    denominator = models.BigIntegerField(
        _("mark (denominator of the exact value)"), null=True, editable=False
    )
    signed_by = models.ManyToManyField(Judge, verbose_name=_("signed by"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [
            models.UniqueConstraint(fields=["entry", "aspect"], name="mark_once"),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gt=0),
                name="mark_denominator",
            ),
        ]

    def __str__(self):
        return f"{self.entry} · {self.aspect}"

    @property
    def value(self):
        from fractions import Fraction

        return None if self.denominator is None else Fraction(self.numerator, self.denominator)


class Score(models.Model):
    """One judge's score of one aspect for one entry: a judgement 0–3, or what the judge
    measured (met or not, the number completed, the index of the choice, the value), hidden
    from the other judges until the panel has scored."""

    mark = models.ForeignKey(
        Mark, verbose_name=_("mark"), on_delete=models.CASCADE, related_name="scores"
    )
    judge = models.ForeignKey(
        Judge, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="scores"
    )
    # A number for every kind: a judgement 0–3; a measurement 1 or 0 (met or not), the number
    # completed, the index of the choice, or the value measured (plain numbers, not JSON: an
    # event's results read 90,000 of them).
    value = models.FloatField(_("score"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    # The judge's own time on the phone when it was typed (it may reach us later, offline).
    typed_at = models.DateTimeField(_("typed"), null=True, blank=True)
    client_key = models.CharField(max_length=40, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["mark", "judge"], name="score_once_per_judge"),
        ]

    def __str__(self):
        return f"{self.mark} · {self.judge}"


class Unlock(models.Model):
    """A request to unlock a locked mark: by a privileged role with a reason, taking effect
    when a second person approves it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved, mark unlocked")
        REFUSED = "refused", _("Refused")

    mark = models.ForeignKey(
        Mark, verbose_name=_("mark"), on_delete=models.PROTECT, related_name="unlocks"
    )
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.REQUESTED,
        editable=False,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)

    class Meta:
        verbose_name = _("unlocking of a mark")
        verbose_name_plural = _("unlockings of marks")

    def __str__(self):
        return f"{self.mark} · {self.get_status_display()}"


class Recheck(models.Model):
    """The recheck of an event's results: every top result and a drawn share of the rest
    (the draw's seed kept), widened to everything if too many are found wrong."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="recheck"
    )
    seed = models.CharField(_("seed of the draw"), max_length=40)
    entries = models.ManyToManyField(Entry, verbose_name=_("entries to recheck"), related_name="+")
    checked = models.PositiveIntegerField(_("rechecked"), default=0)
    wrong = models.PositiveIntegerField(_("found wrong"), default=0)
    everything = models.BooleanField(_("everything to be rechecked"), default=False)
    confirmed_by = models.ForeignKey(
        Judge,
        verbose_name=_("confirmed by the chief referee"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recheck")
        verbose_name_plural = _("rechecks")

    def __str__(self):
        return str(self.event)


class Appeal(models.Model):
    """An appeal against a published result, within the window before results freeze."""

    class Status(models.TextChoices):
        LODGED = "lodged", _("Lodged")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="appeals"
    )
    grounds = models.TextField(_("grounds"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.LODGED, editable=False
    )
    lodged_on = models.DateField(_("lodged on"), default=timezone.localdate)
    decision = models.TextField(_("decision"), blank=True, default="")

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return f"{self.entry} · {self.lodged_on}"


class Promotion(models.Model):
    """A member's skill level raised by a competition result (with its evidence): also part of
    the person's record for craftsman titles and honours."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="promotions"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="promotions",
    )
    from_level = models.PositiveSmallIntegerField(_("from"), choices=SkillLevel.choices)
    to_level = models.PositiveSmallIntegerField(_("to"), choices=SkillLevel.choices)
    on = models.DateField(_("on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("promotion by competition")
        verbose_name_plural = _("promotions by competition")
        constraints = [
            models.UniqueConstraint(fields=["entry", "member"], name="promotion_once"),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_to_level_display()}"
