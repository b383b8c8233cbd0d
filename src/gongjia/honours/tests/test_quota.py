"""The share rules in whole people (honours.md §2), at every boundary."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjia.honours import quota

IND = {"industrial"}
NAMES = {"industrial": "产业工人", "enterprise_head": "企业负责人", "enterprise": "企业职工"}


def rule(op, pct=None, count=None, category="industrial", base="all"):
    r = {"category": category, "op": op, "base": base}
    if count is not None:
        r["count"] = count
    else:
        r["pct"] = pct
    return r


@pytest.mark.parametrize(
    ("op", "pct", "base", "line"),
    [
        (">", "60", 10, 7),  # more than 60 % of 10 needs 7
        (">=", "60", 10, 6),
        (">=", "80", 11, 9),  # 80 % or more of 11 needs 9 (8.8 up)
        (">", "80", 11, 9),
        (">=", "80", 10, 8),
        (">", "80", 10, 9),
        (">", "75", 20, 16),
        ("<=", "10", 32, 3),  # a cap of 10 % of 32 allows 3
        ("<", "10", 32, 3),
        ("<", "10", 30, 2),  # "< 10 %" of 30 allows 2: 3 would be exactly 10 %
        ("<=", "10", 30, 3),
        (">=", "62.5", 8, 5),
        (">", "62.5", 8, 6),
    ],
)
def test_the_line_in_whole_people(op, pct, base, line):
    assert quota.line(rule(op, pct), base) == line


@pytest.mark.parametrize(
    ("op", "count", "line"), [("<=", 2, 2), ("<", 2, 1), (">=", 3, 3), (">", 3, 4)]
)
def test_a_cap_given_as_a_number_compares_directly(op, count, line):
    assert quota.line(rule(op, count=count, category="enterprise_head"), 50) == line


def test_a_minimum_reports_shortfall_and_slack_in_people_and_points():
    seven = [IND] * 7 + [set()] * 3
    six = [IND] * 6 + [set()] * 4
    ok = quota.check(seven, [rule(">", "60")], NAMES)[0]
    assert (ok.met, ok.line, ok.count, ok.slack, ok.shortfall) == (True, 7, 7, 0, 0)
    assert ok.share == Fraction(7, 10) and str(ok.points) == "10.0"
    short = quota.check(six, [rule(">", "60")], NAMES)[0]
    # Exactly 60 % is not more than 60 %: one person short, 0 points over the line.
    assert (short.met, short.shortfall, short.slack, str(short.points)) == (False, 1, 0, "0.0")
    assert "1" in short.sentence()


def test_a_cap_reports_people_over():
    people = [{"enterprise_head"}] * 4 + [set()] * 28
    r = quota.check(people, [rule("<=", "10", category="enterprise_head")], NAMES)[0]
    assert (r.met, r.line, r.count, r.shortfall) == (False, 3, 4, 1)
    r = quota.check(people[1:], [rule("<=", "10", category="enterprise_head")], NAMES)[0]
    assert (r.met, r.line, r.count, r.slack) == (True, 3, 3, 0)


def test_a_rule_over_a_subset_counts_within_it():
    """Front-line share of enterprise nominees only (2015: ≥ 57 % of enterprise nominees)."""
    people = [{"enterprise", "industrial"}] * 4 + [{"enterprise"}] * 3 + [IND] * 5 + [set()] * 2
    r = quota.check(people, [rule(">=", "57", base="enterprise")], NAMES)[0]
    assert (r.base, r.count, r.line, r.met) == (7, 4, 4, True)


def test_nobody_meets_a_percentage_minimum_and_a_number_minimum_is_short():
    r = quota.check([], [rule(">", "60")], NAMES)[0]
    assert r.met and r.share is None and r.line == 0
    r = quota.check([], [rule(">=", count=1)], NAMES)[0]
    assert not r.met and r.shortfall == 1


def test_categories_come_from_the_registry_not_the_declaration():
    industrial = frozenset({"operator", "technical", "management"})
    assert quota.categories_of("operator", "F", [], industrial) == {"industrial", "woman"}
    # Declaring "industrial" does not make someone an industrial worker: the registry says.
    assert quota.categories_of("other", "M", ["industrial", "frontline"], industrial) == {
        "frontline"
    }


@pytest.mark.django_db
def test_invalid_rules_are_named():
    problems = quota.valid(
        [
            {"category": "nobody", "op": ">", "pct": "60"},
            {"category": "industrial", "op": "=", "pct": "60"},
            {"category": "industrial", "op": ">", "pct": "160"},
            {"category": "industrial", "op": "<=", "count": "two"},
        ]
    )
    assert len(problems) == 4
    assert quota.valid([rule(">", "60"), rule("<=", count=2)]) == []


@given(
    n=st.integers(min_value=1, max_value=500),
    pct=st.integers(min_value=0, max_value=100),
    op=st.sampled_from([">=", ">", "<=", "<"]),
)
def test_the_line_is_the_exact_boundary(n, pct, op):
    """The line is the count at which the rule turns: exact fractions, never floats."""
    line = quota.line(rule(op, str(pct)), n)
    p = Fraction(pct, 100)
    holds = {
        ">=": lambda c: Fraction(c, n) >= p,
        ">": lambda c: Fraction(c, n) > p,
        "<=": lambda c: Fraction(c, n) <= p,
        "<": lambda c: Fraction(c, n) < p,
    }[op]
    if op in (">=", ">"):
        assert holds(line) and (line == 0 or not holds(line - 1))
    else:
        assert (line < 0 or holds(line)) and not holds(line + 1)
