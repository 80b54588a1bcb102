"""API of the dual-prevention mechanism (双重预防): the risk register and its checks, through the same FilterSets,
scoping and actions as the pages.

Register: ``/risk-objects``, ``/risk-units`` (a unit's detail carries its events with their latest assessments and
control measures), ``/risk-events``, ``/risk-assessments`` (a new version each time), ``/control-measures``.
Checks: ``/check-tasks`` and ``/check-tasks/{id}/record`` (abnormal opens a hazard). The enterprise's whole chain in
the national interface's shape: ``/enterprises/{id}/dual-prevention-export`` (see ``risks.national``).

Everyone who sees an enterprise sees its register (risks are announced to the workforce); only the enterprise's
principal or safety officer changes it (403 otherwise, from the action), and a check is recorded by its assignee or
by them. Refusals answer 409 (a state that does not allow it), 422 (bad input, with field errors), 403 (not yours
to do); objects outside the caller's scope answer 404.
"""
# No "from __future__ import annotations" here: django-ninja reads the annotations at runtime.

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from anjian.core.api_support import Ref, filter_query_schema, filtered, idempotent, invalid
from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.core.paging import Pagination
from anjian.core.scoping import Scope, access
from anjian.enterprises.models import Enterprise
from anjian.orgs.models import User
from anjian.risks import actions, national
from anjian.risks.choices import LEVEL_COLOURS, RiskLevel
from anjian.risks.filtersets import RiskUnitFilterSet
from anjian.risks.filtersets_tasks import CheckTaskFilterSet
from anjian.risks.models import (
    CheckRecord,
    CheckTask,
    ControlMeasure,
    RiskAssessment,
    RiskEvent,
    RiskObject,
    RiskUnit,
)
from anjian.risks.models.checks import CheckTaskQuerySet

router = Router(tags=["risks"])

RiskUnitQuery = filter_query_schema(RiskUnitFilterSet, "RiskUnitQuery")
CheckTaskQuery = filter_query_schema(CheckTaskFilterSet, "CheckTaskQuery")


class UserRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.display_name


# --- risk objects -------------------------------------------------------------------------------------------------


class RiskObjectOut(Schema):
    id: int
    enterprise: Ref
    code: str  # hazardCode of the national interface
    name: str
    major_hazard_installation: bool
    unit_count: int

    @staticmethod
    def resolve_unit_count(obj: RiskObject) -> int:
        annotated = getattr(obj, "unit_count", None)
        return annotated if annotated is not None else obj.units.count()


class RiskObjectIn(Schema):
    enterprise: int
    code: str
    name: str
    major_hazard_installation: bool = False


@router.get("/risk-objects", response=list[RiskObjectOut])
@paginate(Pagination, page_size=50)
def list_risk_objects(request: HttpRequest, enterprise: int | None = None) -> Any:
    """Risk objects (风险分析对象) of the enterprises in the caller's scope; ``enterprise`` narrows to one."""
    objects = RiskObject.objects.visible_to(request.user).select_related("enterprise")
    if enterprise is not None:
        objects = objects.filter(enterprise_id=enterprise)
    return objects.annotate(unit_count=Count("units")).order_by("enterprise_id", "code")


@router.post("/risk-objects", response={201: RiskObjectOut})
@idempotent(RiskObject)
def create_risk_object(request: HttpRequest, payload: RiskObjectIn) -> Any:
    """Register a risk object of an enterprise (its principal or safety officer). ``code``: the hazardCode."""
    enterprise = access(Enterprise, request.user, payload.enterprise)
    data = payload.dict(exclude={"enterprise"})
    created = actions.do_create_risk_object(enterprise, data=data, actor=request.user)
    return Status(201, access(RiskObject.objects.select_related("enterprise"), request.user, created.pk))


# --- risk units, events, assessments, measures ---------------------------------------------------------------------


class ObjectRef(Schema):
    id: int
    code: str
    name: str


class RiskUnitOut(Schema):
    id: int
    enterprise: Ref
    risk_object: ObjectRef
    name: str
    kind: str
    department: str
    responsible_person: str
    post: str
    level: str  # major | high | medium | low; empty until an event is assessed
    colour: str  # red | orange | yellow | blue
    x: Decimal | None
    y: Decimal | None


class AssessmentOut(Schema):
    id: int
    event: int
    version: int
    method: str
    inputs: dict[str, str]
    score: Decimal
    level: str
    colour: str
    residual: bool
    assessed_on: dt.date
    assessed_by: str
    table: int
    note: str

    @staticmethod
    def resolve_event(obj: RiskAssessment) -> int:
        return obj.event_id

    @staticmethod
    def resolve_table(obj: RiskAssessment) -> int:
        return obj.table_id

    @staticmethod
    def resolve_assessed_by(obj: RiskAssessment) -> str:
        return obj.assessed_by.display_name if obj.assessed_by else ""


class MeasureOut(Schema):
    id: int
    event: int
    description: str
    check_content: str
    classify1: str
    classify2: str
    classify3: str
    control_tier: str
    cycle: int
    cycle_unit: str
    window_start: dt.time | None
    window_end: dt.time | None
    assignee: UserRef
    starts_on: dt.date
    active: bool

    @staticmethod
    def resolve_event(obj: ControlMeasure) -> int:
        return obj.event_id


class EventOut(Schema):
    id: int
    unit: int
    name: str
    accident_type: str
    level: str
    colour: str
    residual_level: str
    reassess_by: dt.date | None
    assessment: AssessmentOut | None  # the latest assessment (the event's level)
    residual_assessment: AssessmentOut | None  # the latest assessment of the risk left with the measures in place
    measures: list[MeasureOut]

    @staticmethod
    def resolve_unit(obj: RiskEvent) -> int:
        return obj.unit_id

    @staticmethod
    def resolve_colour(obj: RiskEvent) -> str:
        return LEVEL_COLOURS[RiskLevel(obj.level)] if obj.level else ""

    @staticmethod
    def resolve_assessment(obj: RiskEvent) -> RiskAssessment | None:
        return next((a for a in obj.assessments.all() if not a.residual), None)

    @staticmethod
    def resolve_residual_assessment(obj: RiskEvent) -> RiskAssessment | None:
        return next((a for a in obj.assessments.all() if a.residual), None)

    @staticmethod
    def resolve_measures(obj: RiskEvent) -> list[ControlMeasure]:
        return list(obj.measures.all())


class RiskUnitDetailOut(RiskUnitOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj: RiskUnit) -> list[RiskEvent]:
        return list(obj.events.all())


def _event_queryset() -> Any:
    """Events with what ``EventOut`` shows, in a fixed number of queries (assessments newest first)."""
    assessments = RiskAssessment.objects.select_related("assessed_by").order_by("event", "-version")
    measures = ControlMeasure.objects.select_related("assignee")
    # One Prefetch per call: django-stubs cannot type two of different models in one.
    events = RiskEvent.objects.order_by("unit", "pk").prefetch_related(Prefetch("assessments", queryset=assessments))
    return events.prefetch_related(Prefetch("measures", queryset=measures))


def _unit(request: HttpRequest, unit_id: int) -> RiskUnit:
    units = RiskUnit.objects.select_related("enterprise", "risk_object").prefetch_related(
        Prefetch("events", queryset=_event_queryset())
    )
    return access(units, request.user, unit_id)


class RiskUnitIn(Schema):
    risk_object: int
    name: str
    kind: str  # area | installation | post | activity
    department: str
    responsible_person: str
    post: str = ""


class RiskEventIn(Schema):
    unit: int
    name: str
    accident_type: str  # one of the 20 types of GB 6441 (fire, poisoning, burn …)


class AssessmentIn(Schema):
    event: int
    method: str  # lec | ls | mes
    inputs: dict[str, Any]  # {"L": 3, "E": 6, "C": 15}: each a value of the method's table
    residual: bool = False
    note: str = ""
    assessed_on: dt.date | None = None  # default: today


class MeasureIn(Schema):
    event: int
    description: str
    check_content: str
    classify1: str  # engineering | maintenance | operation | emergency
    classify2: str = ""
    classify3: str = ""
    control_tier: str  # company | workshop | team | post
    cycle: int = 1
    cycle_unit: str  # hour | day | week | month | quarter | year
    window_start: dt.time | None = None
    window_end: dt.time | None = None
    assignee: int  # a member of the enterprise who does the checks
    starts_on: dt.date | None = None  # default: today


@router.get("/risk-units", response=list[RiskUnitOut])
@paginate(Pagination, page_size=50)
def list_risk_units(request: HttpRequest, filters: Query[RiskUnitQuery]) -> Any:  # type: ignore[valid-type]
    """Risk units (风险分析单元) in the caller's scope, filtered as on the register page (same parameters)."""
    queryset = RiskUnit.objects.visible_to(request.user).select_related("enterprise", "risk_object")
    return filtered(RiskUnitFilterSet, request, queryset)


@router.get("/risk-units/{unit_id}", response=RiskUnitDetailOut)
def get_risk_unit(request: HttpRequest, unit_id: int) -> Any:
    """A unit with its events, each with its latest assessment (and residual one) and its control measures."""
    return _unit(request, unit_id)


@router.post("/risk-units", response={201: RiskUnitDetailOut})
@idempotent(RiskUnit)
def create_risk_unit(request: HttpRequest, payload: RiskUnitIn) -> Any:
    """Register a unit under a risk object, with its responsible department and person."""
    risk_object = access(RiskObject, request.user, payload.risk_object)
    unit = actions.do_create_risk_unit(risk_object, data=payload.dict(exclude={"risk_object"}), actor=request.user)
    return Status(201, _unit(request, unit.pk))


@router.post("/risk-events", response={201: EventOut})
@idempotent(RiskEvent)
def create_risk_event(request: HttpRequest, payload: RiskEventIn) -> Any:
    """Register what can go wrong in a unit (风险事件); assess it next."""
    unit = access(RiskUnit, request.user, payload.unit)
    event = actions.do_create_risk_event(unit, data=payload.dict(exclude={"unit"}), actor=request.user)
    return Status(201, access(_event_queryset(), request.user, event.pk))


@router.get("/risk-assessments", response=list[AssessmentOut])
def list_risk_assessments(request: HttpRequest, event: int) -> Any:
    """Every assessment of an event, newest version first (history is kept)."""
    found = access(RiskEvent, request.user, event)
    return found.assessments.select_related("assessed_by").order_by("-version")


@router.post("/risk-assessments", response={201: AssessmentOut})
@idempotent(RiskAssessment)
def assess_risk_event(request: HttpRequest, payload: AssessmentIn) -> Any:
    """Assess an event by LEC, LS or MES with the table in force for the enterprise's region: the answer carries
    the score, level and colour, as a new version. A factor outside the table answers 422 on that factor."""
    event = access(RiskEvent, request.user, payload.event)
    if payload.assessed_on is not None and payload.assessed_on > timezone.localdate():
        raise invalid("assessed_on", _("The date cannot be in the future."))
    assessment = actions.do_assess_event(
        event,
        method=payload.method,
        inputs=payload.inputs,
        actor=request.user,
        residual=payload.residual,
        note=payload.note,
        on=payload.assessed_on,
    )
    return Status(201, access(RiskAssessment.objects.select_related("assessed_by"), request.user, assessment.pk))


@router.post("/control-measures", response={201: MeasureOut})
@idempotent(ControlMeasure)
def add_control_measure(request: HttpRequest, payload: MeasureIn) -> Any:
    """Add a control measure to an event, with its check cycle, daily work window and assignee; the nightly job
    generates its check tasks from ``starts_on``."""
    event = access(RiskEvent.objects.select_related("unit"), request.user, payload.event)
    members = User.objects.filter(enterprise_id=event.unit.enterprise_id)  # scoped: of the event's enterprise
    assignee = members.filter(pk=payload.assignee).first()  # anyone else: refused by the action (422)
    data = payload.dict(exclude={"event", "assignee"})
    data["starts_on"] = payload.starts_on or timezone.localdate()
    measure = actions.do_add_control_measure(event, data={**data, "assignee": assignee}, actor=request.user)
    return Status(201, access(ControlMeasure.objects.select_related("assignee"), request.user, measure.pk))


# --- check tasks and records ---------------------------------------------------------------------------------------


class MeasureRef(Schema):
    id: int
    description: str
    check_content: str
    classify1: str
    cycle: int
    cycle_unit: str


class RecordOut(Schema):
    id: int
    task: int
    checked_at: dt.datetime
    checked_by: UserRef
    result: str  # pass | fail
    note: str
    latitude: Decimal | None
    longitude: Decimal | None
    hazard: int | None  # the hazard an abnormal check opened

    @staticmethod
    def resolve_task(obj: CheckRecord) -> int:
        return obj.task_id

    @staticmethod
    def resolve_hazard(obj: CheckRecord) -> int | None:
        return obj.hazard_id


class TaskOut(Schema):
    id: int
    enterprise: Ref
    unit: Ref
    event: Ref
    measure: MeasureRef
    assignee: UserRef
    due_start: dt.datetime
    due_end: dt.datetime
    status: str  # pending | done | missed
    open_now: bool  # pending, and its window is open
    may_record: bool  # the caller may record it now
    record: RecordOut | None

    @staticmethod
    def resolve_unit(obj: CheckTask) -> RiskUnit:
        return obj.measure.event.unit

    @staticmethod
    def resolve_event(obj: CheckTask) -> RiskEvent:
        return obj.measure.event

    @staticmethod
    def resolve_open_now(obj: CheckTask) -> bool:
        return obj.is_open_now

    @staticmethod
    def resolve_may_record(obj: CheckTask, context: Any) -> bool:
        return obj.is_open_now and bool(actions.tasks_for(context["request"].user, [obj]))

    @staticmethod
    def resolve_record(obj: CheckTask) -> CheckRecord | None:
        try:
            return obj.record
        except CheckRecord.DoesNotExist:
            return None


class RecordIn(Schema):
    result: str  # pass | fail; fail needs ``note``, which becomes the hazard's description
    note: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _tasks() -> CheckTaskQuerySet:
    return CheckTask.objects.with_related().select_related("record__checked_by")


@router.get("/check-tasks", response=list[TaskOut])
@paginate(Pagination, page_size=50)
def list_check_tasks(request: HttpRequest, filters: Query[CheckTaskQuery]) -> Any:  # type: ignore[valid-type]
    """Check tasks in the caller's scope, latest first, filtered as on the task pages: ``enterprise``, ``status``
    (pending, done, missed, or overdue: window closed, not yet flagged), ``assignee=mine`` (enterprise users),
    ``start``/``end`` (days the task falls due), ``region``/``industry`` (government users)."""
    queryset = _tasks().visible_to(request.user)
    return filtered(CheckTaskFilterSet, request, queryset).order_by("-due_start", "-pk")


@router.post("/check-tasks/{task_id}/record", response={201: RecordOut})
@idempotent(CheckRecord)
def record_check(request: HttpRequest, task_id: int, payload: RecordIn) -> Any:
    """Record the check within its window (the assignee, or the enterprise's principal or safety officer), with
    the place it was done. Abnormal opens a hazard (control measure failed); the answer names it in ``hazard``."""
    task = access(CheckTask, request.user, task_id)
    record = actions.do_record_check(
        task,
        result=payload.result,
        actor=request.user,
        note=payload.note,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, access(CheckRecord.objects.select_related("checked_by"), request.user, record.pk))


# --- the national interface ----------------------------------------------------------------------------------------


@router.get("/enterprises/{enterprise_id}/dual-prevention-export", response=dict[str, Any])
def export_dual_prevention(request: HttpRequest, enterprise_id: int) -> Any:
    """The enterprise's whole chain — risk objects, units, events, control measures, check tasks, check records and
    hazards — with the field names and codes of the national 危化 双重预防 digital interface (``risks.national``).
    Audited as an export. An enterprise's workers may not export (the ledger holds others' reports)."""
    enterprise = access(Enterprise, request.user, enterprise_id)
    if Scope.for_user(request.user).reporter_id is not None:
        raise PermissionDenied
    body = national.export_enterprise(enterprise)
    record_event(
        EventCode.EXPORT,
        actor=request.user,
        target=enterprise,
        new={"export": "dual_prevention", **{k: len(v) for k, v in body.items() if isinstance(v, list)}},
    )
    return body
