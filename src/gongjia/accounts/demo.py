"""Demo users: one for every role, with their credentials printed."""

from gongjia.accounts import actions
from gongjia.accounts.models import User
from gongjia.orgs.models import OrgUnit
from gongjia.platform.demo import step
from gongjia.platform.scope import SYSTEM

DEMO_PASSWORD = "Gongjia@2026"  # demo district only: printed by `gongjia demo` and `make run`

# (user name, full name, role, unit code, ID number)
DEMO_USERS = [
    ("district", "区总工会管理员", "district_admin", "330109", None),
    ("chengxiang", "城厢街道干部", "town_officer", "330109001", None),
    ("beigan", "北干街道干部", "town_officer", "330109002", None),
    ("helpdesk", "区困难职工帮扶中心经办员", "town_officer", "330109", None),
    ("union", "基层工会主席", "union_officer", "330109001-001", None),
    ("lawyer", "维权律师", "legal_staff", "330109", None),
    ("judge", "竞赛裁判", "judge", "330109", None),
    ("worker", "张伟", "worker", "330109001-001", "330109198805129916"),  # a man born 1988
    ("sysadmin", "系统管理员", "system_admin", "330109", None),
    ("secadmin", "安全管理员", "security_admin", "330109", None),
    ("auditor", "审计管理员", "audit_admin", "330109", None),
]


@step(90)
def users(scale: str = "small", out=print):
    lines = []
    for username, full_name, role, unit_code, id_number in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        unit = OrgUnit.objects.get(code=unit_code)
        user, secret = actions.create_user(
            username,
            acting_user=SYSTEM,
            password=DEMO_PASSWORD,
            full_name=full_name,
            role=role,
            unit=unit,
            must_change_password=False,
        )
        if id_number:
            user.id_number = id_number
            user.save(update_fields=["id_number", "id_number_bidx"])
        lines.append((username, role, unit.name, secret))
    if lines:
        out(f"demo logins (password {DEMO_PASSWORD}):")
        for username, role, unit, secret in lines:
            extra = f"  TOTP secret {secret}" if secret else ""
            out(f"  {username:<11} {role:<15} {unit}{extra}")
