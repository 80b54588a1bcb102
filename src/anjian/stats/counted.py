"""How a record's statistics rollup follows it: ``Counted`` names, for one model, the fields the rollup depends on
(a frozen dataclass) and the function moving counts from one state to another; ``CountedModel`` (the model's base)
calls it from ``from_db``, ``save`` and ``delete``, so every change moves the counts in its own transaction.

The state is remembered as loaded (``from_db``); a save compares it with the state saved and moves the
difference; a row saved without its state loaded (deferred fields, or built by hand) is read back first.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from django.apps import apps
from django.db import models, transaction

State = TypeVar("State")
ATTRIBUTE = "_counted_state"  # the state as loaded or last saved, on the instance
_RESOLVED: dict[str, Counted[Any]] = {}  # "module:attribute" → the Counted it names


class Counted(Generic[State]):
    def __init__(self, model: str, state: type[State], record: Callable[[State | None, State | None], None]) -> None:
        self.model = model  # "app_label.Model"
        self.state = state
        self.fields = tuple(field.name for field in dataclasses.fields(state))  # type: ignore[arg-type]
        self.record = record

    def state_of(self, row: Any) -> State | None:
        """The row's counted fields as loaded, or None when some were deferred."""
        values = row.__dict__
        if any(name not in values for name in self.fields):
            return None
        return self.state(**{name: values[name] for name in self.fields})

    def stored(self, pk: Any) -> State | None:
        rows = apps.get_model(self.model).objects.filter(pk=pk)  # scoped: the row being saved
        values = rows.values(*self.fields).first()
        return self.state(**values) if values else None

    def saved(self, row: Any, before: State | None, *, created: bool) -> None:
        """Called inside the saving transaction, after the row is written."""
        if not created and before is None:
            before = self.stored(row.pk)
        after = self.state_of(row)
        if after is None:
            row.refresh_from_db(fields=[f for f in self.fields if f not in row.__dict__])
            after = self.state_of(row)
        setattr(row, ATTRIBUTE, after)
        if before != after:
            self.record(before, after)

    def deleted(self, before: State | None) -> None:
        """Called inside the deleting transaction, after the row went (``before``: its state read just before)."""
        if before is not None:
            self.record(before, None)


class CountedModel(models.Model):
    """A record a statistics rollup counts: ``counted`` names its ``Counted`` ("module:attribute", imported when
    first needed), and every save and delete moves the record's counts in the same transaction."""

    counted: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves, and moves the record's counts in the statistics rollup in the same transaction."""
        counted = self._counted()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not set(update_fields) & set(counted.fields):
            super().save(*args, **kwargs)
            return
        created = self._state.adding
        before = None if created else getattr(self, ATTRIBUTE, None)
        with transaction.atomic():
            super().save(*args, **kwargs)
            counted.saved(self, before, created=created)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        counted = self._counted()
        with transaction.atomic():
            before = counted.stored(self.pk)
            result = super().delete(*args, **kwargs)
            counted.deleted(before)  # after: a recount from the ledger (``overdue_tally``) no longer sees the row
            return result

    @classmethod
    def _counted(cls) -> Counted[Any]:
        counted = _RESOLVED.get(cls.counted)
        if counted is None:  # once per model: ``from_db`` asks for every row loaded
            module, name = cls.counted.split(":")
            counted = _RESOLVED[cls.counted] = getattr(importlib.import_module(module), name)
        return counted

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        setattr(instance, ATTRIBUTE, cls._counted().state_of(instance))
        return instance
