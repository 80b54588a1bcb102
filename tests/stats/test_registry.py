"""Registry figures equal raw SQL over the same records, for every persona's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from anjian.enterprises import actions
from anjian.enterprises.models import Enterprise
from anjian.stats import registry
from tests.world import World


def _sql(query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall())


@pytest.fixture
def varied(world: World) -> World:
    today = timezone.localdate()
    admin = world.users["admin"]
    actions.do_suspend_enterprise(world.enterprises["build"], reason="x", actor=admin)
    actions.do_close_enterprise(world.enterprises["hotel"], reason="x", actor=admin)
    actions.do_update_licence(
        world.licences["chem"], changes={"valid_until": today + dt.timedelta(days=30)}, actor=admin
    )
    actions.do_update_licence(
        world.licences["factory"], changes={"valid_until": today - dt.timedelta(days=3)}, actor=admin
    )
    # A closed enterprise's expiring licence does not count; nor does a withheld one.
    actions.do_update_licence(
        world.licences["hotel"], changes={"valid_until": today + dt.timedelta(days=10)}, actor=admin
    )
    actions.do_update_licence(
        world.licences["build"], changes={"valid_until": today + dt.timedelta(days=5)}, actor=admin
    )
    actions.do_withhold_licence(world.licences["build"], reason="暂扣", actor=admin)
    return world


@pytest.mark.parametrize("persona", ["admin", "anweiban", "yingji", "zhen1", "xiaofang", "qiye1"])
def test_summary_matches_sql(varied: World, persona: str) -> None:
    user = varied.users[persona]
    scoped = Enterprise.objects.visible_to(user)
    ids = list(scoped.values_list("pk", flat=True)) or [-1]
    today = timezone.localdate()
    summary = registry.registry_summary(scoped, today)
    placeholders = ",".join(["%s"] * len(ids))
    [(total, operating, suspended, closed)] = _sql(
        f"""SELECT count(*), count(*) FILTER (WHERE status = 'operating'), count(*) FILTER (WHERE status = 'suspended'),
                   count(*) FILTER (WHERE status = 'closed')
            FROM enterprises_enterprise WHERE id IN ({placeholders})""",  # noqa: S608
        ids,
    )
    [(expiring,)] = _sql(
        f"""SELECT count(DISTINCT e.id)
            FROM enterprises_enterprise e JOIN enterprises_licence l ON l.enterprise_id = e.id
            WHERE e.id IN ({placeholders}) AND e.status <> 'closed' AND l.status = 'valid'
              AND l.valid_until BETWEEN %s AND %s""",  # noqa: S608
        [*ids, today, today + dt.timedelta(days=90)],
    )
    [(expired,)] = _sql(
        f"""SELECT count(DISTINCT e.id)
            FROM enterprises_enterprise e JOIN enterprises_licence l ON l.enterprise_id = e.id
            WHERE e.id IN ({placeholders}) AND e.status <> 'closed' AND l.status = 'valid' AND l.valid_until < %s""",  # noqa: S608
        [*ids, today],
    )
    assert (summary.total, summary.operating, summary.suspended, summary.closed) == (
        total,
        operating,
        suspended,
        closed,
    )
    assert (summary.licences_expiring, summary.licences_expired) == (expiring, expired)


def test_known_figures_for_the_county(varied: World) -> None:
    summary = registry.registry_summary(Enterprise.objects.visible_to(varied.users["anweiban"]))
    assert (summary.total, summary.operating, summary.suspended, summary.closed) == (4, 2, 1, 1)
    assert (summary.licences_expiring, summary.licences_expired) == (1, 1)


def test_breakdowns_match_sql(varied: World) -> None:
    scoped = Enterprise.objects.visible_to(varied.users["anweiban"])
    assert registry.breakdown_length(scoped) == 9  # the county's enterprises are compared by town
    by_town = {b.key: b.count for b in registry.by_subregion(scoped, 9)}
    rows = _sql(
        """SELECT rpad(substr(region_id, 1, 9), 12, '0'), count(*) FROM enterprises_enterprise
           WHERE region_id LIKE '360431%%' GROUP BY 1""",
        [],
    )
    assert by_town == dict(rows)
    by_category = {b.key: b.count for b in registry.by_industry_category(scoped)}
    rows = _sql(
        """SELECT c.code, count(*) FROM enterprises_enterprise e JOIN enterprises_industry i ON i.id = e.industry_id
           JOIN enterprises_industry c ON c.id = i.parent_id WHERE e.region_id LIKE '360431%%' GROUP BY c.code""",
        [],
    )
    assert by_category == dict(rows)
    children = registry.by_child_region(scoped, varied.regions["county"])
    assert children == {"360431101000": 2, "360431102000": 2}


def test_breakdown_follows_the_readers_level(varied: World) -> None:
    """A town officer compares villages; the stacked bar's cells equal the raw counts per village and status."""
    town = Enterprise.objects.visible_to(varied.users["zhen1"])
    assert registry.breakdown_length(town) == 12
    regions, series = registry.by_subregion_and_status(town, 12)
    cells = {(r.key, status): values[i] for status, values in series.items() for i, r in enumerate(regions)}
    rows = _sql(
        "SELECT region_id, status, count(*) FROM enterprises_enterprise WHERE region_id LIKE %s GROUP BY 1, 2",
        [varied.regions["town1"].prefix + "%"],
    )
    assert {key: n for key, n in cells.items() if n} == {(code, status): n for code, status, n in rows}
    everyone = Enterprise.objects.visible_to(varied.users["admin"])  # two counties: compared by county
    assert registry.breakdown_length(everyone) == 6
    assert registry.breakdown_length(Enterprise.objects.none()) == 2


def test_home_chart_compares_sub_regions(varied: World, client_for: Any) -> None:
    response = client_for("zhen1").get("/")
    chart = response.context["town_chart"]
    assert response.context["town_chart_title"] == "各村（社区）企业及状态"
    shown = sum(sum(s["values"]) for s in chart["series"])
    assert shown == Enterprise.objects.visible_to(varied.users["zhen1"]).count()
