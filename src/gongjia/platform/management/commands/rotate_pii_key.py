from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from gongjia.platform import pii


class Command(BaseCommand):
    help = "Make a new personal-data key active and re-encrypt every protected column with it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-new-key", action="store_true", help="only re-encrypt with the key already active"
        )

    def handle(self, *args, no_new_key, **opts):
        if not no_new_key:
            self.stdout.write(f"new active key: {pii.add_key_to_ring()}")
        active = pii.keyring()["active"]
        for model in apps.get_models():
            fields = pii.protected_fields(model)
            if not fields:
                continue
            n = 0
            names = [f.name for f in fields]
            qs = model._default_manager.order_by("pk")
            last = None
            while True:
                batch_qs = qs.filter(pk__gt=last) if last is not None else qs
                batch = list(batch_qs.only("pk", *names)[:1000])
                if not batch:
                    break
                with transaction.atomic():
                    # bulk_update encrypts again with the active key (fresh nonces).
                    model._default_manager.bulk_update(batch, names)
                n += len(batch)
                last = batch[-1].pk
            self.stdout.write(f"{model._meta.label}: {n} rows re-encrypted with {active}")
        # Every row is under the active key now: only its canary (and the index key's) remain.
        from gongjia.platform.models import KeyCanary

        KeyCanary.objects.exclude(key_id__in=[active, "index"]).delete()
        pii.ensure_canaries()
