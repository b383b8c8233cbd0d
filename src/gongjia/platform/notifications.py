"""In-app notifications to users, or to everyone holding a role in a unit."""

from django.utils import timezone

from gongjia.platform.models import Notification


def notify(
    *, title: str, body: str = "", link: str = "", users=(), role: str | None = None, unit=None
) -> int:
    """Send to the given users and/or the holders of `role` on `unit`; returns rows written."""
    recipients = {u.pk: u for u in users}
    if role and unit is not None:
        from gongjia.accounts.models import RoleAssignment

        for ra in RoleAssignment.objects.filter(
            role=role, unit=unit, active=True, user__is_active=True
        ).select_related("user"):
            recipients[ra.user_id] = ra.user
    Notification.objects.bulk_create(
        [
            Notification(recipient=u, title=title[:200], body=body, link=link[:300])
            for u in recipients.values()
        ]
    )
    return len(recipients)


def mark_read(user, queryset) -> int:
    return queryset.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
