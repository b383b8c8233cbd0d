"""The skills figures from records: competitions held, trades counted once over a period,
local competitions counted once checked, participations from entrants and reports."""

import datetime as dt

from gongjia.platform import kpis
from gongjia.skills.models import Competition, Event, Trade
from gongjia.skills.testing import make_competition, make_entry, set_status

S, L = Competition.Status, Competition.Level


def values(user, **kw):
    keys = [k for k in kpis.registry() if k.startswith("skills.")]
    return {f["key"]: f["value"] for f in kpis.evaluate(user, keys=keys, **kw)}


def test_the_figures_count_what_was_held_and_each_trade_once_over_the_years(tree, make_user):
    welding, robots = Trade.objects.create(name="焊工"), Trade.objects.create(name="工业机器人")
    for year, trades in ((2019, [welding]), (2020, [welding, robots])):
        c = make_competition(
            tree,
            tree.district,
            level=L.DISTRICT,
            year=year,
            starts_on=dt.date(year, 5, 1),
            ends_on=dt.date(year, 5, 2),
        )
        for t in trades:
            Event.objects.create(competition=c, trade=t)
        set_status(c, S.PUBLISHED)
    planned = make_competition(tree, tree.district, level=L.DISTRICT)  # not held: not counted
    Event.objects.create(competition=planned, trade=Trade.objects.create(name="电工"))

    # A town's competition with entrants, and one guided and reported, counted once checked.
    town = make_competition(tree, tree.town_a)
    entry = make_entry(
        tree, tree.town_a, event=Event.objects.create(competition=town, trade=welding)
    )
    set_status(town, S.PUBLISHED)
    reported = make_competition(tree, tree.town_a, level=L.ENTERPRISE)
    Event.objects.create(competition=reported, trade=robots, participants_reported=120)
    set_status(reported, S.REPORTED)

    district = make_user("district_admin", tree.district)
    v = values(district, year=2020)
    assert v["skills.district_competitions"] == 1 and v["skills.trades"] == 2
    assert v["skills.local_competitions"] == 1 and v["skills.participations"] == 1
    over = values(district, from_year=2019, to_year=2020)
    assert over["skills.district_competitions"] == 2
    assert over["skills.trades"] == 2  # welding in both years counts once
    set_status(reported, S.CHECKED)
    v = values(district, year=2020)
    assert v["skills.local_competitions"] == 2 and v["skills.participations"] == 121
    # A town's officer counts their town's competitions only.
    officer = make_user("town_officer", tree.town_b)
    assert values(officer, year=2020)["skills.local_competitions"] == 0
    assert kpis.records("skills.participations", district, 2020).count() == 4
    assert entry.entrants.count() == 1
