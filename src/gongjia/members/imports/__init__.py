"""Member import from Excel or CSV, in four parts: the template (`template`), the check of every
row without the database (`check`, its valid rows `Checked`), the write in sets (`write`), and
the import as a whole with the back office's job (`job`)."""

from .check import Checked, RowChecker, check_rows
from .job import Result, run_import, run_job
from .template import columns, write_template

__all__ = [
    "Checked",
    "Result",
    "RowChecker",
    "check_rows",
    "columns",
    "run_import",
    "run_job",
    "write_template",
]
