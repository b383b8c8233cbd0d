"""Indicators of membership and union building (keys are stable; see the cockpit)."""

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.accounts.models import User
from gongjia.members.models import Founding, Member, TransferRequest
from gongjia.orgs.models import Enterprise, OrgUnit
from gongjia.platform import parameters, pii
from gongjia.platform.kpis import RATE, SHARE, STOCK, indicator
from gongjia.platform.scope import restrict, units_in_scope
from gongjia.platform.todos import todo

COUNTED = (Member.Status.ACTIVE, Member.Status.WITHDRAWN)
SkillLevel = Member.SkillLevel  # the eight-level ladder, as other programmes name it


# --- the member register as other programmes read it (their one way in) -------------------------


def find_by_id_number(id_number: str) -> Member | None:
    """The member registered with this ID number (any status), or None."""
    return Member.objects.filter(**pii.lookup(Member, "id_number", id_number)).first()


def member_of(user, *, active: bool = False) -> Member | None:
    """The member record of a portal account (with its union), or None."""
    qs = Member.objects.filter(user=user).select_related("union")
    if active:
        qs = qs.filter(status=Member.Status.ACTIVE)
    return qs.first()


def members_by_id(ids) -> dict:
    """Members by id, with their union and employer (for a programme's checks of them)."""
    return Member.objects.select_related("union", "employer").in_bulk(list(ids))


def active_members(n: int, offset: int = 0, *, employed: bool = False) -> list:
    """`n` active members in the order of the register, with their union and employer (the
    entrants a programme's demonstration records name); `employed`: only those whose employer
    is on the record."""
    qs = Member.objects.filter(status=Member.Status.ACTIVE).select_related("union", "employer")
    if employed:
        qs = qs.filter(employer__isnull=False)
    return list(qs.order_by("pk")[offset : offset + n])


def members_by_number(numbers) -> dict:
    """Members by their member number (the number on the card)."""
    return {m.member_number: m for m in Member.objects.filter(member_number__in=list(numbers))}


def is_active(member) -> bool:
    return member.status == Member.Status.ACTIVE


def is_active_member(member_id: int | None) -> bool:
    return (
        bool(member_id)
        and Member.objects.filter(pk=member_id, status=Member.Status.ACTIVE).exists()
    )


def skill_level(member_id: int | None) -> int | None:
    """The registered skill level of a member (None when unknown or not linked)."""
    if not member_id:
        return None
    return Member.objects.filter(pk=member_id).values_list("skill_level", flat=True).first()


def members_in_scope(user):
    return restrict(Member.objects.all(), user)


def new_unions(user, year):
    qs = restrict(OrgUnit.objects.filter(kind__in=OrgUnit.GRASSROOTS), user)
    return qs.filter(founded_on__year=year) if year else qs.none()


@indicator(
    "members.total",
    kind=STOCK,
    label=_("Union members"),
    unit=_("people"),
    link="admin:members_member_changelist",
    by_year=True,
    counts=True,
)
def total(user, year=None):
    qs = members_in_scope(user)
    if not year:
        return qs.filter(status=Member.Status.ACTIVE)
    end = dt.date(year, 12, 31)
    return qs.filter(status__in=COUNTED, join_date__lte=end).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end)
    )


@indicator(
    "members.new_members",
    label=_("New members"),
    unit=_("people"),
    link="admin:members_member_changelist",
    by_year=True,
    counts=True,
)
def new_members(user, year=None):
    year = year or timezone.localdate().year
    return members_in_scope(user).filter(status__in=COUNTED, join_date__year=year)


@indicator(
    "members.new_unions",
    label=_("New grassroots unions"),
    unit=_("unions"),
    link="admin:orgs_orgunit_changelist",
    by_year=True,
    counts=True,
    sentence=_(
        "%(n:members.new_unions)s new grassroots unions and %(n:members.new_members)s new members;"
        " of them %(n:members.new_unions_100plus)s unions of 100 or more people with"
        " %(members.new_unions_100plus_members)s"
    ),
)
def new_unions_count(user, year=None):
    return new_unions(user, year or timezone.localdate().year)


@indicator(
    "members.new_unions_by_field",
    label=_("New unions by field"),
    unit=_("unions"),
    link="admin:orgs_orgunit_changelist",
    by_year=True,
    parts={**dict(Founding.Field.choices), "other": _("founded without a founding case")},
    records=lambda user, year: new_unions(user, year or timezone.localdate().year),
)
def new_unions_by_field(user, year=None):
    """Established foundings of the year by field; unions founded without a case are 'other'."""
    year = year or timezone.localdate().year
    units = new_unions(user, year)
    rows = (
        Founding.objects.filter(unit__in=units)
        .values_list("field")
        .annotate(n=Count("id"))
        .order_by("field")
    )
    out = {field: n for field, n in rows}
    without = units.filter(founding__isnull=True).count()
    if without:
        out["other"] = without
    return out


def _large_new_unions(user, year):
    threshold = parameters.value("members.large_union_threshold", on=dt.date(year, 12, 31))
    return (
        new_unions(user, year)
        .annotate(n=Count("members", filter=Q(members__status=Member.Status.ACTIVE)))
        .filter(n__gte=threshold)
    )


@indicator(
    "members.new_unions_100plus",
    label=_("New unions with 100 or more people"),
    unit=_("unions"),
    link="admin:orgs_orgunit_changelist",
    by_year=True,
    counts=True,
)
def new_unions_100plus(user, year=None):
    return _large_new_unions(user, year or timezone.localdate().year)


@indicator(
    "members.new_unions_100plus_members",
    label=_("Members of new unions with 100 or more people"),
    unit=_("people"),
    # The sum of the members of those unions: its records are the unions.
    link="admin:orgs_orgunit_changelist",
    by_year=True,
    sums="n",
)
def new_unions_100plus_members(user, year=None):
    return _large_new_unions(user, year or timezone.localdate().year)


@indicator(
    "members.membership_rate",
    kind=RATE,
    label=_("Membership rate in enterprises of known size"),
    unit=_("share (0-1)"),
    fmt=SHARE,
    link="admin:orgs_enterprise_changelist",
    records=lambda user, year: restrict(Enterprise.objects.filter(headcount__gt=0), user),
)
def membership_rate(user, year=None):
    enterprises = restrict(Enterprise.objects.filter(headcount__gt=0), user)
    headcount = enterprises.aggregate(s=Sum("headcount"))["s"] or 0
    if not headcount:
        return None
    members = (
        members_in_scope(user).filter(status=Member.Status.ACTIVE, employer__in=enterprises).count()
    )
    return round(min(members / headcount, 1.0), 4)


# --- what waits for the union's officers ------------------------------------------------------


@todo(
    "members.applications",
    label=_("Membership applications to decide"),
    perm="members.change_member",
    link="admin:members_member_changelist",
    query="status__exact=applied",
)
def applications_waiting(user):
    return restrict(Member.objects.filter(status=Member.Status.APPLIED), user, "change").count()


@todo(
    "members.transfers_received",
    label=_("Transfers into your unions to accept or refuse"),
    perm="members.change_transferrequest",
    link="admin:members_transferrequest_changelist",
    query="status__exact=pending",
)
def transfers_waiting(user):
    pending = TransferRequest.objects.filter(status=TransferRequest.Status.PENDING)
    return pending.filter(to_union__in=units_in_scope(user, Member, "add")).count()


@todo(
    "members.accounts_to_link",
    label=_("Portal accounts waiting to be linked to their member record"),
    perm="members.change_member",
    link="admin:members_member_changelist",
    query="account=waiting",
)
def accounts_to_link(user):
    return waiting_links(restrict(Member.objects.all(), user, "change")).count()


def waiting_links(queryset):
    """Members of `queryset` whose portal account (declaring their ID number) waits to be
    linked to the record."""
    declared = User.objects.exclude(id_number_bidx="").values("id_number_bidx")
    return queryset.filter(user__isnull=True, id_number_bidx__in=declared)
