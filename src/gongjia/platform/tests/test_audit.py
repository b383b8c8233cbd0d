import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection

from gongjia.orgs import actions
from gongjia.platform import audit
from gongjia.platform.models import AppendOnlyError, AuditEvent


@pytest.fixture
def changes(tree, make_user):
    officer = make_user("town_officer", tree.town_a)
    actions.update_unit(tree.union_a, acting_user=officer, chair_name="李明")
    actions.transition_unit(tree.union_a, "deregister", acting_user=officer, note="企业注销")
    return officer


def test_field_change_is_logged_with_old_and_new_values_and_sealed(tree, changes):
    le = LogEntry.objects.get_for_object(tree.union_a).filter(action=LogEntry.Action.UPDATE)
    assert any(e.changes.get("chair_name", [None, None])[1] == "李明" for e in le)
    sealed = AuditEvent.objects.filter(kind="change", object_id=str(tree.union_a.pk))
    assert sealed.exists()
    step = AuditEvent.objects.get(kind="transition", action="deregister")
    assert step.data["from"] == "active" and step.data["to"] == "deregistered"
    assert step.data["note"] == "企业注销" and step.actor == changes
    assert audit.verify()[1] is None
    call_command("verify_audit")


def test_editing_an_entry_is_detected_and_named(tree, changes):
    victim = AuditEvent.objects.filter(kind="transition").first()
    with connection.cursor() as c:
        c.execute(
            "UPDATE platform_auditevent SET actor_name = 'someone' WHERE id = %s", [victim.pk]
        )
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("verify_audit")


def test_deleting_an_entry_is_detected(tree, changes):
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    middle = ids[len(ids) // 2]
    with connection.cursor() as c:
        c.execute("DELETE FROM platform_auditevent WHERE id = %s", [middle])
    checked, broken = audit.verify()
    assert broken is not None and broken.entry_id == ids[ids.index(middle) + 1]


def test_editing_a_field_change_row_is_detected(tree, changes):
    le = LogEntry.objects.get_for_object(tree.union_a).first()
    with connection.cursor() as c:
        c.execute(
            """UPDATE auditlog_logentry SET changes = '{"chair_name": ["a", "b"]}' """
            "WHERE id = %s",
            [le.pk],
        )
    assert audit.verify()[1] is not None


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(tree, changes):
    e = AuditEvent.objects.first()
    with pytest.raises(AppendOnlyError):
        e.save()
    with pytest.raises(AppendOnlyError):
        e.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")


def test_purge_refuses_entries_younger_than_the_retention(tree, changes):
    recent = dt.date.today() - dt.timedelta(days=10)
    with pytest.raises(CommandError, match="180"):
        call_command("purge_audit", "--before", recent.isoformat())


def test_purge_of_old_entries_keeps_the_chain_verifiable(tree, changes):
    old = AuditEvent.objects.order_by("id")[:3]
    ids = [e.pk for e in old]
    with connection.cursor() as c:  # age the first entries as if written a year ago
        c.execute(
            "UPDATE platform_auditevent SET created_at = %s WHERE id IN (%s, %s, %s)",
            [dt.datetime(2025, 1, 1, tzinfo=dt.UTC), *ids],
        )
    # re-seal after the ageing (the test simulates old entries, not tampering)
    rows = list(AuditEvent.objects.order_by("id"))
    prev = ""
    with connection.cursor() as c:
        for r in rows:
            h = audit._hash(prev, r)
            c.execute(
                "UPDATE platform_auditevent SET prev_hash=%s, hash=%s WHERE id=%s", [prev, h, r.pk]
            )
            prev = h
    call_command("purge_audit", "--before", "2025-06-01")
    assert not AuditEvent.objects.filter(pk__in=ids).exists()
    assert audit.verify()[1] is None


def _rehash_without_the_key(start_id: int):
    """What someone with the database but not the key can do: re-hash the rows after a
    deletion with SHA-256 (or any key of their own)."""
    rows = list(AuditEvent.objects.filter(id__gte=start_id).order_by("id"))
    prev = AuditEvent.objects.filter(id__lt=start_id).order_by("-id").first().hash
    with connection.cursor() as c:
        for r in rows:
            h = audit._legacy_hash(prev, r)
            c.execute(
                "UPDATE platform_auditevent SET prev_hash=%s, hash=%s WHERE id=%s", [prev, h, r.pk]
            )
            prev = h


def test_a_deletion_re_hashed_without_the_key_is_detected(tree, changes):
    reveal = audit.record(AuditEvent.Kind.REVEAL, "reveal", actor=changes, data={"field": "x"})
    audit.record(AuditEvent.Kind.SECURITY, "login", actor=changes)
    with connection.cursor() as c:
        c.execute("DELETE FROM platform_auditevent WHERE id = %s", [reveal.pk])
    _rehash_without_the_key(reveal.pk + 1)
    checked, broken = audit.verify()
    assert broken is not None and broken.reason == "the entry was altered"


def test_a_deletion_re_hashed_with_the_key_misses_its_anchor(tree, changes):
    reveal = audit.record(AuditEvent.Kind.REVEAL, "reveal", actor=changes, data={"field": "x"})
    audit.record(AuditEvent.Kind.SECURITY, "login", actor=changes)
    audit.write_anchor()
    with connection.cursor() as c:
        c.execute("DELETE FROM platform_auditevent WHERE id = %s", [reveal.pk])
        rows = list(AuditEvent.objects.filter(id__gt=reveal.pk).order_by("id"))
        prev = AuditEvent.objects.filter(id__lt=reveal.pk).order_by("-id").first().hash
        for r in rows:
            h = audit._hash(prev, r)
            c.execute(
                "UPDATE platform_auditevent SET prev_hash=%s, hash=%s WHERE id=%s", [prev, h, r.pk]
            )
            prev = h
    assert audit._verify_links(5000)[1] is None  # the links alone would look intact
    broken = audit.verify()[1]
    assert broken is not None and "rewritten" in broken.reason


def test_truncating_the_last_entries_misses_the_anchor(tree, changes):
    audit.record(AuditEvent.Kind.SECURITY, "login", actor=changes)
    last = audit.record(AuditEvent.Kind.SECURITY, "logout", actor=changes)
    call_command("verify_audit")  # intact, and anchored at its head
    with connection.cursor() as c:
        c.execute("DELETE FROM platform_auditevent WHERE id >= %s", [last.pk - 1])
    assert audit._verify_links(5000)[1] is None
    with pytest.raises(CommandError, match="missing"):
        call_command("verify_audit")


def test_the_anchor_is_written_outside_the_database_and_to_the_log(tree, changes, caplog):
    with caplog.at_level("INFO", logger="gongjia.audit"):
        anchor = audit.write_anchor()
    assert audit.latest_anchor() == anchor and anchor["count"] == AuditEvent.objects.count()
    assert str(anchor["last_hash"]) in caplog.text


def test_the_auditor_reads_an_entry_in_words(tree, changes, make_user, login_client):
    """A field change by its field's old and new value, a step by its states and note: never
    the sealed row's digest or the raw action."""
    auditor = login_client(make_user("audit_admin", tree.district))
    change = next(
        e
        for e in AuditEvent.objects.filter(kind="change", object_id=str(tree.union_a.pk))
        if "chair_name" in LogEntry.objects.get(pk=e.data["log_entry"]).changes_dict
    )
    page = auditor.get(f"/admin/platform/auditevent/{change.pk}/change/").content.decode()
    details = page.split("详情")[1][:1500]
    assert re.search(r"：(—|-) → 李明<", details), details
    assert change.data["digest"] not in page and "log_entry" not in page
    step = AuditEvent.objects.get(kind="transition", action="deregister")
    page = auditor.get(f"/admin/platform/auditevent/{step.pk}/change/").content.decode()
    details = page.split("详情")[1][:1500]
    assert "原状态：正常" in details and "新状态：已注销" in details, details
    assert "备注：企业注销" in details, [c for c in details if ord(c) > 127]
    assert "deregister" not in page
