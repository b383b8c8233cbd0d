"""Spreadsheets the special services take: the job seekers certified by the public employment
service (its list, one row a person), and the riders counted at enterprise gates. Each row goes
through the action the form calls (`platform.sheetimport`); all rows or none."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform import tabular
from gongjia.platform.sheetimport import SheetImport, register
from gongjia.platform.tabular import Column
from gongjia.services import actions
from gongjia.services.models import Seeker


def _integer(cells, key, problems):
    text = tabular.compact(cells[key])
    if not text.isdigit():
        problems[key] = _("Write a whole number.")
        return None
    return int(text)


def _day(cells, key, problems):
    try:
        return tabular.date(cells[key])
    except ValueError as e:
        problems[key] = str(e)
        return None


class SeekersImport(SheetImport):
    key = "services.seekers"
    label = gettext_lazy("Import job seekers")
    stem = "就业困难人员"
    instructions = (
        "每行一人：会员填会员编号；非会员的建档困难家庭成员填身份证号（二者填一项）。",
        "认定类别、认定日期、认定机构和认定编号照公共就业服务机构的认定填写，工会不作认定。",
        "居住地填村（社区）或镇街的区划代码；有一行不通过则整个文件不导入。",
    )

    def columns(self):
        return [
            Column("会员编号", "member", False, "会员填写", width=16),
            Column("家庭成员身份证号", "id_number", False, "非会员的困难家庭成员填写", width=20),
            Column("责任工会编码", "unit", True, width=14),
            Column("认定类别", "category", True, "如 大龄失业人员", width=18),
            Column("认定日期", "certified_on", True, "如 2020-02-01", width=12),
            Column("认定机构", "certified_by", True, width=20),
            Column("认定编号", "certificate_number", True, width=16),
            Column("意向职业", "occupation", True, width=14),
            Column("居住地区划代码", "region", True, width=14),
            Column("期望月薪", "pay_wanted", True, "元，如 4500", width=12),
            Column("登记日期", "registered_on", True, "如 2020-02-10", width=12),
        ]

    def context(self, user, params):
        return None

    def row(self, cells, context, user):
        problems = {}
        code = tabular.compact(cells["unit"])
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            problems["unit"] = _("There is no unit with the code %(c)s.") % {"c": code}
        by_label = {str(label): key for key, label in Seeker.Category.choices}
        category = by_label.get(tabular.text(cells["category"]))
        if category is None:
            problems["category"] = _("Write a category of the list: %(l)s.") % {
                "l": "、".join(by_label)
            }
        region = Region.objects.filter(code=tabular.compact(cells["region"])).first()
        if region is None:
            problems["region"] = _("There is no division with this code.")
        pay = _integer(cells, "pay_wanted", problems)
        days = {k: _day(cells, k, problems) for k in ("certified_on", "registered_on")}
        if problems:
            raise ValidationError(problems)
        seeker = Seeker(
            unit=unit,
            category=category,
            certified_by=tabular.text(cells["certified_by"])[:100],
            certificate_number=tabular.compact(cells["certificate_number"])[:40],
            occupation=tabular.text(cells["occupation"])[:100],
            home_region=region,
            pay_wanted=pay,
            **days,
        )
        actions.register_seeker(
            seeker,
            acting_user=user,
            member_number=tabular.compact(cells["member"]),
            household_id_number=tabular.compact(cells["id_number"]).upper(),
        )


class GateCountsImport(SheetImport):
    key = "services.gate_counts"
    label = gettext_lazy("Import gate counts")
    stem = "头盔佩戴统计"
    instructions = (
        "每行一家企业一天的统计：企业以统一社会信用代码认定。",
        "佩戴人数不能多于观察人数；有一行不通过则整个文件不导入。",
    )

    def columns(self):
        return [
            Column("统一社会信用代码", "credit_code", True, width=22),
            Column("统计日期", "on", True, "如 2020-09-01", width=12),
            Column("骑行上下班职工数", "riders", True, width=14),
            Column("门口观察骑行人数", "observed", True, width=14),
            Column("佩戴头盔人数", "wearing", True, width=12),
        ]

    def context(self, user, params):
        return None

    def row(self, cells, context, user):
        problems = {}
        code = tabular.compact(cells["credit_code"]).upper()
        enterprise = (
            Enterprise.objects.filter(credit_code=code).select_related("federation").first()
        )
        if enterprise is None:
            problems["credit_code"] = _("No enterprise has the credit code %(c)s.") % {"c": code}
        numbers = {k: _integer(cells, k, problems) for k in ("riders", "observed", "wearing")}
        on = _day(cells, "on", problems)
        if problems:
            raise ValidationError(problems)
        actions.record_gate_count(enterprise, acting_user=user, on=on, **numbers)


register(SeekersImport())
register(GateCountsImport())
