import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongjia.accounts import actions
from gongjia.accounts.models import User
from gongjia.accounts.roles import ROLES
from gongjia.orgs.models import OrgUnit
from gongjia.platform.scope import SYSTEM


class Command(BaseCommand):
    help = "Manage accounts: add, list, disable."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create an account with its first role")
        add.add_argument("name")
        add.add_argument("--role", required=True, choices=sorted(ROLES))
        add.add_argument("--unit", required=True, help="unit code")
        add.add_argument(
            "--password-stdin",
            action="store_true",
            required=True,
            help="read the initial password from standard input",
        )
        add.add_argument("--full-name", default="")
        sub.add_parser("list", help="list accounts with their roles")
        dis = sub.add_parser("disable", help="disable an account")
        dis.add_argument("name")

    def handle(self, *args, action, **opts):
        getattr(self, f"do_{action}")(**opts)

    def do_add(self, name, role, unit, full_name, **opts):
        unit_obj = OrgUnit.objects.filter(code=unit).first()
        if unit_obj is None:
            raise CommandError(f"no unit with code {unit!r} (see `gongjia units`)")
        password = sys.stdin.readline().rstrip("\n")
        try:
            user, secret = actions.create_user(
                name,
                acting_user=SYSTEM,
                password=password,
                full_name=full_name,
                role=role,
                unit=unit_obj,
            )
        except ValidationError as e:
            raise CommandError("; ".join(e.messages)) from None
        self.stdout.write(
            f"created {user.username} ({role} on {unit_obj.code} {unit_obj.name}); "
            "the password must be changed at first login"
        )
        if secret:
            self.stdout.write(f"TOTP secret (base32): {secret}")

    def do_list(self, **opts):
        for u in User.objects.order_by("username").prefetch_related("roles__unit"):
            roles = ", ".join(f"{r.role}@{r.unit.code}" for r in u.roles.all() if r.active)
            state = "active" if u.is_active else "disabled"
            self.stdout.write(f"{u.username}\t{state}\t{u.full_name}\t{roles}")

    def do_disable(self, name, **opts):
        user = User.objects.filter(username=name).first()
        if user is None:
            raise CommandError(f"no user {name!r}")
        actions.set_active(user, False, acting_user=SYSTEM)
        self.stdout.write(f"disabled {name}")
