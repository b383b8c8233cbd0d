from django.core.management.base import BaseCommand

from gongjia.platform import worker


class Command(BaseCommand):
    help = "Run queued tasks and periodic sweeps; beat the heartbeat /healthz reads."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0)
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args, interval, once, **opts):
        if once:
            worker.discover()
            if not worker.one_round(interval):
                raise SystemExit(1)
            return
        self.stdout.write("gongjia worker: running (Ctrl-C stops)")
        worker.run_forever(interval)
