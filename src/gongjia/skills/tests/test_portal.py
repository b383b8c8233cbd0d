"""A worker's skill competitions in the portal: the competitions of their own town (not another
town's) with the individual events they may enter and why not the others; their entry with its
number; once published, their result, their certificate and an appeal within the window."""

import datetime as dt

from django.urls import reverse

from gongjia.members.models import Member
from gongjia.members.testing import make_member
from gongjia.platform.scope import SYSTEM
from gongjia.skills import actions
from gongjia.skills.models import Appeal, Competition, Entry
from gongjia.skills.testing import make_competition, make_event, set_status


def _worker(tree, make_user, client):
    worker = make_user("worker", tree.union_a)
    member = make_member(tree, tree.town_a)
    Member.objects.filter(pk=member.pk).update(user=worker)  # the linked portal account
    client.force_login(worker, backend="gongjia.accounts.backends.RoleBackend")
    return worker, member


def test_a_worker_enters_an_individual_event_of_their_own_town(tree, make_user, client):
    worker, member = _worker(tree, make_user, client)
    ours = make_competition(tree, tree.town_a, name="城厢技能比武")
    theirs = make_competition(tree, tree.town_b, name="别处技能比武")
    solo = make_event(tree, tree.town_a, competition=ours)
    team = make_event(tree, tree.town_a, competition=ours, team_size=3)
    young = make_event(tree, tree.town_a, competition=ours, eligibility={"max_age": 25})
    for c in (ours, theirs):
        set_status(c, Competition.Status.REGISTRATION)

    page = client.get(reverse("portal:skills-mine")).content.decode()
    assert "城厢技能比武" in page and "别处技能比武" not in page
    assert "团体赛由所在工会报名" in page  # the team event: no button, the reason
    assert "25" in page  # the age limit the worker is over
    assert reverse("portal:skills-enter", args=[solo.pk]) in page
    assert reverse("portal:skills-enter", args=[young.pk]) not in page

    r = client.post(reverse("portal:skills-enter", args=[solo.pk]), follow=True)
    entry = Entry.objects.get(event=solo)
    assert entry.entrants.get().member_id == member.pk
    assert f"参赛编号为 {entry.number}" in r.content.decode()
    again = client.post(reverse("portal:skills-enter", args=[solo.pk]), follow=True)
    assert Entry.objects.filter(event=solo).count() == 1 and "已" in again.content.decode()
    client.post(reverse("portal:skills-enter", args=[team.pk]))
    assert not Entry.objects.filter(event=team).exists()
    other = make_event(tree, tree.town_b, competition=theirs)
    client.post(reverse("portal:skills-enter", args=[other.pk]))
    assert not Entry.objects.filter(event=other).exists()


def test_published_results_a_certificate_and_an_appeal_in_the_portal(tree, make_user, client):
    worker, member = _worker(tree, make_user, client)
    event = make_event(tree, tree.town_a)
    set_status(event.competition, Competition.Status.REGISTRATION)
    entry = actions.register_entry(event, [member.pk], acting_user=SYSTEM)
    Entry.objects.filter(pk=entry.pk).update(rank=2, total=88.5, award="second")
    page = client.get(reverse("portal:skills-mine")).content.decode()
    assert "88.50" not in page  # not before the jury publishes
    cert = reverse("portal:skills-certificate", args=[entry.pk])
    assert cert not in page

    Competition.objects.filter(pk=event.competition_id).update(
        status=Competition.Status.PUBLISHED,
        published_on=dt.date(2020, 6, 5),
        appeals_until=dt.date(2099, 6, 12),
    )
    page = client.get(reverse("portal:skills-mine")).content.decode()
    assert "第 2 名" in page and "88.50" in page and "二等奖" in page and cert in page
    printed = client.get(cert).content.decode()
    assert member.name in printed and "二等奖" in printed
    client.post(reverse("portal:skills-appeal", args=[entry.pk]), {"grounds": "第二模块漏记"})
    assert Appeal.objects.get(entry=entry).grounds == "第二模块漏记"

    stranger = make_user("worker", tree.union_a)
    client.force_login(stranger, backend="gongjia.accounts.backends.RoleBackend")
    assert client.get(cert).status_code == 404
    client.post(reverse("portal:skills-appeal", args=[entry.pk]), {"grounds": "x"})
    assert Appeal.objects.filter(entry=entry).count() == 1
