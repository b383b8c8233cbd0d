"""Rights protection models: the network (stations, team, roster, agencies, talks), the
labour-dispute cases of "1+X", collective negotiation, harmonious-labour-relations
evaluation."""

from gongjia.rights.models.cases import (
    FACT_FIELDS,
    FACT_KEYS,
    CaseClaim,
    CaseWorker,
    DisputeCase,
    LimitationEvent,
    Referral,
)
from gongjia.rights.models.harmony import Checklist, ChecklistItem, Evaluation, Score
from gongjia.rights.models.negotiations import (
    Ballot,
    Clause,
    ClauseVersion,
    Demand,
    InformationRequest,
    Negotiation,
    Representative,
    Round,
    Vote,
)
from gongjia.rights.models.network import Agency, DutyShift, LegalTalk, Station, TeamMember

__all__ = [
    "FACT_FIELDS",
    "FACT_KEYS",
    "Agency",
    "Ballot",
    "Clause",
    "ClauseVersion",
    "Demand",
    "Negotiation",
    "Representative",
    "Round",
    "Vote",
    "CaseClaim",
    "Checklist",
    "ChecklistItem",
    "Evaluation",
    "InformationRequest",
    "Score",
    "CaseWorker",
    "DisputeCase",
    "DutyShift",
    "LegalTalk",
    "LimitationEvent",
    "Referral",
    "Station",
    "TeamMember",
]
