"""Every change to the enterprise registry: atomic, row-locked, checked against the transition tables, audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.core.audit import diff, record_event, snapshot
from anjian.core.events import EventCode
from anjian.core.exceptions import ConcurrentChange, InvalidInput
from anjian.core.transitions import allowed, change_status, require_reason
from anjian.enterprises.choices import (
    ENTERPRISE_TRANSITIONS,
    LICENCE_TRANSITIONS,
    EnterpriseAction,
    LicenceAction,
)
from anjian.enterprises.models import Enterprise, Licence, Tag

# Fields an edit may change; status changes only through the transition actions below.
EDITABLE_FIELDS = [
    "uscc",
    "name",
    "industry",
    "scale",
    "ownership",
    "region",
    "grid",
    "address",
    "longitude",
    "latitude",
    "legal_representative",
    "principal_name",
    "principal_phone",
    "safety_officer_name",
    "safety_officer_phone",
    "employee_count",
    "established_on",
    "business_scope",
    "standardization_grade",
    "standardization_valid_until",
    "has_liability_insurance",
    "liability_insurance_valid_until",
    "major_hazard_source_grade",
    "supervision_level",
]
AUDITED_FIELDS = [*EDITABLE_FIELDS, "status", "tags"]
LICENCE_FIELDS = ["kind", "number", "issued_by", "valid_from", "valid_until", "scope_note"]


def _full_clean(obj: Any, *, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise InvalidInput(_("The data is not valid."), field_errors=error.message_dict) from None


def _ensure_in_scope(enterprise: Enterprise, actor: Any) -> None:
    """After a create or edit the enterprise must still lie in the actor's scope: nobody registers outside it."""
    if actor is not None and not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise InvalidInput(
            _("This enterprise would lie outside your territory or industry remit."),
            code="out_of_scope",
            field_errors={"region": [_("Outside your territory or industry remit.")]},
        )


def do_create_enterprise(*, data: dict[str, Any], tags: Sequence[Tag] = (), actor: Any) -> Enterprise:
    """Register an enterprise (登记企业) in the actor's scope."""
    with transaction.atomic():
        enterprise = Enterprise(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
        _full_clean(enterprise)
        enterprise.save()
        enterprise.tags.set(tags)
        _ensure_in_scope(enterprise, actor)
        record_event(
            EventCode.ENTERPRISE_CREATED,
            actor=actor,
            target=enterprise,
            new=snapshot(enterprise, AUDITED_FIELDS),
        )
    return enterprise


def do_update_enterprise(
    enterprise: Enterprise,
    *,
    changes: dict[str, Any],
    tags: Sequence[Tag] | None = None,
    actor: Any,
    expected_updated_at: str | None = None,
) -> Enterprise:
    """Change an enterprise's registered facts; refuses if someone else saved it since the form was opened."""
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if expected_updated_at and locked.updated_at.isoformat() != expected_updated_at:
            raise ConcurrentChange(_("Someone else changed this enterprise meanwhile. Reload it and try again."))
        before = snapshot(locked, AUDITED_FIELDS)
        for name, value in changes.items():
            if name not in EDITABLE_FIELDS:
                raise InvalidInput(_("The field “%(field)s” cannot be changed here.") % {"field": name})
            setattr(locked, name, value)
        _full_clean(locked)
        locked.save()
        if tags is not None:
            locked.tags.set(tags)
        _ensure_in_scope(locked, actor)
        old, new = diff(before, snapshot(locked, AUDITED_FIELDS))
        if new:
            record_event(EventCode.ENTERPRISE_CHANGED, actor=actor, target=locked, old=old, new=new)
    return locked


_STATUS_EVENTS = {
    EnterpriseAction.SUSPEND: EventCode.ENTERPRISE_SUSPENDED,
    EnterpriseAction.RESUME: EventCode.ENTERPRISE_RESUMED,
    EnterpriseAction.CLOSE: EventCode.ENTERPRISE_CLOSED,
}


def _transition(enterprise: Enterprise, action: EnterpriseAction, *, reason: str, actor: Any) -> Enterprise:
    return change_status(
        enterprise,
        action,
        ENTERPRISE_TRANSITIONS,
        event=_STATUS_EVENTS[action],
        actor=actor,
        note=require_reason(reason),
        subject=_("The enterprise"),
    )


def do_suspend_enterprise(enterprise: Enterprise, *, reason: str, actor: Any) -> Enterprise:
    """Order the enterprise to suspend production for rectification (责令停产停业整顿)."""
    return _transition(enterprise, EnterpriseAction.SUSPEND, reason=reason, actor=actor)


def do_resume_enterprise(enterprise: Enterprise, *, reason: str, actor: Any) -> Enterprise:
    """Allow a suspended enterprise to resume production (复产) after review."""
    return _transition(enterprise, EnterpriseAction.RESUME, reason=reason, actor=actor)


def do_close_enterprise(enterprise: Enterprise, *, reason: str, actor: Any) -> Enterprise:
    """Close the enterprise down (关闭取缔) or record that it has ceased business."""
    return _transition(enterprise, EnterpriseAction.CLOSE, reason=reason, actor=actor)


ENTERPRISE_ACTIONS = {
    EnterpriseAction.SUSPEND: do_suspend_enterprise,
    EnterpriseAction.RESUME: do_resume_enterprise,
    EnterpriseAction.CLOSE: do_close_enterprise,
}


def allowed_enterprise_actions(enterprise: Enterprise, user: Any) -> list[EnterpriseAction]:
    """The status actions this user may take on this enterprise now (for buttons and the API)."""
    if not user.has_perm("enterprises.change_enterprise_status", enterprise):
        return []
    return allowed(ENTERPRISE_TRANSITIONS, enterprise.status)


def do_add_licence(enterprise: Enterprise, *, data: dict[str, Any], actor: Any) -> Licence:
    """Record a licence the enterprise holds."""
    with transaction.atomic():
        licence = Licence(enterprise=enterprise, **{k: v for k, v in data.items() if k in LICENCE_FIELDS})
        _full_clean(licence)
        licence.save()
        record_event(
            EventCode.LICENCE_ADDED,
            actor=actor,
            target=licence,
            new=snapshot(licence, [*LICENCE_FIELDS, "status"]),
        )
    return licence


def do_update_licence(licence: Licence, *, changes: dict[str, Any], actor: Any) -> Licence:
    """Correct or renew a licence's number, dates or scope."""
    with transaction.atomic():
        locked = Licence.objects.select_for_update().get(pk=licence.pk)
        before = snapshot(locked, LICENCE_FIELDS)
        for name, value in changes.items():
            if name not in LICENCE_FIELDS:
                raise InvalidInput(_("The field “%(field)s” cannot be changed here.") % {"field": name})
            setattr(locked, name, value)
        _full_clean(locked)
        locked.save()
        old, new = diff(before, snapshot(locked, LICENCE_FIELDS))
        if new:
            record_event(EventCode.LICENCE_CHANGED, actor=actor, target=locked, old=old, new=new)
    return locked


def _licence_transition(licence: Licence, action: LicenceAction, *, reason: str, actor: Any) -> Licence:
    return change_status(
        licence,
        action,
        LICENCE_TRANSITIONS,
        event=EventCode.LICENCE_STATUS_CHANGED,
        actor=actor,
        note=require_reason(reason),
        subject=_("The licence"),
    )


def do_withhold_licence(licence: Licence, *, reason: str, actor: Any) -> Licence:
    """暂扣: withhold a licence temporarily (a penalty)."""
    return _licence_transition(licence, LicenceAction.WITHHOLD, reason=reason, actor=actor)


def do_return_licence(licence: Licence, *, reason: str, actor: Any) -> Licence:
    """发还: give a withheld licence back."""
    return _licence_transition(licence, LicenceAction.RETURN, reason=reason, actor=actor)


def do_revoke_licence(licence: Licence, *, reason: str, actor: Any) -> Licence:
    """吊销: revoke a licence (a penalty)."""
    return _licence_transition(licence, LicenceAction.REVOKE, reason=reason, actor=actor)


def do_cancel_licence(licence: Licence, *, reason: str, actor: Any) -> Licence:
    """注销: cancel a licence the holder gave up or no longer needs."""
    return _licence_transition(licence, LicenceAction.CANCEL, reason=reason, actor=actor)


LICENCE_ACTIONS = {
    LicenceAction.WITHHOLD: do_withhold_licence,
    LicenceAction.RETURN: do_return_licence,
    LicenceAction.REVOKE: do_revoke_licence,
    LicenceAction.CANCEL: do_cancel_licence,
}


def allowed_licence_actions(licence: Licence, user: Any) -> list[LicenceAction]:
    if not user.has_perm("enterprises.change_licence_status", licence.enterprise):
        return []
    return allowed(LICENCE_TRANSITIONS, licence.status)


@dataclass
class ImportRow:
    """One valid row of an import file, ready to be registered."""

    row_number: int
    data: dict[str, Any]
    tags: list[Tag] = field(default_factory=list)


def do_import_enterprises(rows: Sequence[ImportRow], *, actor: Any, source: str) -> list[Enterprise]:
    """Register every row, or none: one failure rolls the whole import back."""
    created: list[Enterprise] = []
    with transaction.atomic():
        for row in rows:
            try:
                created.append(do_create_enterprise(data=row.data, tags=row.tags, actor=actor))
            except InvalidInput as error:
                error.message = _("Row %(row)d: %(message)s") % {
                    "row": row.row_number,
                    "message": error.message,
                }
                raise
        record_event(
            EventCode.IMPORT,
            actor=actor,
            target_type="enterprises.enterprise",
            target_repr=source[:200],
            new={"rows": len(created), "file": source},
        )
    return created
