"""Enforcement documents (执法文书), reinspections (复查) and penalty cases (行政处罚)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.models import TimeStampedModel
from anjian.core.scoping import Scope, ScopedQuerySet, enterprise_q
from anjian.inspections.choices import (
    DECIDED_STAGES,
    DOCUMENT_STATUS_COLOURS,
    LICENCE_KINDS,
    STAGE_COLOURS,
    DocumentKind,
    DocumentStatus,
    PenaltyKind,
    PenaltyStage,
    ReinspectionResult,
    ReinspectionStatus,
    ViolationClass,
)


def _of_enterprise(scope: Scope, hidden: Q) -> Q:
    """Enforcement records of the enterprises in scope; the enterprise itself and its grid worker see them once they
    reach the enterprise (never ``hidden``: drafts, unnotified cases), and the enterprise's workers see none."""
    if scope.reporter_id:
        return Q(pk__in=[])
    condition = enterprise_q(scope, "enterprise")
    return condition & ~hidden if scope.enterprise_id or scope.grid_id else condition


def _document_path(instance: EnforcementDocument, filename: str) -> str:
    return f"documents/{instance.year}/{instance.department_id}/{instance.kind}-{instance.serial}{filename[-5:]}"


class EnforcementDocument(TimeStampedModel):
    """A law-enforcement document (执法文书), numbered per department, kind and year. Filled from the inspection,
    hazard or case it belongs to; once issued its content, number and files never change (the database refuses),
    and its content hash is in the audit log."""

    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("issuing department"), on_delete=models.PROTECT, related_name="documents"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="documents"
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    penalty = models.ForeignKey(
        "inspections.PenaltyCase",
        verbose_name=_("penalty case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    hazards = models.ManyToManyField("hazards.Hazard", verbose_name=_("hazards"), blank=True, related_name="documents")
    status = models.CharField(_("status"), max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    content = models.JSONField(_("content"), default=dict)
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("serial number"), null=True, blank=True)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    docx = models.FileField(_("Word document"), upload_to=_document_path, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=_document_path, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    served_on = models.DateField(_("served on"), null=True, blank=True)
    received_by = models.CharField(_("received by"), max_length=32, blank=True)
    receipt_note = models.CharField(_("service note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("enforcement document")
        verbose_name_plural = _("enforcement documents")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["issued_at"], condition=Q(serial__isnull=False), name="document_issued_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="document_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.DRAFT, serial__isnull=True)
                | (~Q(status=DocumentStatus.DRAFT) & Q(serial__isnull=False, issued_at__isnull=False)),
                name="document_numbered_iff_issued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or _('(draft)')}"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return _of_enterprise(scope, Q(status=DocumentStatus.DRAFT))

    @property
    def status_colour(self) -> str:
        return DOCUMENT_STATUS_COLOURS[DocumentStatus(self.status)]


class Reinspection(TimeStampedModel):
    """The re-check (复查) an order to rectify creates for its deadline; its result issues the 整改复查意见书, and
    what is still not rectified leads to a penalty proposal."""

    order = models.OneToOneField(
        EnforcementDocument, verbose_name=_("order"), on_delete=models.PROTECT, related_name="reinspection"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="reinspections"
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="reinspections"
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=ReinspectionStatus.choices, default=ReinspectionStatus.PENDING
    )
    result = models.CharField(_("result"), max_length=16, choices=ReinspectionResult.choices, blank=True)
    done_on = models.DateField(_("reinspected on"), null=True, blank=True)
    note = models.TextField(_("findings"), blank=True)
    opinion = models.OneToOneField(
        EnforcementDocument,
        verbose_name=_("reinspection opinion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinion_of",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reinspection")
        verbose_name_plural = _("reinspections")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.order.number} → {self.due_on}"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return _of_enterprise(scope, Q(pk__in=[]))


_DECIDED = sorted(DECIDED_STAGES)


ITEM_TOTALS = ("fines_yuan", "suspends", "closes", "licence_penalties", "persons_referred")  # ``PenaltyCase.add_up``


class PenaltyCase(TimeStampedModel):
    """An administrative penalty case (行政处罚案件): 立案 → 告知 → (听证) → 决定 → 执行 → 结案, with its penalties.
    Deciding applies them: a suspension suspends the enterprise, a licence penalty changes the licence, a closure
    closes the enterprise."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="penalty_cases"
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="penalty_cases"
    )
    case_number = models.CharField(_("case number"), max_length=60, unique=True)
    stage = models.CharField(_("stage"), max_length=12, choices=PenaltyStage.choices, default=PenaltyStage.FILED)
    violation_class = models.CharField(_("kind of violation"), max_length=12, choices=ViolationClass.choices)
    facts = models.TextField(_("facts of the violation"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    on_major_hazard = models.BooleanField(
        _("concerns a major hazard"), default=False, help_text=_("Counts towards 安全生产法 Art.113.")
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_cases",
    )
    reinspection = models.ForeignKey(
        Reinspection,
        verbose_name=_("reinspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_cases",
    )
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("hazard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_cases",
    )
    campaign = models.ForeignKey(
        "inspections.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_cases",
    )
    filed_on = models.DateField(_("filed on"))
    hearing_requested = models.BooleanField(_("hearing requested"), default=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # What its penalties add up to, set with them (``add_up``): the 打非治违 tallies of a province's cases are read off
    # the cases alone (the covering index below) instead of joining every penalty item.
    fines_yuan = models.DecimalField(_("fines (yuan)"), max_digits=14, decimal_places=2, default=Decimal(0))
    suspends = models.BooleanField(_("orders a suspension"), default=False)
    closes = models.BooleanField(_("closes the enterprise down"), default=False)
    licence_penalties = models.PositiveSmallIntegerField(_("licences withheld or revoked"), default=0)
    persons_referred = models.PositiveSmallIntegerField(_("persons referred for criminal liability"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("penalty case")
        verbose_name_plural = _("penalty cases")
        ordering = ["-filed_on", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "decided_on"], name="penalty_enterprise_decided_idx"),
            # the decided cases of a period with what the tallies count: an index-only scan
            models.Index(
                fields=["decided_on"],
                include=[
                    "stage",
                    "department",
                    "enterprise",
                    "violation_class",
                    *ITEM_TOTALS,
                ],
                condition=Q(decided_on__isnull=False),
                name="penalty_decided_cover_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=_DECIDED, decided_on__isnull=False)
                | (~Q(stage__in=_DECIDED) & Q(decided_on__isnull=True)),
                name="penalty_decided_on_iff_decided",
            )
        ]

    def __str__(self) -> str:
        return self.case_number

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return _of_enterprise(scope, Q(stage=PenaltyStage.FILED))

    @property
    def stage_colour(self) -> str:
        return STAGE_COLOURS[PenaltyStage(self.stage)]

    def add_up(self, items: Iterable[PenaltyItem]) -> None:
        """Set what the case's penalties add up to (``ITEM_TOTALS``) from ``items``, its penalties."""
        for name, value in item_totals((i.kind, i.amount, i.persons) for i in items).items():
            setattr(self, name, value)


def item_totals(penalties: Iterable[tuple[str, Decimal | None, int | None]]) -> dict[str, Any]:
    """What penalties — (kind, amount, persons) each — add up to, as a case keeps it (``ITEM_TOTALS``)."""
    penalties = list(penalties)
    kinds = [kind for kind, _amount, _persons in penalties]
    fines = [amount or Decimal(0) for kind, amount, _persons in penalties if kind == PenaltyKind.FINE]
    referred = [persons or 0 for kind, _amount, persons in penalties if kind == PenaltyKind.JUDICIAL_REFERRAL]
    return {
        "fines_yuan": sum(fines, Decimal(0)),
        "suspends": PenaltyKind.SUSPENSION in kinds,
        "closes": PenaltyKind.CLOSURE in kinds,
        "licence_penalties": sum(kind in LICENCE_KINDS for kind in kinds),
        "persons_referred": sum(referred),
    }


class PenaltyItem(models.Model):
    """One penalty a case imposes (a case may fine and suspend at once)."""

    case = models.ForeignKey(PenaltyCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=PenaltyKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    licence = models.ForeignKey(
        "enterprises.Licence",
        verbose_name=_("licence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_items",
    )
    persons = models.PositiveSmallIntegerField(_("persons referred"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PenaltyKind.FINE) | Q(amount__gt=0), name="penalty_fine_has_amount"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[PenaltyKind.LICENCE_WITHHOLD, PenaltyKind.LICENCE_REVOKE])
                | Q(licence__isnull=False),
                name="penalty_licence_named",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return Q(case__in=PenaltyCase.objects.filter(PenaltyCase.scope_q(scope)))
