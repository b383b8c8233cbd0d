import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the back office, the portal and the API with a production WSGI server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--with-worker", action="store_true", help="also run the task worker alongside"
        )

    def handle(self, *args, host, port, threads, with_worker, **opts):
        from waitress import serve

        from gongjia.wsgi import application

        def stop(signum, frame):
            raise KeyboardInterrupt

        # Ctrl-C (or a service manager's SIGTERM) stops the server and its worker, even when the
        # shell that started us ignores SIGINT for background jobs.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        worker = None
        if with_worker:
            worker = subprocess.Popen([sys.executable, "-m", "gongjia.cli", "worker"])
        self.stdout.write(f"Gongjia serving on http://{host}:{port}/ (Ctrl-C stops)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="gongjia")
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
