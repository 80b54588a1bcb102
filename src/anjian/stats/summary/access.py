"""Who reads summaries of which regions, and who edits a region's 下步工作 text.

Summaries are for government departments (each sees the figures of its own scope: a 安委办 everything in its
territory, a supervising department its industries) and the system administrator; the text of a region's next
steps is its 安委办's (and the administrator's)."""

from __future__ import annotations

from typing import Any

from anjian.orgs.choices import DepartmentKind, UserKind, UserRole
from anjian.orgs.models import User
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region, RegionQuerySet


def system_reader() -> User:
    """Who a summary is computed as when nobody is named (the command line): the system, seeing everything."""
    return User(username="system", kind=UserKind.ADMIN, role=UserRole.SYSTEM_ADMIN, is_active=True)


def may_read_summaries(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(
        (user.kind == UserKind.DEPARTMENT and user.department_id)
        or (user.kind == UserKind.ADMIN and user.role == UserRole.SYSTEM_ADMIN)
    )


def readable_regions(user: Any) -> RegionQuerySet:
    """The regions a summary may be asked for: those in the reader's territory, down to towns."""
    return Region.objects.visible_to(user).filter(level__lte=RegionLevel.TOWN).order_by("code")


def may_edit_next_steps(user: Any, region: Region) -> bool:
    """The region's 安委办 (safety committee office) and the system administrator."""
    if not may_read_summaries(user):
        return False
    if user.kind == UserKind.ADMIN:
        return True
    department = user.department
    return bool(department.kind == DepartmentKind.COMMITTEE_OFFICE and department.region_id == region.code)
