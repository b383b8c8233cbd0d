"""The worked examples of competitions.md: marks, panels, spreads, ranking, rechecks,
awards and promotion, as the arithmetic gives them."""

from fractions import Fraction

import pytest

from gongjia.members.selectors import SkillLevel as L
from gongjia.skills import marking as m


def test_a_judgement_aspect_is_max_times_the_mean_over_three_kept_unrounded():
    mark = m.judgement("0.75", [2, 2, 3])
    assert mark == Fraction(7, 12)  # 0.75 × 7/9
    assert round(float(mark), 4) == 0.5833


@pytest.mark.parametrize(
    ("scores", "limit", "ok"),
    [([2, 2, 3], 1, True), ([1, 3, 2], 1, False), ([0, 0, 1], 1, True), ([0, 2, 2], 1, False)],
)
def test_three_scores_further_apart_than_the_limit_cannot_be_saved(scores, limit, ok):
    if ok:
        m.check_scores(scores, m.SPREAD_CHECKED, limit)
    else:
        with pytest.raises(m.MarkingError, match="score it again|重新评分"):
            m.check_scores(scores, m.SPREAD_CHECKED, limit)


def test_a_judgement_needs_three_whole_scores_from_0_to_3():
    with pytest.raises(m.MarkingError):
        m.check_scores([2, 2], m.SPREAD_CHECKED, 1)
    with pytest.raises(m.MarkingError):
        m.check_scores([2, 2, 4], m.SPREAD_CHECKED, 1)


def test_panel_aggregations():
    assert m.panel([1, 2, 3, 3], m.MEAN) == Fraction(9, 4)
    assert m.panel([0, 2, 3, 3], m.TRIMMED) == Fraction(5, 2)  # 0 and one 3 dropped
    assert m.panel([1, 2, 3], m.TRIMMED) == 2  # fewer than four: the mean
    assert m.panel([1, 2, 2], m.TWO_CLOSEST) == 2
    assert m.panel([0, 2, 3], m.TWO_CLOSEST) == Fraction(5, 2)
    assert m.panel([1, 2, 3], m.TWO_CLOSEST) == 2  # equal gaps: the median
    assert m.panel([1, 3], m.TWO_CLOSEST) == 2
    assert m.panel([3], m.TWO_CLOSEST) == 3


def test_measurement_calculations():
    assert m.measurement("0.5", m.PASS_FAIL, {}, True) == Fraction(1, 2)
    assert m.measurement("0.5", m.PASS_FAIL, {}, False) == 0
    assert m.measurement("2", m.COMPLETED, {"n": 4}, 3) == Fraction(3, 2)
    choices = {
        "choices": [{"deduction": 0}, {"deduction": 33.3}, {"deduction": 66.6}, {"deduction": 100}]
    }
    assert m.measurement("1", m.CHOICE, choices, 1) == Fraction(667, 1000)
    assert m.measurement("1", m.CHOICE, choices, 3) == 0
    ranged = {
        "ranges": [
            {"low": 9.95, "high": 10.05, "deduction": 0},
            {"low": 9.9, "high": 10.1, "deduction": 50},
        ]
    }
    assert m.measurement("1", m.RANGED, ranged, 10.02) == 1
    assert m.measurement("1", m.RANGED, ranged, 10.08) == Fraction(1, 2)
    assert m.measurement("1", m.RANGED, ranged, 10.2) == 0
    with pytest.raises(m.MarkingError):
        m.measurement("2", m.COMPLETED, {"n": 4}, 5)


def test_maximum_marks_go_in_steps_of_0_05():
    assert m.valid_maximum("0.25") and m.valid_maximum("1.95") and m.valid_maximum(2)
    assert not m.valid_maximum("0.33") and not m.valid_maximum(0)


def test_the_section_variation_is_reported_per_section():
    checks = m.section_variation({"1": 60, "2": 40}, [("1", "30"), ("1", "29.5"), ("2", "40")])
    assert [(c.number, c.variation) for c in checks] == [("1", Fraction(-1, 2)), ("2", 0)]


def test_the_total_weights_theory_and_practical():
    assert m.weighted_total(80, 90, "0.3", "0.7") == 87
    assert m.weighted_total(None, 90, "0.3", "0.7") == 63


def ranks(rows, directions):
    out = m.rank(rows, lambda r: r[1:], directions)
    return [(r.entry[0], r.rank, r.tied) for r in out]


def test_ranking_1_1_3_with_every_tie_break():
    H, Lo = m.HIGHER, m.LOWER
    # Total, then the higher practical, then the shorter time.
    rows = [
        ("a", Fraction(87), 90, 3600),
        ("b", Fraction(87), 92, 3700),  # same total, better practical: before a
        ("c", Fraction(90), 88, 3000),
        ("d", Fraction(87), 90, 3500),  # same total and practical as a, shorter time
        ("e", Fraction(80), 80, 3000),
        ("f", Fraction(80), 80, 3000),  # equal on every key with e
    ]
    assert ranks(rows, [H, H, Lo]) == [
        ("c", 1, False),
        ("b", 2, False),
        ("d", 3, False),
        ("a", 4, False),
        ("e", 5, True),
        ("f", 5, True),
    ]
    # On the total alone: 1-1-3.
    assert [r[1] for r in ranks([(x[0], x[1]) for x in rows], [H])] == [1, 2, 2, 2, 5, 5]


def test_unrounded_totals_are_not_ties():
    rows = [("a", m.judgement("0.75", [2, 2, 3])), ("b", Fraction(5833, 10000))]
    assert ranks(rows, [m.HIGHER]) == [("a", 1, False), ("b", 2, False)]


def test_the_recheck_covers_the_top_ten_and_at_least_15_percent_of_the_rest():
    ids = list(range(1, 51))
    chosen = m.recheck_sample(ids, 10, "0.15", seed="s")
    assert chosen[:10] == list(range(1, 11))
    assert len(chosen) == 10 + 6  # 15 % of 40 is 6
    assert chosen == m.recheck_sample(ids, 10, "0.15", seed="s")  # the draw can be shown again
    assert len(m.recheck_sample(list(range(1, 15)), 10, "0.15", seed="s")) == 11  # 0.6 → 1


def test_everything_is_rechecked_above_5_percent_wrong():
    assert not m.recheck_everything(20, 1, "0.05")  # 5 % exactly
    assert m.recheck_everything(20, 2, "0.05")


def test_awards_top_three_then_merit_in_the_top_half():
    ranked = m.rank([(c, 10 - i) for i, c in enumerate("abcdefgh")], lambda r: r[1:], [m.HIGHER])
    rules = [
        m.AwardRule("first", 1),
        m.AwardRule("second", 2),
        m.AwardRule("third", 3),
        m.AwardRule("merit", share="0.5"),
    ]
    given = {r.entry[0]: a for r, a in ((r, m.awards(ranked, rules).get(r.entry)) for r in ranked)}
    assert given == {
        "a": "first",
        "b": "second",
        "c": "third",
        "d": "merit",
        "e": None,
        "f": None,
        "g": None,
        "h": None,
    }


def test_promotion_goes_to_the_target_or_one_up_capped():
    cap = L.LEVEL1
    assert m.promoted(L.LEVEL4, L.LEVEL2, cap) == L.LEVEL2  # below the target: to it
    assert m.promoted(L.LEVEL2, L.LEVEL2, cap) == L.LEVEL1  # a 技师 moves to 高级技师
    assert m.promoted(L.LEVEL1, L.LEVEL2, cap) == L.LEVEL1  # never beyond the cap
    assert m.promoted(L.PRINCIPAL, L.LEVEL3, cap) == L.PRINCIPAL  # never lowered
    assert m.promoted(L.LEVEL3, L.LEVEL3, cap) == L.LEVEL2


def test_standardised_scores_are_centred_and_clamped():
    raw = [50, 60, 70, 80, 90]
    assert m.standardised(70, raw) == 700
    assert 700 < m.standardised(90, raw) <= 800
    assert m.standardised(90, raw, k=200) == 800 and m.standardised(50, raw, k=200) == 600
