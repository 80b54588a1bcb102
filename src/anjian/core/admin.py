"""Base class of every ModelAdmin: changes made in the administration site are written to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from anjian.core.audit import diff, record_event, snapshot
from anjian.core.events import EventCode


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes (created, changed, deleted) events with old and new values for every save and delete."""

    audit_events: tuple[EventCode, EventCode, EventCode] = (
        EventCode.ADMIN_CHANGE,
        EventCode.ADMIN_CHANGE,
        EventCode.ADMIN_CHANGE,
    )
    audit_exclude: tuple[str, ...] = ("password", "last_login")

    def _snapshot(self, obj: Model) -> dict[str, Any]:
        names = [
            f.name
            for f in obj._meta.get_fields()
            if getattr(f, "concrete", False)
            and not getattr(f, "primary_key", False)
            and f.name not in self.audit_exclude
        ]
        names += [f.name for f in obj._meta.many_to_many if f.name not in self.audit_exclude]
        return snapshot(obj, list(dict.fromkeys(names)))

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        if change and obj.pk is not None:
            original = type(obj)._default_manager.get(pk=obj.pk)
            request._audit_before = self._snapshot(original)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = self._snapshot(obj)
        created, changed, _deleted = self.audit_events
        if change:
            old, new = diff(getattr(request, "_audit_before", {}), after)
            if new:
                record_event(changed, actor=request.user, target=obj, old=old, new=new, note="admin")
        else:
            record_event(created, actor=request.user, target=obj, new=after, note="admin")

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        before = self._snapshot(obj)
        target_type, target_id, target_repr = obj._meta.label_lower, str(obj.pk), str(obj)
        super().delete_model(request, obj)
        record_event(
            self.audit_events[2],
            actor=request.user,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            old=before,
            note="admin",
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in list(queryset):
            self.delete_model(request, obj)
