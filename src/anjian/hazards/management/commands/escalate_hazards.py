"""Run today's rungs of the hazard escalation ladder (the scheduler runs it nightly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anjian.hazards.escalation import RUNGS, escalate


class Command(BaseCommand):
    help = "Notify about hazards near or past their deadline (due soon → enterprise, overdue → grid, town, county)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = escalate(options["date"])
        self.stdout.write(", ".join(f"{rung}: {sent[rung]}" for rung in RUNGS))
