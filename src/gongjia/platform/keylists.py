"""A field holding a list of keys from a fixed list of (key, label): the facilities of a rest
station, the standard items a room meets, the grounds of a title. It is edited as tick boxes,
refuses keys outside the list, and is shown by its labels wherever it is read — a record's page,
the audit log — never as the stored list."""

import ast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyListField(models.JSONField):
    def __init__(self, *args, keys=(), **kwargs):
        self.keys = list(keys)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # Stored as plain JSON: the list of keys is code, not schema.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        known = {k for k, _label in self.keys}
        if not isinstance(value, list) or set(value) - known:
            raise ValidationError(_("Tick the items from the list."), code="invalid_choice")

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            label=self.verbose_name,
            choices=self.keys,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            help_text=self.help_text,
        )


def labels(field, value) -> str:
    """The keys by their labels, in the list's order ("—" for none). `value` is the list, or the
    text the audit log recorded of it."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    if not value:
        return "—"
    chosen = set(value)
    known = dict(field.keys)
    shown = [str(label) for key, label in field.keys if key in chosen]
    shown += [str(k) for k in value if k not in known]
    return "、".join(shown)
