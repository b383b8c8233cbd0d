"""Portal: a worker sees their own hardship file and where it stands (Archive Measures: the
worker may see their own file; anyone else needs approval)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from gongjia.assistance.models import Household, HouseholdMember
from gongjia.platform import pii


@login_required
def my_file(request):
    user = request.user
    mine = Q(applicant=user)
    if user.id_number:
        key = pii.lookup(HouseholdMember, "id_number", user.id_number)
        mine |= Q(members__id_number_bidx=key["id_number_bidx"])
    households = Household.objects.filter(mine).distinct().prefetch_related("members")
    return render(request, "assistance/my_file.html", {"households": households})
