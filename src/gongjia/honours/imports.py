"""The nominations spreadsheet of a selection batch: a town or a union sends its nominees, each
row through the action the nomination form calls (`platform.sheetimport`), all rows or none."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.honours import actions, quota, selectors
from gongjia.members.selectors import members_by_number
from gongjia.orgs.models import OrgUnit
from gongjia.platform import tabular
from gongjia.platform.sheetimport import SheetImport, register
from gongjia.platform.tabular import Column, FileProblem


class NominationsImport(SheetImport):
    key = "honours.nominations"
    label = gettext_lazy("Import nominations")
    stem = "荣誉推荐"
    instructions = (
        "每行一名人选：填写会员编号；推荐单位编码不填时为人选所在工会。",
        "类别用顿号分隔，如“一线职工、企业职工”；产业工人和女性按会员库自动认定，不必填写。",
        "民主评议应在职代会审议之前，二者都应在推荐日期之前；有一行不通过则整个文件不导入。",
    )

    def columns(self):
        return [
            Column("会员编号", "member", True, "人选的会员编号"),
            Column("推荐单位编码", "unit", False, "不填为人选所在工会", width=14),
            Column("类别", "categories", False, "用顿号分隔", width=24),
            Column("主要事迹", "deeds", True, width=40),
            Column("民主评议日期", "appraisal_on", True, "如 2020-03-02", width=12),
            Column("民主评议材料", "appraisal_evidence", True, width=24),
            Column("职代会审议日期", "congress_on", True, "如 2020-03-10", width=12),
            Column("职代会审议材料", "congress_evidence", True, width=24),
        ]

    def context(self, user, params):
        b = selectors.batches_open_to(user).filter(pk=params.get("batch")).first()
        if b is None:
            raise FileProblem(_("The batch takes no nominations from you now."))
        return b

    def row(self, cells, b, user):
        problems = {}
        number = tabular.compact(cells["member"])
        member = members_by_number([number]).get(number)
        if member is None:
            problems["member"] = _("No member with the number %(n)s.") % {"n": number}
        code = tabular.compact(cells["unit"])
        unit = OrgUnit.objects.filter(code=code).first() if code else None
        if code and unit is None:
            problems["unit"] = _("There is no unit with the code %(c)s.") % {"c": code}
        by_label = {label: key for key, label in quota.categories().items()}
        declared = []
        for word in filter(None, re.split(r"[、，,；;\s]+", tabular.text(cells["categories"]))):
            if word not in by_label:
                problems["categories"] = _("“%(w)s” is not a category of the dictionary.") % {
                    "w": word
                }
            else:
                declared.append(by_label[word])
        days = {}
        for key in ("appraisal_on", "congress_on"):
            try:
                days[key] = tabular.date(cells[key])
            except ValueError as e:
                problems[key] = str(e)
        if problems:
            raise ValidationError(problems)
        actions.nominate(
            b,
            member.pk,
            unit=unit or member.union,
            acting_user=user,
            categories=declared,
            deeds=tabular.text(cells["deeds"]),
            appraisal_evidence=tabular.text(cells["appraisal_evidence"])[:300],
            congress_evidence=tabular.text(cells["congress_evidence"])[:300],
            **days,
        )


register(NominationsImport())
