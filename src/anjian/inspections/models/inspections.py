"""Inspections (检查) of an enterprise and their checklist results; a failed item becomes a hazard."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.models import TimeStampedModel
from anjian.core.scoping import Scope, ScopedQuerySet, enterprise_q, reported_q
from anjian.hazards.choices import HazardLevel
from anjian.inspections.choices import (
    ENFORCEMENT_KINDS,
    INSPECTION_STATUS_COLOURS,
    RESULT_COLOURS,
    InspectionKind,
    InspectionStatus,
    ItemResult,
)
from anjian.stats.counted import CountedModel


class InspectionQuerySet(ScopedQuerySet["Inspection"]):
    def with_list_related(self) -> InspectionQuerySet:
        return self.select_related("enterprise", "enterprise__region", "department", "campaign")

    def government(self) -> InspectionQuerySet:
        """Inspections by a government body (the 家次 of the figures); self-inspections excluded."""
        return self.exclude(kind=InspectionKind.SELF)


class Inspection(CountedModel, TimeStampedModel):
    """One visit to one enterprise (one 家次): who inspected, when and where, against which checklist, with what
    result. A law-enforcement inspection needs at least two officers with enforcement certificates."""

    counted = "anjian.stats.visit_tally:VISITS"  # the inspection rollup follows every save and delete
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InspectionKind.choices)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        help_text=_("The inspecting department; none for the enterprise's self-inspection."),
    )
    joint_departments = models.ManyToManyField(
        "orgs.Department", verbose_name=_("joint departments"), blank=True, related_name="joint_inspections"
    )
    campaign = models.ForeignKey(
        "inspections.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    plan = models.ForeignKey(
        "inspections.InspectionPlan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    checklist = models.ForeignKey(
        "inspections.Checklist",
        verbose_name=_("checklist"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("officers"), blank=True, related_name="inspections"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    summary = models.TextField(_("findings"), blank=True)
    handling = models.TextField(_("handling"), blank=True)
    enterprise_signer = models.CharField(_("signed for the enterprise by"), max_length=32, blank=True)
    signature_refused = models.BooleanField(_("the enterprise refused to sign"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="inspections_created"
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-started_at", "-id"]
        indexes = [
            # the visits of a period (and the enterprises visited), counted off the index alone
            models.Index(
                fields=["started_at"],
                include=["id", "kind", "enterprise", "department"],
                name="inspection_started_cover_idx",
            ),
            models.Index(fields=["enterprise", "started_at"], name="inspection_enterprise_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=InspectionKind.SELF, department__isnull=True)
                | (~Q(kind=InspectionKind.SELF) & Q(department__isnull=False)),
                name="inspection_department_iff_government",
            ),
            models.CheckConstraint(
                condition=Q(status=InspectionStatus.COMPLETED, completed_at__isnull=False)
                | (~Q(status=InspectionStatus.COMPLETED) & Q(completed_at__isnull=True)),
                name="inspection_completed_at_iff_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.enterprise}"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return enterprise_q(scope, "enterprise") & reported_q(scope, "created_by")

    @property
    def code(self) -> str:
        return f"JC{timezone.localtime(self.started_at):%Y}-{self.pk:06d}" if self.pk else ""

    @property
    def is_enforcement(self) -> bool:
        return self.kind in ENFORCEMENT_KINDS

    @property
    def status_colour(self) -> str:
        return INSPECTION_STATUS_COLOURS[InspectionStatus(self.status)]


def _result_photo_path(instance: InspectionResult, filename: str) -> str:
    return f"inspections/{instance.inspection_id}/{timezone.now():%Y%m%d%H%M%S%f}.jpg"


def _result_thumb_path(instance: InspectionResult, filename: str) -> str:
    return f"inspections/{instance.inspection_id}/thumbs/{timezone.now():%Y%m%d%H%M%S%f}.jpg"


class InspectionResult(models.Model):
    """The result of one checklist item (or of a free finding) in an inspection: complies, does not comply or
    not applicable, with a note, a photo, and the time and position the device gave."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(
        "inspections.ChecklistItem",
        verbose_name=_("checklist item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="results",
    )
    clause = models.ForeignKey(
        "inspections.CriteriaClause",
        verbose_name=_("criteria clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="results",
    )
    text = models.TextField(_("what was checked"))
    result = models.CharField(_("result"), max_length=4, choices=ItemResult.choices)
    level = models.CharField(
        _("hazard level"),
        max_length=10,
        choices=HazardLevel.choices,
        blank=True,
        help_text=_("For a failed item: a clause of a 判定标准 proposes a major hazard; the inspector decides."),
    )
    note = models.TextField(_("note"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=_result_photo_path, blank=True)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_result_thumb_path, blank=True)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("hazard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_result",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        ordering = ["inspection", "item__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"], condition=Q(item__isnull=False), name="inspection_result_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_result_display()}: {self.text[:30]}"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return enterprise_q(scope, "inspection__enterprise") & reported_q(scope, "inspection__created_by")

    @property
    def result_colour(self) -> str:
        return RESULT_COLOURS[ItemResult(self.result)]
