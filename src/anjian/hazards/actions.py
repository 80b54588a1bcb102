"""Every change to a hazard: registration, the rectification workflow, extensions, photos.

Each action runs in one transaction on the locked row (``core.transitions.change_status``), checks the transition
table and who may act (``hazards.rules``), and writes one ``HazardTransition`` row and one audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.audit import record_event, snapshot
from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput
from anjian.core.exceptions import forbidden as _forbidden
from anjian.core.exceptions import refuse as _refuse
from anjian.core.transitions import change_status, require_reason
from anjian.enterprises.models import Enterprise
from anjian.hazards import rules as hazard_rules
from anjian.hazards.choices import (
    GOVERNMENT_SOURCES,
    HAZARD_TRANSITIONS,
    SELF_SOURCES,
    ExtensionStatus,
    HazardAction,
    HazardSource,
    HazardStatus,
    ListingStatus,
    PhotoStage,
    RectificationMode,
)
from anjian.hazards.models import (
    GovernancePlan,
    Hazard,
    HazardExtension,
    HazardPhoto,
    HazardTransition,
    MajorHazardReport,
    SupervisionListing,
)
from anjian.orgs.choices import DepartmentKind, UserKind
from anjian.orgs.models import Department
from anjian.utilities.images import process_photo

# The fields a registration may set; the rest follow from the workflow.
REGISTRATION_FIELDS = (
    "level",
    "source",
    "hazard_type",
    "management_class",
    "rectification_mode",
    "description",
    "location",
    "cause",
    "found_on",
    "finder_name",
    "measures",
    "responsible_person",
    "responsible_phone",
    "funds",
    "deadline",
    "contingency_plan",
    "rectification",
)
# 五落实: what must be named before rectification starts.
PLAN_FIELDS = ("measures", "responsible_person", "funds", "deadline", "contingency_plan")

_EVENTS = {
    HazardAction.START: EventCode.HAZARD_STARTED,
    HazardAction.SUBMIT: EventCode.HAZARD_SUBMITTED,
    HazardAction.ACCEPT: EventCode.HAZARD_ACCEPTED,
    HazardAction.REJECT: EventCode.HAZARD_REJECTED,
    HazardAction.REQUEST_EXTENSION: EventCode.HAZARD_EXTENSION_REQUESTED,
    HazardAction.APPROVE_EXTENSION: EventCode.HAZARD_EXTENSION_APPROVED,
    HazardAction.DENY_EXTENSION: EventCode.HAZARD_EXTENSION_DENIED,
    HazardAction.VOID: EventCode.HAZARD_VOIDED,
}


def finding_department_for(actor: Any) -> Department | None:
    """The government department that found a hazard this user registers: a department member's own; for grid
    staff, the committee office of the nearest region above the grid (the town's 安委办, else the county's)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if actor.kind == UserKind.DEPARTMENT:
        return actor.department
    if actor.kind == UserKind.GRID and actor.grid is not None:
        region = actor.grid.region
        codes = [r.code for r in [region, *region.ancestors()]]
        offices = Department.objects.filter(kind=DepartmentKind.COMMITTEE_OFFICE, region__code__in=codes)
        return max(offices, key=lambda d: d.region.level, default=None)
    return None


def sources_for(actor: Any) -> frozenset[str]:
    """The sources a hazard this user registers may carry: an enterprise's own investigations for its members,
    a grid patrol or a tip-off for grid staff, an inspection (or a tip-off handed on) for a department."""
    if getattr(actor, "kind", None) == UserKind.ENTERPRISE:
        return frozenset(SELF_SOURCES)
    if getattr(actor, "kind", None) == UserKind.GRID:
        return frozenset({HazardSource.GRID_PATROL, HazardSource.TIP_OFF})
    return frozenset({*GOVERNMENT_SOURCES, HazardSource.TIP_OFF})


def _check_dates(hazard: Hazard, today: dt.date) -> None:
    if hazard.found_on > today:
        raise _refuse(_("The date found cannot be in the future."), "found_on")
    if hazard.deadline is not None and hazard.deadline < hazard.found_on:
        raise _refuse(_("The deadline comes before the date found."), "deadline")


def _missing_plan(hazard: Hazard) -> list[str]:
    return [name for name in PLAN_FIELDS if getattr(hazard, name) in (None, "")]


def _plan_error(missing: Sequence[str]) -> InvalidInput:
    message = _("Name all five before rectification starts: measures, responsibility, funds, deadline, plan.")
    return InvalidInput(message, field_errors={name: [_("Required to start rectification.")] for name in missing})


def _record(
    hazard: Hazard, action: HazardAction, before: str, actor: Any, note: str, at: dt.datetime | None, **data: Any
) -> None:
    HazardTransition.objects.create(
        at=at or timezone.now(),
        hazard=hazard,
        action=action,
        from_status=before,
        to_status=hazard.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "display_name", "") or getattr(actor, "username", ""),
        note=note,
        data=data,
    )


def do_register_hazard(
    enterprise: Enterprise,
    *,
    data: dict[str, Any],
    actor: Any,
    photos: Sequence[Any] = (),
    after_photos: Sequence[Any] = (),
    today: dt.date | None = None,
    at: dt.datetime | None = None,
    inspection: Any = None,
    clause: Any = None,
) -> Hazard:
    """Enter a hazard in the ledger (隐患登记). Rectified on the spot (即查即改) with the rectification described, it
    goes straight to acceptance; otherwise it waits for the enterprise to plan and start the rectification."""
    today = today or timezone.localdate()
    # rules.has_perm, not user.has_perm: the system administrator is a superuser but registers no hazards.
    if (
        not rules.has_perm("hazards.add_hazard", actor)
        or not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists()
    ):
        raise _forbidden()
    unknown = set(data) - set(REGISTRATION_FIELDS)
    if unknown:
        raise _refuse(
            _("The field “%(field)s” cannot be set here.") % {"field": sorted(unknown)[0]}, sorted(unknown)[0]
        )
    hazard = Hazard(enterprise=enterprise, inspection=inspection, clause=clause, **data)
    hazard.found_by = actor
    hazard.finder_name = hazard.finder_name or getattr(actor, "display_name", "") or actor.username
    hazard.finding_department = finding_department_for(actor)
    if hazard.source not in sources_for(actor):
        raise _refuse(_("This source does not fit who found the hazard."), "source")
    immediate = hazard.rectification_mode == RectificationMode.IMMEDIATE
    if immediate:
        if hazard.is_major:
            raise _refuse(_("A major hazard cannot be rectified on the spot."), "rectification_mode")
        if not hazard.rectification.strip():
            raise _refuse(_("Describe what was done on the spot."), "rectification")
        hazard.deadline = None  # rectified already: there is nothing to be late with
        hazard.status = HazardStatus.AWAITING_ACCEPTANCE
    else:
        hazard.rectification = ""
    hazard.original_deadline = hazard.deadline
    _check_dates(hazard, today)
    prepared = [(PhotoStage.BEFORE, process_photo(p)) for p in photos]
    prepared += [(PhotoStage.AFTER, process_photo(p)) for p in after_photos]
    try:
        hazard.full_clean(exclude=["found_by", "finding_department"])
    except ValidationError as error:
        raise InvalidInput(_("The data is not valid."), field_errors=error.message_dict) from None
    with transaction.atomic():
        hazard.save()
        for stage, photo in prepared:
            _save_photo(hazard, stage, photo, actor)
        _record(hazard, HazardAction.REGISTER, "", actor, "", at, immediate=immediate)
        record_event(EventCode.HAZARD_REGISTERED, actor=actor, target=hazard, new=snapshot(hazard))
    return hazard


def _save_photo(hazard: Hazard, stage: str, photo: Any, actor: Any) -> HazardPhoto:
    row = HazardPhoto(hazard=hazard, stage=stage, uploaded_by=actor if getattr(actor, "pk", None) else None)
    row.image.save("photo.jpg", photo.image, save=False)
    row.thumbnail.save("thumb.jpg", photo.thumbnail, save=False)
    row.save()
    return row


def do_add_hazard_photo(hazard: Hazard, *, upload: Any, stage: PhotoStage, actor: Any) -> HazardPhoto:
    """Attach a photo: the finder or a supervisor adds "before" photos; the enterprise adds "after" evidence."""
    if not hazard_rules.may_add_photo(actor, hazard, stage):
        raise _forbidden()
    photo = process_photo(upload)
    with transaction.atomic():
        locked = Hazard.objects.select_for_update().get(pk=hazard.pk)  # not while it is being closed
        if not locked.is_open:
            raise ActionError(_("The hazard is no longer open: its photos are final."), code="invalid_transition")
        row = _save_photo(locked, stage, photo, actor)
        record_event(EventCode.HAZARD_PHOTO_ADDED, actor=actor, target=locked, new={"stage": stage, "photo": row.pk})
    return row


def _transition(
    hazard: Hazard,
    action: HazardAction,
    *,
    actor: Any,
    note: str = "",
    prepare: Callable[[Hazard], list[str]] | None = None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Hazard:
    state: dict[str, str] = {}

    def check(locked: Hazard) -> None:
        state["before"] = locked.status
        if not hazard_rules.may(actor, action, locked):
            raise _forbidden()

    def on_changed(locked: Hazard, before: str) -> None:
        _record(locked, action, before, actor, note, at, **(data or {}))

    return change_status(
        hazard,
        action,
        HAZARD_TRANSITIONS,
        event=_EVENTS[action],
        actor=actor,
        note=note,
        subject=_("The hazard"),
        check=check,
        prepare=prepare,
        on_changed=on_changed,
    )


def do_start_rectification(
    hazard: Hazard, *, plan: dict[str, Any], actor: Any, note: str = "", at: dt.datetime | None = None
) -> Hazard:
    """开始整改: the enterprise names the 五落实 (measures, responsibility, funds, deadline, plan) and starts."""
    unknown = set(plan) - {*PLAN_FIELDS, "responsible_phone"}
    if unknown:
        raise _refuse(
            _("The field “%(field)s” cannot be set here.") % {"field": sorted(unknown)[0]}, sorted(unknown)[0]
        )

    def prepare(locked: Hazard) -> list[str]:
        if locked.is_major and not (
            MajorHazardReport.objects.filter(hazard=locked).exists()
            and GovernancePlan.objects.filter(hazard=locked).exists()
        ):
            raise _refuse(_("A major hazard needs its report and its governance plan first."), "governance_plan")
        if locked.deadline is not None and plan.get("deadline") not in (None, locked.deadline):
            raise _refuse(_("The deadline is set: ask for an extension to move it."), "deadline")
        for name, value in plan.items():
            setattr(locked, name, value)
        missing = _missing_plan(locked)
        if missing:
            raise _plan_error(missing)
        if locked.deadline is not None and locked.deadline < locked.found_on:
            raise _refuse(_("The deadline comes before the date found."), "deadline")
        changed = list(plan)
        if locked.original_deadline is None:
            locked.original_deadline = locked.deadline
            changed.append("original_deadline")
        return changed

    return _transition(hazard, HazardAction.START, actor=actor, note=note, prepare=prepare, at=at)


def do_submit_rectification(hazard: Hazard, *, rectification: str, actor: Any, at: dt.datetime | None = None) -> Hazard:
    """提交验收: the rectification is done; at least one "after" photo is its evidence."""
    if not rectification.strip():
        raise _refuse(_("Describe what was done."), "rectification")

    def prepare(locked: Hazard) -> list[str]:
        if not locked.photos.filter(stage=PhotoStage.AFTER).exists():
            raise _refuse(_("Attach at least one photo of the result."), "photo")
        if locked.is_major and not locked.resumptions.filter(approved__isnull=True).exists():
            raise _refuse(_("A major hazard is submitted with its evaluation: apply for resumption."), "evaluation")
        locked.rectification = rectification.strip()
        return ["rectification"]

    return _transition(hazard, HazardAction.SUBMIT, actor=actor, note=rectification.strip(), prepare=prepare, at=at)


def do_accept_rectification(hazard: Hazard, *, note: str = "", actor: Any, at: dt.datetime | None = None) -> Hazard:
    """验收通过, 销号: the hazard leaves the open ledger. For a major hazard this is the on-site review passed:
    its resumption application is approved, its listing taken down (摘牌) and a suspended enterprise resumes."""

    def prepare(locked: Hazard) -> list[str]:
        locked.closed_at = at or timezone.now()
        return ["closed_at"]

    with transaction.atomic():
        hazard = _transition(hazard, HazardAction.ACCEPT, actor=actor, note=note.strip(), prepare=prepare, at=at)
        _conclude_major(hazard, approved=True, note=note.strip() or _("Passed the on-site review."), actor=actor, at=at)
    return hazard


def _conclude_major(hazard: Hazard, *, approved: bool, note: str, actor: Any, at: dt.datetime | None) -> None:
    """The government's decision on a major hazard's resumption application, and what follows from it."""
    from anjian.enterprises import actions as enterprise_actions
    from anjian.enterprises.choices import EnterpriseStatus

    moment = at or timezone.now()
    hazard.resumptions.filter(approved__isnull=True).update(
        approved=approved, reviewed_by=actor, reviewed_at=moment, review_note=note
    )
    if not approved:
        return
    for listing in hazard.listings.select_for_update().filter(status=ListingStatus.LISTED):
        listing.status = ListingStatus.DELISTED
        listing.delisted_at = moment
        listing.save(update_fields=["status", "delisted_at"])
        record_event(
            EventCode.HAZARD_DELISTED,
            actor=actor,
            target=hazard,
            old={"listing": listing.number},
            new={"status": "delisted"},
        )
        others_listed = SupervisionListing.objects.filter(
            hazard__enterprise=hazard.enterprise, status=ListingStatus.LISTED, enterprise_suspended=True
        ).exists()
        enterprise = hazard.enterprise
        enterprise.refresh_from_db()
        if listing.enterprise_suspended and not others_listed and enterprise.status == EnterpriseStatus.SUSPENDED:
            enterprise_actions.do_resume_enterprise(
                enterprise,
                reason=_("Major hazard %(code)s written off after the on-site review.") % {"code": hazard.code},
                actor=actor,
            )


def do_reject_rectification(hazard: Hazard, *, reason: str, actor: Any, at: dt.datetime | None = None) -> Hazard:
    """验收不通过 (for a major hazard: 责令改正 after the on-site review): back to rectifying, with the reason."""
    reason = require_reason(reason)
    with transaction.atomic():
        hazard = _transition(hazard, HazardAction.REJECT, actor=actor, note=reason, at=at)
        _conclude_major(hazard, approved=False, note=reason, actor=actor, at=at)
    return hazard


def do_request_extension(
    hazard: Hazard, *, deadline: dt.date, reason: str, actor: Any, at: dt.datetime | None = None
) -> Hazard:
    """申请延期: the enterprise asks the acceptor for a later deadline."""
    reason = require_reason(reason)

    def prepare(locked: Hazard) -> list[str]:
        if locked.deadline is not None and deadline <= locked.deadline:
            raise _refuse(_("The new deadline must come after the current one."), "deadline")
        HazardExtension.objects.create(
            hazard=locked,
            requested_deadline=deadline,
            reason=reason,
            requested_by=actor,
            requested_at=at or timezone.now(),
        )
        return []

    return _transition(
        hazard,
        HazardAction.REQUEST_EXTENSION,
        actor=actor,
        note=reason,
        prepare=prepare,
        data={"requested_deadline": deadline.isoformat()},
        at=at,
    )


def _decide_extension(hazard: Hazard, action: HazardAction, *, note: str, actor: Any, at: dt.datetime | None) -> Hazard:
    approve = action == HazardAction.APPROVE_EXTENSION
    decided: dict[str, Any] = {}

    def prepare(locked: Hazard) -> list[str]:
        pending = locked.extensions.select_for_update().get(status=ExtensionStatus.PENDING)
        pending.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.DENIED
        pending.decided_by = actor
        pending.decided_at = at or timezone.now()
        pending.decision_note = note
        pending.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        decided["requested_deadline"] = pending.requested_deadline.isoformat()
        decided["previous_deadline"] = locked.deadline.isoformat() if locked.deadline else None
        if approve:
            locked.deadline = pending.requested_deadline
            return ["deadline"]
        return []

    return _transition(hazard, action, actor=actor, note=note, prepare=prepare, data=decided, at=at)


def do_approve_extension(hazard: Hazard, *, note: str = "", actor: Any, at: dt.datetime | None = None) -> Hazard:
    """批准延期: the pending request's deadline becomes the deadline."""
    return _decide_extension(hazard, HazardAction.APPROVE_EXTENSION, note=note.strip(), actor=actor, at=at)


def do_deny_extension(hazard: Hazard, *, reason: str, actor: Any, at: dt.datetime | None = None) -> Hazard:
    """不予延期: the deadline stays, with the reason."""
    return _decide_extension(hazard, HazardAction.DENY_EXTENSION, note=require_reason(reason), actor=actor, at=at)


def do_void_hazard(hazard: Hazard, *, reason: str, actor: Any, at: dt.datetime | None = None) -> Hazard:
    """作废 (不构成隐患): a supervisor rules that it is not a hazard; it counts nowhere afterwards."""
    reason = require_reason(reason)

    def prepare(locked: Hazard) -> list[str]:
        locked.extensions.filter(status=ExtensionStatus.PENDING).update(
            status=ExtensionStatus.DENIED, decided_by=actor, decided_at=at or timezone.now(), decision_note=reason
        )
        return []

    return _transition(hazard, HazardAction.VOID, actor=actor, note=reason, prepare=prepare, at=at)


def perform(hazard: Hazard, action: HazardAction, *, actor: Any, note: str = "", **kwargs: Any) -> Hazard:
    """One entry for the page's and the API's transition endpoint: the action by name, with its note.
    ``at`` (when it happened) is for ledger imports and the demo's history; the audit log keeps the real time."""
    at = kwargs.get("at")
    if action == HazardAction.START:
        return do_start_rectification(hazard, plan=kwargs.get("plan", {}), actor=actor, note=note, at=at)
    if action == HazardAction.SUBMIT:
        rectification = kwargs.get("rectification") or note
        return do_submit_rectification(hazard, rectification=rectification, actor=actor, at=at)
    if action == HazardAction.ACCEPT:
        return do_accept_rectification(hazard, note=note, actor=actor, at=at)
    if action == HazardAction.REJECT:
        return do_reject_rectification(hazard, reason=note, actor=actor, at=at)
    if action == HazardAction.REQUEST_EXTENSION:
        deadline = kwargs.get("deadline")
        if deadline is None:
            raise _refuse(_("Give the new deadline."), "deadline")
        return do_request_extension(hazard, deadline=deadline, reason=note, actor=actor, at=at)
    if action == HazardAction.APPROVE_EXTENSION:
        return do_approve_extension(hazard, note=note, actor=actor, at=at)
    if action == HazardAction.DENY_EXTENSION:
        return do_deny_extension(hazard, reason=note, actor=actor, at=at)
    if action == HazardAction.VOID:
        return do_void_hazard(hazard, reason=note, actor=actor, at=at)
    raise _refuse(_("Unknown action."), "action")
