"""What the honours back-office pages share: share rules typed as rows of fields (a category, an
operator, a percentage or a number of people, a base), never as data; departments one a line;
a member found by their number."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gongjia.honours import quota
from gongjia.members.selectors import members_by_number
from gongjia.platform import formatting, money

RULE_SLOTS = 6
OPERATORS = [("", "—"), (">=", "≥"), (">", ">"), ("<=", "≤"), ("<", "<")]


def in_yuan(fen):
    return formatting.money(money.yuan_figure(fen)) if fen is not None else "—"


def _category_choices():
    return [("", "—"), *quota.categories().items()]


def _base_choices():
    return [("all", _("the whole batch")), *quota.categories().items()]


def _label(text, k):
    # The label in the reader's language, made when the form is shown.
    return lazy(lambda: _g(text) % {"k": k}, str)()


def _rule_fields() -> dict:
    fields = {}
    for k in range(1, RULE_SLOTS + 1):
        fields[f"rule_{k}_category"] = forms.ChoiceField(
            label=_label(gettext_noop("Rule %(k)s: category"), k),
            choices=_category_choices,
            required=False,
        )
        fields[f"rule_{k}_op"] = forms.ChoiceField(
            label=_label(gettext_noop("Rule %(k)s: operator"), k), choices=OPERATORS, required=False
        )
        fields[f"rule_{k}_pct"] = forms.DecimalField(
            label=_label(gettext_noop("Rule %(k)s: percentage"), k),
            min_value=0,
            max_value=100,
            decimal_places=2,
            required=False,
        )
        fields[f"rule_{k}_count"] = forms.IntegerField(
            label=_label(gettext_noop("Rule %(k)s: or a number of people (control number)"), k),
            min_value=0,
            required=False,
        )
        fields[f"rule_{k}_base"] = forms.ChoiceField(
            label=_label(gettext_noop("Rule %(k)s: share of"), k),
            choices=_base_choices,
            required=False,
        )
    return fields


class _Rules(forms.Form):
    """Share rules as up to six rows of fields, and the clearing departments one a line."""

    def add_rule_fields(self, rules, departments):
        for k, rule in enumerate(rules or [], start=1):
            if k > RULE_SLOTS:
                break
            self.initial[f"rule_{k}_category"] = rule.get("category")
            self.initial[f"rule_{k}_op"] = rule.get("op")
            self.initial[f"rule_{k}_pct"] = rule.get("pct")
            self.initial[f"rule_{k}_count"] = rule.get("count")
            self.initial[f"rule_{k}_base"] = rule.get("base") or "all"
        self.initial["departments_text"] = "\n".join(departments or [])

    @staticmethod
    def rule_field_rows():
        """The rule fields for a fieldset: one rule a line."""
        return [
            tuple(f"rule_{k}_{part}" for part in ("category", "op", "pct", "count", "base"))
            for k in range(1, RULE_SLOTS + 1)
        ]

    def rules_value(self) -> list[dict]:
        d = self.cleaned_data
        rules = []
        for k in range(1, RULE_SLOTS + 1):
            category = d.get(f"rule_{k}_category")
            if not category:
                continue
            op = d.get(f"rule_{k}_op")
            pct, count = d.get(f"rule_{k}_pct"), d.get(f"rule_{k}_count")
            if not op:
                self.add_error(f"rule_{k}_op", _("Choose ≥, >, ≤ or <."))
                continue
            if (pct is None) == (count is None):
                self.add_error(
                    f"rule_{k}_pct", _("Give a percentage or a number of people, one of them.")
                )
                continue
            rule = {"category": category, "op": op, "base": d.get(f"rule_{k}_base") or "all"}
            if count is not None:
                rule["count"] = count
            else:
                try:
                    rule["pct"] = format(Decimal(pct).normalize(), "f")
                except InvalidOperation:
                    self.add_error(f"rule_{k}_pct", _("A percentage from 0 to 100."))
                    continue
            rules.append(rule)
        return rules

    def departments_value(self) -> list[str]:
        text = self.cleaned_data.get("departments_text") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


# Declared on the class, so the back office knows the fields its fieldsets name.
RulesFormMixin = type(forms.Form)(
    "RulesFormMixin",
    (_Rules,),
    {
        **_rule_fields(),
        "departments_text": forms.CharField(
            label=_("clearing departments"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("One department a line; each may veto a nominee."),
        ),
        "__module__": __name__,
    },
)


class MemberNumberMixin(forms.Form):
    member_number = forms.CharField(label=_("member number"), max_length=24)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            # A record's page may show its person read-only: no number is sent, none is needed.
            self.fields["member_number"].required = False

    def clean_member_number(self):
        number = (self.cleaned_data.get("member_number") or "").strip()
        if not number and not self.fields["member_number"].required:
            return number
        member = members_by_number([number]).get(number)
        if member is None:
            raise forms.ValidationError(_("No member with the number %(n)s.") % {"n": number})
        self.cleaned_data["member"] = member
        return number


def rules_in_words(rules) -> list[str]:
    names = quota.categories()
    return [quota.describe(r, names) for r in rules or []]
