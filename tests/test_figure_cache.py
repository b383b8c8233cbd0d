"""A figure is kept until a write changes a table it was computed from: served without its
queries while nothing changed, exact at once after a committed write (through an action, a bulk
update that sends no signal, or another thread's connection), and exact inside the transaction
that wrote, even if it then rolls back. The contract test and the live site's test hold the same
over the demo district and across processes."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjia.members import actions
from gongjia.members.models import Member
from gongjia.members.testing import id_number
from gongjia.platform import figure_cache, kpis
from gongjia.platform.scope import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer(tree, make_user):
    figure_cache.forget()
    return make_user("town_officer", tree.town_a)


def total(user):
    return kpis.evaluate(user, keys=["members.total"])[0]["value"]


def join(tree, n):
    return actions.register(
        acting_user=SYSTEM,
        union=tree.union_a,
        name=f"缓存{n}",
        id_number=id_number(800 + n),
        join_date=timezone.localdate().isoformat(),
    )


def test_a_kept_figure_is_served_without_its_queries(tree, officer):
    join(tree, 1)
    first = total(officer)
    assert first == 1
    with CaptureQueriesContext(connection) as q:
        assert total(officer) == first
    members = [x["sql"] for x in q.captured_queries if "members_member" in x["sql"]]
    assert members == [], members  # only the tables' versions were read


def test_a_committed_write_changes_the_figure_at_once(tree, officer):
    join(tree, 1)
    before = total(officer)
    m = join(tree, 2)
    assert total(officer) == before + 1
    # A bulk update sends no signal; the connection still sees it.
    Member.objects.filter(pk=m.pk).update(status=Member.Status.WITHDRAWN)
    assert total(officer) == before
    Member.objects.filter(pk=m.pk).update(status=Member.Status.ACTIVE)
    assert total(officer) == before + 1


def test_a_write_on_another_connection_changes_the_figure(tree, officer):
    before = total(officer)

    def elsewhere():
        try:
            join(tree, 3)
        finally:
            connection.close()

    t = threading.Thread(target=elsewhere)
    t.start()
    t.join()
    assert total(officer) == before + 1


def test_inside_the_writing_transaction_and_after_its_rollback(tree, officer):
    before = total(officer)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        join(tree, 4)
        assert total(officer) == before + 1  # the write is not committed, yet counted
        raise Undo
    assert total(officer) == before


def test_the_scope_is_part_of_what_is_kept(tree, officer, make_user):
    other = make_user("town_officer", tree.town_b)
    join(tree, 5)
    assert total(officer) == 1
    assert total(other) == 0


def test_a_page_kept_whole_ages_with_the_figures_it_was_made_of(tree, officer):
    """An answer kept whole (every figure of a page) that was made of figures already kept
    depends on their tables all the same."""
    join(tree, 6)
    ind = kpis.registry()["members.total"]
    assert kpis._value(ind, officer, None) == 1  # the figure kept on its own first
    assert total(officer) == 1  # the page made of it, kept whole
    join(tree, 7)
    assert total(officer) == 2


def test_the_to_do_list_is_kept_until_what_it_counts_changes(tree, make_user):
    from gongjia.platform import todos

    officer = make_user("union_officer", tree.union_a)

    def applications():
        found = [t for t in todos.waiting(officer) if t["key"] == "members.applications"]
        return found[0]["count"] if found else 0

    assert applications() == 0
    actions.register(
        acting_user=SYSTEM,
        union=tree.union_a,
        name="申请人",
        id_number=id_number(899),
        status=Member.Status.APPLIED,
    )
    assert applications() == 1


def test_several_asking_at_once_cost_one_computation(tree, officer):
    import time

    made = []

    def compute():
        made.append(1)
        time.sleep(0.3)  # long enough for the others to arrive while it runs
        return Member.objects.count()

    answers = []

    def ask():
        try:
            answers.append(figure_cache.remembered(("once",), compute))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [0] * 6 and len(made) == 1
