"""What the bench prints and writes: the table of figures with their floors and targets, the load test's
figures, and the JSON (one row per measurement, with the dataset and machine it was measured on)."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path
from typing import Any

import django
from django.db import connection
from django.utils import timezone

from anjian.bench.rows import Result

COUNTED_TABLES = {
    "regions": "regions_region",
    "enterprises": "enterprises_enterprise",
    "hazards": "hazards_hazard",
    "hazard_transitions": "hazards_hazardtransition",
    "inspections": "inspections_inspection",
    "penalty_cases": "inspections_penaltycase",
    "users": "orgs_user",
    "audit_events": "core_auditevent",
}


def dataset() -> dict[str, Any]:
    """Row counts of the main tables, and which database and server they are on."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name, table in COUNTED_TABLES.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table names are ours
            counts[name] = int(cursor.fetchone()[0])
        cursor.execute("SELECT level, count(*) FROM regions_region GROUP BY level ORDER BY level")
        regions_by_level = {str(level): int(n) for level, n in cursor.fetchall()}
        cursor.execute("SHOW server_version")
        version = str(cursor.fetchone()[0])
        server_settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "synchronous_commit", "jit"):
            cursor.execute(f"SHOW {name}")
            server_settings[name] = str(cursor.fetchone()[0])
        cursor.execute(
            "SELECT count(*) FILTER (WHERE level = 'major'), min(found_on), max(found_on) FROM hazards_hazard"
        )
        major, first, last = cursor.fetchone()
    return {
        "database": connection.settings_dict["NAME"],
        "postgresql": version,
        "postgresql_settings": server_settings,
        "counts": counts,
        "regions_by_level": regions_by_level,
        "major_hazards": int(major),
        "hazards_found": [first.isoformat() if first else None, last.isoformat() if last else None],
    }


def machine() -> dict[str, Any]:
    model = ""
    memory_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(results: list[Result]) -> str:
    header = f"{'name':<30} {'p50 ms':>9} {'p95 ms':>9} {'target':>8} {'floor p95':>10} {'ratio':>8}  ok"
    lines = [header, "-" * len(header)]
    for r in results:
        if r.app is None:
            lines.append(f"{r.name:<30} {r.status}: {r.note}")
            continue
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else "—"
        ok = {True: "✓", False: "✗", None: " "}[r.met]
        floor = r.floor_timings.p95 if r.floor_timings else None
        target = f"{r.target_ms:.0f}" if r.target_ms is not None else "—"
        lines.append(
            f"{r.name:<30} {_ms(r.app.p50):>9} {_ms(r.app.p95):>9} {target:>8} {_ms(floor):>10} {ratio:>8}  {ok}"
        )
    return "\n".join(lines)


def warmed(load: dict[str, Any]) -> str:
    seconds = load.get("warmup_seconds") or 0
    return f", after {seconds:g} s of warm-up" if seconds else ""


def load_table(load: dict[str, Any]) -> str:
    mixed, trivial, targets = load["mixed"], load["trivial"], load["targets"]
    ratio = load["trivial_ratio"]
    lines = [
        f"mixed load: {mixed['rps']:.1f} req/s over {mixed['seconds']:.0f} s ({mixed['requests']} requests"
        f"{warmed(load)}), "
        f"p50 {_ms(mixed['p50_ms'])} ms, p95 {_ms(mixed['p95_ms'])} ms, p99 {_ms(mixed['p99_ms'])} ms, "
        f"errors {mixed['errors']}",
        f"trivial view (/healthz): {trivial['rps']:.1f} req/s, p95 {_ms(trivial['p95_ms'])} ms, "
        f"errors {trivial['errors']}",
        f"mixed ÷ trivial: {ratio:.1%}" if ratio is not None else "mixed ÷ trivial: —",
        f"targets: ≥ {targets['rps']:.0f} req/s {'✓' if mixed['rps'] >= targets['rps'] else '✗'}, "
        f"p95 ≤ {targets['p95_ms']:.0f} ms {'✓' if mixed['p95_ms'] <= targets['p95_ms'] else '✗'}, "
        f"0 errors {'✓' if mixed['errors'] == 0 else '✗'}, "
        f"≥ {targets['trivial_ratio']:.0%} of trivial {'✓' if (ratio or 0) >= targets['trivial_ratio'] else '✗'}",
        f"client CPU: {mixed['client_cpu_seconds']:.1f} s ({mixed['client_cpu_share']:.0%} of one core) in the "
        f"mixed run, {trivial['client_cpu_share']:.0%} in the trivial run",
        "",
        f"{'under load':<30} {'requests':>9} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}",
    ]
    for name, figures in mixed["by_op"].items():
        lines.append(
            f"{name:<30} {figures['requests']:>9} {_ms(figures['p50_ms']):>9} {_ms(figures['p95_ms']):>9} "
            f"{_ms(figures['p99_ms']):>9}"
        )
    for sample in mixed["error_samples"][:5]:
        lines.append(f"error: {sample}")
    return "\n".join(lines)


def document(
    results: list[Result],
    context: dict[str, Any],
    load: dict[str, Any] | None,
    options: dict[str, Any],
    started: dict[str, Any],
) -> dict[str, Any]:
    """The JSON: ``started`` is ``machine()`` as it was when the bench began (its load average tells how quiet
    the machine was; the one in ``machine`` is taken at the end)."""
    from anjian.bench.load import under_load_target

    measurements = [r.as_json() for r in results]
    if load is not None:
        mixed, trivial = load["mixed"], load["trivial"]
        measurements.append(
            {
                "name": "load.mixed",
                "p50_ms": mixed["p50_ms"],
                "p95_ms": mixed["p95_ms"],
                "target_ms": load["targets"]["p95_ms"],
                "floor_ms": trivial["p95_ms"],
                "ratio": round(mixed["p95_ms"] / trivial["p95_ms"], 3) if trivial["p95_ms"] else None,
                "rps": mixed["rps"],
                "floor_rps": trivial["rps"],
                "rps_ratio": load["trivial_ratio"],
                "errors": mixed["errors"],
                "rows": mixed["requests"],
                "title": "mixed load on loopback; floor: the trivial view under the same load",
            }
        )
        for name, figures in mixed["by_op"].items():
            measurements.append(
                {
                    "name": f"load.{name}",
                    "p50_ms": figures["p50_ms"],
                    "p95_ms": figures["p95_ms"],
                    "target_ms": under_load_target(name),
                    "floor_ms": None,
                    "ratio": None,
                    "rows": figures["requests"],
                    "title": "under load (the mixed run)",
                }
            )
    return {
        "date": timezone.localtime().isoformat(timespec="seconds"),
        "dataset": dataset(),
        "machine": machine(),
        "machine_at_start": started,
        "context": context,
        "options": options,
        "measurements": measurements,
        "load": load,
    }


def write_json(path: str, payload: dict[str, Any]) -> None:
    def default(value: Any) -> Any:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return str(value)

    Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=default) + "\n", encoding="utf-8")
