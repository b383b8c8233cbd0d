"""Member lists to xlsx in constant memory: masked unless a user who may reveal asks to."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.members.models import Member
from gongjia.platform import audit, pii, scope
from gongjia.platform.exports import write_xlsx
from gongjia.platform.models import AuditEvent

HEADERS = [
    "会员号",
    "姓名",
    "身份证号码",
    "性别",
    "出生日期",
    "手机号码",
    "所属工会代码",
    "所属工会",
    "入会日期",
    "职工类别",
    "技能等级",
    "状态",
]


def export_members(target, queryset=None, *, user, reveal: bool = False, purpose: str = "") -> int:
    qs = scope.restrict(queryset if queryset is not None else Member.objects.all(), user, "export")
    if reveal:
        # In clear only the rows the user may reveal: the reveal permission in each row's scope.
        if len(purpose.strip()) < 2:
            raise PermissionDenied(_("State why the export needs full ID numbers."))
        if not user.has_perm("members.reveal_member"):
            raise PermissionDenied(_("You may not see this personal data in full."))
        qs = pii.revealable(qs, user)
    # Labels resolved once: a lazy translation per cell costs more than the cell itself.
    categories = {k: str(v) for k, v in Member.Category.choices}
    levels = {k: str(v) for k, v in Member.SkillLevel.choices}
    statuses = {k: str(v) for k, v in Member.Status.choices}
    sexes = {"M": "男", "F": "女"}
    mask_id, mask_mobile = pii.mask_id_list, pii.mask_mobile
    rows = (
        (
            r[0],
            r[1],
            r[2] if reveal else mask_id(r[2]),
            sexes.get(r[3], ""),
            r[4],
            r[5] if reveal else mask_mobile(r[5]),
            r[6],
            r[7],
            r[8],
            categories.get(r[9], ""),
            levels.get(r[10], ""),
            statuses.get(r[11], ""),
        )
        for r in qs.order_by("pk")
        .values_list(
            "member_number",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "mobile",
            "union__code",
            "union__name",
            "join_date",
            "category",
            "skill_level",
            "status",
        )
        .iterator(chunk_size=5000)
    )
    n = write_xlsx(target, HEADERS, rows, sheet="会员")
    audit.record(
        AuditEvent.Kind.EXPORT,
        "export_members",
        actor=user,
        data={
            "rows": n,
            "masked": not reveal,
            "purpose": purpose,
            "at": timezone.now().isoformat(),
        },
    )
    return n


def run_job(job):
    """Export every member in the user's scope, by the worker, to a file the user downloads."""
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"members-{job.pk}.xlsx"
    n = export_members(path, user=job.user)
    return {
        "file": str(path.relative_to(settings.MEDIA_ROOT)),
        "message": _("%(n)d members exported (ID numbers masked).") % {"n": n},
    }
