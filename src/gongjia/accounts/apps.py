from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongjia.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.models import LogEntry
        from django_tasks_db.models import DBTaskResult

        from gongjia.accounts.models import ApiToken, RoleAssignment, User
        from gongjia.platform import audit, scope
        from gongjia.platform.models import (
            Attachment,
            AuditEvent,
            Consent,
            Heartbeat,
            Job,
            KeyCanary,
            Notification,
            OfficialDay,
            OfficialYear,
        )

        scope.units(RoleAssignment, "unit")
        scope.unscoped(User)
        scope.owned(ApiToken, "user")
        scope.unscoped(AuditEvent)
        scope.unscoped(LogEntry)
        scope.unscoped(Heartbeat)
        scope.unscoped(KeyCanary)
        scope.unscoped(OfficialYear)
        scope.unscoped(OfficialDay)
        audit.track(OfficialYear)
        audit.track(OfficialDay)
        scope.unscoped(DBTaskResult)
        scope.owned(Job, "user")
        scope.owned(Notification, "recipient")
        scope.units(Consent, "unit")
        scope.owned(Attachment, "uploaded_by")  # downloads check the attached record instead
        audit.track(
            User,
            exclude_fields=["password", "last_login", "totp_secret", "id_number_bidx"],
        )
        audit.track(RoleAssignment)
        audit.track(Consent)

        from gongjia.platform import notifications

        @notifications.role_holders
        def holders(role, unit):
            return [
                ra.user
                for ra in RoleAssignment.objects.filter(
                    role=role, unit=unit, active=True, user__is_active=True
                ).select_related("user")
            ]
