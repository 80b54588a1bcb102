"""Reminders of reinspections (复查), run nightly: due within the warning window → the department's staff; past due
and still pending → the staff again and the committee office of the department's region (督办)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.inspections.choices import ReinspectionStatus
from anjian.inspections.models import Reinspection
from anjian.notifications.actions import notify
from anjian.orgs.choices import DepartmentKind, UserKind
from anjian.orgs.models import User


def remind_reinspections(today: dt.date | None = None) -> dict[str, int]:
    """Send today's reminders (once per reinspection and rung); returns how many were new per rung."""
    today = today or timezone.localdate()
    pending = Reinspection.objects.filter(status=ReinspectionStatus.PENDING).select_related(  # scoped: nightly job
        "order", "enterprise", "department__region"
    )
    warn = today + dt.timedelta(days=settings.ESCALATION_WARN_DAYS)
    sent = {"due_soon": 0, "overdue": 0}
    try:
        url = reverse("inspections:reinspection_list")
    except NoReverseMatch:
        url = ""
    for reinspection in pending.filter(due_on__lte=warn):
        staff = User.objects.filter(kind=UserKind.DEPARTMENT, is_active=True, department=reinspection.department)
        overdue = reinspection.due_on < today
        rung = "overdue" if overdue else "due_soon"
        recipients = list(staff)
        if overdue:
            recipients += list(
                User.objects.filter(
                    kind=UserKind.DEPARTMENT,
                    is_active=True,
                    department__kind=DepartmentKind.COMMITTEE_OFFICE,
                    department__region=reinspection.department.region,
                )
            )
        title = (_("Reinspection overdue: %(enterprise)s") if overdue else _("Reinspection due: %(enterprise)s")) % {
            "enterprise": reinspection.enterprise.name
        }
        body = _("%(order)s: reinspect by %(due)s.") % {"order": reinspection.order.number, "due": reinspection.due_on}
        sent[rung] += notify(
            recipients,
            kind="reinspection",
            key=f"reinspection:{reinspection.pk}:{rung}",
            title=title,
            body=body,
            url=url,
        )
    return sent
