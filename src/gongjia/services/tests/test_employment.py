"""Employment assistance: discriminatory wording blocks a posting; the offers ranked with their
reasons; a placement followed to six months; placements counted once per person a year, never
from a fair; the government's figure stored, never computed; the zero-household clock."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongjia.platform.scope import SYSTEM
from gongjia.services import actions, matching, selectors
from gongjia.services.models import ExternalFigure, Placement
from gongjia.services.testing import (
    make_fair,
    make_placement,
    make_posting,
    make_seeker,
    make_zero_household,
)

P = Placement.Status


def _hire(p, on=dt.date(2020, 3, 16)):
    return actions.record_hire(
        p, acting_user=SYSTEM, hired_on=on, evidence="contract", evidence_reference="HT-1"
    )


def test_discriminatory_wording_blocks_a_posting(tree):
    p = make_posting(tree, tree.town_a)
    p.requirements = "限男性，身体健康"
    with pytest.raises(ValidationError) as e:
        p.full_clean()
    assert "限男性" in str(e.value) and "就业促进法" in str(e.value)
    p.requirements = "能适应两班倒"
    p.full_clean()


def test_offers_are_ranked_with_each_part_explained(tree):
    s = make_seeker(tree, tree.town_a, pay_wanted=6000)
    near = make_posting(tree, tree.town_a, occupation=s.occupation, pay_max=6500)
    far = make_posting(tree, tree.town_b, occupation="保洁员", pay_max=5000, region=tree.region_b)
    ranked = matching.rank(s, [far, near], dt.date(2020, 3, 1))
    assert [r["posting"] for r in ranked] == [near, far]
    parts = {p["key"]: p for p in ranked[0]["parts"]}
    assert parts["occupation"]["points"] == parts["occupation"]["most"] == 30
    assert parts["commute"]["points"] == 20 and parts["pay"]["points"] == 15
    assert ranked[1]["points"] < ranked[0]["points"]
    assert {p["key"] for p in ranked[1]["parts"]} == {
        "occupation",
        "skill",
        "commute",
        "pay",
        "hours",
        "accommodation",
    }


def test_a_hire_needs_its_evidence_and_the_checkpoints_wait_for_their_months(tree):
    p = make_placement(tree, tree.town_a)
    with pytest.raises(ValidationError):
        actions.placement_step(
            p, "hire", acting_user=SYSTEM, values={"hired_on": dt.date(2020, 3, 16)}
        )
    _hire(p)
    p.refresh_from_db()
    assert p.status == P.HIRED and p.next_check_on == dt.date(2020, 6, 16)
    with pytest.raises(ValidationError, match="2020"):
        actions.placement_step(p, "stable_3", acting_user=SYSTEM, on=dt.date(2020, 6, 15))
    actions.placement_step(p, "stable_3", acting_user=SYSTEM, on=dt.date(2020, 6, 16))
    p.refresh_from_db()
    assert p.next_check_on == dt.date(2020, 9, 16)
    actions.placement_step(p, "stable_6", acting_user=SYSTEM, on=dt.date(2020, 9, 16))
    actions.placement_step(p, "close", acting_user=SYSTEM, on=dt.date(2020, 9, 20))
    p.refresh_from_db()
    assert p.status == P.CLOSED and p.stable_6_on == dt.date(2020, 9, 16)
    assert selectors.placements_stable_6m(SYSTEM, 2020) == 1


def test_a_job_lost_returns_to_referred_and_a_person_hired_twice_counts_once(tree):
    p = make_placement(tree, tree.town_a)
    _hire(p, dt.date(2020, 3, 16))
    actions.placement_step(p, "lose", acting_user=SYSTEM, note="企业裁员", on=dt.date(2020, 5, 1))
    p.refresh_from_db()
    assert p.status == P.REFERRED and p.hired_on is None and p.lost_on == dt.date(2020, 5, 1)
    _hire(p, dt.date(2020, 6, 1))
    second = make_placement(tree, tree.town_a, seeker=p.seeker)
    _hire(second, dt.date(2020, 9, 1))
    assert p.seeker.hires.count() == 3
    assert selectors.placements(SYSTEM, 2020) == 1
    other = make_placement(tree, tree.town_a)
    _hire(other, dt.date(2021, 1, 4))
    assert selectors.placements(SYSTEM, 2020) == 1  # hired in 2021: another year
    assert selectors.placements(SYSTEM, 2021) == 1


def test_a_referral_never_counts_and_neither_does_a_fair(tree):
    make_fair(tree, tree.town_a)  # 120 hires reported at the fair
    make_placement(tree, tree.town_a)  # referred, not hired
    assert selectors.placements(SYSTEM, 2020) == 0


def test_urban_new_jobs_is_the_government_s_figure_with_its_source(tree):
    assert selectors.urban_new_jobs(SYSTEM, 2020) == 0
    ExternalFigure.objects.create(
        unit=tree.district,
        key="urban_new_jobs",
        year=2020,
        value=16000,
        source="萧山区2020年国民经济和社会发展统计公报",
        published_on=dt.date(2021, 3, 15),
    )
    p = make_placement(tree, tree.town_a)
    _hire(p)
    assert selectors.urban_new_jobs(SYSTEM, 2020) == 16000  # not touched by any hire


def test_one_record_per_person(tree):
    s = make_seeker(tree, tree.town_a)
    with pytest.raises(ValidationError):
        make_seeker(tree, tree.town_a, member=s.member)


def test_the_zero_household_clock(tree):
    z = make_zero_household(tree, tree.town_a)
    assert z.due_on == dt.date(2020, 5, 1)
    assert selectors.zero_households_overdue(SYSTEM) == 1  # today is long past
    p = make_placement(tree, tree.town_a, seeker=z.seeker)
    _hire(p, dt.date(2020, 4, 20))
    assert selectors.zero_households_overdue(SYSTEM) == 0
