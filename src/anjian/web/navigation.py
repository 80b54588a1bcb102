"""The navigation of the web shell: one list, filtered per persona by a predicate on the user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anjian.orgs.choices import UserKind, UserRole


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    show: Callable[[Any], bool]
    section: str  # the first path segment that marks the item active
    url_kwargs: Callable[[Any], dict[str, Any]] | None = None

    def url(self, user: Any) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs(user) if self.url_kwargs else None)


def _government_or_admin(user: Any) -> bool:
    return user.kind in (UserKind.DEPARTMENT, UserKind.GRID) or user.role == UserRole.SYSTEM_ADMIN


def _department_or_admin(user: Any) -> bool:
    return user.kind == UserKind.DEPARTMENT or user.role == UserRole.SYSTEM_ADMIN


def _enterprise_member(user: Any) -> bool:
    return user.kind == UserKind.ENTERPRISE and user.enterprise_id is not None


def _sees_hazards(user: Any) -> bool:
    return _government_or_admin(user) or _enterprise_member(user)


def _sees_risks(user: Any) -> bool:
    """Whoever sees the hazard ledger: government staff and the administrator read the registers in their scope,
    an enterprise's members (workers too: risks are announced) read their own."""
    return _sees_hazards(user)


def _sees_inspections(user: Any) -> bool:
    """Government staff and the administrator; an enterprise's principal or safety officer (its self-inspections)."""
    manager = _enterprise_member(user) and user.role in (UserRole.PRINCIPAL, UserRole.SAFETY_OFFICER)
    return _government_or_admin(user) or manager


def _auditor(user: Any) -> bool:
    return user.kind == UserKind.ADMIN and user.role in (UserRole.SYSTEM_ADMIN, UserRole.AUDITOR)


NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "home", "bi-house", lambda user: True, ""),
    NavItem(_("Enterprises"), "enterprises:list", "bi-buildings", _government_or_admin, "enterprises"),
    NavItem(
        _("My enterprise"),
        "enterprises:detail",
        "bi-building",
        _enterprise_member,
        "enterprises",
        url_kwargs=lambda user: {"pk": user.enterprise_id},
    ),
    NavItem(_("Hazards"), "hazards:list", "bi-exclamation-triangle", _sees_hazards, "hazards"),
    # Departments enter dual prevention by the supervision view; enterprises and grids by the register.
    NavItem(_("Risks"), "risks:government", "bi-bullseye", _department_or_admin, "risks"),
    NavItem(
        _("Risks"),
        "risks:unit_list",
        "bi-bullseye",
        lambda user: _sees_risks(user) and not _department_or_admin(user),
        "risks",
    ),
    NavItem(_("My checks"), "risks:task_list", "bi-check2-square", _enterprise_member, "risks"),
    NavItem(_("Inspections"), "inspections:inspection_list", "bi-clipboard-check", _sees_inspections, "inspections"),
    NavItem(
        _("Enforcement"),
        "inspections:penalty_list",
        "bi-shield-exclamation",
        _department_or_admin,
        "inspections",
    ),
    NavItem(_("Work summaries"), "summaries:page", "bi-journal-text", _department_or_admin, "summaries"),
    NavItem(_("Regions and grids"), "regions:list", "bi-diagram-3", _government_or_admin, "regions"),
    NavItem(_("Departments"), "orgs:department_list", "bi-bank", _department_or_admin, "departments"),
    NavItem(_("Audit log"), "core:audit_list", "bi-shield-check", _auditor, "audit"),
]


def items_for(user: Any, path: str) -> list[dict[str, Any]]:
    section = path.strip("/").split("/", 1)[0]
    shown = [(item, item.url(user)) for item in NAVIGATION if user.is_authenticated and item.show(user)]
    # Items sharing a section (inspections and enforcement under /inspections/): the one whose address is the
    # longest prefix of the path is the active one; otherwise every item of the section is.
    prefixes = [url for item, url in shown if item.section == section and path.startswith(url)]
    deepest = max(prefixes, key=len) if prefixes else None
    return [
        {
            "label": item.label,
            "url": url,
            "icon": item.icon,
            "active": item.section == section and deepest in (None, url),
        }
        for item, url in shown
    ]
