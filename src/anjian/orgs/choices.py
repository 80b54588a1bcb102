"""Department kinds, and the kinds of membership and roles a user can hold."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    COMMITTEE_OFFICE = "committee_office", _("Safety committee office")
    GOVERNMENT = "government", _("People's government")
    REGULATOR = "regulator", _("Supervising department")


# Kinds that supervise every industry of their territory (属地管理), not a remit of industries.
ALL_INDUSTRY_KINDS = frozenset({DepartmentKind.COMMITTEE_OFFICE, DepartmentKind.GOVERNMENT})


class UserKind(models.TextChoices):
    """What a user is a member of; it decides the user's scope."""

    ADMIN = "admin", _("Administration")
    DEPARTMENT = "department", _("Department")
    GRID = "grid", _("Grid")
    ENTERPRISE = "enterprise", _("Enterprise")


class UserRole(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")
    OFFICER = "officer", _("Officer")
    INSPECTOR = "inspector", _("Inspector")
    LEADER = "leader", _("Leader")
    GRID_LEADER = "grid_leader", _("Grid leader")
    GRID_WORKER = "grid_worker", _("Grid worker")
    PRINCIPAL = "principal", _("Principal")
    SAFETY_OFFICER = "safety_officer", _("Safety officer")
    WORKER = "worker", _("Worker")


ROLES_BY_KIND: dict[UserKind, tuple[UserRole, ...]] = {
    UserKind.ADMIN: (UserRole.SYSTEM_ADMIN, UserRole.SECURITY_ADMIN, UserRole.AUDITOR),
    UserKind.DEPARTMENT: (UserRole.OFFICER, UserRole.INSPECTOR, UserRole.LEADER),
    UserKind.GRID: (UserRole.GRID_LEADER, UserRole.GRID_WORKER),
    UserKind.ENTERPRISE: (UserRole.PRINCIPAL, UserRole.SAFETY_OFFICER, UserRole.WORKER),
}
