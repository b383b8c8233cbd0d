"""Paperwork people print: a record's document as a print-ready page, and as a PDF where it is
signed on paper (a membership application, a mediation agreement, a relief approval).

Each app declares its documents in its `papers` module, beside the record they print:

    @paper("members.application", Member, label=_("Membership application form"),
           template="members/papers/application.html", signed=True)
    def application(member, user):
        return {"member": member, ...}

The back office offers every document of a record on its page (`ScopedAdmin`), to whoever may
see the record, once the document's `ready(obj)` has no objection (an agreement is printed while
mediating or after); the portal prints a worker's own. A document that shows personal data in
full is logged like an export.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from gongjia.platform import audit, formatting
from gongjia.platform.models import AuditEvent


@dataclass(frozen=True)
class Paper:
    key: str
    model: type
    label: str
    template: str
    context: Callable  # context(obj, user) -> the template's context
    signed: bool = False  # signed on paper: offered as a PDF too
    ready: Callable | None = None  # ready(obj) -> why it cannot be printed yet, or None
    personal: bool = False  # shows personal data in full: each print is logged


_registry: dict[str, Paper] = {}


def paper(key: str, model, *, label, template: str, signed=False, ready=None, personal=False):
    def wrap(func):
        if key in _registry:
            raise ValueError(f"paper {key} declared twice")
        _registry[key] = Paper(key, model, label, template, func, signed, ready, personal)
        return func

    return wrap


def registry() -> dict[str, Paper]:
    return dict(_registry)


def of(model) -> list[Paper]:
    """The documents of records of `model`."""
    return [p for p in _registry.values() if p.model is model]


def get(key: str) -> Paper | None:
    return _registry.get(key)


def rows(obj, *names: str) -> list[tuple[str, str]]:
    """(label, value in words) of the record's fields, as a form prints them: a choice by its
    label, a date the one way, a related record by its name; nothing on record stays blank,
    to be filled in by hand."""
    out = []
    for name in names:
        f = obj._meta.get_field(name)
        value = getattr(obj, name)
        if value in (None, ""):
            shown = ""
        elif f.choices:
            shown = str(getattr(obj, f"get_{name}_display")())
        elif isinstance(value, dt.date):
            shown = formatting.day(value)
        elif isinstance(value, bool):
            shown = formatting.number(value)
        else:
            shown = str(value)
        out.append((str(f.verbose_name), shown))
    return out


def html(p: Paper, obj, user, *, pdf: bool = False) -> str:
    context = {
        **p.context(obj, user),
        "paper": p,
        "printed_on": timezone.localdate(),
        "pdf": pdf,
    }
    return render_to_string(p.template, context)


def render_pdf(page: str, base_url: str) -> bytes:
    try:
        import weasyprint  # noqa: PLC0415  its system libraries load only when a PDF is asked for
    except OSError as e:  # Pango missing on this machine: the page still prints
        raise ValidationError(
            _("PDFs cannot be made on this server (Pango is not installed): print the page.")
        ) from e
    return weasyprint.HTML(string=page, base_url=base_url).write_pdf()


def response(request, p: Paper, obj, *, pdf: bool = False) -> HttpResponse:
    """The document of `obj` as a page or a PDF, after its own readiness check; logged when it
    shows personal data. Raises ValidationError naming why it cannot be printed yet."""
    if p.ready and (why := p.ready(obj)):
        raise ValidationError(str(why))
    page = html(p, obj, request.user, pdf=pdf)
    # The PDF is made before the entry is written: a document that could not be made was
    # not printed.
    body = render_pdf(page, request.build_absolute_uri("/")) if pdf else None
    if p.personal:
        audit.record(
            AuditEvent.Kind.EXPORT,
            "print",
            actor=request.user,
            obj=obj,
            data={"paper": p.key, "pdf": pdf},
        )
    if not pdf:
        return HttpResponse(page)
    out = HttpResponse(body, content_type="application/pdf")
    name = f"{p.label}-{getattr(obj, 'number', '') or obj.pk}.pdf"
    out.headers["Content-Disposition"] = content_disposition_header(False, name)
    return out
