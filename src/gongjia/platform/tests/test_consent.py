import pytest
from django.core.exceptions import ValidationError

from gongjia.platform import consent
from gongjia.platform.models import AuditEvent


def test_consent_is_recorded_checked_and_withdrawn(tree, make_user):
    officer = make_user("union_officer", tree.union_a)
    person = make_user("worker", tree.union_a)
    assert not consent.has_active(person, "困难帮扶建档", separate=True)
    c = consent.record(
        person,
        unit=tree.union_a,
        subject_name="张伟",
        purpose="困难帮扶建档",
        notice_version="2026-1",
        separate=True,
        method="written",
        acting_user=officer,
    )
    assert consent.has_active(person, "困难帮扶建档", separate=True)
    consent.withdraw(c, acting_user=officer)
    assert not consent.has_active(person, "困难帮扶建档")
    assert AuditEvent.objects.filter(action__in=["consent_given", "consent_withdrawn"]).count() == 2


def test_consent_needs_purpose_and_a_unit_in_scope(tree, make_user):
    officer = make_user("union_officer", tree.union_a)
    person = make_user("worker", tree.union_a)
    with pytest.raises(ValidationError):
        consent.record(
            person,
            unit=tree.union_a,
            subject_name="张伟",
            purpose=" ",
            notice_version="v1",
            separate=True,
            method="written",
            acting_user=officer,
        )
    with pytest.raises(ValidationError):
        consent.record(
            person,
            unit=tree.union_b,
            subject_name="张伟",
            purpose="x",
            notice_version="v1",
            separate=True,
            method="written",
            acting_user=officer,
        )
