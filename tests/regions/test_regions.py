"""The 12-digit region code is a materialised path: its level, parent and subtree follow from it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from anjian.regions.choices import RegionLevel
from anjian.regions.models import Grid, Region, level_of_code
from tests.world import World


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("360000000000", RegionLevel.PROVINCE),
        ("360400000000", RegionLevel.CITY),
        ("360431000000", RegionLevel.COUNTY),
        ("360431101000", RegionLevel.TOWN),
        ("360431101201", RegionLevel.VILLAGE),
        ("000000000000", None),
        ("36043110120", None),
        ("36043110120a", None),
    ],
)
def test_level_of_code(code: str, level: RegionLevel | None) -> None:
    assert level_of_code(code) == level


def test_prefix_ancestors_and_full_name(world: World) -> None:
    village = world.regions["v2"]
    assert village.prefix == "360431101201"
    assert world.regions["town1"].prefix == "360431101"
    assert [r.name for r in village.ancestors()] == ["江西省", "九江市", "安澜县", "青山镇"]
    assert village.full_name == "江西省九江市安澜县青山镇枫林村"
    assert {r.code for r in Region.objects.subtree(world.regions["town1"])} == {
        "360431101000",
        "360431101001",
        "360431101201",
    }


def test_clean_checks_level_and_parent(world: World) -> None:
    with pytest.raises(ValidationError, match="乡镇（街道）"):
        Region(code="360431103000", name="x", level=RegionLevel.VILLAGE, parent=world.regions["county"]).full_clean()
    with pytest.raises(ValidationError):
        Region(code="360432103000", name="x", level=RegionLevel.TOWN, parent=world.regions["county"]).full_clean()
    Region(code="360431103000", name="桥头镇", level=RegionLevel.TOWN, parent=world.regions["county"]).full_clean()
    with pytest.raises(ValidationError):
        Grid(code="x-1", name="县级网格", region=world.regions["county"]).full_clean()


def test_region_page_counts_the_subtree(world: World, client_for: Any) -> None:
    """A town's grids and enterprises lie in its villages: the county page counts each town's whole subtree."""
    response = client_for("anweiban").get(f"/regions/{world.regions['county'].code}/")
    assert response.status_code == 200
    town = next(c for c in response.context["children"] if c.code == world.regions["town1"].code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM regions_grid WHERE region_id LIKE %s", [town.prefix + "%"])
        grids = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM enterprises_enterprise WHERE region_id LIKE %s", [town.prefix + "%"])
        enterprises = cursor.fetchone()[0]
    assert (town.grid_count, town.enterprise_count) == (grids, enterprises)
    assert grids > 0 and enterprises > 0
