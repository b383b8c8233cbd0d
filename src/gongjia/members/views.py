"""Portal pages of the member registry: apply to join, my member card."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.members import actions, identity, papers
from gongjia.members.models import Member
from gongjia.orgs.models import OrgUnit
from gongjia.platform import paperwork, pii
from gongjia.platform.forms import form_errors


class ApplyForm(forms.Form):
    """The application: the name and ID number are the account's own, shown and not typed."""

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


# The worker's own documents: the card, and the application form to sign and hand in.
OWN_PAPERS = {"card": "members.card", "application": "members.application"}


@login_required
def own_paper(request, which):
    member = _own(request)
    key = OWN_PAPERS.get(which)
    if member is None or key is None:
        return redirect("portal:member-apply")
    try:
        pdf = bool(request.GET.get("pdf"))
        return paperwork.response(request, paperwork.get(key), member, pdf=pdf)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("portal:member-card")


@login_required
def card(request):
    member = _own(request)
    if member is None:
        return redirect("portal:member-apply")
    qr = papers.qr(member) if member.status == Member.Status.ACTIVE else None
    return render(
        request,
        "members/card.html",
        {
            "member": member,
            "qr": qr,
            "id_masked": pii.mask_id_detail(member.id_number),
        },
    )


class IdentityForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Name, as on your ID card"), strip=True)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=24)
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=20)

    def clean(self):
        """Every field checked at once by the identity's own rules, so one answer names
        everything to fix (a field the form already refused keeps that one message)."""
        data = super().clean()
        try:
            data["full_name"], data["id_number"], data["mobile"] = identity.checked(
                *(data.get(k, "") for k in ("full_name", "id_number", "mobile"))
            )
        except ValidationError as e:
            for field, messages_ in e.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages_)
        return data


class RegisterForm(IdentityForm):
    username = forms.CharField(
        label=gettext_lazy("User name for signing in"),
        max_length=150,
        help_text=gettext_lazy("Letters, digits or your mobile number."),
    )
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=gettext_lazy("Password again"), widget=forms.PasswordInput)

    field_order = ["full_name", "id_number", "mobile", "username", "password", "password2"]

    def clean(self):
        data = super().clean()  # the identity's checks
        if data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


def _linked_message(request, member):
    if member is not None:
        text = _("Your account is linked to your member record at %(u)s.")
        messages.success(request, text % {"u": member.union})
    elif Member.objects.filter(**pii.lookup(Member, "id_number", request.user.id_number)).exists():
        messages.info(
            request,
            _(
                "Your union has a member record with your ID number: it links your account once "
                "it has checked that it is you."
            ),
        )


def register(request):
    """A worker's own account: name, ID number and mobile, bound to the member record."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, member = identity.register_worker(
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                id_number=data["id_number"],
                mobile=data["mobile"],
            )
        except ValidationError as e:
            form_errors(form, e)
        else:
            login(request, user, backend="gongjia.accounts.backends.RoleBackend")
            messages.success(request, _("Your account is ready."))
            _linked_message(request, member)
            return redirect("portal:home")
    return render(request, "members/register.html", {"form": form})


@login_required
def declare(request):
    """An account made without an identity (by an officer, say) declares it once."""
    if request.user.id_number:
        return redirect("portal:member-apply")
    form = IdentityForm(request.POST or None, initial={"full_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            member = identity.declare_identity(request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            request.user.refresh_from_db()
            _linked_message(request, member)
            return redirect("portal:member-card" if member else "portal:member-apply")
    return render(request, "members/identity.html", {"form": form})


@login_required
def apply(request):
    if _own(request) is not None:
        return redirect("portal:member-card")
    user = request.user
    if not user.id_number:
        # Not a link that refuses: the page says why an application needs the identity.
        return render(request, "members/apply.html", {"needs_identity": True})
    form = ApplyForm(request.POST or None, initial={"mobile": user.mobile})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.apply(
                user=user,
                union=data["union_code"],
                mobile=data["mobile"],
                category=data["category"],
            )
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(request, _("Your application was sent to the union."))
            return redirect("portal:member-card")
    return render(
        request,
        "members/apply.html",
        {"form": form, "name": user.full_name, "id_masked": pii.mask_id_detail(user.id_number)},
    )
