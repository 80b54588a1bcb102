"""The audit log as an Excel export (auditors only)."""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.exports import ExportSpec, register
from anjian.core.filtersets import AuditEventFilterSet
from anjian.core.queries import audit_events_for
from anjian.utilities.xlsx import Column


def _columns() -> list[Column]:
    return [
        Column(str(_("Number")), lambda e: e.id, 10),
        Column(str(_("Time")), lambda e: _local(e.at), 20),
        Column(str(_("Event")), lambda e: e.event_label, 18),
        Column(str(_("Result")), lambda e: e.get_result_display(), 8),
        Column(str(_("Username")), lambda e: e.actor_username, 14),
        Column(str(_("IP address")), lambda e: e.ip or "", 16),
        Column(str(_("Object type")), lambda e: e.target_type, 20),
        Column(str(_("Object")), lambda e: e.target_repr, 30),
        Column(str(_("Old values")), lambda e: _json(e.old), 40),
        Column(str(_("New values")), lambda e: _json(e.new), 40),
        Column(str(_("Note")), lambda e: e.note, 30),
        Column(str(_("Hash")), lambda e: e.hash, 20),
    ]


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


register(
    ExportSpec(
        name="audit",
        title=_("Audit log"),
        filterset_class=AuditEventFilterSet,
        columns=_columns,
        queryset=audit_events_for,
        permission="core.view_auditevent",
    )
)
