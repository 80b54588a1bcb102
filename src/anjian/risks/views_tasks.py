"""Pages of the checks (排查任务) and the government's view of dual prevention.

- ``task_list``: an enterprise's checks of today on a phone — those due now first, then later today, then the
  overdue and missed ones of the last week (read-only) — each recorded on its own over htmx (``task_record``). The
  assignee sees their own, the principal or safety officer the whole enterprise. With filters in the address (and
  always for government users) it is the read-only list of the tasks in scope.
- ``government``: for departments and the administrator, who in the scope keeps no register, whose re-assessments
  are overdue, whose checks lag, and the risk distribution; ``government_map``: the four-colour map of the scope.

Thin: scope the object, call the action or the figures, render; every refusal becomes a form error or a message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anjian.core.exceptions import ActionError
from anjian.core.scoping import access
from anjian.enterprises.models import Enterprise
from anjian.hazards.rules import manages_enterprise
from anjian.inspections.views import url_or_none  # the register pages may not exist yet
from anjian.orgs.predicates import (
    is_department_member,
    is_enterprise_member,
    is_government,
    is_system_admin,
)
from anjian.regions.models import Region
from anjian.risks.actions import do_record_check, tasks_for
from anjian.risks.choices import (
    COLOUR_HEX,
    COLOUR_NAMES,
    LEVEL_COLOURS,
    LEVEL_ORDER,
    RiskLevel,
    TaskStatus,
)
from anjian.risks.filtersets_tasks import CheckTaskFilterSet
from anjian.risks.forms_tasks import CheckRecordForm, RiskScopeForm
from anjian.risks.models import CheckTask
from anjian.stats import risks as figures
from anjian.stats.hazards import end_of_day
from anjian.stats.inspections import start_of_day
from anjian.web.forms import apply_action_errors
from anjian.web.lists import RESULTS_TARGET, list_response

OVERDUE_SHOWN_DAYS = 7
OVERDUE_SHOWN = 20  # the latest; the list (?status=…) has them all
NO_REGISTER_COLOUR = "#9aa0a6"


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _sees_tasks(user: Any) -> bool:
    return bool(is_enterprise_member(user) or is_government(user) or is_system_admin(user))


def _require_government(user: Any) -> None:
    """The government view is for departments and the system administrator (not grid staff, not enterprises)."""
    if not (is_department_member(user) or is_system_admin(user)):
        raise PermissionDenied


# --- the checks of today ----------------------------------------------------------------------------------------


def window_label(task: CheckTask, today: dt.date | None = None) -> str:
    """The task's window in local time: "08:00–18:00" within a day, "00:00–24:00" for a whole day, else with dates;
    given ``today``, a window of another day starts with its date ("11-23 08:00–18:00")."""
    start, end = timezone.localtime(task.due_start), timezone.localtime(task.due_end)
    day = f"{start:%m-%d} " if today is not None and start.date() != today else ""
    if end.date() == start.date():
        return f"{day}{start:%H:%M}–{end:%H:%M}"
    if end.time() == dt.time.min and end.date() == start.date() + dt.timedelta(days=1):
        return f"{day}{start:%H:%M}–24:00"
    return f"{start:%m-%d %H:%M} – {end:%m-%d %H:%M}"


@dataclass
class TodaysChecks:
    """An enterprise user's checks around today, in the order the page shows them. ``total`` counts the tasks whose
    window overlaps today (less those done before today); ``checked`` those of them done."""

    due_now: list[CheckTask] = field(default_factory=list)
    later: list[CheckTask] = field(default_factory=list)
    done: list[CheckTask] = field(default_factory=list)
    overdue: list[CheckTask] = field(default_factory=list)
    total: int = 0

    @property
    def checked(self) -> int:
        return len(self.done)


def todays_checks(user: Any, now: dt.datetime | None = None) -> TodaysChecks:
    """The tasks of ``user`` (the assignee's own; a manager's whole enterprise) due now, later today, done today, and
    overdue or missed within the last week (one query)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day_start, day_end = start_of_day(today), end_of_day(today)
    tasks = (
        CheckTask.objects.visible_to(user)
        .with_related()
        .select_related("record__hazard")
        .filter(due_start__lt=day_end, due_end__gt=now - dt.timedelta(days=OVERDUE_SHOWN_DAYS))
        .exclude(status=TaskStatus.DONE, record__checked_at__lt=day_start)
        .order_by("due_start", "pk")
    )
    if not manages_enterprise(user, user.enterprise_id):
        tasks = tasks.filter(assignee_id=user.pk)
    checks = TodaysChecks()
    for task in tasks:
        task.window = window_label(task, today)  # type: ignore[attr-defined]
        if task.status == TaskStatus.DONE:
            checks.done.append(task)
        elif task.status == TaskStatus.PENDING and task.due_start <= now < task.due_end:
            checks.due_now.append(task)
        elif task.status == TaskStatus.PENDING and task.due_start > now:
            checks.later.append(task)
        else:
            checks.overdue.append(task)
        if task.due_end > day_start:
            checks.total += 1
    checks.done.sort(key=lambda t: t.record.checked_at)
    checks.overdue.sort(key=lambda t: (t.due_end, t.pk), reverse=True)
    return checks


def _card(task: CheckTask, state: str, form: CheckRecordForm | None = None) -> dict[str, Any]:
    if state == "open" and form is None:
        form = CheckRecordForm(task_id=task.pk)
    return {"task": task, "state": state, "form": form}


def _today_context(user: Any) -> dict[str, Any]:
    checks = todays_checks(user)
    enterprise = Enterprise.objects.visible_to(user).only("name").first()
    return {
        "enterprise": enterprise,
        "manager": manages_enterprise(user, user.enterprise_id),
        "due_now": [_card(t, "open") for t in checks.due_now],
        "later": [_card(t, "later") for t in checks.later],
        "done": [_card(t, "done") for t in checks.done],
        "overdue": [_card(t, "overdue") for t in checks.overdue[:OVERDUE_SHOWN]],
        "overdue_more": max(0, len(checks.overdue) - OVERDUE_SHOWN),
        "overdue_count": len(checks.overdue),
        "checked": checks.checked,
        "total": checks.total,
    }


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    """Today's checks of an enterprise user; with filters (and for government users) the list of tasks in scope."""
    user: Any = request.user
    if not _sees_tasks(user):
        raise PermissionDenied
    if is_enterprise_member(user) and not request.GET:
        return render(request, "risks/task_today.html", _today_context(user))
    queryset = CheckTask.objects.visible_to(user).with_related().select_related("record__hazard", "enterprise__region")
    if is_enterprise_member(user) and not manages_enterprise(user, user.enterprise_id):
        queryset = queryset.filter(assignee_id=user.pk)
    filterset = CheckTaskFilterSet(request.GET, queryset=queryset.order_by("-due_start", "pk"), request=request)
    enterprise_id = request.GET.get("enterprise", "")
    return list_response(
        request,
        filterset=filterset,
        template="risks/task_list.html",
        partial="risks/partials/task_results.html",
        context={
            "now": timezone.now(),
            "enterprise": Enterprise.objects.visible_to(user).filter(pk=int(enterprise_id)).first()
            if enterprise_id.isdigit()
            else None,
            "today_view": is_enterprise_member(user),
            "government_tabs": is_department_member(user) or is_system_admin(user),
        },
        prepare=_label_windows,
    )


def _label_windows(tasks: list[CheckTask]) -> None:
    for task in tasks:
        task.window = window_label(task)  # type: ignore[attr-defined]


def _refusal(form: CheckRecordForm) -> str:
    errors = [str(e) for e in form.non_field_errors()]
    errors += [str(e) for name in form.fields for e in form.errors.get(name, [])]
    return errors[0] if errors else _("The check was not saved.")


@login_required
@require_POST
def task_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one check; htmx gets the card back with its saved state (or its errors) and the day's progress."""
    user: Any = request.user
    task = access(CheckTask.objects.with_related(), user, pk)
    if not tasks_for(user, [task]):  # government users read; the assignee or a manager records
        raise PermissionDenied
    form = CheckRecordForm(request.POST, request.FILES, task_id=task.pk)
    saved = False
    if form.is_valid():
        try:
            do_record_check(task, actor=user, **form.arguments())
        except ActionError as error:
            apply_action_errors(form, error)
        else:
            saved = True
    if not _htmx(request):
        if saved:
            messages.success(request, _("Check saved."))
        else:
            messages.error(request, _refusal(form))
        return redirect(reverse("risks:task_list") + f"#task-{task.pk}")
    task = access(CheckTask.objects.with_related().select_related("record__hazard"), user, pk)
    task.window = window_label(task, timezone.localdate())  # type: ignore[attr-defined]
    card = _card(task, "done") if saved else _card(task, "open", form)
    checks = todays_checks(user)
    return render(
        request,
        "risks/partials/task_card.html",
        {**card, "oob": True, "checked": checks.checked, "total": checks.total},
    )


# --- the government view ----------------------------------------------------------------------------------------


def _narrowing(request: HttpRequest) -> tuple[RiskScopeForm, dict[str, Any]]:
    """The region and industry asked for: 404 for a region outside the user's territory, an unknown industry
    ignored (the form shows the error)."""
    user: Any = request.user
    form = RiskScopeForm(request.GET or None, user=user)
    code = request.GET.get("region", "")
    region = access(Region, user, code) if code else None
    industry = None
    if form.is_bound and form.is_valid():
        industry = form.cleaned_data["industry"] or None
    return form, {"region": region, "industry": industry}


def _enterprise_links(rows: list[Any], key: str = "pk") -> list[dict[str, Any]]:
    units = url_or_none("risks:unit_list")
    return [
        {
            "row": row,
            "url": reverse("enterprises:detail", args=[getattr(row, key)]),
            "units_url": f"{units}?enterprise={getattr(row, key)}" if units else None,
        }
        for row in rows
    ]


def _level_label(level: str) -> str:
    if level == figures.NO_LEVEL:
        return _("No assessed register")
    colour = LEVEL_COLOURS[RiskLevel(level)]
    return f"{RiskLevel(level).label}（{COLOUR_NAMES[colour]}）"


def _level_colour(level: str) -> str:
    return NO_REGISTER_COLOUR if level == figures.NO_LEVEL else COLOUR_HEX[LEVEL_COLOURS[RiskLevel(level)]]


LEVELS = [*(level.value for level in LEVEL_ORDER), figures.NO_LEVEL]


def _distribution_chart(narrowing: dict[str, Any], user: Any) -> dict[str, Any]:
    categories, series = figures.level_distribution(user, **narrowing)
    return {
        "labels": [name for _code, name in categories],
        "stacked": True,
        "series": [
            {"name": _level_label(level), "colour": _level_colour(level), "values": series[level]}
            for level in LEVELS
            if any(series[level])
        ],
    }


@login_required
@require_GET
def government(request: HttpRequest) -> HttpResponse:
    """Dual prevention in the user's scope: enterprises without a register, overdue re-assessments, low completion
    of the last 30 days, the figures and the risk distribution by industry and level."""
    user: Any = request.user
    _require_government(user)
    form, narrowing = _narrowing(request)
    summary = figures.risk_figures(user, **narrowing)
    return render(
        request,
        "risks/government_view.html",
        {
            "filter": {"form": form},
            "results_target": RESULTS_TARGET,
            "figures": summary,
            "levels": [
                {"level": level, "label": _level_label(level), "colour": _level_colour(level), "count": count}
                for level, count in summary.enterprises_by_level.items()
            ],
            "unit_levels": [
                {
                    "level": level,
                    "label": _level_label(level),
                    "count": n,
                }
                for level, n in summary.units_by_level.items()
            ],
            "without_register": _enterprise_links(list(figures.enterprises_without_register(user, **narrowing))),
            "overdue": _enterprise_links(figures.overdue_reassessments(user, **narrowing), key="enterprise_id"),
            "low_completion": _enterprise_links(figures.low_completion(user, **narrowing), key="enterprise_id"),
            "distribution": _distribution_chart(narrowing, user),
            "low_threshold": figures.LOW_COMPLETION,
            "query": request.GET.urlencode(),
        },
    )


def _map_point(row: figures.EnterpriseLevel) -> list[Any]:
    """[longitude, latitude, name, address of the enterprise] of a placed enterprise."""
    return [
        float(row.longitude or 0),
        float(row.latitude or 0),
        row.name,
        reverse("enterprises:detail", args=[row.enterprise_id]),
    ]


@login_required
@require_GET
def government_map(request: HttpRequest) -> HttpResponse:
    """The four-colour map of the scope: each enterprise at its position, coloured by its highest risk level."""
    user: Any = request.user
    _require_government(user)
    form, narrowing = _narrowing(request)
    rows = figures.highest_levels(user, **narrowing)
    legend, series = [], []
    for level in LEVELS:
        of_level = [r for r in rows if r.level == level]
        entry = {"level": level, "label": _level_label(level), "colour": _level_colour(level), "count": len(of_level)}
        legend.append(entry)
        points = [_map_point(r) for r in of_level if r.longitude is not None and r.latitude is not None]
        series.append({"name": entry["label"], "colour": entry["colour"], "points": points})
    unplaced = [r for r in rows if r.longitude is None or r.latitude is None]
    return render(
        request,
        "risks/government_map.html",
        {
            "filter": {"form": form},
            "results_target": RESULTS_TARGET,
            "legend": legend,
            "map_data": {"series": series},
            "unplaced": unplaced,
            "total": len(rows),
            "query": request.GET.urlencode(),
        },
    )
