"""Stations, the legal service team, the duty roster, agencies, legal talks."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.orgs.models import OrgUnit, Region
from gongjia.platform import scope
from gongjia.rights.models import (
    Agency,
    DutyShift,
    LegalTalk,
    Station,
    TeamMember,
)

STATION_FIELDS = ("name", "kind", "address", "hours", "phone", "opened_on", "active", "closed_on")
TEAM_FIELDS = (
    "kind",
    "name",
    "mobile",
    "region",
    "enterprise",
    "firm",
    "licence_number",
    "credential_number",
    "valid_from",
    "valid_until",
    "user",
    "active",
)


def check_served(host: OrgUnit, regions) -> None:
    """A station serves villages and communities, in its host's area when the host has one."""
    wrong = [r.name for r in regions if r.level != Region.Level.VILLAGE]
    if wrong:
        raise ValidationError(
            {
                "serves": _("Only villages and communities can be served: %(r)s.")
                % {"r": "、".join(wrong)}
            }
        )
    area = host.region
    if area is not None and area.level != Region.Level.DISTRICT:
        outside = [r.name for r in regions if not r.path.startswith(area.path)]
        if outside:
            raise ValidationError(
                {
                    "serves": _("%(r)s lie outside the area of %(h)s.")
                    % {"r": "、".join(outside), "h": host.name}
                }
            )


@transaction.atomic
def save_station(
    station: Station | None, *, acting_user, host: OrgUnit | None = None, serves=None, **fields
) -> Station:
    if station is None:
        if host is None:
            raise ValidationError({"host": _("Choose the host unit.")})
        scope.require(acting_user, "add", host, model=Station)
        station = Station(host=host)
    else:
        scope.require(acting_user, "change", station.host, model=Station)
        if host is not None and host != station.host:
            scope.require(acting_user, "change", host, model=Station)
            station.host = host
    for k, v in fields.items():
        if k not in STATION_FIELDS:
            raise ValidationError({k: _("This field cannot be changed here.")})
        setattr(station, k, v)
    # Leaving service is dated, for the figures of past years; a station back in service has
    # no closing date (the gap is not kept).
    if "closed_on" in fields and station.closed_on:
        station.active = False
    if not station.active and station.closed_on is None:
        station.closed_on = timezone.localdate()
    if station.active:
        station.closed_on = None
    station.full_clean()
    station.save()
    if serves is not None:
        serves = list(serves)
        check_served(station.host, serves)
        station.serves.set(serves)
    return station


@transaction.atomic
def save_team_member(
    member: TeamMember | None,
    *,
    acting_user,
    unit: OrgUnit | None = None,
    stations=None,
    areas=None,
    **fields,
) -> TeamMember:
    if member is None:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit.")})
        scope.require(acting_user, "add", unit, model=TeamMember)
        member = TeamMember(unit=unit)
    else:
        scope.require(acting_user, "change", member.unit, model=TeamMember)
        if unit is not None and unit != member.unit:
            scope.require(acting_user, "change", unit, model=TeamMember)
            member.unit = unit
    for k, v in fields.items():
        if k not in TEAM_FIELDS:
            raise ValidationError({k: _("This field cannot be changed here.")})
        setattr(member, k, v)
    member.full_clean()
    member.save()
    if stations is not None:
        member.stations.set(stations)
    if areas is not None:
        member.areas.set(areas)
    return member


def check_shift(station: Station, member: TeamMember, on, period: str) -> None:
    """Someone who works at the station, with a valid credential, not in two places at once."""
    if not member.stations.filter(pk=station.pk).exists():
        raise ValidationError({"member": _("%(m)s does not work at this station.") % {"m": member}})
    if not member.active or not member.credential_valid_on(on):
        raise ValidationError(
            {"member": _("%(m)s has no valid credential on %(d)s.") % {"m": member, "d": on}}
        )
    clashes = {"am": ("am", "day"), "pm": ("pm", "day"), "day": ("am", "pm", "day")}[period]
    if DutyShift.objects.filter(member=member, on=on, period__in=clashes).exists():
        raise ValidationError({"on": _("%(m)s is already on duty then.") % {"m": member.name}})


def add_shift(*, acting_user, station: Station, member: TeamMember, on, period="day") -> DutyShift:
    scope.require(acting_user, "change", station.host, model=Station)
    with transaction.atomic():
        # Two entries of overlapping shifts at the same moment: the member's row is the lock.
        TeamMember.objects.select_for_update().filter(pk=member.pk).first()
        check_shift(station, member, on, period)
        return DutyShift.objects.create(station=station, member=member, on=on, period=period)


@transaction.atomic
def save_agency(agency: Agency | None, *, acting_user, unit: OrgUnit, **fields) -> Agency:
    scope.require(acting_user, "add" if agency is None else "change", unit, model=Agency)
    agency = agency or Agency()
    agency.unit = unit
    for k, v in fields.items():
        setattr(agency, k, v)
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def record_talk(*, acting_user, unit: OrgUnit, **fields) -> LegalTalk:
    scope.require(acting_user, "add", unit, model=LegalTalk)
    talk = LegalTalk(unit=unit, **fields)
    talk.full_clean()
    talk.save()
    return talk
