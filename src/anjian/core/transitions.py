"""The one way a status changes: lock the row, check the transition table, save, audit — atomically.

Each domain's actions call ``change_status`` with their own table and event; a domain that keeps a transition
history (hazards) records its own row inside the same transaction via ``on_changed``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext as _

from anjian.core.audit import diff, record_event, snapshot
from anjian.core.events import EventCode
from anjian.core.exceptions import InvalidInput, InvalidTransition

M = TypeVar("M", bound=models.Model)
Table = Mapping[Any, tuple[frozenset[Any], Any]]


def require_reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput(_("Give the reason."), field_errors={"reason": [_("Give the reason.")]})
    return reason.strip()


def allowed(table: Table, status: str) -> list[Any]:
    """The actions of ``table`` that may start from ``status``."""
    return [action for action, (sources, _target) in table.items() if status in sources]


def change_status(
    obj: M,
    action: Enum,
    table: Table,
    *,
    event: EventCode,
    actor: Any,
    note: str,
    subject: str,
    field: str = "status",
    check: Callable[[M], None] | None = None,
    prepare: Callable[[M], list[str]] | None = None,
    on_changed: Callable[[M, str], None] | None = None,
) -> M:
    """Move ``obj`` along ``table[action]`` or raise ``InvalidTransition`` naming its current status.

    ``subject`` names the object in the refusal ("The enterprise is …"). Two simultaneous calls serialise on the
    row lock: the second sees the first's result and is refused if the move no longer applies. On the locked row,
    ``check`` may refuse (who may act), and ``prepare`` sets other fields and returns their names. A target of
    ``None`` keeps the status (an action recorded on the object without moving it, e.g. a deadline extension).
    """
    sources, target = table[action]
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        current = getattr(locked, field)
        if current not in sources:
            display = getattr(locked, f"get_{field}_display")()
            raise InvalidTransition(
                _("%(subject)s is “%(status)s”: it cannot be “%(action)s”.")
                % {"subject": subject, "status": display, "action": getattr(action, "label", action)}
            )
        if check is not None:
            check(locked)
        before = snapshot(locked)
        update_fields = [field] if target is not None else []
        if prepare is not None:
            update_fields += prepare(locked)
        if target is not None:
            setattr(locked, field, target)
        audited = list(dict.fromkeys(update_fields))
        if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
            update_fields.append("updated_at")
        locked.save(update_fields=update_fields)
        old, new = diff({k: before[k] for k in audited}, snapshot(locked, audited))
        record_event(event, actor=actor, target=locked, old=old, new=new, note=note)
        if on_changed is not None:
            on_changed(locked, current)
    return locked
