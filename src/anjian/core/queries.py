"""Read-side helpers of the core app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from anjian.core.models import AuditEvent, Job
from anjian.orgs.predicates import is_auditor


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """The audit log as ``user`` may read it: all of it for auditors and the system administrator, else none."""
    if is_auditor(user):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def jobs_for(user: Any) -> QuerySet[Job]:
    """A user's own background jobs."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(owner=user)


def history_of(targets: list[tuple[str, list[str]]], limit: int = 100) -> QuerySet[AuditEvent]:
    """Audit events of some objects, newest first: ``targets`` is [(app_label.model, [ids])]."""
    from django.db.models import Q

    condition = Q(pk__in=[])
    for target_type, ids in targets:
        if ids:
            condition |= Q(target_type=target_type, target_id__in=[str(i) for i in ids])
    return AuditEvent.objects.filter(condition).order_by("-id")[:limit]


def plain_rows(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` query as the driver gives them, on PostgreSQL: without Django's converter per
    value and its row building (~1 µs a value: a province's figures read some 7 k rows). For columns the driver gives
    as Django would (integers, text, dates, decimals); elsewhere (SQLite) the queryset's own rows."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return [tuple(row) for row in queryset]
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
