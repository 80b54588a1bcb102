"""Rollups of the hazard ledger and of the inspections (``stats.tally``, ``stats.visit_tally``): counts kept current
in the same transaction as every change of a hazard or an inspection, so province and city figures are read off a
few thousand rows instead of millions, with no stale window.

The tables hold counts only; ``anjian manage rebuild_tallies`` recomputes them exactly from the ledger and
``anjian manage rebuild_tallies --check`` compares them with it.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.stats.summary.periods import PeriodKind

# closed_month of a hazard that is not closed: later than any month, so "closed by the end of month M" is
# ``closed_month <= M`` for every row.
OPEN_MONTH = dt.date(9999, 12, 1)
# deadline of an open-hazard tally row that counts the open hazards of every deadline before the day the rows were
# last compacted (``tally.compact``): every figure read off those rows is "deadline < a day ≥ today", which the
# folded row answers as well as the rows it replaced — a province's overdue hazards are a few hundred rows, not
# one per (region, category, level, facet value, day).
PAST_DEADLINE = dt.date(1, 1, 1)


class Facet(models.TextChoices):
    """What a row breaks the count down by besides county, category, month and level ('' = nothing: the totals)."""

    NONE = "", _("Totals")
    SOURCE = "source", _("Source")
    TYPE = "type", _("Hazard type")
    MANAGEMENT = "management", _("Management classification")
    TOWN = "town", _("Town")  # value: the town's 9-digit prefix
    DEPARTMENT = "department", _("Finding department")  # value: its id (hazards with a finding department only)
    INSPECTION = "inspection", _("Inspecting department")  # found by a government inspection; value: its department
    # The totals and the two above by year: found_month is the 1st of January of the year found, closed_month of
    # the year closed (OPEN_MONTH's year while open). A period from a 1st of January to today (本年) reads a row per
    # year, level and year closed instead of one per month found, month closed and level.
    YEAR = "year", _("Totals, by year")  # the totals rows, by year (every tier)
    # Open hazards only (OpenHazardTally, every tier): by month found, value "YYYY-MM" — the trend's overdue column
    FOUND = "found", _("Month found")
    DEPARTMENT_YEAR = "dept_year", _("Finding department, by year")
    INSPECTION_YEAR = "insp_year", _("Inspecting department, by year")


class Tier(models.IntegerChoices):
    """Which regions a rollup row counts for, by the digits of their code: every hazard is counted three times, in
    its county's row, its city's and its province's, so a province's figures are read off its own rows (a few
    thousand) rather than summed over the rows of every county in it."""

    PROVINCE = 2, _("Province")
    CITY = 4, _("City")
    COUNTY = 6, _("County")


class RegionTally(models.Model):
    """What every rollup row holds: the region it counts for (``tier``, ``county``), the industry category, the
    facet it breaks the count down by (with its value), and the count."""

    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, default=Tier.COUNTY)
    county = models.CharField(_("region"), max_length=12, help_text=_("The 12-digit code of the tier's region."))
    category = models.CharField(_("industry category"), max_length=8, blank=True)
    facet = models.CharField(_("facet"), max_length=12, choices=Facet.choices, blank=True)
    value = models.CharField(_("value"), max_length=32, blank=True)
    n = models.IntegerField(_("count"), default=0)

    class Meta:
        abstract = True


class HazardTally(RegionTally):
    """Hazards (not voided) of one region (a county, city or province: ``tier``) × industry category × month found
    × month closed × level, optionally broken down by one facet (those rows carry no category; the town facet is
    kept at the county tier only)."""

    found_month = models.DateField(_("month found"))
    closed_month = models.DateField(_("month closed"))
    level = models.CharField(_("level"), max_length=10)

    class Meta:
        verbose_name = _("hazard tally")
        verbose_name_plural = _("hazard tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "found_month", "tier", "county", "category", "closed_month", "level", "value"],
                name="hazard_tally_key",
            )
        ]
        # a region's rows of one facet (its dashboard), and those of its cities or counties (its breakdown by
        # sub-region: a prefix of the code, so the pattern operator class, which LIKE can use under any collation)
        indexes = [
            models.Index(
                fields=["tier", "facet", "county", "found_month"],
                opclasses=["", "", "varchar_pattern_ops", ""],
                name="hazard_tally_facet_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.category} {self.found_month:%Y-%m} {self.facet}={self.value}: {self.n}"


class OpenHazardTally(RegionTally):
    """Open hazards (registered, rectifying, awaiting acceptance) with a deadline, of one region (``tier``, as in
    ``HazardTally``) × category × level × deadline, optionally by one facet: overdue at ``day`` (today or later) is
    the sum over ``deadline < day``. The deadlines before the last compaction are folded into ``PAST_DEADLINE``."""

    level = models.CharField(_("level"), max_length=10)
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("open hazard tally")
        verbose_name_plural = _("open hazard tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "deadline", "tier", "county", "category", "level", "value"],
                name="open_hazard_tally_key",
            )
        ]
        # as HazardTally's, with the rest of the row: overdue sums (every deadline before a day: a region's open
        # rows of every past day) are read off the index alone
        indexes = [
            models.Index(
                fields=["tier", "facet", "county", "deadline"],
                opclasses=["", "", "varchar_pattern_ops", ""],
                include=["category", "level", "value", "n"],
                name="open_hazard_tally_facet_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.category} {self.deadline} {self.facet}={self.value}: {self.n}"


class VisitTally(RegionTally):
    """Government inspections (检查家次: every kind but the enterprise's self-inspection) of one region (``tier``,
    as in ``HazardTally``) × industry category × month started (local), optionally by one facet: the town
    (``Facet.TOWN``) or the inspecting department (``Facet.INSPECTION``), both kept at the county tier only and
    without category."""

    month = models.DateField(_("month started"))

    class Meta:
        verbose_name = _("inspection tally")
        verbose_name_plural = _("inspection tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "month", "tier", "county", "category", "value"], name="visit_tally_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["tier", "facet", "county", "month"],
                opclasses=["", "", "varchar_pattern_ops", ""],
                include=["category", "value", "n"],
                name="visit_tally_facet_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.category} {self.month:%Y-%m} {self.facet}={self.value}: {self.n}"


class EnterpriseOverdueTally(models.Model):
    """One enterprise's hazards open past their deadline as of ``as_of``: how many, how many of them major, and the
    oldest deadline (``stats.overdue_tally``). Every change of the enterprise's hazards recounts its row from the
    ledger as of that day, and the nightly compaction recounts every row as of the new day; while every row is as
    of today, the most overdue enterprises of a province are the first rows of the ranking index instead of a
    grouping of its 100 k overdue hazards by enterprise."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    as_of = models.DateField(_("as of"))
    n = models.IntegerField(_("overdue hazards"), default=0)
    major = models.IntegerField(_("major overdue hazards"), default=0)
    oldest = models.DateField(_("oldest deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise overdue tally")
        verbose_name_plural = _("enterprise overdue tallies")
        indexes = [
            # the ranking: most first, ties by the oldest deadline, then the id (``cube.most_overdue_enterprises``)
            models.Index(fields=["-n", "oldest", "enterprise"], name="enterprise_overdue_rank_idx"),
            models.Index(fields=["as_of"], name="enterprise_overdue_as_of_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.as_of}: {self.n}"


class RegionBoundary(models.Model):
    """The approved boundary of a region (a GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude), loaded by
    a deployer from its surveying authority with ``anjian manage load_boundaries``; the dashboards' region map draws
    it. None ship with anjian: without them the map draws schematic tiles."""

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="boundary"
    )
    geojson = models.JSONField(_("geometry (GeoJSON)"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return str(self.region_id)


class SummaryTemplate(models.Model):
    """The 下步工作 (next steps) text of the work summaries of a region — or the default one (no region) — for one
    kind of period or for any (blank). The 安委办 of the region edits it; summaries use the nearest region's."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="summary_templates",
        help_text=_("Empty: the default for every region without its own."),
    )
    period_kind = models.CharField(
        _("kind of period"),
        max_length=12,
        choices=PeriodKind.choices,
        blank=True,
        help_text=_("Empty: summaries of any period."),
    )
    body = models.TextField(
        _("next steps"),
        help_text=_(
            "One paragraph a line. Placeholders: {region}, {whole}, {year}, {next_year}, {period}. "
            "A line opening with （一）… prints its first sentence in bold."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        "orgs.User", verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("summary template")
        verbose_name_plural = _("summary templates")
        ordering = ["region", "period_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period_kind"],
                condition=models.Q(region__isnull=False),
                name="summary_template_region_kind",
            ),
            models.UniqueConstraint(
                fields=["period_kind"], condition=models.Q(region__isnull=True), name="summary_template_default_kind"
            ),
        ]

    def __str__(self) -> str:
        where = str(self.region) if self.region_id else _("Default")
        kind = self.get_period_kind_display() or _("any period")
        return f"{where} · {kind}"


class EnterpriseVisitYear(models.Model):
    """The months of one year in which an enterprise had a government inspection (检查家次: every kind but its own
    self-inspection), as bits (bit 0: January, local time), and the county it lies in (``stats.visited``): how many
    distinct enterprises a province's inspections visited in months of one year is a count of these rows, not a
    distinct count over its 165 k inspections."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    months = models.PositiveIntegerField(_("months visited"), default=0)
    county = models.CharField(_("county"), max_length=12, help_text=_("The 12-digit code of its county."))

    class Meta:
        verbose_name = _("enterprise visit year")
        verbose_name_plural = _("enterprise visit years")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="enterprise_visit_year_key")]
        # a region's enterprises of a year (its county code's prefix: the pattern operator class), with the months
        indexes = [
            models.Index(
                fields=["year", "county"],
                opclasses=["", "varchar_pattern_ops"],
                include=["months"],
                name="enterprise_visit_year_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}: {self.months:012b}"


class FirstVisitTally(models.Model):
    """How many enterprises of a county had their first government inspection of a year in each month (``first``:
    that month's bit of ``EnterpriseVisitYear.months``, 1 for January … 2048 for December; ``stats.visited``): the
    enterprises a province's inspections visited from January to a month are a sum of a few hundred of these rows,
    not a count of its 70 k enterprises' rows of the year."""

    county = models.CharField(_("county"), max_length=12, help_text=_("The 12-digit code of its county."))
    year = models.PositiveSmallIntegerField(_("year"))
    first = models.PositiveIntegerField(_("first month visited"))
    n = models.IntegerField(_("enterprises"), default=0)

    class Meta:
        verbose_name = _("first visit tally")
        verbose_name_plural = _("first visit tallies")
        constraints = [models.UniqueConstraint(fields=["county", "year", "first"], name="first_visit_tally_key")]

    def __str__(self) -> str:
        return f"{self.county} {self.year} {self.first:012b}: {self.n}"


class EnterpriseTally(models.Model):
    """How many enterprises each county holds in each status (``stats.enterprise_tally``): the enterprises in scope
    of a province's inspection coverage (every one not closed) are a sum of a few hundred rows, not a count of its
    100 k enterprises."""

    county = models.CharField(_("county"), max_length=12, help_text=_("The 12-digit code of its county."))
    status = models.CharField(_("status"), max_length=12)
    n = models.IntegerField(_("enterprises"), default=0)

    class Meta:
        verbose_name = _("enterprise tally")
        verbose_name_plural = _("enterprise tallies")
        constraints = [models.UniqueConstraint(fields=["county", "status"], name="enterprise_tally_key")]

    def __str__(self) -> str:
        return f"{self.county} {self.status}: {self.n}"


class HazardYearVersion(models.Model):
    """How many times the hazards a county found in a year have changed (``stats.remembered``): bumped in the
    transaction of every counted change of one of them, so a figure of a past period is still the ledger's answer
    while the versions of its counties and years stay as they were. County '' and year 0: the epoch, bumped when the
    rollups are rebuilt."""

    county = models.CharField(_("county"), max_length=12, help_text=_("The 12-digit code of its county."))
    year = models.PositiveSmallIntegerField(_("year found"))
    n = models.BigIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("hazard year version")
        verbose_name_plural = _("hazard year versions")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="hazard_year_version_key")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}: {self.n}"


class RecordVersion(models.Model):
    """How many transactions have changed a group of tables (``stats.remembered``): on PostgreSQL, triggers add one
    when a transaction that wrote any table of the group commits, whoever wrote it (an action, a bulk load, SQL by
    hand), so figures computed from those tables are still the database's answer while the number stays the same.
    ``enforcement``: the inspections, enforcement documents, penalty cases, enterprises, departments and the
    rollups of visits and enterprises that the enforcement figures read."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    n = models.BigIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("record version")
        verbose_name_plural = _("record versions")

    def __str__(self) -> str:
        return f"{self.name}: {self.n}"
