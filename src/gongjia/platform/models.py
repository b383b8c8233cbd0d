"""Platform records: the audit chain, jobs, attachments, notifications, consents, heartbeats."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    """Audit rows are never updated or deleted, except by the retention purge."""

    def update(self, **kwargs):
        raise AppendOnlyError("audit records are append-only")

    def delete(self):
        raise AppendOnlyError("audit records are append-only")

    def _purge(self):
        return super().delete()


class AuditEvent(models.Model):
    """One entry of the append-only audit chain.

    Kinds: `change` seals a field-level change row of django-auditlog (digest of that row);
    `transition` is a change of a record's status; `record` another event of its timeline (typed
    in the apps' `events` modules); `security` covers logins, lockouts and
    grants; `reveal` and `export` record access to personal data; `import` a bulk write.
    hash = SHA-256(prev_hash + canonical JSON of the entry): editing or removing any entry
    breaks every hash after it (`gongjia manage verify_audit`).
    """

    class Kind(models.TextChoices):
        CHANGE = "change", _("Field change")
        TRANSITION = "transition", _("Status change")
        RECORD = "record", _("Record event")
        SECURITY = "security", _("Security")
        REVEAL = "reveal", _("Personal-data reveal")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        SYSTEM = "system", _("System")

    created_at = models.DateTimeField(_("time"), db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    success = models.BooleanField(_("success"), default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True, default="")
    object_repr = models.CharField(_("object"), max_length=200, blank=True, default="")
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True, default="")
    hash = models.CharField(_("this entry's hash"), max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "id"])]
        default_permissions = ("view",)
        permissions = [("export_auditevent", _("Can export the audit log"))]

    def __str__(self):
        from gongjia.platform import events  # events reads this model: imported when shown

        return f"#{self.pk} {self.created_at:%Y-%m-%d %H:%M:%S} {events.label(self)}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit records are append-only")
        if not self.hash:
            raise AppendOnlyError("audit entries are written through gongjia.platform.audit")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit records are append-only")


class Job(models.Model):
    """A long-running piece of work (import, export, recomputation) whose progress pages poll."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    label = models.CharField(_("title"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    result_file = models.CharField(_("result file"), max_length=300, blank=True, default="")
    worker_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return self.label

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class Attachment(models.Model):
    """A file attached to any scoped record; downloads check the scope of that record."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("record id"), max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    content_type_header = models.CharField(_("file type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.name


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True, default="")
    link = models.CharField(_("link"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class Consent(models.Model):
    """Consent to process personal information (PIPL arts. 14, 29-31)."""

    class Method(models.TextChoices):
        WRITTEN = "written", _("Written")
        ELECTRONIC = "electronic", _("Electronic")

    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("record id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    subject_name = models.CharField(_("person"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=200)
    notice_version = models.CharField(_("notice version"), max_length=40)
    separate = models.BooleanField(
        _("separate consent"),
        default=False,
        help_text=_("Separate consent is required for sensitive personal information."),
    )
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.subject_name} · {self.purpose}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Heartbeat(models.Model):
    """One row per worker process, beaten every interval; `/healthz` and the recovery of
    orphaned jobs judge a worker gone after a few missed intervals."""

    name = models.CharField(max_length=64, primary_key=True)
    beat_at = models.DateTimeField()
    interval_s = models.FloatField(default=2.0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return self.name


class Counter(models.Model):
    """Named sequences for human-facing numbers (member numbers...); allocated in blocks."""

    name = models.CharField(max_length=64, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.name}={self.value}"


class KeyCanary(models.Model):
    """A known text under each personal-data key the database uses (and the index key's mark of
    it): at start-up and in /healthz they tell at once whether the key ring matches the data."""

    key_id = models.CharField(max_length=16, primary_key=True)
    token = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("key canary")
        verbose_name_plural = _("key canaries")

    def __str__(self):
        return self.key_id


class OfficialYear(models.Model):
    """A year of the official calendar as the State Council's notice sets it (节假日安排): the
    years of the bundled calendar package are entered at installation; a new year is entered
    (or imported from a spreadsheet) when its notice is published. Deadlines that run into a
    year not entered are provisional."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    notice = models.CharField(_("notice"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class OfficialDay(models.Model):
    """A holiday, or a make-up working day on a weekend, of an official year."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up working day")

    day = models.DateField(_("date"), primary_key=True)
    year = models.ForeignKey(
        OfficialYear, verbose_name=_("year"), on_delete=models.PROTECT, related_name="days"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("official day")
        verbose_name_plural = _("official days")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {self.get_kind_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.day and self.year_id and self.day.year != self.year_id:
            raise ValidationError(
                {"day": _("The date lies outside the year %(y)s.") % {"y": self.year_id}}
            )


class TableVersion(models.Model):
    """How often a table has been written (from a random start): a kept figure is good while
    the tables it read are at the versions it was computed at (platform.figure_cache)."""

    name = models.CharField(max_length=100, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        verbose_name = _("table version")
        verbose_name_plural = _("table versions")

    def __str__(self):
        return f"{self.name}@{self.version}"
