"""The archive procedure (assistance.md §2) and its dynamic management (§3)."""

from django.utils.translation import gettext_lazy as _

from gongjia.assistance import steps
from gongjia.assistance.models import Household, ReliefApplication
from gongjia.platform import consent
from gongjia.platform.workflow import Transition, Workflow

H = Household.Status
# The signed household economic-status check authorisation doubles as the separate written
# consent for sensitive data (PIPL arts. 28-29).
CONSENT_PURPOSE = "困难职工家庭经济状况核对及建档"


def authorised(household) -> bool:
    """Whether the signed economic-check authorisation is on record (the application's own
    consent is not enough for the home visit)."""
    return bool(household.pk) and consent.has_active(household, CONSENT_PURPOSE, separate=True)


def _no_consent(household):
    if authorised(household):
        return None
    return _("Record the signed authorisation (separate consent) before the home visit is done.")


def _not_archivable(household):
    if not household.category:
        return _("The household meets no hardship category: it cannot be archived.")
    from django.utils import timezone

    from gongjia.assistance.rules import filing_blockers

    blockers = filing_blockers(household, timezone.localdate())
    return " ".join(blockers) if blockers else None


household_workflow = Workflow(
    states=H,
    transitions=[
        # The base union checks and visits (the "check" permission, which its officers hold);
        # the higher union confirms, someone else than who checked; the one who prepared the
        # notice does not also archive.
        Transition(
            "check", (H.APPLIED,), H.CHECKED, _("Checked by the base union"), permission="check"
        ),
        Transition(
            "visit",
            (H.CHECKED,),
            H.VISITED,
            _("Home visit done, authorisation signed"),
            permission="check",
            guard=_no_consent,
            unblock="authorisation",
        ),
        Transition(
            "confirm",
            (H.VISITED,),
            H.CONFIRMED,
            _("Confirmed by the higher union"),
            permission="approve",
            not_by=("check", "visit"),
        ),
        Transition("economic_ok", (H.CONFIRMED,), H.VERIFIED, _("Economic check passed")),
        Transition(
            "start_notice",
            (H.VERIFIED,),
            H.NOTICE,
            _("Start the public notice"),
            prepare=steps.notice_period,
        ),
        Transition(
            "archive",
            (H.NOTICE,),
            H.ARCHIVED,
            _("Archive (no objection)"),
            not_by=("economic_ok", "start_notice"),
            guard=_not_archivable,
            check=steps.notice_over,
            prepare=steps.archived,
            after=steps.in_archive,
        ),
        Transition(
            "send_back",
            (H.CHECKED, H.VISITED, H.CONFIRMED),
            H.APPLIED,
            _("Send back to complete"),
            note_required=True,
        ),
        Transition(
            "refuse",
            (H.APPLIED, H.CHECKED, H.VISITED, H.CONFIRMED, H.VERIFIED, H.NOTICE),
            H.REJECTED,
            _("Not archived (check failed, objection upheld or an exclusion)"),
            note_required=True,
            style="danger",
        ),
        Transition(
            "exit",
            (H.ARCHIVED,),
            H.EXITED,
            _("Leave the archive"),
            required=("exit_reason",),
            prepare=steps.leaving,
            after=steps.left,
        ),
        Transition(
            "relapse",
            (H.EXITED,),
            H.ARCHIVED,
            _("Back in hardship: reopen the same archive"),
            note_required=True,
            prepare=steps.reopening,
            after=steps.in_archive,
        ),
    ],
)


R = ReliefApplication.Status


def _relief(name: str):
    """A hook of the ledger module, reached when a step runs (that module imports this one)."""

    def hook(step):
        from gongjia.assistance import relief

        return getattr(relief, name)(step)

    return hook


# Approval writes the ledger whichever way it is taken: the back office, the API or relief.approve.
relief_workflow = Workflow(
    states=R,
    transitions=[
        Transition(
            "approve",
            (R.SUBMITTED,),
            R.APPROVED,
            _("Approve and pay"),
            permission="approve",
            check=_relief("four_eyes"),
            prepare=_relief("decided"),
            after=_relief("write_ledger"),
        ),
        Transition(
            "refuse",
            (R.SUBMITTED,),
            R.REFUSED,
            _("Refuse"),
            permission="approve",
            note_required=True,
            style="danger",
            prepare=_relief("decided"),
        ),
        Transition("withdraw", (R.SUBMITTED,), R.WITHDRAWN, _("Withdraw"), note_required=True),
    ],
)
