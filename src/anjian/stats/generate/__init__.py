"""``anjian generate``: a deterministic, Chinese-realistic synthetic province for benchmarks, bulk-loaded.

What it makes (``params.py`` has the sizes): a province (code ``--province``, default 98, named 示范省 — both
invented; 81 and 82 would be Hong Kong and Macao) with cities, counties/districts and towns/streets, three grids
per town; the 安委办 and the demo county's twelve supervising departments at province, city and county level (with
their industry remits and safety committees) and a 安委办 per town; enterprises with checksum-valid unified social
credit codes, tags and licences; users; and, over ``--years`` ending the day before ``--today``, inspections with
their officers, hazards (with approved extensions) and penalty cases with their penalties.

Not generated (no model, or not needed by the benchmarks yet): accidents (there is no accident model yet), hazard
transitions and photos, inspection checklist results, enforcement documents, major-hazard reports, plans and
listings, risk registers.

Deterministic: the same parameters, ``--seed`` and ``--today`` give identical rows in an identical database (ids
start after the largest id already present). Every table has its own random generator, every day of the
activity window too. Fast: rows are generated as text and streamed with COPY on PostgreSQL, with the big tables'
secondary indexes and foreign keys rebuilt after the load; other databases get batched INSERTs.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import TextIO

from django.db import connection, models, transaction

from anjian.core.models import DocumentSequence
from anjian.enterprises.models import Enterprise, Industry, Licence
from anjian.hazards.models import Hazard, HazardExtension
from anjian.inspections.models import Inspection, PenaltyCase, PenaltyItem
from anjian.orgs.models import Department, SafetyCommittee, User
from anjian.regions.models import Grid, Region
from anjian.stats.generate import hazards, inspections, regions, registry
from anjian.stats.generate.loader import Calendar, GenerateError, Loader, Timer, Writer
from anjian.stats.generate.params import PRESETS, Params, build
from anjian.stats.generate.world import Registry

__all__ = ["PRESETS", "GenerateError", "Params", "Summary", "build", "generate"]

DEFAULT_PASSWORD = "Anjian-Bench-2026"  # noqa: S105 - the documented default of synthetic benchmark data


@dataclass
class Summary:
    """What a run made: rows per table, seconds per phase, and the logins to try it with."""

    params: Params
    counts: dict[str, int]
    phases: list[tuple[str, float]]
    total_seconds: float
    logins: dict[str, str]
    frozen: list[str]  # tables loaded with COPY FREEZE

    def render(self) -> str:
        p = self.params
        lines = [
            "",
            f"  生成完毕 generated: province {p.province} {p.province_name}, seed {p.seed}, "
            f"{p.years} year(s) ending {p.today:%Y-%m-%d} (exclusive)",
            "  rows:",
            *(f"    {table:<40} {n:>12,}" for table, n in self.counts.items()),
            "  seconds:",
            *(f"    {name:<40} {seconds:>12.1f}" for name, seconds in self.phases),
            f"    {'total':<40} {self.total_seconds:>12.1f}",
            f"  密码 password: {p.password}   (every generated user)",
            "  账号 logins:",
            *(f"    {username:<28} {who}" for username, who in self.logins.items()),
        ]
        return "\n".join(lines)


def _refuse_if_present(params: Params) -> None:
    code = f"{params.province}0000000000"
    if Region.objects.filter(code__startswith=params.province).exists():
        raise GenerateError(
            f"Province {params.province} already has regions ({code}): generate into another database, "
            "or choose another code with --province."
        )
    if Region.objects.filter(name=params.province_name).exists():
        raise GenerateError(f"A region named {params.province_name} exists already: choose another --province-name.")
    if User.objects.filter(username__startswith=f"g{params.province}-").exists():
        raise GenerateError(f"Users named g{params.province}-… exist already: choose another --province.")
    if not Industry.objects.exists():
        raise GenerateError("The industry catalogue is empty: run `anjian manage migrate` first.")


def generate(params: Params, *, stdout: Writer, stderr: TextIO) -> Summary:
    """Fill the database with the dataset ``params`` describes; progress on ``stderr``, phases on ``stdout``."""
    if not params.password:
        params = dataclasses.replace(params, password=DEFAULT_PASSWORD)
    calendar = Calendar(params.today, vendor=connection.vendor)
    anchor = calendar.stamp(calendar.today - 1, 18 * 60)
    loader = Loader(calendar, stream=stderr, anchor=anchor, defer_from=params.defer_indexes_from)
    timer = Timer(stdout)
    _refuse_if_present(params)
    loaded: list[type] = [
        Grid,
        Department,
        Department.industries.through,
        Department.tags.through,
        SafetyCommittee,
        SafetyCommittee.members.through,
        Enterprise,
        Enterprise.tags.through,
        Licence,
        User,
        Inspection,
        Inspection.officers.through,
        Inspection.joint_departments.through,
        Hazard,
        HazardExtension,
        PenaltyCase,
        PenaltyItem,
        DocumentSequence,
    ]
    outer = connection.in_atomic_block
    with transaction.atomic():
        loader.tune(params.maintenance_work_mem)
        # Before any row goes in: dropping a foreign key alters the table it points to as well, which PostgreSQL
        # refuses while that table has rows whose deferred checks are pending; TRUNCATE (for FREEZE) likewise.
        big: list[tuple[type[models.Model], int]] = [
            (Enterprise, params.enterprises),
            (Enterprise.tags.through, params.enterprises),
            (Licence, params.enterprises // 2),
            (User, params.users),
            (Inspection, params.inspections),
            (Inspection.officers.through, params.inspections * 2),
            (Hazard, params.hazards),
            (HazardExtension, params.hazards // 100),
            (PenaltyCase, params.penalties),
            (PenaltyItem, params.penalties),
        ]
        loader.settle()
        loader.freeze([model for model, rows in big if rows >= params.defer_indexes_from])
        for model, rows in big:
            loader.defer(model, rows)
        with timer.phase("registry"):
            world = regions.build_regions(params, loader)
            regions.build_departments(params, loader, world)
            registry.build_enterprises(params, loader, world)
            registry.build_users(params, loader, world)
        with timer.phase("inspections"):
            plan = inspections.plan_inspections(params, loader, world)
            _load_inspections(params, loader, world, plan)
        with timer.phase("hazards"):
            ledger = hazards.HazardPass(first=loader.start_id(Hazard))
            lines = hazards.hazard_lines(params, loader, world, plan, ledger)
            loader.load(Hazard, hazards.HAZARD_COLUMNS, lines, total=params.hazards)
            extensions, ledger.extensions = ledger.extensions, []
            loader.load(HazardExtension, hazards.EXTENSION_COLUMNS, iter(extensions), total=len(extensions))
        with timer.phase("penalties"):
            _load_cases(params, loader, world, plan, ledger.majors)
        with timer.phase("indexes and constraints"):
            loader.restore()
            loader.reset_sequences(loaded)
        if outer:  # inside a caller's transaction (tests): no VACUUM there
            with timer.phase("analyze"):
                loader.analyze([Region, *loaded], vacuum=False)
    if not outer:
        with timer.phase("vacuum analyze"):
            loader.analyze([Region, *loaded], vacuum=params.vacuum and connection.vendor == "postgresql")
    if params.rollups:
        with timer.phase("statistics rollups"):
            from anjian.stats.models import HazardTally, OpenHazardTally
            from anjian.stats.tally import rebuild, vacuum

            began = time.monotonic()

            def say(message: str) -> None:  # each step with the seconds since the phase began
                stderr.write(f"  statistics rollups: {message} (at {time.monotonic() - began:.0f} s)\n")

            with transaction.atomic():
                loader.tune(params.maintenance_work_mem)
                loader.settle()
                # Written into empty tables: their keys' indexes are built once afterwards, as the ledger's were,
                # rather than maintained row by row (on P ~3 M rows).
                for model in (HazardTally, OpenHazardTally):
                    loader.defer(model, params.hazards // 4)
                rebuild(progress=say)
                loader.restore("  statistics rollups: indexing them")
            if params.vacuum:
                say("vacuuming them")
                vacuum()
    else:
        stdout.write("statistics rollups skipped: run `anjian manage rebuild_tallies` before reading figures\n")
    return Summary(params, loader.counts, timer.phases, timer.total, world.logins, sorted(loader.frozen))


def _load_inspections(params: Params, loader: Loader, world: Registry, plan: inspections.Plan) -> None:
    loader.load(
        Inspection,
        inspections.INSPECTION_COLUMNS,
        inspections.inspection_lines(params, loader, world, plan),
        total=len(plan.day),
    )
    officers = Inspection.officers.through
    loader.load(
        officers,
        ["id", "inspection_id", "user_id"],
        inspections.officer_lines(world, plan, loader.start_id(officers)),
        total=inspections.officer_count(world, plan),
        label="inspection officers",
    )
    joint = Inspection.joint_departments.through
    loader.load(
        joint,
        ["id", "inspection_id", "department_id"],
        inspections.joint_lines(plan, loader.start_id(joint)),
        total=sum(len(d) for d in plan.joint.values()),
        label="joint departments",
    )


def _load_cases(params: Params, loader: Loader, world: Registry, plan: inspections.Plan, majors: set[int]) -> None:
    cases = inspections.CasePass()
    loader.load(
        PenaltyCase,
        inspections.CASE_COLUMNS,
        inspections.case_lines(params, loader, world, plan, majors, cases),
        total=len(plan.cases),
    )
    loader.load(
        PenaltyItem,
        ["id", "case_id", "kind", "amount", "licence_id", "persons"],
        iter(cases.items),
        total=len(cases.items),
    )
    loader.load(
        DocumentSequence,
        ["id", "department_id", "kind", "year", "last"],
        inspections.sequence_lines(loader.start_id(DocumentSequence), cases),
        total=len(cases.sequences),
    )
