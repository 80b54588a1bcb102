"""Inspections, campaigns and plans: starting an inspection, recording checklist results, completing it (each
failure becomes a hazard linked to its clause), campaigns with their groups, and annual plans with a random draw.

Enforcement documents, reinspections and penalty cases are in ``inspections.enforcement``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.audit import record_event, snapshot
from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, check_position, forbidden, refuse
from anjian.core.scoping import Scope
from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise
from anjian.hazards.actions import do_register_hazard
from anjian.hazards.choices import HazardLevel, HazardSource, ManagementClass, RectificationMode
from anjian.hazards.models import HazardType
from anjian.inspections import rules as inspection_rules
from anjian.inspections.choices import (
    ENFORCEMENT_KINDS,
    MIN_OFFICERS,
    CampaignKind,
    ClauseCategory,
    InspectionKind,
    InspectionStatus,
    ItemResult,
)
from anjian.inspections.models import (
    Campaign,
    Checklist,
    ChecklistItem,
    FrequencyRule,
    Inspection,
    InspectionGroup,
    InspectionPlan,
    InspectionResult,
    PlanTarget,
)
from anjian.orgs.models import Department
from anjian.utilities.images import process_photo

# The hazard source an inspection's findings carry.
FINDING_SOURCES = {
    InspectionKind.SELF: HazardSource.DAILY,
    InspectionKind.JOINT: HazardSource.JOINT_INSPECTION,
    InspectionKind.EXPERT: HazardSource.EXPERT_DIAGNOSIS,
}


# --- checklists -------------------------------------------------------------------------------------------------


def checklists_for(enterprise: Enterprise) -> QuerySet[Checklist]:
    """The checklists that fit an enterprise: its industry's or category's, its key-sector tags', the general one."""
    industry = enterprise.industry
    tag_ids = list(enterprise.tags.values_list("pk", flat=True))
    fits_industry = Q(industry__isnull=True) | Q(industry_id__in=[industry.pk, industry.parent_id])
    fits_tag = Q(tag__isnull=True) | Q(tag_id__in=tag_ids)
    return Checklist.objects.filter(fits_industry & fits_tag, active=True).order_by("code")


def default_checklist(enterprise: Enterprise) -> Checklist | None:
    """The most specific checklist for the enterprise: its industry's, else its category's, else the general one."""
    fitting = list(checklists_for(enterprise).filter(tag__isnull=True))
    for industry_id in (enterprise.industry_id, enterprise.industry.parent_id):
        for checklist in fitting:
            if checklist.industry_id == industry_id:
                return checklist
    return next((c for c in fitting if c.industry_id is None), None)


# --- inspections ------------------------------------------------------------------------------------------------


def _check_officers(kind: str, department: Department | None, joint: Sequence[Department], officers: list[Any]) -> None:
    if kind not in ENFORCEMENT_KINDS:
        return
    allowed_departments = {d.pk for d in [department, *joint] if d is not None}
    if len(officers) < MIN_OFFICERS:
        raise refuse(_("A law-enforcement inspection needs at least two officers."), "officers")
    for officer in officers:
        if officer.department_id not in allowed_departments:
            raise refuse(
                _("%(name)s is not a member of the inspecting departments.") % {"name": officer.display_name},
                "officers",
            )
        if not officer.enforcement_certificate_no:
            raise refuse(
                _("%(name)s has no law-enforcement certificate number.") % {"name": officer.display_name},
                "officers",
            )


def do_start_inspection(
    enterprise: Enterprise,
    *,
    kind: str,
    actor: Any,
    officers: Sequence[Any] = (),
    joint_departments: Sequence[Department] = (),
    campaign: Campaign | None = None,
    plan: InspectionPlan | None = None,
    checklist: Checklist | None = None,
    place: str = "",
    latitude: Any = None,
    longitude: Any = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """Begin an inspection of one enterprise (one 家次): a department's (law enforcement needs two officers with
    certificates, 安全生产法 Art.67), or the enterprise's own self-inspection."""
    if kind not in InspectionKind.values:
        raise refuse(_("Choose the kind of inspection."), "kind")
    if not inspection_rules.may_start(actor, enterprise, kind):
        raise forbidden()
    at = at or timezone.now()
    department = None if kind == InspectionKind.SELF else actor.department
    team = list(dict.fromkeys([*([actor] if department is not None else []), *officers]))
    joint = [d for d in joint_departments if d.pk != getattr(department, "pk", None)]
    if kind == InspectionKind.JOINT and not joint:
        raise refuse(_("A joint inspection names the other departments taking part."), "joint_departments")
    _check_officers(kind, department, joint, team)
    if campaign is not None:
        if not Campaign.objects.visible_to(actor).filter(pk=campaign.pk).exists():
            raise refuse(_("This campaign is not one of yours."), "campaign")
        if not campaign.start <= timezone.localdate(at) <= campaign.end:
            raise refuse(_("The inspection falls outside the campaign's period."), "campaign")
    if plan is not None and (department is None or plan.department_id != department.pk):
        raise refuse(_("The plan belongs to another department."), "plan")
    checklist = checklist or default_checklist(enterprise)
    latitude, longitude = check_position(latitude, longitude)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            enterprise=enterprise,
            kind=kind,
            department=department,
            campaign=campaign,
            plan=plan,
            checklist=checklist,
            started_at=at,
            place=place or enterprise.address,
            latitude=latitude,
            longitude=longitude,
            created_by=actor,
        )
        if team and department is not None:
            inspection.officers.set(team)
        if joint:
            inspection.joint_departments.set(joint)
        record_event(
            EventCode.INSPECTION_STARTED,
            actor=actor,
            target=inspection,
            new={**snapshot(inspection), "officers": [o.pk for o in team], "joint": [d.pk for d in joint]},
        )
    return inspection


def _locked_for_recording(inspection: Inspection, actor: Any) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.status != InspectionStatus.IN_PROGRESS:
        raise ActionError(_("The inspection is completed: its results are final."), code="invalid_transition")
    if not inspection_rules.may_record(actor, locked):
        raise forbidden()
    return locked


def do_record_result(
    inspection: Inspection,
    *,
    actor: Any,
    result: str,
    item: ChecklistItem | None = None,
    text: str = "",
    note: str = "",
    level: str = "",
    photo: Any = None,
    latitude: Any = None,
    longitude: Any = None,
    at: dt.datetime | None = None,
) -> InspectionResult:
    """Record one checklist item's result (recording it again replaces it) or a free finding. A failure needs a
    note saying what was found; a clause of a 判定标准 proposes a major hazard unless the inspector says otherwise."""
    if result not in ItemResult.values:
        raise refuse(_("Choose complies, does not comply or not applicable."), "result")
    if level and level not in HazardLevel.values:
        raise refuse(_("Choose the hazard level."), "level")
    if item is None and not text.strip():
        raise refuse(_("Say what was checked."), "text")
    if result == ItemResult.FAIL and not note.strip():
        raise refuse(_("Describe what does not comply: it becomes the hazard's description."), "note")
    if item is None and result == ItemResult.NOT_APPLICABLE:
        raise refuse(_("A free finding cannot be “not applicable”."), "result")
    latitude, longitude = check_position(latitude, longitude)
    processed = process_photo(photo) if photo is not None else None
    with transaction.atomic():
        locked = _locked_for_recording(inspection, actor)
        if item is not None and item.checklist_id != locked.checklist_id:
            raise refuse(_("This item is not on the inspection's checklist."), "item")
        clause = item.clause if item is not None else None
        if result == ItemResult.FAIL:
            proposed = HazardLevel.MAJOR if clause is not None and clause.proposes_major else HazardLevel.GENERAL
            level = level or proposed
        else:
            level = ""
        values = {
            "clause": clause,
            "text": item.text if item is not None else text.strip(),
            "result": result,
            "note": note.strip(),
            "level": level,
            "recorded_at": at or timezone.now(),
            "latitude": latitude,
            "longitude": longitude,
            "recorded_by": actor,
        }
        if item is not None:
            row, created = InspectionResult.objects.update_or_create(inspection=locked, item=item, defaults=values)
        else:
            row, created = InspectionResult.objects.create(inspection=locked, **values), True
        if processed is not None:
            row.photo.save("photo.jpg", processed.image, save=False)
            row.thumbnail.save("thumb.jpg", processed.thumbnail, save=False)
            row.save(update_fields=["photo", "thumbnail"])
        record_event(
            EventCode.INSPECTION_RESULT_RECORDED,
            actor=actor,
            target=locked,
            new={"item": getattr(item, "pk", None), "result": result, "level": level, "replaced": not created},
        )
    return row


def _finding_data(inspection: Inspection, row: InspectionResult, deadline: dt.date | None) -> dict[str, Any]:
    clause = row.clause
    management = clause is not None and clause.category == ClauseCategory.MANAGEMENT
    major = row.level == HazardLevel.MAJOR
    description = (
        row.note
        if not clause
        else f"{row.note}（{clause.standard.document_no or clause.standard.title}{clause.number}）"
    )
    return {
        "level": row.level or HazardLevel.GENERAL,
        "source": FINDING_SOURCES.get(InspectionKind(inspection.kind), HazardSource.GOVERNMENT_INSPECTION),
        "hazard_type": HazardType.objects.get(code="safety"),
        "management_class": ManagementClass.MANAGEMENT if management else ManagementClass.THING,
        "rectification_mode": RectificationMode.DEADLINE,
        "description": description,
        "location": inspection.place,
        "found_on": timezone.localdate(row.recorded_at),
        # A major hazard's deadline comes with its governance plan.
        "deadline": None if major else deadline,
    }


def do_complete_inspection(
    inspection: Inspection,
    *,
    actor: Any,
    summary: str = "",
    handling: str = "",
    enterprise_signer: str = "",
    signature_refused: bool = False,
    deadline: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Inspection:
    """Finish the inspection: every failed item becomes a hazard in the ledger, linked to the inspection and to
    its clause. The enterprise's representative signs the record, or the refusal is noted (安全生产法 Art.68)."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _locked_for_recording(inspection, actor)
        if locked.kind != InspectionKind.SELF and not (enterprise_signer.strip() or signature_refused):
            raise refuse(
                _("Name who signed for the enterprise, or note that the signature was refused."), "enterprise_signer"
            )
        failures = list(
            locked.results.filter(result=ItemResult.FAIL, hazard__isnull=True).select_related("clause__standard")
        )
        if deadline is not None and deadline < timezone.localdate(at):
            raise refuse(_("The deadline lies in the past."), "deadline")
        if any(r.level != HazardLevel.MAJOR for r in failures) and deadline is None:
            raise refuse(_("Set the deadline for rectifying the findings."), "deadline")
        for row in failures:
            photos = [row.photo] if row.photo else []
            hazard = do_register_hazard(
                locked.enterprise,
                data=_finding_data(locked, row, deadline),
                actor=actor,
                photos=photos,
                today=timezone.localdate(at),
                at=at,
                inspection=locked,
                clause=row.clause,
            )
            row.hazard = hazard
            row.save(update_fields=["hazard"])
        locked.status = InspectionStatus.COMPLETED
        locked.completed_at = at
        locked.summary = summary.strip()
        locked.handling = handling.strip()
        locked.enterprise_signer = enterprise_signer.strip()
        locked.signature_refused = signature_refused
        locked.save(
            update_fields=[
                "status",
                "completed_at",
                "summary",
                "handling",
                "enterprise_signer",
                "signature_refused",
                "updated_at",
            ]
        )
        record_event(
            EventCode.INSPECTION_COMPLETED,
            actor=actor,
            target=locked,
            new={"hazards": [r.hazard_id for r in failures], "signer": locked.enterprise_signer},
        )
    return locked


# --- campaigns --------------------------------------------------------------------------------------------------

CAMPAIGN_FIELDS = ("kind", "title", "region", "start", "end", "description")


def do_create_campaign(
    *,
    data: dict[str, Any],
    actor: Any,
    member_departments: Sequence[Department] = (),
    industries: Sequence[Any] = (),
    tags: Sequence[Any] = (),
) -> Campaign:
    """Launch a campaign led by the actor's department over (part of) its territory."""
    if not inspection_rules.is_staff_of_a_department(actor):
        raise forbidden()
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise refuse(_("The field “%(field)s” cannot be set here.") % {"field": sorted(unknown)[0]}, sorted(unknown)[0])
    campaign = Campaign(lead_department=actor.department, created_by=actor, **data)
    prefix = actor.department.region.prefix
    if campaign.region_id and not campaign.region_id.startswith(prefix):
        raise refuse(_("The campaign's territory lies outside your department's."), "region")
    if campaign.start and campaign.end and campaign.end < campaign.start:
        raise refuse(_("The campaign ends before it starts."), "end")
    if campaign.kind not in CampaignKind.values:
        raise refuse(_("Choose the kind of campaign."), "kind")
    if not campaign.title.strip():
        raise refuse(_("Give the campaign a title."), "title")
    with transaction.atomic():
        campaign.save()
        campaign.member_departments.set([d for d in member_departments if d.pk != actor.department_id])
        campaign.industries.set(industries)
        campaign.tags.set(tags)
        record_event(EventCode.CAMPAIGN_CREATED, actor=actor, target=campaign, new=snapshot(campaign))
    return campaign


def do_add_inspection_group(
    campaign: Campaign, *, name: str, leader: Any, actor: Any, members: Sequence[Any] = (), towns: Sequence[Any] = ()
) -> InspectionGroup:
    """Form an inspection group (督查组) of a campaign; the lead department's members do this."""
    if not inspection_rules.acts_for(actor, campaign.lead_department_id):
        raise forbidden()
    if not name.strip():
        raise refuse(_("Name the group."), "name")
    if InspectionGroup.objects.filter(campaign=campaign, name=name.strip()).exists():
        raise refuse(_("The campaign already has a group of this name."), "name")
    with transaction.atomic():
        group = InspectionGroup.objects.create(campaign=campaign, name=name.strip(), leader=leader)
        group.members.set(members)
        group.towns.set(towns)
        record_event(
            EventCode.CAMPAIGN_GROUP_ADDED,
            actor=actor,
            target=campaign,
            new={"group": group.name, "leader": leader.pk, "members": [m.pk for m in members]},
        )
    return group


def campaign_enterprises(campaign: Campaign) -> QuerySet[Enterprise]:
    """The enterprises in a campaign's scope: in its territory, of its industries (a category means all of its
    industries) or carrying one of its tags, not closed (unless the campaign inspected it before it closed)."""
    # An enterprise the campaign closed down (关闭取缔) stays in its scope: closing it was the campaign's work.
    in_region = Enterprise.objects.filter(region__code__startswith=campaign.region.prefix).filter(
        ~Q(status=EnterpriseStatus.CLOSED) | Q(pk__in=campaign.inspections.values("enterprise_id"))
    )
    industry_ids = list(campaign.industries.values_list("pk", flat=True))
    tag_ids = list(campaign.tags.values_list("pk", flat=True))
    if not industry_ids and not tag_ids:
        return in_region
    remit = Q(industry_id__in=industry_ids) | Q(industry__parent_id__in=industry_ids)
    if tag_ids:
        remit |= Q(tags__in=tag_ids)
    return in_region.filter(remit).distinct()


# --- annual plans -----------------------------------------------------------------------------------------------


def draw(candidates: Sequence[int], share: Decimal | float, seed: int) -> list[int]:
    """双随机: the enterprises (by id) drawn from ``candidates`` — the same seed and candidates always draw the same."""
    ordered = sorted(candidates)
    count = min(len(ordered), math.ceil(len(ordered) * float(share)))
    return sorted(random.Random(seed).sample(ordered, count))  # noqa: S311 - an auditable draw, not a secret


def is_key_enterprise(enterprise: Enterprise) -> bool:
    """Key targets are inspected at the table's frequency; others are drawn at random (分类分级, 双随机)."""
    return bool(enterprise.industry.high_risk or enterprise.major_hazard_source_grade)


def do_create_plan(
    *, year: int, title: str, actor: Any, random_share: Decimal | float = Decimal("0.2"), seed: int | None = None
) -> InspectionPlan:
    """Draw up the department's annual plan: every key enterprise in its remit at the frequency the table gives for
    its grade; of the others, ``random_share`` drawn at random with a recorded seed."""
    if not inspection_rules.is_staff_of_a_department(actor):
        raise forbidden()
    department = actor.department
    if not 0 <= Decimal(str(random_share)) <= 1:
        raise refuse(_("The share drawn is between 0 and 1."), "random_share")
    if InspectionPlan.objects.filter(department=department, year=year).exists():
        raise refuse(_("Your department already has a plan for this year."), "year")
    seed = seed if seed is not None else secrets.randbits(48)
    frequencies = {(r.high_risk, r.standardization_grade): r.visits_per_year for r in FrequencyRule.objects.all()}
    enterprises = list(
        Enterprise.objects.filter(Enterprise.scope_q(Scope.of_department(department)))
        .exclude(status=EnterpriseStatus.CLOSED)
        .select_related("industry")
    )
    key = [e for e in enterprises if is_key_enterprise(e)]
    drawn = set(draw([e.pk for e in enterprises if not is_key_enterprise(e)], random_share, seed))
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            department=department,
            year=year,
            title=title.strip() or _("%(year)s annual inspection plan") % {"year": year},
            random_share=Decimal(str(random_share)),
            seed=seed,
            created_by=actor,
        )
        targets = [
            PlanTarget(
                plan=plan,
                enterprise=e,
                planned=frequencies.get((e.industry.high_risk, e.standardization_grade), 1),
            )
            for e in key
        ]
        targets += [PlanTarget(plan=plan, enterprise_id=pk, planned=1, drawn=True) for pk in sorted(drawn)]
        PlanTarget.objects.bulk_create(targets)
        record_event(
            EventCode.PLAN_CREATED,
            actor=actor,
            target=plan,
            new={"year": year, "seed": seed, "key": len(key), "drawn": sorted(drawn)},
        )
    return plan
