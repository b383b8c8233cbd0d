"""Typed events: each app declares its event types; a status change is a transition, anything
else a record event; the worker's portal timeline shows the steps and the public types only."""

import datetime as dt

from gongjia.platform import events
from gongjia.platform.models import AuditEvent
from gongjia.platform.scope import SYSTEM
from gongjia.rights import actions


def test_every_event_type_is_declared_once_with_a_label():
    types = events.types()
    assert {"open_case", "limitation_event", "open_household", "apply", "move"} <= set(types)
    for t in types.values():
        assert str(t.label) and t.kind in (AuditEvent.Kind.TRANSITION, AuditEvent.Kind.RECORD)
    # Only status changes are transitions.
    assert types["open_case"].kind == AuditEvent.Kind.TRANSITION
    assert types["limitation_event"].kind == AuditEvent.Kind.RECORD


def test_internal_notes_stay_out_of_the_workers_timeline(tree, make_user, client):
    worker = make_user("worker", tree.union_a)
    case = actions.open_case(
        acting_user=SYSTEM,
        requester=worker,
        unit=tree.town_a,
        channel="portal",
        employer_name="某公司",
        summary="拖欠工资",
        known_on=dt.date(2026, 2, 1),
        workers=[{"name": "职工甲"}],
        claims=[{"kind": "wages", "amount": "1000"}],
    )
    actions.record_limitation_event(
        case,
        acting_user=SYSTEM,
        kind="interruption",
        on=dt.date(2026, 3, 5),
        note="内部：老板口头承认欠薪",
    )
    entry = AuditEvent.objects.get(action="limitation_event")
    assert entry.kind == AuditEvent.Kind.RECORD
    client.force_login(worker, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get(f"/portal/rights/{case.pk}/").content.decode()
    assert "老板口头承认欠薪" not in page
    assert case.get_status_display() in page  # the opening, a status change, is shown

    # The back office shows every entry, each by its label, never a raw key.
    officer = make_user("town_officer", tree.town_a)
    client.force_login(officer, backend="gongjia.accounts.backends.RoleBackend")
    page = client.get(f"/admin/rights/disputecase/{case.pk}/change/").content.decode()
    assert "记录事项 · 时效中断或中止" in page and "· limitation_event" not in page
    assert "字段变更 · 新建记录" in page and "· create" not in page  # the sealed field changes
