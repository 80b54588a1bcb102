"""Who a user is, as ``rules`` predicates; each app's rules.py combines them into permissions.

Scope (which rows) is decided by ``visible_to``; these decide what a user may do with a row already in scope.
"""

from __future__ import annotations

from typing import Any

import rules

from anjian.orgs.choices import UserKind, UserRole


def _is(user: Any, kind: UserKind, *roles: UserRole) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.kind == kind
        and (not roles or user.role in roles)
    )


@rules.predicate
def is_system_admin(user: Any) -> bool:
    return _is(user, UserKind.ADMIN, UserRole.SYSTEM_ADMIN)


@rules.predicate
def is_auditor(user: Any) -> bool:
    return _is(user, UserKind.ADMIN, UserRole.AUDITOR, UserRole.SYSTEM_ADMIN)


@rules.predicate
def is_government_staff(user: Any) -> bool:
    """Department officers and inspectors: they register, inspect and enforce (leaders approve and read)."""
    return _is(user, UserKind.DEPARTMENT, UserRole.OFFICER, UserRole.INSPECTOR)


@rules.predicate
def is_government(user: Any) -> bool:
    return _is(user, UserKind.DEPARTMENT) or _is(user, UserKind.GRID)


@rules.predicate
def is_department_member(user: Any) -> bool:
    return _is(user, UserKind.DEPARTMENT)


@rules.predicate
def is_grid_staff(user: Any) -> bool:
    return _is(user, UserKind.GRID)


@rules.predicate
def is_enterprise_manager(user: Any) -> bool:
    return _is(user, UserKind.ENTERPRISE, UserRole.PRINCIPAL, UserRole.SAFETY_OFFICER)


@rules.predicate
def is_enterprise_member(user: Any) -> bool:
    return _is(user, UserKind.ENTERPRISE)


@rules.predicate
def manages_this_enterprise(user: Any, enterprise: Any) -> bool:
    return bool(is_enterprise_manager(user) and enterprise is not None and user.enterprise_id == enterprise.pk)
