"""API of inspections: the same FilterSets, scoping, rules and actions as the pages.

Catalogue (read): ``/criteria-standards``, ``/checklists``. Field work: ``/inspections`` (start, record results,
complete), ``/campaigns``, ``/inspection-plans``. The paperwork is in ``inspections.api_enforcement``.
Refusals answer 409 (a state that does not allow it), 422 (bad input, with field errors), 403 (not yours to
do); objects outside the caller's scope answer 404.
"""
# No "from __future__ import annotations" here: django-ninja reads the annotations at runtime.

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from anjian.core.api_support import Ref, filter_query_schema, filtered, idempotent, in_scope, invalid
from anjian.core.paging import Pagination
from anjian.core.scoping import access
from anjian.enterprises.models import Enterprise, Industry, Tag
from anjian.hazards.models import Hazard
from anjian.inspections import actions, rules
from anjian.inspections.choices import (
    InspectionKind,
    ItemResult,
)
from anjian.inspections.coverage import campaign_coverage
from anjian.inspections.filtersets import (
    CampaignFilterSet,
    InspectionFilterSet,
)
from anjian.inspections.models import (
    Campaign,
    Checklist,
    ChecklistItem,
    CriteriaStandard,
    EnforcementDocument,
    Inspection,
    InspectionPlan,
)
from anjian.inspections.queries import plan_progress
from anjian.orgs.models import Department, User
from anjian.regions.models import Region

router = Router(tags=["inspections"])

InspectionQuery = filter_query_schema(InspectionFilterSet, "InspectionQuery")
CampaignQuery = filter_query_schema(CampaignFilterSet, "CampaignQuery")


def url_or_blank(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- catalogue ----------------------------------------------------------------------------------------------------


class ClauseOut(Schema):
    id: int
    number: str
    category: str
    heading: str
    text: str
    wording_unconfirmed: bool
    proposes_major: bool


class StandardOut(Schema):
    id: int
    code: str
    title: str
    document_no: str
    issued_by: str
    effective_on: dt.date | None
    major_criteria: bool
    industries: list[str]
    clause_count: int

    @staticmethod
    def resolve_industries(obj: CriteriaStandard) -> list[str]:
        return [i.code for i in obj.industries.all()]


class StandardDetailOut(StandardOut):
    note: str
    clauses: list[ClauseOut]

    @staticmethod
    def resolve_clauses(obj: CriteriaStandard) -> list[Any]:
        return list(obj.clauses.select_related("standard"))


class ChecklistItemOut(Schema):
    id: int
    text: str
    clause: ClauseOut | None


class ChecklistOut(Schema):
    id: int
    code: str
    name: str
    industry: str | None
    tag: str | None

    @staticmethod
    def resolve_industry(obj: Checklist) -> str | None:
        return obj.industry.code if obj.industry else None

    @staticmethod
    def resolve_tag(obj: Checklist) -> str | None:
        return obj.tag.code if obj.tag else None


class ChecklistDetailOut(ChecklistOut):
    items: list[ChecklistItemOut]

    @staticmethod
    def resolve_items(obj: Checklist) -> list[ChecklistItem]:
        return list(obj.items.select_related("clause__standard"))


@router.get("/criteria-standards", response=list[StandardOut])
def list_standards(request: HttpRequest) -> Any:
    """The criteria catalogue (三标合一): standards in use with their clause counts."""
    standards = CriteriaStandard.objects.filter(active=True)  # scoped: a public catalogue
    return standards.annotate(clause_count=Count("clauses")).prefetch_related("industries")


@router.get("/criteria-standards/{standard_id}", response=StandardDetailOut)
def get_standard(request: HttpRequest, standard_id: int) -> Any:
    standards = CriteriaStandard.objects.annotate(clause_count=Count("clauses"))  # scoped: a public catalogue
    standard = standards.filter(pk=standard_id).first()
    if standard is None:
        raise Http404
    return standard


@router.get("/checklists", response=list[ChecklistOut])
def list_checklists(request: HttpRequest, enterprise: int | None = None) -> Any:
    """Checklists in use; with ``enterprise``, those that fit it (its industry, category, tags, the general one)."""
    if enterprise is not None:
        return actions.checklists_for(access(Enterprise, request.user, enterprise)).select_related("industry", "tag")
    return Checklist.objects.filter(active=True).select_related("industry", "tag")  # scoped: a public catalogue


@router.get("/checklists/{checklist_id}", response=ChecklistDetailOut)
def get_checklist(request: HttpRequest, checklist_id: int) -> Any:
    checklist = Checklist.objects.select_related("industry", "tag").filter(pk=checklist_id).first()  # scoped: public
    if checklist is None:
        raise Http404
    return checklist


# --- inspections --------------------------------------------------------------------------------------------------


class InspectionOut(Schema):
    id: int
    code: str
    enterprise: Ref
    kind: str
    department: Ref | None
    campaign: int | None
    plan: int | None
    checklist: int | None
    status: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    place: str
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def resolve_campaign(obj: Inspection) -> int | None:
        return obj.campaign_id

    @staticmethod
    def resolve_plan(obj: Inspection) -> int | None:
        return obj.plan_id

    @staticmethod
    def resolve_checklist(obj: Inspection) -> int | None:
        return obj.checklist_id


class OfficerOut(Schema):
    id: int
    name: str
    certificate: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.display_name

    @staticmethod
    def resolve_certificate(obj: User) -> str:
        return obj.enforcement_certificate_no


class ResultOut(Schema):
    id: int
    item: int | None
    clause: int | None
    text: str
    result: str
    level: str
    note: str
    hazard: int | None
    recorded_at: dt.datetime
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def resolve_item(obj: Any) -> int | None:
        return obj.item_id

    @staticmethod
    def resolve_clause(obj: Any) -> int | None:
        return obj.clause_id

    @staticmethod
    def resolve_hazard(obj: Any) -> int | None:
        return obj.hazard_id


class DocumentRef(Schema):
    id: int
    kind: str
    number: str
    status: str


class InspectionDetailOut(InspectionOut):
    officers: list[OfficerOut]
    joint_departments: list[Ref]
    summary: str
    handling: str
    enterprise_signer: str
    signature_refused: bool
    results: list[ResultOut]
    hazards: list[int]
    documents: list[DocumentRef]
    may_record: bool

    @staticmethod
    def resolve_officers(obj: Inspection) -> list[User]:
        return list(obj.officers.order_by("pk"))

    @staticmethod
    def resolve_joint_departments(obj: Inspection) -> list[Department]:
        return list(obj.joint_departments.all())

    @staticmethod
    def resolve_results(obj: Inspection) -> list[Any]:
        return list(obj.results.all())

    @staticmethod
    def resolve_hazards(obj: Inspection) -> list[int]:
        return list(Hazard.objects.filter(inspection=obj).values_list("pk", flat=True))  # scoped: of this inspection

    @staticmethod
    def resolve_documents(obj: Inspection, context: Any) -> list[EnforcementDocument]:
        visible = EnforcementDocument.objects.visible_to(context["request"].user)
        return list(visible.filter(inspection=obj))

    @staticmethod
    def resolve_may_record(obj: Inspection, context: Any) -> bool:
        return rules.may_record(context["request"].user, obj)


class InspectionIn(Schema):
    enterprise: int
    kind: str
    officers: list[int] = []  # the other officers (the caller is one); law enforcement needs two with certificates
    joint_departments: list[int] = []
    campaign: int | None = None
    plan: int | None = None
    checklist: int | None = None
    place: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    started_at: dt.datetime | None = None


class ResultIn(Schema):
    item: int | None = None  # a checklist item of the inspection's checklist; none: a free finding with ``text``
    text: str = ""
    result: str  # pass | fail | na
    note: str = ""  # required for a failure: it becomes the hazard's description
    level: str = ""  # general | major; empty: proposed from the clause
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class CompleteIn(Schema):
    summary: str = ""
    handling: str = ""
    enterprise_signer: str = ""
    signature_refused: bool = False
    deadline: dt.date | None = None


def _inspection(request: HttpRequest, inspection_id: int) -> Inspection:
    queryset = Inspection.objects.with_list_related().prefetch_related("officers", "results")
    return access(queryset, request.user, inspection_id)


@router.get("/inspections", response=list[InspectionOut])
@paginate(Pagination, page_size=20)
def list_inspections(request: HttpRequest, filters: Query[InspectionQuery]) -> Any:  # type: ignore[valid-type]
    """Inspections in the caller's scope (government visits and self-inspections), filtered as on the list page."""
    queryset = Inspection.objects.visible_to(request.user).with_list_related()
    return filtered(InspectionFilterSet, request, queryset)


@router.get("/inspections/{inspection_id}", response=InspectionDetailOut)
def get_inspection(request: HttpRequest, inspection_id: int) -> Any:
    return _inspection(request, inspection_id)


@router.post("/inspections", response={201: InspectionDetailOut})
@idempotent(Inspection)
def start_inspection(request: HttpRequest, payload: InspectionIn) -> Any:
    """Start an inspection of an enterprise in scope (``kind``: routine, joint, unannounced, key_period, random,
    expert, self). The caller is an officer; name the others in ``officers``."""
    enterprise = access(Enterprise, request.user, payload.enterprise)
    if payload.kind not in InspectionKind.values:
        raise invalid("kind", _("Choose the kind of inspection."))
    officers = list(User.objects.visible_to(request.user).filter(pk__in=payload.officers))
    if len(officers) != len(set(payload.officers)):
        raise invalid("officers", _("Not found or not yours."))
    departments = list(Department.objects.visible_to(request.user).filter(pk__in=payload.joint_departments))
    checklist = Checklist.objects.filter(pk=payload.checklist).first() if payload.checklist else None  # scoped: public
    inspection = actions.do_start_inspection(
        enterprise,
        kind=payload.kind,
        actor=request.user,
        officers=officers,
        joint_departments=departments,
        campaign=in_scope(Campaign, request, payload.campaign, "campaign"),
        plan=in_scope(InspectionPlan, request, payload.plan, "plan"),
        checklist=checklist,
        place=payload.place,
        latitude=payload.latitude,
        longitude=payload.longitude,
        at=payload.started_at,
    )
    return Status(201, _inspection(request, inspection.pk))


@router.post("/inspections/{inspection_id}/results", response={201: ResultOut})
def record_result(request: HttpRequest, inspection_id: int, payload: ResultIn) -> Any:
    """Record one checklist item's result (again: replaced) or a free finding, while the inspection is open."""
    inspection = access(Inspection, request.user, inspection_id)
    if payload.result not in ItemResult.values:
        raise invalid("result", _("Choose complies, does not comply or not applicable."))
    item = None
    if payload.item is not None and inspection.checklist_id is not None:
        of_checklist = ChecklistItem.objects.filter(checklist_id=inspection.checklist_id)  # scoped: its checklist
        item = of_checklist.filter(pk=payload.item).first()
    if payload.item is not None and item is None:
        raise invalid("item", _("This item is not on the inspection's checklist."))
    row = actions.do_record_result(
        inspection,
        actor=request.user,
        item=item,
        text=payload.text,
        result=payload.result,
        note=payload.note,
        level=payload.level,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, row)


@router.post("/inspections/{inspection_id}/complete", response=InspectionDetailOut)
def complete_inspection(request: HttpRequest, inspection_id: int, payload: CompleteIn) -> Any:
    """Complete the inspection: each failed item becomes a hazard linked to the inspection and its clause."""
    inspection = access(Inspection, request.user, inspection_id)
    actions.do_complete_inspection(inspection, actor=request.user, **payload.dict())
    return _inspection(request, inspection_id)


# --- campaigns and plans ------------------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    kind: str
    title: str
    region: str
    start: dt.date
    end: dt.date
    lead_department: Ref

    @staticmethod
    def resolve_region(obj: Campaign) -> str:
        return obj.region_id


class GroupOut(Schema):
    name: str
    leader: str
    members: list[str]

    @staticmethod
    def resolve_leader(obj: Any) -> str:
        return obj.leader.display_name

    @staticmethod
    def resolve_members(obj: Any) -> list[str]:
        return [m.display_name for m in obj.members.all()]


class CampaignDetailOut(CampaignOut):
    description: str
    member_departments: list[Ref]
    industries: list[str]
    tags: list[str]
    groups: list[GroupOut]
    enterprises_in_scope: int
    enterprises_inspected: int
    visits: int

    @staticmethod
    def resolve_member_departments(obj: Campaign) -> list[Department]:
        return list(obj.member_departments.all())

    @staticmethod
    def resolve_industries(obj: Campaign) -> list[str]:
        return [i.code for i in obj.industries.all()]

    @staticmethod
    def resolve_tags(obj: Campaign) -> list[str]:
        return [t.code for t in obj.tags.all()]

    @staticmethod
    def resolve_groups(obj: Campaign) -> list[Any]:
        return list(obj.groups.select_related("leader").prefetch_related("members"))

    @staticmethod
    def resolve_enterprises_in_scope(obj: Campaign) -> int:
        return campaign_coverage(obj)[1]

    @staticmethod
    def resolve_enterprises_inspected(obj: Campaign) -> int:
        return campaign_coverage(obj)[0]

    @staticmethod
    def resolve_visits(obj: Campaign) -> int:
        return obj.inspections.exclude(kind=InspectionKind.SELF).count()


class CampaignIn(Schema):
    kind: str
    title: str
    region: str  # a region code in the caller's territory
    start: dt.date
    end: dt.date
    description: str = ""
    member_departments: list[int] = []
    industries: list[str] = []  # industry or category codes
    tags: list[str] = []  # key-sector tag codes


@router.get("/campaigns", response=list[CampaignOut])
@paginate(Pagination, page_size=20)
def list_campaigns(request: HttpRequest, filters: Query[CampaignQuery]) -> Any:  # type: ignore[valid-type]
    """Campaigns of the caller's territory and of the governments above it."""
    queryset = Campaign.objects.visible_to(request.user).select_related("lead_department")
    return filtered(CampaignFilterSet, request, queryset)


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut)
def get_campaign(request: HttpRequest, campaign_id: int) -> Any:
    return access(Campaign.objects.select_related("lead_department", "region"), request.user, campaign_id)


@router.post("/campaigns", response={201: CampaignDetailOut})
@idempotent(Campaign)
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Any:
    """Launch a campaign led by the caller's department."""
    region = Region.objects.visible_to(request.user).filter(code=payload.region).first()
    if region is None:
        raise invalid("region", _("Not found or not yours."))
    data = payload.dict(include={"kind", "title", "start", "end", "description"})
    campaign = actions.do_create_campaign(
        data={**data, "region": region},
        actor=request.user,
        member_departments=list(Department.objects.visible_to(request.user).filter(pk__in=payload.member_departments)),
        industries=list(Industry.objects.filter(code__in=payload.industries)),  # scoped: a public catalogue
        tags=list(Tag.objects.filter(code__in=payload.tags)),  # scoped: a public catalogue
    )
    return Status(201, get_campaign(request, campaign.pk))


class TargetOut(Schema):
    enterprise: Ref
    planned: int
    drawn: bool
    done: int


class PlanOut(Schema):
    id: int
    department: Ref
    year: int
    title: str
    random_share: Decimal
    seed: int


class PlanDetailOut(PlanOut):
    targets: list[TargetOut]
    planned: int
    done: int

    @staticmethod
    def resolve_targets(obj: InspectionPlan) -> list[Any]:
        return list(plan_progress(obj))

    @staticmethod
    def resolve_planned(obj: InspectionPlan) -> int:
        return sum(t.planned for t in plan_progress(obj))

    @staticmethod
    def resolve_done(obj: InspectionPlan) -> int:
        return sum(min(getattr(t, "done", 0), t.planned) for t in plan_progress(obj))


class PlanIn(Schema):
    year: int
    title: str = ""
    random_share: Decimal = Decimal("0.2")
    seed: int | None = None  # give one to repeat a draw; none: a fresh random seed, recorded


@router.get("/inspection-plans", response=list[PlanOut])
def list_plans(request: HttpRequest) -> Any:
    return InspectionPlan.objects.visible_to(request.user).select_related("department")


@router.get("/inspection-plans/{plan_id}", response=PlanDetailOut)
def get_plan(request: HttpRequest, plan_id: int) -> Any:
    return access(InspectionPlan.objects.select_related("department"), request.user, plan_id)


@router.post("/inspection-plans", response={201: PlanDetailOut})
@idempotent(InspectionPlan)
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    """Draw up the caller's department's annual plan: key enterprises at the table's frequency, others drawn."""
    plan = actions.do_create_plan(
        year=payload.year,
        title=payload.title,
        random_share=payload.random_share,
        seed=payload.seed,
        actor=request.user,
    )
    return Status(201, get_plan(request, plan.pk))
