"""The scheduler loop behind ``anjian scheduler``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from anjian.core.scheduler import run_due


class Command(BaseCommand):
    help = "Run periodic jobs when their daily time comes (loop; --once runs what is due and exits)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            close_old_connections()
            for name in run_due():
                self.stdout.write(f"ran {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
