"""Hardship assistance models, by part of the programme."""

from gongjia.assistance.models.archive import (
    ArchivePeriod,
    CategoryDecision,
    Household,
    HouseholdMember,
    YearFinance,
)
from gongjia.assistance.models.care import AssistanceRecord, CheckUp, Pairing, Visit
from gongjia.assistance.models.relief import (
    PaymentBatch,
    ReliefApplication,
    ReliefFund,
    ReliefPayment,
)
from gongjia.assistance.models.risk import EmployerSignal, RiskGrade

__all__ = [
    "Household",
    "ArchivePeriod",
    "HouseholdMember",
    "YearFinance",
    "CategoryDecision",
    "EmployerSignal",
    "RiskGrade",
    "ReliefApplication",
    "ReliefFund",
    "PaymentBatch",
    "ReliefPayment",
    "AssistanceRecord",
    "Pairing",
    "Visit",
    "CheckUp",
]
