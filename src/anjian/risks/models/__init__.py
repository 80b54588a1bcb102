"""Models of the dual-prevention mechanism (双重预防): the risk register and the checks its measures generate."""

from anjian.risks.models.checks import CheckRecord, CheckTask
from anjian.risks.models.register import (
    AssessmentTable,
    ControlMeasure,
    RiskAssessment,
    RiskEvent,
    RiskObject,
    RiskUnit,
    SitePlan,
)

__all__ = [
    "AssessmentTable",
    "CheckRecord",
    "CheckTask",
    "ControlMeasure",
    "RiskAssessment",
    "RiskEvent",
    "RiskObject",
    "RiskUnit",
    "SitePlan",
]
