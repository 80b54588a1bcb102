"""The one criteria catalogue (三标合一): standards and their clauses, and checklists built from them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.inspections.choices import ClauseCategory


class CriteriaStandard(models.Model):
    """A standard inspectors check against, e.g. 工贸企业重大事故隐患判定标准 (应急管理部令第10号). A 判定标准
    (``major_criteria``) makes every failed clause propose a major hazard."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    document_no = models.CharField(_("document number"), max_length=60, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=60, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    industries = models.ManyToManyField(
        "enterprises.Industry",
        verbose_name=_("industries"),
        blank=True,
        related_name="criteria_standards",
        help_text=_("Categories or industries it applies to; none: every industry."),
    )
    major_criteria = models.BooleanField(
        _("criteria for major hazards"),
        default=False,
        help_text=_("A failed clause of this standard proposes a major hazard (重大事故隐患判定标准)."),
    )
    active = models.BooleanField(_("in use"), default=True)
    note = models.TextField(_("note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criteria standard")
        verbose_name_plural = _("criteria standards")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.title


class CriteriaClause(models.Model):
    """One article or item of a standard (e.g. 第十二条（三）干式除尘系统未采取泄爆、惰化、抑爆等任一种措施)."""

    standard = models.ForeignKey(
        CriteriaStandard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="clauses"
    )
    number = models.CharField(_("article / item"), max_length=40)
    category = models.CharField(_("category"), max_length=12, choices=ClauseCategory.choices)
    heading = models.CharField(_("heading"), max_length=60, blank=True)  # e.g. 粉尘爆炸
    text = models.TextField(_("text"))
    wording_unconfirmed = models.BooleanField(
        _("wording unconfirmed"), default=False, help_text=_("The text was not checked against an official copy.")
    )
    tags = models.ManyToManyField(
        "enterprises.Tag", verbose_name=_("key-sector tags"), blank=True, related_name="criteria_clauses"
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criteria clause")
        verbose_name_plural = _("criteria clauses")
        ordering = ["standard", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="clause_standard_number_unique")]

    def __str__(self) -> str:
        return f"{self.standard.document_no or self.standard.title} {self.number}"

    @property
    def proposes_major(self) -> bool:
        return self.standard.major_criteria


class Checklist(models.Model):
    """A checklist (检查表) for an industry: clauses of the catalogue plus general items, used alike for an
    enterprise's self-inspection, a government inspection and a standardisation review."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    industry = models.ForeignKey(
        "enterprises.Industry",
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklists",
        help_text=_("A category or an industry; none: every industry."),
    )
    tag = models.ForeignKey(
        "enterprises.Tag",
        verbose_name=_("key-sector tag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklists",
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One line of a checklist: a catalogue clause, or a general item in the checklist's own words."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    clause = models.ForeignKey(
        CriteriaClause,
        verbose_name=_("criteria clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklist_items",
    )
    text = models.TextField(_("what to check"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
