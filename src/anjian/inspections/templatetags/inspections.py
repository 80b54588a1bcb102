"""Enforcement figures shown on other apps' pages (the enterprise page's enforcement card)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from anjian.inspections.choices import OPEN_STAGES, InspectionKind
from anjian.inspections.models import Inspection, PenaltyCase
from anjian.inspections.queries import art113_windows

register = template.Library()


def _link(name: str, **params: Any) -> str:
    try:
        return f"{reverse(name)}?{urlencode(params)}"
    except NoReverseMatch:
        return ""


@register.inclusion_tag("inspections/partials/enterprise_card.html", takes_context=True)
def enterprise_enforcement(context: Any, enterprise: Any) -> dict[str, Any]:
    """This year's government inspections of ``enterprise``, its last one, open cases and the Art.113 warning —
    as far as the user may see them (an enterprise sees what reached it)."""
    user = context["request"].user
    today = timezone.localdate()
    inspections = Inspection.objects.visible_to(user).filter(enterprise=enterprise)
    year = inspections.exclude(kind=InspectionKind.SELF).filter(started_at__year=today.year)
    cases = PenaltyCase.objects.visible_to(user).filter(enterprise=enterprise)
    counts = cases.aggregate(open=Count("pk", filter=Q(stage__in=sorted(OPEN_STAGES))), all=Count("pk"))
    return {
        "enterprise": enterprise,
        "visits_this_year": year.count(),
        "last": inspections.exclude(kind=InspectionKind.SELF).order_by("-started_at").first(),
        "open_cases": counts["open"],
        "cases": counts["all"],
        "art113": art113_windows(enterprise, today) if counts["all"] else [],
        "inspections_url": _link("inspections:inspection_list", enterprise=enterprise.pk),
        "cases_url": _link("inspections:penalty_list", enterprise=enterprise.pk),
    }
