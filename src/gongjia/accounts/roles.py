"""The stable role keys and what each may do.

Permissions are patterns over "<app>.<action>_<model>" names; a role held on a unit grants them
on that unit's branch (gongjia.platform.scope). The three administrators of 等保 2.0 (GB/T
22239-2019 8.1.5) are separated: none holds another role, none can alter audit records, the
audit administrator reads audit only, the security administrator grants roles but reads no
business data, the system administrator runs accounts but grants no roles.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.utils.translation import gettext_lazy as _

# Apps whose rows are business data (the programmes). Future apps join this list.
BUSINESS_APPS = (
    "orgs",
    "members",
    "rights",
    "assistance",
    "services",
    "honours",
    "skills",
    "training",
    "craftsmen",
    "campaigns",
    "publicity",
    "cockpit",
)
OWN_RECORDS = ("platform.view_job", "platform.*_notification", "platform.view_attachment")
# Mental-health data are sensitive (PIPL arts. 28–29): who booked a counselling room and the
# crises logged are granted only by a role that names them, never by a pattern over an app.
SENSITIVE = ("services.*_booking", "services.*_crisis")


def _all(*apps, actions="*"):
    return tuple(f"{a}.{actions}" for a in apps)


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    perms: tuple[str, ...]
    second_factor: bool = False
    back_office: bool = True
    separated_admin: bool = False

    def grants(self, perm: str) -> bool:
        if any(fnmatchcase(perm, p) for p in SENSITIVE):
            return any(fnmatchcase(perm, p) for p in self.perms if p in SENSITIVE)
        return any(fnmatchcase(perm, p) for p in self.perms)


_BUSINESS_READ = _all(*BUSINESS_APPS, actions="view_*")
# Regions are reference data: everyone reads them, only the district changes them.
_MANAGE = (
    *_all(*(a for a in BUSINESS_APPS if a != "orgs")),
    "orgs.*_orgunit",
    "orgs.*_enterprise",
    "orgs.view_region",
    "platform.*_consent",
    "platform.add_attachment",
)

# The second factor (GB/T 22239-2019 8.1.4.1 d) is required of every role whose scope is wider
# than one grassroots union or that may reveal personal data: every back-office role (a union
# officer reveals members' ID numbers); only the worker's own portal account goes without.
ROLES: dict[str, Role] = {
    r.key: r
    for r in [
        Role(
            "district_admin",
            _("District federation administrator"),
            (
                *_MANAGE,
                *OWN_RECORDS,
                "orgs.*_region",
                "accounts.view_user",
                "accounts.reveal_user",
            ),
            second_factor=True,
        ),
        Role(
            "town_officer",
            _("Town or street federation officer"),
            (*_MANAGE, *OWN_RECORDS),
            second_factor=True,
        ),
        Role(
            "union_officer",
            _("Grassroots union officer"),
            (
                *_BUSINESS_READ,
                *_all("orgs", "members", actions="change_*"),
                "orgs.export_*",
                "members.*",
                # The base union's part of a hardship file: its check and the home visit.
                "assistance.check_household",
                # The enterprise's union enrols its workers in the academy's classes.
                "training.add_enrolment",
                # The union puts forward its people, teams and methods, records party
                # development with consent, and applies for places for its members.
                "honours.add_nomination",
                "honours.add_pioneerunit",
                "honours.add_namedmethod",
                "honours.add_studio",
                "honours.change_studio",
                "honours.*_partydevelopment",
                "honours.add_careapplication",
                "honours.change_careapplication",
                "platform.*_consent",
                "platform.add_attachment",
                *OWN_RECORDS,
            ),
            second_factor=True,
        ),
        Role(
            "legal_staff",
            _("Lawyer or mediator"),
            ("orgs.view_*", "rights.*", "platform.add_attachment", *OWN_RECORDS),
            second_factor=True,
        ),
        Role(
            "judge",
            _("Competition judge"),
            (
                "orgs.view_orgunit",
                "skills.view_*",
                "skills.score_*",
                # A panel member of the craftsman title reads the nominations they score.
                "craftsmen.view_round",
                "craftsmen.view_nomination",
                *OWN_RECORDS,
            ),
            second_factor=True,
        ),
        Role(
            "counsellor",
            _("Counselling staff"),
            (
                "orgs.view_orgunit",
                "services.view_hotline",
                "services.*_counsellingroom",
                "services.*_counsellor",
                "services.*_scheduleslot",
                "services.*_session",
                *SENSITIVE,
                "platform.add_attachment",
                *OWN_RECORDS,
            ),
            second_factor=True,
        ),
        Role("worker", _("Worker"), (), back_office=False),
        Role(
            "system_admin",
            _("System administrator"),
            (
                "accounts.view_user",
                "accounts.add_user",
                "accounts.change_user",
                "accounts.view_roleassignment",
                "platform.view_heartbeat",
                "platform.*_officialyear",
                "platform.*_officialday",
                "django_tasks_db.view_dbtaskresult",
                "orgs.view_orgunit",
                *OWN_RECORDS,
            ),
            second_factor=True,
            separated_admin=True,
        ),
        Role(
            "security_admin",
            _("Security administrator"),
            (
                "accounts.view_user",
                "accounts.*_roleassignment",
                "platform.*_officialyear",
                "platform.*_officialday",
                "orgs.view_orgunit",
                *OWN_RECORDS,
            ),
            second_factor=True,
            separated_admin=True,
        ),
        Role(
            "audit_admin",
            _("Audit administrator"),
            (
                "platform.view_auditevent",
                "platform.export_auditevent",
                "auditlog.view_logentry",
                *OWN_RECORDS,
            ),
            second_factor=True,
            separated_admin=True,
        ),
    ]
}

ROLE_CHOICES = [(k, r.label) for k, r in ROLES.items()]
