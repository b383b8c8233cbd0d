"""Read queries of rights protection and its indicators (keys are stable; see the cockpit)."""

import datetime as dt
import statistics

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjia.orgs.models import Enterprise, OrgUnit, Region
from gongjia.platform import parameters
from gongjia.platform.kpis import RATE, SHARE, STOCK, Per, indicator, year_end
from gongjia.platform.scope import restrict
from gongjia.platform.todos import todo
from gongjia.rights.models import DisputeCase, LegalTalk, Negotiation, Station, TeamMember
from gongjia.rights.negotiation_rules import seat_problems
from gongjia.rights.workflows import OPEN


def regions_in_scope(user):
    """Villages and communities in the areas of the federations the user may see."""
    feds = restrict(OrgUnit.objects.filter(kind__in=OrgUnit.FEDERATIONS), user).select_related(
        "region"
    )
    prefixes = sorted({f.region.path for f in feds if f.region_id}, key=len)
    minimal = [p for i, p in enumerate(prefixes) if not any(p.startswith(q) for q in prefixes[:i])]
    if not minimal:
        return Region.objects.none()
    cond = Q()
    for p in minimal:
        cond |= Q(path__startswith=p)
    return Region.objects.filter(cond, level=Region.Level.VILLAGE)


def in_service(on: dt.date | None = None, via: str = "") -> Q:
    """Stations in service today, or at the end of the day `on` (`via`: the path to the station
    from the model filtered). A station without an opening date has served since records
    began; one out of service without a closing date left at a time not known."""
    if on is None:
        return Q(**{f"{via}active": True})
    return (Q(**{f"{via}opened_on__isnull": True}) | Q(**{f"{via}opened_on__lte": on})) & (
        Q(**{f"{via}active": True}) | Q(**{f"{via}closed_on__gt": on})
    )


def coverage(user):
    """Every village and community in scope with the stations in service that serve it,
    ordered by division code: [(region, [station, ...]), ...]."""
    if not user.has_perm("rights.view_station"):
        return []  # the station network is business data (the separated administrators)
    villages = list(regions_in_scope(user).order_by("code"))
    served: dict[int, list] = {}
    through = Station.serves.through.objects.filter(
        in_service(via="station__"), region__in=[v.pk for v in villages]
    ).select_related("station")
    for row in through.order_by("station__name"):
        served.setdefault(row.region_id, []).append(row.station)
    return [(v, served.get(v.pk, [])) for v in villages]


def _covered_share(user, on=None):
    villages = regions_in_scope(user)
    total = villages.count()
    if not total:
        return None
    served = Station.serves.through.objects.filter(
        in_service(on, via="station__"), region=OuterRef("pk")
    )
    covered = villages.filter(Exists(served)).count()
    return round(covered / total, 4)


def stations(user, on=None):
    return restrict(Station.objects.filter(in_service(on)), user)


def team(user, kind, on: dt.date | None = None):
    """Active team members of a kind whose credential is valid on the day (today by default)."""
    on = on or timezone.localdate()
    return restrict(TeamMember.objects.filter(kind=kind, active=True), user).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
    )


@indicator(
    "rights.stations",
    kind=STOCK,
    label=_("Rights stations and rooms"),
    unit=_("stations"),
    link="admin:rights_station_changelist",
    by_year=True,
    counts=True,
)
def stations_count(user, year=None):
    return stations(user, year_end(year))


def _coverage_said(words) -> str:
    if (words["v:rights.village_coverage"] or 0) >= 1:
        said = _(
            "%(n:rights.stations)s rights stations and rooms cover every village and community"
        )
    else:
        said = _(
            "%(n:rights.stations)s rights stations and rooms cover %(value)s of the villages and"
            " communities"
        )
    return said % words


@indicator(
    "rights.village_coverage",
    kind=RATE,
    label=_("Villages and communities covered by a rights station"),
    unit=_("share (0-1)"),
    fmt=SHARE,
    # Its records are the villages and communities it is the share of (the stations' coverage
    # page, which says which village is served by which station, is the stations' own).
    link="admin:orgs_region_changelist",
    records=lambda user, year: regions_in_scope(user),
    target=1.0,
    by_year=True,
    sentence=lambda words: _coverage_said(words),
)
def village_coverage(user, year=None):
    return _covered_share(user, year_end(year))


@indicator(
    "rights.lawyers",
    kind=STOCK,
    by_year=True,
    label=_("Lawyers in the legal service team"),
    unit=_("people"),
    link="admin:rights_teammember_changelist",
    counts=True,
    sentence=_(
        "The rights service team has %(n:rights.lawyers)s lawyers, %(n:rights.chief_maintainers)s"
        " regional chief maintainers and %(n:rights.law_supervisors)s union labour-law supervisors"
    ),
)
def lawyers(user, year=None):
    return team(user, TeamMember.Kind.LAWYER, year_end(year))


@indicator(
    "rights.chief_maintainers",
    kind=STOCK,
    by_year=True,
    label=_("Regional chief maintainers"),
    unit=_("people"),
    link="admin:rights_teammember_changelist",
    counts=True,
)
def chief_maintainers(user, year=None):
    return team(user, TeamMember.Kind.CHIEF_MAINTAINER, year_end(year))


@indicator(
    "rights.law_supervisors",
    kind=STOCK,
    by_year=True,
    label=_("Union labour-law supervisors"),
    unit=_("people"),
    link="admin:rights_teammember_changelist",
    counts=True,
)
def law_supervisors(user, year=None):
    return team(user, TeamMember.Kind.LAW_SUPERVISOR, year_end(year))


@indicator(
    "rights.legal_talks",
    label=_("Legal talks"),
    unit=_("talks"),
    link="admin:rights_legaltalk_changelist",
    by_year=True,
    counts=True,
    sentence=_(
        "%(n:rights.legal_talks)s legal talks went to the grassroots, heard by"
        " %(rights.legal_talk_audience)s"
    ),
)
def legal_talks(user, year=None):
    year = year or timezone.localdate().year
    return restrict(LegalTalk.objects.filter(held_on__year=year), user)


@indicator(
    "rights.legal_talk_audience",
    label=_("Audience of legal talks"),
    unit=_("people"),
    link="admin:rights_legaltalk_changelist",
    by_year=True,
    sums="audience",
)
def legal_talk_audience(user, year=None):
    return legal_talks.records(user, year)


def is_collective(case) -> bool:
    """A collective dispute: at least `rights.collective_dispute_workers` workers with a common
    claim (LDMAL art. 7)."""
    need = parameters.value("rights.collective_dispute_workers", on=case.received_on)
    return case.common_claim and len(case.workers.all()) >= need  # prefetched in lists


# --- dispute-case indicators (rights.md §5) -----------------------------------------------------

RESOLVED_CODES = (
    "negotiated",
    "mediated_performed",
    "mediated_confirmed",
    "arbitration_mediated",
    "court_mediated",
)
# Awards and judgments count as resolved only when fully performed.
PERFORMED_CODES = ("award_won", "award_partial", "court_judgment")
# Only closed cases count: a code may be entered ahead of the step that closes the case.
RESOLVED = (
    Q(closure__in=RESOLVED_CODES) | Q(closure__in=PERFORMED_CODES, fully_performed=True)
) & Q(closed_on__isnull=False)


def cases(user):
    return restrict(DisputeCase.objects.all(), user)


def overdue() -> Q:
    """An open case past its legal deadline (the list's filter, the indicator, the to-do and
    the API's `overdue` all read this)."""
    return Q(status__in=OPEN, due_on__lt=timezone.localdate())


def due_soon() -> Q:
    """An open case within its warning days, not yet overdue."""
    today = timezone.localdate()
    return Q(status__in=OPEN, warn_on__lte=today, due_on__gte=today)


def handled_by(user) -> Q:
    """An open case the user handles (as the team member they are)."""
    return Q(status__in=OPEN, handler__user=user)


def _year(year):
    return year or timezone.localdate().year


@indicator(
    "rights.cases_received",
    label=_("Labour-dispute cases received"),
    unit=_("cases"),
    link="admin:rights_disputecase_changelist",
    by_year=True,
    counts=True,
    per=Per("members.total", 10_000, _("per 10,000 members")),
)
def cases_received(user, year=None):
    return _received(user, year)


@indicator(
    "rights.cases_resolved",
    label=_("Labour-dispute cases resolved"),
    unit=_("cases"),
    link="admin:rights_disputecase_changelist",
    by_year=True,
    counts=True,
)
def cases_resolved(user, year=None):
    return cases(user).filter(RESOLVED, closed_on__year=_year(year))


def _received(user, year):
    return cases(user).filter(received_on__year=_year(year))


def _agreed(user, year):
    return cases(user).filter(agreement_effective_on__year=_year(year))


def _resolved_in(user, year):
    return cases(user).filter(RESOLVED, closed_on__year=_year(year))


@indicator(
    "rights.resolution_rate",
    kind=RATE,
    label=_("Share of the year's cases resolved"),
    unit=_("share (0-1)"),
    fmt=SHARE,
    link="admin:rights_disputecase_changelist",
    by_year=True,
    records=lambda user, year: _received(user, year),
)
def resolution_rate(user, year=None):
    """Of the cases received in the year, the share resolved so far (transfers to arbitration
    or court are not resolutions)."""
    counts = _received(user, year).aggregate(n=Count("pk"), resolved=Count("pk", filter=RESOLVED))
    return round(counts["resolved"] / counts["n"], 4) if counts["n"] else None


@indicator(
    "rights.agreements_performed_rate",
    kind=RATE,
    label=_("Mediation agreements performed or confirmed"),
    unit=_("share (0-1)"),
    fmt=SHARE,
    link="admin:rights_disputecase_changelist",
    by_year=True,
    records=lambda user, year: _agreed(user, year),
)
def agreements_performed_rate(user, year=None):
    """Agreements performed or confirmed ÷ agreements that took effect in the year."""
    counts = _agreed(user, year).aggregate(
        n=Count("pk"),
        done=Count(
            "pk",
            filter=Q(
                closure__in=("mediated_performed", "mediated_confirmed"),
                closed_on__isnull=False,
            ),
        ),
    )
    return round(counts["done"] / counts["n"], 4) if counts["n"] else None


@indicator(
    "rights.median_days_to_resolution",
    kind=RATE,
    label=_("Median days from receipt to resolution"),
    unit=_("days"),
    link="admin:rights_disputecase_changelist",
    by_year=True,
    records=lambda user, year: _resolved_in(user, year),
)
def median_days_to_resolution(user, year=None):
    spans = sorted(
        (closed - received).days
        for received, closed in _resolved_in(user, year).values_list("received_on", "closed_on")
    )
    return statistics.median(spans) if spans else None


@indicator(
    "rights.cases_overdue",
    label=_("Open cases past a legal deadline"),
    unit=_("cases"),
    link="admin:rights_disputecase_changelist",
    counts=True,
)
def cases_overdue(user, year=None):
    return cases(user).filter(overdue())


# --- collective negotiation ---------------------------------------------------------------------

CONTRACT_LIVE = ("effective", "published", "in_force", "renewal_window")


def seat_problems_of(negotiation) -> list[str]:
    # From the representatives as loaded (lists prefetch them): no query per negotiation.
    seats = [r for r in negotiation.representatives.all() if r.vacated_on is None]
    return seat_problems(seats, timezone.localdate())


def negotiations(user):
    return restrict(Negotiation.objects.all(), user)


def in_force(user, on: dt.date | None = None):
    """Contracts and agreements in force today, or at the end of the day `on` (from their
    effective date to their expiry, whatever became of them since)."""
    if on is None:
        return negotiations(user).filter(status__in=CONTRACT_LIVE)
    return negotiations(user).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=on),
        status__in=(*CONTRACT_LIVE, "renewed", "expired"),
        effective_on__lte=on,
    )


@indicator(
    "rights.enterprises_with_collective_contract",
    kind=STOCK,
    label=_("Enterprises under a collective contract in force"),
    unit=_("enterprises"),
    link="admin:orgs_enterprise_changelist",
    by_year=True,
    counts=True,
    # Enterprises are known only as they stand today: the rate exists for this year.
    per=Per("orgs.enterprises", 100, _("per 100 enterprises")),
)
def enterprises_with_collective_contract(user, year=None):
    """Enterprises bound by a contract or wage agreement in force: their own, or an industry
    or area agreement that covers them."""
    live = in_force(user, year_end(year))
    own = live.filter(enterprise__isnull=False).values("enterprise")
    covering = Negotiation.covered.through.objects.filter(negotiation__in=live).values("enterprise")
    return restrict(Enterprise.objects.all(), user).filter(Q(pk__in=own) | Q(pk__in=covering))


@indicator(
    "rights.contracts_expiring_90d",
    label=_("Collective contracts expiring within 90 days"),
    unit=_("contracts"),
    link="admin:rights_negotiation_changelist",
    counts=True,
)
def contracts_expiring_90d(user, year=None):
    today = timezone.localdate()
    return negotiations(user).filter(
        status__in=CONTRACT_LIVE,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=90),
    )


@indicator(
    "rights.online_negotiations",
    label=_("Negotiations held online"),
    unit=_("negotiations"),
    link="admin:rights_negotiation_changelist",
    by_year=True,
    counts=True,
)
def online_negotiations(user, year=None):
    """Online negotiations by the year the offer was delivered (or entered, before that)."""
    year = _year(year)
    return (
        negotiations(user)
        .filter(online=True)
        .filter(
            Q(offer_delivered_on__year=year)
            | Q(offer_delivered_on__isnull=True, created_at__year=year)
        )
    )


@indicator(
    "rights.harmonious_enterprises",
    kind=STOCK,
    by_year=True,
    label=_("Enterprises certified for harmonious labour relations"),
    unit=_("enterprises"),
    link="admin:orgs_enterprise_changelist",
    counts=True,
)
def harmonious_enterprises(user, year=None):
    """Enterprises holding a certificate valid on the day (the year's end for a past year)."""
    from gongjia.rights.models import Evaluation

    on = year_end(year) or timezone.localdate()
    certified = (
        restrict(Evaluation.objects.filter(status="certified"), user)
        .filter(valid_from__lte=on, valid_until__gte=on)
        .values("enterprise")
    )
    return Enterprise.objects.filter(pk__in=certified)


# --- what waits for handlers and officers ---------------------------------------------------


@todo(
    "rights.cases_overdue",
    label=_("Open cases past their deadline"),
    perm="rights.change_disputecase",
    link="admin:rights_disputecase_changelist",
    query="deadline=overdue",
    urgent=True,
)
def overdue_cases(user):
    return restrict(DisputeCase.objects.filter(overdue()), user, "change").count()


@todo(
    "rights.cases_due_soon",
    label=_("Open cases near their deadline"),
    perm="rights.change_disputecase",
    link="admin:rights_disputecase_changelist",
    query="deadline=soon",
)
def cases_due_soon(user):
    return restrict(DisputeCase.objects.filter(due_soon()), user, "change").count()


@todo(
    "rights.my_cases",
    label=_("Open cases I handle"),
    perm="rights.view_disputecase",
    link="admin:rights_disputecase_changelist",
    query="deadline=mine",
)
def my_cases(user):
    return restrict(DisputeCase.objects.filter(handled_by(user)), user).count()


# --- what the honours programme reads: the bars of an enterprise's pioneer title ----------------


def wage_arrears_cases(enterprise_ids, start: dt.date, end: dt.date) -> dict[int, list]:
    """Wage-arrears cases against each enterprise received between two days, as (received on,
    case number), for the bars of the worker-pioneer title (honours.md §4)."""
    found: dict[int, list] = {}
    rows = DisputeCase.objects.filter(
        employer_id__in=list(enterprise_ids), wage_arrears=True, received_on__range=(start, end)
    ).values_list("employer_id", "received_on", "number")
    for enterprise, received_on, number in rows.order_by("received_on"):
        found.setdefault(enterprise, []).append((received_on, number))
    return found


def under_collective_contract(enterprise_ids, on: dt.date) -> set[int]:
    """Of these enterprises, those bound on the day by a contract or wage agreement in force:
    their own, or an industry or area agreement that covers them."""
    live = Negotiation.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=on),
        status__in=(*CONTRACT_LIVE, "renewed", "expired"),
        effective_on__lte=on,
    )
    ids = list(enterprise_ids)
    own = set(live.filter(enterprise_id__in=ids).values_list("enterprise_id", flat=True))
    covering = set(
        Negotiation.covered.through.objects.filter(
            negotiation__in=live, enterprise_id__in=ids
        ).values_list("enterprise_id", flat=True)
    )
    return own | covering
