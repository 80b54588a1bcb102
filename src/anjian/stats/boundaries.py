"""Region shapes for the dashboards' map: the approved boundaries a deployer loaded (``RegionBoundary``), or, where
they are missing, schematic hexagon tiles.

anjian ships no real boundary: maps of China's administrative boundaries must come from the surveying authority
(审图), so a deployment loads its approved GeoJSON with ``anjian manage load_boundaries FILE.geojson``. Until every
sub-region of a map has one, the map draws one hexagon per sub-region instead, laid out from the regions' registered
longitude and latitude (the nearest free tile to each region's position), or in code order when some region has no
position. The tiles keep neighbours roughly where they are and are plainly not a map; the page says so.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.core.exceptions import InvalidInput
from anjian.regions.models import CODE_RE, Region
from anjian.stats.models import RegionBoundary

SQRT3 = math.sqrt(3)
TILE_FILL = 0.94  # of the tile's radius: a visible gap between neighbouring tiles
CODE_PROPERTIES = ("code", "region_code", "adcode", "区划代码")
MAX_FEATURES = 10_000
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Shapes:
    """The shapes of a map's regions as a GeoJSON FeatureCollection (each feature's ``code`` property is the region's
    code), whether they are schematic, and the horizontal scale the map needs (cos latitude for real ones)."""

    geojson: dict[str, Any]
    synthetic: bool
    aspect: float


# --- schematic tiles --------------------------------------------------------------------------------------------


def _hex_round(q: float, r: float) -> tuple[int, int]:
    """The axial hexagon containing fractional axial coordinates (q, r) (cube rounding)."""
    x, z = q, r
    y = -x - z
    rx, ry, rz = round(x), round(y), round(z)
    dx, dy, dz = abs(rx - x), abs(ry - y), abs(rz - z)
    if dx > dy and dx > dz:
        rx = -ry - rz
    elif dy <= dz:
        rz = -rx - ry
    return int(rx), int(rz)


def _centre(cell: tuple[int, int]) -> tuple[float, float]:
    """The centre of a pointy-top hexagon of radius 1 at axial (q, r), y upwards."""
    q, r = cell
    return SQRT3 * (q + r / 2), 1.5 * r


def _ring(cell: tuple[int, int], radius: int) -> list[tuple[int, int]]:
    if radius == 0:
        return [cell]
    directions = [(1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1)]
    q, r = cell[0] + directions[4][0] * radius, cell[1] + directions[4][1] * radius
    found = []
    for dq, dr in directions:
        for _step in range(radius):
            found.append((q, r))
            q, r = q + dq, r + dr
    return found


def _nearest_free(point: tuple[float, float], taken: set[tuple[int, int]]) -> tuple[int, int]:
    """The free tile whose centre is nearest to ``point`` (in tile units): the rings around the tile holding the
    point, up to one ring beyond the first with a free tile (a centre there may still be nearer)."""
    x, y = point
    start = _hex_round(SQRT3 / 3 * x - y / 3, 2 / 3 * y)
    best: tuple[float, tuple[int, int]] | None = None
    first_free: int | None = None
    radius = 0
    while first_free is None or radius <= first_free + 1:
        for cell in _ring(start, radius):
            if cell in taken:
                continue
            cx, cy = _centre(cell)
            distance = (cx - x) ** 2 + (cy - y) ** 2
            if best is None or distance < best[0]:
                best = (distance, cell)
        if best is not None and first_free is None:
            first_free = radius
        radius += 1
    return best[1] if best is not None else start


def tile_layout(regions: Sequence[Region]) -> dict[str, tuple[int, int]]:
    """An axial hexagon cell per region (by code): near its position scaled so the tiles cover the regions' spread,
    or rows in code order when some region has no position (or all share one)."""
    placed = [r for r in regions if r.longitude is not None and r.latitude is not None]
    if len(placed) == len(regions) and len(regions) > 1:
        mean_lat = sum(float(r.latitude or 0) for r in regions) / len(regions)
        points = {
            r.code: (float(r.longitude or 0) * math.cos(math.radians(mean_lat)), float(r.latitude or 0))
            for r in regions
        }
        xs = [p[0] for p in points.values()]
        ys = [p[1] for p in points.values()]
        width, height = max(xs) - min(xs), max(ys) - min(ys)
        spread = max(width * height, max(width, height) ** 2 / len(regions))
        if spread > 0:
            # A tile (area 3√3/2 at radius 1) a little larger than each region's share of the area they spread
            # over: the tiles close up into one block, like a map, while keeping their relative positions.
            unit = math.sqrt(spread / len(regions) / (3 * SQRT3 / 2)) * 1.25
            cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
            scaled = {code: ((x - cx) / unit, (y - cy) / unit) for code, (x, y) in points.items()}
            # The central regions choose first, so the outer ones move outwards rather than inwards.
            order = sorted(scaled, key=lambda code: (scaled[code][0] ** 2 + scaled[code][1] ** 2, code))
            taken: set[tuple[int, int]] = set()
            cells = {}
            for code in order:
                cell = _nearest_free(scaled[code], taken)
                taken.add(cell)
                cells[code] = cell
            return cells
    columns = max(1, math.ceil(math.sqrt(len(regions) * 1.5)))
    cells = {}
    for i, region in enumerate(sorted(regions, key=lambda r: r.code)):
        row, column = divmod(i, columns)
        cells[region.code] = (column - row // 2, -row)  # offset rows: each row shifted half a tile
    return cells


def _hexagon(cell: tuple[int, int]) -> list[list[float]]:
    cx, cy = _centre(cell)
    ring = []
    for k in range(7):
        angle = math.radians(60 * (k % 6) + 30)
        ring.append([round(cx + TILE_FILL * math.cos(angle), 4), round(cy + TILE_FILL * math.sin(angle), 4)])
    return ring


def synthetic_shapes(regions: Sequence[Region]) -> dict[str, Any]:
    """A FeatureCollection of one hexagon per region (schematic: not boundaries, not longitude/latitude)."""
    cells = tile_layout(regions)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": region.code, "name": region.name},
                "geometry": {"type": "Polygon", "coordinates": [_hexagon(cells[region.code])]},
            }
            for region in regions
        ],
    }


def shapes_for(regions: Sequence[Region]) -> Shapes:
    """The approved boundaries when every region has one, else schematic tiles for all (one query)."""
    boundaries = dict(
        RegionBoundary.objects.filter(region_id__in=[r.code for r in regions]).values_list("region_id", "geojson")
    )
    if regions and len(boundaries) == len(regions):
        features = [
            {"type": "Feature", "properties": {"code": r.code, "name": r.name}, "geometry": boundaries[r.code]}
            for r in regions
        ]
        latitudes = [float(r.latitude) for r in regions if r.latitude is not None]
        aspect = math.cos(math.radians(sum(latitudes) / len(latitudes))) if latitudes else 0.85
        return Shapes({"type": "FeatureCollection", "features": features}, synthetic=False, aspect=round(aspect, 4))
    return Shapes(synthetic_shapes(regions), synthetic=True, aspect=1.0)


# --- loading approved boundaries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    codes: list[str]


def _check_position(value: Any, where: str) -> None:
    if not (
        isinstance(value, list)
        and len(value) >= 2
        and all(isinstance(n, int | float) and not isinstance(n, bool) for n in value[:2])
    ):
        raise InvalidInput(_("%(where)s: a position is [longitude, latitude].") % {"where": where})
    longitude, latitude = value[0], value[1]
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise InvalidInput(
            _("%(where)s: [%(lon)s, %(lat)s] is not a longitude and latitude (WGS 84 degrees).")
            % {"where": where, "lon": longitude, "lat": latitude}
        )


def _check_polygon(rings: Any, where: str) -> None:
    if not isinstance(rings, list) or not rings:
        raise InvalidInput(_("%(where)s: a polygon is a list of linear rings.") % {"where": where})
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise InvalidInput(_("%(where)s: a linear ring has at least four positions.") % {"where": where})
        for position in ring:
            _check_position(position, where)
        if ring[0][:2] != ring[-1][:2]:
            raise InvalidInput(_("%(where)s: a linear ring ends where it starts.") % {"where": where})


def check_geometry(geometry: Any, where: str) -> dict[str, Any]:
    """The geometry if it is a GeoJSON Polygon or MultiPolygon in longitude/latitude; else InvalidInput."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise InvalidInput(_("%(where)s: the geometry must be a Polygon or a MultiPolygon.") % {"where": where})
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        _check_polygon(coordinates, where)
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise InvalidInput(_("%(where)s: a MultiPolygon is a list of polygons.") % {"where": where})
        for polygon in coordinates:
            _check_polygon(polygon, where)
    return {"type": geometry["type"], "coordinates": coordinates}


def _code_of(properties: Any, where: str) -> str:
    if isinstance(properties, dict):
        for key in CODE_PROPERTIES:
            value = properties.get(key)
            if value is not None and str(value).strip():
                code = str(value).strip()
                # Short administrative codes (e.g. a 6-digit county adcode) are padded to the 12-digit statistical one.
                return code.ljust(12, "0") if code.isdigit() and len(code) in (2, 4, 6, 9) else code
    raise InvalidInput(
        _("%(where)s: no region code (a property named %(names)s).")
        % {"where": where, "names": ", ".join(CODE_PROPERTIES)}
    )


def parse_boundaries(data: Any) -> dict[str, dict[str, Any]]:
    """{region code: geometry} from a GeoJSON FeatureCollection; InvalidInput naming the first problem."""
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise InvalidInput(_("The file must hold a GeoJSON FeatureCollection."))
    features = data["features"]
    if not features:
        raise InvalidInput(_("The FeatureCollection has no features."))
    if len(features) > MAX_FEATURES:
        raise InvalidInput(_("At most %(n)d features per file.") % {"n": MAX_FEATURES})
    geometries: dict[str, dict[str, Any]] = {}
    for number, feature in enumerate(features, start=1):
        where = _("Feature %(n)d") % {"n": number}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InvalidInput(_("%(where)s is not a GeoJSON Feature.") % {"where": where})
        code = _code_of(feature.get("properties"), where)
        where = f"{where} ({code})"
        if not CODE_RE.match(code):
            raise InvalidInput(_("%(where)s: a region code has 12 digits.") % {"where": where})
        if code in geometries:
            raise InvalidInput(_("%(where)s: the region appears twice in the file.") % {"where": where})
        geometries[code] = check_geometry(feature.get("geometry"), where)
    return geometries


def read_file(path: Path) -> Any:
    if not path.is_file():
        raise InvalidInput(_("No such file: %(path)s") % {"path": path})
    if path.stat().st_size > MAX_BYTES:
        raise InvalidInput(_("The file is larger than %(n)d MB.") % {"n": MAX_BYTES // (1024 * 1024)})
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(_("The file is not JSON (UTF-8): %(error)s") % {"error": error}) from None


def check_codes(geometries: dict[str, dict[str, Any]]) -> None:
    """InvalidInput unless every code names a region in the register."""
    known = set(Region.objects.filter(code__in=list(geometries)).values_list("code", flat=True))
    unknown = sorted(set(geometries) - known)
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise InvalidInput(
            _("%(n)d region codes name no region in the register: %(codes)s") % {"n": len(unknown), "codes": shown}
        )


def do_load_boundaries(
    geometries: dict[str, dict[str, Any]], *, source: str, actor: Any = None, now: dt.datetime | None = None
) -> LoadResult:
    """Store the approved boundaries (replacing a region's earlier one), all or none, and audit the import. Every
    code must name a region in the register."""
    check_codes(geometries)
    now = now or timezone.now()
    with transaction.atomic():
        existing = set(
            RegionBoundary.objects.select_for_update()
            .filter(region_id__in=list(geometries))
            .values_list("region_id", flat=True)
        )
        for code, geometry in geometries.items():
            RegionBoundary.objects.update_or_create(
                region_id=code, defaults={"geojson": geometry, "source": source[:200], "loaded_at": now}
            )
        record_event(
            EventCode.IMPORT,
            actor=actor,
            target_type="stats.regionboundary",
            target_repr=source[:200],
            new={"boundaries": len(geometries), "replaced": len(existing), "source": source[:200]},
            note=_("Region boundaries loaded"),
        )
    return LoadResult(created=len(geometries) - len(existing), updated=len(existing), codes=sorted(geometries))
