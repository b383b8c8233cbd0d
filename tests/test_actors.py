"""The one actor and permission contract: every action names its actor (a user, or the platform
itself as `SYSTEM`); one check of scope; one gate before personal data is shown in full."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjia.members import actions as members
from gongjia.members.models import Member
from gongjia.members.testing import id_number
from gongjia.orgs import actions as orgs
from gongjia.platform import pii, scope
from gongjia.platform.scope import SYSTEM


def register(union, actor, n=1):
    return members.register(acting_user=actor, union=union, name=f"职工{n}", id_number=id_number(n))


def test_an_action_without_its_actor_refuses_to_run(tree):
    with pytest.raises(TypeError, match="actor"):
        register(tree.union_a, None)
    with pytest.raises(TypeError, match="actor"):
        orgs.update_unit(tree.union_a, acting_user=None, chair_name="某")
    assert not Member.objects.exists()


def test_the_platform_acts_anywhere_and_is_recorded_as_no_person(tree, make_user):
    m = register(tree.union_b, SYSTEM)
    assert m.union == tree.union_b
    assert scope.person(SYSTEM) is None
    officer = make_user("town_officer", tree.town_a)
    assert scope.person(officer) is officer
    assert scope.restrict(Member.objects.all(), SYSTEM).count() == 1


def test_one_check_of_scope_for_rows_and_for_units(tree, make_user):
    officer = make_user("town_officer", tree.town_a)
    register(tree.union_a, officer, 1)
    with pytest.raises(PermissionDenied):
        register(tree.union_b, officer, 2)  # adding under another town's union
    other = register(tree.union_b, SYSTEM, 3)
    with pytest.raises(PermissionDenied):
        scope.require(officer, "change", other)
    scope.require(officer, "add", tree.union_a, model=Member)
    with pytest.raises(PermissionDenied):
        scope.require_perm(officer, "orgs.add_region")  # reference data: the district's


def test_one_gate_before_personal_data_is_shown_in_full(tree, make_user):
    officer = make_user("town_officer", tree.town_a)
    mine, theirs = register(tree.union_a, SYSTEM, 1), register(tree.union_b, SYSTEM, 2)
    with pytest.raises(ValidationError):
        pii.reveal(mine, "id_number", acting_user=officer, purpose="")  # no purpose
    assert pii.reveal(mine, "id_number", acting_user=officer, purpose="核对身份") == id_number(1)
    with pytest.raises(PermissionDenied):
        pii.reveal(theirs, "id_number", acting_user=officer, purpose="核对身份")
    assert (pii.may_reveal(officer, mine), pii.may_reveal(officer, theirs)) == (True, False)
    assert list(pii.revealable(Member.objects.all(), officer)) == [mine]
    auditor = make_user("audit_admin", tree.district)  # reads audit only, never business data
    assert not pii.may_reveal(auditor, mine)
    with pytest.raises(PermissionDenied):
        pii.reveal(mine, "id_number", acting_user=auditor, purpose="核对身份")


def test_back_office_forms_check_through_the_actions(tree, make_user):
    """The household member form refuses a person already archived by the action's own check,
    naming the archive only to an officer who may see it."""
    from gongjia.assistance import actions as assistance
    from gongjia.assistance.admin.households import MemberForm
    from gongjia.assistance.models import HouseholdMember

    def household(union, n):
        return assistance.open_household(
            acting_user=SYSTEM,
            unit=union,
            head_name=f"困难{n}",
            address="人民路 1 号",
            primary_cause="illness",
            members=[
                {
                    "name": f"困难{n}",
                    "relationship": "self",
                    "id_number": id_number(n),
                    "work": "employed",
                },
            ],
        )

    h_b = household(tree.union_b, 70)
    h_a = household(tree.union_a, 71)
    data = {"name": "重复", "relationship": "spouse", "work": "employed", "id_number_input": ""}
    for user, names_archive in (
        (make_user("town_officer", tree.town_b), True),
        (make_user("town_officer", tree.town_a), False),
    ):
        form = type("F", (MemberForm,), {"user": user})(
            data={**data, "id_number_input": id_number(70)},
            instance=HouseholdMember(household=h_a),
        )
        assert not form.is_valid()
        message = " ".join(form.errors["id_number_input"])
        assert (h_b.number in message) is names_archive, message
