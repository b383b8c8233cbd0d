"""Portal pages of the member registry: apply to join, my member card."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.members import actions
from gongjia.members.models import Member
from gongjia.orgs.models import OrgUnit
from gongjia.platform import pii


class ApplyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=24)
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=20)
    union_code = forms.CharField(
        label=gettext_lazy("Union code"),
        max_length=32,
        help_text=gettext_lazy("Ask your union for its code, or scan its poster."),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Worker category"), choices=Member.Category.choices
    )

    def clean_union_code(self):
        code = self.cleaned_data["union_code"].strip()
        union = OrgUnit.objects.filter(
            code=code, kind__in=OrgUnit.GRASSROOTS, status=OrgUnit.Status.ACTIVE
        ).first()
        if union is None:
            raise forms.ValidationError(_("No grassroots union has this code."))
        return union


def _own(request):
    return Member.objects.select_related("union").filter(user=request.user).first()


@login_required
def card(request):
    member = _own(request)
    if member is None:
        return redirect("portal:member-apply")
    qr = None
    if member.status == Member.Status.ACTIVE:
        # The QR code carries the member number only: no personal data leaves on it.
        qr = mark_safe(segno.make(member.member_number, error="m").svg_inline(scale=5))  # noqa: S308
    return render(
        request,
        "members/card.html",
        {
            "member": member,
            "qr": qr,
            "id_masked": pii.mask_id_detail(member.id_number),
        },
    )


@login_required
def apply(request):
    if _own(request) is not None:
        return redirect("portal:member-card")
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.apply(
                user=request.user,
                union=data["union_code"],
                name=data["name"],
                id_number=data["id_number"],
                mobile=data["mobile"],
                category=data["category"],
            )
        except ValidationError as e:
            for field, errs in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("Your application was sent to the union."))
            return redirect("portal:member-card")
    return render(request, "members/apply.html", {"form": form})
