"""The enrolment spreadsheet of a class: an enterprise's union enrols its workers, each row
through the action the class's page calls (`platform.sheetimport`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.members.selectors import members_by_number
from gongjia.platform import scope, tabular
from gongjia.platform.sheetimport import SheetImport, register
from gongjia.platform.tabular import Column, FileProblem
from gongjia.training import actions
from gongjia.training.models import Enrolment, TrainingClass


class EnrolmentsImport(SheetImport):
    key = "training.enrolments"
    label = gettext_lazy("Import enrolments")
    stem = "培训报名"
    instructions = (
        "每行一名学员：填写会员编号；填写姓名时，与会员库不一致的行不导入。",
        "定制班只接收该企业的职工；名额、会员身份在导入时逐行检查，有一行不通过则整个文件不导入。",
    )

    def columns(self):
        return [
            Column("会员编号", "member", True, "学员的会员编号"),
            Column("姓名", "name", False, "用于核对，可不填", width=12),
        ]

    def context(self, user, params):
        classes = scope.restrict(TrainingClass.objects.all(), user, "view")
        c = classes.filter(pk=params.get("training_class")).first()
        if c is None:
            raise FileProblem(_("The class is not within your scope."))
        if c.status != TrainingClass.Status.ENROLLING:
            raise FileProblem(
                _("“%(c)s” is not open for enrolment (it is “%(s)s”).")
                % {"c": c.name, "s": c.get_status_display()}
            )
        return c

    def row(self, cells, c, user):
        number = tabular.compact(cells["member"])
        member = members_by_number([number]).get(number)
        if member is None:
            raise ValidationError({"member": _("No member with the number %(n)s.") % {"n": number}})
        name = tabular.text(cells["name"])
        if name and name != member.name:
            raise ValidationError(
                {"name": _("The member %(n)s is not called %(m)s.") % {"n": number, "m": name}}
            )
        actions.enrol(c, member.pk, acting_user=user, channel=Enrolment.Channel.IMPORT)


register(EnrolmentsImport())
