"""The dashboard (驾驶舱): its figures equal raw SQL written from the definitions over the ledger, for each persona and
several periods; the map's sub-regions add up to the totals; every figure links to the list behind it and the map
drills down; scoping (a department sees its remit, a town its own villages, an enterprise itself; a region outside
the reader's scope is 404, readers without a dashboard are refused); the page, the function and the API agree and
take a bounded number of queries; approved boundaries load all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone, translation
from ninja.responses import NinjaJSONEncoder

from anjian.core.events import EventCode
from anjian.core.models import AuditEvent
from anjian.core.scoping import Scope
from anjian.inspections.choices import InspectionKind
from anjian.regions.models import Region
from anjian.stats import dashboard, tally, views_dashboard
from anjian.stats.api import DashboardOut, _dashboard_out
from anjian.stats.boundaries import shapes_for, tile_layout
from anjian.stats.cube import Narrowing, same_period_last_year
from anjian.stats.dashboard import Period, Persona, build, period_dates
from anjian.stats.hazards import end_of_day
from anjian.stats.inspections import start_of_day
from anjian.stats.models import RegionBoundary
from tests.conftest import sign_in_as
from tests.hazards.helpers import generate
from tests.inspections.helpers import inspect
from tests.stats.test_inspections import visit
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = period_dates(Period.YEAR, TODAY)
LAST_YEAR = period_dates(Period.LAST_YEAR, TODAY)
UNALIGNED = (TODAY - dt.timedelta(days=200), TODAY - dt.timedelta(days=45))
PERIODS = {"year": YEAR, "last_year": LAST_YEAR, "unaligned": UNALIGNED}

# What each persona's figures count: the region prefix, the industry categories of the remit, the enterprise.
SCOPES: dict[str, dict[str, Any]] = {
    "admin": {"prefix": "", "categories": None},
    "anweiban": {"prefix": "360431", "categories": None},
    "zhen1": {"prefix": "360431101", "categories": None},
    "yingji": {"prefix": "360431", "categories": ["01", "02", "03", "04"]},
    "zhujian": {"prefix": "360431", "categories": ["05", "06"]},
    "qiye1": {"prefix": "", "categories": None, "enterprise": "chem"},
}


def local(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def this_year(days_ago: int) -> dt.date:
    """A day this year, ``days_ago`` before today when that is still this year."""
    return max(YEAR[0], TODAY - dt.timedelta(days=days_ago))


@pytest.fixture(scope="module")
def ledger(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world, 120 hazards over a year and more, and inspections this year and last (built once for the module
    in a transaction rolled back at the end; each test runs in a savepoint inside it)."""
    media = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = build_world()
        generate(world)
        inspect(world, key="chem", at=local(this_year(10)))
        inspect(world, key="factory", fail=0, at=local(this_year(60)))
        inspect(world, key="chem", fail=0, at=local(TODAY - dt.timedelta(days=400)))
        visit(world, "xiaofang", "hotel", local(this_year(20)), kind=InspectionKind.EXPERT)
        visit(world, "neighbour_officer", "neighbour", local(this_year(20)), kind=InspectionKind.EXPERT)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def client_for(client: Client, ledger: World) -> Callable[[str], Client]:
    return sign_in_as(client, ledger)


# --- raw SQL, written from PRODUCT.md's definitions -------------------------------------------------------------

HAZARDS = """
WITH h AS (
  SELECT h.level, h.found_on, substr(e.region_id, 1, %(length)s) AS child,
    COALESCE((SELECT x.requested_deadline FROM hazards_hazardextension x
               WHERE x.hazard_id = h.id AND x.status = 'approved' AND x.decided_at < %(boundary)s
               ORDER BY x.decided_at DESC, x.id DESC LIMIT 1),
             h.original_deadline) AS deadline_then,
    (h.status = 'closed' AND h.closed_at < %(boundary)s) AS closed_then
  FROM hazards_hazard h
  JOIN enterprises_enterprise e ON e.id = h.enterprise_id
  JOIN enterprises_industry i ON i.id = e.industry_id
  LEFT JOIN enterprises_industry c ON c.id = i.parent_id
  WHERE h.status <> 'voided' AND h.found_on <= %(end)s AND e.region_id LIKE %(prefix)s
    AND (%(categories)s::text[] IS NULL OR i.code = ANY(%(categories)s) OR c.code = ANY(%(categories)s))
    AND (%(enterprise)s::bigint IS NULL OR e.id = %(enterprise)s)
)
SELECT child,
  count(*) FILTER (WHERE found_on >= %(start)s),
  count(*) FILTER (WHERE found_on >= %(start)s AND closed_then),
  count(*) FILTER (WHERE found_on >= %(start)s AND level = 'major'),
  count(*) FILTER (WHERE found_on >= %(start)s AND level = 'major' AND closed_then),
  count(*) FILTER (WHERE NOT closed_then AND deadline_then < %(end)s)
FROM h GROUP BY child
"""

VISITS = """
SELECT substr(e.region_id, 1, %(length)s), count(*)
FROM inspections_inspection v
JOIN enterprises_enterprise e ON e.id = v.enterprise_id
JOIN enterprises_industry i ON i.id = e.industry_id
LEFT JOIN enterprises_industry c ON c.id = i.parent_id
WHERE v.kind <> 'self' AND v.started_at >= %(from)s AND v.started_at < %(to)s AND e.region_id LIKE %(prefix)s
  AND (%(categories)s::text[] IS NULL OR i.code = ANY(%(categories)s) OR c.code = ANY(%(categories)s))
  AND (%(department)s::bigint IS NULL OR v.department_id = %(department)s)
GROUP BY 1
"""

Figures = tuple[int, int, int, int, int]  # found, rectified, major found, major rectified, overdue open
FIGURES = ("found", "rectified", "major_found", "major_rectified", "overdue_open")


def raw_hazards(
    world: World, persona: str, start: dt.date, end: dt.date, *, prefix: str | None = None, length: int = 12
) -> dict[str, Figures]:
    scope = SCOPES[persona]
    enterprise = world.enterprises[scope["enterprise"]].pk if scope.get("enterprise") else None
    params = {
        "boundary": end_of_day(end),
        "start": start,
        "end": end,
        "prefix": (prefix if prefix is not None else scope["prefix"]) + "%",
        "categories": scope["categories"],
        "enterprise": enterprise,
        "length": length,
    }
    with connection.cursor() as cursor:
        cursor.execute(HAZARDS, params)
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def total(rows: dict[str, Figures]) -> Figures:
    return tuple(sum(r[i] for r in rows.values()) for i in range(5))  # type: ignore[return-value]


def raw_visits(
    world: World, persona: str, start: dt.date, end: dt.date, *, length: int, department: int | None = None
) -> dict[str, int]:
    scope = SCOPES[persona]
    params = {
        "from": start_of_day(start),
        "to": end_of_day(end),
        "prefix": scope["prefix"] + "%",
        "categories": scope["categories"],
        "department": department,
        "length": length,
    }
    with connection.cursor() as cursor:
        cursor.execute(VISITS, params)
        return dict(cursor.fetchall())


def figures_of(h: Any) -> Figures:
    return (h.found, h.rectified, h.major_found, h.major_rectified, h.overdue_open)


# --- the figures equal the ledger ---------------------------------------------------------------------------------


@pytest.mark.parametrize("period", sorted(PERIODS))
@pytest.mark.parametrize("persona", sorted(SCOPES))
def test_kpis_equal_raw_sql(ledger: World, persona: str, period: str) -> None:
    start, end = PERIODS[period]
    board = build(ledger.users[persona], start=start, end=end)
    assert figures_of(board.hazards) == total(raw_hazards(ledger, persona, start, end))
    # A year before: every figure cube.previous_figures gives equals the ledger's — found, rectified and major found
    # where the rollups answer (a region at county level or above), the overdue figure at that day too elsewhere.
    then = dict(zip(FIGURES, total(raw_hazards(ledger, persona, *same_period_last_year(start, end))), strict=True))
    by_rollups = tally.answers(Narrowing(ledger.users[persona], region=board.region), start.replace(day=1), end)
    assert set(board.previous) == {"found", "rectified", "major_found"} | (set() if by_rollups else {"overdue_open"})
    assert by_rollups is (persona in ("admin", "anweiban") and period != "unaligned")
    assert board.previous == {name: then[name] for name in board.previous}
    assert board.change["found"].current == board.hazards.found
    assert board.change["found"].previous == board.previous["found"]
    # The trend's months partition the finds of the months it shows.
    months = raw_hazards(ledger, persona, board.trend_start, end)
    assert sum(row.found for row in board.trend) == total(months)[0]
    # Every breakdown partitions the found hazards.
    for name, rows in board.breakdowns.items():
        assert sum(row.found for row in rows) == board.hazards.found, name


def test_the_personas_read_their_own_dashboards(ledger: World) -> None:
    expected = {
        "admin": Persona.REGION,
        "anweiban": Persona.REGION,
        "zhen1": Persona.REGION,
        "yingji": Persona.DEPARTMENT,
        "zhujian": Persona.DEPARTMENT,
        "qiye1": Persona.ENTERPRISE,
        "zhigong1": None,
        "wangge1": None,
        "auditor": None,
    }
    assert {name: dashboard.persona_of(ledger.users[name]) for name in expected} == expected


@pytest.mark.parametrize(("persona", "length"), [("anweiban", 9), ("zhen1", 12), ("yingji", 9), ("admin", 2)])
def test_the_map_adds_up_to_the_totals(ledger: World, persona: str, length: int) -> None:
    user = ledger.users[persona]
    start, end = YEAR
    board = build(user, start=start, end=end)
    assert board.map is not None and board.enforcement is not None
    parts = [*board.map.children, *([board.map.outside] if board.map.outside else [])]
    for name in ("found", "rectified", "major_found", "overdue_open", "visits"):
        expected = board.enforcement.visits if name == "visits" else getattr(board.hazards, name)
        assert sum(getattr(part, name) for part in parts) == expected, name
    # Each sub-region's figures are the ledger's for its code prefix.
    rows = raw_hazards(ledger, persona, start, end, length=length)
    department = ledger.users[persona].department_id if board.persona == Persona.DEPARTMENT else None
    visits = raw_visits(ledger, persona, start, end, length=length, department=department)
    for child in board.map.children:
        found, rectified, major, _major_rectified, overdue = rows.get(child.code[:length], (0, 0, 0, 0, 0))
        assert (child.found, child.rectified, child.major_found, child.overdue_open) == (
            found,
            rectified,
            major,
            overdue,
        )
        assert child.visits == visits.get(child.code[:length], 0)


def test_the_map_shows_every_sub_region(ledger: World) -> None:
    county = build(ledger.users["anweiban"], start=YEAR[0], end=YEAR[1])
    assert county.map is not None
    assert [c.code for c in county.map.children] == ["360431101000", "360431102000"]
    town = build(ledger.users["zhen1"], start=YEAR[0], end=YEAR[1])
    assert town.map is not None and town.map.leaf
    assert [c.code for c in town.map.children] == ["360431101001", "360431101201"]
    village = build(ledger.users["anweiban"], start=YEAR[0], end=YEAR[1], region=ledger.regions["v1"])
    assert village.map is None


def test_enforcement_is_the_departments_own(ledger: World) -> None:
    board = build(ledger.users["yingji"], start=YEAR[0], end=YEAR[1])
    assert board.enforcement is not None and board.department == ledger.departments["yingji"]
    visits = raw_visits(ledger, "yingji", *YEAR, length=6, department=ledger.departments["yingji"].pk)
    assert board.enforcement.visits == sum(visits.values()) == 2  # not the fire brigade's diagnosis of the hotel
    county = build(ledger.users["anweiban"], start=YEAR[0], end=YEAR[1])
    assert county.enforcement is not None and county.enforcement.visits == 3
    assert {d.name for d in county.departments} == {"安澜县应急管理局", "安澜县消防救援大队"}


def test_the_enterprise_reads_only_itself(ledger: World) -> None:
    board = build(ledger.users["qiye1"], start=YEAR[0], end=YEAR[1])
    assert board.persona == Persona.ENTERPRISE and board.map is None and board.enforcement is None
    assert board.enterprise is not None and board.enterprise.enterprise == ledger.enterprises["chem"]
    assert figures_of(board.hazards) == total(raw_hazards(ledger, "qiye1", *YEAR))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE status IN ('registered', 'rectifying', 'awaiting_acceptance')),"
            " count(*) FILTER (WHERE status IN ('registered', 'rectifying', 'awaiting_acceptance') AND deadline < %s)"
            " FROM hazards_hazard WHERE enterprise_id = %s",
            [TODAY, ledger.enterprises["chem"].pk],
        )
        open_now, overdue_now = cursor.fetchone()
    assert (board.enterprise.open_now, board.enterprise.overdue_now) == (open_now, overdue_now)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM hazards_hazard WHERE enterprise_id = %s AND found_on BETWEEN %s AND %s",
            [ledger.enterprises["chem"].pk, *YEAR],
        )
        (found_any_status,) = cursor.fetchone()
    assert sum(c.count for c in board.enterprise.by_status) == found_any_status
    assert all(i.enterprise_id == ledger.enterprises["chem"].pk for i in board.enterprise.inspections)
    assert len(board.enterprise.inspections) == 2  # its two inspections; none of another enterprise


# --- the page ----------------------------------------------------------------------------------------------------


def map_json(html: str) -> dict[str, Any]:
    marker = '<script id="region-map" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_the_county_page_links_every_figure(ledger: World, client_for: Any) -> None:
    response = client_for("anweiban").get("/dashboards/?period=year")
    assert response.status_code == 200
    html = response.content.decode()
    start, end = YEAR
    kpis = {k["testid"]: k for k in response.context["kpis"]}
    assert query_of(kpis["kpi-found"]["href"]) == {"region": "360431000000", "start": str(start), "end": str(end)}
    assert urlparse(kpis["kpi-found"]["href"]).path == "/hazards/"
    assert query_of(kpis["kpi-overdue"]["href"]) == {"region": "360431000000", "overdue": "true"}
    assert query_of(kpis["kpi-major"]["href"])["level"] == "major"
    assert query_of(kpis["kpi-rectified"]["href"])["status"] == "closed"
    assert urlparse(kpis["kpi-visits"]["href"]).path == "/inspections/"
    assert query_of(kpis["kpi-visits"]["href"])["kind"] == "government"
    for kpi in kpis.values():
        assert f'href="{kpi["href"]}"'.replace("&", "&amp;") in html
    # The map drills down into each town's dashboard, keeping the period and the figure.
    data = map_json(html)
    assert data["synthetic"] is True
    assert {r["code"] for r in data["regions"]} == {"360431101000", "360431102000"}
    for region in data["regions"]:
        assert urlparse(region["url"]).path == "/dashboards/"
        assert query_of(region["url"])["region"] == region["code"]
        assert query_of(region["url"])["period"] == "year"
    assert "示意图" in html or "Schematic" in html
    # Chart buckets link to their lists.
    towns = response.context["subregion_chart"]
    assert [query_of(link)["region"] for link in towns["links"]] == ["360431101000", "360431102000"]
    for link in response.context["category_chart"]["links"]:
        assert query_of(link)["industry"] in {"01", "04", "05", "09"}
    for link in response.context["trend_chart"]["links"]:
        assert {"start", "end", "region"} <= set(query_of(link))


def test_a_long_department_table_shows_the_busiest_and_sums_the_rest(
    ledger: World, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province has thousands of departments: the page lists those with the most visits and one row for the
    others, so the table still adds up to the region's enforcement figures."""
    client = client_for("anweiban")
    every = client.get("/dashboards/?period=year").context["board"].departments
    assert len(every) >= 2
    monkeypatch.setattr(views_dashboard, "DEPARTMENT_ROWS", 1)
    response = client.get("/dashboards/?period=year")
    shown = [row["item"] for row in response.context["department_rows"]]
    others = response.context["department_others"]
    busiest = sorted(every, key=lambda d: (-d.visits, -d.cases_decided, -d.fines_yuan, d.name))[0]
    assert shown == [busiest]
    assert others["count"] == len(every) - 1
    assert others["visits"] + busiest.visits == sum(d.visits for d in every)
    assert others["cases_decided"] + busiest.cases_decided == sum(d.cases_decided for d in every)
    assert 'data-testid="department-others"' in response.content.decode()
    html = response.content.decode()
    assert f"其余 {len(every) - 1} 个部门" in html or f"The other {len(every) - 1} department" in html


def test_the_town_page_drills_to_village_lists_with_breadcrumbs(ledger: World, client_for: Any) -> None:
    response = client_for("anweiban").get("/dashboards/?region=360431101000&period=year&figure=overdue_open")
    assert response.status_code == 200
    html = response.content.decode()
    data = map_json(html)
    assert data["figure"] == "overdue_open"
    for region in data["regions"]:
        assert urlparse(region["url"]).path == "/hazards/"
        assert query_of(region["url"])["region"] == region["code"]
    crumbs = response.context["breadcrumbs"]
    assert [c["name"] for c in crumbs] == ["安澜县"]
    assert query_of(crumbs[0]["url"])["region"] == "360431000000"
    assert 'data-testid="dashboard-breadcrumbs"' in html
    # The town officer's own dashboard has no breadcrumbs above the town.
    own = client_for("zhen1").get("/dashboards/")
    assert own.context["board"].region == ledger.regions["town1"] and own.context["breadcrumbs"] == []


def test_department_pages_show_only_their_remit(ledger: World, client_for: Any) -> None:
    chem, build_co = ledger.enterprises["chem"].name, ledger.enterprises["build"].name
    zhujian = client_for("zhujian").get("/dashboards/").content.decode()
    assert chem not in zhujian
    yingji = client_for("yingji").get("/dashboards/").content.decode()
    assert build_co not in yingji
    assert "安澜县应急管理局" in yingji


def test_the_enterprise_page(ledger: World, client_for: Any) -> None:
    response = client_for("qiye1").get("/dashboards/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ledger.enterprises["chem"].name in html
    assert 'id="region-map"' not in html
    for other in ("build", "hotel", "factory", "neighbour"):
        assert ledger.enterprises[other].name not in html
    kpis = {k["testid"]: k for k in response.context["kpis"]}
    assert query_of(kpis["kpi-open"]["href"]) == {"enterprise": str(ledger.enterprises["chem"].pk), "status": "open"}
    assert urlparse(kpis["kpi-checks"]["href"]).path == "/risks/tasks/"


@pytest.mark.parametrize(
    ("persona", "region"),
    [
        ("anweiban", "360432000000"),  # the neighbouring county
        ("anweiban", "999999999999"),  # no such region
        ("zhen1", "360431102000"),  # another town
        ("zhen1", "360431000000"),  # the county above
        ("yingji", "360432101000"),
        ("qiye1", "360431101000"),  # an enterprise has no region to choose
    ],
)
def test_a_region_outside_the_scope_is_404(ledger: World, client_for: Any, persona: str, region: str) -> None:
    client = client_for(persona)
    assert client.get(f"/dashboards/?region={region}").status_code == 404
    response = client.get(f"/api/v1/stats/dashboard?region={region}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("persona", ["auditor", "wangge1", "zhigong1"])
def test_readers_without_a_dashboard_are_refused(ledger: World, client_for: Any, persona: str) -> None:
    client = client_for(persona)
    assert client.get("/dashboards/").status_code == 403
    assert client.get("/api/v1/stats/dashboard").status_code == 403


def test_anonymous_readers_sign_in_first(ledger: World, client: Client) -> None:
    response = client.get("/dashboards/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/api/v1/stats/dashboard").status_code == 401


def test_the_nav_links_the_dashboard_for_who_has_one(ledger: World, client_for: Any) -> None:
    for persona in ("anweiban", "yingji", "qiye1"):
        assert 'data-testid="nav-dashboard"' in client_for(persona).get("/").content.decode(), persona
    for persona in ("wangge1", "zhigong1"):
        assert 'data-testid="nav-dashboard"' not in client_for(persona).get("/").content.decode(), persona


def test_periods(ledger: World, client_for: Any) -> None:
    client = client_for("anweiban")
    board = client.get("/dashboards/?period=month").context["board"]
    assert (board.start, board.end) == (TODAY.replace(day=1), TODAY)
    board = client.get("/dashboards/?period=last_year").context["board"]
    assert (board.start, board.end) == LAST_YEAR
    # Custom dates; an end in the future is today (the figures are as of today).
    later = TODAY + dt.timedelta(days=30)
    response = client.get(f"/dashboards/?start={UNALIGNED[0]}&end={later}")
    assert (response.context["board"].start, response.context["board"].end) == (UNALIGNED[0], TODAY)
    assert response.context["period"] == "custom" and response.context["clamped"]
    # A preset with its own dates is still the preset; with other dates it is a custom period.
    assert client.get(f"/dashboards/?period=year&start={YEAR[0]}&end={YEAR[1]}").context["period"] == "year"
    assert client.get(f"/dashboards/?period=year&start={UNALIGNED[0]}&end={YEAR[1]}").context["period"] == "custom"
    # An end before the start: the errors, and the default period.
    response = client.get(f"/dashboards/?start={UNALIGNED[1]}&end={UNALIGNED[0]}")
    assert response.status_code == 200 and response.context["form"].errors
    assert (response.context["board"].start, response.context["board"].end) == YEAR
    # An industry narrows the figures.
    board = client.get("/dashboards/?industry=05").context["board"]
    assert figures_of(board.hazards) == total(raw_hazards(ledger, "zhujian", *YEAR))


# --- the API -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anweiban", "yingji", "qiye1"])
def test_the_api_answers_the_dashboard(ledger: World, client_for: Any, persona: str) -> None:
    start, end = UNALIGNED
    response = client_for(persona).get(f"/api/v1/stats/dashboard?start={start}&end={end}")
    assert response.status_code == 200
    body = response.json()
    board = build(ledger.users[persona], start=start, end=end)
    # rendered as built: exactly what validating it against the documented schema gives
    validated = DashboardOut.model_validate(_dashboard_out(board)).model_dump()
    assert body == json.loads(json.dumps(validated, cls=NinjaJSONEncoder))
    assert body["persona"] == board.persona.value
    assert (body["hazards"]["found"], body["hazards"]["overdue_open"]) == (
        board.hazards.found,
        board.hazards.overdue_open,
    )
    assert body["change"]["found"]["previous"] == board.previous["found"]
    assert body["previous"] == board.previous
    assert [r["found"] for r in body["trend"]] == [r.found for r in board.trend]
    if board.map is not None:
        assert [(c["code"], c["found"], c["visits"]) for c in body["map"]["children"]] == [
            (c.code, c.found, c.visits) for c in board.map.children
        ]
    else:
        assert body["map"] is None and body["enterprise"]["enterprise_id"] == ledger.enterprises["chem"].pk


def test_the_api_defaults_and_refusals(ledger: World, client_for: Any) -> None:
    client = client_for("anweiban")
    body = client.get("/api/v1/stats/dashboard").json()
    assert (body["start"], body["end"]) == (str(YEAR[0]), str(YEAR[1]))
    assert body["region"]["code"] == "360431000000"
    backwards = client.get(f"/api/v1/stats/dashboard?start={UNALIGNED[1]}&end={UNALIGNED[0]}")
    assert backwards.status_code == 422 and "end" in backwards.json()["errors"]
    assert client.get("/api/v1/stats/dashboard?industry=nope").status_code == 422
    town = client.get("/api/v1/stats/dashboard?region=360431101000").json()
    assert [c["code"] for c in town["map"]["children"]] == ["360431101001", "360431101201"]


# --- a bounded number of queries -----------------------------------------------------------------------------


# Bounded whatever the size of the region (about 30: each figure, breakdown and list is one or two aggregate queries;
# where the rollups answer, a few more small ones: a year before as whole months + the partial month + its closures,
# the departments' finds + their overdue + their names; the enterprises visited as whether a visit was recorded
# ahead + a count of each enterprise's months; the enterprises in scope, the closed ones apart; for a plain
# territory, whether it holds every enterprise); the limits leave a little room for the modules' changes.
@pytest.mark.parametrize(
    ("persona", "limit"), [("anweiban", 40), ("yingji", 35), ("zhen1", 33), ("qiye1", 21), ("admin", 38)]
)
def test_the_dashboard_takes_a_bounded_number_of_queries(
    ledger: World, persona: str, limit: int, django_assert_max_num_queries: Any
) -> None:
    user = ledger.users[persona]
    for start, end in PERIODS.values():
        user.refresh_from_db()  # a fresh reader: its scope and membership are read again
        Scope.for_user(user)
        with django_assert_max_num_queries(limit):
            build(user, start=start, end=end)


def test_the_page_and_the_api_take_a_bounded_number_of_queries(
    ledger: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("anweiban")
    client.get("/dashboards/")  # the session and the catalogue caches are warm
    with django_assert_max_num_queries(48):  # the session and the reader (2), the shapes (1), the figures
        assert client.get("/dashboards/?period=year").status_code == 200
    with django_assert_max_num_queries(45):
        assert client.get("/api/v1/stats/dashboard").status_code == 200


# --- the map's shapes ----------------------------------------------------------------------------------------------


def test_schematic_tiles_never_overlap(ledger: World) -> None:
    placed = [
        Region(
            code=f"3604311{n:02d}000",
            name=f"镇{n}",
            level=4,
            longitude=115.9 + (n % 5) * 0.07,
            latitude=29.2 + (n // 5) * 0.05,
        )
        for n in range(1, 24)
    ]
    placed.append(Region(code="360431199000", name="同点", level=4, longitude=115.9, latitude=29.2))  # shares a spot
    cells = tile_layout(placed)
    assert len(cells) == len(placed) and len(set(cells.values())) == len(placed)
    unplaced = [Region(code=f"3604311{n:02d}000", name=f"镇{n}", level=4) for n in range(1, 8)]
    cells = tile_layout(unplaced)
    assert len(set(cells.values())) == len(unplaced)
    shapes = shapes_for(unplaced)
    assert shapes.synthetic and len(shapes.geojson["features"]) == len(unplaced)


def square(lon: float, lat: float, size: float = 0.05) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*features: tuple[Any, Any]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features],
    }


def test_load_boundaries_loads_a_valid_file(ledger: World, tmp_path: Path, client_for: Any) -> None:
    path = tmp_path / "towns.geojson"
    data = collection(
        ({"code": "360431101000", "name": "青山镇"}, square(115.9, 29.2)),
        ({"adcode": "360431102"}, {"type": "MultiPolygon", "coordinates": [square(116.0, 29.2)["coordinates"]]}),
    )
    path.write_text(json.dumps(data), encoding="utf-8")
    before = AuditEvent.objects.count()
    call_command("load_boundaries", str(path), "--source", "安澜县自然资源局 审图号 示例")
    assert RegionBoundary.objects.count() == 2
    boundary = RegionBoundary.objects.get(region_id="360431102000")
    assert boundary.geojson["type"] == "MultiPolygon" and boundary.source == "安澜县自然资源局 审图号 示例"
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1 and event is not None
    assert event.event == EventCode.IMPORT and event.new == {
        "boundaries": 2,
        "replaced": 0,
        "source": "安澜县自然资源局 审图号 示例",
    }
    # Every town has a boundary now: the county's map draws them, not tiles.
    data = map_json(client_for("anweiban").get("/dashboards/").content.decode())
    assert data["synthetic"] is False
    assert [f["properties"]["code"] for f in data["geojson"]["features"]] == ["360431101000", "360431102000"]
    # Loading again replaces.
    call_command("load_boundaries", str(path))
    assert RegionBoundary.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        (json.dumps({"type": "Feature"}), "FeatureCollection"),
        (json.dumps(collection(({"name": "青山镇"}, square(115.9, 29.2)))), "no region code"),
        (json.dumps(collection(({"code": "360431101000"}, {"type": "Point", "coordinates": [1, 2]}))), "Polygon"),
        (
            json.dumps(
                collection(
                    (
                        {"code": "360431101000"},
                        {"type": "Polygon", "coordinates": [[[115, 29], [116, 29], [116, 30], [115, 30]]]},
                    )
                )
            ),
            "ends where it starts",
        ),
        (json.dumps(collection(({"code": "360431101000"}, square(515.9, 29.2)))), "longitude and latitude"),
        (json.dumps(collection(({"code": "360431199000"}, square(115.9, 29.2)))), "no region in the register"),
        (
            json.dumps(
                collection(({"code": "360431101000"}, square(115.9, 29.2)), ({"code": "360431101000"}, square(1, 2)))
            ),
            "twice",
        ),
    ],
)
def test_load_boundaries_refuses_a_bad_file_and_changes_nothing(
    ledger: World, tmp_path: Path, content: str, message: str
) -> None:
    RegionBoundary.objects.create(
        region_id="360431101000", geojson=square(1, 1), source="earlier", loaded_at=timezone.now()
    )
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    before = AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(CommandError, match=message) as refused:
        call_command("load_boundaries", str(path))
    assert "Nothing was loaded." in str(refused.value)
    assert list(RegionBoundary.objects.values_list("region_id", "source")) == [("360431101000", "earlier")]
    assert AuditEvent.objects.count() == before


def test_load_boundaries_dry_run_changes_nothing(ledger: World, tmp_path: Path) -> None:
    path = tmp_path / "towns.geojson"
    path.write_text(json.dumps(collection(({"code": "360431101000"}, square(115.9, 29.2)))), encoding="utf-8")
    call_command("load_boundaries", str(path), "--dry-run")
    assert not RegionBoundary.objects.exists()
    with translation.override("en"), pytest.raises(CommandError, match="No such file"):
        call_command("load_boundaries", str(tmp_path / "missing.geojson"))
    with translation.override("zh-hans"), pytest.raises(CommandError, match=r"文件不存在.*未导入任何边界"):
        call_command("load_boundaries", str(tmp_path / "missing.geojson"))


def test_the_links_follow_the_script_prefix() -> None:
    """The list addresses are reversed once per name and script prefix: a deployment under a path prefix links
    under it, and one without links without it, whichever came first."""
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/anjian/")
        assert views_dashboard.Links._url("hazards:list", {"region": "360431000000"}) == (
            "/anjian/hazards/?region=360431000000"
        )
        set_script_prefix("/")
        assert views_dashboard.Links._url("hazards:list", {}) == "/hazards/"
        assert views_dashboard.Links._url("hazards:list", {"a": "", "b": None, "c": 1}) == "/hazards/?c=1"
    finally:
        set_script_prefix("/")
