"""The region tree (province → village) keyed by the 12-digit statistical code, and the grids under towns.

The code is itself a materialised path with fixed segment widths, so a region's subtree is every code that
starts with its prefix: scoping filters ``region_id LIKE '361002101%'`` without joins or a second path column.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import Scope, ScopedQuerySet, region_q
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel

CODE_RE = re.compile(r"^\d{12}$")


def level_of_code(code: str) -> RegionLevel | None:
    """The level a well-formed code denotes (its significant prefix ends at a level boundary), else None."""
    if not CODE_RE.match(code):
        return None
    for level in reversed(RegionLevel):
        length = PREFIX_LENGTH[level]
        shorter = PREFIX_LENGTH.get(RegionLevel(level - 1), 0) if level > RegionLevel.PROVINCE else 0
        if code[length:] == "0" * (12 - length) and code[shorter:length].strip("0"):
            return level
    return None


class RegionQuerySet(ScopedQuerySet["Region"]):
    def subtree(self, region: Region) -> RegionQuerySet:
        return self.filter(code__startswith=region.prefix)


class Region(models.Model):
    """An administrative region (行政区划): province, city, county/district, town/street or village/community."""

    code = models.CharField(_("region code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="region_level_code_idx")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if scope.region_prefix:
            return Q(code__startswith=scope.region_prefix)
        return region_q(scope, "parent")

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[RegionLevel(self.level)]]

    def ancestors(self) -> list[Region]:
        """From the province down to the parent, in one query."""
        codes = [self.code[:length].ljust(12, "0") for level, length in PREFIX_LENGTH.items() if level < self.level]
        return list(Region.objects.filter(code__in=codes).order_by("level"))

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in [*self.ancestors(), self])

    def clean(self) -> None:
        level = level_of_code(self.code)
        if level is None:
            raise ValidationError({"code": _("A region code has 12 digits, zeros after its own level.")})
        if level != self.level:
            raise ValidationError(
                {"code": _("The code denotes a region of level “%(level)s”.") % {"level": level.label}}
            )
        if self.level == RegionLevel.PROVINCE:
            if self.parent_id:
                raise ValidationError({"parent": _("A province has no parent region.")})
            return
        if self.parent is None:
            raise ValidationError({"parent": _("Choose the parent region.")})
        if self.parent.level != self.level - 1 or not self.code.startswith(self.parent.prefix):
            raise ValidationError(
                {"parent": _("The parent must be the region one level up whose code this code continues.")}
            )


class Grid(models.Model):
    """A grid (网格): the smallest territorial cell under a town or village, with its grid staff."""

    code = models.CharField(_("grid code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="grids")
    description = models.CharField(_("description"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if scope.grid_id:
            return Q(pk=scope.grid_id)
        return region_q(scope)

    def clean(self) -> None:
        if self.region_id and self.region.level not in (RegionLevel.TOWN, RegionLevel.VILLAGE):
            raise ValidationError({"region": _("A grid lies in a town/street or a village/community.")})

    @property
    def town_code(self) -> str:
        return self.region_id[:9].ljust(12, "0") if self.region_id else ""
