import time

from django.core.management.base import BaseCommand, CommandError

from gongjia.members.exports import export_members
from gongjia.members.models import Member
from gongjia.orgs.models import OrgUnit
from gongjia.platform.scope import SYSTEM


class Command(BaseCommand):
    help = "Export records to xlsx: gongjia export members FILE (masked unless --reveal)"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["members"])
        parser.add_argument("file")
        parser.add_argument("--unit", help="only members of unions under this unit code")
        parser.add_argument("--reveal", action="store_true", help="full ID numbers (logged)")
        parser.add_argument("--purpose", default="", help="why full values are needed")

    def handle(self, *args, kind, file, unit, reveal, purpose, **opts):
        from django.core.exceptions import PermissionDenied

        qs = Member.objects.all()
        if unit:
            top = OrgUnit.objects.filter(code=unit).first()
            if top is None:
                raise CommandError(f"no unit with code {unit!r}")
            qs = qs.filter(union__path__startswith=top.path)
        started = time.perf_counter()
        try:
            n = export_members(file, qs, user=SYSTEM, reveal=reveal, purpose=purpose)
        except PermissionDenied as e:
            raise CommandError(str(e)) from None
        took = time.perf_counter() - started
        self.stdout.write(f"{n} members written to {file} ({took:.1f} s)")
