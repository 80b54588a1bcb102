"""The hazard ledger over the activity window, day by day: each inspection's findings, then what enterprises,
grid workers and tip-offs reported that day, spread over the enterprises by weight (risk, scale, chance).

Per hazard: ~2 % major; general ones found on the spot are often rectified on the spot (即查即改: no deadline,
straight to acceptance); the others get a deadline, are mostly rectified before it, sometimes late (a third of
those with an approved extension), and ~1.5 % are never rectified (the overdue tail). What has happened by the day
before ``today`` decides the status: registered, rectifying, awaiting acceptance or closed; ~1 % are voided.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TypeVar

from anjian.demo.hazards import FINDINGS, MAJOR_FINDINGS
from anjian.demo.inspections_data import CONTINGENCIES, MEASURES
from anjian.hazards.choices import HazardSource
from anjian.hazards.models import HazardExtension, HazardType
from anjian.inspections.choices import InspectionKind
from anjian.stats.generate import words
from anjian.stats.generate.inspections import KINDS, Plan, day_weights
from anjian.stats.generate.loader import NULL, Calendar, Loader, escape
from anjian.stats.generate.params import Params
from anjian.stats.generate.world import Registry, allocate, rng_for

MAJOR_SHARE = 0.02
VOID_SHARE = 0.01
NEVER = 10**6  # "never rectified": a day offset beyond any window
DEADLINE_DAYS = (3, 5, 7, 7, 10, 15, 15, 20, 30, 30, 45, 60)
ACCEPT_DELAY = (0, 0, 0, 1, 1, 2, 3)

# The source of a hazard an inspection finds, by the inspection's kind (the rest: government inspection).
INSPECTION_SOURCE = {
    InspectionKind.SELF: HazardSource.COMPREHENSIVE,
    InspectionKind.JOINT: HazardSource.JOINT_INSPECTION,
    InspectionKind.EXPERT: HazardSource.EXPERT_DIAGNOSIS,
}
# Hazards found outside inspections: (source, who found it, weight). "self": the enterprise; "grid": the grid
# worker; "tip": the town's 安委办 passing a citizen's tip-off on.
OTHER_SOURCES = (
    (HazardSource.DAILY, "self", 55),
    (HazardSource.COMPREHENSIVE, "self", 8),
    (HazardSource.SPECIALISED, "self", 6),
    (HazardSource.SEASONAL, "self", 5),
    (HazardSource.HOLIDAY, "self", 5),
    (HazardSource.ACCIDENT_ANALOGY, "self", 1),
    (HazardSource.PRE_RESUMPTION, "self", 1),
    (HazardSource.EXPERT, "self", 2),
    (HazardSource.CONTROL_FAILURE, "self", 2),
    (HazardSource.OTHER, "self", 1),
    (HazardSource.GRID_PATROL, "grid", 12),
    (HazardSource.TIP_OFF, "tip", 2),
)
IMMEDIATE_SHARE = {"self": 0.4, "grid": 0.25, "tip": 0.0, "government": 0.15, "self_inspection": 0.3}

HAZARD_COLUMNS = [
    "id",
    "enterprise_id",
    "level",
    "source",
    "rectification_mode",
    "hazard_type_id",
    "management_class",
    "description",
    "location",
    "cause",
    "found_on",
    "found_by_id",
    "finder_name",
    "finding_department_id",
    "inspection_id",
    "measures",
    "responsible_person",
    "responsible_phone",
    "funds",
    "deadline",
    "original_deadline",
    "contingency_plan",
    "rectification",
    "status",
    "closed_at",
    "created_at",
    "updated_at",
]

EXTENSION_COLUMNS = [
    "id",
    "hazard_id",
    "requested_deadline",
    "reason",
    "requested_by_id",
    "requested_at",
    "status",
    "decided_by_id",
    "decided_at",
    "decision_note",
]


def _fragments(type_ids: dict[str, int]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per industry category: "type\tclass\tdescription\tlocation\tcause" for general and for major hazards."""

    def spell(rows: list[tuple[str, str, str, str, str]]) -> list[str]:
        out = []
        for description, location, type_code, management, cause in rows:
            type_id = type_ids.get(type_code) or type_ids["other"]
            for detail in words.LOCATION_DETAILS:
                out.append(
                    f"{type_id}\t{management}\t{escape(description)}\t{escape(location + detail)}\t{escape(cause)}"
                )
        return out

    general = {category: spell(rows) for category, rows in FINDINGS.items()}
    major = {category: spell(MAJOR_FINDINGS.get(category, rows)) for category, rows in FINDINGS.items()}
    return general, major


@dataclass
class HazardPass:
    """State the hazard pass leaves for the passes after it."""

    first: int
    extensions: list[str] = field(default_factory=list)
    majors: set[int] = field(default_factory=set)  # major hazards that a penalty case concerns
    count: int = 0


POOL_SIZE = 4096
T = TypeVar("T")
Lifecycle = tuple[bool, int, int, int, int, str, str, str, str, bool, tuple[int, int] | None]


def _lifecycles(rng: random.Random, immediate_share: float, *, major: bool) -> list[Lifecycle]:
    """A pool of hazard lifecycles, drawn once and picked from per hazard (one random draw instead of a dozen):
    (rectified on the spot, deadline days, days to rectify, days to acceptance, minute of acceptance, measures,
    funds, contingency plan, rectification, voided, extension (days to the decision, new deadline days) or None).
    Days count from the day found; the day the dataset ends decides how far each hazard has got."""
    measures = [escape(m) + "\t" for m in MEASURES]
    plans = [escape(c) for c in CONTINGENCIES]
    fixes = [escape(r) for r in words.RECTIFICATIONS]
    rnd = rng.random

    def pick(options: Sequence[T]) -> T:
        return options[int(rnd() * len(options))]

    pool: list[Lifecycle] = []
    for _ in range(POOL_SIZE):
        voided = rnd() < VOID_SHARE
        close_minute = 540 + int(rnd() * 480)
        amount = 50_000 + int(rnd() * 1_950_000) if major else 200 + int(rnd() * 19_800)
        texts = (pick(measures), f"\t{amount}.00", pick(plans), pick(fixes))
        if not major and rnd() < immediate_share:
            pool.append((True, 0, 0, pick(ACCEPT_DELAY), close_minute, *texts, voided, None))
            continue
        span = 30 + int(rnd() * 120) if major else pick(DEADLINE_DAYS)
        roll = rnd()
        if roll < 0.82:
            done = 1 + int(rnd() * span)
        elif roll < 0.985:
            done = span + 1 + int(rnd() * 45)
        else:
            done = NEVER
        accept = done + (3 + int(rnd() * 12) if major else int(rnd() * 5))
        extension = None
        if span < done < NEVER and not voided and rnd() < 0.35:
            extension = (1 + int(rnd() * span), done + int(rnd() * 8))
        pool.append((False, span, done, accept, close_minute, *texts, voided, extension))
    return pool


def hazard_lines(params: Params, loader: Loader, registry: Registry, plan: Plan, state: HazardPass) -> Iterator[str]:
    """The hazard rows in id order; everything read from the database is read here, before the first row (the
    rows stream into a COPY on the same connection)."""
    calendar = loader.calendar
    general, major = _fragments(dict(HazardType.objects.values_list("code", "pk")))
    other_total = max(params.hazards - sum(plan.found), 0)
    context = _Context(
        params=params,
        calendar=calendar,
        registry=registry,
        plan=plan,
        general=general,
        major=major,
        other_per_day=allocate(other_total, day_weights(calendar, plan.window)),
        extension_id=loader.start_id(HazardExtension),
    )
    return _emit(context, state)


@dataclass
class _Context:
    params: Params
    calendar: Calendar
    registry: Registry
    plan: Plan
    general: dict[str, list[str]]
    major: dict[str, list[str]]
    other_per_day: list[int]
    extension_id: int


def _emit(context: _Context, state: HazardPass) -> Iterator[str]:
    """The hot loop (10 M rows for dataset P): plain locals, integer days, strings looked up rather than built."""
    params, calendar, registry, plan = context.params, context.calendar, context.registry, context.plan
    general, major, extension_id = context.general, context.major, context.extension_id
    iso, base, last = calendar.iso, calendar.base, calendar.today - 1
    # A timestamp is a day's prefix and a minute's clock (every minute used here is 08:00 or later, which keeps
    # the day the same in UTC too: see Calendar.clock_from_eight).
    prefix, clock = calendar.prefix, calendar.clock_from_eight
    cumulative = list(accumulate(registry.weight))
    population = range(len(cumulative))
    sources = [(str(s), IMMEDIATE_SHARE[who], who) for s, who, w in OTHER_SOURCES for _ in range(w)]
    n_sources = len(sources)
    reasons = [escape(r) for r in words.EXTENSION_REASONS]
    pool_rng = rng_for(params, "hazard-lifecycles")
    pools = {share: _lifecycles(pool_rng, share, major=False) for share in sorted(set(IMMEDIATE_SHARE.values()))}
    major_pool = _lifecycles(pool_rng, 0.0, major=True)
    blank_plan = f"\t\t\t{NULL}"  # measures, responsible person and phone, funds: not yet named
    towns, staff, grid_worker = registry.towns, registry.staff, registry.grid_worker
    town_of, grid_of, category_of = registry.town, registry.grid, registry.category
    ids, account, names = registry.enterprise_ids, registry.account, registry.user_names
    responsible, officer = registry.responsible, registry.officer
    p_enterprise, p_department, p_kind, p_lead = plan.enterprise, plan.department, plan.kind, plan.lead
    p_found, p_minute, p_start, p_cases, p_first = plan.found, plan.minute, plan.start, plan.cases, plan.first
    inspection_sources = [str(INSPECTION_SOURCE.get(k, HazardSource.GOVERNMENT_INSPECTION)) for k in KINDS]
    government_share, self_inspection_share = IMMEDIATE_SHARE["government"], IMMEDIATE_SHARE["self_inspection"]
    extensions, majors = state.extensions, state.majors
    case_hazards: set[int] = set()
    hazard_id = state.first
    for i, day in enumerate(plan.window):
        rnd = rng_for(params, f"hazards/{i}").random
        rng_choices = rng_for(params, f"hazard-enterprises/{i}").choices
        d = day - base
        found_on = iso[d]
        age = last - day
        # (ordinal, source, immediate share, found_by, finder, department, inspection, minute) of each hazard
        todays: list[tuple[int, str, float, int, str, int, int, int]] = []
        for j in range(p_start[i], p_start[i + 1]):
            found = p_found[j]
            if not found:
                continue
            e, department, lead = p_enterprise[j], p_department[j], p_lead[j]
            share = government_share if department else self_inspection_share
            source = inspection_sources[p_kind[j]]
            finder = names[lead] if lead else officer[e]
            if j in p_cases:
                p_cases[j] = hazard_id + len(todays)
                case_hazards.add(p_cases[j])
            minute = p_minute[j] + 10
            todays.extend(
                (e, source, share, lead, finder, department, p_first + j, minute + 15 * k) for k in range(found)
            )
        for e in rng_choices(population, cum_weights=cumulative, k=context.other_per_day[i]):
            source, share, who = sources[int(rnd() * n_sources)]
            if who == "self":
                by, finder, department = account.get(e, 0), officer[e], 0
            else:
                office = towns[town_of[e]].office
                by = grid_worker[grid_of[e]] if who == "grid" else staff[office][0]
                finder, department = names[by], office
            todays.append((e, source, share, by, finder, department, 0, 480 + int(rnd() * 560)))

        for e, source, share, by, finder, department, inspection, minute in todays:
            if minute > 1300:
                minute = 1300
            created = prefix[d] + clock[minute]
            if rnd() < MAJOR_SHARE:
                fragments, level, pool = major[category_of[e]], "major", major_pool
                if hazard_id in case_hazards:
                    majors.add(hazard_id)
            else:
                fragments, level, pool = general[category_of[e]], "general", pools[share]
            fragment = fragments[int(rnd() * len(fragments))]
            immediate, span, done, accept, close_minute, measure, amount, contingency, fix, voided, ext = pool[
                int(rnd() * POOL_SIZE)
            ]
            deadline = original = closed = NULL
            five = blank_plan
            if immediate:
                mode, contingency = "immediate", ""
                if accept > age:
                    status, updated = "awaiting_acceptance", created
                elif voided:
                    status, updated, fix = "voided", prefix[d + accept] + clock[960], ""
                else:
                    status = "closed"
                    closed = prefix[d + accept] + clock[minute + 30 if accept == 0 else close_minute]
                    updated = closed
            else:
                mode = "deadline"
                due = span
                if ext is not None and day + ext[0] <= last:  # late, and granted an extension
                    decided = day + ext[0]
                    due = ext[1]
                    office_staff = staff[towns[town_of[e]].office][0]
                    requested = decided - 1 if decided - 1 > day else decided
                    extensions.append(
                        f"{extension_id}\t{hazard_id}\t{iso[d + due]}\t{reasons[hazard_id % 3]}\t"
                        f"{account.get(e) or office_staff}\t{prefix[requested - base]}{clock[600]}\tapproved\t"
                        f"{by if department else office_staff}\t{prefix[decided - base]}{clock[900]}\t"
                    )
                    extension_id += 1
                deadline = iso[d + due]
                original = iso[d + span]
                if voided and age >= 1:
                    status, updated, fix = "voided", prefix[d + 1] + clock[960], ""
                elif accept <= age:
                    status = "closed"
                    closed = prefix[d + accept] + clock[close_minute]
                    updated = closed
                elif done <= age:
                    status, updated = "awaiting_acceptance", prefix[d + done] + clock[900]
                elif age >= 2 or rnd() < 0.5:
                    status, updated, fix = "rectifying", prefix[d + (1 if age >= 1 else 0)] + clock[900], ""
                else:
                    status, updated, fix = "registered", created, ""
                if status != "registered" and status != "voided":
                    five = measure + responsible[e] + amount
                else:
                    contingency = ""
            yield (
                f"{hazard_id}\t{ids[e]}\t{level}\t{source}\t{mode}\t{fragment}\t{found_on}\t"
                f"{by or NULL}\t{finder}\t{department or NULL}\t{inspection or NULL}\t{five}\t"
                f"{deadline}\t{original}\t{contingency}\t{fix}\t{status}\t{closed}\t{created}\t{updated}"
            )
            hazard_id += 1
    state.count = hazard_id - state.first
