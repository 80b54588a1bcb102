"""Remind departments of reinspections due soon or overdue (the scheduler runs it nightly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anjian.inspections.reminders import remind_reinspections


class Command(BaseCommand):
    help = "Notify departments of reinspections due within the warning window or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="run as if today were this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind_reinspections(options["date"])
        self.stdout.write(", ".join(f"{rung}: {count}" for rung, count in sent.items()))
