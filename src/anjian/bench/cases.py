"""The rows of QUALITY.md's latency table, each as the application call it times and its raw-SQL floor.

Writes (the create and transition rows) act on hazards the bench registers itself: each round creates one
hazard through ``POST /api/v1/hazards`` and the transition row voids them one by one (作废: so what the bench
writes counts in no figure); the floors register and void their own hazards by raw SQL the same way.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from anjian.bench import floors
from anjian.bench.app import App
from anjian.bench.context import BenchContext
from anjian.bench.rows import Row
from anjian.core import exports, jobs
from anjian.core.choices import JobKind
from anjian.core.models import Job
from anjian.core.scoping import Scope
from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise
from anjian.hazards.models import Hazard, HazardType

LIST_QUERY = "status=open&ordering=deadline"  # open hazards, soonest deadline first: the ledger's working view
EXPORT_ROWS = 100_000
VOID_REASON = "基准测试写入，不构成隐患 (anjian bench)"
SUMMARY_MODULES = (
    "anjian.stats.summary",
    "anjian.stats.summary.compose",
    "anjian.stats.summary.render",
    "anjian.reports.summary",
)
SUMMARY_TARGETS = {"md": 1000.0, "docx": 3000.0, "pdf": 3000.0}
SUMMARY_RENDERERS = {"md": ("render_markdown", "render_md"), "docx": ("render_docx",), "pdf": ("render_pdf",)}


def detail_sample(user: Any, count: int, seed: int = 2026) -> list[int]:
    """``count`` hazard ids in the user's scope, drawn at random (with a fixed seed) from at most 200 000."""
    ids = list(Hazard.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:200_000])
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    return [rng.choice(ids) for _ in range(count)] if ids else []


def writable_enterprises(user: Any, count: int = 50) -> list[int]:
    """Operating enterprises in the user's scope, to register hazards for."""
    visible = Enterprise.objects.visible_to(user).filter(status=EnterpriseStatus.OPERATING)
    return list(visible.order_by("pk").values_list("pk", flat=True)[:count])


def hazard_payload(enterprise_id: int, hazard_type: str, label: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "enterprise": enterprise_id,
        "level": "general",
        "source": "government_inspection",
        "hazard_type": hazard_type,
        "management_class": "thing",
        "rectification_mode": "deadline",
        "description": f"{BENCH_MARK} {label}",
        "location": "基准测试",
        "found_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=30)).isoformat(),
    }


BENCH_MARK = "基准测试隐患 bench hazard"  # every hazard the bench registers starts so
FLOOR_MARK = "-floor-"  # … and those the floors insert by raw SQL carry this too


def void_leftovers(user: Any) -> int:
    """Void every hazard the bench registered as ``user`` that is still open (a run cut short leaves some): through
    the action for those the application registered, by raw SQL for the floors' (so the rollups stay exact)."""
    from anjian.hazards.actions import do_void_hazard

    leftovers = Hazard.objects.filter(found_by=user, status__in=floors.OPEN, description__startswith=BENCH_MARK)
    done = 0
    for hazard in leftovers.order_by("pk"):
        if FLOOR_MARK in hazard.description:
            done += floors.void_hazard(user, hazard.pk, VOID_REASON)
        else:
            do_void_hazard(hazard, reason=VOID_REASON, actor=user)
            done += 1
    return done


@dataclass
class Writes:
    """The hazards the write rows registered, in order: the transition rows void them one per round."""

    user: Any
    created: list[int] = field(default_factory=list)
    floor_created: list[int] = field(default_factory=list)

    def cleanup(self) -> int:
        return void_leftovers(self.user)


def _list_rows(context: BenchContext, app: App) -> list[Row]:
    rows = []
    path = f"/api/v1/hazards?{LIST_QUERY}"
    for persona, label in (("county_department", "county department"), ("province_office", "province 安委办")):
        user = context.users[persona]
        scope = Scope.for_user(user)

        def run(i: int, persona: str = persona) -> int:
            return len(app.get_json(persona, path)["items"])

        def floor(i: int, scope: Scope = scope) -> int:
            return len(floors.open_by_deadline(scope))

        rows.append(
            Row(
                f"list.api.{persona}",
                f"scoped list, 20 rows, filtered and sorted ({label}, API)",
                50,
                f"GET {path} as {user.username}",
                "SELECT the same 20 rows (scope, open, ORDER BY deadline LIMIT 20) with their joins",
                run,
                floor,
            )
        )
    user = context.users["county_department"]
    scope = Scope.for_user(user)
    page = f"/hazards/?{LIST_QUERY}"
    rows.append(
        Row(
            "list.page.county_department",
            "scoped list, 20 rows, filtered and sorted (county department, HTML page)",
            50,
            f"GET {page} as {user.username}",
            "SELECT the same 20 rows (scope, open, ORDER BY deadline LIMIT 20) with their joins",
            lambda i: (app.call("county_department", "GET", page), None)[1],
            lambda i: len(floors.open_by_deadline(scope)),
        )
    )
    return rows


def _detail_rows(context: BenchContext, app: App, rounds: int) -> list[Row]:
    user = context.users["county_department"]
    scope = Scope.for_user(user)
    ids = detail_sample(user, rounds + 1)
    if not ids:
        reason = f"no hazard in the scope of {user.username}"
        return [Row("detail.api", "detail", 50, "", "", unavailable=reason)]

    def floor(i: int) -> int:
        return len(floors.hazard_by_id(scope, ids[i % len(ids)]))

    floor_text = "SELECT the hazard by id with its joins, in scope"
    return [
        Row(
            "detail.api",
            "detail page / API object (API)",
            50,
            f"GET /api/v1/hazards/{{id}} as {user.username}, a different hazard each round",
            floor_text,
            lambda i: (app.get_json("county_department", f"/api/v1/hazards/{ids[i % len(ids)]}"), 1)[1],
            floor,
        ),
        Row(
            "detail.page",
            "detail page / API object (HTML page)",
            50,
            f"GET /hazards/{{id}}/ as {user.username}, a different hazard each round",
            floor_text,
            lambda i: (app.call("county_department", "GET", f"/hazards/{ids[i % len(ids)]}/"), 1)[1],
            floor,
        ),
    ]


def _write_rows(context: BenchContext, app: App, writes: Writes, read_only: bool) -> list[Row]:
    user = context.users["county_department"]
    create_title = "create or transition a hazard (with audit + notification): create"
    transition_title = "create or transition a hazard (with audit + notification): transition"
    if read_only:
        return [
            Row("write.create", create_title, 80, "", "", unavailable="--read-only"),
            Row("write.transition", transition_title, 80, "", "", unavailable="--read-only"),
        ]
    enterprises = writable_enterprises(user)
    hazard_type = HazardType.objects.order_by("pk").first()
    if not enterprises or hazard_type is None:
        reason = f"no operating enterprise in the scope of {user.username}, or no hazard type"
        return [Row("write.create", create_title, 80, "", "", unavailable=reason)]
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")

    def create(i: int) -> int:
        payload = hazard_payload(enterprises[i % len(enterprises)], hazard_type.code, f"{stamp}-{i}")
        body = app.call("county_department", "POST", "/api/v1/hazards", payload, expect=201)
        writes.created.append(int(app_json(body)["id"]))
        return 1

    def create_floor(i: int) -> int:
        description = f"{BENCH_MARK} {stamp}{FLOOR_MARK}{i}"
        writes.floor_created.append(
            floors.insert_hazard(user, enterprises[i % len(enterprises)], hazard_type.pk, description)
        )
        return 1

    def transition(i: int) -> int:
        pk = writes.created[i]
        payload = {"action": "void", "note": VOID_REASON}
        app.call("county_department", "POST", f"/api/v1/hazards/{pk}/transitions", payload)
        return 1

    def transition_floor(i: int) -> int:
        return floors.void_hazard(user, writes.floor_created[i], VOID_REASON)

    return [
        Row(
            "write.create",
            create_title,
            80,
            f"POST /api/v1/hazards as {user.username} (registered, deadline in 30 days; audit + transition row)",
            "one transaction: INSERT hazard + INSERT transition row + audit row (chain lock, last hash)",
            create,
            create_floor,
            budgeted=False,
        ),
        Row(
            "write.transition",
            transition_title,
            80,
            f"POST /api/v1/hazards/{{id}}/transitions {{action: void}} as {user.username}, on the hazards just created",
            "one transaction: UPDATE hazard + INSERT transition row + audit row (chain lock, last hash)",
            transition,
            transition_floor,
            budgeted=False,
        ),
    ]


def app_json(body: bytes) -> Any:
    import json

    return json.loads(body)


def dashboard_paths(context: BenchContext, app: App, persona: str, region_code: str) -> tuple[list[str], str]:
    """The dashboard's API request(s): ``/stats/dashboard`` once it answers, until then ``/stats/hazards`` and
    ``/stats/inspections`` together; with a word on which."""
    query = urlencode({"region": region_code, "start": context.start.isoformat(), "end": context.end.isoformat()})
    dashboard = f"/api/v1/stats/dashboard?{query}"
    if app.answers(persona, dashboard):
        return [dashboard], "GET /api/v1/stats/dashboard"
    paths = [f"/api/v1/stats/hazards?{query}", f"/api/v1/stats/inspections?{query}"]
    return paths, "GET /api/v1/stats/hazards + /api/v1/stats/inspections (no /stats/dashboard yet)"


def _dashboard_rows(context: BenchContext, app: App) -> list[Row]:
    rows = []
    floor_text = "one statement: the GROUP BYs over the ledger behind the hazard and enforcement figures"
    for persona, region, target, key in (
        ("county_office", context.county, 100.0, "county"),
        ("province_office", context.province, 150.0, "province"),
    ):
        user = context.users[persona]
        scope = Scope.for_user(user)
        paths, label = dashboard_paths(context, app, persona, region.code)

        def run(i: int, persona: str = persona, paths: list[str] = paths) -> None:
            for path in paths:
                app.call(persona, "GET", path)

        def floor(i: int, scope: Scope = scope, prefix: str = region.prefix) -> None:
            floors.figures(scope, prefix, context.start, context.end)

        period = f"{context.start}…{context.end}"
        rows.append(
            Row(
                f"dashboard.{key}",
                f"{key} dashboard (API)",
                target,
                f"{label}, region={region.code} {period}, as {user.username}",
                floor_text,
                run,
                floor,
            )
        )
        page = f"/dashboards/?region={region.code}"
        if app.answers(persona, page):

            def run_page(i: int, persona: str = persona, page: str = page) -> None:
                app.call(persona, "GET", page)

            rows.append(
                Row(
                    f"dashboard.{key}.page",
                    f"{key} dashboard (HTML page)",
                    target,
                    f"GET {page} as {user.username}",
                    floor_text,
                    run_page,
                    floor,
                )
            )
        else:
            reason = f"GET {page} does not answer 200 yet (the dashboard page is being built)"
            rows.append(
                Row(f"dashboard.{key}.page", f"{key} dashboard (HTML page)", target, "", "", unavailable=reason)
            )
    return rows


def summary_function(names: tuple[str, ...]) -> tuple[Callable[..., Any] | None, str]:
    """The first of ``names`` found in the summary modules (another engineer's package: found, not imported by
    name), with where it was found; (None, what was looked for) until it exists."""
    for module_name in SUMMARY_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue
            raise
        for name in names:
            found = getattr(module, name, None)
            if callable(found):
                return found, f"{module_name}.{name}"
    return None, f"{names[0]}() in {' or '.join(SUMMARY_MODULES)}"


def _summary_rows(context: BenchContext, rounds: int) -> list[Row]:
    user = context.users["county_office"]
    scope = Scope.for_user(user)
    build, built_by = summary_function(("build_summary",))
    rows = []
    for fmt, target in SUMMARY_TARGETS.items():
        title = f"work summary for a county-year ({fmt})"
        render, rendered_by = summary_function(SUMMARY_RENDERERS[fmt])
        if build is None or render is None:
            missing = built_by if build is None else rendered_by
            rows.append(Row(f"summary.{fmt}", title, target, "", "", unavailable=f"not available yet ({missing})"))
            continue

        builder: Callable[..., Any] = build
        renderer: Callable[[Any], Any] = render

        def run(i: int, builder: Callable[..., Any] = builder, renderer: Callable[[Any], Any] = renderer) -> int:
            summary = builder(user, context.county, context.summary_start, context.summary_end)
            return len(renderer(summary))

        def floor(i: int) -> None:
            floors.figures(scope, context.county.prefix, context.summary_start, context.summary_end)

        rows.append(
            Row(
                f"summary.{fmt}",
                title,
                target,
                f"{built_by} + {rendered_by}, {context.county.name} {context.summary_start.year}, "
                f"as {user.username} (rows: the document's length)",
                "the figures' raw GROUP BYs for the county-year (the dashboard floor)",
                run,
                floor,
                rounds=rounds if fmt == "md" else min(rounds, 10),  # a document takes seconds: 10 rounds tell
            )
        )
    return rows


def export_start(user: Any, rows: int = EXPORT_ROWS) -> dt.date | None:
    """The date found of the ``rows``-th newest hazard in scope (None when there are fewer): exporting the
    hazards found since then exports about that many rows."""
    found = Hazard.objects.visible_to(user).order_by("-found_on").values_list("found_on", flat=True)
    boundary = list(found[rows - 1 : rows])
    return boundary[0] if boundary else None


def _export_row(context: BenchContext, read_only: bool) -> Row:
    user = context.users["county_office"]
    scope = Scope.for_user(user)
    spec = exports.REGISTRY["hazards"]
    since = export_start(user)
    query = urlencode({"start": since.isoformat()}) if since else ""

    def run(i: int) -> int:
        if read_only:  # the job's own work (filter, write the workbook) without its Job row and audit row
            with tempfile.TemporaryDirectory() as folder:
                queryset = exports.filtered(spec, user, QueryDict(query))
                return exports.write(spec, queryset, str(Path(folder) / "export.xlsx"))
        job = Job.objects.create(
            kind=JobKind.EXPORT, owner=user, title=str(spec.title), params={"spec": spec.name, "query": query}
        )
        jobs.execute_job(job.pk)
        job.refresh_from_db()
        shutil.rmtree(Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk), ignore_errors=True)
        return job.done

    how = "exports.filtered + exports.write (read-only)" if read_only else "core.jobs.execute_job on a new Job"
    return Row(
        "export.xlsx",
        f"export {EXPORT_ROWS // 1000} k rows to xlsx (background job)",
        60_000,
        f"{how}: the 三清单 (3 sheets) of hazards found since {since or 'ever'}, as {user.username}, once",
        "SELECT every exported row with the columns' joins, fetched to the client, once",
        run,
        lambda i: floors.export_rows(scope, since),
        rounds=1,
        warmup=0,
    )


def wanted(name: str, only: list[str]) -> bool:
    """Whether the row (or group of rows) ``name`` is asked for by ``--only`` prefixes (none: every row)."""
    return not only or any(name.startswith(p) or p.startswith(name) for p in only)


def build_rows(
    context: BenchContext, app: App, writes: Writes, *, rounds: int, read_only: bool, only: list[str]
) -> list[Row]:
    """The rows asked for, in QUALITY.md's order (a group is prepared only when one of its rows is wanted)."""
    groups: dict[str, Callable[[], list[Row]]] = {
        "list": lambda: _list_rows(context, app),
        "detail": lambda: _detail_rows(context, app, rounds),
        "write": lambda: _write_rows(context, app, writes, read_only),
        "dashboard": lambda: _dashboard_rows(context, app),
        "summary": lambda: _summary_rows(context, rounds),
        "export": lambda: [_export_row(context, read_only)],
    }
    rows = [row for group, build in groups.items() if wanted(group, only) for row in build()]
    return [row for row in rows if wanted(row.name, only)]
