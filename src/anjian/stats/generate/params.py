"""What to generate: the two presets of QUALITY.md (S and P) and the ratios that scale any other size."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Any

from anjian.stats.generate.loader import GenerateError
from anjian.stats.generate.words import PROVINCE_NAME

# Ratios of dataset P, used for --enterprises N --years Y without a preset.
HAZARDS_PER_ENTERPRISE_YEAR = 20  # 100 per enterprise over 5 years
INSPECTIONS_PER_ENTERPRISE_YEAR = 2  # 10 per enterprise over 5 years
PENALTIES_PER_ENTERPRISE_YEAR = 0.2  # 1 per enterprise over 5 years
USERS_PER_ENTERPRISE = 0.2
ENTERPRISES_PER_TOWN = 50
TOWNS_PER_COUNTY = 20
COUNTIES_PER_CITY = 10
GRIDS_PER_TOWN = 3
MAX_COUNTIES_PER_CITY = 80  # districts 02–03 and counties 21–98 of the 2-digit county segment


@dataclass(frozen=True)
class Params:
    """One dataset: its size, its seed and the day it ends on (everything is relative to ``today``)."""

    enterprises: int
    years: int
    hazards: int
    inspections: int
    penalties: int
    users: int
    cities: int
    counties: int
    towns: int
    today: dt.date
    seed: int = 1
    province: str = "98"
    province_name: str = PROVINCE_NAME
    grids_per_town: int = GRIDS_PER_TOWN
    password: str = ""
    vacuum: bool = True
    maintenance_work_mem: str = "1GB"
    defer_indexes_from: int = 20_000  # rows: a table receiving fewer keeps its indexes and foreign keys
    rollups: bool = True  # rebuild the statistics rollups (stats.tally) after loading

    def counties_of_city(self, city: int) -> int:
        """Counties spread evenly over the cities (the first ones take the remainder)."""
        return self.counties // self.cities + (1 if city < self.counties % self.cities else 0)

    def towns_of_county(self, county: int) -> int:
        return self.towns // self.counties + (1 if county < self.towns % self.counties else 0)

    @property
    def days(self) -> int:
        """Length of the activity window, which ends the day before ``today``."""
        return round(365.25 * self.years)

    def check(self) -> None:
        if len(self.province) != 2 or not self.province.isdigit() or self.province == "00":
            raise GenerateError("--province is the 2-digit province code, e.g. 98.")
        if self.enterprises < 1 or self.years < 1:
            raise GenerateError("--enterprises and --years must be at least 1.")
        if not 1 <= self.cities <= 99 or self.counties < self.cities or self.towns < self.counties:
            raise GenerateError("Every city needs a county and every county a town (at most 99 cities).")
        if math.ceil(self.counties / self.cities) > MAX_COUNTIES_PER_CITY:
            raise GenerateError(f"At most {MAX_COUNTIES_PER_CITY} counties per city: give more --cities.")
        if math.ceil(self.towns / self.counties) > 99:
            raise GenerateError("At most 99 towns per county: give more counties.")
        if min(self.hazards, self.inspections, self.penalties, self.users) < 0 or self.grids_per_town < 1:
            raise GenerateError("Counts cannot be negative, and every town needs a grid.")


PRESETS: dict[str, dict[str, Any]] = {
    "s": {
        "enterprises": 2000,
        "years": 2,
        "cities": 1,
        "counties": 1,
        "towns": 20,
        "hazards": 200_000,
        "inspections": 20_000,
    },
    "p": {
        "enterprises": 100_000,
        "years": 5,
        "cities": 10,
        "counties": 100,
        "towns": 2000,
        "hazards": 10_000_000,
        "inspections": 1_000_000,
        "penalties": 100_000,
        "users": 20_000,
    },
}


def scaled(enterprises: int, years: int, today: dt.date, **overrides: Any) -> Params:
    """A dataset of ``enterprises`` over ``years`` with P's ratios; any keyword replaces the computed value.

    ``towns_per_county`` and ``counties_per_city`` change the shape of the region tree for the computed sizes."""
    towns_per_county = overrides.pop("towns_per_county", None) or TOWNS_PER_COUNTY
    counties_per_city = overrides.pop("counties_per_city", None) or COUNTIES_PER_CITY
    towns = overrides.get("towns") or max(1, round(enterprises / ENTERPRISES_PER_TOWN))
    counties = overrides.get("counties") or max(1, math.ceil(towns / towns_per_county))
    cities = overrides.get("cities") or max(1, math.ceil(counties / counties_per_city))
    base = Params(
        enterprises=enterprises,
        years=years,
        hazards=HAZARDS_PER_ENTERPRISE_YEAR * enterprises * years,
        inspections=INSPECTIONS_PER_ENTERPRISE_YEAR * enterprises * years,
        penalties=round(PENALTIES_PER_ENTERPRISE_YEAR * enterprises * years),
        users=max(1, round(USERS_PER_ENTERPRISE * enterprises)),
        cities=cities,
        counties=counties,
        towns=towns,
        today=today,
    )
    return replace(base, **{k: v for k, v in overrides.items() if v is not None})


def build(preset: str | None, today: dt.date, **options: Any) -> Params:
    """Parameters from a preset, or from --enterprises/--years; explicit options win over both."""
    enterprises = options.pop("enterprises", None)
    years = options.pop("years", None)
    if preset:
        if enterprises is not None:
            raise GenerateError("Choose a preset or --enterprises, not both.")
        values = dict(PRESETS[preset])
        preset_years = values.pop("years")
        size = values.pop("enterprises")
        fixed = {k: v for k, v in values.items() if options.get(k) is None}
        params = scaled(size, years or preset_years, today, **{**options, **fixed})
    else:
        if enterprises is None:
            raise GenerateError("Give --enterprises N (and --years Y), or --preset s|p.")
        params = scaled(enterprises, years or 2, today, **options)
    params.check()
    return params
