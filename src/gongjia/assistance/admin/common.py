"""What the assistance admin pages share: de-identified export columns, yuan, form errors."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gongjia.assistance import relief
from gongjia.platform import money


class Deidentified:
    """Exports name the archive, never the person: `export_fields` use these columns (and the
    relief policy by its name)."""

    @admin.display(description=_("archive number"))
    def household_number(self, obj):
        h = getattr(obj, "household", None) or obj.member.household
        return h.number

    @admin.display(description=_("policy"), ordering="policy")
    def policy_name(self, obj):
        # The name in force today; a policy since withdrawn shows its code.
        return dict(relief.policy_choices()).get(obj.policy, obj.policy)

    @admin.display(description=_("base union"))
    def household_unit(self, obj):
        h = getattr(obj, "household", None) or obj.member.household
        return str(h.unit)


def in_yuan(fen):
    return money.yuan(fen, grouped=True) if fen is not None else "—"
