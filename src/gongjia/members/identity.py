"""A worker's portal account and their identity: self-registration, the identity declared once
on the account, and its link to the member record with the same ID number.

The account is linked at once when the member record with that ID number also carries the same
name and mobile number (what only the person and their union know together); otherwise the link
waits for an officer of the member's union, who sees it among their to-dos and links it on the
member's page. The identity on an account is set once: a portal application takes its name and ID
number from it and cannot be made in another person's name.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongjia.accounts import actions as accounts
from gongjia.accounts.models import User
from gongjia.members.events import ACCOUNT_LINKED
from gongjia.members.models import Member
from gongjia.platform import audit, events, pii, scope, validators
from gongjia.platform.models import AuditEvent


def checked(full_name: str, id_number: str, mobile: str) -> tuple[str, str, str]:
    """The identity as stored (name stripped, ID number and mobile normalised), or one error
    per field that names what to fix."""
    errors = {}
    name = (full_name or "").strip()
    if not name:
        errors["full_name"] = [_("Write your name as on your ID card.")]
    elif len(name) > 50:
        errors["full_name"] = [_("A name has at most 50 characters.")]
    try:
        id_number = validators.parse_id_number(id_number).value
    except ValidationError as e:
        errors["id_number"] = e.messages
    try:
        mobile = validators.validate_mobile(mobile)
    except ValidationError as e:
        errors["mobile"] = e.messages
    if errors:
        raise ValidationError(errors)
    return name, id_number, mobile


def account_of(member: Member) -> User | None:
    """The portal account declaring this member's ID number (linked or waiting to be)."""
    return User.objects.filter(**pii.lookup(User, "id_number", member.id_number)).first()


def _link(member: Member, user: User, *, acting_user) -> Member:
    member.user = user
    member.save(update_fields=["user"])
    if not any(a.role == "worker" for a in user.role_assignments()):
        accounts.grant_role(user, "worker", member.union, acting_user=scope.SYSTEM)
    events.record(ACCOUNT_LINKED, actor=acting_user, obj=member, data={"user": user.pk})
    return member


@transaction.atomic
def declare_identity(user: User, *, full_name: str, id_number: str, mobile: str):
    """Set the account's identity (once) and link it to the member record where it matches.
    Returns the linked member, or None (no record, or the link waits for the union)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.id_number:
        raise ValidationError(
            {"id_number": [_("Your account's identity is already set; your union corrects it.")]}
        )
    name, id_number, mobile = checked(full_name, id_number, mobile)
    taken = ValidationError(
        {
            "id_number": [
                _(
                    "An account with this ID number exists already: sign in with it, or ask "
                    "your union to reset its password."
                )
            ]
        }
    )
    if User.objects.filter(**pii.lookup(User, "id_number", id_number)).exists():
        raise taken
    user.full_name, user.id_number, user.mobile = name, id_number, mobile
    try:
        with transaction.atomic():
            user.save(update_fields=["full_name", "id_number", "id_number_bidx", "mobile"])
    except IntegrityError:
        raise taken from None  # registered by someone else since the check above
    audit.record(AuditEvent.Kind.SECURITY, "identity_declared", actor=user, obj=user)
    member = Member.objects.filter(**pii.lookup(Member, "id_number", id_number)).first()
    if member and member.user_id is None and member.name == name and member.mobile == mobile:
        return _link(member, user, acting_user=user)
    return None


@transaction.atomic
def register_worker(*, username: str, password: str, full_name: str, id_number: str, mobile: str):
    """A worker's own portal account: (user, linked member or None)."""
    checked(full_name, id_number, mobile)  # every field checked before anything is made
    user, _secret = accounts.create_user(
        username, acting_user=scope.SYSTEM, password=password, must_change_password=False
    )
    return user, declare_identity(user, full_name=full_name, id_number=id_number, mobile=mobile)


@transaction.atomic
def link_account(member: Member, *, acting_user) -> Member:
    """An officer of the member's union links the waiting portal account to the record."""
    scope.require(acting_user, "change", member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.user_id is not None:
        raise ValidationError(_("This member's record is linked to a portal account already."))
    user = account_of(member)
    if user is None:
        raise ValidationError(_("No portal account declares this member's ID number."))
    if Member.objects.filter(user=user).exists():
        raise ValidationError(_("That portal account is linked to another member record."))
    return _link(member, user, acting_user=acting_user)
