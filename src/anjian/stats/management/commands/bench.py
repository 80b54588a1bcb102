"""``anjian bench``: QUALITY.md's latency rows measured server-side with their raw-SQL floors, and the loopback
load test (docs/performance.md). The logic is in ``anjian.bench``; this command parses and prints."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from anjian.bench import cases, context, load, report
from anjian.bench.app import App
from anjian.bench.rows import run_row
from anjian.demo.county import COUNTY
from anjian.regions.models import Region


def _users(values: list[str]) -> dict[str, str]:
    users = {}
    for value in values:
        kind, sep, username = value.partition("=")
        if not sep or not username:
            raise CommandError(f"--users {value!r}: expected KIND=USERNAME (kinds: {', '.join(context.PERSONAS)})")
        users[kind.strip()] = username.strip()
    return users


class Command(BaseCommand):
    help = (
        "Measure QUALITY.md's latency rows on this database (p50/p95 over --rounds, in-process through Django's "
        "test client, next to each the raw-SQL floor and the ratio), and with --load-seconds the mixed load test "
        "against gunicorn on loopback. It WRITES: the write rows and the load test register hazards and void them "
        "again (voided hazards count in no figure), the export row adds a finished background job, and their audit "
        "events are real. Meant for a bench dataset (anjian generate); a database holding the demo county is "
        "refused unless --allow-writes, or --read-only (no write rows, no writes or exports under load, the "
        "export row without its job row; only short-lived session rows are written)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", metavar="FILE", help="write the figures as JSON (one row per measurement)")
        parser.add_argument("--rounds", type=int, default=30, help="timed rounds per row after one warm-up")
        parser.add_argument(
            "--row-seconds",
            type=float,
            default=120,
            help="stop a row's rounds after this many seconds once 3 are timed (slow documents); 0: no limit",
        )
        parser.add_argument("--only", action="append", default=[], metavar="PREFIX", help="rows whose name starts so")
        parser.add_argument("--no-rows", action="store_true", help="run only the load test")
        parser.add_argument(
            "--users",
            nargs="+",
            default=[],
            metavar="KIND=USERNAME",
            help="who measures: " + "; ".join(f"{k}: {v}" for k, v in context.PERSONAS.items()),
        )
        parser.add_argument("--county", metavar="CODE", help="the county's 12-digit code (default: the user's)")
        parser.add_argument("--province", metavar="CODE", help="the province's code (default: the county's)")
        parser.add_argument("--start", type=dt.date.fromisoformat, help="dashboards' period start (default 1 Jan)")
        parser.add_argument("--end", type=dt.date.fromisoformat, help="dashboards' period end (default: today)")
        parser.add_argument("--summary-year", type=int, help="the work summary's year (default: the last full one)")
        parser.add_argument("--load-seconds", type=float, default=0, help="run the load test this long (0: none)")
        parser.add_argument(
            "--load-warmup",
            type=float,
            default=10,
            help="seconds of the mixed workload before the load test's, not counted (new workers warm up)",
        )
        parser.add_argument("--concurrency", type=int, default=32, help="the load client's connections")
        parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: 2 × CPUs + 1)")
        writes = parser.add_mutually_exclusive_group()
        writes.add_argument("--allow-writes", action="store_true", help="write even where the demo county is")
        writes.add_argument("--read-only", action="store_true", help="skip everything that writes data")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("the bench measures PostgreSQL (the production database): set ANJIAN_DATABASE_URL")
        if options["rounds"] < 1:
            raise CommandError("--rounds must be at least 1")
        read_only = options["read_only"]
        if not (options["allow_writes"] or read_only) and Region.objects.filter(code=COUNTY[0]).exists():
            raise CommandError(
                f"this database holds the demo county ({COUNTY[1]}): the bench writes hazards, jobs and audit "
                "events. Use a bench dataset (anjian generate), or pass --allow-writes or --read-only."
            )
        only = [p.strip() for value in options["only"] for p in value.split(",") if p.strip()]
        bench = context.resolve(
            _users(options["users"]),
            county_code=options["county"],
            province_code=options["province"],
            start=options["start"],
            end=options["end"],
            summary_year=options["summary_year"],
        )
        for kind, user in bench.users.items():
            self.say(f"{kind}: {user.username} ({user.department or user.get_kind_display()})")
        described = bench.describe()
        self.say(f"county {described['county']}, province {described['province']}")
        self.say(f"dashboards {bench.start}…{bench.end}; work summary {bench.summary_start.year}")
        for note in bench.notes:
            self.say(f"note: {note}")
        started = report.machine()
        busy = os.getloadavg()[0]
        if busy > 0.5 * (os.cpu_count() or 1):
            self.say(f"warning: the machine is busy (load average {busy:.1f}): the figures will be noisy")
        workers = options["workers"] or load.default_workers()
        results = []
        load_figures = None
        with load.terminate_on_sigterm():  # a SIGTERM unwinds like Ctrl-C: voids, closes, stops the server
            context.open_sessions(bench)
            writes = cases.Writes(bench.users["county_department"])
            try:
                if not options["no_rows"]:
                    load.ensure_static()
                    app = App(bench)
                    from anjian.wsgi import settle

                    settle()  # the rows run in this process as a server worker runs them (see wsgi.py)
                    rows = cases.build_rows(
                        bench, app, writes, rounds=options["rounds"], read_only=read_only, only=only
                    )
                    self.say(f"measuring {len(rows)} rows, {options['rounds']} rounds each after a warm-up:")
                    budget = options["row_seconds"] or None
                    results = [run_row(row, options["rounds"], self.say, budget) for row in rows]
                if options["load_seconds"] > 0:
                    self.say("load test:")
                    load_figures = load.run_load(
                        bench,
                        seconds=options["load_seconds"],
                        concurrency=options["concurrency"],
                        workers=workers,
                        read_only=read_only,
                        say=self.say,
                        warmup=options["load_warmup"],
                    )
            finally:
                if not read_only:
                    writes.cleanup()
                context.close_sessions(bench)
        if results:
            self.say("")
            self.say(report.table(results))
        if load_figures is not None:
            self.say("")
            self.say(report.load_table(load_figures))
        if options["json"]:
            settings = {
                k: options[k]
                for k in ("rounds", "only", "load_seconds", "load_warmup", "concurrency", "read_only", "allow_writes")
            }
            settings["workers"] = workers
            report.write_json(options["json"], report.document(results, described, load_figures, settings, started))
            self.say(f"\nwritten {options['json']}")
        failed = [r.name for r in results if r.status == "failed"]
        if failed:
            raise CommandError(f"{len(failed)} rows failed: {', '.join(failed)}")
