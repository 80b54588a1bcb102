"""Who may do what in inspections and enforcement, for records already in the user's scope.

- A government inspection is started by a department member whose scope covers the enterprise; its results are
  recorded by its officers (or whoever started it) while it is in progress.
- A self-inspection (企业自查) is started and recorded by the enterprise's principal or safety officer.
- Enforcement documents and penalty cases belong to a department: its members draft, issue, serve and decide.
- Plans and campaigns are made by department members for their own department.
"""

from __future__ import annotations

from typing import Any

import rules

from anjian.enterprises.models import Enterprise
from anjian.hazards.rules import manages_enterprise
from anjian.inspections.choices import InspectionKind, InspectionStatus
from anjian.orgs.choices import UserKind, UserRole
from anjian.orgs.predicates import is_department_member, is_enterprise_manager, is_government

DEPARTMENT_ROLES = (UserRole.OFFICER, UserRole.INSPECTOR, UserRole.LEADER)


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_staff_of_a_department(user: Any) -> bool:
    return bool(_active(user) and user.kind == UserKind.DEPARTMENT and user.role in DEPARTMENT_ROLES)


def inspects(user: Any, enterprise: Any) -> bool:
    """A department member whose scope (territory and industry remit) covers the enterprise."""
    if not is_staff_of_a_department(user):
        return False
    return Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists()


def may_start(user: Any, enterprise: Any, kind: str) -> bool:
    if kind == InspectionKind.SELF:
        return manages_enterprise(user, enterprise.pk)
    return inspects(user, enterprise)


def may_record(user: Any, inspection: Any) -> bool:
    """Record results or complete the inspection: while it is in progress, its officers or its creator."""
    if inspection.status != InspectionStatus.IN_PROGRESS or not _active(user):
        return False
    if inspection.kind == InspectionKind.SELF:
        return manages_enterprise(user, inspection.enterprise_id)
    if inspection.created_by_id == user.pk:
        return True
    return inspection.officers.filter(pk=user.pk).exists()


def acts_for(user: Any, department_id: int | None) -> bool:
    """A member of the department that owns a document, case, plan or reinspection."""
    return bool(is_staff_of_a_department(user) and department_id is not None and user.department_id == department_id)


rules.add_perm("inspections.view_inspection", rules.is_authenticated)
rules.add_perm("inspections.add_inspection", is_department_member | is_enterprise_manager)
rules.add_perm("inspections.view_enforcementdocument", is_government | is_enterprise_manager)
rules.add_perm("inspections.add_enforcementdocument", is_department_member)
rules.add_perm("inspections.view_penaltycase", is_government | is_enterprise_manager)
rules.add_perm("inspections.add_penaltycase", is_department_member)
rules.add_perm("inspections.view_campaign", is_government)
rules.add_perm("inspections.add_campaign", is_department_member)
rules.add_perm("inspections.view_inspectionplan", is_department_member)
rules.add_perm("inspections.add_inspectionplan", is_department_member)
