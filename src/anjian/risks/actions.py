"""Every change to the risk register and its checks: objects, units, events, assessments (new versions, the unit's
level kept as its worst event's), control measures, the site plan; generating check tasks, flagging missed ones,
and recording a check — an abnormal one opens a hazard (control measure failed, dangerSrc 9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.audit import record_event, snapshot
from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput, check_position, forbidden, refuse
from anjian.enterprises.models import Enterprise
from anjian.hazards.actions import do_register_hazard
from anjian.hazards.choices import HazardLevel, HazardSource, ManagementClass, RectificationMode
from anjian.hazards.models import HazardType
from anjian.hazards.rules import manages_enterprise
from anjian.risks import methods
from anjian.risks.choices import CheckResult, TaskStatus, worst
from anjian.risks.models import (
    CheckRecord,
    CheckTask,
    ControlMeasure,
    RiskAssessment,
    RiskEvent,
    RiskObject,
    RiskUnit,
    SitePlan,
)
from anjian.risks.schedule import periods
from anjian.utilities.images import process_photo


def _check_manager(actor: Any, enterprise_id: int) -> None:
    """The register is the enterprise's: its principal or safety officer keeps it."""
    if not manages_enterprise(actor, enterprise_id):
        raise forbidden()


def _saved(obj: Any, event: EventCode, actor: Any) -> Any:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise InvalidInput(_("The data is not valid."), field_errors=error.message_dict) from None
    with transaction.atomic():
        obj.save()
        record_event(event, actor=actor, target=obj, new=snapshot(obj))
    return obj


def do_create_risk_object(enterprise: Enterprise, *, data: dict[str, Any], actor: Any) -> RiskObject:
    """Register a risk object (风险分析对象) of the enterprise."""
    _check_manager(actor, enterprise.pk)
    return _saved(RiskObject(enterprise=enterprise, **data), EventCode.RISK_REGISTER_CHANGED, actor)


def do_create_risk_unit(risk_object: RiskObject, *, data: dict[str, Any], actor: Any) -> RiskUnit:
    """Register a risk unit (风险分析单元) of an object, with its responsible department and person."""
    _check_manager(actor, risk_object.enterprise_id)
    unit = RiskUnit(enterprise_id=risk_object.enterprise_id, risk_object=risk_object, **data)
    return _saved(unit, EventCode.RISK_REGISTER_CHANGED, actor)


def do_create_risk_event(unit: RiskUnit, *, data: dict[str, Any], actor: Any) -> RiskEvent:
    """Register what can go wrong in a unit (风险事件)."""
    _check_manager(actor, unit.enterprise_id)
    return _saved(RiskEvent(unit=unit, **data), EventCode.RISK_REGISTER_CHANGED, actor)


def do_assess_event(
    event: RiskEvent,
    *,
    method: str,
    inputs: dict[str, Any],
    actor: Any,
    residual: bool = False,
    note: str = "",
    on: dt.date | None = None,
) -> RiskAssessment:
    """Assess an event by LEC, LS or MES with the table in force for the enterprise's region: a new version (the
    old ones stay). The event's level (or residual level) follows; the unit's level is its worst event's."""
    _check_manager(actor, event.unit.enterprise_id)
    on = on or timezone.localdate()
    table = methods.table_for(method, event.unit.enterprise.region_id)
    value = methods.score(method, inputs, table)
    level = methods.level_of(value, table)
    with transaction.atomic():
        locked = RiskEvent.objects.select_for_update().select_related("unit").get(pk=event.pk)
        version = (locked.assessments.aggregate(last=Max("version"))["last"] or 0) + 1
        assessment = RiskAssessment.objects.create(
            event=locked,
            version=version,
            method=method,
            inputs={k: methods.plain(Decimal(str(inputs[k]))) for k in methods.FACTORS[method]},  # type: ignore[index]
            score=value,
            level=level,
            colour=methods.colour_of(level),
            residual=residual,
            table=table,
            assessed_on=on,
            assessed_by=actor,
            note=note.strip(),
        )
        if residual:
            locked.residual_level = level
        else:
            locked.level = level
            locked.reassess_by = on + dt.timedelta(days=settings.RISK_REASSESS_DAYS)
        locked.save(update_fields=["level", "residual_level", "reassess_by", "updated_at"])
        _refresh_unit_level(locked.unit)
        record_event(
            EventCode.RISK_ASSESSED,
            actor=actor,
            target=locked,
            new={"version": version, "method": method, "score": str(value), "level": level, "residual": residual},
        )
    return assessment


def _refresh_unit_level(unit: RiskUnit) -> None:
    levels = list(unit.events.exclude(level="").values_list("level", flat=True))
    unit.level = worst(levels)
    unit.save(update_fields=["level", "updated_at"])


MEASURE_FIELDS = (
    "description",
    "check_content",
    "classify1",
    "classify2",
    "classify3",
    "control_tier",
    "cycle",
    "cycle_unit",
    "window_start",
    "window_end",
    "assignee",
    "starts_on",
)


def do_add_control_measure(event: RiskEvent, *, data: dict[str, Any], actor: Any) -> ControlMeasure:
    """Add a control measure with its check cycle and assignee (a member of the enterprise)."""
    enterprise_id = event.unit.enterprise_id
    _check_manager(actor, enterprise_id)
    unknown = set(data) - set(MEASURE_FIELDS)
    if unknown:
        raise refuse(_("The field “%(field)s” cannot be set here.") % {"field": sorted(unknown)[0]}, sorted(unknown)[0])
    assignee = data.get("assignee")
    if assignee is None or getattr(assignee, "enterprise_id", None) != enterprise_id:
        raise refuse(_("Choose a member of the enterprise to do the checks."), "assignee")
    start, end = data.get("window_start"), data.get("window_end")
    if start and end and end <= start:
        raise refuse(_("The work window ends before it starts."), "window_end")
    return _saved(ControlMeasure(event=event, **data), EventCode.RISK_REGISTER_CHANGED, actor)


def do_upload_site_plan(enterprise: Enterprise, *, upload: Any, actor: Any) -> SitePlan:
    """Upload the site plan the four-colour map draws the units on (re-encoded as JPEG)."""
    _check_manager(actor, enterprise.pk)
    processed = process_photo(upload, field="image")
    from PIL import Image

    with Image.open(processed.image) as opened:
        width, height = opened.size
    processed.image.seek(0)
    with transaction.atomic():
        plan, _created = SitePlan.objects.get_or_create(enterprise=enterprise, defaults={"width": 1, "height": 1})
        plan.image.save("site-plan.jpg", ContentFile(processed.image.read()), save=False)
        plan.width, plan.height = width, height
        plan.save()
        record_event(
            EventCode.RISK_REGISTER_CHANGED, actor=actor, target=enterprise, new={"site_plan": [width, height]}
        )
    return plan


def do_place_unit(unit: RiskUnit, *, x: Decimal | float | None, y: Decimal | float | None, actor: Any) -> RiskUnit:
    """Place a unit on the site plan (fractions of its width and height from the top left; None: off the plan)."""
    _check_manager(actor, unit.enterprise_id)
    values: list[Decimal | None] = []
    for name, value in (("x", x), ("y", y)):
        if value is None:
            values.append(None)
            continue
        number = Decimal(str(value)).quantize(Decimal("0.0001"))
        if not 0 <= number <= 1:
            raise refuse(_("A position lies between 0 and 1."), name)
        values.append(number)
    with transaction.atomic():
        locked = RiskUnit.objects.select_for_update().get(pk=unit.pk)
        old = {"x": str(locked.x), "y": str(locked.y)}
        locked.x, locked.y = values
        locked.save(update_fields=["x", "y", "updated_at"])
        record_event(
            EventCode.RISK_REGISTER_CHANGED,
            actor=actor,
            target=locked,
            old=old,
            new={"x": str(locked.x), "y": str(locked.y)},
        )
    return locked


# --- check tasks ---------------------------------------------------------------------------------------------------


def generate_tasks(now: dt.datetime | None = None, *, horizon: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Create every check task due up to ``now + horizon`` that does not exist yet (since each measure's last task,
    or its first day): a run that was skipped catches up, so a missed period is still flagged. Idempotent."""
    now = now or timezone.now()
    until = now + horizon
    created = 0
    measures = ControlMeasure.objects.filter(active=True).select_related("event__unit")  # scoped: nightly job
    last = dict(
        CheckTask.objects.values("measure_id").annotate(last=Max("due_start")).values_list("measure_id", "last")
    )
    for measure in measures:
        latest = last.get(measure.pk)
        since = latest or timezone.make_aware(dt.datetime.combine(measure.starts_on, dt.time.min))
        rows = [
            CheckTask(
                measure=measure,
                enterprise_id=measure.event.unit.enterprise_id,
                assignee_id=measure.assignee_id,
                due_start=start,
                due_end=end,
            )
            for start, end in periods(measure, since, until)
            if latest is None or start > latest
        ]
        created += len(CheckTask.objects.bulk_create(rows, ignore_conflicts=True))
    return created


def flag_missed(now: dt.datetime | None = None) -> int:
    """Tasks whose window closed without a check become missed (they count in the completion rate)."""
    now = now or timezone.now()
    with transaction.atomic():
        missed = CheckTask.objects.filter(status=TaskStatus.PENDING, due_end__lte=now)  # scoped: nightly job
        count = missed.update(status=TaskStatus.MISSED)
        if count:
            record_event(
                EventCode.CHECKS_MISSED, target_type="risks.checktask", target_repr=str(count), new={"missed": count}
            )
    return count


def do_record_check(
    task: CheckTask,
    *,
    result: str,
    actor: Any,
    note: str = "",
    photo: Any = None,
    latitude: Any = None,
    longitude: Any = None,
    at: dt.datetime | None = None,
) -> CheckRecord:
    """Record a check within its window (the assignee, or the enterprise's principal or safety officer). Abnormal
    needs a note and opens a hazard in the ledger (source: control measure failed)."""
    at = at or timezone.now()
    if result not in CheckResult.values:
        raise refuse(_("Choose normal or abnormal."), "result")
    if result == CheckResult.FAIL and not note.strip():
        raise refuse(_("Describe what is abnormal: it becomes the hazard's description."), "note")
    latitude, longitude = check_position(latitude, longitude)
    # An abnormal check's photo goes to its hazard (validated there); a normal check keeps its own.
    processed = process_photo(photo) if photo is not None and result != CheckResult.FAIL else None
    with transaction.atomic():
        locked = CheckTask.objects.select_for_update().select_related("measure__event__unit").get(pk=task.pk)
        if not (locked.assignee_id == getattr(actor, "pk", None) or manages_enterprise(actor, locked.enterprise_id)):
            raise forbidden()
        if locked.status != TaskStatus.PENDING:
            raise ActionError(_("This check is no longer open (done or missed)."), code="invalid_transition")
        if at < locked.due_start:
            raise refuse(_("This check is not due yet."), "task")
        if at >= locked.due_end:
            raise ActionError(_("The window of this check has closed: it counts as missed."), code="invalid_transition")
        record = CheckRecord(
            task=locked,
            checked_at=at,
            checked_by=actor,
            result=result,
            note=note.strip(),
            latitude=latitude,
            longitude=longitude,
        )
        if processed is not None:
            record.photo.save("photo.jpg", processed.image, save=False)
        if result == CheckResult.FAIL:
            measure = locked.measure
            record.hazard = do_register_hazard(
                Enterprise.objects.get(pk=locked.enterprise_id),
                data={
                    "level": HazardLevel.GENERAL,
                    "source": HazardSource.CONTROL_FAILURE,
                    "hazard_type": HazardType.objects.get(code="safety"),
                    "management_class": ManagementClass.THING,
                    "rectification_mode": RectificationMode.DEADLINE,
                    "description": f"{note.strip()}（管控措施：{measure.description[:60]}）",
                    "location": measure.event.unit.name,
                    "found_on": timezone.localdate(at),
                },
                actor=actor,
                photos=[photo] if photo is not None else [],
                at=at,
            )
        record.save()
        locked.status = TaskStatus.DONE
        locked.save(update_fields=["status"])
        record_event(
            EventCode.CHECK_RECORDED,
            actor=actor,
            target=locked,
            new={"result": result, "hazard": record.hazard_id},
        )
    return record


def tasks_for(actor: Any, tasks: Sequence[CheckTask]) -> list[CheckTask]:
    """The tasks ``actor`` may record (the assignee's own; a manager's whole enterprise)."""
    return [t for t in tasks if t.assignee_id == actor.pk or manages_enterprise(actor, t.enterprise_id)]
