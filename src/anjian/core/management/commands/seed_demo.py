"""Load the demo county into this database (the steps not yet loaded)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anjian.demo import DEFAULT_SEED, seed_demo, set_persona_passwords


class Command(BaseCommand):
    help = "Load the demo county (regions, departments, enterprises, users); keeps what is already loaded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True, help="password of the demo personas")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = seed_demo(password=options["password"], seed=options["seed"])
        changed = set_persona_passwords(options["password"])
        if loaded:
            self.stdout.write(f"loaded demo steps: {', '.join(loaded)}")
        else:
            self.stdout.write("demo data already loaded; kept as it is")
        if changed and not loaded:
            self.stdout.write(f"updated the password of {changed} demo personas")
