"""Check tasks the control measures generate, and the records that complete them (排查任务、排查记录)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import ScopedQuerySet
from anjian.risks.choices import TASK_STATUS_COLOURS, CheckResult, TaskStatus
from anjian.risks.models.register import ControlMeasure, OfEnterprise


class CheckTaskQuerySet(ScopedQuerySet["CheckTask"]):
    def with_related(self) -> CheckTaskQuerySet:
        return self.select_related("measure__event__unit", "assignee", "enterprise")


class CheckTask(OfEnterprise, models.Model):
    """One check a measure asks for in one period: due between ``due_start`` and ``due_end``; done by a record,
    or missed once the window closed without one."""

    measure = models.ForeignKey(
        ControlMeasure, verbose_name=_("control measure"), on_delete=models.CASCADE, related_name="tasks"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="check_tasks"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="check_tasks"
    )
    due_start = models.DateTimeField(_("due from"))
    due_end = models.DateTimeField(_("due by"))
    status = models.CharField(_("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.PENDING)

    objects = CheckTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("check task")
        verbose_name_plural = _("check tasks")
        ordering = ["due_start", "pk"]
        constraints = [models.UniqueConstraint(fields=["measure", "due_start"], name="check_task_period_unique")]
        indexes = [
            models.Index(fields=["enterprise", "due_start"], name="check_task_enterprise_idx"),
            models.Index(fields=["status", "due_end"], name="check_task_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} @ {self.due_start:%Y-%m-%d %H:%M}"

    @property
    def status_colour(self) -> str:
        return TASK_STATUS_COLOURS[TaskStatus(self.status)]

    @property
    def is_open_now(self) -> bool:
        now = timezone.now()
        return self.status == TaskStatus.PENDING and self.due_start <= now < self.due_end


def _record_photo_path(instance: CheckRecord, filename: str) -> str:
    return f"risks/checks/{instance.task_id}-{timezone.now():%Y%m%d%H%M%S%f}.jpg"


class CheckRecord(OfEnterprise, models.Model):
    """The record of one check: who, when, where, normal or abnormal, with a note and a photo; an abnormal check
    opens a hazard (control measure failed, national dangerSrc 9)."""

    enterprise_path = "task__enterprise"

    task = models.OneToOneField(CheckTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="record")
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=4, choices=CheckResult.choices)
    note = models.TextField(_("note"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=_record_photo_path, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("hazard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="check_record",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check record")
        verbose_name_plural = _("check records")
        ordering = ["-checked_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(result=CheckResult.FAIL) | ~Q(note=""), name="check_fail_has_note")
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.result}"
