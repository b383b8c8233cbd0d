"""Portal: a worker applies for a hardship file and sees their own file and where it stands
(Archive Measures: the worker may see their own file; anyone else needs approval)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjia.assistance import actions
from gongjia.assistance.models import Household, HouseholdMember, Pairing, ReliefPayment, Visit
from gongjia.assistance.workflows import household_workflow
from gongjia.members.selectors import member_of
from gongjia.platform import notifications, pii, scope, validators
from gongjia.platform.forms import form_errors

OTHER_MEMBERS = 3  # rows for the rest of the household; the union adds more at the home visit


def _mine(user):
    mine = Q(applicant=user)
    if user.id_number:
        key = pii.lookup(HouseholdMember, "id_number", user.id_number)
        mine |= Q(members__id_number_bidx=key["id_number_bidx"])
    return Household.objects.filter(mine).distinct()


@login_required
def my_file(request):
    households = _mine(request.user).prefetch_related(
        "members", "pairings__helper", Prefetch("payments", ReliefPayment.objects.order_by("id"))
    )
    households = list(households)
    for h in households:
        h.ahead = household_workflow.ahead(h)
    return render(request, "assistance/my_file.html", {"households": households})


class ApplicationForm(forms.Form):
    address = forms.CharField(label=gettext_lazy("Home address"), max_length=200)
    primary_cause = forms.ChoiceField(
        label=gettext_lazy("Main cause of hardship"), choices=Household.Cause.choices
    )
    secondary_cause = forms.ChoiceField(
        label=gettext_lazy("Secondary cause"),
        choices=[("", "—"), *Household.Cause.choices],
        required=False,
    )
    work = forms.ChoiceField(label=gettext_lazy("Your work"), choices=HouseholdMember.Work.choices)
    employer_name = forms.CharField(label=gettext_lazy("Employer"), max_length=200, required=False)
    health = forms.CharField(
        label=gettext_lazy("Illness or disability in the household (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    bank_account = forms.CharField(
        label=gettext_lazy("Bank account for relief (optional)"), max_length=34, required=False
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that the union processes my household's health, income and bank details to "
            "examine this application and to help us (separate consent, PIPL arts. 28-29). "
            "I may withdraw it at any time through my union."
        ),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(OTHER_MEMBERS):
            self.fields[f"m{i}_name"] = forms.CharField(
                label=gettext_lazy("Household member %(n)s: name") % {"n": i + 1},
                max_length=50,
                required=False,
            )
            self.fields[f"m{i}_relationship"] = forms.ChoiceField(
                label=gettext_lazy("relationship"),
                choices=[c for c in HouseholdMember.Relationship.choices if c[0] != "self"],
                required=False,
            )
            self.fields[f"m{i}_id_number"] = forms.CharField(
                label=gettext_lazy("ID number"), max_length=24, required=False
            )
            self.fields[f"m{i}_work"] = forms.ChoiceField(
                label=gettext_lazy("employment"),
                choices=HouseholdMember.Work.choices,
                required=False,
            )

    def clean_bank_account(self):
        raw = validators.normalise_text(self.cleaned_data.get("bank_account") or "").replace(
            "-", ""
        )
        if raw and not (raw.isdigit() and 12 <= len(raw) <= 30):
            raise forms.ValidationError(_("A bank account number has 12 to 30 digits."))
        return raw

    def others(self) -> list[dict]:
        out = []
        for i in range(OTHER_MEMBERS):
            name = (self.cleaned_data.get(f"m{i}_name") or "").strip()
            if not name:
                continue
            row = {
                "name": name,
                "relationship": self.cleaned_data.get(f"m{i}_relationship") or "other",
                "work": self.cleaned_data.get(f"m{i}_work") or "unable",
            }
            raw = self.cleaned_data.get(f"m{i}_id_number") or ""
            if raw:
                try:
                    row["id_number"] = validators.validate_id_number(raw)
                except ValidationError as e:
                    self.add_error(f"m{i}_id_number", e.messages)
                    continue
            out.append(row)
        return out


def _union_of(user):
    m = member_of(user, active=True)
    if m is not None:
        return m.union
    ra = next(iter(user.role_assignments()), None)
    return ra.unit if ra else None


@login_required
def apply(request):
    """The worker's own application; the base union checks it and visits the home."""
    user = request.user
    unit = _union_of(user)
    if not user.id_number or unit is None:
        messages.error(
            request,
            _("Your account has no ID number or union yet: ask your union to apply for you."),
        )
        return redirect("portal:assistance-mine")
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        others = form.others()
        if not form.errors:
            me = {
                "name": user.full_name or user.username,
                "relationship": "self",
                "id_number": user.id_number,
                "work": data["work"],
                "employer_name": data["employer_name"],
                "health": data["health"],
            }
            try:
                h = actions.open_household(
                    acting_user=scope.SYSTEM,  # the worker's own application
                    applicant=user,
                    unit=unit,
                    head_name=me["name"],
                    address=data["address"],
                    primary_cause=data["primary_cause"],
                    secondary_cause=data["secondary_cause"],
                    bank_account=data["bank_account"],
                    consent_method="electronic",
                    members=[me, *others],
                )
            except ValidationError as e:
                form_errors(form, e)
            else:
                link = reverse("admin:assistance_household_change", args=[h.pk])
                title = _("New hardship application from the portal: %(n)s") % {"n": h.number}
                for role in ("union_officer", "town_officer"):
                    notifications.notify(title=title, link=link, role=role, unit=unit)
                messages.success(
                    request,
                    _("Your application %(n)s was received. Your union will visit you.")
                    % {"n": h.number},
                )
                return redirect("portal:assistance-mine")
    return render(
        request,
        "assistance/apply.html",
        {"form": form, "rows": range(OTHER_MEMBERS)},
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=gettext_lazy("visited on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=Visit.Kind.choices)
    notes = forms.CharField(
        label=gettext_lazy("notes"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
def my_pairings(request):
    """A helper (a cadre, or a volunteer with only a portal account) sees the households they
    are paired with and logs visits from their phone."""
    pairings = (
        Pairing.objects.filter(helper=request.user, ended_on=None)
        .select_related("household")
        .order_by("next_visit_on")
    )
    return render(
        request,
        "assistance/my_pairings.html",
        {"pairings": pairings, "today": timezone.localdate(), "form": VisitForm()},
    )


@login_required
def log_visit(request, pk):
    p = get_object_or_404(Pairing, pk=pk, helper=request.user, ended_on=None)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_visit(p, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_errors(form, e)
        else:
            messages.success(
                request, _("Visit logged. Next visit due %(d)s.") % {"d": p.next_visit_on}
            )
            return redirect("portal:assistance-pairings")
    return render(request, "assistance/log_visit.html", {"pairing": p, "form": form})
