"""The province's regions (cities, counties/districts, towns/streets/townships), grids and departments: the 安委办
at every level, and the demo county's twelve supervising departments (with their industry remits) at province,
city and county level, each level's safety committee with its members."""

from __future__ import annotations

import math
import random
from typing import Any

from anjian.demo.registry import REGULATORS
from anjian.enterprises.models import Industry, Tag
from anjian.orgs.choices import DepartmentKind
from anjian.orgs.models import Department, SafetyCommittee
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Grid, Region
from anjian.stats.generate import words
from anjian.stats.generate.loader import Loader
from anjian.stats.generate.params import Params
from anjian.stats.generate.world import CENTRE, Area, Registry, d6, links, rng_for


def _stems(rng: random.Random, taken: set[str]) -> list[str]:
    """Two-syllable place names in a random order, without those taken."""
    stems = [a + b for a in words.PLACE_FIRST for b in words.PLACE_SECOND if a != b and a + b not in taken]
    rng.shuffle(stems)
    return stems


def build_regions(params: Params, loader: Loader) -> Registry:
    """The region tree, codes in the 2-2-2-3-3 pattern: in each city two districts (区, codes 02–03) then counties
    (县, 21 on); in each county streets (街道, 001 on), towns (镇, 101 on) and townships (乡, 201 on). Names are
    made of two syllables and differ from every city and county already in the database."""
    rng = rng_for(params, "regions")
    taken = set(Region.objects.filter(level__in=[RegionLevel.CITY, RegionLevel.COUNTY]).values_list("name", flat=True))
    stems = _stems(rng, {n[:-1] for n in taken})
    p = params.province
    province = Area(f"{p}0000000000", params.province_name, params.province_name[:2], RegionLevel.PROVINCE, -1, *CENTRE)
    cities: list[Area] = []
    counties: list[Area] = []
    towns: list[Area] = []
    for c in range(params.cities):
        stem = stems.pop()
        angle, radius = rng.uniform(0, 6.283), rng.uniform(0.4, 1.6)
        lon, lat = CENTRE[0] + radius * math.cos(angle), CENTRE[1] + 0.8 * radius * math.sin(angle)
        cities.append(Area(f"{p}{c + 1:02d}00000000", f"{stem}市", stem, RegionLevel.CITY, -1, lon, lat))
    for c, city in enumerate(cities):
        for k in range(params.counties_of_city(c)):
            stem = stems.pop()
            district = k < 2
            code = f"{city.code[:4]}{k + 2 if district else 19 + k:02d}000000"
            name = f"{stem}{'区' if district else '县'}"
            lon, lat = city.lon + rng.uniform(-0.35, 0.35), city.lat + rng.uniform(-0.3, 0.3)
            counties.append(Area(code, name, stem, RegionLevel.COUNTY, c, lon, lat))
    for k, county in enumerate(counties):
        n = params.towns_of_county(k)
        streets, townships = min(2, n // 3), n // 5
        for i, stem in enumerate(rng.sample(stems, n)):
            if i < streets:
                suffix, kind = f"{i + 1:03d}", "街道"
            elif i >= n - townships:
                suffix, kind = f"{201 + i - (n - townships):03d}", "乡"
            else:
                suffix, kind = f"{101 + i - streets:03d}", "镇"
            lon, lat = county.lon + rng.uniform(-0.12, 0.12), county.lat + rng.uniform(-0.1, 0.1)
            towns.append(Area(f"{county.code[:6]}{suffix}000", stem + kind, stem, RegionLevel.TOWN, k, lon, lat))
    rows: list[tuple[Any, ...]] = [(province.code, province.name, 1, None, province.lon, province.lat)]
    parents = {RegionLevel.CITY: [province] * len(cities), RegionLevel.COUNTY: cities, RegionLevel.TOWN: counties}
    for area in [*cities, *counties, *towns]:
        parent = province if area.level == RegionLevel.CITY else parents[area.level][area.parent]
        rows.append((area.code, area.name, int(area.level), parent.code, area.lon, area.lat))
    loader.load(
        Region,
        ["code", "name", "level", "parent_id", "longitude", "latitude"],
        (loader.calendar.row((c, n, lv, pa, d6(lo), d6(la))) for c, n, lv, pa, lo, la in rows),
        total=len(rows),
    )
    registry = Registry(province, cities, counties, towns)
    _grids(params, loader, registry)
    return registry


def _grids(params: Params, loader: Loader, registry: Registry) -> None:
    """``grids_per_town`` grids (网格) in every town, each a part of the town."""
    next_id = loader.start_id(Grid)
    rows = []
    for town in registry.towns:
        for g in range(1, params.grids_per_town + 1):
            town.grids.append(next_id)
            rows.append((next_id, f"{town.code}-G{g}", f"{town.name}第{g}网格", town.code, f"{town.name}第{g}片区"))
            next_id += 1
    loader.load(
        Grid,
        ["id", "code", "name", "region_id", "description"],
        (loader.calendar.row(r) for r in rows),
        total=len(rows),
    )


def build_departments(params: Params, loader: Loader, registry: Registry) -> None:
    """安委办 at every level; the county's regulators (the demo's twelve) at province, city and county level."""
    industries = dict(Industry.objects.values_list("code", "pk"))
    tags = dict(Tag.objects.values_list("code", "pk"))
    next_id = loader.start_id(Department)
    rows: list[tuple[Any, ...]] = []
    remits: list[tuple[int, int]] = []
    tag_remits: list[tuple[int, int]] = []
    committees: list[tuple[Area, list[int]]] = []
    province, cities = registry.province, registry.cities

    def add(name: str, short: str, kind: DepartmentKind, area: Area, order: int, tel: str) -> int:
        nonlocal next_id
        rows.append((next_id, name, short, kind, area.code, tel, order))
        next_id += 1
        return next_id - 1

    def area_code(area: Area) -> str:
        return f"0{(int(area.code[:4]) % 900) + 100:03d}"

    def regulators(area: Area, naming: dict[str, tuple[str, str]] | None, city: Area | None) -> None:
        area.office = add(
            f"{area.name}安全生产委员会办公室",
            {RegionLevel.PROVINCE: "省", RegionLevel.CITY: "市"}.get(area.level, area.name[-1]) + "安委办",
            DepartmentKind.COMMITTEE_OFFICE,
            area,
            0,
            f"{area_code(area)}-{int(area.code[:6]) % 9000 + 1000}110",
        )
        for order, (county_name, short, codes, tag_codes) in enumerate(REGULATORS, start=1):
            if naming is None:  # a county: the demo's own names with the demo's places replaced
                name = county_name.replace("九江市", city.name if city else "").replace("安澜县", area.name)
                name, short_name = name.replace("安澜", area.stem), short
            else:
                suffix, short_name = naming.get(short, (short, short))
                name = area.name + suffix
            dept = add(name, short_name, DepartmentKind.REGULATOR, area, order, f"{area_code(area)}-{order:02d}12345")
            area.regulators[short] = dept
            remits.extend((dept, industries[c]) for c in codes if c in industries)
            tag_remits.extend((dept, tags[t]) for t in tag_codes if t in tags)
        committees.append((area, list(area.regulators.values())))

    regulators(province, words.PROVINCE_REGULATOR_NAMES, None)
    for city in cities:
        regulators(city, words.CITY_REGULATOR_NAMES, None)
    for county in registry.counties:
        regulators(county, None, cities[county.parent])
    for order, town in enumerate(registry.towns):
        town.office = add(
            f"{town.name}安全生产委员会办公室",
            f"{town.name}安委办",
            DepartmentKind.COMMITTEE_OFFICE,
            town,
            100 + order % 900,
            "",
        )
    calendar = loader.calendar
    loader.load(
        Department,
        ["id", "name", "short_name", "kind", "region_id", "phone", "sort_order"],
        (calendar.row(r) for r in rows),
        total=len(rows),
    )
    links(loader, Department.industries.through, ["department_id", "industry_id"], remits)
    links(loader, Department.tags.through, ["department_id", "tag_id"], tag_remits)
    committee_id = loader.start_id(SafetyCommittee)
    members: list[tuple[int, int]] = []
    committee_rows = []
    for area, member_ids in committees:
        committee_rows.append((committee_id, area.code, f"{area.name}安全生产委员会", area.office))
        members.extend((committee_id, m) for m in member_ids)
        committee_id += 1
    loader.load(
        SafetyCommittee,
        ["id", "region_id", "name", "office_id"],
        (calendar.row(r) for r in committee_rows),
        total=len(committee_rows),
    )
    links(loader, SafetyCommittee.members.through, ["safetycommittee_id", "department_id"], members)
