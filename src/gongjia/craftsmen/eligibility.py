"""Who may hold the title in a round (competitions.md §5): every fixed condition (union
membership, the age limit, front-line work) AND the years in the skill OR a competition result
that waives them, AND one of the round's qualifying conditions (claimed with evidence, or met
by a competition result where the condition is one). Results are read from the platform's own
competition records (`skills.selectors`).

A finding is kept as data on the nomination (what decided, as of the round's closing day) and
written out in words when shown (`describe`), in the reader's language."""

import datetime as dt

from django.utils.translation import gettext as _

from gongjia.platform import formatting, parameters
from gongjia.skills import selectors as skills


def completed_years(since: dt.date, on: dt.date) -> int:
    """Whole years from `since` to `on` (a birthday or anniversary on `on` counts)."""
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def as_result(r: dict) -> dict:
    """A placing as kept in a finding."""
    return {
        "name": r["name"],
        "level": r["level"],
        "trade": r["trade"],
        "place": r["place"],
        "ended": r["ended"].isoformat(),
    }


def best_result(member_id: int, rule: dict, on: dt.date) -> dict | None:
    """The member's best placing that meets `rule` ({"levels", "max_place"}), or None."""
    rows = skills.placings_of(member_id, rule.get("levels", []), int(rule["max_place"]), on)
    return as_result(rows[0]) if rows else None


def findings(round, nomination, member) -> list[dict]:
    """The nomination checked against the round's scheme, condition by condition, as of the day
    nominations closed."""
    on = round.nominations_until
    rows = []
    if round.union_member:
        rows.append({"key": "member", "met": member.status == "active"})
    if round.max_age:
        age = completed_years(member.birth_date, on)
        rows.append(
            {"key": "age", "met": age < round.max_age, "value": age, "limit": round.max_age}
        )
    if round.frontline:
        rows.append({"key": "frontline", "met": bool(nomination.frontline)})
    years = completed_years(nomination.skill_since, on) if nomination.skill_since <= on else 0
    row = {"key": "years", "met": years >= round.min_years, "value": years}
    row["limit"] = round.min_years
    if not row["met"]:
        for rule in round.waivers:
            result = best_result(member.pk, rule, on)
            if result:
                row.update(met=True, waived_by=result)
                break
    rows.append(row)
    met_by = []
    for c in round.conditions:
        if c.get("levels"):
            result = best_result(member.pk, c, on)
            if result:
                met_by.append({"condition": c["key"], "result": result})
        elif c["key"] in (nomination.claimed or []):
            met_by.append({"condition": c["key"]})
    if round.conditions:
        rows.append({"key": "conditions", "met": bool(met_by), "met_by": met_by})
    return rows


def eligible(rows: list[dict]) -> bool:
    return all(r["met"] for r in rows)


# --- in words ----------------------------------------------------------------------------------


def result_words(r: dict) -> str:
    level = skills.CompetitionLevel(r["level"]).label
    return _("“%(c)s” %(t)s, place %(p)s (%(l)s, %(d)s)") % {
        "c": r["name"],
        "t": r["trade"],
        "p": r["place"],
        "l": level,
        "d": formatting.day(dt.date.fromisoformat(r["ended"])),
    }


def _condition_label(round, key: str) -> str:
    for c in round.conditions:
        if c["key"] == key:
            return parameters.words(c["label"])
    return key


def describe(round, row: dict) -> tuple[str, str]:
    """A finding as (the condition, what was found), in words."""
    key, on = row["key"], formatting.day(round.nominations_until)
    if key == "member":
        found = _("an active union member") if row["met"] else _("not an active union member")
        return _("Union membership"), found
    if key == "age":
        return (
            _("Age under %(n)s") % {"n": row["limit"]},
            _("%(a)s full years old on %(d)s") % {"a": row["value"], "d": on},
        )
    if key == "frontline":
        found = _("works on the front line") if row["met"] else _("not on the front line")
        return _("Front-line work"), found
    if key == "years":
        found = _("%(y)s full years in the skill on %(d)s") % {"y": row["value"], "d": on}
        if row.get("waived_by"):
            found += _("; the years are waived by %(r)s") % {"r": result_words(row["waived_by"])}
        return _("At least %(n)s years in the skill") % {"n": row["limit"]}, found
    if key == "conditions":
        parts = []
        for m in row["met_by"]:
            label = _condition_label(round, m["condition"])
            if m.get("result"):
                parts.append(_("%(c)s: %(r)s") % {"c": label, "r": result_words(m["result"])})
            else:
                parts.append(_("%(c)s (claimed with evidence)") % {"c": label})
        found = "；".join(parts) if parts else _("none of the conditions is shown")
        return _("One of the qualifying conditions"), found
    return key, ""


def explained(round, rows: list[dict]) -> list[dict]:
    """The findings for a page or the API: condition, found, met."""
    out = []
    for row in rows:
        condition, found = describe(round, row)
        out.append({"condition": condition, "found": found, "met": row["met"]})
    return out


def refusal(round, rows: list[dict]) -> str | None:
    """Why a nomination is not eligible, naming each condition not met; None when eligible."""
    unmet = [describe(round, r) for r in rows if not r["met"]]
    if not unmet:
        return None
    return formatting.clauses([_("%(c)s: %(f)s") % {"c": c, "f": f} for c, f in unmet])


def scheme_words(r) -> dict:
    """The round's lists in words: the qualifying conditions, the waivers, the rubric."""
    conditions = []
    for c in r.conditions:
        label = parameters.words(c["label"])
        if c.get("levels"):
            label += "（" + _("read from the competition records") + "）"
        conditions.append(label)
    waivers = [
        _("%(l)s competition, place %(p)s or better")
        % {
            "l": "、".join(str(skills.CompetitionLevel(v).label) for v in w["levels"]),
            "p": w["max_place"],
        }
        for w in r.waivers
    ]
    rubric = [
        _("%(i)s: up to %(m)s points")
        % {"i": parameters.words(i["label"]), "m": formatting.number(i["max"])}
        for i in r.rubric
    ]
    return {"conditions": conditions, "waivers": waivers, "rubric": rubric}
