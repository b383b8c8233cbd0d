from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "gongjia.members"
    label = "members"
    verbose_name = _("Members and union building")

    def ready(self):

        from gongjia.members import selectors  # noqa: F401  registers the indicators
        from gongjia.members.models import Founding, Member, MembershipChange, TransferRequest
        from gongjia.platform import audit, scope

        scope.units(Member, "union")
        scope.units(MembershipChange, "member__union")
        scope.units(Founding, "federation")
        # Both sides see a transfer request: the union that sends and the one that receives.
        scope.units(TransferRequest, "from_union", "to_union")
        audit.track(Member, exclude_fields=["id_number_bidx"])
        audit.track(Founding)
        audit.track(TransferRequest)
