"""An enterprise's dual-prevention chain in the shape of the national 危化 双重预防 digital interface
(《危险化学品企业双重预防机制数字化建设工作指南（试行）》, 应急管理部 2022): 风险分析对象 → 风险分析单元 → 风险事件 →
管控措施 → 隐患排查任务 → 排查记录 → 隐患, with the interface's field names and codes (DOMAIN.md §4).

The guide's own text was not retrieved: the field names are those seen in public code that reports to the interface
([实现]); codes the domain notes mark [未确认] are marked so below. One list per resource of the interface, each row
carrying the interface's bookkeeping fields:

- ``id``: a stable 32-character UUID (``national_id``): the same row keeps its id from one export to the next, so the
  receiver can update it; ``companyCode``: the enterprise's code (see ``export_enterprise``);
- ``deleted``: "0" (in force), "1" (a measure no longer in force — its task too);
- ``createDate``/``updateDate``: "YYYY-MM-DD HH:MM:SS", Beijing time; ``createBy``/``updateBy``: who created and who
  last changed the row, from the audit log (the register's rows do not store their author).

A check task of the interface (隐患排查任务) is the measure's schedule — cycle, unit, start, daily work window — not one
period; the platform's per-period tasks are what the receiver derives from it, and each check record names the
schedule it belongs to (``checkTaskId``). Missed periods are not records: the receiver counts them from the schedule.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from anjian.core.events import EventCode
from anjian.core.models import AuditEvent
from anjian.enterprises.models import Enterprise
from anjian.hazards.choices import (
    LEVEL_NATIONAL_CODE,
    MANAGEMENT_NATIONAL_CODE,
    MODE_NATIONAL_CODE,
    SOURCE_NATIONAL_CODE,
    STATUS_NATIONAL_CODE,
    HazardAction,
    HazardLevel,
    HazardSource,
    HazardStatus,
    ManagementClass,
    PhotoStage,
    RectificationMode,
)
from anjian.hazards.models import Hazard, HazardTransition
from anjian.risks.choices import CYCLE_UNIT_NATIONAL, CheckResult, CycleUnit, MeasureClass, RiskLevel
from anjian.risks.models import CheckRecord, ControlMeasure, RiskEvent, RiskObject, RiskUnit

# riskClass of a risk unit: 1 重大, 2 较大, 3 一般, 4 低 (None: not assessed yet).
RISK_CLASS = {RiskLevel.MAJOR: 1, RiskLevel.HIGH: 2, RiskLevel.MEDIUM: 3, RiskLevel.LOW: 4}
# dangerState: 0 整改中, 1 待验收, 9 已验收; a registered hazard is 0 too (its rectification is what is pending).
# A voided hazard (不构成隐患) is not exported.
DANGER_STATE = {HazardStatus.REGISTERED: 0, **STATUS_NATIONAL_CODE}
# dangerSrc for the sources outside the interface's 1–10 (government inspections, grid patrols, tip-offs): 10 其他.
OTHER_SOURCE = 10
# hazardDangerType for a hazard type without a national code: 8 其他.
OTHER_DANGER_TYPE = 8
# checkStatus of a check record: 0 正常, 1 存在隐患 (abnormal) [未确认: the enum is not confirmed].
CHECK_STATUS = {CheckResult.PASS: 0, CheckResult.FAIL: 1}
# workDayType 0: every day (the platform's schedules do not skip rest days); workType 0: a regular check
# [未确认: both enums]; taskNum: checks per cycle (the platform schedules one).
WORK_DAY_TYPE = 0
WORK_TYPE = 0
TASK_NUM = 1
DATETIME = "%Y-%m-%d %H:%M:%S"
DATE = "%Y-%m-%d"
TIME = "%H:%M:%S"
# The namespace of the rows' ids (any fixed UUID: changing it would give every row a new id).
NAMESPACE = uuid.UUID("5f0b8a52-3c1e-4a57-9d64-6a1e0c7b2f10")

Ids = Callable[[str, int], str]  # (table, pk) → the row's id


def national_id(company_code: str, table: str, pk: int) -> str:
    """The 32-character id of a row: stable across exports, distinct across tables, enterprises and installations
    (the enterprise's code is part of it)."""
    return uuid.uuid5(NAMESPACE, f"anjian:{company_code}:{table}:{pk}").hex


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime(DATETIME) if value else ""


def _day(value: dt.date | None) -> str:
    return value.strftime(DATE) if value else ""


def _authors(model: type, ids: Iterable[int]) -> dict[str, tuple[str, str]]:
    """{pk: (who created it, who last changed it)} from the register events of the audit log."""
    rows = (
        AuditEvent.objects.filter(
            event__in=[EventCode.RISK_REGISTER_CHANGED, EventCode.RISK_ASSESSED],
            target_type=model._meta.label_lower,  # type: ignore[attr-defined]
            target_id__in=[str(pk) for pk in ids],
        )
        .order_by("id")
        .values_list("target_id", "actor__name", "actor_username")
    )
    authors: dict[str, tuple[str, str]] = {}
    for target_id, name, username in rows:
        who = name or username
        authors[target_id] = (authors[target_id][0] if target_id in authors else who, who)
    return authors


def _bookkeeping(row: Any, authors: dict[str, tuple[str, str]], *, deleted: bool = False) -> dict[str, Any]:
    created_by, updated_by = authors.get(str(row.pk), ("", ""))
    return {
        "deleted": "1" if deleted else "0",
        "createDate": _when(row.created_at),
        "createBy": created_by,
        "updateDate": _when(row.updated_at),
        "updateBy": updated_by,
    }


def export_enterprise(enterprise: Enterprise, *, at: dt.datetime | None = None) -> dict[str, Any]:
    """The enterprise's register, checks and hazards as the national interface takes them (one list per resource).

    ``companyCode`` is the enterprise's 统一社会信用代码: the interface expects the 9-character code of the
    危化品登记 system where one is assigned, which the registry does not hold yet. The caller checks that the user
    may see the enterprise; everything of the enterprise is exported (workers may not call it: see the API)."""
    company = enterprise.uscc
    nid: Ids = functools.partial(national_id, company)

    objects = list(RiskObject.objects.filter(enterprise=enterprise).order_by("code"))  # scoped: by the caller
    units = list(
        RiskUnit.objects.filter(enterprise=enterprise)  # scoped: by the caller
        .select_related("risk_object")
        .order_by("risk_object__code", "pk")
    )
    events = list(RiskEvent.objects.filter(unit__enterprise=enterprise).order_by("unit", "pk"))  # scoped: by the caller
    # scoped: by the caller
    measures = list(ControlMeasure.objects.filter(event__unit__enterprise=enterprise).order_by("event", "pk"))
    records = (
        CheckRecord.objects.filter(task__enterprise=enterprise)  # scoped: by the caller
        .select_related("task", "checked_by")
        .order_by("checked_at", "pk")
    )
    hazards = (
        Hazard.objects.filter(enterprise=enterprise)  # scoped: by the caller (all of the enterprise's ledger)
        .exclude(status=HazardStatus.VOIDED)
        .select_related(
            "hazard_type", "found_by", "inspection", "check_record__task__measure__event__unit__risk_object"
        )
        .prefetch_related("photos", Prefetch("transitions", queryset=HazardTransition.objects.order_by("at", "pk")))
        .order_by("found_on", "pk")
    )
    unit_authors = _authors(RiskUnit, [u.pk for u in units])
    event_authors = _authors(RiskEvent, [e.pk for e in events])
    measure_authors = _authors(ControlMeasure, [m.pk for m in measures])
    object_authors = _authors(RiskObject, [o.pk for o in objects])
    return {
        "companyCode": company,
        "companyName": enterprise.name,
        "exportedAt": _when(at or timezone.now()),
        # 风险分析对象 — not a resource of the interface (it takes the objects from the 危化品登记 system and names
        # them on each unit by hazardCode); listed so the chain is whole.
        "riskObjects": [
            {
                "id": nid("object", o.pk),
                "companyCode": company,
                "hazardCode": o.code,  # 风险分析对象编码 (危险源编码)
                "hazardName": o.name,
                "isMajorHazard": 1 if o.major_hazard_installation else 0,  # 重大危险源: 1 yes, 0 no
                **_bookkeeping(o, object_authors),
            }
            for o in objects
        ],
        # 风险分析单元 (sec_security_risk_unit)
        "riskUnits": [
            {
                "id": nid("unit", u.pk),
                "companyCode": company,
                "hazardCode": u.risk_object.code,  # the unit's risk object
                "hazardDep": u.department,  # 责任部门
                "hazardLiablePerson": u.responsible_person,  # 责任人
                "riskUnitName": u.name,
                "riskClass": RISK_CLASS.get(RiskLevel(u.level)) if u.level else None,  # its worst event's level
                **_bookkeeping(u, unit_authors),
            }
            for u in units
        ],
        # 风险事件 (sec_security_risk_events)
        "riskEvents": [
            {
                "id": nid("event", e.pk),
                "companyCode": company,
                "riskUnitId": nid("unit", e.unit_id),
                "riskEventName": e.name,
                **_bookkeeping(e, event_authors),
            }
            for e in events
        ],
        # 管控措施 (sec_security_risk_control_measures)
        "riskMeasures": [
            {
                "id": nid("measure", m.pk),
                "companyCode": company,
                "riskEventId": nid("event", m.event_id),
                "dataSrc": "",  # 数据来源 [未确认: code list unknown]
                "riskMeasureDesc": m.description,
                "classify1": MeasureClass(m.classify1).label,  # 工程技术 / 维护保养 / 操作行为 / 应急措施
                "classify2": m.classify2,  # e.g. 安全仪表 under 工程技术
                "classify3": m.classify3,
                "troubleshootContent": m.check_content,  # 隐患排查内容
                **_bookkeeping(m, measure_authors, deleted=not m.active),
            }
            for m in measures
        ],
        # 隐患排查任务 (sec_hidden_check_mission): one per measure, its schedule
        "checkTasks": [
            {
                "id": nid("task", m.pk),
                "companyCode": company,
                "riskMeasureId": nid("measure", m.pk),
                "troubleshootContent": m.check_content,
                "checkCycle": m.cycle,  # every n …
                "checkCycleUnit": CYCLE_UNIT_NATIONAL[CycleUnit(m.cycle_unit)],  # 小时 / 天 / 周 / 月 / 季 / 年
                # the first period's start: the first day at the window's start
                "taskStartTime": dt.datetime.combine(m.starts_on, m.window_start or dt.time.min).strftime(DATETIME),
                "workStartTime": (m.window_start or dt.time.min).strftime(TIME),  # daily work window
                "workEndTime": m.window_end.strftime(TIME) if m.window_end else "23:59:59",
                "workDayType": WORK_DAY_TYPE,
                "workType": WORK_TYPE,
                "taskNum": TASK_NUM,
                **_bookkeeping(m, measure_authors, deleted=not m.active),
            }
            for m in measures
        ],
        # 排查记录 (sec_hidden_check_record)
        "checkRecords": [_record(r, company, nid) for r in records],
        # 隐患 (sec_hidden_danger_info)
        "hazards": [_hazard(h, company, nid) for h in hazards],
    }


def _record(record: CheckRecord, company: str, nid: Ids) -> dict[str, Any]:
    checker = record.checked_by
    return {
        "id": nid("record", record.pk),
        "companyCode": company,
        "checkTaskId": nid("task", record.task.measure_id),  # the measure's schedule
        "checkTime": _when(record.checked_at),
        "mobileMe": "",  # the checking device's identifier: not recorded
        "isDefend": 0,  # 包保责任人's own check: not distinguished (0)
        "checkStatus": CHECK_STATUS[CheckResult(record.result)],
        "deleted": "0",
        "createDate": _when(record.checked_at),
        "createBy": checker.display_name,
        "createByMobile": checker.phone,
        "updateDate": _when(record.checked_at),  # a record is never changed
        "updateBy": checker.display_name,
        "updateByMobile": checker.phone,
    }


def _photos(hazard: Hazard, stage: PhotoStage) -> str:
    """The photos' addresses on this platform, comma-separated (the receiver fetches them signed in)."""
    urls = []
    for photo in hazard.photos.all():
        if photo.stage != stage:
            continue
        try:
            urls.append(reverse("hazards:photo", args=[photo.pk]))
        except NoReverseMatch:  # pragma: no cover - the hazard pages are always installed
            urls.append(photo.image.name)
    return ",".join(urls)


def _hazard(hazard: Hazard, company: str, nid: Ids) -> dict[str, Any]:
    transitions = list(hazard.transitions.all())
    registered = next((t for t in transitions if t.action == HazardAction.REGISTER), None)
    accepted = [t for t in transitions if t.action == HazardAction.ACCEPT]
    acceptance = accepted[-1] if hazard.status == HazardStatus.CLOSED and accepted else None
    try:
        record: CheckRecord | None = hazard.check_record
    except CheckRecord.DoesNotExist:
        record = None
    measure = record.task.measure if record is not None else None
    registrant = hazard.finder_name or (hazard.found_by.display_name if hazard.found_by else "")
    national_type = hazard.hazard_type.national_code
    return {
        "id": nid("hazard", hazard.pk),
        "companyCode": company,
        # the risk object, measure and check record behind a hazard a failed check opened ("" for the others)
        "hazardCode": measure.event.unit.risk_object.code if measure is not None else "",
        "riskMeasureId": nid("measure", measure.pk) if measure is not None else "",
        "checkRecordId": nid("record", record.pk) if record is not None else "",
        "dangerName": hazard.description.splitlines()[0][:60] if hazard.description else "",
        "dangerLevel": LEVEL_NATIONAL_CODE[HazardLevel(hazard.level)],  # 0 一般, 1 重大
        "registTime": _when(registered.at if registered else hazard.created_at),
        "registrant": registrant,
        # 1 日常 … 8 专家诊断, 9 管控措施失效 (a failed check), 10 其他 (government inspections, grid, tip-offs)
        "dangerSrc": SOURCE_NATIONAL_CODE.get(HazardSource(hazard.source), OTHER_SOURCE),
        "enforcementId": hazard.inspection.code if hazard.inspection_id and hazard.inspection else "",
        "dangerManageType": MODE_NATIONAL_CODE[RectificationMode(hazard.rectification_mode)],  # 0 即查即改, 1 限期
        "hazardDangerType": national_type if national_type is not None else OTHER_DANGER_TYPE,  # 1 安全 … 8 其他
        "hazardCategory": 0,  # 0 其他: 包保责任人 registration is not kept
        "dangerDesc": hazard.description,
        "dangerReason": hazard.cause,
        "controlMeasures": hazard.measures,
        "cost": float(hazard.funds) if hazard.funds is not None else None,  # yuan
        "liablePerson": hazard.responsible_person,
        "dangerManageDeadline": _day(hazard.deadline),
        # required once accepted (已验收)
        "checkAcceptPerson": acceptance.actor_name if acceptance else "",
        "checkAcceptTime": _when(acceptance.at) if acceptance else "",
        "checkAcceptComment": acceptance.note if acceptance else "",
        "dangerState": DANGER_STATE[HazardStatus(hazard.status)],  # 0 整改中, 1 待验收, 9 已验收
        "managementClassification": MANAGEMENT_NATIONAL_CODE[ManagementClass(hazard.management_class)],  # 人/物/管理
        "dangerImg": _photos(hazard, PhotoStage.BEFORE),
        "dangerAcceptImg": _photos(hazard, PhotoStage.AFTER),
        "deleted": "0",
        "createDate": _when(hazard.created_at),
        "createBy": registrant,
        "updateDate": _when(hazard.updated_at),
        "updateBy": transitions[-1].actor_name if transitions else registrant,
    }
