"""Writing and verifying the hash-chained audit log.

Actions call ``record_event`` inside their transaction, so an audit row exists exactly when the change does.
Appends are serialised (a PostgreSQL advisory lock; SQLite's IMMEDIATE transactions already serialise writers),
so each row's ``prev_hash`` is the hash of the row before it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from anjian.core.choices import AuditResult
from anjian.core.events import EventCode
from anjian.core.middleware import current_context
from anjian.core.models import GENESIS_HASH, AuditEvent

# Any constant works; it names the one lock that serialises audit appends on PostgreSQL.
_CHAIN_LOCK_KEY = 0x616E6A69616E  # "anjian"


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audit-relevant values of a model instance (concrete fields, plus named many-to-many fields)."""
    opts = obj._meta
    names = list(fields) if fields is not None else [f.name for f in opts.concrete_fields if not f.primary_key]
    values: dict[str, Any] = {}
    for name in names:
        field = opts.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            values[name] = getattr(obj, field.attname)  # type: ignore[union-attr]
        else:
            values[name] = getattr(obj, name)
    return _jsonable(values)


def diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values changed, as (old, new)."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def record_event(
    event: EventCode,
    *,
    actor: Any = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    note: str = "",
    result: AuditResult = AuditResult.SUCCESS,
    username: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the audit log (in the caller's transaction, if any)."""
    context = current_context()
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_repr = str(target)[:200]
    real_actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        _lock_chain()
        prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        row = AuditEvent(
            at=timezone.now(),
            event=int(event),
            result=result,
            actor=real_actor,
            actor_username=(real_actor.get_username() if real_actor else username)[:150],
            ip=ip if ip is not None else context.ip,
            request_id=context.request_id,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr[:200],
            old=_jsonable(old) if old is not None else None,
            new=_jsonable(new) if new is not None else None,
            note=note,
            prev_hash=prev,
        )
        row.hash = row.compute_hash()
        row.save(force_insert=True)
    return row


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the chain: how many rows were checked and the first bad row, if any."""

    checked: int
    first_bad_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.first_bad_id is None


def _rows(batch: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        chunk = list(AuditEvent.objects.filter(id__gt=last).order_by("id")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].id


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk the log in id order; report the first row whose content or link no longer matches."""
    expected_prev = GENESIS_HASH
    checked = 0
    for row in _rows(batch):
        if row.prev_hash != expected_prev:
            return ChainReport(
                checked,
                row.id,
                "link broken: the row before it was changed or deleted, or this link was edited",
            )
        if row.compute_hash() != row.hash:
            return ChainReport(checked, row.id, "content changed: the stored hash no longer matches the row")
        expected_prev = row.hash
        checked += 1
    return ChainReport(checked)


@dataclass(frozen=True)
class Change:
    """One changed value of an audit event, as a reader would say it: field label, old value, new value."""

    label: str
    old: str
    new: str


def _fields_of(event: AuditEvent) -> dict[str, Any]:
    from django.apps import apps

    try:
        model = apps.get_model(event.target_type) if event.target_type else None
    except (LookupError, ValueError):
        return {}
    if model is None:
        return {}
    return {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


def attach_changes(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Give each event a ``change_list`` of labelled, readable changes (field and choice labels, related objects
    by name), resolving related objects with one query per related model for the whole batch."""
    from django.utils.translation import gettext

    events = list(events)
    fields = {event.pk: _fields_of(event) for event in events}
    wanted: dict[Any, set[Any]] = {}  # related model -> primary keys to name

    def values(event: AuditEvent) -> tuple[dict[str, Any], dict[str, Any]]:
        return (event.old if isinstance(event.old, dict) else {}, event.new if isinstance(event.new, dict) else {})

    for event in events:
        old, new = values(event)
        for key, field in fields[event.pk].items():
            if field.is_relation and field.related_model is not None:
                for value in (old.get(key), new.get(key)):
                    for pk in value if isinstance(value, list) else [value]:
                        if pk is not None:
                            wanted.setdefault(field.related_model, set()).add(pk)
    names = {
        (model, obj.pk): str(obj) for model, pks in wanted.items() for obj in model._default_manager.filter(pk__in=pks)
    }

    def display(field: Any, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if field is not None and field.is_relation and field.related_model is not None:
            pks = value if isinstance(value, list) else [value]
            return "、".join(names.get((field.related_model, pk), str(pk)) for pk in pks)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)

    for event in events:
        old, new = values(event)
        changes = []
        for key in [*new, *(k for k in old if k not in new)]:
            field = fields[event.pk].get(key)
            label = str(field.verbose_name) if field is not None else key
            changes.append(
                Change(label, display(field, old.get(key)) if key in old else "", display(field, new.get(key)))
            )
        event.change_list = changes  # type: ignore[attr-defined]
    return events
