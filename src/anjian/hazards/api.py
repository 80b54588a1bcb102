"""API of the hazard ledger: the same FilterSet, scoping, rules and actions as the pages.

Every hazard the API returns carries ``status`` and ``allowed_actions`` (what the caller may do now). A refused
transition answers 409 with the reason (a lost race too); an action the caller may not take answers 403.
"""
# No "from __future__ import annotations" here: django-ninja reads the annotations at runtime.

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from anjian.core.api_support import filter_query_schema, filtered, idempotent
from anjian.core.exceptions import InvalidInput
from anjian.core.paging import Pagination
from anjian.core.scoping import access
from anjian.enterprises.models import Enterprise
from anjian.hazards import actions, major, rules
from anjian.hazards.choices import EvaluationKind, HazardAction, PhotoStage, SupervisionLevel
from anjian.hazards.filtersets import HazardFilterSet
from anjian.hazards.models import (
    GovernancePlan,
    Hazard,
    HazardPeriodicReport,
    HazardPhoto,
    HazardTransition,
    HazardType,
    MajorHazardReport,
    ResumptionApplication,
    SupervisionListing,
)
from anjian.hazards.reports import do_prepare_periodic_report, do_submit_periodic_report
from anjian.hazards.reports import period as report_period

router = Router(tags=["hazards"])

HazardQuery = filter_query_schema(HazardFilterSet, "HazardQuery")


class EnterpriseRef(Schema):
    id: int
    name: str


class TypeRef(Schema):
    code: str
    name: str


class PhotoOut(Schema):
    id: int
    stage: str
    url: str
    thumbnail_url: str
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_url(obj: HazardPhoto) -> str:
        return reverse("hazards:photo", args=[obj.pk])

    @staticmethod
    def resolve_thumbnail_url(obj: HazardPhoto) -> str:
        return reverse("hazards:photo_thumb", args=[obj.pk])


class TransitionOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str
    at: dt.datetime
    note: str
    data: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: HazardTransition) -> str:
        return obj.actor_name


class ExtensionOut(Schema):
    requested_deadline: dt.date
    reason: str
    requested_at: dt.datetime
    status: str


class HazardOut(Schema):
    id: int
    code: str
    enterprise: EnterpriseRef
    level: str
    source: str
    hazard_type: TypeRef
    management_class: str
    rectification_mode: str
    description: str
    location: str
    found_on: dt.date
    deadline: dt.date | None
    status: str
    status_label: str
    overdue: bool
    self_found: bool
    closed_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_status_label(obj: Hazard) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_overdue(obj: Hazard) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_self_found(obj: Hazard) -> bool:
        return obj.is_self_found


class MajorReportOut(Schema):
    state_and_cause: str
    harm_and_difficulty: str
    approach: str
    submitted_at: dt.datetime


class GovernancePlanOut(Schema):
    objectives: str
    methods: str
    funding: str
    organisation: str
    schedule: str
    safety_measures: str
    prepared_at: dt.datetime


class ListingOut(Schema):
    number: str
    level: str
    department: str
    deadline: dt.date
    served_on: dt.date
    enterprise_suspended: bool
    status: str
    delisted_at: dt.datetime | None

    @staticmethod
    def resolve_department(obj: SupervisionListing) -> str:
        return obj.department.name


class ResumptionOut(Schema):
    evaluation_kind: str
    evaluator: str
    evaluation: str
    applied_at: dt.datetime
    review_due: dt.date
    review_overdue: bool
    approved: bool | None
    review_note: str

    @staticmethod
    def resolve_review_overdue(obj: ResumptionApplication) -> bool:
        return obj.review_overdue()


class HazardDetailOut(HazardOut):
    cause: str
    finder_name: str
    finding_department: str | None
    measures: str
    responsible_person: str
    responsible_phone: str
    funds: Decimal | None
    original_deadline: dt.date | None
    contingency_plan: str
    rectification: str
    photos: list[PhotoOut]
    transitions: list[TransitionOut]
    pending_extension: ExtensionOut | None
    allowed_actions: list[str]
    major_report: MajorReportOut | None
    governance_plan: GovernancePlanOut | None
    listings: list[ListingOut]
    resumptions: list[ResumptionOut]

    # The major-hazard branch: only a major hazard has it (Hazard.is_major), so a general one reads none of it.
    @staticmethod
    def resolve_major_report(obj: Hazard) -> Any:
        return MajorHazardReport.objects.filter(hazard=obj).first() if obj.is_major else None  # scoped: its hazard's

    @staticmethod
    def resolve_governance_plan(obj: Hazard) -> Any:
        return GovernancePlan.objects.filter(hazard=obj).first() if obj.is_major else None  # scoped: its hazard's

    @staticmethod
    def resolve_listings(obj: Hazard) -> list[SupervisionListing]:
        return list(obj.listings.select_related("department")) if obj.is_major else []

    @staticmethod
    def resolve_resumptions(obj: Hazard) -> list[ResumptionApplication]:
        return list(obj.resumptions.all()) if obj.is_major else []

    @staticmethod
    def resolve_finding_department(obj: Hazard) -> str | None:
        return obj.finding_department.name if obj.finding_department else None

    @staticmethod
    def resolve_photos(obj: Hazard) -> list[HazardPhoto]:
        return list(obj.photos.all())

    @staticmethod
    def resolve_transitions(obj: Hazard) -> list[HazardTransition]:
        return list(obj.transitions.all())

    @staticmethod
    def resolve_pending_extension(obj: Hazard) -> Any:
        return obj.pending_extension

    @staticmethod
    def resolve_allowed_actions(obj: Hazard, context: Any) -> list[str]:
        return [a.value for a in rules.allowed_actions(context["request"].user, obj)]


class HazardIn(Schema):
    enterprise: int
    level: str = "general"
    source: str
    hazard_type: str = "other"  # a hazard type code (safety, process, electrical …)
    management_class: str
    rectification_mode: str = "deadline"  # or "immediate": rectified on the spot, then ``rectification`` is required
    description: str
    location: str = ""
    cause: str = ""
    found_on: dt.date
    finder_name: str = ""
    measures: str = ""
    responsible_person: str = ""
    responsible_phone: str = ""
    funds: Decimal | None = None
    deadline: dt.date | None = None
    contingency_plan: str = ""
    rectification: str = ""


class PlanIn(Schema):
    measures: str
    responsible_person: str
    responsible_phone: str = ""
    funds: Decimal | None = None
    deadline: dt.date | None = None
    contingency_plan: str


class TransitionIn(Schema):
    action: str
    note: str = ""  # the reason, where one is required (reject, void, request_extension, deny_extension)
    deadline: dt.date | None = None  # request_extension: the new deadline
    plan: PlanIn | None = None  # start: the 五落实
    rectification: str = ""  # submit: what was done (defaults to ``note``)


def _detail(request: HttpRequest, hazard_id: int) -> Hazard:
    queryset = Hazard.objects.with_list_related().select_related("finding_department")
    return access(queryset.prefetch_related("photos", "transitions"), request.user, hazard_id)


@router.get("/hazards", response=list[HazardOut])
@paginate(Pagination, page_size=20)
def list_hazards(request: HttpRequest, filters: Query[HazardQuery]) -> Any:  # type: ignore[valid-type]
    """Hazards in the caller's scope, filtered as on the ledger page (same parameters)."""
    return filtered(HazardFilterSet, request, Hazard.objects.visible_to(request.user).with_list_related())


@router.get("/hazards/{hazard_id}", response=HazardDetailOut)
def get_hazard(request: HttpRequest, hazard_id: int) -> Any:
    return _detail(request, hazard_id)


@router.post("/hazards", response={201: HazardDetailOut})
@idempotent(Hazard)
def create_hazard(request: HttpRequest, payload: HazardIn) -> Any:
    """Register a hazard of an enterprise in the caller's scope. Send an ``Idempotency-Key`` to retry safely."""
    enterprise = access(Enterprise, request.user, payload.enterprise)
    data = payload.dict(exclude={"enterprise"})
    hazard_type = HazardType.objects.filter(code=data.pop("hazard_type")).first()  # scoped: a public catalogue
    if hazard_type is None:
        raise InvalidInput(_("Unknown hazard type."), field_errors={"hazard_type": [_("Unknown hazard type.")]})
    data = {k: ("" if v is None and k not in ("funds", "deadline") else v) for k, v in data.items()}
    hazard = actions.do_register_hazard(enterprise, data={**data, "hazard_type": hazard_type}, actor=request.user)
    return Status(201, _detail(request, hazard.pk))


@router.post("/hazards/{hazard_id}/transitions", response=HazardDetailOut)
@idempotent(Hazard)
def transition_hazard(request: HttpRequest, hazard_id: int, payload: TransitionIn) -> Any:
    """Move a hazard: ``start`` (with ``plan``), ``submit``, ``accept``, ``reject``, ``request_extension`` (with
    ``deadline``), ``approve_extension``, ``deny_extension``, ``void``. ``note`` is the reason where one is needed."""
    hazard = access(Hazard, request.user, hazard_id)
    try:
        action = HazardAction(payload.action)
    except ValueError:
        raise InvalidInput(_("Unknown action."), field_errors={"action": [_("Unknown action.")]}) from None
    plan = payload.plan.dict() if payload.plan else {}
    actions.perform(
        hazard,
        action,
        actor=request.user,
        note=payload.note,
        deadline=payload.deadline,
        plan={k: v for k, v in plan.items() if v not in (None, "")},
        rectification=payload.rectification,
    )
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/photos", response={201: PhotoOut})
def add_hazard_photo(request: HttpRequest, hazard_id: int, stage: Form[str], photo: File[UploadedFile]) -> Any:
    """Attach a photo (multipart: ``stage`` = ``before`` or ``after``, ``photo`` = a JPEG, PNG or WebP file)."""
    hazard = access(Hazard, request.user, hazard_id)
    try:
        chosen = PhotoStage(stage)
    except ValueError:
        raise InvalidInput(_("Unknown stage."), field_errors={"stage": [_("Unknown stage.")]}) from None
    return Status(201, actions.do_add_hazard_photo(hazard, upload=photo, stage=chosen, actor=request.user))


class MajorReportIn(Schema):
    state_and_cause: str
    harm_and_difficulty: str
    approach: str


class GovernancePlanIn(Schema):
    objectives: str
    methods: str
    funding: str
    organisation: str
    schedule: str
    safety_measures: str


class ListingIn(Schema):
    level: str = "county"  # province, city or county
    deadline: dt.date
    served_on: dt.date | None = None  # default: today
    suspend_enterprise: bool = False


class ResumptionIn(Schema):
    evaluation_kind: str  # self or evaluator
    evaluator: str = ""
    evaluation: str
    rectification: str


def _choice(enum: Any, value: str, field: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(_("Unknown choice."), field_errors={field: [_("Unknown choice.")]}) from None


@router.post("/hazards/{hazard_id}/major-report", response=HazardDetailOut)
def report_major_hazard(request: HttpRequest, hazard_id: int, payload: MajorReportIn) -> Any:
    """The enterprise's three-part report of a major hazard (state and cause, harm and difficulty, approach)."""
    major.do_report_major_hazard(access(Hazard, request.user, hazard_id), data=payload.dict(), actor=request.user)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/governance-plan", response=HazardDetailOut)
def prepare_governance_plan(request: HttpRequest, hazard_id: int, payload: GovernancePlanIn) -> Any:
    """The six-part governance plan a major hazard needs before its rectification starts."""
    major.do_prepare_governance_plan(access(Hazard, request.user, hazard_id), data=payload.dict(), actor=request.user)
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/listings", response={201: HazardDetailOut})
@idempotent(Hazard)
def list_hazard_for_supervision(request: HttpRequest, hazard_id: int, payload: ListingIn) -> Any:
    """挂牌督办 by the caller's department: a numbered notice; optionally the enterprise suspends meanwhile."""
    major.do_list_for_supervision(
        access(Hazard, request.user, hazard_id),
        level=_choice(SupervisionLevel, payload.level, "level"),
        deadline=payload.deadline,
        served_on=payload.served_on,
        suspend_enterprise=payload.suspend_enterprise,
        actor=request.user,
    )
    return Status(201, _detail(request, hazard_id))


@router.post("/hazards/{hazard_id}/resumption", response=HazardDetailOut)
@idempotent(Hazard)
def apply_for_resumption(request: HttpRequest, hazard_id: int, payload: ResumptionIn) -> Any:
    """A major hazard's submission: the evaluation of its governance, reviewed on site within the SLA."""
    major.do_apply_resumption(
        access(Hazard, request.user, hazard_id),
        evaluation_kind=_choice(EvaluationKind, payload.evaluation_kind, "evaluation_kind"),
        evaluator=payload.evaluator,
        evaluation=payload.evaluation,
        rectification=payload.rectification,
        actor=request.user,
    )
    return _detail(request, hazard_id)


class PeriodicReportOut(Schema):
    id: int
    enterprise: EnterpriseRef
    period: str
    year: int
    quarter: int | None
    start: dt.date
    end: dt.date
    due_on: dt.date
    figures: dict[str, Any]
    status: str
    late: bool
    principal_name: str
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_late(obj: HazardPeriodicReport) -> bool:
        return obj.is_late


class PeriodicReportIn(Schema):
    enterprise: int
    period: str  # quarter or year
    year: int
    quarter: int | None = None


@router.get("/hazard-reports", response=list[PeriodicReportOut])
@paginate(Pagination, page_size=50)
def list_periodic_reports(
    request: HttpRequest, period: str | None = None, year: int | None = None, quarter: int | None = None
) -> Any:
    """Quarterly and annual hazard statistics reports in the caller's scope."""
    reports = HazardPeriodicReport.objects.visible_to(request.user).select_related("enterprise")
    if period:
        reports = reports.filter(period=period)
    if year:
        reports = reports.filter(year=year)
    if quarter:
        reports = reports.filter(quarter=quarter)
    return reports.order_by("-year", "-quarter", "enterprise_id")


@router.get("/hazard-reports/{report_id}", response=PeriodicReportOut)
def get_periodic_report(request: HttpRequest, report_id: int) -> Any:
    return access(HazardPeriodicReport.objects.select_related("enterprise"), request.user, report_id)


@router.post("/hazard-reports", response={201: PeriodicReportOut})
def prepare_periodic_report(request: HttpRequest, payload: PeriodicReportIn) -> Any:
    """Prepare (or refresh a draft of) an ended period's report from the ledger."""
    enterprise = access(Enterprise, request.user, payload.enterprise)
    chosen = report_period(payload.period, payload.year, payload.quarter)
    return Status(201, do_prepare_periodic_report(enterprise, chosen, actor=request.user))


@router.post("/hazard-reports/{report_id}/submit", response=PeriodicReportOut)
def submit_periodic_report(
    request: HttpRequest,
    report_id: int,
    principal_name: Form[str],
    signed_scan: File[UploadedFile],
    analysis: Form[str] = "",
) -> Any:
    """Submit with the principal's signed scan (multipart: PDF or photo); a submitted report never changes."""
    report = access(HazardPeriodicReport, request.user, report_id)
    return do_submit_periodic_report(
        report, signed_scan=signed_scan, principal_name=principal_name, analysis=analysis, actor=request.user
    )
