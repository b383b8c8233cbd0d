import datetime as dt

from auditlog.models import LogEntry
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from gongjia.platform import audit, parameters
from gongjia.platform.models import AuditEvent


class Command(BaseCommand):
    help = "Delete audit entries older than a date; refuses entries younger than the retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            required=True,
            type=dt.date.fromisoformat,
            help="delete entries created before this date (YYYY-MM-DD)",
        )

    def handle(self, *args, before, **opts):
        days = parameters.value("security.audit_retention_days")
        limit = timezone.localdate() - dt.timedelta(days=days)
        if before > limit:
            raise CommandError(
                f"refused: entries must be kept at least {days} days; "
                f"the latest allowed --before is {limit.isoformat()}"
            )
        cutoff = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
        with transaction.atomic():
            old = AuditEvent.objects.filter(created_at__lt=cutoff)
            first_kept = AuditEvent.objects.filter(created_at__gte=cutoff).order_by("id").first()
            n = old.count()
            if not n:
                self.stdout.write("nothing to purge")
                return
            log_ids = [
                d.get("log_entry") for d in old.filter(kind="change").values_list("data", flat=True)
            ]
            old._purge()
            LogEntry.objects.filter(pk__in=[i for i in log_ids if i]).delete()
            anchor = first_kept.prev_hash if first_kept else ""
            audit.record(
                AuditEvent.Kind.SYSTEM,
                "audit_purged",
                data={"before": before.isoformat(), "entries": n, "anchor": anchor},
            )
        self.stdout.write(f"purged {n} audit entries created before {before}")
