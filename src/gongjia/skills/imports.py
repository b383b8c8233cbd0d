"""The skills programme's spreadsheets, each row written by the action an officer's form calls
(`platform.sheetimport`): an event's entries, registered by a unit; and the competitions towns,
streets and enterprises ran under the district's guidance, reported with their events'
participants."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.members.selectors import members_by_number
from gongjia.orgs.models import OrgUnit
from gongjia.platform import scope, tabular
from gongjia.platform.sheetimport import SheetImport, register
from gongjia.platform.tabular import Column, FileProblem
from gongjia.skills import actions
from gongjia.skills.models import Competition, Event, Trade


class EntriesImport(SheetImport):
    key = "skills.entries"
    label = gettext_lazy("Import entries")
    stem = "参赛报名"
    instructions = (
        "每行一个参赛单元：个人赛填写参赛者的会员编号；三人团体赛再填写两名队员的会员编号和队名。",
        "资格条件（会员身份、年龄、技能等级、区内用人单位）在导入时逐行检查。",
    )

    def columns(self):
        return [
            Column("会员编号", "members", True, "参赛者（团体赛为第一名队员）的会员编号"),
            Column("队员2会员编号", "second", False, "仅三人团体赛填写"),
            Column("队员3会员编号", "third", False, "仅三人团体赛填写"),
            Column("队名", "team_name", False, "仅三人团体赛填写", width=20),
            Column("理论成绩", "theory", False, "百分制，可稍后填写", width=10),
        ]

    def context(self, user, params):
        events = scope.restrict(Event.objects.select_related("competition"), user, "view")
        event = events.filter(pk=params.get("event")).first()
        if event is None:
            raise FileProblem(_("The event is not within your scope."))
        if event.competition.status != Competition.Status.REGISTRATION:
            raise FileProblem(
                _("“%(c)s” is not open for registration (it is “%(s)s”).")
                % {"c": event.competition.name, "s": event.competition.get_status_display()}
            )
        return event

    def row(self, cells, event, user):
        numbers = [
            tabular.compact(cells[k]) for k in ("members", "second", "third") if cells[k] != ""
        ]
        found = members_by_number(numbers)
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationError(
                {"members": _("No member with the number %(n)s.") % {"n": "、".join(missing)}}
            )
        problems, theory = {}, None
        if tabular.text(cells["theory"]):
            try:
                theory = round(float(tabular.text(cells["theory"])), 2)
            except ValueError:
                theory = -1
            if not 0 <= theory <= 100:
                problems["theory"] = [_("A theory score is from 0 to 100.")]
                theory = None
        try:  # the action's refusals and the row's own, together
            actions.register_entry(
                event,
                [found[n].pk for n in numbers],
                acting_user=user,
                team_name=tabular.text(cells["team_name"])[:100],
                theory=theory,
            )
        except ValidationError as e:
            problems = {**e.update_error_dict({}), **problems}
        if problems:
            raise ValidationError(problems)


LEVELS = {"镇街": Competition.Level.TOWN, "企业": Competition.Level.ENTERPRISE}


class ReportsImport(SheetImport):
    key = "skills.reports"
    label = gettext_lazy("Import reported competitions")
    stem = "竞赛报备"
    instructions = (
        "每行一个比赛项目：同一竞赛的多个工种写多行，竞赛名称、主办单位和日期相同即归入同一竞赛。",
        "工种须在区总工会维护的工种目录中；参赛人数为该工种实际参赛人数。",
        "导入后在每个竞赛的页面上传证明材料（通知、成绩名单），由镇街总工会审核。",
    )

    def columns(self):
        return [
            Column("竞赛名称", "name", True, width=30),
            Column("级别", "level", True, "镇街或企业", choices=list(LEVELS), width=8),
            Column("主办单位编码", "organiser", True, "主办的镇街总工会或企业工会的单位编码"),
            Column("开始日期", "starts_on", True, "如 2020-05-12", width=12),
            Column("结束日期", "ends_on", True, "如 2020-05-13", width=12),
            Column("工种", "trade", True, "工种目录中的名称", width=20),
            Column("参赛人数", "participants", True, width=10),
        ]

    def row(self, cells, context, user):
        problems = {}
        level = LEVELS.get(tabular.compact(cells["level"]))
        if level is None:
            problems["level"] = _("is 镇街 or 企业.")
        organiser = OrgUnit.objects.filter(code=tabular.compact(cells["organiser"])).first()
        if organiser is None:
            problems["organiser"] = _("There is no unit with the code %(c)s.") % {
                "c": tabular.compact(cells["organiser"])
            }
        days = {}
        for key in ("starts_on", "ends_on"):
            try:
                days[key] = tabular.date(cells[key])
            except ValueError as e:
                problems[key] = str(e)
        trade = Trade.objects.filter(name=tabular.text(cells["trade"]), active=True).first()
        if trade is None:
            problems["trade"] = _(
                "“%(t)s” is not in the trade list: ask the federation to add it."
            ) % {"t": tabular.text(cells["trade"])}
        try:
            participants = int(tabular.compact(cells["participants"]))
        except ValueError:
            problems["participants"] = _("is a whole number of people.")
        if problems:
            raise ValidationError(problems)
        name = tabular.text(cells["name"])[:200]
        competition = Competition.objects.filter(
            reported=True,
            name=name,
            organiser=organiser,
            starts_on=days["starts_on"],
            status=Competition.Status.REPORTED,
        ).first() or actions.report_competition(
            name=name,
            level=level,
            organiser=organiser,
            acting_user=user,
            **days,
        )
        actions.report_event(competition, trade, participants, acting_user=user)


register(EntriesImport())
register(ReportsImport())
