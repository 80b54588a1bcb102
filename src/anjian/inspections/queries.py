"""Questions asked of the enforcement records outside the figures: the Art.113 windows, a plan's progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from anjian.inspections.choices import ART113_WINDOWS, DECIDED_STAGES, InspectionKind
from anjian.inspections.models import PenaltyCase, PlanTarget


def art113_windows(enterprise: Any, on: dt.date | None) -> list[dict[str, int]]:
    """The 安全生产法 Art.113 windows the enterprise has reached on ``on``: penalties decided on a major hazard
    within the last 180 days (3 or more) or 365 days (4 or more). Empty: no closure proposal."""
    if on is None:
        return []
    pk = getattr(enterprise, "pk", enterprise)
    return art113_reached([pk], on).get(pk, [])


def art113_reached(enterprise_ids: Iterable[int], on: dt.date) -> dict[int, list[dict[str, int]]]:
    """``queries.art113_windows`` for many enterprises in one query (a list page): enterprise → windows reached."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return {}
    longest = max(days for days, _threshold in ART113_WINDOWS)
    counts = (
        PenaltyCase.objects.filter(  # the rule counts every case of these enterprises
            enterprise_id__in=ids,
            on_major_hazard=True,
            stage__in=sorted(DECIDED_STAGES),
            decided_on__gt=on - dt.timedelta(days=longest),
            decided_on__lte=on,
        )
        .values("enterprise_id")
        .annotate(
            **{
                f"in{days}": Count("pk", filter=Q(decided_on__gt=on - dt.timedelta(days=days)))
                for days, _threshold in ART113_WINDOWS
            }
        )
    )
    reached: dict[int, list[dict[str, int]]] = {}
    for row in counts:
        windows = [
            {"days": days, "count": row[f"in{days}"], "threshold": threshold}
            for days, threshold in ART113_WINDOWS
            if row[f"in{days}"] >= threshold
        ]
        if windows:
            reached[row["enterprise_id"]] = windows
    return reached


def plan_progress(plan: Any) -> QuerySet[PlanTarget]:
    """Each target with the inspections the plan's department made of it in the plan's year (``done``)."""
    done = Count(
        "enterprise__inspections",
        filter=Q(
            enterprise__inspections__department_id=plan.department_id,
            enterprise__inspections__started_at__year=plan.year,
        )
        & ~Q(enterprise__inspections__kind=InspectionKind.SELF),
        distinct=True,
    )
    return plan.targets.select_related("enterprise").annotate(done=done).order_by("enterprise__name")
