from django.core.management.base import BaseCommand

from gongjia.orgs.models import OrgUnit
from gongjia.platform import demo


class Command(BaseCommand):
    help = "Build the demo district (idempotent). --scale district adds benchmark volumes."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "district"], default="small")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds units",
        )

    def handle(self, *args, scale, if_empty, **opts):
        if if_empty and OrgUnit.objects.exists():
            self.stdout.write("database not empty: demo district not loaded")
            self.stdout.write(
                "demo logins, if loaded earlier: district, chengxiang, beigan, "
                "union, lawyer, judge, worker, sysadmin, secadmin, auditor"
            )
            return
        for step in demo.steps():
            step(scale=scale, out=self.stdout.write)
