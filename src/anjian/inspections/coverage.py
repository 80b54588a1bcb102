"""How far a campaign has got: of the enterprises in its scope (``campaign_enterprises``), how many an inspection of
the campaign has visited. The figure of the campaign pages, counted from the records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from anjian.enterprises.models import Enterprise
from anjian.inspections.actions import campaign_enterprises
from anjian.inspections.models import Campaign, Inspection


def _inspected_ids(campaign: Campaign) -> QuerySet[Inspection, Any]:
    return Inspection.objects.filter(campaign=campaign).values("enterprise_id")


def campaign_coverage(campaign: Campaign) -> tuple[int, int]:
    """(inspected, in scope): the enterprises in the campaign's scope, and how many of them an inspection linked to
    the campaign has visited (an inspection of an enterprise outside the scope does not count)."""
    figures = campaign_enterprises(campaign).aggregate(
        in_scope=Count("pk", distinct=True),
        inspected=Count("pk", filter=Q(pk__in=_inspected_ids(campaign)), distinct=True),
    )
    return figures["inspected"], figures["in_scope"]


def not_inspected(campaign: Campaign) -> QuerySet[Enterprise]:
    """The enterprises in the campaign's scope that no inspection of the campaign has visited yet, by name."""
    return campaign_enterprises(campaign).exclude(pk__in=_inspected_ids(campaign)).order_by("name", "pk")


def attach_coverage(campaigns: Iterable[Any]) -> None:
    """Set ``inspected``, ``in_scope`` and ``coverage`` (a fraction, None for an empty scope) on each campaign."""
    for campaign in campaigns:
        campaign.inspected, campaign.in_scope = campaign_coverage(campaign)
        campaign.coverage = campaign.inspected / campaign.in_scope if campaign.in_scope else None
