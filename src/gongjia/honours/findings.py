"""What the records say about a nominee, a team, a method or an applicant, written out: the live
quota check of a batch, the honour base, the pioneer title's bars with their dates, a named
method's eligibility, and the allocation order of recuperation and health-check places."""

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.craftsmen import selectors as craftsmen
from gongjia.honours import quota
from gongjia.honours.models import (
    Batch,
    CareApplication,
    CareBatch,
    Honour,
    NamedMethod,
    Nomination,
    PioneerUnit,
    Programme,
    SafetyIncident,
)
from gongjia.platform import formatting, parameters, workdays
from gongjia.rights import selectors as rights

# --- a batch's share rules ---------------------------------------------------------------------

COUNTED = (Nomination.Status.NOMINATED, Nomination.Status.CONFERRED)


def people(batch: Batch, exclude=()) -> list[tuple[int, set[str]]]:
    """The batch's nominations still in it, each with its categories (one query)."""
    industrial = quota.industrial_categories(dt.date(batch.year, 12, 31))
    rows = (
        Nomination.objects.filter(batch=batch, status__in=COUNTED)
        .exclude(pk__in=list(exclude))
        .values_list("pk", "member__category", "member__sex", "categories")
    )
    return [(pk, quota.categories_of(c, s, d, industrial)) for pk, c, s, d in rows]


def quota_check(batch: Batch, exclude=()) -> dict:
    """The live check: each rule's count, share, line, slack or shortfall; the places."""
    found = people(batch, exclude)
    results = quota.check([cats for _pk, cats in found], batch.rules)
    return {
        "nominees": len(found),
        "places": batch.places,
        "over_places": max(len(found) - batch.places, 0),
        "results": results,
        "met": all(r.met for r in results) and len(found) <= batch.places,
    }


def quota_problems(check: dict) -> list[str]:
    problems = [r.sentence() for r in check["results"] if not r.met]
    if check["over_places"]:
        problems.append(
            _("%(n)s nominees for %(p)s places") % {"n": check["nominees"], "p": check["places"]}
        )
    return problems


# --- the honour base ---------------------------------------------------------------------------


def _in_force(on: dt.date) -> Q:
    """A title held on the day: not revoked, or revoked only after it."""
    return Q(revoked_on__isnull=True) | Q(revoked_on__gt=on)


def honour_base(member_id: int, programme: Programme, on: dt.date) -> tuple[bool, str]:
    """Whether the nominee holds the title the programme builds on (or any title of the next
    lower level), in force on the day; and the finding in words."""
    if programme.level <= 1 and programme.builds_on_id is None:
        return True, _("No lower title is asked for at this level.")
    held = Honour.objects.filter(member_id=member_id, conferred_on__lte=on).filter(_in_force(on))
    if programme.builds_on_id:
        wanted = programme.builds_on
        hit = held.filter(programme=wanted).order_by("-conferred_on").first()
        if hit is None:
            hit = held.filter(kind=wanted.kind, level__gte=wanted.level).first()
        want = wanted.name
    else:
        hit = held.filter(level__gte=programme.level - 1).order_by("-level").first()
        want = _("a title of the next lower level")
    if hit:
        return True, _("Holds %(t)s (conferred %(d)s).") % {
            "t": hit.title,
            "d": formatting.day(hit.conferred_on),
        }
    return False, _("Holds no %(w)s: the honour base is missing.") % {"w": want}


# --- the pioneer title's bars ------------------------------------------------------------------


def _bar_day(year: int) -> dt.date:
    return min(dt.date(year, 12, 31), timezone.localdate())


def bar_facts(units, on: dt.date | None = None) -> dict[int, dict]:
    """What the bars read for many units at once: per unit, whether a contract covered its
    enterprise, the wage-arrears cases of the year and the incidents up to the day (a few
    queries a year of the units, none a unit)."""
    units = list(units)
    incidents: dict[int, list] = {}
    for i in SafetyIncident.objects.filter(
        enterprise_id__in={p.enterprise_id for p in units}
    ).order_by("-occurred_on"):
        incidents.setdefault(i.enterprise_id, []).append(i)
    by_day: dict[dt.date, list] = {}
    for p in units:
        by_day.setdefault(on or _bar_day(p.year), []).append(p)
    facts = {}
    for day, group in by_day.items():
        ids = {p.enterprise_id for p in group}
        contract = rights.under_collective_contract(ids, day)
        arrears = rights.wage_arrears_cases(ids, dt.date(day.year, 1, 1), day)
        for p in group:
            facts[p.pk] = {
                "on": day,
                "contract": p.enterprise_id in contract,
                "arrears": arrears.get(p.enterprise_id, []),
                "incidents": [
                    i for i in incidents.get(p.enterprise_id, []) if i.occurred_on <= day
                ],
            }
    return facts


def pioneer_bars(p: PioneerUnit, on: dt.date | None = None, facts: dict | None = None):
    """The bars of the year, each with what the records show (honours.md §4): a union, a
    collective contract, no wage-arrears case in the year, and no accident, serious hazard or
    mass incident within three years of its date. `facts`: from `bar_facts`, for a list."""
    f = facts or bar_facts([p], on)[p.pk]
    on = f["on"]
    e = p.enterprise
    findings = []
    union = e.union
    has_union = union is not None and (union.founded_on is None or union.founded_on <= on)
    findings.append(
        {
            "key": "union",
            "bar": _("A union"),
            "found": (
                _("%(u)s covers the enterprise.") % {"u": union}
                if has_union
                else _("No union covers the enterprise.")
            ),
            "barred": not has_union,
        }
    )
    covered = f["contract"]
    findings.append(
        {
            "key": "contract",
            "bar": _("A collective contract"),
            "found": (
                _("A collective contract in force covers it.")
                if covered
                else _("No collective contract in force covers it.")
            ),
            "barred": not covered,
        }
    )
    arrears = f["arrears"]
    findings.append(
        {
            "key": "arrears",
            "bar": _("No wage arrears in the year"),
            "found": (
                _("Wage-arrears cases: %(c)s.")
                % {
                    "c": "、".join(
                        f"{number}（{formatting.day(received)}）" for received, number in arrears
                    )
                }
                if arrears
                else _("No wage-arrears case was received in the year.")
            ),
            "barred": bool(arrears),
        }
    )
    years = parameters.value("honours.incident_bar_years", on)
    barring = [i for i in f["incidents"] if on < workdays.add_months(i.occurred_on, 12 * years)]
    findings.append(
        {
            "key": "incident",
            "bar": _("No accident or mass incident within %(y)s years") % {"y": years},
            "found": (
                "；".join(
                    _("%(k)s on %(d)s bars until %(u)s")
                    % {
                        "k": i.get_kind_display(),
                        "d": formatting.day(i.occurred_on),
                        "u": formatting.day(workdays.add_months(i.occurred_on, 12 * years)),
                    }
                    for i in barring
                )
                if barring
                else _("None recorded within the window.")
            ),
            "barred": bool(barring),
        }
    )
    return findings


def barred(findings: list[dict]) -> list[str]:
    return [f"{f['bar']}：{f['found']}" for f in findings if f["barred"]]


# --- a named method's eligibility --------------------------------------------------------------


def method_eligibility(m: NamedMethod, on: dt.date) -> list[dict]:
    """honours.md §6: the first inventor is on the front line and neither an enterprise head,
    nor a senior-title holder, nor a PhD; at least 12 months of results; not already awarded
    at a higher level; not classified, disputed or medical."""
    months = parameters.value("honours.method_min_months", on)
    ran = workdays.add_months(m.results_since, months) <= on
    return [
        {
            "key": "frontline",
            "condition": _("The first inventor works on the front line"),
            "met": m.frontline,
        },
        {
            "key": "not_head",
            "condition": _("The first inventor is not an enterprise head"),
            "met": not m.enterprise_head,
        },
        {
            "key": "not_senior",
            "condition": _("The first inventor holds no senior title"),
            "met": not m.senior_title,
        },
        {
            "key": "not_doctor",
            "condition": _("The first inventor holds no doctorate"),
            "met": not m.doctorate,
        },
        {
            "key": "results",
            "condition": _("At least %(n)s months of results (since %(d)s)")
            % {"n": months, "d": formatting.day(m.results_since)},
            "met": ran,
        },
        {
            "key": "not_awarded",
            "condition": _("Not already awarded at a higher level"),
            "met": not m.higher_award,
        },
        {
            "key": "not_excluded",
            "condition": _("Not classified, disputed or medical"),
            "met": not m.excluded,
        },
    ]


def facts(found: list[dict], flag: str) -> list[dict]:
    """What a decision keeps of its findings: each key with its outcome (the words are made
    again in the reader's language from the dated records)."""
    return [{"key": f["key"], flag: f[flag]} for f in found]


# --- the allocation order of places ------------------------------------------------------------


def caps(on: dt.date) -> dict:
    return parameters.value("honours.recuperation", on)


def priorities(batch: CareBatch, applications: list[CareApplication]) -> dict[int, dict]:
    """What the order reads of each applicant (honours.md §7): their last stay of the kind,
    their highest honour in force and its date, a craftsman title's unused entitlement."""
    members = [a.member_id for a in applications]
    last = dict(
        CareApplication.objects.filter(
            member_id__in=members,
            batch__kind=batch.kind,
            batch__starts_on__lt=batch.starts_on,
            status__in=(CareApplication.Status.ALLOCATED, CareApplication.Status.ATTENDED),
        )
        .values_list("member_id")
        .annotate(last=Max("batch__starts_on"))
    )
    honours: dict = {}
    for member_id, level, on in (
        Honour.objects.filter(member_id__in=members, conferred_on__lte=batch.starts_on)
        .filter(_in_force(batch.starts_on))
        .values_list("member_id", "level", "conferred_on")
    ):
        best = honours.get(member_id, (-1, dt.date.min))
        honours[member_id] = max(best, (level, on))
    craftsman = {
        e.title.member_id: e.title.held_from for e in craftsmen.recuperation_entitled(members)
    }
    out = {}
    for a in applications:
        level, on = honours.get(a.member_id, (-1, dt.date.min))
        if a.member_id in craftsman and level < 1:
            # A district craftsman's entitlement counts as a district-level honour.
            level, on = 1, craftsman[a.member_id]
        out[a.pk] = {
            "last": last.get(a.member_id),
            "level": level,
            "honoured_on": on,
            "craftsman": a.member_id in craftsman,
        }
    return out


def order_key(a: CareApplication, p: dict):
    """Never sent before first, then the longest since the last stay, a front-line or hardship
    post, key-project work, a higher honour, a more recent honour, the time of application,
    then the record's number (a stable final tie-break)."""
    last = p["last"]
    return (
        last is not None,
        last or dt.date.min,
        not a.frontline,
        not a.key_project,
        -p["level"],
        -(p["honoured_on"].toordinal()),
        a.applied_at,
        a.pk,
    )


def eligible(a: CareApplication, batch: CareBatch, limits: dict) -> str | None:
    """Why an applicant may not have a place (None if they may): a recuperation place needs
    a year in the post."""
    if batch.kind != CareBatch.Kind.RECUPERATION:
        return None
    years = limits["min_years_in_post"]
    since = workdays.add_months(a.post_since, 12 * years)
    if since > batch.starts_on:
        return _("In the post since %(d)s: a place needs %(y)s year(s) in the post by %(s)s.") % {
            "d": formatting.day(a.post_since),
            "y": years,
            "s": formatting.day(batch.starts_on),
        }
    return None


def used_in_year(batch: CareBatch, member_ids) -> dict[int, dict]:
    """Each applicant's places of the kind already held in the batch's year (other batches)."""
    used: dict[int, dict] = {}
    rows = (
        CareApplication.objects.filter(
            member_id__in=list(member_ids),
            batch__kind=batch.kind,
            batch__starts_on__year=batch.starts_on.year,
            status__in=(CareApplication.Status.ALLOCATED, CareApplication.Status.ATTENDED),
        )
        .exclude(batch=batch)
        .values_list("member_id", "batch__cost_fen", "batch__days")
    )
    for member_id, cost, days in rows:
        u = used.setdefault(member_id, {"cost": 0, "days": 0, "stays": 0})
        u["cost"] += cost
        u["days"] += days
        u["stays"] += 1
    return used


def over_caps(batch: CareBatch, used: dict | None, limits: dict) -> str | None:
    """Why one more place would break a yearly limit (None if it would not): a health check
    once a year; a recuperation stay within the yearly cost, days and number of stays."""
    u = used or {"cost": 0, "days": 0, "stays": 0}
    if batch.kind == CareBatch.Kind.HEALTH_CHECK:
        if u["stays"]:
            return _("Already has a free health check this year.")
        return None
    year_fen = limits["per_year_yuan"] * 100
    if u["cost"] + batch.cost_fen > year_fen:
        return _("This stay would bring the year's cost to %(c)s, over %(m)s.") % {
            "c": formatting.money((u["cost"] + batch.cost_fen) / 100),
            "m": formatting.money(limits["per_year_yuan"]),
        }
    most = limits["paired_days"] if batch.paired_region else limits["days"]
    if u["days"] + batch.days > most:
        return _("This stay would bring the year's days to %(d)s, over %(m)s.") % {
            "d": u["days"] + batch.days,
            "m": most,
        }
    if u["stays"] + 1 > limits["stays_per_year"]:
        return _("Already has %(n)s stays this year.") % {"n": u["stays"]}
    return None


def care_share(b: CareBatch, placed: int, industrial: int) -> quota.Result:
    """The industrial workers' share of a batch's places checked against the line."""
    line_ = parameters.value("honours.industrial_line.care", b.starts_on)
    rule = {"category": "industrial", "op": line_["op"], "pct": str(line_["pct"]), "base": "all"}
    people = [{"industrial"}] * industrial + [set()] * (placed - industrial)
    return quota.check(people, [rule])[0]
