"""The hazard figures (PRODUCT.md's binding definitions) equal raw SQL over generated records, for many scopes
and periods, through the function and through /api/v1/stats/hazards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from anjian.core.scoping import Scope, enterprise_q
from anjian.hazards.models import Hazard
from anjian.stats.hazards import end_of_day, hazard_figures, rate
from tests.hazards.helpers import generate
from tests.world import World

SQL = """
WITH h AS (
  SELECT h.*, e.region_id, COALESCE(
    (SELECT x.requested_deadline FROM hazards_hazardextension x
      WHERE x.hazard_id = h.id AND x.status = 'approved' AND x.decided_at < %(boundary)s
      ORDER BY x.decided_at DESC, x.id DESC LIMIT 1),
    h.original_deadline) AS deadline_then,
    (h.status = 'closed' AND h.closed_at < %(boundary)s) AS closed_then
  FROM hazards_hazard h JOIN enterprises_enterprise e ON e.id = h.enterprise_id
  WHERE h.status <> 'voided' AND e.region_id LIKE %(prefix)s AND h.found_on <= %(end)s
)
SELECT
  count(*) FILTER (WHERE found_on >= %(start)s),
  count(*) FILTER (WHERE found_on >= %(start)s AND closed_then),
  count(*) FILTER (WHERE found_on >= %(start)s AND level = 'major'),
  count(*) FILTER (WHERE found_on >= %(start)s AND level = 'major' AND closed_then),
  count(*) FILTER (WHERE NOT closed_then AND deadline_then < %(end)s)
FROM h
"""


def raw(prefix: str, start: dt.date, end: dt.date) -> tuple[int, ...]:
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"boundary": end_of_day(end), "prefix": prefix + "%", "start": start, "end": end})
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


@pytest.fixture
def ledger(world: World) -> World:
    made = generate(world)
    assert len(made) == 120
    return world


def periods() -> list[tuple[dt.date, dt.date]]:
    today = timezone.localdate()
    return [
        (today - dt.timedelta(days=430), today),
        (today - dt.timedelta(days=365), today - dt.timedelta(days=180)),
        (today - dt.timedelta(days=90), today - dt.timedelta(days=30)),
        (dt.date(today.year, 1, 1), today),
        (today - dt.timedelta(days=200), today - dt.timedelta(days=200)),
    ]


def test_figures_equal_raw_sql(ledger: World) -> None:
    regions = {"county": "360431", "town1": "360431101", "neighbour": "360432", "all": ""}
    checked = 0
    for prefix in regions.values():
        scoped = Hazard.objects.filter(enterprise__region__code__startswith=prefix)
        for start, end in periods():
            figures = hazard_figures(scoped, start, end)
            found, rectified, major_found, major_rectified, overdue = raw(prefix, start, end)
            assert (figures.found, figures.rectified, figures.major_found, figures.major_rectified) == (
                found,
                rectified,
                major_found,
                major_rectified,
            )
            assert figures.overdue_open == overdue
            assert figures.rectification_rate == rate(rectified, found)
            checked += found
    assert checked > 100  # the periods really held hazards


def test_a_past_report_never_changes(ledger: World) -> None:
    """Figures "as of" a past date ignore everything that happened after it (closures, extensions)."""
    from anjian.hazards import actions
    from anjian.hazards.choices import HazardStatus

    today = timezone.localdate()
    start, end = today - dt.timedelta(days=400), today - dt.timedelta(days=60)
    before = hazard_figures(Hazard.objects.all(), start, end)
    for hazard in Hazard.objects.filter(status=HazardStatus.AWAITING_ACCEPTANCE, finding_department__isnull=False):
        actions.do_accept_rectification(hazard, actor=hazard.found_by)
    assert hazard_figures(Hazard.objects.all(), start, end) == before


def test_rate_rounds_to_four_places() -> None:
    assert rate(1014, 1030) == Decimal("0.9845")
    assert rate(2, 3) == Decimal("0.6667")
    assert rate(0, 0) is None


@pytest.mark.parametrize("persona", ["anweiban", "yingji", "zhen1", "qiye1", "zhujian"])
def test_api_answers_the_callers_scope(ledger: World, client_for: Any, persona: str) -> None:
    start, end = periods()[0]
    response = client_for(persona).get(f"/api/v1/stats/hazards?start={start}&end={end}")
    assert response.status_code == 200, response.content
    body = response.json()
    scoped = Hazard.objects.visible_to(ledger.users[persona])
    expected = hazard_figures(scoped, start, end)
    assert body["found"] == expected.found and body["overdue_open"] == expected.overdue_open
    assert body["rectified"] == expected.rectified
    if expected.rectification_rate is None:
        assert body["rectification_rate"] is None
    else:
        assert Decimal(str(body["rectification_rate"])) == expected.rectification_rate


def test_api_filters_match_sql(ledger: World, client_for: Any) -> None:
    start, end = periods()[0]
    client = client_for("anweiban")
    town = client.get(f"/api/v1/stats/hazards?start={start}&end={end}&region=360431101000").json()
    found, rectified, major_found, major_rectified, overdue = raw("360431101", start, end)
    assert (town["found"], town["rectified"], town["major_found"], town["major_rectified"], town["overdue_open"]) == (
        found,
        rectified,
        major_found,
        major_rectified,
        overdue,
    )
    department = ledger.departments["yingji"]
    by_department = client.get(f"/api/v1/stats/hazards?start={start}&end={end}&department={department.pk}").json()
    remit = Hazard.objects.filter(enterprise_q(Scope.of_department(department), "enterprise"))
    assert by_department["found"] == hazard_figures(remit, start, end).found
    chem = ledger.enterprises["chem"].pk
    one = client.get(f"/api/v1/stats/hazards?start={start}&end={end}&enterprise={chem}&industry=01").json()
    assert one["found"] == hazard_figures(Hazard.objects.filter(enterprise_id=chem), start, end).found


def test_api_refuses_bad_and_foreign_parameters(ledger: World, client_for: Any) -> None:
    client = client_for("zhujian")
    assert client.get("/api/v1/stats/hazards?start=2026-02-01&end=2026-01-01").status_code == 422
    assert client.get("/api/v1/stats/hazards?start=2026-01-01").status_code in (400, 422)
    assert client.get("/api/v1/stats/hazards?start=2026-01-01&end=2026-02-01&region=360432000000").status_code == 404
    department = ledger.departments["neighbour"].pk
    url = f"/api/v1/stats/hazards?start=2026-01-01&end=2026-02-01&department={department}"
    assert client.get(url).status_code == 404
