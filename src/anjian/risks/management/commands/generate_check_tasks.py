"""Create the check tasks due up to tomorrow and flag those whose window closed without a check (nightly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from anjian.risks.actions import flag_missed, generate_tasks


class Command(BaseCommand):
    help = "Generate due check tasks from the control measures (catching up any skipped run) and flag missed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=1, help="generate this many days ahead (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        missed = flag_missed(now)
        created = generate_tasks(now, horizon=dt.timedelta(days=options["days"]))
        self.stdout.write(f"created: {created}, missed: {missed}")
