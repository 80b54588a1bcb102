"""``anjian summary --region CODE --from YYYY-MM-DD --to YYYY-MM-DD --format docx|pdf|md [--output FILE]
[--user USERNAME]``: the work summary of a region and period (Markdown to standard output when no file is named).

Without --user the figures are the system's (everything in the region); with it, what that user may see (a region
outside their scope is refused as missing). Each run is written to the audit log as an export."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from anjian.core.audit import record_event
from anjian.core.events import EventCode
from anjian.core.scoping import access
from anjian.orgs.models import User
from anjian.regions.models import Region
from anjian.stats.summary.access import system_reader
from anjian.stats.summary.compose import build_summary
from anjian.stats.summary.render import render_bytes

FORMATS = ("md", "docx", "pdf")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Write the work summary of a region and period (Markdown to standard output unless --output is given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="the region's 12-digit code")
        parser.add_argument("--from", dest="start", required=True, type=_date, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, type=_date, metavar="YYYY-MM-DD")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="md")
        parser.add_argument("--output", default="", metavar="FILE", help="default: Markdown to standard output")
        parser.add_argument(
            "--user", default="", metavar="USERNAME", help="compute as this user (default: everything in the region)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start, end, fmt, output = options["start"], options["end"], options["fmt"], options["output"]
        if end < start:
            raise CommandError("--to comes before --from")
        if fmt != "md" and not output:
            raise CommandError(f"a {fmt} summary needs --output FILE")
        username = options["user"]
        if username:
            user: Any = User.objects.filter(username=username, is_active=True).first()  # scoped: who runs it
            if user is None:
                raise CommandError(f"no active user {username!r}")
        else:
            user = system_reader()
        try:
            region = access(Region, user, options["region"])
        except Http404:
            raise CommandError(f"no region {options['region']} in the scope of {username or 'the system'}") from None
        summary = build_summary(user, region, start, end)
        data = render_bytes(summary, fmt)
        if output:
            Path(output).write_bytes(data)
        else:
            self.stdout.write(data.decode(), ending="")
        record_event(
            EventCode.EXPORT,
            actor=user if username else None,
            username="" if username else "system",
            target=region,
            new={"document": "work_summary", "format": fmt, "start": start, "end": end, "output": output or "-"},
            note="command line",
        )
        if output:
            self.stderr.write(f"{summary.title}: {output} ({len(data):,} bytes)")
