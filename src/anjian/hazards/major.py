"""The major-hazard branch (重大事故隐患): the three-part report, the six-part governance plan, listing for
supervision (挂牌督办) with a numbered notice and the enterprise's suspension, and the resumption application
(evaluation → on-site review within the SLA). The review's outcome is ``accept`` (核销, 摘牌, 复产) or ``reject``
(责令改正) in actions.py; rectification of a major hazard cannot start before the report and plan exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput
from anjian.core.numbering import document_number, next_number
from anjian.enterprises import actions as enterprise_actions
from anjian.enterprises.choices import EnterpriseStatus
from anjian.hazards import rules as hazard_rules
from anjian.hazards.actions import _forbidden, _record, do_submit_rectification
from anjian.hazards.choices import EvaluationKind, HazardAction, ListingStatus, SupervisionLevel
from anjian.hazards.models import (
    GovernancePlan,
    Hazard,
    MajorHazardReport,
    ResumptionApplication,
    SupervisionListing,
)

REPORT_FIELDS = ("state_and_cause", "harm_and_difficulty", "approach")
PLAN_FIELDS = ("objectives", "methods", "funding", "organisation", "schedule", "safety_measures")
LISTING_KIND = "supervision_listing"


def notice_issuer(department: Any) -> str:
    """How the department signs its notices: 安澜县安委办, 青山镇安委办, 安澜县消防大队 (region + short name)."""
    short = department.short_name or department.name
    region = department.region.name
    if short.startswith(region):
        return str(short)
    return region + (short[1:] if short[:1] and region.endswith(short[:1]) else short)


def _locked_major(hazard: Hazard) -> Hazard:
    locked = Hazard.objects.select_for_update().select_related("enterprise").get(pk=hazard.pk)
    if not locked.is_major:
        raise ActionError(_("Only a major hazard has this."), code="invalid_transition")
    if not locked.is_open:
        raise ActionError(_("The hazard is no longer open."), code="invalid_transition")
    return locked


def _required(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    cleaned = {name: str(data.get(name) or "").strip() for name in fields}
    missing = [name for name, value in cleaned.items() if not value]
    if missing:
        message = _("Every part is required.")
        raise InvalidInput(message, field_errors={name: [_("This part is required.")] for name in missing})
    return cleaned


def do_report_major_hazard(hazard: Hazard, *, data: dict[str, Any], actor: Any) -> MajorHazardReport:
    """报告: the enterprise reports the major hazard with its state and cause, harm and difficulty, approach."""
    cleaned = _required(data, REPORT_FIELDS)
    with transaction.atomic():
        locked = _locked_major(hazard)
        if not hazard_rules.manages(actor, locked):
            raise _forbidden()
        report, _created = MajorHazardReport.objects.update_or_create(
            hazard=locked, defaults={**cleaned, "submitted_by": actor, "submitted_at": timezone.now()}
        )
        _record(locked, HazardAction.REPORT, locked.status, actor, "", None)
        record_event(EventCode.HAZARD_REPORTED, actor=actor, target=locked, new=cleaned)
    return report


def do_prepare_governance_plan(hazard: Hazard, *, data: dict[str, Any], actor: Any) -> GovernancePlan:
    """治理方案: the principal's six-part plan (objectives, methods, funds, organisation, schedule, safety)."""
    cleaned = _required(data, PLAN_FIELDS)
    with transaction.atomic():
        locked = _locked_major(hazard)
        if not hazard_rules.manages(actor, locked):
            raise _forbidden()
        plan, _created = GovernancePlan.objects.update_or_create(
            hazard=locked, defaults={**cleaned, "prepared_by": actor, "prepared_at": timezone.now()}
        )
        _record(locked, HazardAction.PLAN, locked.status, actor, "", None)
        record_event(EventCode.HAZARD_PLAN_PREPARED, actor=actor, target=locked, new=cleaned)
    return plan


def do_list_for_supervision(
    hazard: Hazard,
    *,
    level: SupervisionLevel,
    deadline: dt.date,
    served_on: dt.date | None = None,
    suspend_enterprise: bool = False,
    actor: Any,
    today: dt.date | None = None,
) -> SupervisionListing:
    """挂牌督办: the actor's department lists the hazard, with a numbered notice per department and year; with
    ``suspend_enterprise`` the enterprise is ordered to suspend production until the hazard is written off."""
    today = today or timezone.localdate()
    served_on = served_on or today
    if deadline <= served_on:
        message = _("The supervision deadline must come after the day the notice is served.")
        raise InvalidInput(message, field_errors={"deadline": [message]})
    if served_on > today:
        message = _("The notice cannot be served in the future.")
        raise InvalidInput(message, field_errors={"served_on": [message]})
    with transaction.atomic():
        locked = _locked_major(hazard)
        if not hazard_rules.supervises(actor, locked):  # a department member whose scope covers it
            raise _forbidden()
        if locked.listings.filter(status=ListingStatus.LISTED).exists():
            raise ActionError(_("The hazard is already listed for supervision."), code="invalid_transition")
        department = actor.department
        sequence = next_number(department, LISTING_KIND, served_on.year)
        prefix = f"{notice_issuer(department)}督"
        listing = SupervisionListing.objects.create(
            hazard=locked,
            level=level,
            department=department,
            year=served_on.year,
            sequence=sequence,
            number=document_number(prefix, served_on.year, sequence),
            deadline=deadline,
            served_on=served_on,
            enterprise_suspended=suspend_enterprise,
            listed_by=actor,
        )
        _record(locked, HazardAction.LIST, locked.status, actor, listing.number, None, level=level)
        record_event(
            EventCode.HAZARD_LISTED,
            actor=actor,
            target=locked,
            new={"number": listing.number, "level": level, "deadline": deadline, "suspend": suspend_enterprise},
        )
        enterprise = locked.enterprise
        if suspend_enterprise and enterprise.status == EnterpriseStatus.OPERATING:
            enterprise_actions.do_suspend_enterprise(
                enterprise,
                reason=_("Major hazard %(code)s listed for supervision (%(number)s): suspend until written off.")
                % {"code": locked.code, "number": listing.number},
                actor=actor,
            )
    return listing


def do_apply_resumption(
    hazard: Hazard,
    *,
    evaluation_kind: EvaluationKind,
    evaluation: str,
    rectification: str,
    evaluator: str = "",
    actor: Any,
    at: dt.datetime | None = None,
) -> ResumptionApplication:
    """复产申请: governance done, evaluated by the enterprise's experts or an agency; the hazard goes to the
    supervising department, which has RESUMPTION_REVIEW_DAYS to review it on site."""
    if not evaluation.strip():
        message = _("Give the evaluation of the governance.")
        raise InvalidInput(message, field_errors={"evaluation": [message]})
    if evaluation_kind == EvaluationKind.EVALUATOR and not evaluator.strip():
        message = _("Name the evaluation agency.")
        raise InvalidInput(message, field_errors={"evaluator": [message]})
    moment = at or timezone.now()
    with transaction.atomic():
        locked = _locked_major(hazard)
        if not hazard_rules.manages(actor, locked):
            raise _forbidden()
        application = ResumptionApplication.objects.create(
            hazard=locked,
            evaluation_kind=evaluation_kind,
            evaluator=evaluator.strip(),
            evaluation=evaluation.strip(),
            applied_by=actor,
            applied_at=moment,
            review_due=timezone.localtime(moment).date() + dt.timedelta(days=settings.RESUMPTION_REVIEW_DAYS),
        )
        record_event(
            EventCode.HAZARD_RESUMPTION_APPLIED, actor=actor, target=locked, new={"due": application.review_due}
        )
        _record(locked, HazardAction.APPLY_RESUMPTION, locked.status, actor, evaluation.strip()[:200], at)
        do_submit_rectification(locked, rectification=rectification, actor=actor, at=at)
    return application
