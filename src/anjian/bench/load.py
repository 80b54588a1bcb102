"""The loopback load test: ``anjian serve``'s gunicorn on a free port, the mixed workload of QUALITY.md for a
fixed time from a separate client process, then the same length against a trivial view (``/healthz``: one
``SELECT 1``) for the ratio. The server's process group is killed afterwards, whatever happens."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils.crypto import get_random_string

from anjian.bench import cases
from anjian.bench.app import App
from anjian.bench.context import BenchContext
from anjian.bench.timing import percentile
from anjian.enterprises.models import Enterprise

THREADS = 4  # per worker, as ``anjian serve`` runs gunicorn
# The mix of QUALITY.md: 70 % lists and details, 15 % dashboards, 10 % writes, 5 % small exports.
WEIGHTS = {
    "list.api.county_department": 20,
    "list.api.province_office": 10,
    "list.page.county_department": 10,
    "detail.api": 15,
    "detail.page": 15,
    "dashboard.county": 8,
    "dashboard.province": 7,
    "write.create": 5,
    "write.transition": 5,
    "export.small": 5,
}
GROUPS = {"list": "lists/details", "detail": "lists/details", "dashboard": "dashboards", "write": "writes"}
UNDER_LOAD_TARGETS = {
    "list": 150.0,
    "detail": 150.0,
    "write": 200.0,
    "dashboard.county": 300.0,
    "dashboard.province": 500.0,
}
THROUGHPUT_TARGETS = {"rps": 300.0, "p95_ms": 300.0, "trivial_ratio": 0.30, "errors": 0}


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1  # ``anjian serve``'s default


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url() -> str:
    """The URL of the database this process uses, so the server reads and writes the same one."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    netloc = (credentials + "@" if credentials else "") + (db.get("HOST") or "")
    if db.get("PORT"):
        netloc += f":{db['PORT']}"
    options = {k: v for k, v in (db.get("OPTIONS") or {}).items() if isinstance(v, str)}
    return f"postgres://{netloc}/{quote(db['NAME'])}" + (f"?{urlencode(options)}" if options else "")


def _server_env() -> dict[str, str]:
    env = dict(os.environ)
    module = os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE
    env["DJANGO_SETTINGS_MODULE"] = module
    env["ANJIAN_HTTPS"] = "0"  # plain http on loopback, as ``anjian demo`` serves
    env["ANJIAN_DATABASE_URL"] = env["ANJIAN_TEST_DATABASE_URL"] = database_url()
    env["ANJIAN_ALLOWED_HOSTS"] = ",".join(sorted({*settings.ALLOWED_HOSTS, "127.0.0.1"}))
    env["ANJIAN_LOG_LEVEL"] = "WARNING"
    top = module.split(".", 1)[0]
    if top != "anjian":  # e.g. the test suite's settings: make their package importable by the server
        spec_paths = [p for p in sys.path if (Path(p or ".") / top).is_dir()]
        env["PYTHONPATH"] = os.pathsep.join([*spec_paths, env.get("PYTHONPATH", "")]).strip(os.pathsep)
    return env


def ensure_static() -> None:
    """Collect the static files when the settings serve hashed names (pages fail without the manifest)."""
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if "Manifest" in backend:
        from anjian.cli import _collectstatic_if_needed

        _collectstatic_if_needed()


def _healthy(port: int) -> bool:
    try:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        probe.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
        ok = probe.getresponse().status == 200
        probe.close()
        return ok
    except OSError:
        return False


@contextmanager
def terminate_on_sigterm() -> Iterator[None]:
    """A SIGTERM to the bench unwinds like Ctrl-C, so the server is stopped on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def server(workers: int, say: Callable[[str], None]) -> Iterator[int]:
    """gunicorn as ``anjian serve`` runs it, on a free loopback port, in its own process group."""
    from anjian.cli import _gunicorn_args

    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="anjian-bench-server-", suffix=".log", delete=False)  # noqa: SIM115
    args = _gunicorn_args(f"127.0.0.1:{port}", workers, access_log=False)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        args, env=_server_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    say(f"  server: gunicorn, {workers} workers × {THREADS} threads on 127.0.0.1:{port} (log {log.name})")
    try:
        deadline = time.monotonic() + 60
        while not _healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = Path(log.name).read_text(errors="replace")[-2000:]
                raise RuntimeError(f"the server did not start (exit {process.poll()}):\n{tail}")
            time.sleep(0.2)
        yield port
    except BaseException:
        say(f"  the server's log is kept: {log.name}")
        raise
    else:
        Path(log.name).unlink(missing_ok=True)
    finally:
        _stop(process)
        log.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=25)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def run_client(plan: dict[str, Any]) -> dict[str, Any]:
    """The client in its own process (so its CPU is its own and never the server's)."""
    completed = subprocess.run(
        [sys.executable, "-m", "anjian.bench.client"],
        input=json.dumps(plan).encode(),
        capture_output=True,
        timeout=float(plan["seconds"]) + 180,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the load client failed: {completed.stderr.decode(errors='replace')[-2000:]}")
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def _small_exports(user: Any, count: int = 30) -> list[str]:
    """Export URLs of single enterprises' hazards (a few dozen rows each: the inline download, not a job)."""
    limit = settings.EXPORT_INLINE_LIMIT
    enterprises = (
        Enterprise.objects.visible_to(user)
        .filter(pk__in=cases.writable_enterprises(user, count * 2))
        .annotate(n=Count("hazards"))
        .filter(n__gt=0, n__lte=limit)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    return [f"/exports/hazards/?enterprise={pk}" for pk in enterprises]


def mixed_ops(context: BenchContext, *, read_only: bool) -> list[dict[str, Any]]:
    """The workload, as the client's plan: who asks what, how often."""
    csrf = get_random_string(32)  # an unmasked CSRF secret, sent as cookie and header (the API's session auth)

    def headers(persona: str, post: bool = False) -> dict[str, str]:
        cookies = f"{settings.SESSION_COOKIE_NAME}={context.sessions[persona]}; {settings.CSRF_COOKIE_NAME}={csrf}"
        extra = {"Content-Type": "application/json", "X-CSRFToken": csrf} if post else {}
        return {"Cookie": cookies, **extra}

    department = context.users["county_department"]
    app = App(context)
    ids = cases.detail_sample(department, 500, seed=7)
    weights = dict(WEIGHTS)
    if read_only:  # no writes, and no exports (each writes an audit row): their share goes to lists and details
        weights["list.api.county_department"] += weights.pop("write.create")
        weights["detail.api"] += weights.pop("write.transition")
        weights["list.page.county_department"] += weights.pop("export.small")
    ops: list[dict[str, Any]] = [
        {"name": "list.api.county_department", "paths": [f"/api/v1/hazards?{cases.LIST_QUERY}"]},
        {
            "name": "list.api.province_office",
            "persona": "province_office",
            "paths": [f"/api/v1/hazards?{cases.LIST_QUERY}"],
        },
        {"name": "list.page.county_department", "paths": [f"/hazards/?{cases.LIST_QUERY}"]},
        {"name": "detail.api", "paths": [f"/api/v1/hazards/{pk}" for pk in ids]},
        {"name": "detail.page", "paths": [f"/hazards/{pk}/" for pk in ids]},
        {"name": "export.small", "paths": _small_exports(department)},
    ]
    for persona, region, key in (
        ("county_office", context.county, "county"),
        ("province_office", context.province, "province"),
    ):
        paths, _label = cases.dashboard_paths(context, app, persona, region.code)
        page = f"/dashboards/?region={region.code}"
        if app.answers(persona, page):
            paths.append(page)
        ops.append({"name": f"dashboard.{key}", "persona": persona, "paths": paths})
    if not read_only:
        enterprises = cases.writable_enterprises(department)
        hazard_type = cases.HazardType.objects.order_by("pk").values_list("code", flat=True).first() or "other"
        bodies = [cases.hazard_payload(pk, hazard_type, f"load-{n}") for n, pk in enumerate(enterprises)]
        ops.append({"name": "write.create", "kind": "create", "method": "POST", "path": "/api/v1/hazards"})
        ops[-1]["bodies"] = bodies
        ops.append(
            {
                "name": "write.transition",
                "kind": "transition",
                "method": "POST",
                "path": "/api/v1/hazards/{id}/transitions",
                "body": {"action": "void", "note": cases.VOID_REASON},
            }
        )
    for op in ops:
        persona = op.pop("persona", "county_department")
        op.setdefault("kind", "request")
        op.setdefault("method", "GET")
        op["headers"] = headers(persona, post=op["method"] == "POST")
        op["weight"] = weights.get(op["name"], 0) if op.get("paths", True) else 0
        op["group"] = GROUPS.get(op["name"].split(".")[0], "exports")
    return ops


def _figures(latencies: list[float]) -> dict[str, float | int]:
    return {
        "requests": len(latencies),
        "p50_ms": round(percentile(latencies, 50), 3),
        "p95_ms": round(percentile(latencies, 95), 3),
        "p99_ms": round(percentile(latencies, 99), 3),
    }


def summarise(result: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    latencies: dict[str, list[float]] = result["latencies"]
    everything = [ms for values in latencies.values() for ms in values]
    groups: dict[str, list[float]] = {}
    for op in ops:
        groups.setdefault(op["group"], []).extend(latencies.get(op["name"], []))
    elapsed = float(result["elapsed"])
    return {
        **_figures(everything),
        "rps": round(len(everything) / elapsed, 1) if elapsed else 0.0,
        "seconds": round(elapsed, 2),
        "errors": result["errors"],
        "error_samples": result["error_samples"],
        "by_group": {name: _figures(values) for name, values in groups.items() if values},
        "by_op": {name: _figures(values) for name, values in sorted(latencies.items())},
        "client_cpu_seconds": round(result["cpu_seconds"], 2),
        "client_cpu_share": round(result["cpu_seconds"] / elapsed, 3) if elapsed else 0.0,
    }


def run_load(
    context: BenchContext,
    *,
    seconds: float,
    concurrency: int,
    workers: int,
    read_only: bool,
    say: Callable[[str], None],
    warmup: float = 0,
) -> dict[str, Any]:
    """The mixed run and the trivial run, each ``seconds`` long with ``concurrency`` connections, after ``warmup``
    seconds of the mixed workload that are not counted: each new worker process first imports, compiles its
    templates and fills what it remembers (``stats.remembered``), which a run of minutes amortises and one of
    seconds does not."""
    ensure_static()
    ops = mixed_ops(context, read_only=read_only)
    plan = {"host": "127.0.0.1", "seconds": seconds, "concurrency": concurrency, "seed": 1}
    try:
        with terminate_on_sigterm(), server(workers, say) as port:
            if warmup > 0:
                say(f"  warm-up (not counted): {warmup:g} s of the mixed workload")
                run_client({**plan, "seconds": warmup, "port": port, "ops": ops})
            say(f"  mixed workload: {seconds:g} s, {concurrency} connections")
            used_port = port
            mixed_raw = run_client({**plan, "port": port, "ops": ops})
            trivial_ops = [
                {"name": "trivial", "group": "trivial", "weight": 1, "kind": "request", "paths": ["/healthz"]}
            ]
            say(f"  trivial view (GET /healthz): {seconds:g} s, {concurrency} connections")
            trivial_raw = run_client({**plan, "port": port, "ops": trivial_ops})
    finally:
        voided = cases.void_leftovers(context.users["county_department"])  # registered by the load, not voided
    mixed = summarise(mixed_raw, ops)
    trivial = summarise(trivial_raw, trivial_ops)
    return {
        "seconds": seconds,
        "warmup_seconds": warmup,
        "concurrency": concurrency,
        "workers": workers,
        "threads": THREADS,
        "port": used_port,
        "read_only": read_only,
        "hazards_created": len(mixed_raw["created"]),
        "hazards_voided_afterwards": voided,
        "weights": {op["name"]: op["weight"] for op in ops},
        "mixed": mixed,
        "trivial": trivial,
        "trivial_ratio": round(mixed["rps"] / trivial["rps"], 3) if trivial["rps"] else None,
        "targets": THROUGHPUT_TARGETS,
    }


def under_load_target(name: str) -> float | None:
    for prefix, target in UNDER_LOAD_TARGETS.items():
        if name.startswith(prefix):
            return target
    return None
