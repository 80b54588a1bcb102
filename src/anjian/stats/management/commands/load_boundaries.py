"""``anjian manage load_boundaries FILE.geojson [--source TEXT] [--dry-run]``: load approved region boundaries for
the dashboards' map from a GeoJSON FeatureCollection (WGS 84 longitude/latitude; each feature a Polygon or
MultiPolygon with the region's code in a ``code``, ``region_code``, ``adcode`` or ``区划代码`` property).

All or nothing: the whole file is checked first (shape, coordinates, codes naming regions in the register), and a
bad file changes nothing and names its first problem. A region's earlier boundary is replaced. The load is audited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from anjian.core.exceptions import InvalidInput
from anjian.stats import boundaries


class Command(BaseCommand):
    help = "Load approved region boundaries (GeoJSON) for the dashboards' map."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a GeoJSON FeatureCollection")
        parser.add_argument("--source", default="", help="where the boundaries come from (default: the file name)")
        parser.add_argument("--dry-run", action="store_true", help="check the file only; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        source = options["source"] or path.name
        try:
            geometries = boundaries.parse_boundaries(boundaries.read_file(path))
            if options["dry_run"]:
                boundaries.check_codes(geometries)
                message = _("%(path)s: %(n)d boundaries, all valid (a dry run: nothing was loaded).")
                self.stdout.write(message % {"path": path, "n": len(geometries)})
                return
            result = boundaries.do_load_boundaries(geometries, source=source)
        except InvalidInput as error:
            message = _("%(path)s: %(error)s Nothing was loaded.")
            raise CommandError(message % {"path": path, "error": error.message}) from None
        message = _("%(path)s: %(created)d boundaries loaded, %(updated)d replaced.")
        self.stdout.write(message % {"path": path, "created": result.created, "updated": result.updated})
