"""Inspections (with their officers and joint departments) and the penalty cases some of them lead to.

The inspection plan is made first, day by day in time order, and kept in compact arrays: the hazard pass reads
back who inspected whom on which day and how many hazards each visit found, and the penalty pass which visits led
to a case. Ids therefore grow with time, as in a database that has been in use for years.
"""

from __future__ import annotations

from array import array
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from types import SimpleNamespace
from typing import Any

from anjian.demo.inspections_data import CASES, CaseSpec
from anjian.hazards.major import notice_issuer
from anjian.inspections.choices import (
    CASE_ABBREVIATION,
    CASE_SEQUENCE,
    ENFORCEMENT_KINDS,
    InspectionKind,
    PenaltyKind,
    PenaltyStage,
    ViolationClass,
)
from anjian.inspections.models import Inspection, PenaltyCase, PenaltyItem
from anjian.inspections.models.enforcement import ITEM_TOTALS, item_totals
from anjian.orgs.models import Department
from anjian.stats.generate import words
from anjian.stats.generate.loader import NULL, Calendar, Loader, escape
from anjian.stats.generate.params import Params
from anjian.stats.generate.world import Area, Registry, allocate, rng_for

WEEKDAY_WEIGHT = (1.0, 1.0, 1.0, 1.0, 0.95, 0.25, 0.15)
MONTH_WEIGHT = (0.8, 0.7, 1.1, 1.0, 1.0, 1.2, 1.0, 0.95, 1.1, 1.0, 1.05, 1.15)  # June: 安全生产月; year-end drives

# Government inspection kinds and their shares; a tenth of all inspections are the enterprises' own.
GOVERNMENT_KINDS = (
    (InspectionKind.ROUTINE, 45),
    (InspectionKind.RANDOM, 15),
    (InspectionKind.UNANNOUNCED, 12),
    (InspectionKind.KEY_PERIOD, 10),
    (InspectionKind.JOINT, 8),
    (InspectionKind.EXPERT, 5),
    (InspectionKind.STANDARDIZATION, 5),
)
SELF_INSPECTION_SHARE = 0.1
CITY_INSPECTION_SHARE = 0.12
KINDS = [InspectionKind.SELF, *(k for k, _w in GOVERNMENT_KINDS)]
FOUND_BY_GOVERNMENT = (0, 1, 2, 3, 4, 5, 6, 8)
FOUND_BY_GOVERNMENT_WEIGHTS = (20, 20, 20, 15, 10, 7, 5, 3)
FOUND_BY_SELF = (0, 1, 1, 2, 2, 3, 4)

INSPECTION_COLUMNS = [
    "id",
    "enterprise_id",
    "kind",
    "department_id",
    "status",
    "started_at",
    "completed_at",
    "place",
    "latitude",
    "longitude",
    "summary",
    "handling",
    "enterprise_signer",
    "signature_refused",
    "created_by_id",
    "created_at",
    "updated_at",
]

CASE_COLUMNS = [
    "id",
    "enterprise_id",
    "department_id",
    "case_number",
    "stage",
    "violation_class",
    "facts",
    "legal_basis",
    "on_major_hazard",
    "inspection_id",
    "hazard_id",
    "filed_on",
    "hearing_requested",
    "decided_on",
    "executed_on",
    "closed_on",
    "created_by_id",
    "created_at",
    "updated_at",
    *ITEM_TOTALS,
]


@dataclass
class Plan:
    """The inspections, one entry per inspection in time order (its id is ``first`` + its index)."""

    first: int
    window: range  # the days of the activity window
    start: list[int] = field(default_factory=list)  # per window day: index of its first inspection
    enterprise: array[int] = field(default_factory=lambda: array("l"))  # ordinal
    day: array[int] = field(default_factory=lambda: array("l"))
    department: array[int] = field(default_factory=lambda: array("l"))  # 0: a self-inspection
    kind: array[int] = field(default_factory=lambda: array("b"))  # index in KINDS
    found: array[int] = field(default_factory=lambda: array("b"))  # hazards it finds
    lead: array[int] = field(default_factory=lambda: array("l"))  # user id, 0: none
    minute: array[int] = field(default_factory=lambda: array("h"))
    joint: dict[int, list[int]] = field(default_factory=dict)  # index → the joint departments
    cases: dict[int, int] = field(default_factory=dict)  # index of an inspection that leads to a case → hazard id


def day_weights(calendar: Calendar, window: range) -> list[float]:
    """Running sums of how busy each day of the window is: weekends quiet, June (安全生产月) and year-end busy."""
    base = calendar.base
    return list(
        accumulate(
            WEEKDAY_WEIGHT[calendar.weekday[d - base]] * MONTH_WEIGHT[calendar.month[d - base] - 1] for d in window
        )
    )


def plan_inspections(params: Params, loader: Loader, registry: Registry) -> Plan:
    """Who inspects whom on which day, and how many hazards each inspection finds (within the hazard budget)."""
    calendar = loader.calendar
    last = calendar.today - 1
    window = range(last - params.days + 1, last + 1)
    plan = Plan(first=loader.start_id(Inspection), window=window)
    per_day = allocate(params.inspections, day_weights(calendar, window))
    cumulative = list(accumulate(registry.weight))
    total_weight = cumulative[-1]
    kind_cumulative = list(accumulate(w for _k, w in GOVERNMENT_KINDS))
    found_cumulative = list(accumulate(FOUND_BY_GOVERNMENT_WEIGHTS))
    budget = params.hazards
    n_enterprises = len(cumulative)
    holders = sorted(registry.account)  # enterprises with an account: only they can record a self-inspection
    county_of = [registry.counties[town.parent] for town in registry.towns]
    joint = KINDS.index(InspectionKind.JOINT)

    known: dict[tuple[str, tuple[str, ...]], tuple[int, ...]] = {}

    def supervisors(area: Area, remit: tuple[str, ...]) -> tuple[int, ...]:
        """The area's regulators whose remit covers the enterprise (its 应急局 when none does)."""
        key = (area.code, remit)
        if key not in known:
            known[key] = tuple(area.regulators[short] for short in remit) or (area.regulators["应急局"],)
        return known[key]

    holder_cumulative = list(accumulate(registry.weight[e] for e in holders))
    for i, day in enumerate(window):
        plan.start.append(len(plan.day))
        rng = rng_for(params, f"inspections/{i}")
        rnd = rng.random
        for _ in range(per_day[i]):
            minute = 510 + int(rnd() * 450)
            if holders and rnd() < SELF_INSPECTION_SHARE:  # recorded by the enterprise's own account
                e = holders[min(bisect(holder_cumulative, rnd() * holder_cumulative[-1]), len(holders) - 1)]
                kind, department, lead = 0, 0, registry.account[e]
                found = FOUND_BY_SELF[int(rnd() * len(FOUND_BY_SELF))]
            else:
                e = min(bisect(cumulative, rnd() * total_weight), n_enterprises - 1)
                kind = 1 + bisect(kind_cumulative, rnd() * kind_cumulative[-1])
                county = county_of[registry.town[e]]
                area = registry.cities[county.parent] if rnd() < CITY_INSPECTION_SHARE else county
                candidates = supervisors(area, registry.remit[e])
                department = candidates[int(rnd() * len(candidates))]
                staff = registry.staff[department]
                lead = staff[int(rnd() * len(staff))]
                found = FOUND_BY_GOVERNMENT[bisect(found_cumulative, rnd() * found_cumulative[-1])]
                if kind == joint:
                    others = [d for d in area.regulators.values() if d != department]
                    plan.joint[len(plan.day)] = rng.sample(others, min(len(others), 1 + int(rnd() * 2)))
            found = min(found, budget)
            budget -= found
            plan.enterprise.append(e)
            plan.day.append(day)
            plan.department.append(department)
            plan.kind.append(kind)
            plan.found.append(found)
            plan.lead.append(lead)
            plan.minute.append(minute)
    plan.start.append(len(plan.day))
    eligible = [j for j in range(len(plan.day)) if KINDS[plan.kind[j]] in ENFORCEMENT_KINDS]
    chosen = rng_for(params, "cases").sample(eligible, min(params.penalties, len(eligible)))
    plan.cases = dict.fromkeys(sorted(chosen), 0)
    return plan


def inspection_lines(params: Params, loader: Loader, registry: Registry, plan: Plan) -> Iterator[str]:
    """The inspection rows in id order: a visit of 40 minutes to 3 hours at the enterprise's address, signed by its
    principal; the last two days' visits are sometimes still in progress."""
    calendar = loader.calendar
    prefix, clock, base = calendar.prefix, calendar.clock_from_eight, calendar.base  # every minute here is ≥ 08:30
    last = calendar.today - 1
    false = calendar.false
    rnd = rng_for(params, "inspection-texts").random
    kinds = [str(k) for k in KINDS]
    summaries = [[words.NO_FINDINGS] * 2] + [
        [text.format(k=k) for text in words.INSPECTION_SUMMARIES] for k in range(1, 9)
    ]
    handlings = words.HANDLINGS
    ids, place, principal = registry.enterprise_ids, registry.place, registry.principal
    for j in range(len(plan.day)):
        e, day, minute, found = plan.enterprise[j], plan.day[j], plan.minute[j], plan.found[j]
        department = plan.department[j]
        started = prefix[day - base] + clock[minute]
        in_progress = day >= last - 1 and rnd() < 0.3
        if in_progress:
            ended, status, updated = NULL, "in_progress", started
        else:
            ended = prefix[day - base] + clock[minute + 40 + int(rnd() * 140)]
            status, updated = "completed", ended
        handling = handlings[int(rnd() * len(handlings))] if found else ""
        yield (
            f"{plan.first + j}\t{ids[e]}\t{kinds[plan.kind[j]]}\t{department or NULL}\t{status}\t{started}\t"
            f"{ended}\t{place[e]}\t{summaries[found][j % 2]}\t{handling}\t{principal[e]}\t{false}\t"
            f"{plan.lead[j] or NULL}\t{started}\t{updated}"
        )


def officer_lines(registry: Registry, plan: Plan, first: int) -> Iterator[str]:
    """Both inspectors of the department on every government inspection (a law-enforcement one needs two)."""
    n = first
    for j in range(len(plan.day)):
        department = plan.department[j]
        if department:
            for user in registry.staff[department]:
                yield f"{n}\t{plan.first + j}\t{user}"
                n += 1


def officer_count(registry: Registry, plan: Plan) -> int:
    """How many rows ``officer_lines`` yields (for the progress bar)."""
    return sum(len(registry.staff[d]) for d in plan.department if d)


def joint_lines(plan: Plan, first: int) -> Iterator[str]:
    """The other departments of the same area taking part in each joint inspection."""
    n = first
    for j, departments in plan.joint.items():
        for department in departments:
            yield f"{n}\t{plan.first + j}\t{department}"
            n += 1


GENERIC_CASE = CaseSpec(
    "应急局", (), ViolationClass.IRREGULAR, "", words.GENERIC_FACTS, words.GENERIC_BASIS, (10000, 50000)
)
STAGES = (PenaltyStage.NOTIFIED, PenaltyStage.DECIDED, PenaltyStage.EXECUTED, PenaltyStage.CLOSED)


@dataclass
class CasePass:
    items: list[str] = field(default_factory=list)
    sequences: dict[tuple[int, int], int] = field(default_factory=dict)  # (department, year) → last serial


def case_lines(
    params: Params, loader: Loader, registry: Registry, plan: Plan, majors: set[int], state: CasePass
) -> Iterator[str]:
    """A penalty case for each chosen inspection: 立案 a few days later, then 告知 → (听证) → 决定 → 执行 → 结案 as far
    as the days allow; numbered per department and year like the application numbers them."""
    calendar = loader.calendar
    iso, base, stamp, last = calendar.iso, calendar.base, calendar.stamp, calendar.today - 1
    rng = rng_for(params, "penalties")
    rnd = rng.random
    specs = [(spec.industries, spec) for spec in CASES]  # the demo county's cases, by the industries they fit
    issuers = {
        pk: notice_issuer(SimpleNamespace(short_name=short, name=name, region=SimpleNamespace(name=region)))
        for pk, short, name, region in Department.objects.filter(
            pk__in={plan.department[j] for j in plan.cases}
        ).values_list("pk", "short_name", "name", "region__name")
    }
    case_id = loader.start_id(PenaltyCase)
    item_id = loader.start_id(PenaltyItem)
    true, false = calendar.true, calendar.false

    def emit() -> Iterator[str]:
        nonlocal case_id, item_id

        for j, hazard in plan.cases.items():
            e, department = plan.enterprise[j], plan.department[j]
            industry = registry.industry[e]
            fitting = [spec for codes, spec in specs if any(industry.startswith(c) for c in codes)]
            spec = fitting[int(rnd() * len(fitting))] if fitting else GENERIC_CASE
            filed = min(plan.day[j] + 1 + int(rnd() * 10), last)
            year = calendar.year[filed - base]
            serial = state.sequences.get((department, year), 0) + 1
            state.sequences[(department, year)] = serial
            hearing = rnd() < 0.08
            notified = filed + 2 + int(rnd() * 3)
            decided = notified + 7 + int(rnd() * 6) + (10 if hearing else 0)
            executed = decided + 6 + int(rnd() * 11)
            closed_on = executed + 3 + int(rnd() * 8)
            withdrawn = rnd() < 0.03
            stop = PenaltyStage.EXECUTED if rnd() < 0.05 else PenaltyStage.CLOSED
            stage, latest = PenaltyStage.FILED, filed
            for candidate, when in zip(STAGES, (notified, decided, executed, closed_on), strict=True):
                if when > last or (withdrawn and candidate == PenaltyStage.DECIDED):
                    break
                stage, latest = candidate, when
                if candidate == stop:
                    break
            if withdrawn and stage == PenaltyStage.NOTIFIED and notified + 5 <= last:
                stage, latest = PenaltyStage.WITHDRAWN, notified + 5
            elif hearing and stage == PenaltyStage.NOTIFIED and notified + 3 <= last:
                stage, latest = PenaltyStage.HEARING, notified + 3
            reached = STAGES.index(stage) if stage in STAGES else -1

            def on(day: int, needed: PenaltyStage, reached: int = reached) -> str:
                return iso[day - base] if reached >= STAGES.index(needed) else NULL

            lead = plan.lead[j]
            low, high = spec.fine
            amount = low + 1000 * int(rnd() * ((high - low) // 1000 + 1))
            state.items.append(f"{item_id}\t{case_id}\t{PenaltyKind.FINE}\t{amount}.00\t{NULL}\t{NULL}")
            item_id += 1
            penalties: list[tuple[str, Decimal | None, int | None]] = [(PenaltyKind.FINE, Decimal(amount), None)]
            for kind in spec.penalties:
                licence, persons = NULL, NULL
                if kind == PenaltyKind.CLOSURE:
                    continue  # the registry keeps the enterprise open: no closure without its closing
                if kind in (PenaltyKind.LICENCE_WITHHOLD, PenaltyKind.LICENCE_REVOKE):
                    held = registry.licences.get(e, {}).get(spec.licence or "")
                    if held is None:
                        continue
                    licence = str(held)
                if kind == PenaltyKind.JUDICIAL_REFERRAL:
                    persons = "1"
                state.items.append(f"{item_id}\t{case_id}\t{kind}\t{NULL}\t{licence}\t{persons}")
                item_id += 1
                penalties.append((kind, None, None if persons == NULL else int(persons)))
            if spec is GENERIC_CASE and rnd() < 0.2:
                state.items.append(f"{item_id}\t{case_id}\t{PenaltyKind.WARNING}\t{NULL}\t{NULL}\t{NULL}")
                item_id += 1
            added = item_totals(penalties)  # the case's totals, as the filing action sets them
            totals = [_copy_value(added[name], true, false) for name in ITEM_TOTALS]
            yield (
                f"{case_id}\t{registry.enterprise_ids[e]}\t{department}\t"
                f"{issuers[department]}{CASE_ABBREVIATION}〔{year}〕{serial}号\t{stage}\t{spec.violation}\t"
                f"{escape(spec.facts)}。\t{escape(spec.basis)}\t{true if hazard in majors else false}\t"
                f"{plan.first + j}\t"
                f"{hazard or NULL}\t{iso[filed - base]}\t{true if hearing else false}\t"
                f"{on(decided, PenaltyStage.DECIDED)}\t{on(executed, PenaltyStage.EXECUTED)}\t"
                f"{on(closed_on, PenaltyStage.CLOSED)}\t{lead or NULL}\t{stamp(filed, 600)}\t{stamp(latest, 900)}\t"
                + "\t".join(totals)
            )
            case_id += 1

    return emit()


def _copy_value(value: Any, true: str, false: str) -> str:
    """A case total as COPY text (a boolean as the calendar writes it, a sum of fines with its cents)."""
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def sequence_lines(first: int, state: CasePass) -> Iterator[str]:
    """The numbering rows, so the next case a department files in the application continues after these."""
    for n, ((department, year), last) in enumerate(sorted(state.sequences.items())):
        yield f"{first + n}\t{department}\t{CASE_SEQUENCE}\t{year}\t{last}"
