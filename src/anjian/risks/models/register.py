"""The risk register of an enterprise, as the national 双重预防 interface chains it: risk object → risk unit →
risk event → control measure; with each event's assessments (versions kept) and the site plan for the map."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.models import TimeStampedModel
from anjian.core.scoping import Scope, ScopedQuerySet, enterprise_q
from anjian.risks.choices import (
    LEVEL_COLOURS,
    AccidentType,
    AssessmentMethod,
    ControlTier,
    CycleUnit,
    MeasureClass,
    RiskLevel,
    UnitKind,
)


class OfEnterprise:
    """Scoping of a register record: whoever may see its enterprise sees it (workers too: risks are announced)."""

    enterprise_path = "enterprise"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return enterprise_q(scope, cls.enterprise_path)


class AssessmentTable(models.Model):
    """A method's factor tables and level cut-offs, as data: the shipped defaults (``region`` empty) and a region's
    own (local standards differ); the most specific region above the enterprise wins."""

    method = models.CharField(_("method"), max_length=8, choices=AssessmentMethod.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    factors = models.JSONField(
        _("factors"), help_text=_('Each factor\'s allowed values with their meaning: {"L": [[10, "完全可以预料"], …]}.')
    )
    cutoffs = models.JSONField(
        _("cut-offs"),
        help_text=_(
            'From the worst level down: [{"level": "major", "min": 320, "inclusive": false}, …]; below the last: low.'
        ),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("assessment table")
        verbose_name_plural = _("assessment tables")
        constraints = [
            models.UniqueConstraint(fields=["method", "region"], name="assessment_table_unique"),
            models.UniqueConstraint(
                fields=["method"], condition=Q(region__isnull=True), name="assessment_table_default_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.region or ''}".strip()


def _site_plan_path(instance: SitePlan, filename: str) -> str:
    return f"risks/{instance.enterprise_id}/site-plan.jpg"


class SitePlan(OfEnterprise, models.Model):
    """The enterprise's site plan (平面布置图) on which its units are placed for the four-colour map."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="site_plan"
    )
    image = models.ImageField(_("site plan"), upload_to=_site_plan_path)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("site plan")
        verbose_name_plural = _("site plans")

    def __str__(self) -> str:
        return str(self.enterprise_id)


class RiskObject(OfEnterprise, TimeStampedModel):
    """风险分析对象: a plant, installation group or major hazard installation of the enterprise."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="risk_objects"
    )
    code = models.CharField(_("code"), max_length=40, help_text=_("hazardCode of the national interface."))
    name = models.CharField(_("name"), max_length=100)
    major_hazard_installation = models.BooleanField(_("major hazard installation"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk object")
        verbose_name_plural = _("risk objects")
        ordering = ["enterprise", "code"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="risk_object_code_unique")]

    def __str__(self) -> str:
        return self.name


class RiskUnit(OfEnterprise, TimeStampedModel):
    """风险分析单元 (风险点): an area, installation, post or activity, with its responsible department and person.
    Its level is its worst event's (kept by the assessment action), and its place on the site plan."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="risk_units"
    )
    risk_object = models.ForeignKey(
        RiskObject, verbose_name=_("risk object"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    department = models.CharField(_("responsible department"), max_length=60)
    responsible_person = models.CharField(_("responsible person"), max_length=32)
    post = models.CharField(_("post"), max_length=40, blank=True, help_text=_("The post whose list it is on."))
    level = models.CharField(_("level"), max_length=8, choices=RiskLevel.choices, blank=True)
    x = models.DecimalField(_("position across"), max_digits=5, decimal_places=4, null=True, blank=True)
    y = models.DecimalField(_("position down"), max_digits=5, decimal_places=4, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk unit")
        verbose_name_plural = _("risk units")
        ordering = ["enterprise", "name"]
        indexes = [models.Index(fields=["enterprise", "level"], name="risk_unit_enterprise_level_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def colour(self) -> str:
        return LEVEL_COLOURS[RiskLevel(self.level)] if self.level else ""


class RiskEvent(OfEnterprise, TimeStampedModel):
    """风险事件: what can go wrong in a unit, with the accident type it leads to (GB 6441); its current level and
    residual level come from its latest assessments."""

    enterprise_path = "unit__enterprise"

    unit = models.ForeignKey(RiskUnit, verbose_name=_("risk unit"), on_delete=models.CASCADE, related_name="events")
    name = models.CharField(_("name"), max_length=200)
    accident_type = models.CharField(_("accident type"), max_length=20, choices=AccidentType.choices)
    level = models.CharField(_("level"), max_length=8, choices=RiskLevel.choices, blank=True)
    residual_level = models.CharField(_("residual level"), max_length=8, choices=RiskLevel.choices, blank=True)
    reassess_by = models.DateField(_("reassess by"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk event")
        verbose_name_plural = _("risk events")
        ordering = ["unit", "pk"]

    def __str__(self) -> str:
        return self.name


class RiskAssessment(OfEnterprise, models.Model):
    """One assessment of an event by a method: its inputs, score, level and colour, and the table it used. A new
    assessment is a new version; history is kept. ``residual``: the risk left with the control measures in place."""

    enterprise_path = "event__unit__enterprise"

    event = models.ForeignKey(
        RiskEvent, verbose_name=_("risk event"), on_delete=models.CASCADE, related_name="assessments"
    )
    version = models.PositiveIntegerField(_("version"))
    method = models.CharField(_("method"), max_length=8, choices=AssessmentMethod.choices)
    inputs = models.JSONField(_("inputs"))
    score = models.DecimalField(_("score"), max_digits=10, decimal_places=2)
    level = models.CharField(_("level"), max_length=8, choices=RiskLevel.choices)
    colour = models.CharField(_("colour"), max_length=8)
    residual = models.BooleanField(_("residual risk"), default=False)
    table = models.ForeignKey(AssessmentTable, verbose_name=_("table"), on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["event", "-version"]
        constraints = [models.UniqueConstraint(fields=["event", "version"], name="risk_assessment_version_unique")]

    def __str__(self) -> str:
        return f"{self.event_id} v{self.version}: {self.score}"


class ControlMeasure(OfEnterprise, TimeStampedModel):
    """管控措施 of an event, classified as the national interface does, owned at a control tier, checked on a cycle
    within a daily work window by an assignee: the source of the check tasks."""

    enterprise_path = "event__unit__enterprise"

    event = models.ForeignKey(
        RiskEvent, verbose_name=_("risk event"), on_delete=models.CASCADE, related_name="measures"
    )
    description = models.TextField(_("measure"))
    check_content = models.TextField(_("what to check"))
    classify1 = models.CharField(_("class"), max_length=12, choices=MeasureClass.choices)
    classify2 = models.CharField(_("subclass"), max_length=20, blank=True)
    classify3 = models.CharField(_("detail class"), max_length=40, blank=True)
    control_tier = models.CharField(_("control tier"), max_length=10, choices=ControlTier.choices)
    cycle = models.PositiveSmallIntegerField(_("every"), default=1)
    cycle_unit = models.CharField(_("cycle"), max_length=8, choices=CycleUnit.choices)
    window_start = models.TimeField(_("work window from"), null=True, blank=True)
    window_end = models.TimeField(_("work window to"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="check_measures"
    )
    starts_on = models.DateField(_("checks from"))
    active = models.BooleanField(_("in force"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("control measure")
        verbose_name_plural = _("control measures")
        ordering = ["event", "pk"]
        constraints = [models.CheckConstraint(condition=Q(cycle__gte=1), name="measure_cycle_positive")]

    def __str__(self) -> str:
        return self.description[:40]
