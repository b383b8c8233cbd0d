"""A competition marked as the rules say: schemes checked, judges kept from their own
enterprises, three judges revealing together, marks signed and locked, unlocking by two
people, ranking with ties for the jury, rechecks, publication by the jury, promotion."""

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjia.members.selectors import SkillLevel
from gongjia.members.testing import make_member
from gongjia.platform.scope import SYSTEM
from gongjia.skills import actions
from gongjia.skills.models import Aspect, Competition, Entry, Mark, Scheme, Section
from gongjia.skills.testing import (
    make_judge,
    make_scheme,
    mark_all,
    marked_event,
    set_status,
)


def aspects(event):
    return list(Aspect.objects.filter(sub__criterion__scheme__event=event).order_by("order"))


def test_a_scheme_is_approved_only_when_its_weights_sum_to_100_and_its_marks_step_by_0_05(tree):
    scheme = make_scheme(tree, tree.town_a)
    Section.objects.filter(scheme=scheme, number="2").update(weight=35)
    Aspect.objects.filter(sub__criterion__scheme=scheme, order=1).update(max_mark=Decimal("0.33"))
    with pytest.raises(ValidationError) as e:
        actions.scheme_step(scheme, "approve", acting_user=SYSTEM)
    text = " ".join(e.value.messages)
    assert "95" in text and "0.33" in text
    Section.objects.filter(scheme=scheme, number="2").update(weight=40)
    Aspect.objects.filter(sub__criterion__scheme=scheme, order=1).update(max_mark=Decimal("0.75"))
    actions.scheme_step(scheme, "approve", acting_user=SYSTEM)
    assert Scheme.objects.get(pk=scheme.pk).status == Scheme.Status.APPROVED


def test_three_judges_reveal_together_and_a_wide_spread_is_scored_again(tree):
    event, panel, (entry, *_rest) = marked_event(tree, tree.town_a, entrants=1)
    judged = aspects(event)[0]
    assert Scheme.objects.get(event=event).status == Scheme.Status.LOCKED
    mark = actions.enter_score(entry, judged, 1, acting_user=panel[0].user)
    mark = actions.enter_score(entry, judged, 3, acting_user=panel[1].user)
    assert mark.status == Mark.Status.PENDING and mark.value is None  # two of three: no mark
    mark = actions.enter_score(entry, judged, 3, acting_user=panel[2].user)
    assert mark.status == Mark.Status.PENDING and mark.rescore  # 1, 3, 3: two apart
    assert re.search("score it again|重新评分", actions.spread_message(mark))
    mark = actions.enter_score(entry, judged, 2, acting_user=panel[0].user)  # re-scored
    assert mark.status == Mark.Status.ENTERED and not mark.rescore
    assert mark.value == Fraction(3, 4) * Fraction(8, 9)  # 2, 3, 3
    # The worked example: 2, 2, 3 with maximum 0.75 is 0.5833…, kept as 7/12.
    actions.enter_score(entry, judged, 2, acting_user=panel[1].user)
    actions.sign(entry, acting_user=panel[0].user)
    assert mark.signed_by.count() == 1
    mark = actions.enter_score(entry, judged, 3, acting_user=panel[2].user)
    assert Mark.objects.get(pk=mark.pk).value == Fraction(7, 12)
    assert not mark.signed_by.exists()  # signed before the change: to be signed again
    # A fourth person is not on the panel; an invalid score says what to enter.
    outsider = make_judge(tree, tree.town_a)
    with pytest.raises(PermissionDenied):
        actions.enter_score(entry, judged, 2, acting_user=outsider.user)
    with pytest.raises(ValidationError, match="0 to 3|0 到 3|0–3|0～3"):
        actions.enter_score(entry, judged, 4, acting_user=panel[0].user)


def test_a_judge_never_marks_an_entrant_of_their_own_enterprise(tree):
    event, panel, (entry, *_rest) = marked_event(
        tree, tree.town_a, entrants=1, affiliations={1: [tree.ent_a]}
    )
    Entry.objects.filter(pk=entry.pk).update(enterprise=tree.ent_a)
    entry.refresh_from_db()
    with pytest.raises(PermissionDenied, match=panel[1].name):
        actions.enter_score(entry, aspects(event)[0], 2, acting_user=panel[1].user)
    actions.enter_score(entry, aspects(event)[0], 2, acting_user=panel[0].user)
    # Widened per competition: nor an enterprise of the judge's own town.
    other = make_judge(tree, tree.town_a, affiliations=[tree.ent_b])
    assert actions.conflict(other, entry, event.competition) is None
    Entry.objects.filter(pk=entry.pk).update(enterprise=tree.ent_b)
    entry.refresh_from_db()
    assert actions.conflict(other, entry, event.competition)
    competition = event.competition
    competition.conflict_rule = Competition.Conflict.UNION
    third = make_judge(tree, tree.town_a, affiliations=[tree.ent_a])
    Entry.objects.filter(pk=entry.pk).update(enterprise=tree.ent_a)
    entry.refresh_from_db()
    assert actions.conflict(third, entry, competition)


def test_signed_and_locked_marks_are_refused_and_unlocking_takes_two_people(tree, make_user):
    event, panel, entries = marked_event(tree, tree.town_a, entrants=2)
    mark_all(event, panel, entries)
    first = entries[0]
    with pytest.raises(ValidationError, match="no longer|不能再"):
        actions.enter_score(first, aspects(event)[0], 3, acting_user=panel[0].user)
    competition = event.competition
    actions.step(competition, "close_marking", acting_user=SYSTEM)
    mark = Mark.objects.get(entry=first, aspect=aspects(event)[0])
    assert mark.status == Mark.Status.LOCKED
    officer, colleague = (make_user("town_officer", tree.town_a) for _ in range(2))
    unlock = actions.request_unlock(mark, "原始记录与录入不符", acting_user=officer)
    with pytest.raises(ValidationError):
        actions.decide_unlock(unlock, "approve", acting_user=officer)
    actions.decide_unlock(unlock, "approve", acting_user=colleague)
    mark.refresh_from_db()
    assert mark.status == Mark.Status.ENTERED and not mark.signed_by.exists()
    with pytest.raises(ValidationError):  # a reason is required
        actions.request_unlock(Mark.objects.exclude(pk=mark.pk).first(), " ", acting_user=officer)


def test_marking_closes_only_when_every_mark_is_signed(tree):
    event, panel, entries = marked_event(tree, tree.town_a, entrants=2)
    mark_all(event, panel, entries[:1])
    with pytest.raises(ValidationError, match="3 of 6|6 项评分中有 3 项"):
        actions.step(event.competition, "close_marking", acting_user=SYSTEM)


def test_results_rank_ties_go_to_the_jury_and_only_the_jury_publishes(tree, make_user):
    event, panel, entries = marked_event(tree, tree.town_a, entrants=4)
    a, b, c, d = entries
    mark_all(event, panel, [a, b], judged=(3, 3, 3), completed=4)
    mark_all(event, panel, [c, d], judged=(2, 2, 3), completed=3)
    for e, theory in ((a, 80), (b, 80), (c, 90), (d, 70)):
        Entry.objects.filter(pk=e.pk).update(theory=theory, practical_seconds=3600)
    competition = event.competition
    actions.step(competition, "close_marking", acting_user=SYSTEM)
    got = {e.pk: e for e in Entry.objects.filter(event=event)}
    # Practical: a, b 0.75 + 59.25 + 40 = 100; c, d 7/12 + 59.25 + 30.
    assert got[a.pk].practical == Decimal("100") and got[a.pk].total == Decimal("94")
    assert got[c.pk].total == Decimal("89.883333")  # 0.3 × 90 + 0.7 × (7/12 + 89.25)
    assert got[a.pk].rank == got[b.pk].rank == 1 and got[a.pk].tied and got[b.pk].tied
    assert got[c.pk].rank == 3 and got[d.pk].rank == 4 and not got[c.pk].tied
    assert got[a.pk].award == "" and got[c.pk].award == "third"  # a tie waits for the jury

    jury, other = make_user("district_admin", tree.district), make_user("town_officer", tree.town_a)
    competition.jury.add(jury)
    with pytest.raises(ValidationError, match="tie|并列"):
        actions.step(competition, "publish", acting_user=jury)
    with pytest.raises(ValidationError):  # entries not tied with each other
        actions.decide_tie([a, c], acting_user=jury)
    actions.decide_tie([b, a], acting_user=jury)
    got = {e.pk: e for e in Entry.objects.filter(event=event)}
    assert (got[b.pk].rank, got[a.pk].rank) == (1, 2) and not got[a.pk].tied
    assert (got[b.pk].award, got[a.pk].award, got[c.pk].award) == ("first", "second", "third")

    recheck = actions.draw_recheck(event, acting_user=SYSTEM)
    assert recheck.entries.count() == 4  # the top ten, here everyone
    with pytest.raises(ValidationError, match="recheck|复核"):
        actions.step(competition, "publish", acting_user=jury)
    actions.record_recheck(recheck, checked=4, wrong=0, acting_user=SYSTEM)
    chief = next(j for j in panel if j.seats.get(event=event).chief)
    actions.confirm_recheck(recheck, acting_user=chief.user)
    with pytest.raises(ValidationError, match="jury|评审委员会"):
        actions.step(competition, "publish", acting_user=other)
    actions.step(competition, "publish", acting_user=jury, on=dt.date(2020, 6, 5))
    competition.refresh_from_db()
    assert competition.status == Competition.Status.PUBLISHED
    assert competition.appeals_until == dt.date(2020, 6, 12)  # five working days


def test_promotion_from_the_rules_capped_and_once(tree, make_user):
    event, panel, entries = marked_event(tree, tree.town_a, entrants=2)
    mark_all(event, panel, entries)
    competition = event.competition
    actions.step(competition, "close_marking", acting_user=SYSTEM)
    set_status(competition, Competition.Status.FROZEN)
    Entry.objects.filter(event=event).update(tied=False)
    top = entries[0].entrants.get().member
    from gongjia.members.models import Member

    Member.objects.filter(pk=top.pk).update(skill_level=SkillLevel.LEVEL1)
    officer = make_user("town_officer", tree.town_a)
    made = actions.promote(event, acting_user=officer)
    levels = {p.member_id: p.to_level for p in made}
    other = entries[1].entrants.get().member
    assert levels == {other.pk: SkillLevel.LEVEL2}  # the 高级技师 stays where the cap is
    assert Member.objects.get(pk=other.pk).skill_level == SkillLevel.LEVEL2
    assert actions.promote(event, acting_user=officer) == []  # once


def test_an_entry_checks_the_events_eligibility(tree):
    event, _panel, _entries = marked_event(tree, tree.town_a, entrants=0)
    set_status(event.competition, Competition.Status.REGISTRATION)
    event.eligibility = {"max_age": 35, "min_level": SkillLevel.LEVEL4}
    event.save()
    member = make_member(tree, tree.town_a, skill_level=SkillLevel.LEVEL5)
    member.birth_date = dt.date(1975, 3, 1)  # 45 on the first day
    member.save()
    with pytest.raises(ValidationError) as e:
        actions.register_entry(event, [member.pk], acting_user=SYSTEM)
    text = " ".join(e.value.messages)
    assert member.name in text and "45" in text and "35" in text
    young = make_member(tree, tree.town_a, skill_level=SkillLevel.LEVEL4)
    young.birth_date = dt.date(1995, 1, 1)
    young.save()
    actions.register_entry(event, [young.pk], acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="already|已"):
        actions.register_entry(event, [young.pk], acting_user=SYSTEM)


@pytest.mark.django_db(transaction=True)
def test_three_judges_saving_the_same_aspect_at_once_make_one_mark(tree):
    """Each judge's score is kept, one mark row is made, and the one who completes the panel
    computes it, whatever the order the three arrive in."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    event, panel, (entry, *_rest) = marked_event(tree, tree.town_a, entrants=1)
    judged = aspects(event)[0]
    barrier, errors = threading.Barrier(3), []

    def score(judge, value):
        try:
            barrier.wait()
            actions.enter_score(entry, judged, value, acting_user=judge.user)
        except Exception as e:  # noqa: BLE001  reported below
            errors.append(repr(e))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=score, args=p) for p in zip(panel, (2, 2, 3), strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    mark = Mark.objects.get(entry=entry, aspect=judged)
    assert mark.scores.count() == 3 and mark.status == Mark.Status.ENTERED
    assert mark.value == Fraction(7, 12)


def test_the_events_form_sets_its_eligibility_as_fields(tree, make_user, client):
    from django.urls import reverse

    from gongjia.skills.testing import make_event

    event = make_event(tree, tree.town_a)
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    url = reverse("admin:skills_event_change", args=[event.pk])
    page = client.get(url).content.decode()
    assert "最高年龄" in page and "eligibility" not in page
    data = {
        "competition": event.competition_id,
        "trade": event.trade_id,
        "skill_level": "0",
        "team_size": "1",
        "union_member": "on",
        "min_age": "30",
        "max_age": "25",
        "min_level": str(SkillLevel.LEVEL4),
        "panel-TOTAL_FORMS": "0",
        "panel-INITIAL_FORMS": "0",
    }
    page = client.post(url, data)
    assert page.status_code == 200 and "不低于最低年龄" in page.content.decode()
    data["max_age"] = "45"
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    event.refresh_from_db()
    assert event.eligibility == {
        "union_member": True,
        "min_age": 30,
        "max_age": 45,
        "min_level": SkillLevel.LEVEL4,
    }
    page = client.get(url).content.decode()
    assert 'name="min_age" value="30"' in page
