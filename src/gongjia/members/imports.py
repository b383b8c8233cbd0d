"""Member import from Excel or CSV: validate every row first, then write in sets.

Any error writes nothing and returns the failing rows with an error column (unless
`valid_only`, which writes the valid rows and returns the rest). Re-importing the same file
updates instead of duplicating (upsert by ID number). Writes are set-based: one COPY (or
executemany) for new members, one INSERT ... SELECT for their join records, bulk updates with
explicit field-change rows for existing ones, one audit entry for the import.
"""

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongjia.members.actions import member_numbers
from gongjia.members.models import Member
from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform import audit, pii, scope, tabular, validators
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
    if user is not None:
        qs = qs & scope.units_in_scope(user, Member, "add")
    if unit_code:
        top = OrgUnit.objects.filter(code=unit_code).first()
        if top is None:
            raise FileProblem(_("There is no unit with the code %(c)s.") % {"c": unit_code})
        qs = qs.filter(path__startswith=top.path)
    return dict(qs.values_list("code", "pk"))


def _enterprises(user) -> dict[str, int]:
    qs = Enterprise.objects.all()
    if user is not None:
        qs = scope.restrict(qs, user)
    return dict(qs.values_list("credit_code", "pk"))


def validate_rows(table, cols, units, enterprises, progress=None):
    """Yield (row number, raw values, clean values or None, errors) for every data row."""
    by_key = {c.key: c for c in cols}
    c_name, c_id, c_mobile = by_key["name"], by_key["id_number"], by_key["mobile"]
    c_union, c_join, c_emp = by_key["union_code"], by_key["join_date"], by_key["employer"]
    choice_cols = [by_key[k] for k in ("category", "skill_level", "education", "political_status")]
    today = timezone.localdate()
    compact, text = tabular.compact, tabular.text
    for number, raw in table.rows:
        errors = RowErrors()
        clean = {}
        name = text(raw.get("name"))
        if not name:
            errors.add(c_name, _("is empty: write the person's name."))
        elif len(name) > 50:
            errors.add(c_name, _("is longer than 50 characters."))
        clean["name"] = name
        try:
            parsed = validators.parse_id_number(raw.get("id_number"), today=today)
            clean["id_number"], clean["sex"] = parsed.value, parsed.sex
            clean["birth_date"], clean["id_upgraded"] = parsed.birth_date, parsed.upgraded
        except ValidationError as e:
            errors.add(c_id, e.messages[0])
        mobile = compact(raw.get("mobile")).replace("-", "")
        if mobile.startswith("+86"):
            mobile = mobile[3:]
        if len(mobile) != 11 or not mobile.isdigit() or mobile[0] != "1" or mobile[1] in "012":
            errors.add(c_mobile, _("should be 11 digits beginning with 13 to 19."))
        clean["mobile"] = mobile
        code = compact(raw.get("union_code"))
        clean["union_id"] = units.get(code)
        if not code:
            errors.add(c_union, _("is empty: write the code of the grassroots union."))
        elif clean["union_id"] is None:
            errors.add(
                c_union,
                _("%(c)s is not a grassroots union you may register members in: check the code.")
                % {"c": code},
            )
        try:
            joined = tabular.date(raw.get("join_date"))
            if joined > today or joined.year < 1925:
                errors.add(c_join, _("%(d)s is out of range.") % {"d": joined.isoformat()})
            clean["join_date"] = joined
        except ValueError as e:
            errors.add(c_join, str(e))
        emp = compact(raw.get("employer")).upper()
        clean["employer_id"] = None
        if emp:
            clean["employer_id"] = enterprises.get(emp)
            if clean["employer_id"] is None:
                errors.add(
                    c_emp, _("%(c)s is not a registered enterprise in your scope.") % {"c": emp}
                )
        for col in choice_cols:
            v = compact(raw.get(col.key))
            if not v:
                clean[col.key] = {"category": "other", "skill_level": 0}.get(col.key, "")
            elif v in col.mapping:
                clean[col.key] = col.mapping[v]
            else:
                errors.add(
                    col,
                    _("“%(v)s” is not one of the choices: pick one from the drop-down list.")
                    % {"v": v},
                )
        clean["highest_certificate"] = text(raw.get("highest_certificate"))[:100]
        yield number, raw, (None if errors else clean), errors


def _as_cells(clean: dict, code_of: dict) -> dict:
    """A validated row back in the template's terms, for the error file."""
    cells = {k: v for k, v in clean.items() if not k.startswith("_")}
    cells["union_code"] = code_of.get(clean["union_id"], "")
    cells["join_date"] = clean["join_date"].isoformat()
    return cells


def _copy_rows(table_name: str, cols: list[str], rows: list[tuple]):
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            # Index maintenance of a large insert needs far more than SQLite's 2 MB page cache.
            cur.execute("PRAGMA cache_size = -262144")  # 256 MB, this connection only
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table_name} ({', '.join(cols)}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            marks = ", ".join(["%s"] * len(cols))
            # Table and column names are this module's constants, never input.
            sql = f"INSERT INTO {table_name} ({', '.join(cols)}) VALUES ({marks})"  # noqa: S608
            cur.executemany(sql, rows)


INSERT_COLUMNS = [
    "name",
    "id_number",
    "id_number_bidx",
    "id_upgraded",
    "sex",
    "birth_date",
    "mobile",
    "employer_id",
    "union_id",
    "join_date",
    "member_number",
    "category",
    "skill_level",
    "highest_certificate",
    "education",
    "political_status",
    "status",
    "withdrawal_reason",
    "created_at",
    "updated_at",
]


def run_import(
    path,
    *,
    user=None,
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
        valid, failed, seen = [], [], {}
        for number, raw, clean, errors in validate_rows(table, cols, units, enterprises):
            result.total += 1
            if clean is not None:
                first = seen.get(clean["id_number"])
                if first is not None:
                    errors.add(cols[1], _("repeats the person of row %(r)d.") % {"r": first})
                    clean = None
                else:
                    seen[clean["id_number"]] = number
            if clean is None:
                failed.append((number, raw, errors))
            else:
                clean["_row"] = number
                valid.append(clean)
            if progress and result.total % 20_000 == 0:
                progress(result.total, 0, _("checked %(n)d rows") % {"n": result.total})
    except FileProblem as e:
        result.problem = str(e)
        _audit_refusal(user, path, result)
        return result
    # Against the database: upsert by ID number, within the user's scope.
    purpose = Member._meta.get_field("id_number_bidx").purpose
    for clean in valid:
        clean["id_number_bidx"] = pii.blind_index(clean["id_number"], purpose)
    existing = {}
    bidx = [c["id_number_bidx"] for c in valid]
    for i in range(0, len(bidx), 5000):
        for m in (
            Member.objects.filter(id_number_bidx__in=bidx[i : i + 5000])
            .select_related("union")
            .only(
                *UPDATABLE,
                "id_number_bidx",
                "union__name",
                "union__path",
                "member_number",
                "union_id",
            )
        ):
            existing[m.id_number_bidx] = m
    new_rows, updates = [], []
    code_of = {pk: code for code, pk in units.items()}
    for clean in valid:
        m = existing.get(clean["id_number_bidx"])
        if m is None:
            new_rows.append(clean)
        elif m.union_id != clean["union_id"]:
            may_see = user is None or scope.can(user, "view", m)
            where = m.union.name if may_see else _("another union in the district")
            errors = RowErrors()
            errors.add(
                cols[1],
                _("this person is already registered with %(u)s: transfer the membership instead.")
                % {"u": where},
            )
            failed.append((clean["_row"], _as_cells(clean, code_of), errors))
        else:
            updates.append((m, clean))
    result.refused = len(failed)
    if failed:
        failed.sort(key=lambda f: f[0])
        result.errors = [(n, "；".join(e)) for n, _r, e in failed[:50]]
        error_path = Path(error_path or path.with_name(path.stem + "-错误.xlsx"))
        tabular.write_workbook(
            error_path,
            cols,
            [
                (
                    [r.get(c.key, "") if r else "" for c in cols],
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
    changed = []
    for m, clean in updates:
        diff = {k: (getattr(m, k), clean[k]) for k in UPDATABLE if getattr(m, k) != clean[k]}
        if diff:
            changed.append((m, clean, diff))
    result.updated = len(changed)
    result.unchanged = len(updates) - len(changed)
    result.created = len(new_rows)
    if dry_run:
        result.seconds = time.perf_counter() - started
        return result
    if progress:
        progress(result.total, result.total, _("writing"))
    with transaction.atomic():
        _write(new_rows, changed, user, path, result)
    result.seconds = time.perf_counter() - started
    return result


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
    now = timezone.now()
    numbers = member_numbers(len(new_rows)) if new_rows else []
    context = f"{Member._meta.label_lower}.id_number"
    encrypt = pii.encrypt
    rows = [
        (
            c["name"],
            encrypt(c["id_number"], context),
            c["id_number_bidx"],
            c["id_upgraded"],
            c["sex"],
            c["birth_date"],
            c["mobile"],
            c["employer_id"],
            c["union_id"],
            c["join_date"],
            number,
            c["category"],
            c["skill_level"],
            c["highest_certificate"],
            c["education"],
            c["political_status"],
            Member.Status.ACTIVE,
            "",
            now,
            now,
        )
        for c, number in zip(new_rows, numbers, strict=True)
    ]
    if rows:
        _copy_rows(Member._meta.db_table, INSERT_COLUMNS, rows)
        with connection.cursor() as cur:
            # The join records, in one statement (member numbers of this import are a range).
            cur.execute(
                'INSERT INTO members_membershipchange (member_id, kind, "on", to_union_id, note)'
                " SELECT id, 'join', join_date, union_id, '' FROM members_member"
                " WHERE member_number >= %s AND member_number <= %s",
                [numbers[0], numbers[-1]],
            )
    if changed:
        members = []
        for m, clean, _diff in changed:
            for k in UPDATABLE:
                setattr(m, k, clean[k])
            m.updated_at = now
            members.append(m)
        Member.objects.bulk_update(members, [*UPDATABLE, "updated_at"], batch_size=2000)
        ct = ContentType.objects.get_for_model(Member)
        entries = LogEntry.objects.bulk_create(
            [
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
                for m, _clean, diff in changed
            ],
            batch_size=2000,
        )
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
