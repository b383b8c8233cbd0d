"""The district craftsman title: eligibility at each boundary, the waiver named with its result,
the panel's trimmed mean and the quota, the notice and objections, the register and its
benefits, the award paid once by a second person, and the API."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from gongjia.craftsmen import actions, eligibility, steps
from gongjia.craftsmen.models import Award, AwardPayment, Entitlement, Nomination, Round, Title
from gongjia.craftsmen.testing import make_nomination, open_round, person, set_status
from gongjia.members.selectors import members_in_scope
from gongjia.platform import kpis
from gongjia.platform.scope import SYSTEM
from gongjia.skills.models import Competition, Entry
from gongjia.skills.testing import make_competition, make_entry, make_event
from gongjia.training import plans
from gongjia.training.models import PlanTier
from gongjia.training.testing import make_plan, make_tier

CLOSES = dt.date(2020, 6, 30)
N = Nomination.Status


def _placed(tree, member, level, place, ends_on=dt.date(2019, 10, 20)):
    """A published competition of `level` in which `member` took `place`."""
    c = make_competition(tree, tree.district, level=level, ends_on=ends_on, starts_on=ends_on)
    entry = make_entry(
        tree, tree.district, event=make_event(tree, tree.district, competition=c), member=member
    )
    Entry.objects.filter(pk=entry.pk).update(rank=place)
    Competition.objects.filter(pk=c.pk).update(status=Competition.Status.PUBLISHED)
    return c


def _rows(tree, r, member, **fields):
    n = make_nomination(tree, tree.town_a, round=r, member=member, **fields)
    return {f["key"]: f for f in n.eligibility}, n


@pytest.fixture
def district_round(tree):
    return open_round(tree, tree.district, nominations_until=CLOSES)


def test_the_age_limit_is_under_sixty_on_the_day_nominations_close(tree, district_round):
    sixty_tomorrow = person(tree, tree.town_a, dt.date(1960, 7, 1))
    sixty_today = person(tree, tree.town_a, dt.date(1960, 6, 30))
    rows, _ = _rows(tree, district_round, sixty_tomorrow)
    assert rows["age"] == {"key": "age", "met": True, "value": 59, "limit": 60}
    rows, n = _rows(tree, district_round, sixty_today)
    assert rows["age"]["met"] is False and rows["age"]["value"] == 60
    assert "60" in eligibility.refusal(district_round, n.eligibility)


def test_the_years_in_the_skill_at_their_boundary(tree, district_round):
    ten = person(tree, tree.town_a, dt.date(1980, 1, 1))
    short = person(tree, tree.town_a, dt.date(1980, 1, 1))
    rows, _ = _rows(tree, district_round, ten, skill_since=dt.date(2010, 6, 30))
    assert rows["years"]["met"] and rows["years"]["value"] == 10
    rows, n = _rows(tree, district_round, short, skill_since=dt.date(2010, 7, 1))
    assert not rows["years"]["met"] and rows["years"]["value"] == 9
    with pytest.raises(ValidationError) as refused:
        actions.nomination_step(n, "accept", acting_user=SYSTEM)
    assert "9" in " ".join(refused.value.messages)


def test_a_competition_result_waives_the_years_and_is_named(tree, district_round):
    # The district's scheme: a provincial first place waives the years, a second does not.
    first = person(tree, tree.town_a, dt.date(1985, 1, 1))
    second = person(tree, tree.town_a, dt.date(1985, 1, 1))
    c = _placed(tree, first, Competition.Level.PROVINCIAL, 1)
    _placed(tree, second, Competition.Level.PROVINCIAL, 2)
    rows, n = _rows(tree, district_round, first, skill_since=dt.date(2015, 1, 1))
    assert rows["years"]["met"] and rows["years"]["waived_by"]["name"] == c.name
    found = dict(
        (e["condition"], e["found"]) for e in eligibility.explained(district_round, n.eligibility)
    )
    assert any(c.name in text and "1" in text for text in found.values())
    rows, _ = _rows(tree, district_round, second, skill_since=dt.date(2015, 1, 1))
    assert not rows["years"]["met"] and "waived_by" not in rows["years"]
    # A national third place waives them too; a result after the closing day does not count.
    third = person(tree, tree.town_a, dt.date(1985, 1, 1))
    _placed(tree, third, Competition.Level.NATIONAL, 3, ends_on=dt.date(2020, 7, 1))
    rows, _ = _rows(tree, district_round, third, skill_since=dt.date(2015, 1, 1))
    assert not rows["years"]["met"]


def test_membership_front_line_and_a_qualifying_condition_are_each_needed(tree, district_round):
    m = person(tree, tree.town_a, dt.date(1980, 1, 1))
    rows, _ = _rows(tree, district_round, m, frontline=False, claimed=[])
    assert not rows["frontline"]["met"] and not rows["conditions"]["met"]
    champion = person(tree, tree.town_a, dt.date(1980, 1, 1))
    _placed(tree, champion, Competition.Level.DISTRICT, 1)
    rows, _ = _rows(tree, district_round, champion, claimed=[])
    assert (
        rows["conditions"]["met"]
        and rows["conditions"]["met_by"][0]["condition"] == "district_first"
    )
    gone = person(tree, tree.town_a, dt.date(1980, 1, 1))
    from gongjia.members.models import Member

    Member.objects.filter(pk=gone.pk).update(status=Member.Status.WITHDRAWN)
    rows, _ = _rows(tree, district_round, gone)
    assert rows["member"]["met"] is False


def test_nominations_are_taken_in_the_window_once_per_person(tree, district_round):
    m = person(tree, tree.town_a, dt.date(1980, 1, 1))
    make_nomination(tree, tree.town_a, round=district_round, member=m)
    with pytest.raises(ValidationError, match="已"):
        make_nomination(tree, tree.town_a, round=district_round, member=m)
    late = person(tree, tree.town_a, dt.date(1980, 1, 1))
    with pytest.raises(ValidationError) as refused:
        actions.nominate(
            district_round,
            late.pk,
            unit=late.union,
            acting_user=SYSTEM,
            submitted_on=dt.date(2020, 7, 1),
            skill="焊工",
            skill_since=dt.date(2000, 1, 1),
            evidence="事迹",
        )
    assert "submitted_on" in refused.value.message_dict


def _reviewed(tree, r, people, panel):
    """Nominations accepted and the round under review with its panel named."""
    for user in panel:
        actions.add_to_panel(r, user, acting_user=SYSTEM)
    ns = [make_nomination(tree, tree.town_a, round=r, member=m) for m in people]
    for n in ns:
        actions.nomination_step(n, "accept", acting_user=SYSTEM)
    actions.round_step(r, "review", acting_user=SYSTEM)
    return ns


def _score_all(ns, panel, totals):
    """Each panel member's scores: `totals[k][j]` is panel member j's skill score of
    nomination k; the other items scored 10 by everyone."""
    for n, row in zip(ns, totals, strict=True):
        for user, points in zip(panel, row, strict=True):
            actions.score(
                n,
                {"skill": points, "contribution": 10, "mentoring": 10, "ethos": 10},
                acting_user=user,
            )


def test_the_panel_trimmed_mean_ranks_and_the_quota_proposes(tree, make_user):
    r = open_round(tree, tree.district, title_quota=1, nomination_quota=1, nominations_until=CLOSES)
    panel = [make_user("district_admin", tree.district) for _ in range(4)]
    people = [person(tree, tree.town_a, dt.date(1980, 1, 1)) for _ in range(3)]
    ns = _reviewed(tree, r, people, panel)
    with pytest.raises(ValidationError, match="评分"):
        actions.round_step(r, "publish", acting_user=panel[0])
    # Trimmed: 30 and 0 dropped, (20 + 20) / 2 = 20; the mean would be 17.5.
    _score_all(ns, panel, [[30, 20, 20, 0], [19, 19, 19, 19], [5, 5, 5, 5]])
    rows = steps.standings(r)
    assert [x["nomination"] for x in rows] == ns
    assert rows[0]["total"] == Decimal("50.00") and rows[1]["total"] == Decimal("49.00")
    actions.round_step(r, "publish", acting_user=panel[0], on=dt.date(2020, 9, 1))
    got = {n.pk: (n.rank, n.outcome, n.status) for n in Nomination.objects.filter(round=r)}
    assert got[ns[0].pk] == (1, "title", N.SELECTED)
    assert got[ns[1].pk] == (2, "nomination", N.SELECTED)
    assert got[ns[2].pk] == (3, "", N.NOT_SELECTED)
    r.refresh_from_db()
    # Five working days from Tuesday 1 September 2020: the 8th.
    assert (r.notice_from, r.notice_until) == (dt.date(2020, 9, 1), dt.date(2020, 9, 8))


def test_a_tie_across_the_quota_is_refused_until_the_panel_separates_it(tree, make_user):
    r = open_round(tree, tree.district, title_quota=1, nomination_quota=0, nominations_until=CLOSES)
    panel = [make_user("district_admin", tree.district) for _ in range(3)]
    people = [person(tree, tree.town_a, dt.date(1980, 1, 1)) for _ in range(2)]
    ns = _reviewed(tree, r, people, panel)
    _score_all(ns, panel, [[20, 20, 20], [20, 20, 20]])
    with pytest.raises(ValidationError) as refused:
        actions.round_step(r, "publish", acting_user=panel[0])
    assert people[0].name in " ".join(refused.value.messages)
    actions.score(ns[1], {"skill": 21}, acting_user=panel[0])
    actions.round_step(r, "publish", acting_user=panel[0])
    assert Nomination.objects.get(pk=ns[1].pk).outcome == "title"


def _noticed(tree, make_user, **fields):
    r = open_round(
        tree, tree.district, title_quota=2, nomination_quota=0, nominations_until=CLOSES, **fields
    )
    panel = [make_user("district_admin", tree.district) for _ in range(3)]
    people = [person(tree, tree.town_a, dt.date(1980, 1, 1)) for _ in range(2)]
    ns = _reviewed(tree, r, people, panel)
    _score_all(ns, panel, [[25, 25, 25], [20, 20, 20]])
    actions.round_step(r, "publish", acting_user=panel[0], on=dt.date(2020, 9, 1))
    r.refresh_from_db()
    return r, ns, panel


def test_objections_by_real_name_in_the_notice_and_titles_after_it(tree, make_user):
    r, ns, panel = _noticed(tree, make_user)
    with pytest.raises(ValidationError) as refused:
        actions.record_objection(
            ns[0], name="", content="有异议", received_on=dt.date(2020, 9, 2), acting_user=panel[0]
        )
    assert "name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.record_objection(
            ns[0],
            name="李四",
            content="有异议",
            received_on=dt.date(2020, 9, 9),
            acting_user=panel[0],
        )
    assert "received_on" in refused.value.message_dict
    o = actions.record_objection(
        ns[1],
        name="李四",
        content="成果不实",
        received_on=dt.date(2020, 9, 8),
        acting_user=panel[0],
    )
    with pytest.raises(ValidationError, match="异议"):
        actions.round_step(r, "confer", acting_user=panel[0], on=dt.date(2020, 9, 9))
    actions.decide_objection(o, upheld=True, finding="经核实成果不实", acting_user=panel[0])
    assert Nomination.objects.get(pk=ns[1].pk).status == N.DISQUALIFIED
    with pytest.raises(ValidationError) as refused:
        actions.round_step(r, "confer", acting_user=panel[0], on=dt.date(2020, 9, 8))
    assert "2020-09-08" in " ".join(refused.value.messages)
    actions.round_step(r, "confer", acting_user=panel[0], on=dt.date(2020, 9, 9))
    titles = list(Title.objects.filter(round=r))
    assert [t.member_id for t in titles] == [ns[0].member_id]
    assert titles[0].held_from == dt.date(2020, 9, 9)
    e = Entitlement.objects.get(title=titles[0])
    assert e.kind == "recuperation" and e.used_on is None
    from gongjia.craftsmen import selectors

    assert [x.pk for x in selectors.recuperation_entitled([ns[0].member_id])] == [e.pk]
    actions.use_benefit(e, used_for="2021年劳模工匠疗休养", acting_user=panel[0])
    assert not selectors.recuperation_entitled([ns[0].member_id]).exists()


def test_a_title_held_counts_in_the_plan_once_in_its_highest_tier(tree, make_user):
    r, ns, panel = _noticed(tree, make_user)
    actions.round_step(r, "confer", acting_user=panel[0], on=dt.date(2020, 9, 9))
    plan = make_plan(tree, tree.district, first_year=2018, last_year=2020)
    top = make_tier(
        tree,
        tree.district,
        plan=plan,
        key=PlanTier.Key.CRAFTSMAN_TALENT,
        rank=1,
        criteria=[{"kind": "title"}],
    )
    people = members_in_scope(SYSTEM)
    assert set(plans.counted(top, people, 2020).values_list("pk", flat=True)) == {
        ns[0].member_id,
        ns[1].member_id,
    }
    assert not plans.counted(top, people, 2019).exists()
    assert plans.describe({"kind": "title"}) != "unknown criterion"


def _conferred(tree, make_user):
    r, ns, panel = _noticed(tree, make_user)
    actions.round_step(r, "confer", acting_user=panel[0], on=dt.date(2020, 9, 9))
    return Title.objects.filter(round=r).order_by("number").first(), panel


def test_the_award_is_approved_by_another_and_paid_once_and_reversed_by_a_new_line(tree, make_user):
    title, panel = _conferred(tree, make_user)
    preparer, approver = panel[0], panel[1]
    a = actions.prepare_award(
        title, bank_name="农商银行", bank_account="6228 4800 0000 0000 011", acting_user=preparer
    )
    assert a.amount_fen == 1_000_000
    with pytest.raises(ValidationError, match="已"):
        actions.prepare_award(
            title, bank_name="农商银行", bank_account="622848000000000011", acting_user=preparer
        )
    with pytest.raises(ValidationError, match="申报人以外"):
        actions.award_step(a, "approve", acting_user=preparer)
    actions.award_step(a, "approve", acting_user=approver, on=dt.date(2020, 10, 9))
    with pytest.raises(ValidationError):
        actions.award_step(a, "approve", acting_user=approver)
    assert kpis.evaluate(SYSTEM, year=2020, keys=["craftsmen.awards_paid"])[0]["value"] == 10000
    actions.award_step(
        a, "reverse", acting_user=approver, note="银行退回", on=dt.date(2020, 10, 20)
    )
    lines = list(
        AwardPayment.objects.filter(award=a)
        .order_by("pk")
        .values_list("kind", "amount_fen", "attempt")
    )
    assert lines == [("payment", 1_000_000, 0), ("reversal", -1_000_000, 0)]
    assert kpis.evaluate(SYSTEM, year=2020, keys=["craftsmen.awards_paid"])[0]["value"] == 0
    actions.award_step(a, "approve", acting_user=approver, on=dt.date(2020, 11, 2))
    assert AwardPayment.objects.filter(award=a, kind="payment").count() == 2
    with pytest.raises(ValueError):
        p = AwardPayment.objects.filter(award=a).first()
        p.reason = "edited"
        p.save()


def test_the_bank_batch_needs_the_reveal_permission_and_a_purpose(tree, make_user):
    title, panel = _conferred(tree, make_user)
    a = actions.prepare_award(
        title, bank_name="农商银行", bank_account="622848000000000011", acting_user=panel[0]
    )
    actions.award_step(a, "approve", acting_user=panel[1])
    batch = actions.make_batch(acting_user=panel[1], unit=tree.district)
    assert batch.entries == 1 and batch.total_fen == 1_000_000
    with pytest.raises(ValidationError, match="没有待发银行"):
        actions.make_batch(acting_user=panel[1], unit=tree.district)
    with pytest.raises(ValidationError):
        actions.batch_xlsx(batch, acting_user=panel[1], purpose="")
    import io

    from python_calamine import CalamineWorkbook

    data = actions.batch_xlsx(batch, acting_user=panel[1], purpose="发放工匠奖励")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[1][4] == "622848000000000011" and rows[1][5] == "10000.00"


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_pay_the_award_once(tree, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and a unique index decide the race on PostgreSQL")
    title, panel = _conferred(tree, make_user)
    a = actions.prepare_award(
        title, bank_name="农商银行", bank_account="622848000000000011", acting_user=panel[0]
    )
    barrier, outcomes = threading.Barrier(2), []

    def approve(user):
        try:
            barrier.wait()
            actions.award_step(Award.objects.get(pk=a.pk), "approve", acting_user=user)
            outcomes.append("paid")
        except ValidationError as e:
            outcomes.append(" ".join(e.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (panel[1], panel[2])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2 and outcomes.count("paid") == 1, outcomes
    assert AwardPayment.objects.filter(award=a, kind="payment").count() == 1


def test_a_town_sees_its_own_nominations_and_decides_nothing_of_the_district(tree, make_user):
    r = open_round(tree, tree.district, nominations_until=CLOSES)
    a = make_nomination(tree, tree.town_a, round=r)
    b = make_nomination(tree, tree.town_b, round=r)
    officer = make_user("town_officer", tree.town_a)
    from gongjia.platform import scope

    assert set(scope.restrict(Nomination.objects.all(), officer)) == {a}
    actions.nomination_step(a, "accept", acting_user=officer)
    actions.nomination_step(b, "accept", acting_user=SYSTEM)
    actions.add_to_panel(r, make_user("district_admin", tree.district), acting_user=SYSTEM)
    actions.round_step(r, "review", acting_user=SYSTEM)
    set_status(r, Round.Status.REVIEW)
    from django.core.exceptions import PermissionDenied

    with pytest.raises((PermissionDenied, ValidationError)):
        actions.round_step(r, "publish", acting_user=officer)


def test_the_api_explains_each_nomination_and_lists_rounds_and_titles(tree, make_user, client):
    r = open_round(tree, tree.district, nominations_until=CLOSES)
    m = person(tree, tree.town_a, dt.date(1985, 1, 1))
    c = _placed(tree, m, Competition.Level.CITY, 1)
    make_nomination(tree, tree.town_a, round=r, member=m, skill_since=dt.date(2016, 1, 1))
    client.force_login(
        make_user("district_admin", tree.district), backend="gongjia.accounts.backends.RoleBackend"
    )
    rounds = client.get("/api/v1/craftsmen/rounds").json()
    assert rounds["count"] == 1 and rounds["items"][0]["award_yuan"] == "10000.00"
    assert rounds["items"][0]["rubric"] and rounds["items"][0]["status"] == "open"
    got = client.get(f"/api/v1/craftsmen/nominations?round={r.pk}").json()["items"][0]
    assert got["eligible"] is True
    years = next(f for f in got["eligibility"] if "10" in f["condition"])
    assert years["met"] and c.name in years["found"]
    assert client.get("/api/v1/craftsmen/titles").json()["count"] == 0


def test_a_round_and_a_nomination_are_entered_in_the_back_office(tree, make_user, login_client):
    client = login_client(make_user("district_admin", tree.district))
    form = {
        "organiser": tree.district.pk,
        "number": "3",
        "name": "第三届萧山工匠认定",
        "year": "2021",
        "nominations_from": "2021-05-06",
        "nominations_until": "2021-06-30",
        "title_quota": "10",
        "nomination_quota": "5",
        "award": "10,000.00",
        "min_years": "8",
        "max_age": "",
        "union_member": "on",
        "frontline": "on",
        "recuperation": "on",
        "aggregation": "trimmed",
        "notice_working_days": "5",
        "waive_provincial": "2",
    }
    r = client.post(reverse("admin:craftsmen_round_add"), form)
    assert r.status_code == 302, r.content.decode()[:2000]
    got = Round.objects.get(number=3)
    assert (got.award_fen, got.min_years, got.max_age) == (1_000_000, 8, None)
    assert got.waivers == [{"levels": ["provincial"], "max_place": 2}]
    assert got.rubric and got.conditions  # the district's defaults
    actions.round_step(got, "open", acting_user=SYSTEM)
    m = person(tree, tree.town_a, dt.date(1980, 1, 1))
    r = client.post(
        reverse("admin:craftsmen_nomination_add"),
        {
            "round": got.pk,
            "member_number": m.member_number,
            "unit": m.union.pk,
            "channel": "unit",
            "skill": "焊工",
            "skill_since": "2005-01-01",
            "frontline": "on",
            "claimed": ["mentoring"],
            "evidence": "带徒十余名",
            "submitted_on": "2021-05-10",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    n = Nomination.objects.get(round=got, member=m)
    assert n.claimed == ["mentoring"] and n.eligibility
    # A record tool's form opens without errors before it is sent.
    page = client.post(reverse("admin:craftsmen_nomination_objection", args=[n.pk]))
    assert page.status_code == 200 and "errorlist" not in page.content.decode()
