import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongjia.members import imports
from gongjia.platform.scope import SYSTEM


class Command(BaseCommand):
    help = "Import records from an Excel or CSV file: gongjia import members FILE"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["members"])
        parser.add_argument("file", nargs="?")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="write the valid rows, return the others in the error file",
        )
        parser.add_argument("--unit", help="only rows of unions under this unit code")
        parser.add_argument(
            "--template", metavar="FILE", help="write the import template to FILE and exit"
        )

    def handle(self, *args, kind, file, dry_run, valid_only, unit, template, **opts):
        verbose = opts.get("verbosity", 1) > 1
        if template:
            imports.write_template(template)
            self.stdout.write(f"template written to {template}")
            return
        if not file:
            raise CommandError("name the file to import, or --template FILE")
        if not Path(file).exists():
            raise CommandError(f"no such file: {file}")

        def progress(done, total, message):
            if verbose:
                self.stderr.write(f"\r{message}", ending="")

        result = imports.run_import(
            file,
            user=SYSTEM,  # the operator's command
            valid_only=valid_only,
            dry_run=dry_run,
            unit_code=unit,
            progress=progress,
        )
        self.stdout.write(result.summary())
        if result.seconds:
            self.stdout.write(
                f"{result.total / result.seconds:,.0f} rows/s ({result.seconds:.1f} s)"
            )
        for number, message in result.errors[:10]:
            self.stdout.write(f"  row {number}: {message}")
        if result.error_file:
            self.stdout.write(f"rows refused: see {result.error_file}")
        if not result.ok:
            sys.stdout.flush()
            raise CommandError(result.problem or f"{result.refused} rows refused")
