from django.core.management.base import BaseCommand, CommandError

from gongjia.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "List organisation units: code, kind, name, parent code."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=OrgUnit.Kind.values)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, kind, json: bool, **opts):
        qs = OrgUnit.objects.order_by("path")
        if kind:
            qs = qs.filter(kind=kind)
        rows = list(qs.values("code", "kind", "name", "path", "depth").iterator())
        steplen = OrgUnit.steplen
        parents = dict(
            OrgUnit.objects.filter(
                path__in={r["path"][:-steplen] for r in rows if r["depth"] > 1}
            ).values_list("path", "code")
        )
        out = [
            {
                "code": r["code"],
                "kind": r["kind"],
                "name": r["name"],
                "parent_code": parents.get(r["path"][:-steplen]) if r["depth"] > 1 else None,
            }
            for r in rows
        ]
        if json:
            import json as _json

            self.stdout.write(_json.dumps(out, ensure_ascii=False, indent=1))
            return
        if not out:
            raise CommandError("no units: run `gongjia demo` or create the district federation")
        for r in out:
            self.stdout.write(f"{r['code']}\t{r['kind']}\t{r['name']}\t{r['parent_code'] or ''}")
