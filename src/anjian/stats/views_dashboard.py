"""The dashboard page (驾驶舱): parse the period, region and industry, call ``stats.dashboard.build``, and turn its
figures into cards, charts and the map, every number linked to the filtered list behind it.

Links follow the lists' own filters: hazards by region, industry, period found (start/end), status, level, source,
type and overdue; inspections (government kinds) by the day they started; documents by the day issued; penalty cases
by region, industry and department (their list filters by the day filed, not decided, so the link carries no dates).
The management-class breakdown has no list filter yet, so its slices link nowhere.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_GET

from anjian.core.dbrouting import replica_reads
from anjian.core.scoping import access
from anjian.enterprises.filtersets import REGION_CODE, industry_choices
from anjian.hazards.filtersets import OPEN
from anjian.inspections.filtersets import GOVERNMENT
from anjian.regions.models import Region
from anjian.risks.choices import TaskStatus
from anjian.stats import dashboard as figures
from anjian.stats.boundaries import shapes_for
from anjian.stats.cube import Change, HazardRow
from anjian.stats.dashboard import Dashboard, Period, Persona
from anjian.stats.inspections import wan

DEPARTMENT_ROWS = 20  # the departments' enforcement table lists at most this many (the rest summed in one row)
# The figures the map can be coloured by: (key, label, higher is worse).
MAP_FIGURES = [
    ("found", gettext_lazy("Hazards found"), True),
    ("overdue_open", gettext_lazy("Overdue"), True),
    ("rectification_rate", gettext_lazy("Rectification rate"), False),
    ("visits", gettext_lazy("Inspection visits"), False),
]
PERIOD_CHOICES = [
    (Period.MONTH.value, pgettext_lazy("period", "This month")),
    (Period.QUARTER.value, pgettext_lazy("period", "This quarter")),
    (Period.YEAR.value, pgettext_lazy("period", "This year")),
    (Period.LAST_YEAR.value, pgettext_lazy("period", "Last year")),
    (Period.CUSTOM.value, pgettext_lazy("period", "Custom")),
]


class DashboardForm(forms.Form):
    """The dashboard's choices: a preset period or custom dates, the industry, the region (the map drills with it)
    and the figure the map is coloured by."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    industry = forms.ChoiceField(label=gettext_lazy("Industry"), required=False)
    region = forms.CharField(required=False, validators=[REGION_CODE], widget=forms.HiddenInput)
    figure = forms.ChoiceField(
        label=gettext_lazy("Colour the map by"),
        required=False,
        choices=[(key, label) for key, label, _worse in MAP_FIGURES],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("All industries")), *industry_choices(user)]  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if name in ("period", "region"):
                continue
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        elif start and start > timezone.localdate():
            self.add_error("start", _("The period starts after today."))
        return data


def resolve_period(form: DashboardForm, today: dt.date) -> tuple[Period, dt.date, dt.date]:
    """The period chosen: a preset (its dates as the form shows them count as the preset), else the custom dates
    (an end after today becomes today: figures are "as of today", and overdue counts must not run ahead of the
    calendar), else the default."""
    data = form.cleaned_data if form.is_valid() else {}
    chosen, start, end = data.get("period") or "", data.get("start"), data.get("end")
    if chosen and chosen != Period.CUSTOM:
        preset = figures.period_dates(Period(chosen), today)
        if not (start and end) or (start, end) == preset:
            return Period(chosen), *preset
    if start and end:
        return Period.CUSTOM, start, min(end, today)
    return figures.DEFAULT_PERIOD, *figures.period_dates(figures.DEFAULT_PERIOD, today)


@functools.cache
def _path(name: str, script_prefix: str) -> str:
    """``reverse(name)`` of an address without arguments, once per name and script prefix (``reverse`` adds the
    prefix it is given here): a dashboard page links ~160 figures to the same few lists."""
    return reverse(name)


# --- links to the lists behind the figures ------------------------------------------------------------------------


class Links:
    """Addresses of the filtered lists behind the dashboard's figures."""

    def __init__(self, board: Dashboard) -> None:
        self.board = board
        self.where: dict[str, Any] = {}
        if board.persona == Persona.ENTERPRISE and board.enterprise is not None:
            self.where["enterprise"] = board.enterprise.enterprise.pk
        else:
            if board.region is not None:
                self.where["region"] = board.region.code
            if board.industry:
                self.where["industry"] = board.industry
        self.period = {"start": board.start.isoformat(), "end": board.end.isoformat()}
        self.department = {"department": board.department.pk} if board.department is not None else {}

    @staticmethod
    def _url(name: str, params: dict[str, Any]) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        path = _path(name, get_script_prefix())
        return f"{path}?{query}" if query else path

    def hazards(self, *, period: bool = True, **params: Any) -> str:
        return self._url("hazards:list", {**self.where, **(self.period if period else {}), **params})

    def overdue(self, **params: Any) -> str:
        return self.hazards(period=False, overdue="true", **params)

    def inspections(self, **params: Any) -> str:
        params = {**self.where, "kind": GOVERNMENT, **self.period, **self.department, **params}
        return self._url("inspections:inspection_list", params)

    def documents(self) -> str:
        return self._url("inspections:document_list", {**self.where, **self.period, **self.department})

    def penalties(self, **params: Any) -> str:
        return self._url("inspections:penalty_list", {**self.where, **self.department, **params})

    def tasks(self, **params: Any) -> str:
        return self._url("risks:task_list", {**self.period, **params})

    def bucket(self, dimension: str, row: HazardRow) -> str | None:
        """The hazard list of one bucket of a breakdown (None: the list cannot filter by it)."""
        if dimension == "subregion":
            return self.hazards(region=row.key.ljust(12, "0"))
        if dimension == "category":
            return self.hazards(industry=row.key)
        if dimension == "source":
            return self.hazards(source=row.key)
        if dimension == "type":
            code = self.board.hazard_type_codes.get(row.key)
            return self.hazards(hazard_type=code) if code else None
        if dimension == "month":
            first = dt.date.fromisoformat(f"{row.key}-01")
            last = figures.months_back(first, -1) - dt.timedelta(days=1)
            start, end = max(first, self.board.trend_start), min(last, self.board.end)
            return self.hazards(start=start.isoformat(), end=end.isoformat())
        return None


def dashboard_url(region: Region | None, query: dict[str, Any]) -> str:
    params = {**query, "region": region.code if region is not None else ""}
    return Links._url("stats:dashboard", params)


# --- presentation ----------------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def change_text(change: Change | None) -> dict[str, Any] | None:
    """Year on year in words: the ratio when there was something a year before, else the difference (None when
    the comparison is not given: see cube.previous_figures)."""
    if change is None:
        return None
    if change.ratio is not None:
        percent = (change.ratio * 100).quantize(Decimal("0.1"))
        text = f"{'+' if percent > 0 else ''}{percent}%"
    else:
        text = f"{'+' if change.difference > 0 else ''}{change.difference}"
    return {"text": text, "up": change.difference > 0, "down": change.difference < 0, "previous": change.previous}


def _kpi(label: Any, value: Any, href: str, testid: str, **extra: Any) -> dict[str, Any]:
    return {"label": label, "value": value, "href": href, "testid": testid, **extra}


def _percent(value: Decimal | None) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%" if value is not None else "—"


def _kpis(board: Dashboard, links: Links) -> list[dict[str, Any]]:
    h, change = board.hazards, board.change
    unrectified = h.found - h.rectified
    return [
        _kpi(_("Hazards found"), h.found, links.hazards(), "kpi-found", change=change_text(change["found"]), worse=""),
        _kpi(
            _("Rectified"),
            h.rectified,
            links.hazards(status="closed"),
            "kpi-rectified",
            change=change_text(change.get("rectified")),
            worse="down",
        ),
        _kpi(
            _("Rectification rate"),
            _percent(h.rectification_rate),
            links.hazards(status=OPEN),
            "kpi-rate",
            note=_("%(n)d not rectified") % {"n": unrectified},
        ),
        _kpi(
            _("Major hazards"),
            h.major_found,
            links.hazards(level="major"),
            "kpi-major",
            change=change_text(change.get("major_found")),
            worse="up",
            note=_("%(n)d rectified") % {"n": h.major_rectified},
        ),
        _kpi(
            pgettext("dashboard figure", "Overdue"),
            h.overdue_open,
            links.overdue(),
            "kpi-overdue",
            change=change_text(change.get("overdue_open")),
            worse="up",
            colour="danger" if h.overdue_open else "",
        ),
    ]


def _enforcement_kpis(board: Dashboard, links: Links) -> list[dict[str, Any]]:
    e = board.enforcement
    if e is None:
        return []
    return [
        _kpi(
            _("Inspection visits"),
            e.visits,
            links.inspections(),
            "kpi-visits",
            note=_("coverage %(rate)s") % {"rate": _percent(e.coverage)},
        ),
        _kpi(_("Enforcement documents"), e.documents_issued, links.documents(), "kpi-documents"),
        _kpi(
            _("Penalty cases decided"),
            e.cases_decided,
            links.penalties(),
            "kpi-cases",
            note=_("fines %(wan)s 10k yuan") % {"wan": e.fines_wan},
        ),
    ]


def _enterprise_kpis(board: Dashboard, links: Links) -> list[dict[str, Any]]:
    section = board.enterprise
    if section is None:
        return []
    risk = section.risk
    return [
        _kpi(_("Open hazards"), section.open_now, links.hazards(period=False, status=OPEN), "kpi-open"),
        _kpi(
            _("Check completion"),
            _percent(risk.completion_rate),
            links.tasks(),
            "kpi-checks",
            note=_("%(done)d of %(due)d done") % {"done": risk.tasks_done, "due": risk.tasks_due},
        ),
        _kpi(
            _("Checks missed"),
            risk.tasks_missed + risk.tasks_overdue,
            links.tasks(status=TaskStatus.MISSED.value),
            "kpi-missed",
            colour="danger" if risk.tasks_missed + risk.tasks_overdue else "",
        ),
    ]


def _row(key: str, label: Any, value: Any, href: str | None = None) -> dict[str, Any]:
    return {"key": key, "label": label, "value": value, "href": href}


def _enforcement_rows(board: Dashboard, links: Links) -> list[dict[str, Any]]:
    """The enforcement and 打非治违 figures (the hazards inspections found have no list filter of their own)."""
    e = board.enforcement
    if e is None:
        return []
    return [
        _row("visits", _("Inspection visits"), e.visits, links.inspections()),
        _row(
            "enterprises",
            _("Enterprises inspected (coverage)"),
            f"{e.enterprises_inspected} / {e.enterprises_in_scope} ({_percent(e.coverage)})",
            links.inspections(),
        ),
        _row("hazards", _("Hazards found by inspections"), e.hazards_found_by_inspection),
        _row("documents", _("Enforcement documents issued"), e.documents_issued, links.documents()),
        _row("cases", _("Penalty cases decided"), e.cases_decided, links.penalties()),
        _row(
            "illegal",
            _("Illegal operations cracked down on"),
            e.illegal_acts,
            links.penalties(violation_class="illegal"),
        ),
        _row("violations", _("Rule violations corrected"), e.violations, links.penalties(violation_class="irregular")),
        _row(
            "suspended", _("Enterprises suspended"), e.suspended_enterprises, links.penalties(penalty_kind="suspension")
        ),
        _row("licences", _("Licences withheld or revoked"), e.licences_withheld_or_revoked, links.penalties()),
        _row("closed", _("Enterprises closed down"), e.closed_enterprises, links.penalties(penalty_kind="closure")),
        _row("fines", _("Fines (10k yuan)"), e.fines_wan, links.penalties(penalty_kind="fine")),
        _row(
            "criminal",
            _("Persons referred for criminal liability"),
            e.criminal_persons,
            links.penalties(penalty_kind="judicial_referral"),
        ),
    ]


def _tables(board: Dashboard, links: Links) -> dict[str, Any]:
    """The rows of the dashboard's tables, each with the address of the list behind it."""
    if board.persona == Persona.ENTERPRISE:
        risk = board.enterprise.risk if board.enterprise is not None else None
        if risk is None:
            return {}
        return {
            "check_rows": [
                _row("due", pgettext("check tasks", "Due"), risk.tasks_due, links.tasks()),
                _row("done", _("Done"), risk.tasks_done, links.tasks(status=TaskStatus.DONE.value)),
                _row("missed", _("Missed"), risk.tasks_missed, links.tasks(status=TaskStatus.MISSED.value)),
                _row(
                    "overdue",
                    _("Overdue (window closed, not checked)"),
                    risk.tasks_overdue,
                    links.tasks(status="overdue"),
                ),
                _row("open", _("Still open"), risk.tasks_open, links.tasks(status=TaskStatus.PENDING.value)),
            ]
        }
    return {
        "enforcement_rows": _enforcement_rows(board, links),
        "overdue_rows": [
            {"item": row, "href": links.overdue(enterprise=row.enterprise_id, region="", industry="")}
            for row in board.overdue_enterprises
        ],
        **_department_rows(board, links),
        "lagging_rows": [
            {"item": row, "href": reverse("orgs:department_detail", args=[row.department_id])} for row in board.lagging
        ],
    }


def _department_rows(board: Dashboard, links: Links) -> dict[str, Any]:
    """The departments' enforcement: every department of a county (a dozen), in their order; above a county (a
    province has thousands) the ``DEPARTMENT_ROWS`` with the most visits and one row summing the rest, so the
    table still adds up to the region's figures."""
    shown, rest = board.departments, []
    if len(shown) > DEPARTMENT_ROWS:
        ranked = sorted(shown, key=lambda d: (-d.visits, -d.cases_decided, -d.fines_yuan, d.name))
        shown, rest = ranked[:DEPARTMENT_ROWS], ranked[DEPARTMENT_ROWS:]
    others = None
    if rest:
        fines = sum((d.fines_yuan for d in rest), Decimal(0))
        others = {
            "count": len(rest),
            "visits": sum(d.visits for d in rest),
            "cases_decided": sum(d.cases_decided for d in rest),
            "fines_wan": wan(fines),
        }
    return {
        "department_rows": [
            {
                "item": row,
                "visits_href": links.inspections(department=row.department_id),
                "cases_href": links.penalties(department=row.department_id),
                "fines_wan": wan(row.fines_yuan),
            }
            for row in shown
        ],
        "department_others": others,
    }


def _chart(rows: list[HazardRow], dimension: str, links: Links, *, nonzero: bool = True) -> dict[str, Any]:
    shown = [r for r in rows if r.found or not nonzero]
    hrefs = [links.bucket(dimension, r) for r in shown]
    chart: dict[str, Any] = {"labels": [r.label for r in shown], "values": [r.found for r in shown]}
    if any(hrefs):
        chart["links"] = hrefs
    return chart


def _trend_chart(rows: list[HazardRow], links: Links) -> dict[str, Any]:
    return {
        "labels": [r.label for r in rows],
        "series": [
            {"name": str(_("Found")), "values": [r.found for r in rows]},
            {"name": str(_("Rectified")), "values": [r.rectified for r in rows]},
        ],
        "links": [links.bucket("month", r) for r in rows],
    }


def _subregion_chart(rows: list[HazardRow], links: Links) -> dict[str, Any]:
    return {
        "labels": [r.label for r in rows],
        "series": [
            {"name": str(_("Found")), "values": [r.found for r in rows]},
            {"name": str(_("Rectified")), "values": [r.rectified for r in rows]},
            {"name": str(_("Overdue")), "values": [r.overdue_open for r in rows]},
        ],
        "links": [links.bucket("subregion", r) for r in rows],
    }


def _status_chart(board: Dashboard, links: Links) -> dict[str, Any]:
    section = board.enterprise
    counts = [c for c in section.by_status if c.count] if section is not None else []
    return {
        "labels": [c.label for c in counts],
        "values": [c.count for c in counts],
        "links": [links.hazards(status=c.status) for c in counts],
    }


def map_data(board: Dashboard, links: Links, query: dict[str, Any], figure: str) -> dict[str, Any] | None:
    """The map's shapes and, per sub-region, its figures, what a hover shows and where a click goes: the same
    dashboard for that region, or — for villages, with nothing below them — the village's hazard list."""
    region_map = board.map
    if region_map is None or not region_map.children:
        return None
    shapes = shapes_for(region_map.regions)
    by_code = {r.code: r for r in region_map.regions}
    regions = []
    for child in region_map.children:
        url = links.hazards(region=child.code) if region_map.leaf else dashboard_url(by_code[child.code], query)
        regions.append(
            {
                "code": child.code,
                "name": child.name,
                "found": child.found,
                "rectified": child.rectified,
                "rectification_rate": _number(child.rectification_rate),
                "major_found": child.major_found,
                "overdue_open": child.overdue_open,
                "visits": child.visits,
                "url": url,
            }
        )
    return {
        "geojson": shapes.geojson,
        "synthetic": shapes.synthetic,
        "aspect": shapes.aspect,
        "figure": figure,
        "figures": [{"key": key, "label": str(label), "worse_high": worse} for key, label, worse in MAP_FIGURES],
        "labels": {
            "found": str(_("Hazards found")),
            "rectified": str(_("Rectified")),
            "rectification_rate": str(_("Rectification rate")),
            "major_found": str(_("Major hazards")),
            "overdue_open": str(_("Overdue")),
            "visits": str(_("Inspection visits")),
            "open": str(
                _("Click a region to open its hazard list.") if region_map.leaf else _("Click a region to drill down.")
            ),
        },
        "regions": regions,
    }


@login_required
@require_GET
@replica_reads
def dashboard(request: HttpRequest) -> HttpResponse:
    """The reader's dashboard: a region's (安委办, town, administrator), a department's, or an enterprise's."""
    user: Any = request.user
    persona = figures.persona_of(user)
    if persona is None:
        raise PermissionDenied
    form = DashboardForm(request.GET or None, user=user)
    today = timezone.localdate()
    period, start, end = resolve_period(form, today)
    data = form.cleaned_data if form.is_valid() else {}
    code = request.GET.get("region", "")
    region = access(Region, user, code) if code else None  # 404 outside the reader's scope
    industry = data.get("industry") or None
    board = figures.build(user, start=start, end=end, region=region, industry=industry, today=today)
    links = Links(board)
    figure = data.get("figure") or MAP_FIGURES[0][0]
    query = {"period": period.value, "industry": industry or "", "figure": figure}
    if period == Period.CUSTOM:
        query |= {"start": start.isoformat(), "end": end.isoformat()}
    context: dict[str, Any] = {
        "board": board,
        "form": form,
        "period": period.value,
        "periods": [
            {"value": value, "label": label, "url": dashboard_url(region, {**query, "period": value})}
            for value, label in PERIOD_CHOICES
            if value != Period.CUSTOM.value
        ],
        "clamped": bool(period == Period.CUSTOM and data.get("end") and data["end"] > today),
        "kpis": _kpis(board, links)
        + (_enterprise_kpis(board, links) if persona == Persona.ENTERPRISE else _enforcement_kpis(board, links)),
        "links": links,
        "trend_chart": _trend_chart(board.trend, links),
        "breadcrumbs": [{"name": r.name, "url": dashboard_url(r, query)} for r in board.breadcrumbs],
        "title_region": board.region.name if board.region is not None else _("All regions"),
    }
    if persona == Persona.ENTERPRISE:
        context["status_chart"] = _status_chart(board, links)
    else:
        context["subregion_chart"] = _subregion_chart(board.breakdowns["subregion"], links)
        context["category_chart"] = _chart(board.breakdowns["category"], "category", links)
        context["map_data"] = map_data(board, links, query, figure)
    context["source_chart"] = _chart(board.breakdowns["source"], "source", links)
    context["type_chart"] = _chart(board.breakdowns["type"], "type", links)
    context["management_chart"] = _chart(board.breakdowns["management"], "management", links)
    context |= _tables(board, links)
    return render(request, "stats/dashboard.html", context)
