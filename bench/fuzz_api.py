"""The long API fuzzing run (`make fuzz`): the demo district behind the real server and worker,
schemathesis with every check that concerns the server's own contract, as the district
administrator and as a town officer, for FUZZ_SECONDS each (default 300).

    .venv/bin/python bench/fuzz_api.py                      # SQLite in a temporary folder
    DATABASE_URL=postgres://.../test .venv/bin/python bench/fuzz_api.py   # a new database there

Prints, per user, the requests made and the failures by kind; exits non-zero on any server
error or contract violation.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.live import LiveSite  # noqa: E402

SECONDS = int(os.environ.get("FUZZ_SECONDS", "300"))
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
SECRETS = """
import json
from gongjia.accounts.models import User
print(json.dumps({u.username: u.totp_secret for u in User.objects.filter(
    username__in=["district", "chengxiang"])}))
"""


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory() as root:
        site = LiveSite(Path(root))
        try:
            site.setup()
            secrets = json.loads(site.shell(SECRETS).strip().splitlines()[-1])
            site.start()
            for username in ("district", "chengxiang"):
                token = site.token(username, secrets[username])
                run = subprocess.run(
                    [
                        str(Path(sys.executable).parent / "schemathesis"),
                        "run",
                        f"{site.base}/api/v1/openapi.json",
                        "-H",
                        f"Authorization: Bearer {token}",
                        "--checks",
                        CHECKS,
                        "--max-time",
                        str(SECONDS),
                        "--workers",
                        "2",
                        "--no-color",
                    ],
                    capture_output=True,
                    text=True,
                )
                lines = run.stdout.strip().splitlines()
                # The failures (each with a curl line to reproduce it) and the summary.
                start = next((i for i, x in enumerate(lines) if "FAILURES" in x), len(lines) - 25)
                print(f"[{site.vendor}] as {username}:")
                print("\n".join(x for x in lines[start:][:400] if x.strip()))
                failed |= run.returncode != 0
        finally:
            site.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
