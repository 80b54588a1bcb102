"""The escalation ladder, run nightly (``anjian manage escalate_hazards``, by the scheduler at 06:30).

For every hazard not yet submitted (registered or rectifying) with a deadline:
1. the deadline is within ESCALATION_WARN_DAYS → the enterprise's safety officers and principal;
2. overdue → the enterprise's principal (and safety officers) and the grid's workers;
3. overdue beyond ESCALATION_TOWN_DAYS → the town's safety committee office;
4. overdue beyond ESCALATION_COUNTY_DAYS → the county's safety committee office, proposing to list it for
   supervision (挂牌督办).
Each rung notifies a person once per hazard and deadline: an approved extension re-arms the ladder.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.notifications.actions import notify
from anjian.orgs.choices import DepartmentKind, UserKind, UserRole
from anjian.orgs.models import User

RUNGS = ("due_soon", "overdue", "town", "county")


def rung_of(hazard: Hazard, today: dt.date) -> list[str]:
    """The rungs a hazard has reached today (each higher rung includes the lower overdue ones)."""
    if hazard.deadline is None:
        return []
    late = (today - hazard.deadline).days
    if late <= 0:
        return ["due_soon"] if -late <= settings.ESCALATION_WARN_DAYS else []
    reached = ["overdue"]
    if late > settings.ESCALATION_TOWN_DAYS:
        reached.append("town")
    if late > settings.ESCALATION_COUNTY_DAYS:
        reached.append("county")
    return reached


def _committee_staff(codes: set[str]) -> dict[str, list[User]]:
    """Department members of the safety committee offices of these regions, by region code."""
    staff: dict[str, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        is_active=True,
        kind=UserKind.DEPARTMENT,
        department__kind=DepartmentKind.COMMITTEE_OFFICE,
        department__region_id__in=codes,
    ).select_related("department"):
        staff[user.department.region_id].append(user)
    return staff


def escalate(today: dt.date | None = None) -> Counter[str]:
    """Send today's notifications; returns how many were new on each rung."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.ESCALATION_WARN_DAYS)
    hazards = list(
        Hazard.objects.filter(
            status__in=[HazardStatus.REGISTERED, HazardStatus.RECTIFYING], deadline__isnull=False, deadline__lte=horizon
        ).select_related("enterprise", "enterprise__region")
    )
    enterprise_ids = {h.enterprise_id for h in hazards}
    grid_ids = {h.enterprise.grid_id for h in hazards if h.enterprise.grid_id}
    managers: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        is_active=True,
        kind=UserKind.ENTERPRISE,
        enterprise_id__in=enterprise_ids,
        role__in=[UserRole.PRINCIPAL, UserRole.SAFETY_OFFICER],
    ):
        managers[user.enterprise_id].append(user)
    grid_staff: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(is_active=True, kind=UserKind.GRID, grid_id__in=grid_ids):
        grid_staff[user.grid_id].append(user)
    towns = {h.enterprise.region_id[:9].ljust(12, "0") for h in hazards}
    counties = {h.enterprise.region_id[:6].ljust(12, "0") for h in hazards}
    committees = _committee_staff(towns | counties)
    sent: Counter[str] = Counter()
    for hazard in hazards:
        url = reverse("hazards:detail", args=[hazard.pk])
        place = hazard.enterprise.name
        for rung in rung_of(hazard, today):
            recipients: list[Any]
            if rung == "due_soon":
                recipients = managers[hazard.enterprise_id]
                title = _("Deadline in %(days)d days: %(code)s") % {
                    "days": (hazard.deadline - today).days,  # type: ignore[operator]
                    "code": hazard.code,
                }
            elif rung == "overdue":
                recipients = [*managers[hazard.enterprise_id], *grid_staff[hazard.enterprise.grid_id or 0]]
                title = _("Overdue: %(code)s at %(place)s") % {"code": hazard.code, "place": place}
            elif rung == "town":
                recipients = committees[hazard.enterprise.region_id[:9].ljust(12, "0")]
                title = _("Overdue more than %(days)d days: %(code)s at %(place)s") % {
                    "days": settings.ESCALATION_TOWN_DAYS,
                    "code": hazard.code,
                    "place": place,
                }
            else:
                recipients = committees[hazard.enterprise.region_id[:6].ljust(12, "0")]
                title = _("Proposed for listed supervision: %(code)s at %(place)s, overdue more than %(days)d days") % {
                    "days": settings.ESCALATION_COUNTY_DAYS,
                    "code": hazard.code,
                    "place": place,
                }
            sent[rung] += notify(
                recipients,
                kind=f"hazard_{rung}",
                key=f"hazard:{hazard.pk}:{rung}:{hazard.deadline}",
                title=title,
                body=hazard.description[:200],
                url=url,
            )
    return sent
