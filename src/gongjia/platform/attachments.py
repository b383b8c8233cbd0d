"""Files attached to scoped records: limits on size and type, scoped download."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gongjia.platform import audit, parameters, scope
from gongjia.platform.models import Attachment, AuditEvent


def attach(obj, upload, *, acting_user) -> Attachment:
    if upload is None:
        raise ValidationError(_("Choose a file to attach."))
    max_mb = parameters.value("attachments.max_megabytes")
    allowed = parameters.value("attachments.allowed_extensions")
    ext = Path(upload.name).suffix.lower().lstrip(".")
    if ext not in allowed:
        raise ValidationError(
            _("Files of type .%(ext)s cannot be attached; allowed: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(allowed)}
        )
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(_("The file is larger than %(n)d MB.") % {"n": max_mb})
    scope.check(acting_user, "change", obj)
    att = Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        file=upload,
        name=Path(upload.name).name[:200],
        size=upload.size,
        content_type_header=(upload.content_type or "application/octet-stream")[:100],
        uploaded_by=scope.person(acting_user),
    )
    audit.record(
        AuditEvent.Kind.SYSTEM,
        "attachment_added",
        actor=acting_user,
        obj=obj,
        data={"attachment": att.pk, "name": att.name, "size": att.size},
    )
    return att


@login_required
def download(request, pk: int):
    att = get_object_or_404(Attachment, pk=pk)
    record = att.record
    if record is None or not scope.can(request.user, "view", record):
        # The same answer as for a file that does not exist: no oracle of what others hold.
        raise Http404
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)
