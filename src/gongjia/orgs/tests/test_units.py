from gongjia.orgs import actions
from gongjia.orgs.models import OrgUnit


def test_a_unit_with_a_legacy_invalid_credit_code_can_still_be_deregistered(tree, make_user):
    """A status step judges the step, not the record's other data again."""
    OrgUnit.objects.filter(pk=tree.union_a.pk).update(credit_code="旧代码12345")
    officer = make_user("town_officer", tree.town_a)
    actions.transition_unit(tree.union_a, "deregister", acting_user=officer, note="企业注销")
    tree.union_a.refresh_from_db()
    assert tree.union_a.status == "deregistered"
