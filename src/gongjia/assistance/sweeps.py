"""The monthly re-grading of unemployment risk."""

from gongjia.assistance.risk import regrade_all
from gongjia.platform.worker import sweep


@sweep("assistance.risk_grades", every_seconds=30 * 24 * 3600)
def monthly_risk_grades():
    regrade_all()
