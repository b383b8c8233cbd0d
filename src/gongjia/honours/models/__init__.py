"""Honours and exemplars (honours.md): selections with their share rules (`selections`), the
exemplars that are not one person's title (`exemplars`), and free recuperation and health
checks (`care`)."""

from gongjia.honours.models.care import CareApplication, CareBatch
from gongjia.honours.models.exemplars import (
    NamedMethod,
    PartyDevelopment,
    PioneerUnit,
    SafetyIncident,
    Studio,
    StudioGrant,
    StudioMember,
)
from gongjia.honours.models.selections import (
    Batch,
    Clearance,
    Honour,
    Level,
    MassOrgPost,
    Nomination,
    Objection,
    Programme,
)

__all__ = [
    "Batch",
    "CareApplication",
    "CareBatch",
    "Clearance",
    "Honour",
    "Level",
    "MassOrgPost",
    "NamedMethod",
    "Nomination",
    "Objection",
    "PartyDevelopment",
    "PioneerUnit",
    "Programme",
    "SafetyIncident",
    "Studio",
    "StudioGrant",
    "StudioMember",
]
