"""``anjian manage rebuild_tallies [--check | --compact]``: recompute the statistics rollups from the hazard ledger
and the inspections, compare them with those (exit status 1 and the first differences when they disagree), or fold
the open hazards' rows of deadlines now past and recount each enterprise's overdue hazards as of today (the
scheduler's nightly ``compact_tallies``)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.stats import tally


class Command(BaseCommand):
    help = "Rebuild the statistics rollups from the hazards and inspections (or --check them against those)."

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--check", action="store_true", help="compare only; fail when they differ")
        what.add_argument(
            "--compact",
            action="store_true",
            help="bring the rollups to today: fold past deadlines, recount overdue hazards (nightly)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["compact"]:
            folded, enterprises = tally.compact()
            self.stdout.write(
                f"{folded} rows of past deadlines folded, {enterprises} enterprises with overdue hazards recounted "
                f"({time.monotonic() - started:.1f} s)"
            )
            return
        if options["check"]:
            found = tally.differences()
            if found:
                for line in found:
                    self.stderr.write(line)
                raise CommandError(f"the rollups differ from the ledger ({len(found)} rows shown)")
            self.stdout.write(f"the rollups agree with the ledger ({time.monotonic() - started:.1f} s)")
            return
        counts = tally.rebuild(progress=lambda message: self.stderr.write(message))
        self.stderr.write("vacuuming the rollups (their reads are index-only from the first request)")
        tally.vacuum()
        rows = ", ".join(f"{name}: {n} rows" for name, n in counts.items())
        self.stdout.write(f"rebuilt in {time.monotonic() - started:.1f} s — {rows}")
