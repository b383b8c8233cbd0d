"""An action's refusal on the form that asked for it, for the back office and the portal alike."""

from django.core.exceptions import ValidationError


def form_errors(form, error: ValidationError, default: str | None = None) -> None:
    """Each message on its field where the form shows it; a message about a field the form does
    not show goes above the form (or on `default`), naming the field; a refusal without fields
    goes above the form. Never a 500 for a refusal that names no field."""
    if not hasattr(error, "error_dict"):
        form.add_error(default, error.messages)
        return
    model = form._meta.model if hasattr(form, "_meta") else None
    for name, messages in error.message_dict.items():
        if name in form.fields:
            form.add_error(name, messages)
        elif name in ("__all__", None):
            form.add_error(default, messages)
        else:
            label = name
            if model is not None:
                try:
                    label = model._meta.get_field(name).verbose_name
                except Exception:  # noqa: BLE001  a key that is no field: named as given
                    label = name
            form.add_error(default, [f"「{label}」{m}" for m in messages])


def submitted(request):
    """The data of a record tool's form page once its form is sent: the tool's own button (a
    POST with nothing else, see `record_tools`) only opens the form, without errors."""
    return request.POST if request.POST.get("_submitted") else None


def form_page(model_admin, request, obj, form, *, title, intro=""):
    """A record tool's form on a page of its own, with the way back to the record."""
    from django.template.response import TemplateResponse

    return TemplateResponse(
        request,
        "platform/admin/form_page.html",
        {
            **model_admin.admin_site.each_context(request),
            "form": form,
            "opts": model_admin.model._meta,
            "title": title,
            "intro": intro,
            "back_url": model_admin._change_url(obj),
        },
    )
