"""Member import from Excel or CSV: validate every row first, then write in sets.

Any error writes nothing and returns the failing rows with an error column (unless
`valid_only`, which writes the valid rows and returns the rest). Re-importing the same file
updates instead of duplicating (upsert by ID number). Writes are set-based: one COPY (or
executemany) for new members, one INSERT ... SELECT for their join records, bulk updates with
explicit field-change rows for existing ones, one audit entry for the import.
"""

import datetime as dt
import gc
import hashlib
import itertools
import multiprocessing
import os
import re
import time
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongjia.members.actions import member_numbers
from gongjia.members.models import Member, MembershipChange
from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform import audit, bulkload, pii, scope, tabular, validators
from gongjia.platform.models import AuditEvent
from gongjia.platform.tabular import Column, FileProblem

UPDATABLE = (
    "name",
    "mobile",
    "join_date",
    "employer_id",
    "category",
    "skill_level",
    "education",
    "political_status",
    "highest_certificate",
)


def _choice_map(choices) -> tuple[dict, list[str]]:
    """Accept the Chinese label (the template's drop-down), the English label or the code."""
    with translation.override("zh-hans"):
        zh = [(value, str(label)) for value, label in choices]
    with translation.override("en"):
        en = [(value, str(label)) for value, label in choices]
    mapping = {}
    for value, label in zh + en:
        label = tabular.compact(label)
        mapping[label] = value
        mapping[str(value)] = value
        # What people type: the part after "产业工人：", without "（骑手、司机等）".
        short = re.sub(r"[(（].*?[)）]$", "", label.split("：")[-1].split(":")[-1])
        mapping.setdefault(short, value)
    return mapping, [label for _, label in zh]


def columns() -> list[Column]:
    cat_map, cat = _choice_map(Member.Category.choices)
    lvl_map, lvl = _choice_map(Member.SkillLevel.choices)
    edu_map, edu = _choice_map(Member.Education.choices)
    pol_map, pol = _choice_map(Member.Political.choices)
    cols = [
        Column("姓名", "name", True, "职工本人姓名", width=12),
        Column("身份证号码", "id_number", True, "18 位居民身份证号码，末位 X 大小写均可", width=22),
        Column("手机号码", "mobile", True, "11 位大陆手机号码", width=14),
        Column(
            "所属工会代码",
            "union_code",
            True,
            "基层工会的单位代码（见系统“组织单位”）",
            width=18,
            aliases=("工会代码",),
        ),
        Column("入会日期", "join_date", True, "如 2020-01-31", width=12),
        Column(
            "工作单位统一社会信用代码", "employer", False, "可空；须为系统中已登记的企业", width=22
        ),
        Column(
            "职工类别", "category", False, "从下拉列表选择", choices=cat, mapping=cat_map, width=22
        ),
        Column(
            "技能等级",
            "skill_level",
            False,
            "从下拉列表选择",
            choices=lvl,
            mapping=lvl_map,
            width=18,
        ),
        Column(
            "学历", "education", False, "从下拉列表选择", choices=edu, mapping=edu_map, width=14
        ),
        Column(
            "政治面貌",
            "political_status",
            False,
            "从下拉列表选择",
            choices=pol,
            mapping=pol_map,
            width=14,
        ),
        Column("最高证书", "highest_certificate", False, "可空", width=18),
    ]
    return cols


INSTRUCTIONS = [
    "会员信息导入模板填写说明",
    "1. 黄色表头为必填列：姓名、身份证号码、手机号码、所属工会代码、入会日期；灰色为选填列。",
    "2. 列的顺序可以调整，但表头文字不要修改；可以增加“序号”“备注”列，导入时忽略。",
    "3. 身份证号码填 18 位（15 位旧号码会自动升位），末位 x 大小写均可，"
    "全角数字和多余空格会自动处理。",
    "4. 日期可写 2020-01-31、2020/1/31、2020年1月31日 或 20200131，也可用 Excel 日期格式。",
    "5. 不要合并单元格，不要使用公式，不要给文件设置密码。",
    "6. 同一身份证号码再次导入时更新原记录，不会重复登记。",
    "7. 有任何错误时不会写入任何数据，系统返回只含出错行的文件，"
    "“错误说明”列写明行号、列名和修改方法。",
]


def write_template(path) -> None:
    tabular.write_workbook(path, columns(), instructions=INSTRUCTIONS, sheet="会员")


@dataclass
class Result:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    error_file: str = ""
    dry_run: bool = False
    problem: str = ""  # a whole-file problem: nothing was read
    seconds: float = 0.0
    errors: list = field(default_factory=list)  # (row number, message) of the first errors
    timings: dict = field(default_factory=dict)  # seconds from the start to the end of a stage

    @property
    def ok(self) -> bool:
        return not self.problem and not self.refused

    def summary(self) -> str:
        if self.problem:
            return self.problem
        verb = _("would be") if self.dry_run else ""
        return _(
            "%(total)d rows: %(created)d new, %(updated)d updated, %(unchanged)d unchanged, "
            "%(refused)d refused %(verb)s"
        ) % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": self.refused,
            "verb": verb,
        }


class RowErrors(list):
    def add(self, column: Column, message: str):
        self.append(f"「{column.header}」{message}")


def _units(user, unit_code: str | None) -> dict[str, int]:
    qs = OrgUnit.objects.filter(kind__in=OrgUnit.GRASSROOTS, status=OrgUnit.Status.ACTIVE)
    qs = qs & scope.units_in_scope(user, Member, "add")
    if unit_code:
        top = OrgUnit.objects.filter(code=unit_code).first()
        if top is None:
            raise FileProblem(_("There is no unit with the code %(c)s.") % {"c": unit_code})
        qs = qs.filter(path__startswith=top.path)
    return dict(qs.values_list("code", "pk"))


def _enterprises(user) -> dict[str, int]:
    qs = scope.restrict(Enterprise.objects.all(), user)
    return dict(qs.values_list("credit_code", "pk"))


# A valid row, as the checker hands it on: the row number and blind index, then the fields in
# INSERT_COLUMNS order. Dates are ISO text: cheap to pass between processes, and both
# databases take them as they are.
V_ROW, V_BIDX, V_NAME, V_ID = 0, 1, 2, 3
V_MOBILE, V_EMPLOYER, V_UNION, V_JOIN = 7, 8, 9, 10
V_FIELDS = 2  # where the written fields start
INSERT_COLUMNS = [
    "name",
    "id_number",
    "id_upgraded",
    "sex",
    "birth_date",
    "mobile",
    "employer_id",
    "union_id",
    "join_date",
    "category",
    "skill_level",
    "highest_certificate",
    "education",
    "political_status",
    "id_number_bidx",
    "member_number",
    "status",
    "withdrawal_reason",
    "created_at",
    "updated_at",
]
# Where each updatable field sits in a valid row.
V_OF = {name: V_FIELDS + INSERT_COLUMNS.index(name) for name in UPDATABLE if name[-3:] != "_id"}
V_OF["employer_id"] = V_EMPLOYER


class RowChecker:
    """Checks rows against the template's rules and the user's units and enterprises.

    Called with a chunk of (row number, values) it returns (valid rows, failed rows), failed
    rows as (row number, values, errors). It holds no database connection, so a forked
    process can run it on some of the chunks.
    """

    def __init__(self, cols: list[Column], units: dict, enterprises: dict):
        self.cols = cols
        self.units = units
        self.enterprises = enterprises
        self.today = timezone.localdate()
        self.purpose = Member._meta.get_field("id_number_bidx").purpose
        self.context = f"{Member._meta.label_lower}.id_number"
        pii.keyring()  # load the keys before any fork

    def __call__(self, chunk) -> tuple[list, list]:
        cols, units, enterprises, today = self.cols, self.units, self.enterprises, self.today
        c_name, c_id, c_mobile, c_union, c_join, c_emp = cols[:6]
        choice_cols = cols[6:10]
        defaults = ("other", 0, "", "")
        compact, text, to_date = tabular.compact, tabular.text, tabular.date
        id_parts, encrypt, blind_index = validators.id_parts, pii.encrypt, pii.blind_index
        purpose, context = self.purpose, self.context
        valid, failed = [], []
        for number, v in chunk:
            errors = RowErrors()
            name = text(v[0])
            if not name:
                errors.add(c_name, _("is empty: write the person's name."))
            elif len(name) > 50:
                errors.add(c_name, _("is longer than 50 characters."))
            try:
                id_number, birth, sex, upgraded = id_parts(v[1], today)
            except ValidationError as e:
                errors.add(c_id, e.messages[0])
            mobile = compact(v[2])
            if len(mobile) != 11 or not mobile.isdigit():
                mobile = mobile.replace("-", "").removeprefix("+86")
            if len(mobile) != 11 or not mobile.isdigit() or mobile[0] != "1" or mobile[1] in "012":
                errors.add(c_mobile, _("should be 11 digits beginning with 13 to 19."))
            # Most cells are clean already: the raw value is tried before it is normalised.
            union_id = units.get(v[3]) if v[3].__class__ is str else None
            if union_id is None:
                code = compact(v[3])
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
                joined = to_date(v[4])
                if joined > today or joined.year < 1925:
                    errors.add(c_join, _("%(d)s is out of range.") % {"d": joined.isoformat()})
            except ValueError as e:
                errors.add(c_join, str(e))
            employer_id = None
            emp = compact(v[5]).upper() if v[5] else ""
            if emp:
                employer_id = enterprises.get(emp)
                if employer_id is None:
                    errors.add(
                        c_emp,
                        _("%(c)s is not a registered enterprise in your scope.") % {"c": emp},
                    )
            coded = []
            for col, default, cell in zip(choice_cols, defaults, v[6:10], strict=True):
                if cell.__class__ is str and cell in col.mapping:
                    coded.append(col.mapping[cell])
                    continue
                value = compact(cell) if cell else ""
                if not value:
                    coded.append(default)
                elif value in col.mapping:
                    coded.append(col.mapping[value])
                else:
                    errors.add(
                        col,
                        _("“%(v)s” is not one of the choices: pick one from the drop-down list.")
                        % {"v": value},
                    )
            if errors:
                failed.append((number, v, errors))
                continue
            valid.append(
                (
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
                    coded[0],
                    coded[1],
                    text(v[10])[:100],
                    coded[2],
                    coded[3],
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


def _existing(bidx: list[str]) -> dict[str, tuple]:
    """Members already registered, by blind index: (pk, union id, *UPDATABLE)."""
    found = {}
    table = Member._meta.db_table
    if not Member.objects.exists():
        return found  # a first load into an empty registry: nothing to look up
    columns = ", ".join(Member._meta.get_field(f).column for f in ("id", "union", *UPDATABLE))
    if connection.vendor == "postgresql":
        # One array parameter per 50,000 keys: an IN list of that size costs more to plan
        # than to run.
        size, where = 50_000, "= ANY(%s)"
    else:
        size = min(connection.features.max_query_params or 999, 20_000)
    # Raw SQL: building a million-key filter through the ORM took longer than running it.
    with connection.cursor() as cur:
        for i in range(0, len(bidx), size):
            keys = bidx[i : i + size]
            if connection.vendor != "postgresql":
                where = f"IN ({', '.join(['%s'] * len(keys))})"
            sql = f"SELECT id_number_bidx, {columns} FROM {table} WHERE id_number_bidx {where}"  # noqa: S608
            cur.execute(sql, [keys] if connection.vendor == "postgresql" else keys)
            for row in cur.fetchall():
                found[row[0]] = row[1:]
    return found


def _as_cells(row: tuple, code_of: dict, credit_code_of: dict) -> list:
    """A valid row back in the template's terms and column order, for the error file."""
    return [
        row[V_NAME],
        pii.decrypt(row[V_ID], f"{Member._meta.label_lower}.id_number"),
        row[V_MOBILE],
        code_of.get(row[V_UNION], ""),
        row[V_JOIN],
        credit_code_of.get(row[V_EMPLOYER], ""),
        row[V_OF["category"]],
        row[V_OF["skill_level"]],
        row[V_OF["education"]],
        row[V_OF["political_status"]],
        row[V_OF["highest_certificate"]],
    ]


def _differences(current: tuple, row: tuple) -> dict:
    """{field: (old, new)} between a stored member (values in UPDATABLE order) and a row."""
    diff = {}
    for name, old in zip(UPDATABLE, current, strict=True):
        new = row[V_OF[name]]
        if name == "join_date":
            new = dt.date.fromisoformat(new)
        if old != new:
            diff[name] = (old, new)
    return diff


def _copy_rows(table_name: str, cols: list[str], rows: list[tuple], dates: tuple[int, ...] = ()):
    """Insert many rows; `dates`: positions of ISO date texts in each row."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            # Index maintenance of a large insert needs far more than SQLite's 2 MB page cache.
            cur.execute("PRAGMA cache_size = -262144")  # 256 MB, this connection only
        if connection.vendor == "postgresql":
            # Binary COPY: the server parses no text (half the time of a text COPY at a million
            # rows); each value goes as the column's own type, dates as dates.
            cur.execute(
                "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [table_name],
            )
            types = dict(cur.fetchall())
            fromiso = dt.date.fromisoformat
            sql = f"COPY {table_name} ({', '.join(cols)}) FROM STDIN (FORMAT BINARY)"
            with cur.cursor.copy(sql) as copy:
                copy.set_types([types[c] for c in cols])
                for r in rows:
                    if dates:
                        r = list(r)
                        for i in dates:
                            r[i] = fromiso(r[i])
                    copy.write_row(r)
        else:
            marks = ", ".join(["%s"] * len(cols))
            # Table and column names are this module's constants, never input.
            sql = f"INSERT INTO {table_name} ({', '.join(cols)}) VALUES ({marks})"  # noqa: S608
            cur.executemany(sql, rows)


@contextmanager
def _no_cyclic_gc():
    """An import makes millions of short-lived tuples and no reference cycles, so the cyclic
    collector would only walk the growing heap again and again (several seconds on a million
    rows); reference counting still frees everything. The collector is back on afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def run_import(path, **kwargs) -> Result:
    with _no_cyclic_gc():
        return _run_import(path, **kwargs)


try:  # the binary COPY on PostgreSQL raises the driver's own error
    from psycopg import IntegrityError as _DriverIntegrityError

    _UNIQUE_VIOLATIONS = (IntegrityError, _DriverIntegrityError)
except ImportError:  # pragma: no cover  SQLite-only installation
    _UNIQUE_VIOLATIONS = (IntegrityError,)


def _run_import(
    path,
    *,
    user,
    valid_only=False,
    dry_run=False,
    unit_code=None,
    error_path=None,
    progress=None,
) -> Result:
    started = time.perf_counter()
    result = Result(dry_run=dry_run)
    path = Path(path)
    cols = columns()
    try:
        table = tabular.read_table(path, cols)
        units = _units(user, unit_code)
        enterprises = _enterprises(user)
        checker = RowChecker(cols, units, enterprises)
        valid, failed, result.total = check_rows(table, checker, progress)
    except FileProblem as e:
        result.problem = str(e)
        _audit_refusal(user, path, result)
        return result
    result.timings["checked"] = time.perf_counter() - started
    # Repeats within the file: the first occurrence stands.
    first_row, unique = {}, []
    for row in valid:
        first = first_row.setdefault(row[V_BIDX], row[V_ROW])
        if first == row[V_ROW]:
            unique.append(row)
        else:
            errors = RowErrors()
            errors.add(cols[1], _("repeats the person of row %(r)d.") % {"r": first})
            failed.append((row[V_ROW], row, errors))
    valid = unique
    del first_row, unique
    # Against the database: upsert by ID number, within the user's scope.
    existing = _existing([row[V_BIDX] for row in valid])
    result.timings["looked up"] = time.perf_counter() - started
    new_rows, changed = [], []
    for row in valid:
        current = existing.get(row[V_BIDX])
        if current is None:
            new_rows.append(row)
        elif current[1] != row[V_UNION]:
            m = Member.objects.select_related("union").get(pk=current[0])
            may_see = scope.can(user, "view", m)
            where = m.union.name if may_see else _("another union in the district")
            errors = RowErrors()
            errors.add(
                cols[1],
                _("this person is already registered with %(u)s: transfer the membership instead.")
                % {"u": where},
            )
            failed.append((row[V_ROW], row, errors))
        else:
            diff = _differences(current[2:], row)
            if diff:
                changed.append((current[0], row, diff))
            else:
                result.unchanged += 1
    del valid, existing
    result.refused = len(failed)
    if failed:
        code_of = {pk: code for code, pk in units.items()}
        credit_code_of = {pk: code for code, pk in enterprises.items()}
        failed.sort(key=lambda f: f[0])
        result.errors = [(n, "；".join(e)) for n, _r, e in failed[:50]]
        error_path = Path(error_path or path.with_name(path.stem + "-错误.xlsx"))
        tabular.write_workbook(
            error_path,
            cols,
            [
                (
                    # A row refused after checking is a checked tuple, not the file's cells.
                    _as_cells(r, code_of, credit_code_of) if isinstance(r, tuple) else r,
                    _("Row %(n)d: %(e)s") % {"n": n, "e": "；".join(e)},
                )
                for n, r, e in failed
            ],
            sheet="会员",
        )
        result.error_file = str(error_path)
        if not valid_only:
            result.seconds = time.perf_counter() - started
            _audit_refusal(user, path, result)
            return result
    result.updated = len(changed)
    result.created = len(new_rows)
    if dry_run:
        result.seconds = time.perf_counter() - started
        return result
    if progress:
        progress(result.total, result.total, _("writing"))
    try:
        with transaction.atomic():
            _write(new_rows, changed, user, path, result)
    except _UNIQUE_VIOLATIONS:
        # Another import (or an officer) registered some of these people between our lookup
        # and our write: the database's unique index refused them, and nothing was written.
        result.problem = _(
            "Some people in this file were registered by another import at the same moment; "
            "nothing was written. Import the file again: they will be updated, not repeated."
        )
        result.created = result.updated = 0
        result.seconds = time.perf_counter() - started
        _audit_refusal(user, path, result)
        return result
    result.timings["committed"] = time.perf_counter() - started
    if result.created >= ANALYZE_FROM:
        _analyze()
    result.seconds = time.perf_counter() - started
    result.timings["written"] = result.seconds
    return result


# From this many new rows, when they are at least as many as the members already registered,
# the member tables' indexes are rebuilt after the load instead of maintained row by row.
BULK_FROM = 100_000

# After this many new rows the planner's statistics (and on PostgreSQL the visibility map) are
# refreshed at once. Until autovacuum got to it, a town-filtered member list at a million members
# took 250 ms instead of 60: planned for an empty table, visiting the heap for every row.
ANALYZE_FROM = 50_000


def _analyze():
    tables = ", ".join((Member._meta.db_table, MembershipChange._meta.db_table))
    with connection.cursor() as cur:
        if connection.vendor != "postgresql":
            cur.execute("PRAGMA analysis_limit = 1000")  # a sample, not the whole table
            cur.execute("ANALYZE")
        elif connection.in_atomic_block:  # VACUUM cannot run inside a transaction
            cur.execute(f"ANALYZE {tables}")
        else:
            cur.execute(f"VACUUM (ANALYZE) {tables}")


def _audit_refusal(user, path: Path, result: Result):
    """A refused import writes no records, but the attempt is on the record."""
    audit.record(
        AuditEvent.Kind.IMPORT,
        "import_members",
        actor=user,
        success=False,
        data={
            "file": path.name,
            "rows": result.total,
            "refused": result.refused,
            "problem": result.problem,
            "written": False,
        },
    )


def _write(new_rows, changed, user, path: Path, result: Result):
    started = time.perf_counter() - result.timings["looked up"]
    now = timezone.now()
    # One range of numbers for the file (the join records are written by range), in the district
    # of its first new member's union: a file is one officer's, within one district.
    first = OrgUnit.objects.get(pk=new_rows[0][V_UNION]) if new_rows else None
    numbers = member_numbers(len(new_rows), first) if new_rows else []
    if new_rows:
        bulk = bulkload.worth_it(Member, len(new_rows), BULK_FROM)
        with bulkload.indexes_rebuilt_after(Member, MembershipChange) if bulk else nullcontext():
            status = Member.Status.ACTIVE
            _copy_rows(
                Member._meta.db_table,
                INSERT_COLUMNS,
                (
                    (*row[V_FIELDS:], row[V_BIDX], number, status, "", now, now)
                    for row, number in zip(new_rows, numbers, strict=True)
                ),
                dates=(INSERT_COLUMNS.index("birth_date"), INSERT_COLUMNS.index("join_date")),
            )
            result.timings["members copied"] = time.perf_counter() - started
            with connection.cursor() as cur:
                # The join records, in one statement (member numbers of this import are a range).
                cur.execute(
                    'INSERT INTO members_membershipchange (member_id, kind, "on", to_union_id,'
                    " note) SELECT id, 'join', join_date, union_id, '' FROM members_member"
                    " WHERE member_number >= %s AND member_number <= %s",
                    [numbers[0], numbers[-1]],
                )
            result.timings["join records"] = time.perf_counter() - started
        if bulk:
            result.timings["indexes rebuilt"] = time.perf_counter() - started
    if changed:
        members = []
        for i in range(0, len(changed), 5000):
            part = changed[i : i + 5000]
            found = Member.objects.in_bulk([pk for pk, _row, _diff in part])
            for pk, _row, diff in part:
                m = found[pk]
                for name, (_old, new) in diff.items():
                    setattr(m, name, new)
                m.updated_at = now
                members.append(m)
        Member.objects.bulk_update(members, [*UPDATABLE, "updated_at"], batch_size=2000)
        ct = ContentType.objects.get_for_model(Member)
        entries = [
            LogEntry(
                content_type=ct,
                object_pk=str(m.pk),
                object_id=m.pk,
                object_repr=str(m)[:200],
                action=LogEntry.Action.UPDATE,
                changes={k: [str(a), str(b)] for k, (a, b) in diff.items()},
                actor=user if getattr(user, "pk", None) else None,
                timestamp=now,
            )
            for m, (_pk, _row, diff) in zip(members, changed, strict=True)
        ]
        for entry in entries:  # bulk rows skip the signal that masks personal data
            audit.mask_personal_changes(entry)
        entries = LogEntry.objects.bulk_create(entries, batch_size=2000)
        audit.seal_log_entries(entries)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    audit.record(
        AuditEvent.Kind.IMPORT,
        "import_members",
        actor=user,
        data={
            "file": path.name,
            "sha256": digest,
            "rows": result.total,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "refused": result.refused,
            "member_numbers": [numbers[0], numbers[-1]] if numbers else None,
        },
    )


def run_job(job, *, path: str, valid_only: bool = False, unit_code: str | None = None):
    """The back-office upload, run by the worker with progress."""
    from gongjia.platform import jobs

    def progress(done, total, message):
        jobs.progress(job, done, total or max(done, job.total), message)

    result = run_import(
        path,
        user=job.user,
        valid_only=valid_only,
        unit_code=unit_code,
        progress=progress,
        error_path=Path(path).with_name(f"{job.pk}-错误.xlsx"),
    )
    Path(path).unlink(missing_ok=True)  # the upload held personal data; its hash is audited
    jobs.progress(job, result.total, result.total, result.summary())
    out = {"message": result.summary()}
    if result.error_file:
        from django.conf import settings

        out["file"] = str(Path(result.error_file).relative_to(settings.MEDIA_ROOT))
    return out
