import itertools

from django.contrib.contenttypes.models import ContentType

from gongjia.accounts.models import RoleAssignment, User
from gongjia.platform.models import Consent
from gongjia.platform.testing import factory

_seq = itertools.count(1)


@factory(RoleAssignment)
def make_role(tree, town):
    user = User.objects.create(username=f"{town.code}-role-{next(_seq)}")
    return RoleAssignment.objects.create(user=user, role="union_officer", unit=town)


@factory(Consent)
def make_consent(tree, town):
    user = User.objects.create(username=f"{town.code}-subject-{next(_seq)}")
    return Consent.objects.create(
        unit=town,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        subject_name=f"{town.code}-person",
        purpose="测试",
        notice_version="v1",
        separate=True,
        method="written",
        recorded_by=user,
    )


@factory(User)
def make_user_account(tree, town):
    user = User.objects.create(username=f"{town.code}-user-{next(_seq)}", full_name="张三")
    RoleAssignment.objects.create(user=user, role="union_officer", unit=town)
    return user
