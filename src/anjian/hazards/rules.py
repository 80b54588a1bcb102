"""Who may do what with a hazard already in their scope.

The enterprise rectifies and submits; the acceptor accepts or rejects and decides extensions:
- a major hazard: the supervising government (a department officer, inspector or leader whose scope covers it);
- a general hazard found by a government department: that department;
- a general hazard the enterprise found itself: the enterprise's safety officer (or its principal).
Voiding (不构成隐患) is for a supervising department.
"""

from __future__ import annotations

from typing import Any

import rules

from anjian.core.scoping import read_through_scope
from anjian.hazards.choices import HAZARD_TRANSITIONS, HazardAction, PhotoStage, RectificationMode
from anjian.orgs.choices import UserKind, UserRole
from anjian.orgs.predicates import is_enterprise_manager, is_enterprise_member, is_government

_DEPARTMENT_ROLES = (UserRole.OFFICER, UserRole.INSPECTOR, UserRole.LEADER)
_MANAGER_ROLES = (UserRole.PRINCIPAL, UserRole.SAFETY_OFFICER)


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def manages_enterprise(user: Any, enterprise_id: int) -> bool:
    """The enterprise's principal or safety officer."""
    return bool(
        _active(user)
        and user.kind == UserKind.ENTERPRISE
        and user.role in _MANAGER_ROLES
        and user.enterprise_id == enterprise_id
    )


def manages(user: Any, hazard: Any) -> bool:
    """The principal or safety officer of the hazard's (or report's) enterprise."""
    return manages_enterprise(user, hazard.enterprise_id)


def supervises(user: Any, hazard: Any) -> bool:
    """A department member whose scope (territory and industry remit) covers the hazard."""
    from anjian.hazards.models import Hazard

    if not (_active(user) and user.kind == UserKind.DEPARTMENT and user.role in _DEPARTMENT_ROLES):
        return False
    if read_through_scope(hazard, user):  # the page or API read it through the user's scope a moment ago
        return True
    return Hazard.objects.visible_to(user).filter(pk=hazard.pk).exists()


def accepts(user: Any, hazard: Any) -> bool:
    """The one who accepts this hazard's rectification (see the module docstring)."""
    if hazard.is_major:
        return supervises(user, hazard)
    if hazard.finding_department_id is not None:
        return bool(
            _active(user)
            and user.kind == UserKind.DEPARTMENT
            and user.role in _DEPARTMENT_ROLES
            and user.department_id == hazard.finding_department_id
        )
    return manages(user, hazard)


def may(user: Any, action: HazardAction, hazard: Any, *, pending_extension: bool | None = None) -> bool:
    """Whether ``user`` may take ``action`` on ``hazard`` as it is now (its status and pending extension)."""
    sources, _target = HAZARD_TRANSITIONS[action]
    if hazard.status not in sources:
        return False
    extension_actions = (HazardAction.APPROVE_EXTENSION, HazardAction.DENY_EXTENSION, HazardAction.REQUEST_EXTENSION)
    if action in extension_actions and pending_extension is None:
        pending_extension = hazard.extensions.filter(status="pending").exists()  # now (an action, under its lock)
    if action in (HazardAction.START, HazardAction.SUBMIT):
        return manages(user, hazard)
    if action == HazardAction.REQUEST_EXTENSION:
        return (
            hazard.rectification_mode == RectificationMode.DEADLINE
            and hazard.deadline is not None
            and not pending_extension
            and manages(user, hazard)
        )
    if action in (HazardAction.APPROVE_EXTENSION, HazardAction.DENY_EXTENSION):
        return bool(pending_extension) and accepts(user, hazard)
    if action in (HazardAction.ACCEPT, HazardAction.REJECT):
        return accepts(user, hazard)
    if action == HazardAction.VOID:
        return supervises(user, hazard)
    return False


def may_add_photo(user: Any, hazard: Any, stage: str) -> bool:
    """The finder or a supervisor adds "before" photos; the enterprise's managers add "after" evidence."""
    if stage == PhotoStage.AFTER:
        return manages(user, hazard)
    return bool((_active(user) and hazard.found_by_id == user.pk) or manages(user, hazard) or supervises(user, hazard))


def photo_stages(user: Any, hazard: Any) -> list[PhotoStage]:
    """The stages ``user`` may add photos to while ``hazard`` is open (the page's upload form)."""
    if not hazard.is_open:
        return []
    return [stage for stage in PhotoStage if may_add_photo(user, hazard, stage)]


def allowed_actions(user: Any, hazard: Any) -> list[HazardAction]:
    """What ``user`` may do with ``hazard`` now, in the table's order (the buttons on the page, the API's list)."""
    pending = hazard.pending_extension is not None
    return [action for action in HAZARD_TRANSITIONS if may(user, action, hazard, pending_extension=pending)]


# Registering: anyone of the enterprise (a worker reports too), grid staff and department staff in scope.
rules.add_perm("hazards.add_hazard", is_enterprise_member | is_government)
rules.add_perm("hazards.view_hazard", rules.is_authenticated)
# Government users and enterprise managers export the 三清单; a worker exports nothing.
rules.add_perm("hazards.export_hazard", is_government | is_enterprise_manager)


def may_report_major(user: Any, hazard: Any) -> bool:
    """The enterprise reports a major hazard and prepares its governance plan while it is open."""
    return hazard.is_major and hazard.is_open and manages(user, hazard)


def may_list(user: Any, hazard: Any) -> bool:
    """A supervising department member lists an open, not yet listed major hazard (挂牌督办)."""
    return (
        hazard.is_major
        and hazard.is_open
        and supervises(user, hazard)
        and not hazard.listings.filter(status="listed").exists()
    )
