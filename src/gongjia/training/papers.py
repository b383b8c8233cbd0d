"""The academy's paperwork: a completion certificate with its verification code, printed by the
holder in the portal or by the class's organiser."""

from django.utils.translation import gettext_lazy as _

from gongjia.platform.paperwork import paper
from gongjia.training.models import Certificate


@paper(
    "training.certificate",
    Certificate,
    label=_("Completion certificate"),
    template="training/papers/certificate.html",
    signed=True,
    ready=lambda c: None if c.valid else _("The certificate is revoked."),
)
def certificate(cert, user):
    e = cert.enrolment
    return {
        "certificate": cert,
        "member": e.member,
        "training_class": e.training_class,
        "course": e.training_class.course,
    }
