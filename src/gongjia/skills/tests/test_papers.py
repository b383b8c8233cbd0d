"""A competition's certificates and results list print once the jury has published the results,
not before (the page says why), in Chinese, the certificate as a PDF too."""

from django.urls import reverse

from gongjia.platform.admin_base import url_name
from gongjia.platform.scope import SYSTEM
from gongjia.skills import actions
from gongjia.skills.models import Competition, Entry
from gongjia.skills.testing import mark_all, marked_event, set_status


def _print_url(obj, key, pdf=False):
    return reverse(url_name(obj, "print"), args=[obj.pk, key]) + ("?pdf=1" if pdf else "")


def test_certificates_and_the_results_list_print_once_published(tree, make_user, client):
    event, panel, entries = marked_event(tree, tree.town_a, entrants=3)
    mark_all(event, panel, entries[:2], judged=(3, 3, 3))
    mark_all(event, panel, entries[2:], judged=(2, 2, 3))
    actions.step(event.competition, "close_marking", acting_user=SYSTEM)
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    best = Entry.objects.filter(event=event).order_by("rank", "number").first()

    page = client.get(reverse(url_name(best, "change"), args=[best.pk])).content.decode()
    assert "证书" in page and "评审委员会公布成绩后" in page  # greyed, with the reason
    assert _print_url(best, "skills.certificate") not in page
    assert client.get(_print_url(event, "skills.results_list")).status_code in (302, 400)

    set_status(event.competition, Competition.Status.PUBLISHED)
    Entry.objects.filter(event=event).update(tied=False)
    page = client.get(_print_url(best, "skills.certificate")).content.decode()
    names = "、".join(e.member.name for e in best.entrants.select_related("member"))
    assert names in page and f"名列第 {best.rank} 名" in page and "None" not in page
    pdf = client.get(_print_url(best, "skills.certificate", pdf=True))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    listing = client.get(_print_url(event, "skills.results_list")).content.decode()
    assert "成绩公示" in listing or "成绩单" in listing
    for e in Entry.objects.filter(event=event):
        assert e.entrants.get().member.name in listing


def test_the_events_page_shows_results_to_the_jury_first_then_to_all(tree, make_user, client):
    event, panel, entries = marked_event(tree, tree.town_a, entrants=2)
    mark_all(event, panel, entries)
    actions.step(event.competition, "close_marking", acting_user=SYSTEM)
    officer, jury = make_user("town_officer", tree.town_a), make_user("town_officer", tree.town_a)
    event.competition.jury.add(jury)
    url = reverse("admin:skills_event_change", args=[event.pk])
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    assert 'id="results"' not in client.get(url).content.decode()
    client.force_login(jury, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get(url).content.decode()
    assert 'id="results"' in page and "尚未公布" in page and "标准化分数" in page
    best = Entry.objects.filter(event=event).order_by("rank", "number").first()
    assert _print_url(best, "skills.certificate") not in page
    set_status(event.competition, Competition.Status.PUBLISHED)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get(url).content.decode()
    assert _print_url(best, "skills.certificate") in page and "None" not in page
