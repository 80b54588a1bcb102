"""Changing a region's 下步工作 text (the page's editor; the administration site audits its own changes)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.regions.models import Region


def do_save_next_steps(region: Region, period_kind: str, body: str, *, actor: Any) -> Any:
    """Keep ``body`` as the next steps of ``region``'s summaries (of ``period_kind``; "" for any period)."""
    from anjian.stats.models import SummaryTemplate

    body = body.strip().replace("\r\n", "\n")
    with transaction.atomic():
        template = SummaryTemplate.objects.select_for_update().filter(region=region, period_kind=period_kind).first()
        old = template.body if template is not None else None
        if template is None:
            template = SummaryTemplate(region=region, period_kind=period_kind)
        template.body = body
        template.updated_by = actor
        template.save()
        record_event(
            EventCode.CONFIG_CHANGED,
            actor=actor,
            target=template,
            old={"body": old} if old is not None else None,
            new={"region": region.code, "period_kind": period_kind, "body": body},
            note="summary next steps",
        )
    return template


def do_reset_next_steps(region: Region, period_kind: str, *, actor: Any) -> None:
    """Drop ``region``'s own text: its summaries use the nearest enclosing region's, or the shipped default."""
    from anjian.stats.models import SummaryTemplate

    with transaction.atomic():
        template = SummaryTemplate.objects.select_for_update().filter(region=region, period_kind=period_kind).first()
        if template is None:
            return
        record_event(
            EventCode.CONFIG_CHANGED,
            actor=actor,
            target=template,
            old={"region": region.code, "period_kind": period_kind, "body": template.body},
            note="summary next steps reset",
        )
        template.delete()
