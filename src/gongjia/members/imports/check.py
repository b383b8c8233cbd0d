"""The member import's check: every row against the template's rules and the user's units and
enterprises, without touching the database, in a second process for large files."""

import itertools
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.members.models import Member
from gongjia.platform import pii, tabular, validators
from gongjia.platform.tabular import Column

from .template import KEYS


class Checked(NamedTuple):
    """A valid row as the check hands it on. From `name` on, the fields are the member table's
    columns under their own names (`WRITTEN`); dates are ISO text: cheap to pass between
    processes, and both databases take them as they are."""

    row: int  # the spreadsheet's row number
    bidx: str  # the ID number's blind index
    name: str
    id_number: str  # encrypted
    id_upgraded: bool
    sex: str
    birth_date: str
    mobile: str
    employer_id: int | None
    union_id: int
    join_date: str
    category: str
    skill_level: str
    highest_certificate: str
    education: str
    political_status: str

    def written(self) -> tuple:
        return self[_FIRST_WRITTEN:]

    def cells(self, code_of: dict, credit_code_of: dict) -> list:
        """The row back in the template's terms and column order, for the error file."""
        return [
            self.name,
            pii.decrypt(self.id_number, f"{Member._meta.label_lower}.id_number"),
            self.mobile,
            code_of.get(self.union_id, ""),
            self.join_date,
            credit_code_of.get(self.employer_id, ""),
            self.category,
            self.skill_level,
            self.education,
            self.political_status,
            self.highest_certificate,
        ]


_FIRST_WRITTEN = Checked._fields.index("name")
WRITTEN = Checked._fields[_FIRST_WRITTEN:]


class RowErrors(list):
    def add(self, column: Column, message: str):
        self.append(f"「{column.header}」{message}")


CHOICES = ("category", "skill_level", "education", "political_status")
CHOICE_DEFAULTS = ("other", 0, "", "")


class RowChecker:
    """Checks rows against the template's rules and the user's units and enterprises.

    Called with a chunk of (row number, cells) it returns (valid rows, failed rows), valid rows
    as `Checked`, failed rows as (row number, cells, errors). It holds no database connection,
    so a forked process can run it on some of the chunks.
    """

    def __init__(self, cols: list[Column], units: dict, enterprises: dict):
        self.col = {c.key: c for c in cols}
        assert tuple(self.col) == KEYS  # the order the cells are unpacked in
        self.units = units
        self.enterprises = enterprises
        self.today = timezone.localdate()
        self.purpose = Member._meta.get_field("id_number_bidx").purpose
        self.context = f"{Member._meta.label_lower}.id_number"
        pii.keyring()  # load the keys before any fork

    def __call__(self, chunk) -> tuple[list, list]:
        col, units, enterprises, today = self.col, self.units, self.enterprises, self.today
        c_name, c_id, c_mobile = col["name"], col["id_number"], col["mobile"]
        c_union, c_join, c_emp = col["union_code"], col["join_date"], col["employer"]
        choice_cols = [col[k] for k in CHOICES]
        compact, text, to_date = tabular.compact, tabular.text, tabular.date
        id_parts, encrypt, blind_index = validators.id_parts, pii.encrypt, pii.blind_index
        purpose, context = self.purpose, self.context
        valid, failed = [], []
        for number, cells in chunk:
            (
                name_cell,
                id_cell,
                mobile_cell,
                union_cell,
                join_cell,
                employer_cell,
                category_cell,
                level_cell,
                education_cell,
                political_cell,
                certificate_cell,
            ) = cells
            errors = RowErrors()
            name = text(name_cell)
            if not name:
                errors.add(c_name, _("is empty: write the person's name."))
            elif len(name) > 50:
                errors.add(c_name, _("is longer than 50 characters."))
            try:
                id_number, birth, sex, upgraded = id_parts(id_cell, today)
            except ValidationError as e:
                errors.add(c_id, e.messages[0])
            mobile = compact(mobile_cell)
            if len(mobile) != 11 or not mobile.isdigit():
                mobile = mobile.replace("-", "").removeprefix("+86")
            if len(mobile) != 11 or not mobile.isdigit() or mobile[0] != "1" or mobile[1] in "012":
                errors.add(c_mobile, _("should be 11 digits beginning with 13 to 19."))
            # Most cells are clean already: the raw value is tried before it is normalised.
            union_id = units.get(union_cell) if union_cell.__class__ is str else None
            if union_id is None:
                code = compact(union_cell)
                union_id = units.get(code)
            if union_id is None:
                if not code:
                    errors.add(c_union, _("is empty: write the code of the grassroots union."))
                else:
                    errors.add(
                        c_union,
                        _(
                            "%(c)s is not a grassroots union you may register members in: "
                            "check the code."
                        )
                        % {"c": code},
                    )
            try:
                joined = to_date(join_cell)
                if joined > today or joined.year < 1925:
                    errors.add(c_join, _("%(d)s is out of range.") % {"d": joined.isoformat()})
            except ValueError as e:
                errors.add(c_join, str(e))
            employer_id = None
            emp = compact(employer_cell).upper() if employer_cell else ""
            if emp:
                employer_id = enterprises.get(emp)
                if employer_id is None:
                    errors.add(
                        c_emp,
                        _("%(c)s is not a registered enterprise in your scope.") % {"c": emp},
                    )
            coded = []
            choice_cells = (category_cell, level_cell, education_cell, political_cell)
            for c, default, cell in zip(choice_cols, CHOICE_DEFAULTS, choice_cells, strict=True):
                if cell.__class__ is str and cell in c.mapping:
                    coded.append(c.mapping[cell])
                    continue
                value = compact(cell) if cell else ""
                if not value:
                    coded.append(default)
                elif value in c.mapping:
                    coded.append(c.mapping[value])
                else:
                    errors.add(
                        c,
                        _("“%(v)s” is not one of the choices: pick one from the drop-down list.")
                        % {"v": value},
                    )
            if errors:
                failed.append((number, cells, errors))
                continue
            category, skill_level, education, political_status = coded
            valid.append(
                Checked(
                    number,
                    blind_index(id_number, purpose),
                    name,
                    encrypt(id_number, context),
                    upgraded,
                    sex,
                    birth.isoformat(),
                    mobile,
                    employer_id,
                    union_id,
                    joined.isoformat(),
                    category,
                    skill_level,
                    text(certificate_cell)[:100],
                    education,
                    political_status,
                )
            )
        return valid, failed


# Files of more rows than this are checked in two processes (forking costs more below it).
PARALLEL_FROM = 60_000
CHUNK = 10_000
_forked_checker = None  # the checker as the forked process inherits it


def _check_in_fork(chunk):
    return _forked_checker(chunk)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def check_rows(table, checker: RowChecker, progress=None) -> tuple[list, list, int]:
    """All rows checked, in file order: (valid, failed, number of rows).

    Past PARALLEL_FROM rows a forked process checks chunks while this one reads the file and
    checks the others, taking a chunk itself whenever the other has two waiting.
    """
    global _forked_checker
    pool, waiting, parts, total = None, [], [], 0
    try:
        for chunk in itertools.batched(table.rows, CHUNK):
            total += len(chunk)
            if pool is None and total > PARALLEL_FROM and _can_fork():
                _forked_checker = checker
                pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            waiting = [f for f in waiting if not f.done()]
            if pool is not None and len(waiting) < 2:
                future = pool.submit(_check_in_fork, chunk)
                waiting.append(future)
                parts.append(future)
            else:
                parts.append(checker(chunk))
            if progress:
                progress(total, 0, _("checked %(n)d rows") % {"n": total})
        valid, failed = [], []
        for part in parts:
            ok, bad = part.result() if isinstance(part, Future) else part
            valid += ok
            failed += bad
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
            _forked_checker = None
    return valid, failed, total
