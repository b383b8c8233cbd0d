"""A marking scheme as a spreadsheet, one aspect per row with its standard section, criterion and
sub-criterion beside it (the way schemes are drafted and exchanged): imported into an event's
draft scheme, and exported from any scheme, so last year's scheme is this year's draft.

The calculation's parameters are written as people write them:
- number completed: the number possible, e.g. `4`;
- choice with a deduction: `label:deduction %` separated by `;`, e.g. `全部正确:0;一处错误:50`;
- ranged score: `low~high:deduction %` separated by `;`, e.g. `0~0.02:0;0.02~0.05:50`;
- a judgement aspect: the descriptors of the scores 0–3 separated by `|` (optional).
"""

import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.platform import exports, scope, tabular
from gongjia.platform.sheetimport import SheetImport, register
from gongjia.platform.tabular import Column, FileProblem
from gongjia.skills import actions, marking
from gongjia.skills.models import Aspect, Event, Scheme

KINDS = {"测量": Aspect.Kind.MEASUREMENT, "评价": Aspect.Kind.JUDGEMENT}
CALCULATIONS = {
    "达标": marking.PASS_FAIL,
    "完成数量": marking.COMPLETED,
    "选项扣分": marking.CHOICE,
    "区间得分": marking.RANGED,
}
AGGREGATIONS = {
    "三人评分差检查": marking.SPREAD_CHECKED,
    "平均": marking.MEAN,
    "去掉最高最低": marking.TRIMMED,
    "取最接近两人": marking.TWO_CLOSEST,
}


def columns() -> list[Column]:
    return [
        Column("分项编号", "section", True, "世界技能标准规范的分项，如 1", width=8),
        Column("分项名称", "section_title", True, width=20),
        Column("分项权重", "weight", True, "各分项权重之和为 100", width=8),
        Column("评分模块", "criterion", True, "如 A", width=8),
        Column("模块名称", "criterion_title", True, width=20),
        Column("子模块编号", "sub", True, "如 A1", width=8),
        Column("子模块名称", "sub_title", True, width=20),
        Column("评分日", "day", False, "第几天评分，默认 1", width=6),
        Column("要点序号", "order", True, "子模块内的顺序", width=6),
        Column("评分类型", "kind", True, "测量或评价", choices=list(KINDS), width=8),
        Column("评分要点", "description", True, width=40),
        Column("要求", "requirement", False, width=30),
        Column("计算方式", "calculation", False, "测量必填", choices=list(CALCULATIONS), width=10),
        Column("参数", "params", False, "见填写说明", width=30),
        Column("评分汇总", "aggregation", False, "评价类，默认三人评分差检查", width=14),
        Column("满分", "max_mark", True, "0.05 的整数倍", width=8),
    ]


INSTRUCTIONS = (
    "每行一个评分要点；同一分项、模块、子模块的各行名称和权重一致。",
    "参数：完成数量写可完成的总数（如 4）；选项扣分写“选项:扣分%”并用“;”分隔"
    "（如 全部正确:0;一处错误:50）；区间得分写“下限~上限:扣分%”并用“;”分隔"
    "（如 0~0.02:0;0.02~0.05:50）；评价类可写 0–3 分的描述，用“|”分隔。",
    "评分汇总（评价类）：三人评分差检查、平均、去掉最高最低、取最接近两人。",
    "只能导入到草稿状态的评分方案；已有的要点按子模块和要点序号更新。",
)


def _number(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


def parse_params(kind: str, calculation: str, text: str) -> dict:
    """The parameters' text as the scheme stores them; ValueError with what to fix."""
    text = tabular.text(text)
    if kind == Aspect.Kind.JUDGEMENT:
        if not text:
            return {}
        descriptors = [d.strip() for d in text.split("|")]
        if len(descriptors) != marking.JUDGEMENT_TOP + 1:
            raise ValueError(_("gives four descriptors, of the scores 0 to 3, separated by |."))
        return {"descriptors": descriptors}
    if calculation == marking.COMPLETED:
        if not text.isdigit() or int(text) < 1:
            raise ValueError(_("gives the number that can be completed, e.g. 4."))
        return {"n": int(text)}
    if calculation in (marking.CHOICE, marking.RANGED):
        parts = [p for p in text.replace("；", ";").split(";") if p.strip()]
        if not parts:
            raise ValueError(_("lists the choices or ranges with their deductions."))
        out = []
        for part in parts:
            head, _sep, deduction = part.replace("：", ":").rpartition(":")
            try:
                d = _number(deduction.strip())
                if not 0 <= d <= 100:
                    raise ValueError(deduction)
                if calculation == marking.CHOICE:
                    if not head.strip():
                        raise ValueError(part)
                    out.append({"label": head.strip(), "deduction": float(d)})
                else:
                    low, _s, high = head.replace("～", "~").partition("~")
                    lo, hi = _number(low.strip()), _number(high.strip())
                    if lo > hi:
                        raise ValueError(part)
                    out.append({"low": float(lo), "high": float(hi), "deduction": float(d)})
            except ValueError:
                raise ValueError(
                    _("“%(p)s” is not written as the instructions show.") % {"p": part.strip()}
                ) from None
        return {"choices" if calculation == marking.CHOICE else "ranges": out}
    return {}


def format_params(aspect: Aspect) -> str:
    p = aspect.params or {}
    if aspect.kind == Aspect.Kind.JUDGEMENT:
        return "|".join(p.get("descriptors", []))
    if aspect.calculation == marking.COMPLETED and "n" in p:
        return str(p["n"])

    def num(v):
        return f"{Decimal(str(v)).normalize():f}"

    if aspect.calculation == marking.CHOICE:
        return ";".join(f"{c['label']}:{num(c['deduction'])}" for c in p.get("choices", []))
    if aspect.calculation == marking.RANGED:
        return ";".join(
            f"{num(r['low'])}~{num(r['high'])}:{num(r['deduction'])}" for r in p.get("ranges", [])
        )
    return ""


def _label(mapping: dict, value: str) -> str:
    return next((k for k, v in mapping.items() if v == value), "")


def export(scheme: Scheme) -> bytes:
    """The scheme's aspects in the import's columns."""
    aspects = (
        Aspect.objects.filter(sub__criterion__scheme=scheme)
        .select_related("section", "sub__criterion")
        .order_by("sub__criterion__letter", "sub__code", "order", "pk")
    )
    rows = [
        [
            a.section.number,
            a.section.title,
            f"{a.section.weight.normalize():f}",
            a.sub.criterion.letter,
            a.sub.criterion.title,
            a.sub.code,
            a.sub.title,
            a.sub.marking_day,
            a.order,
            _label(KINDS, a.kind),
            a.description,
            a.requirement,
            _label(CALCULATIONS, a.calculation),
            format_params(a),
            _label(AGGREGATIONS, a.aggregation) if a.kind == Aspect.Kind.JUDGEMENT else "",
            f"{a.max_mark.normalize():f}",
        ]
        for a in aspects
    ]
    out = io.BytesIO()
    exports.write_xlsx(out, [c.header for c in columns()], rows, sheet="评分方案")
    return out.getvalue()


class SchemeImport(SheetImport):
    key = "skills.scheme"
    label = gettext_lazy("Import a marking scheme")
    stem = "评分方案"
    instructions = INSTRUCTIONS

    def columns(self):
        return columns()

    def context(self, user, params):
        events = scope.restrict(Event.objects.select_related("competition"), user, "change")
        event = events.filter(pk=params.get("event")).first()
        if event is None:
            raise FileProblem(_("The event is not within your scope."))
        scheme = Scheme.objects.filter(event=event).first()
        if scheme is not None and scheme.status != Scheme.Status.DRAFT:
            raise FileProblem(
                _("The marking scheme is “%(s)s”: only a draft is imported into.")
                % {"s": scheme.get_status_display()}
            )
        return {"event": event, "sections": {}}

    def row(self, cells, context, user):
        t = {k: tabular.text(v) for k, v in cells.items()}
        problems = {}
        kind = KINDS.get(t["kind"])
        if kind is None:
            problems["kind"] = _("is 测量 or 评价.")
        calculation = CALCULATIONS.get(t["calculation"], "") if t["calculation"] else ""
        if t["calculation"] and not calculation:
            problems["calculation"] = _("is one of %(c)s.") % {"c": "、".join(CALCULATIONS)}
        if kind == Aspect.Kind.MEASUREMENT and not calculation:
            problems["calculation"] = _("is required for a measurement.")
        aggregation = marking.SPREAD_CHECKED
        if t["aggregation"]:
            aggregation = AGGREGATIONS.get(t["aggregation"])
            if aggregation is None:
                problems["aggregation"] = _("is one of %(c)s.") % {"c": "、".join(AGGREGATIONS)}
        numbers = {}
        for key in ("weight", "max_mark"):
            try:
                numbers[key] = _number(t[key])
            except ValueError:
                problems[key] = _("is a number.")
        if "max_mark" in numbers and not (
            numbers["max_mark"] > 0 and marking.valid_maximum(numbers["max_mark"])
        ):
            problems["max_mark"] = _("is a positive multiple of 0.05.")
        whole = {}
        for key in ("order", "day"):
            try:
                whole[key] = int(_number(t[key] or "1"))
                if whole[key] != _number(t[key] or "1") or whole[key] < 0:
                    raise ValueError(t[key])
            except ValueError:
                problems[key] = _("is a whole number.")
        if kind and "calculation" not in problems:
            try:
                params = parse_params(kind, calculation, t["params"])
            except ValueError as e:
                problems["params"] = str(e)
        seen = context["sections"].setdefault(t["section"], numbers.get("weight"))
        if "weight" in numbers and seen != numbers["weight"]:
            problems["weight"] = _("differs from the weighting given for this section above.")
        if problems:
            raise ValidationError(problems)
        actions.put_aspect(
            context["event"],
            section=(t["section"], t["section_title"], numbers["weight"]),
            criterion=(t["criterion"], t["criterion_title"]),
            sub=(t["sub"], t["sub_title"], whole["day"]),
            order=whole["order"],
            fields={
                "kind": kind,
                "description": t["description"][:500],
                "requirement": t["requirement"][:500],
                "calculation": calculation if kind == Aspect.Kind.MEASUREMENT else "",
                "params": params,
                "aggregation": aggregation,
                "max_mark": numbers["max_mark"],
            },
            acting_user=user,
        )


register(SchemeImport())
