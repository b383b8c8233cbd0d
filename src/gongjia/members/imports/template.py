"""The member import's template: its columns (headers, help, drop-downs), instructions and file."""

import re

from django.utils import translation

from gongjia.members.models import Member
from gongjia.platform import tabular
from gongjia.platform.tabular import Column

# The template's columns by key, in their order: the checker unpacks a row's cells in this order.
KEYS = (
    "name",
    "id_number",
    "mobile",
    "union_code",
    "join_date",
    "employer",
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


def _choices(key: str, header: str, choices, width: int) -> Column:
    mapping, labels = _choice_map(choices)
    return Column(
        header, key, False, "从下拉列表选择", choices=labels, mapping=mapping, width=width
    )


def columns() -> list[Column]:
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
        _choices("category", "职工类别", Member.Category.choices, 22),
        _choices("skill_level", "技能等级", Member.SkillLevel.choices, 18),
        _choices("education", "学历", Member.Education.choices, 14),
        _choices("political_status", "政治面貌", Member.Political.choices, 14),
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
