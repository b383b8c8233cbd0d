"""Consent to process personal information, recorded before the data is (PIPL arts. 14, 29-31).

Programmes that collect sensitive data call `record()` first and check `has_active()` before
storing or using it; withdrawal is as easy as giving (PIPL art. 15).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.platform import audit, scope
from gongjia.platform.models import AuditEvent, Consent


@transaction.atomic
def record(
    subject,
    *,
    unit,
    subject_name: str,
    purpose: str,
    notice_version: str,
    separate: bool,
    method: str,
    acting_user,
    by_subject: bool = False,
) -> Consent:
    """Record a consent. `by_subject`: the person gives it themselves (in the portal), so it
    needs no officer's scope; it is still recorded under their name and account."""
    if not purpose.strip() or not notice_version.strip():
        raise ValidationError(_("A consent names its purpose and the notice version shown."))
    if (
        not by_subject
        and scope.person(acting_user) is not None
        and not scope.units_in_scope(acting_user, Consent, "add").filter(pk=unit.pk).exists()
    ):
        raise ValidationError({"unit": _("You may not record consents for this unit.")})
    consent = Consent(
        unit=unit,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        subject_name=subject_name,
        purpose=purpose,
        notice_version=notice_version,
        separate=separate,
        method=method,
        recorded_by=scope.person(acting_user),
    )
    consent.full_clean()
    consent.save()
    audit.record(
        AuditEvent.Kind.SYSTEM,
        "consent_given",
        actor=acting_user,
        obj=consent,
        data={"purpose": purpose, "separate": separate, "method": method},
    )
    return consent


@transaction.atomic
def withdraw(consent: Consent, *, acting_user) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit.record(AuditEvent.Kind.SYSTEM, "consent_withdrawn", actor=acting_user, obj=consent)
    return consent


def has_active(subject, purpose: str, *, separate: bool = False) -> bool:
    qs = Consent.objects.filter(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        purpose=purpose,
        withdrawn_at__isnull=True,
    )
    if separate:
        qs = qs.filter(separate=True)
    return qs.exists()
