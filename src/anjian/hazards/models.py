"""The hazard ledger (隐患台账): hazards, their photos, the transition history and extension requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from anjian.core.models import TimeStampedModel
from anjian.core.scoping import Scope, ScopedQuerySet, enterprise_q, reported_q
from anjian.hazards.choices import (
    LEVEL_COLOURS,
    OPEN_STATUSES,
    STATUS_COLOURS,
    EvaluationKind,
    ExtensionStatus,
    HazardAction,
    HazardLevel,
    HazardSource,
    HazardStatus,
    ListingStatus,
    ManagementClass,
    PhotoStage,
    RectificationMode,
    ReportPeriod,
    ReportStatus,
    SupervisionLevel,
)
from anjian.stats.counted import CountedModel


class HazardType(models.Model):
    """A hazard category (隐患类别): the interface's eight (安全, 工艺, 电气 …) are shipped; administrators add more."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    national_code = models.PositiveSmallIntegerField(_("national code"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("hazard type")
        verbose_name_plural = _("hazard types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


def overdue_q(today: dt.date | None = None) -> Q:
    """Open past the deadline in force (逾期): derived from dates and status, never stored."""
    return Q(status__in=OPEN_STATUSES, deadline__lt=today or timezone.localdate())


class HazardQuerySet(ScopedQuerySet["Hazard"]):
    def with_list_related(self) -> HazardQuerySet:
        return self.select_related("enterprise", "enterprise__region", "enterprise__industry", "hazard_type")

    def open(self) -> HazardQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date | None = None) -> HazardQuerySet:
        return self.filter(overdue_q(today))


class Hazard(CountedModel, TimeStampedModel):
    """An accident hazard (事故隐患) of one enterprise, from finding through rectification to acceptance."""

    counted = "anjian.stats.tally:HAZARDS"  # the hazard rollups follow every save and delete
    paged_by_ids = True  # lists read a page's ids first, then its rows (core.paging.page_rows)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="hazards",
        db_index=False,  # hazard_enterprise_found_idx and hazard_enterprise_closed_idx lead with it
    )
    level = models.CharField(_("level"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    source = models.CharField(_("source"), max_length=24, choices=HazardSource.choices)
    hazard_type = models.ForeignKey(HazardType, verbose_name=_("hazard type"), on_delete=models.PROTECT)
    management_class = models.CharField(_("management classification"), max_length=12, choices=ManagementClass.choices)
    rectification_mode = models.CharField(
        _("rectification mode"), max_length=10, choices=RectificationMode.choices, default=RectificationMode.DEADLINE
    )
    description = models.TextField(_("description"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    found_on = models.DateField(_("found on"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("found by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards_found",
    )
    finder_name = models.CharField(_("finder"), max_length=64, blank=True)  # as written, e.g. in an imported ledger
    finding_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("finding department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards_found",
        help_text=_("The government department that found it; it accepts the rectification of a general hazard."),
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    clause = models.ForeignKey(
        "inspections.CriteriaClause",
        verbose_name=_("criteria clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
        help_text=_("The clause of the criteria catalogue it breaks; a 判定标准 clause proposes a major hazard."),
    )
    # 五落实: measures, responsibility, funds, deadline, contingency plan
    measures = models.TextField(_("rectification measures"), blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=64, blank=True)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=32, blank=True)
    funds = models.DecimalField(_("funds (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    original_deadline = models.DateField(_("original deadline"), null=True, blank=True)
    contingency_plan = models.TextField(_("contingency plan"), blank=True)
    rectification = models.TextField(_("rectification done"), blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=HazardStatus.choices, default=HazardStatus.REGISTERED, db_index=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_on", "-id"]
        indexes = [
            # an enterprise's hazards by status; the closures of a region's enterprises in a span of days
            models.Index(fields=["enterprise", "status", "closed_at"], name="hazard_enterprise_closed_idx"),
            # the finds of a span of days (year on year for a period ending mid-month, custom periods), counted off
            # the index alone: the region (through the enterprise), level, status and closing time it carries
            models.Index(
                fields=["found_on"],
                include=["enterprise", "level", "status", "closed_at"],
                name="hazard_found_cover_idx",
            ),
            # the finds of a county's (a department's remit's) enterprises in a period: a range per enterprise (with
            # the index above, it also serves every lookup by enterprise: the foreign key keeps no index of its own)
            models.Index(fields=["enterprise", "found_on"], name="hazard_enterprise_found_idx"),
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline_idx"),
            # the open hazards by deadline (lists "most urgent first"), and the overdue figures grouped by
            # enterprise, finding department or month found read off the index alone (open hazards are scattered
            # through the ledger: fetching each row costs more than the rest of the query)
            models.Index(
                fields=["deadline"],
                include=["id", "enterprise", "level", "found_on", "finding_department"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="hazard_open_deadline_idx",
            ),
            # an enterprise's open hazards by deadline: a county's overdue hazards are a probe per enterprise (a few
            # ms) instead of a range of the index above over the province's (~20 ms on P); each enterprise's recount
            models.Index(
                fields=["enterprise", "deadline"],
                include=["level", "found_on", "finding_department"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="hazard_open_enterprise_idx",
            ),
            # the open hazards a department found, by deadline: the lagging departments' overdue finds, for the few
            # departments ranked (a province's: ~1 ms, against a scan of its 103 k overdue hazards)
            models.Index(
                fields=["finding_department", "deadline"],
                include=["found_on", "enterprise"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="hazard_open_department_idx",
            ),
            # closures in a span of days (year on year for a period ending mid-month), counted off the index alone
            models.Index(
                fields=["closed_at"],
                include=["enterprise", "found_on", "status"],
                condition=Q(closed_at__isnull=False),
                name="hazard_closed_cover_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=HazardStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=HazardStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="hazard_closed_at_iff_closed",
            ),
        ]
        permissions = [("accept_hazard", "Can accept a hazard's rectification")]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:30]}"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return enterprise_q(scope, "enterprise") & reported_q(scope, "found_by")

    @property
    def code(self) -> str:
        """The ledger number people quote: YH + the year found + the row id."""
        return f"YH{self.found_on:%Y}-{self.pk:06d}" if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return bool(self.is_open and self.deadline and self.deadline < (today or timezone.localdate()))

    @property
    def is_self_found(self) -> bool:
        return self.finding_department_id is None

    @property
    def is_major(self) -> bool:
        """A major hazard (重大事故隐患). Only one has a report, a governance plan, supervision listings and resumption
        applications: every action behind them requires the level (hazards.major), which is fixed at registration."""
        return self.level == HazardLevel.MAJOR

    @cached_property
    def pending_extension(self) -> HazardExtension | None:
        """The extension request awaiting a decision, if any: read once for the page or the API's answer (the
        actions read theirs under the hazard's lock)."""
        return self.extensions.filter(status=ExtensionStatus.PENDING).select_related("requested_by").first()

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        """Django's, forgetting the pending extension read before."""
        self.__dict__.pop("pending_extension", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[HazardStatus(self.status)]

    @property
    def level_colour(self) -> str:
        return LEVEL_COLOURS[HazardLevel(self.level)]


class OfHazard:
    """Scoping of a record that belongs to a hazard: whoever may see the hazard sees it (a worker, their own)."""

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return enterprise_q(scope, "hazard__enterprise") & reported_q(scope, "hazard__found_by")


def _photo_path(instance: HazardPhoto, filename: str) -> str:
    return f"hazards/{instance.hazard_id}/{instance.stage}-{timezone.now():%Y%m%d%H%M%S%f}.jpg"


def _thumb_path(instance: HazardPhoto, filename: str) -> str:
    return f"hazards/{instance.hazard_id}/thumbs/{instance.stage}-{timezone.now():%Y%m%d%H%M%S%f}.jpg"


class HazardPhoto(OfHazard, models.Model):
    """A photo of the hazard before, or of the result after, rectification (re-encoded JPEG, with a thumbnail)."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=8, choices=PhotoStage.choices)
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_thumb_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard photo")
        verbose_name_plural = _("hazard photos")
        ordering = ["hazard", "stage", "id"]

    def __str__(self) -> str:
        return f"{self.hazard_id}/{self.stage}/{self.pk}"


class HazardTransition(OfHazard, models.Model):
    """One change of a hazard (登记, 开始整改, 提交验收 …): its timeline, and the source of days-to-rectify figures."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=24, choices=HazardAction.choices)
    from_status = models.CharField(_("from"), max_length=24, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=HazardStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard transition")
        verbose_name_plural = _("hazard transitions")
        ordering = ["hazard", "at", "id"]
        indexes = [models.Index(fields=["hazard", "at"], name="hazard_transition_at_idx")]

    def __str__(self) -> str:
        return f"{self.hazard_id}: {self.action}"


class HazardExtension(OfHazard, models.Model):
    """A request to move a rectification deadline (延期), and its decision."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="extensions")
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["hazard", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"], condition=Q(status="pending"), name="hazard_one_pending_extension"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} → {self.requested_deadline}"

    def describe(self) -> dict[str, Any]:
        return {"requested_deadline": self.requested_deadline.isoformat(), "status": self.status}


class MajorHazardReport(models.Model):
    """The report of a major hazard to the supervising department (16号令 Art.14): its three required parts."""

    hazard = models.OneToOneField(Hazard, on_delete=models.CASCADE, related_name="major_report")
    state_and_cause = models.TextField(_("current state and its causes"))
    harm_and_difficulty = models.TextField(_("harm and difficulty of rectification"))
    approach = models.TextField(_("approach to governance"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("major hazard report")
        verbose_name_plural = _("major hazard reports")

    def __str__(self) -> str:
        return f"{self.hazard_id}"


class GovernancePlan(models.Model):
    """The six-part governance plan (治理方案) a major hazard needs before its rectification starts (Art.15)."""

    hazard = models.OneToOneField(Hazard, on_delete=models.CASCADE, related_name="governance_plan")
    objectives = models.TextField(_("objectives and tasks"))
    methods = models.TextField(_("methods and measures"))
    funding = models.TextField(_("funds and materials"))
    organisation = models.TextField(_("organisation and people in charge"))
    schedule = models.TextField(_("time limits and requirements"))
    safety_measures = models.TextField(_("safety measures and contingency plan"))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)

    class Meta:
        verbose_name = _("governance plan")
        verbose_name_plural = _("governance plans")

    def __str__(self) -> str:
        return f"{self.hazard_id}"


class SupervisionListing(OfHazard, models.Model):
    """挂牌督办: a government level formally lists a major hazard and supervises it until it is delisted (摘牌)."""

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="listings")
    level = models.CharField(_("listing level"), max_length=10, choices=SupervisionLevel.choices)
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("issuing department"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("document number"), max_length=64)
    deadline = models.DateField(_("supervision deadline"))
    served_on = models.DateField(_("served on"))
    enterprise_suspended = models.BooleanField(_("enterprise ordered to suspend"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.LISTED)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    listed_at = models.DateTimeField(_("listed at"), default=timezone.now)
    delisted_at = models.DateTimeField(_("delisted at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision listing")
        verbose_name_plural = _("supervision listings")
        ordering = ["-listed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "sequence"], name="listing_number_unique"),
            models.UniqueConstraint(fields=["hazard"], condition=Q(status="listed"), name="listing_one_active"),
        ]

    def __str__(self) -> str:
        return self.number


class ResumptionApplication(OfHazard, models.Model):
    """复产申请: after governance, the enterprise's evaluation and its application; the department reviews it on
    site within the SLA and either writes the hazard off (核销, 摘牌) or orders corrections."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="resumptions")
    evaluation_kind = models.CharField(_("evaluated by"), max_length=10, choices=EvaluationKind.choices)
    evaluator = models.CharField(_("evaluator"), max_length=120, blank=True)
    evaluation = models.TextField(_("evaluation of the governance"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    review_due = models.DateField(_("review due by"))
    approved = models.BooleanField(_("approved"), null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review opinion"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("resumption application")
        verbose_name_plural = _("resumption applications")
        ordering = ["-applied_at", "-id"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.applied_at:%Y-%m-%d}"

    def review_overdue(self, today: dt.date | None = None) -> bool:
        return self.approved is None and self.review_due < (today or timezone.localdate())


def _scan_path(instance: HazardPeriodicReport, filename: str) -> str:
    suffix = ".pdf" if filename.lower().endswith(".pdf") else ".jpg"
    return f"hazard-reports/{instance.enterprise_id}/{instance.year}-{instance.period}{instance.quarter or ''}{suffix}"


class HazardPeriodicReport(models.Model):
    """An enterprise's quarterly or annual hazard statistics report (隐患排查治理统计分析表, 16号令 Art.14): figures
    pre-filled from the ledger, signed by the principal (a scan), submitted by the 15th of the first month of the
    next quarter, or by 31 January for the year."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="hazard_reports"
    )
    period = models.CharField(_("period"), max_length=8, choices=ReportPeriod.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    due_on = models.DateField(_("due on"))
    figures = models.JSONField(_("figures"), default=dict)
    analysis = models.TextField(_("analysis"), blank=True)
    principal_name = models.CharField(_("signed by (principal)"), max_length=64, blank=True)
    signed_scan = models.FileField(_("signed scan"), upload_to=_scan_path, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard statistics report")
        verbose_name_plural = _("hazard statistics reports")
        ordering = ["-year", "-quarter", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period", "year", "quarter"], name="periodic_report_once", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.period} {self.quarter or ''}"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return enterprise_q(scope, "enterprise") & (Q(pk__in=[]) if scope.reporter_id else Q())

    @property
    def is_late(self) -> bool:
        """Submitted after the due date, or not submitted and the due date has passed (derived, never stored)."""
        if self.submitted_at is not None:
            return timezone.localtime(self.submitted_at).date() > self.due_on
        return timezone.localdate() > self.due_on
