"""Enforcement figures (监管执法, and the 打非治违 tallies) for any scope and period.

A figure counts only records its reader may see (each model's ``visible_to``), narrowed by region, industry,
enterprise and the acting department. The period [start, end] is in local dates: an inspection counts by the day
it started, a document by the day it was issued, a penalty case by the day it was decided, a hazard by the day it
was found.

- ``visits`` (检查家次): government inspections — every kind but the enterprise's self-inspection — started in the
  period; ``enterprises_inspected``: the distinct enterprises they visited.
- ``enterprises_in_scope`` (应检查企业): the enterprises in scope that are not closed, plus the closed ones visited
  in the period (they were open then; the registry keeps no closing date, and coverage must not exceed 1);
  ``coverage`` (检查覆盖率) = enterprises_inspected ÷ enterprises_in_scope, 4 places, None when there are none.
- ``hazards_found_by_inspection``: hazards found in the period by a government inspection; voided ones never count.
- ``documents_by_kind``: enforcement documents issued in the period (issued or served; drafts never), every kind
  present; ``documents_issued`` is their total.
- The 打非治违 tallies, over penalty cases decided in the period (decided, executed or closed — filed, notified,
  in hearing and withdrawn cases count nowhere): ``illegal_acts`` 打击非法违法行为(起) and ``violations``
  整治违章违规行为(起) are cases by their class; ``suspended_enterprises`` 停产整顿(家) and ``closed_enterprises``
  关闭取缔(家) are distinct enterprises with a suspension / closure; ``licences_withheld_or_revoked`` 暂扣吊销证照(个)
  counts those penalties; ``fines_yuan`` sums the fines and ``fines_wan`` 罚款(万元) is that ÷ 10 000 to 0.1 (half
  up); ``criminal_persons`` 追究刑事责任(人) sums the persons referred for criminal liability; ``cases_decided``
  counts every decided case (warnings too).

A ``department`` narrows to what that department did (its inspections, documents and cases; the hazards its
inspections found), and the denominator to the enterprises of its remit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from anjian.core.queries import plain_rows
from anjian.core.scoping import Scope, enterprise_q, in_region_q
from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise
from anjian.enterprises.queries import industry_q
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.inspections.choices import (
    DECIDED_STAGES,
    DocumentKind,
    DocumentStatus,
    InspectionKind,
    ViolationClass,
)
from anjian.inspections.models import EnforcementDocument, Inspection, PenaltyCase
from anjian.orgs.models import Department
from anjian.regions.models import Region
from anjian.stats.hazards import end_of_day, fields_of, rate
from anjian.stats.territory import counted

if TYPE_CHECKING:
    from collections.abc import Callable

    from anjian.stats.visit_tally import VisitKey

T = TypeVar("T")
VERSION = "enforcement"  # the RecordVersion of the tables these figures read (stats/0015's triggers)

YUAN_PER_WAN = Decimal(10000)


@dataclass(frozen=True)
class CrackdownFigures:
    """The 打非治违 tallies over the penalty cases decided in the period."""

    start: dt.date
    end: dt.date
    cases_decided: int
    illegal_acts: int
    violations: int
    suspended_enterprises: int
    licences_withheld_or_revoked: int
    closed_enterprises: int
    fines_yuan: Decimal
    fines_wan: Decimal
    criminal_persons: int

    def as_dict(self) -> dict[str, Any]:
        return fields_of(self)


@dataclass(frozen=True)
class InspectionFigures:
    start: dt.date
    end: dt.date
    visits: int
    enterprises_inspected: int
    enterprises_in_scope: int
    coverage: Decimal | None
    hazards_found_by_inspection: int
    documents_issued: int
    documents_by_kind: dict[str, int]
    cases_decided: int
    illegal_acts: int
    violations: int
    suspended_enterprises: int
    licences_withheld_or_revoked: int
    closed_enterprises: int
    fines_yuan: Decimal
    fines_wan: Decimal
    criminal_persons: int

    def as_dict(self) -> dict[str, Any]:
        return fields_of(self)


@dataclass(frozen=True)
class DepartmentFigures:
    """One department's enforcement in the period (within the reader's scope)."""

    department_id: int
    name: str
    visits: int
    cases_decided: int
    fines_yuan: Decimal


@dataclass(frozen=True)
class EnforcementRecords:
    """The enforcement records a figure counts: what ``user`` may see, in ``region``, of ``industry`` (an industry
    or category code), of one ``enterprise``, done by ``department`` — each optional."""

    user: Any
    region: Region | None = None
    industry: str | None = None
    department: Department | None = None
    enterprise: int | None = None

    def of_enterprises(self, path: str) -> Q:
        """The region, industry and enterprise narrowing, for the enterprise at ``path`` ("" for Enterprise)."""
        condition = in_region_q(self.user, self.region, path)
        if self.industry:
            condition &= industry_q(self.industry, path)
        if self.enterprise is not None:
            condition &= Q(**{f"{path}_id" if path else "pk": self.enterprise})
        return condition

    def memory_key(self) -> tuple[Any, ...]:
        """What a figure of these records depends on besides the tables: the reader's scope (not the reader), the
        narrowing and today's date."""
        return (
            Scope.for_user(self.user),
            self.region and self.region.pk,
            self.industry,
            self.department and self.department.pk,
            self.enterprise,
            timezone.localdate(),
        )

    def by_department(self, path: str = "department") -> Q:
        return Q(**{f"{path}_id": self.department.pk}) if self.department is not None else Q()

    def enterprises(self) -> QuerySet[Enterprise]:
        """Every enterprise in scope (whatever its status), within the department's remit when one is named."""
        enterprises = counted(Enterprise.objects.all(), self.user).filter(self.of_enterprises(""))
        if self.department is not None:
            enterprises = enterprises.filter(enterprise_q(Scope.of_department(self.department)))
        return enterprises

    def visits(self, start: dt.date, end: dt.date) -> QuerySet[Inspection]:
        """Government inspections started in [start, end] (local dates)."""
        return (
            counted(Inspection.objects.all(), self.user)
            .government()
            .filter(self.of_enterprises("enterprise"), self.by_department())
            .filter(started_at__gte=start_of_day(start), started_at__lt=end_of_day(end))
        )

    def visits_per(self, start: dt.date, end: dt.date, by: VisitKey) -> dict[str, int]:
        """Government inspections started in [start, end] per department (its id) or per sub-region one level
        below the region (its code prefix), counted over the inspections."""
        from anjian.stats.cube import Narrowing, child_length

        key: Any = F("department_id")
        if by == "subregion":
            key = Substr("enterprise__region_id", 1, child_length(Narrowing(self.user, self.region).root()))
        rows = self.visits(start, end).annotate(bucket=key).values_list("bucket").annotate(n=Count("pk"))
        return {str(bucket): n for bucket, n in rows.order_by()}

    def hazards_found(self, start: dt.date, end: dt.date) -> QuerySet[Hazard]:
        """Hazards found in [start, end] by a government inspection, voided ones left out."""
        return (
            counted(Hazard.objects.all(), self.user)
            .filter(inspection__isnull=False, found_on__gte=start, found_on__lte=end)
            .exclude(inspection__kind=InspectionKind.SELF)
            .exclude(status=HazardStatus.VOIDED)
            .filter(self.of_enterprises("enterprise"), self.by_department("inspection__department"))
        )

    def documents(self, start: dt.date, end: dt.date) -> QuerySet[EnforcementDocument]:
        """Documents issued in [start, end] (local dates); drafts never count."""
        return (
            counted(EnforcementDocument.objects.all(), self.user)
            .exclude(status=DocumentStatus.DRAFT)
            .filter(issued_at__gte=start_of_day(start), issued_at__lt=end_of_day(end))
            .filter(self.of_enterprises("enterprise"), self.by_department())
        )

    def decided_cases(self, start: dt.date, end: dt.date) -> QuerySet[PenaltyCase]:
        """Penalty cases decided in [start, end] (and possibly executed or closed since)."""
        return (
            counted(PenaltyCase.objects.all(), self.user)
            .filter(stage__in=sorted(DECIDED_STAGES), decided_on__gte=start, decided_on__lte=end)
            .filter(self.of_enterprises("enterprise"), self.by_department())
        )


def remembered(records: EnforcementRecords, what: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave before in this process for the same ``what`` and records while the tables the
    enforcement figures read are unchanged (``stats.remembered``; the version is read once per ``shared_reads``)."""
    from anjian.stats import remembered as memory
    from anjian.stats.cube import read_once

    version = read_once(("record_version", VERSION), lambda: memory.record_version(VERSION))
    key = (VERSION, *what, *records.memory_key())
    return memory.remembered(key, version, compute, recheck=lambda: memory.record_version(VERSION))


def visits_by(records: EnforcementRecords, start: dt.date, end: dt.date, by: VisitKey) -> dict[str, int]:
    """Visits per department (its id) or per sub-region one level below the region (its code prefix): off the
    inspection rollup when it answers, else from the inspections."""
    from anjian.stats import visit_tally

    def count() -> dict[str, int]:
        counts = visit_tally.visits_by(records, start, end, by)
        return counts if counts is not None else records.visits_per(start, end, by)

    return remembered(records, ("visits_by", start, end, by), count)


def start_of_day(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in local time."""
    return end_of_day(day - dt.timedelta(days=1))


def wan(yuan: Decimal) -> Decimal:
    """Yuan in 万元 to one decimal place (half up), as summaries quote fines."""
    return (yuan / YUAN_PER_WAN).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _fines() -> Coalesce:
    """The sum of the fines of the cases aggregated (0 when none)."""
    return Coalesce(Sum("fines_yuan"), Value(Decimal(0)))


def _crackdown(records: EnforcementRecords, start: dt.date, end: dt.date) -> CrackdownFigures:
    """One query over the cases alone: each case carries what its penalties add up to (``PenaltyCase.add_up``), and
    the index on the day decided covers every column read (the cases are counted by their department, never null:
    counting the id would fetch every row)."""
    figures = records.decided_cases(start, end).aggregate(
        cases_decided=Count("department"),
        illegal_acts=Count("department", filter=Q(violation_class=ViolationClass.ILLEGAL)),
        violations=Count("department", filter=Q(violation_class=ViolationClass.IRREGULAR)),
        suspended_enterprises=Count("enterprise", distinct=True, filter=Q(suspends=True)),
        licences_withheld_or_revoked=Coalesce(Sum("licence_penalties"), 0),
        closed_enterprises=Count("enterprise", distinct=True, filter=Q(closes=True)),
        fines_yuan=_fines(),
        criminal_persons=Coalesce(Sum("persons_referred"), 0),
    )
    fines = Decimal(figures.pop("fines_yuan")).quantize(Decimal("0.01"))
    return CrackdownFigures(start=start, end=end, fines_yuan=fines, fines_wan=wan(fines), **figures)


def crackdown_figures(
    user: Any,
    start: dt.date,
    end: dt.date,
    *,
    region: Region | None = None,
    industry: str | None = None,
    department: Department | None = None,
    enterprise: int | None = None,
) -> CrackdownFigures:
    """The 打非治违 tallies for what ``user`` may see (one query once the user's scope is known)."""
    records = EnforcementRecords(user, region, industry, department, enterprise)
    return remembered(records, ("crackdown", start, end), lambda: _crackdown(records, start, end))


def inspection_figures(
    user: Any,
    start: dt.date,
    end: dt.date,
    *,
    region: Region | None = None,
    industry: str | None = None,
    department: Department | None = None,
    enterprise: int | None = None,
) -> InspectionFigures:
    """Every enforcement figure for what ``user`` may see (six aggregate queries once the scope is known; a few
    more off the rollups, each of them small)."""
    records = EnforcementRecords(user, region, industry, department, enterprise)
    figures = remembered(records, ("inspection_figures", start, end), lambda: _enforcement(records, start, end))
    figures["documents_by_kind"] = dict(figures["documents_by_kind"])  # the caller's own, as the rest is
    return InspectionFigures(hazards_found_by_inspection=_hazards_found_count(records, start, end), **figures)


def _enforcement(records: EnforcementRecords, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Every enforcement figure but the hazards found (which hazards' actions change), as keyword arguments."""
    visits = records.visits(start, end)
    seen = _seen(records, start, end)
    # the closed enterprises visited, apart: a condition on every enterprise of a province costs more than a count
    enterprises = records.enterprises()
    closed = enterprises.filter(status=EnterpriseStatus.CLOSED)
    in_scope = _not_closed(records) + closed.filter(Exists(visits.filter(enterprise_id=OuterRef("pk")))).count()
    by_kind = dict(records.documents(start, end).values_list("kind").annotate(n=Count("pk")).order_by())
    documents = {kind.value: by_kind.get(kind.value, 0) for kind in DocumentKind}
    crackdown = fields_of(_crackdown(records, start, end))
    del crackdown["start"], crackdown["end"]
    return dict(
        start=start,
        end=end,
        enterprises_in_scope=in_scope,
        coverage=rate(seen["enterprises_inspected"], in_scope),
        documents_issued=sum(documents.values()),
        documents_by_kind=documents,
        visits=seen["visits"],
        enterprises_inspected=seen["enterprises_inspected"],
        **crackdown,
    )


def _not_closed(records: EnforcementRecords) -> int:
    """The enterprises in scope that are not closed: off the counts per county and status when they answer."""
    from anjian.stats import enterprise_tally
    from anjian.stats.cube import Narrowing

    narrowing = Narrowing(records.user, records.region, records.industry, records.department, records.enterprise)
    counted = enterprise_tally.not_closed(narrowing)
    if counted is not None:
        return counted
    return records.enterprises().exclude(status=EnterpriseStatus.CLOSED).count()


def _seen(records: EnforcementRecords, start: dt.date, end: dt.date) -> dict[str, int]:
    """Visits and the distinct enterprises visited: off the inspection rollup and each enterprise's months visited
    when both answer, else from the inspections."""
    from anjian.stats import visit_tally, visited

    per_region = visit_tally.visits_by(records, start, end, "subregion")
    inspected = visited.enterprises_visited(records, start, end) if per_region is not None else None
    if per_region is None or inspected is None:
        return records.visits(start, end).aggregate(
            visits=Count("pk"), enterprises_inspected=Count("enterprise", distinct=True)
        )
    return {"visits": sum(per_region.values()), "enterprises_inspected": inspected}


def _hazards_found_count(records: EnforcementRecords, start: dt.date, end: dt.date) -> int:
    """How many hazards government inspections found: off the rollups' inspection facet when they answer."""
    from anjian.stats import tally
    from anjian.stats.cube import Narrowing
    from anjian.stats.models import Facet

    narrowing = Narrowing(records.user, records.region, records.industry, records.department, records.enterprise)
    if not records.industry and tally.answers(narrowing, start, end, "source"):  # facet rows carry no category
        return tally.found_in(narrowing, start, end, Facet.INSPECTION)
    return records.hazards_found(start, end).count()


def by_department(
    user: Any,
    start: dt.date,
    end: dt.date,
    *,
    region: Region | None = None,
    industry: str | None = None,
    enterprise: int | None = None,
    departments: QuerySet[Department] | None = None,
) -> list[DepartmentFigures]:
    """Visits, cases decided and fines per acting department, in the departments' order (three queries).

    Rows for ``departments`` when given (zeros included: the ones that did nothing are the point of comparing);
    otherwise for every department with a visit or a decided case in the period."""
    records = EnforcementRecords(user, region, industry, None, enterprise)
    if departments is None:
        return remembered(records, ("by_department", start, end), lambda: _by_department(records, start, end, None))
    return _by_department(records, start, end, departments)


def _by_department(
    records: EnforcementRecords, start: dt.date, end: dt.date, departments: QuerySet[Department] | None
) -> list[DepartmentFigures]:
    visits = {int(pk): n for pk, n in visits_by(records, start, end, "department").items()}
    cases = {
        department: (n, fines)
        for department, n, fines in plain_rows(
            records.decided_cases(start, end)
            .values("department")
            .annotate(n=Count("department"), fines=_fines())  # not the id: the index on the day decided covers it
            .order_by()
            .values_list("department", "n", "fines")
        )
    }
    if departments is None:  # in the departments' order (a region's is its code's: no join to the regions)
        departments = Department.objects.filter(pk__any_of={*visits, *cases}).order_by(
            "region_id", "sort_order", "name"
        )
    rows = []
    cent = Decimal("0.01")
    for pk, name in plain_rows(departments.values_list("pk", "name")):
        decided, fines = cases.get(pk, (0, 0))
        rows.append(
            DepartmentFigures(
                department_id=pk,
                name=name,
                visits=visits.get(pk, 0),
                cases_decided=decided,
                fines_yuan=Decimal(fines).quantize(cent),
            )
        )
    return rows
