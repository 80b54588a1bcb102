"""Building inspection and enforcement records through the actions, as the application does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from anjian.hazards.models import Hazard
from anjian.inspections import actions, enforcement
from anjian.inspections.choices import DocumentKind, InspectionKind, ItemResult
from anjian.inspections.models import EnforcementDocument, Inspection
from tests.world import World


def inspect(
    world: World,
    *,
    fail: int = 1,
    major: bool = False,
    key: str = "chem",
    kind: str = InspectionKind.ROUTINE,
    at: dt.datetime | None = None,
    campaign: Any = None,
) -> Inspection:
    """A completed inspection by yingji and yingji2 of ``key``: the first ``fail`` general items fail (and, if
    ``major``, a 判定标准 clause too); the rest comply."""
    yingji = world.users["yingji"]
    inspection = actions.do_start_inspection(
        world.enterprises[key],
        kind=kind,
        actor=yingji,
        officers=[world.users["yingji2"]],
        campaign=campaign,
        at=at,
        latitude=29.2,
        longitude=115.9,
    )
    items = list(inspection.checklist.items.select_related("clause__standard")) if inspection.checklist else []
    general = [i for i in items if i.clause is None or not i.clause.proposes_major]
    criteria = [i for i in items if i.clause is not None and i.clause.proposes_major]
    failing = general[:fail] + (criteria[:1] if major else [])
    for item in items:
        result = ItemResult.FAIL if item in failing else ItemResult.PASS
        note = f"现场发现：{item.text[:20]}不符合要求" if result == ItemResult.FAIL else ""
        actions.do_record_result(inspection, item=item, result=result, note=note, actor=yingji, at=at)
    return actions.do_complete_inspection(
        inspection,
        actor=yingji,
        enterprise_signer="张三",
        handling="责令限期整改",
        deadline=timezone.localdate(at) + dt.timedelta(days=20) if fail else None,
        at=at,
    )


def order(world: World, inspection: Inspection, days: int = 20) -> EnforcementDocument:
    """An issued order to rectify the inspection's hazards."""
    yingji = world.users["yingji"]
    hazards = list(Hazard.objects.filter(inspection=inspection))
    document = enforcement.do_draft_document(
        DocumentKind.RECTIFICATION_ORDER,
        enterprise=inspection.enterprise,
        actor=yingji,
        inspection=inspection,
        hazards=hazards,
        deadline=timezone.localdate() + dt.timedelta(days=days),
    )
    return enforcement.do_issue_document(document, actor=yingji)
