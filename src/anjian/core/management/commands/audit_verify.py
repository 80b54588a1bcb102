"""Check the audit log's hash chain; name the first tampered row. Exit status 1 when the chain is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core.audit import record_event, verify_chain
from anjian.core.choices import AuditResult
from anjian.core.events import EventCode
from anjian.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first tampered row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-record", action="store_true", help="do not write the check itself to the log")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not options["no_record"]:
            record_event(
                EventCode.AUDIT_VERIFIED,
                username="audit_verify",
                result=AuditResult.SUCCESS if report.intact else AuditResult.FAILURE,
                new={"checked": report.checked, "first_bad_id": report.first_bad_id},
                note=report.reason,
            )
        if report.intact:
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} rows checked"))
            return
        row = AuditEvent.objects.filter(pk=report.first_bad_id or 0).first()
        detail = f" ({row.at:%Y-%m-%d %H:%M:%S} {row.event_label} by {row.actor_username or '-'})" if row else ""
        raise CommandError(
            f"audit chain broken at row id={report.first_bad_id}{detail}: {report.reason}; "
            f"{report.checked} rows before it are intact"
        )
