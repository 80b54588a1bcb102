"""The 三清单 (问题清单、责任清单、整改清单) of any filtered hazard list, as one workbook with three sheets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.exports import ExportSpec, register
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus, ManagementClass, RectificationMode
from anjian.hazards.filtersets import HazardFilterSet
from anjian.hazards.models import Hazard
from anjian.utilities.xlsx import Column, labels


def _queryset(user: Any) -> QuerySet[Hazard]:
    return (
        Hazard.objects.visible_to(user)
        .with_list_related()
        .select_related(
            "enterprise__region__parent", "enterprise__grid", "enterprise__industry__parent", "finding_department"
        )
        .order_by("enterprise__region_id", "enterprise__name", "found_on", "pk")
    )


def _town(h: Hazard) -> str:
    region = h.enterprise.region
    return f"{region.parent.name}/{region.name}" if region.parent and region.level == 5 else region.name


def acceptor(h: Hazard) -> str:
    """Who accepts the rectification (hazards.rules.accepts, in words)."""
    if h.is_major:
        return _("The supervising government")
    if h.finding_department is not None:
        return h.finding_department.name
    return _("The enterprise's safety officer")


def _overdue_days(h: Hazard) -> int | str:
    if not h.is_overdue() or h.deadline is None:
        return ""
    return (timezone.localdate() - h.deadline).days


def sheets() -> Sequence[tuple[str, Sequence[Column]]]:
    status = labels(HazardStatus, "status")
    code = Column(_("Hazard number"), lambda h: h.code, 16)
    enterprise = Column(_("Enterprise"), lambda h: h.enterprise.name, 30)
    description = Column(_("Description"), lambda h: h.description, 40)
    problems = [
        code,
        enterprise,
        Column(_("Town / village"), _town, 18),
        Column(_("Industry"), lambda h: h.enterprise.industry.name, 16),
        description,
        Column(_("Location"), lambda h: h.location, 18),
        Column(_("Level"), labels(HazardLevel, "level"), 10),
        Column(_("Type"), lambda h: h.hazard_type.name, 8),
        Column(_("Classification"), labels(ManagementClass, "management_class"), 14),
        Column(_("Source"), labels(HazardSource, "source"), 16),
        Column(_("Found on"), lambda h: h.found_on, 12),
        Column(_("Found by"), lambda h: h.finder_name, 12),
        Column(_("Status"), status, 10),
    ]
    responsibilities = [
        code,
        enterprise,
        description,
        Column(_("Principal"), lambda h: h.enterprise.principal_name, 12),
        Column(_("Principal's phone"), lambda h: h.enterprise.principal_phone, 14),
        Column(_("Responsible person"), lambda h: h.responsible_person, 12),
        Column(_("Responsible person's phone"), lambda h: h.responsible_phone, 14),
        Column(_("Accepted by"), acceptor, 22),
        Column(_("Grid"), lambda h: h.enterprise.grid.name if h.enterprise.grid else "", 16),
    ]
    rectifications = [
        code,
        enterprise,
        description,
        Column(_("Rectification mode"), labels(RectificationMode, "rectification_mode"), 12),
        Column(_("Measures"), lambda h: h.measures, 30),
        Column(_("Funds (yuan)"), lambda h: h.funds, 12),
        Column(_("Original deadline"), lambda h: h.original_deadline, 12),
        Column(_("Deadline"), lambda h: h.deadline, 12),
        Column(_("Contingency plan"), lambda h: h.contingency_plan, 24),
        Column(_("Rectification done"), lambda h: h.rectification, 30),
        Column(_("Status"), status, 10),
        Column(_("Closed at"), lambda h: timezone.localtime(h.closed_at) if h.closed_at else None, 18),
        Column(_("Days overdue"), _overdue_days, 10),
    ]
    return [
        (_("Problem list"), problems),
        (_("Responsibility list"), responsibilities),
        (_("Rectification list"), rectifications),
    ]


HAZARD_EXPORT = register(
    ExportSpec(
        name="hazards",
        title=gettext_lazy("Hazard lists"),
        filterset_class=HazardFilterSet,
        columns=lambda: sheets()[0][1],
        queryset=_queryset,
        permission="hazards.export_hazard",
        sheets=sheets,
    )
)
