"""Hostile spreadsheets against `gongjia import members FILE --dry-run`: time, exit status, the
message, and the peak memory of the largest process (the command or its parsing child).

    .venv/bin/python bench/bench_sheets.py          # SQLite under var/bench-sheets/

Files: a header and one cell at XFD1048576, with and without a declared range; a sheet of
1,000,000 rows × 20 cells of blanks (the largest the default limits admit); one cell of blanks
unpacking to 1.5, 3.2 and 4.8 GB (about 1.4, 3.1 and 4.7 MB packed).
"""

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-sheets"
sys.path.insert(0, str(ROOT / "src"))

from gongjia.platform import testing_sheets  # noqa: E402

MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "s = time.perf_counter() - t\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
    "last = (r.stdout + r.stderr).strip().splitlines()[-1:] or ['']\n"
    "print(f'{s:.1f}\\t{peak}\\t{r.returncode}\\t{last[0][:150]}')\n"
)


def main():
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    env = {**os.environ, "GONGJIA_VAR_DIR": str(VAR), "DATABASE_URL": ""}
    gongjia = [sys.executable, "-m", "gongjia.cli"]
    subprocess.run([*gongjia, "manage", "migrate", "-v", "0"], env=env, check=True)
    files = {
        "one cell at XFD1048576, range declared": testing_sheets.sparse(VAR / "sparse.xlsx"),
        "one cell at XFD1048576, no range declared": testing_sheets.sparse(
            VAR / "sparse-undeclared.xlsx", declare=False
        ),
        "whitespace cells, 1,000,000 rows × 20": testing_sheets.whitespace_cells(
            VAR / "blank-1m.xlsx", rows=1_000_000
        ),
        "one cell of 1,500 MB of blanks": testing_sheets.whitespace_cell(
            VAR / "blank-1500.xlsx", megabytes=1500
        ),
        "one cell of 3,200 MB of blanks": testing_sheets.whitespace_cell(
            VAR / "blank-3200.xlsx", megabytes=3200
        ),
        "one cell of 4,800 MB of blanks": testing_sheets.whitespace_cell(
            VAR / "blank-4800.xlsx", megabytes=4800
        ),
    }
    print("file\tpacked\tseconds\tpeak MB\texit\tmessage")
    for label, path in files.items():
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *gongjia, "import", "members", str(path), "--dry-run"],
            env=env,
            capture_output=True,
            text=True,
        ).stdout.strip()
        size = f"{path.stat().st_size / 2**20:.1f} MB"
        print(f"{label}\t{size}\t{out}")
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"(this script: {peak_self} MB)")


if __name__ == "__main__":
    main()
