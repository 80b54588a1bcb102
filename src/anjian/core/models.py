"""Cross-cutting records: the audit log, background jobs, idempotency keys, demo seed steps."""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from anjian.core.choices import AuditResult, JobKind, JobStatus
from anjian.core.events import EventCode

GENESIS_HASH = "0" * 64


class TimeStampedModel(models.Model):
    """Adds creation and last-change times to a domain model."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> Any:
        """Django's ``get_<field>_display``, with the field's labels in a dict built once per field (Django builds
        it from the choices on every call: a list page of twenty hazards called it ~60 times, 3 % of its CPU)."""
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


@functools.cache
def _choice_labels(field: Any) -> dict[Any, Any]:
    """A field's choices as value → label (labels stay lazy: each call translates them in the active language)."""
    return dict(make_hashable(field.flatchoices))


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("the audit log is append-only")


class AuditEvent(models.Model):
    """One audited event: who did what to which object, when, from where, with old and new values.

    Append-only and hash-chained: each row stores the hash of the previous row, so editing or deleting any row
    breaks the chain at that point (``anjian manage audit_verify`` names it). A database trigger refuses UPDATE
    and DELETE as well.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    # No choices here: labels come from EventCode (event_label), so a new code needs no migration.
    event = models.PositiveIntegerField(_("event"), db_index=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # the chain must outlive any user row; the username is kept below
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    target_type = models.CharField(_("object type"), max_length=64, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    old = models.JSONField(_("old values"), null=True, blank=True)
    new = models.JSONField(_("new values"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event_label} {self.actor_username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("the audit log is append-only")

    @property
    def event_label(self) -> str:
        try:
            return str(EventCode(self.event).label)
        except ValueError:
            return str(self.event)

    def canonical(self) -> str:
        """The exact text the hash covers: every field but the id and the hash itself."""
        payload = {
            "prev": self.prev_hash,
            "at": self.at.isoformat(timespec="microseconds"),
            "event": int(self.event),
            "result": str(self.result),
            "actor": self.actor_id,
            "username": self.actor_username,
            "ip": self.ip or "",
            "request": self.request_id,
            "type": self.target_type,
            "id": self.target_id,
            "repr": self.target_repr,
            "old": self.old,
            "new": self.new,
            "note": self.note,
        }
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()


class Job(models.Model):
    """A background job started by a user (large exports, later imports and reports), with its progress."""

    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    result_path = models.CharField(max_length=300, blank=True)  # relative to MEDIA_ROOT, never served directly
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class IdempotencyKey(models.Model):
    """The stored answer to a POST made with an ``Idempotency-Key`` header, so that a retry never duplicates."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)  # method, path and body: a reused key with other content is refused
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key


class SeedStep(models.Model):
    """A demo-data step already loaded into this database, so re-running ``anjian demo`` keeps the data."""

    name = models.CharField(max_length=64, primary_key=True)
    done_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ScheduledRun(models.Model):
    """One run of a periodic job for one time slot; the unique key stops two schedulers running it twice."""

    job = models.CharField(max_length=64)
    slot = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    output = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_unique")]
        ordering = ["-slot"]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"


class DocumentSequence(models.Model):
    """The last number a department issued for one kind of document in one year (督办通知, 指令书 …): numbers
    are allocated under a row lock, so they have no gaps and no duplicates."""

    department = models.ForeignKey("orgs.Department", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "kind", "year"], name="document_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.kind}/{self.year}: {self.last}"
