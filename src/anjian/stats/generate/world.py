"""The shapes the generators share: places (``Area``), the registry the activity passes read (``Registry``), one
random generator per table, and small helpers for names, phones and proportional splits."""

from __future__ import annotations

import functools
import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from anjian.demo import names
from anjian.regions.choices import RegionLevel
from anjian.stats.generate.loader import Loader
from anjian.stats.generate.params import Params

CENTRE = (114.2, 27.6)  # an inland point for the invented province; every coordinate stays inside China


def rng_for(params: Params, table: str) -> random.Random:
    """One generator per table (or partition), so adding rows to one table never shifts another's."""
    return random.Random(f"{params.seed}/{params.province}/{table}")  # noqa: S311 - synthetic data, not secrets


def weighted(rng: random.Random, options: tuple[tuple[Any, float], ...]) -> Any:
    """One of the options, by weight (the running sums are computed once per option list)."""
    values, cumulative = _cumulative(options)
    return values[bisect(cumulative, rng.random() * cumulative[-1])]


@functools.cache
def _cumulative(options: tuple[tuple[Any, float], ...]) -> tuple[list[Any], list[float]]:
    return [o for o, _w in options], list(accumulate(w for _o, w in options))


def person(rng: random.Random) -> str:
    """A Chinese personal name from the demo's pools."""
    return rng.choice(names.SURNAMES) + rng.choice(names.GIVEN)


def phone(rng: random.Random) -> str:
    """A mobile number of a common prefix (synthetic: none is meant to be anyone's)."""
    return rng.choice(("138", "139", "135", "136", "150", "151", "158", "177", "180", "189")) + (
        f"{rng.randrange(100_000_000):08d}"
    )


@dataclass
class Area:
    """A city, county or town of the province, with its committee office and (above towns) its regulators."""

    code: str
    name: str
    stem: str
    level: RegionLevel
    parent: int  # index in the level above (-1 for cities)
    lon: float
    lat: float
    office: int = 0  # department id of the 安委办
    regulators: dict[str, int] = field(default_factory=dict)  # short name → department id
    grids: list[int] = field(default_factory=list)


@dataclass
class Registry:
    """What the activity generators need of the registry, in plain lists indexed by enterprise ordinal."""

    province: Area
    cities: list[Area]
    counties: list[Area]
    towns: list[Area]
    enterprise_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    town: list[int] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    industry: list[str] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    grid: list[int] = field(default_factory=list)
    officer: list[str] = field(default_factory=list)  # the safety officer's name
    responsible: list[str] = field(default_factory=list)  # "name\tphone" of the person answering for rectification
    principal: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)  # "address\tlatitude\tlongitude"
    remit: list[tuple[str, ...]] = field(default_factory=list)  # short names of the regulators that supervise it
    licences: dict[int, dict[str, int]] = field(default_factory=dict)  # ordinal → licence kind → licence id
    account: dict[int, int] = field(default_factory=dict)  # ordinal → the enterprise's user id
    staff: dict[int, list[int]] = field(default_factory=dict)  # department id → user ids (inspectors first)
    grid_worker: dict[int, int] = field(default_factory=dict)  # grid id → user id
    user_names: dict[int, str] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)  # well-known username → who


def d6(value: float) -> str:
    """A coordinate as the DecimalField(9, 6) columns hold it."""
    return f"{value:.6f}"


def links(loader: Loader, through: Any, columns: list[str], pairs: list[tuple[int, int]]) -> None:
    """Rows of a many-to-many table, with ids of their own."""
    first = loader.start_id(through)
    loader.load(
        through,
        ["id", *columns],
        (f"{first + i}\t{a}\t{b}" for i, (a, b) in enumerate(pairs)),
        total=len(pairs),
    )


def allocate(total: int, cumulative: list[float]) -> list[int]:
    """``total`` split in proportion to the weights whose running sums are ``cumulative`` (exact sum)."""
    whole = cumulative[-1]
    shares, before = [], 0
    for c in cumulative:
        upto = round(total * c / whole)
        shares.append(upto - before)
        before = upto
    return shares
