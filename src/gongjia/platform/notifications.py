"""In-app notifications to users, or to everyone holding a role in a unit."""

from django.utils import timezone

from gongjia.platform.models import Notification

# Who holds a role on a unit: told by the accounts app (the platform names no app of its own).
_role_holders = None


def role_holders(func):
    """Register `func(role, unit) -> users` (the active holders of a role on a unit)."""
    global _role_holders
    _role_holders = func
    return func


def notify(
    *, title: str, body: str = "", link: str = "", users=(), role: str | None = None, unit=None
) -> int:
    """Send to the given users and/or the holders of `role` on `unit`; returns rows written."""
    recipients = {u.pk: u for u in users}
    if role and unit is not None:
        for u in _role_holders(role, unit):
            recipients[u.pk] = u
    Notification.objects.bulk_create(
        [
            Notification(recipient=u, title=title[:200], body=body, link=link[:300])
            for u in recipients.values()
        ]
    )
    return len(recipients)


def mark_read(user, queryset) -> int:
    return queryset.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
