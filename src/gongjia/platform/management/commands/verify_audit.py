from django.core.management.base import BaseCommand, CommandError

from gongjia.platform import audit


class Command(BaseCommand):
    help = "Verify the audit hash chain; exit non-zero and name the first broken entry."

    def handle(self, *args, **opts):
        checked, broken = audit.verify()
        if broken:
            raise CommandError(
                f"audit chain broken at entry #{broken.entry_id}: {broken.reason} "
                f"({checked} entries verified before it)"
            )
        anchor = audit.write_anchor()
        self.stdout.write(f"audit chain intact: {checked} entries verified")
        if anchor:
            self.stdout.write(f"anchored at entry #{anchor['last_id']} ({audit.anchor_path()})")
