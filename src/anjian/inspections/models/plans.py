"""Annual inspection plans with their risk-based frequency table and random draws, and campaigns (专项行动)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.core.scoping import Scope, ScopedQuerySet, region_q
from anjian.enterprises.choices import StandardizationGrade
from anjian.inspections.choices import CampaignKind


def government_q(scope: Scope, field: str) -> Q:
    """Government records of departments in the user's territory; grid and enterprise users see none."""
    if scope.grid_id or scope.enterprise_id:
        return Q(pk__in=[])
    return region_q(scope, field)


class FrequencyRule(models.Model):
    """How often a department inspects an enterprise a year, by high-risk industry and standardisation grade
    (分类分级监管; e.g. Shanxi 2025: 危化 一级/二级/三级/未定级 2/4/8/12). Data: each province sets its own."""

    high_risk = models.BooleanField(_("high-risk industry"))
    standardization_grade = models.CharField(
        _("standardisation grade"), max_length=16, choices=StandardizationGrade.choices, blank=True
    )
    visits_per_year = models.PositiveSmallIntegerField(_("inspections a year"))

    class Meta:
        verbose_name = _("inspection frequency")
        verbose_name_plural = _("inspection frequencies")
        ordering = ["-high_risk", "standardization_grade"]
        constraints = [
            models.UniqueConstraint(fields=["high_risk", "standardization_grade"], name="frequency_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_standardization_grade_display()}: {self.visits_per_year}"


class InspectionPlan(models.Model):
    """A department's annual inspection plan (年度监督检查计划, 安全生产法 Art.62): key enterprises inspected at the
    table's frequency, ordinary ones drawn at random (双随机) with a recorded seed, so the draw can be repeated."""

    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="inspection_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    random_share = models.DecimalField(
        _("share drawn at random"),
        max_digits=4,
        decimal_places=3,
        default=0.2,
        help_text=_("Of the ordinary (non-key) enterprises, the share drawn for one random inspection."),
    )
    seed = models.BigIntegerField(_("random seed"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "department"]
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="inspection_plan_unique")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return government_q(scope, "department__region")


class PlanTarget(models.Model):
    """One enterprise of a plan with the inspections planned for it in the year."""

    plan = models.ForeignKey(InspectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    planned = models.PositiveSmallIntegerField(_("planned inspections"))
    drawn = models.BooleanField(_("drawn at random"), default=False)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["plan", "enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "enterprise"], name="plan_target_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.planned}"


class Campaign(models.Model):
    """A time-boxed drive (大检查, 打非治违, 重点时段, 季度战役, 专项整治, 攻坚) over part of a territory's enterprises,
    led by one department with member departments and inspection groups (督查组)."""

    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices)
    title = models.CharField(_("title"), max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name=_("territory"), on_delete=models.PROTECT)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    lead_department = models.ForeignKey(
        "orgs.Department", verbose_name=_("lead department"), on_delete=models.PROTECT, related_name="campaigns_led"
    )
    member_departments = models.ManyToManyField(
        "orgs.Department", verbose_name=_("member departments"), blank=True, related_name="campaigns"
    )
    industries = models.ManyToManyField(
        "enterprises.Industry",
        verbose_name=_("industries"),
        blank=True,
        related_name="campaigns",
        help_text=_("Categories or industries in scope; none: every industry."),
    )
    tags = models.ManyToManyField(
        "enterprises.Tag",
        verbose_name=_("key-sector tags"),
        blank=True,
        related_name="campaigns",
        help_text=_("Enterprises with any of these tags are in scope too."),
    )
    description = models.TextField(pgettext_lazy("campaign", "description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start", "pk"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="campaign_end_after_start")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        """Campaigns of the user's territory and those of the governments above it (a town works in the
        county's drive)."""
        if scope.grid_id or scope.enterprise_id:
            return Q(pk__in=[])
        if scope.everything:
            return Q()
        prefix = scope.region_prefix or ""
        above = [prefix[:n].ljust(12, "0") for n in (2, 4, 6, 9) if n < len(prefix)]
        return region_q(scope) | Q(region_id__in=above)


class InspectionGroup(models.Model):
    """An inspection group (检查组/督查组) of a campaign with its leader and members."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=40)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="groups_led"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="inspection_groups"
    )
    towns = models.ManyToManyField(
        "regions.Region", verbose_name=_("towns covered"), blank=True, related_name="inspection_groups"
    )

    class Meta:
        verbose_name = _("inspection group")
        verbose_name_plural = _("inspection groups")
        ordering = ["campaign", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="inspection_group_unique")]

    def __str__(self) -> str:
        return self.name
