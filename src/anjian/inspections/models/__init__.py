"""Models of the inspection and enforcement domain (监管执法), by topic."""

from anjian.inspections.models.criteria import Checklist, ChecklistItem, CriteriaClause, CriteriaStandard
from anjian.inspections.models.enforcement import EnforcementDocument, PenaltyCase, PenaltyItem, Reinspection
from anjian.inspections.models.inspections import Inspection, InspectionResult
from anjian.inspections.models.plans import Campaign, FrequencyRule, InspectionGroup, InspectionPlan, PlanTarget

__all__ = [
    "Campaign",
    "Checklist",
    "ChecklistItem",
    "CriteriaClause",
    "CriteriaStandard",
    "EnforcementDocument",
    "FrequencyRule",
    "Inspection",
    "InspectionGroup",
    "InspectionPlan",
    "InspectionResult",
    "PenaltyCase",
    "PenaltyItem",
    "PlanTarget",
    "Reinspection",
]
