"""``anjian generate``: fill the database with a synthetic province for benchmarks (see ``anjian.stats.generate``).

    anjian generate --preset s                      # dataset S: 1 county, 2,000 enterprises, 200 k hazards
    anjian generate --preset p                      # dataset P: 100 k enterprises, 10 M hazards over 5 years
    anjian generate --enterprises 5000 --years 3    # P's ratios at another size

Accidents are not generated: there is no accident model yet.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from anjian.stats.generate import PRESETS, GenerateError, build, generate


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic province (regions, departments, enterprises, users, inspections, "
        "hazards, penalty cases) and bulk-load it. Same parameters, --seed and --today: identical rows. "
        "Activity runs over --years up to the day before --today. Accidents are not generated (no model yet)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", choices=sorted(PRESETS), help="s: 2,000 enterprises; p: 100,000")
        parser.add_argument("--enterprises", type=int, help="scale P's ratios to this many enterprises")
        parser.add_argument("--years", type=int, help="years of activity (default: the preset's, else 2)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--today", type=_date, help="the anchor day YYYY-MM-DD: activity ends the day before (default: today)"
        )
        parser.add_argument("--province", default="98", help="2-digit code of the invented province (default 98)")
        parser.add_argument("--province-name", default=None, help="its name (default 示范省)")
        parser.add_argument("--cities", type=int)
        parser.add_argument("--counties", type=int, help="counties in all")
        parser.add_argument("--towns", type=int, help="towns in all")
        parser.add_argument("--counties-per-city", type=int, help="default 10")
        parser.add_argument("--towns-per-county", type=int, help="default 20")
        parser.add_argument("--grids-per-town", type=int, help="default 3")
        parser.add_argument("--hazards", type=int, help="default: 20 per enterprise and year")
        parser.add_argument("--inspections", type=int, help="default: 2 per enterprise and year")
        parser.add_argument("--penalties", type=int, help="penalty cases; default: 1 per enterprise per 5 years")
        parser.add_argument("--users", type=int, help="default: 1 per 5 enterprises (at least the officers)")
        parser.add_argument(
            "--password", help="every generated user's password (default: $ANJIAN_GENERATE_PASSWORD, else printed)"
        )
        parser.add_argument("--no-vacuum", action="store_true", help="ANALYZE only, skip VACUUM after loading")
        parser.add_argument("--maintenance-work-mem", default="1GB", help="for index builds (default 1GB)")
        parser.add_argument(
            "--skip-rollups",
            action="store_true",
            help="do not rebuild the statistics rollups (then run `anjian manage rebuild_tallies` yourself)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = ("cities", "counties", "towns", "hazards", "inspections", "penalties", "users", "grids_per_town")
        chosen = {name: options[name] for name in names}
        try:
            params = build(
                options["preset"],
                options["today"] or timezone.localdate(),
                enterprises=options["enterprises"],
                years=options["years"],
                towns_per_county=options["towns_per_county"],
                counties_per_city=options["counties_per_city"],
                seed=options["seed"],
                province=options["province"],
                province_name=options["province_name"],
                password=options["password"] or os.environ.get("ANJIAN_GENERATE_PASSWORD") or None,
                vacuum=not options["no_vacuum"],
                maintenance_work_mem=options["maintenance_work_mem"],
                rollups=not options["skip_rollups"],
                **chosen,
            )
            summary = generate(params, stdout=self.stdout, stderr=sys.stderr)  # progress bars draw in place
        except GenerateError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(summary.render())
