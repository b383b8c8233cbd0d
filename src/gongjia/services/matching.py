"""The ranking of offers for a job seeker: a transparent points score over occupation, skill,
commute, pay, hours and accommodation, each part with its reason. It only orders the offers;
the worker chooses (services.md §2; PIPL art. 24 on automated decisions)."""

import datetime as dt

from django.utils.translation import gettext as _

from gongjia.platform import parameters
from gongjia.services.models import Posting, Seeker


def parts(seeker: Seeker, posting: Posting, points: dict) -> list[dict]:
    """Each factor: its points, its most, and why."""
    out = []

    def part(key, label, share, why):
        most = points[key]
        out.append(
            {"key": key, "label": label, "points": round(most * share), "most": most, "why": why}
        )

    wanted, offered = seeker.occupation.strip(), posting.occupation.strip()
    if wanted and wanted == offered:
        part("occupation", _("occupation"), 1, _("the occupation wanted"))
    elif wanted and (wanted in offered or offered in wanted):
        part("occupation", _("occupation"), 0.5, _("a related occupation"))
    else:
        part("occupation", _("occupation"), 0, _("another occupation"))

    if posting.skill_level is None:
        part("skill", _("skill"), 1, _("no skill level asked"))
    elif seeker.skill_level is not None and seeker.skill_level <= posting.skill_level:
        part("skill", _("skill"), 1, _("the skill level asked is held"))
    else:
        part("skill", _("skill"), 0, _("skill level %(l)s asked") % {"l": posting.skill_level})

    # Regions: district → town → village; the town is the path's first two steps.
    step = type(seeker.home_region).steplen
    home, work = seeker.home_region.path, posting.region.path
    if home[: 2 * step] == work[: 2 * step]:
        part("commute", _("commute"), 1, _("in the town where the seeker lives"))
    elif home[:step] == work[:step]:
        part("commute", _("commute"), 0.5, _("in another town of the district"))
    else:
        part("commute", _("commute"), 0, _("far from home"))

    if posting.pay_max >= seeker.pay_wanted:
        part("pay", _("pay"), 1, _("reaches the pay wanted"))
    else:
        part("pay", _("pay"), 0, _("below the pay wanted"))

    if posting.weekly_hours <= seeker.hours_wanted:
        part("hours", _("hours"), 1, _("within the hours wanted"))
    else:
        part("hours", _("hours"), 0, _("longer hours than wanted"))

    if seeker.accommodation != Seeker.Accommodation.NEEDED:
        part("accommodation", _("accommodation"), 1, _("not needed"))
    elif posting.accommodation:
        part("accommodation", _("accommodation"), 1, _("offered"))
    else:
        part("accommodation", _("accommodation"), 0, _("needed, not offered"))
    return out


def rank(seeker: Seeker, postings, on: dt.date | None = None) -> list[dict]:
    """The open postings ordered by their points (then the newest), each with its parts."""
    points = parameters.value("services.employment.match_points", on)
    rows = []
    for p in postings:
        ps = parts(seeker, p, points)
        rows.append({"posting": p, "points": sum(x["points"] for x in ps), "parts": ps})
    rows.sort(key=lambda r: (-r["points"], -r["posting"].posted_on.toordinal(), r["posting"].pk))
    return rows
