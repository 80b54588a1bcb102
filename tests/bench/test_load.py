"""The loopback load test for a few seconds: gunicorn on the committed test database, the mixed workload and the
trivial view, no errors, every hazard it registered voided afterwards, the server gone. Never timed."""

from __future__ import annotations

import io
import json
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from anjian.bench import cases, client
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from tests.hazards.helpers import generate
from tests.world import build_world

pytestmark = pytest.mark.slow


@pytest.mark.django_db(transaction=True)  # the server is another process: it must see committed rows
def test_a_few_seconds_of_mixed_load_without_errors(tmp_path: Path, settings: Any) -> None:
    world = build_world()
    generate(world, count=30)
    target = tmp_path / "load.json"
    arguments = ["--no-rows", "--load-seconds", "4", "--load-warmup", "1", "--concurrency", "4", "--workers", "2"]
    arguments.append("--allow-writes")
    call_command("bench", *arguments, "--json", str(target), stdout=io.StringIO())
    load = json.loads(target.read_text(encoding="utf-8"))["load"]
    mixed, trivial = load["mixed"], load["trivial"]
    assert mixed["errors"] == 0, mixed["error_samples"]
    assert trivial["errors"] == 0, trivial["error_samples"]
    assert mixed["requests"] > 0 and trivial["requests"] > 0
    assert mixed["rps"] > 0 and load["trivial_ratio"] > 0
    assert {"p50_ms", "p95_ms", "p99_ms", "by_op", "client_cpu_share"} <= set(mixed)
    assert set(load["weights"]) >= {"list.api.county_department", "dashboard.county", "write.create", "export.small"}
    assert sum(load["weights"].values()) == 100
    assert load["warmup_seconds"] == 1
    # What the load registered is voided again; the server is gone.
    assert not Hazard.objects.filter(description__startswith=cases.BENCH_MARK).exclude(status=HazardStatus.VOIDED)
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", load["port"]), timeout=1):
        pass


def test_the_client_reads_chunked_and_sized_bodies() -> None:
    import asyncio

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await reader.readuntil(b"\r\n\r\n"):
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b'HTTP/1.1 201 Created\r\nContent-Length: 9\r\n\r\n{"id": 7}')
            await writer.drain()

    async def scenario() -> tuple[tuple[int, bytes], tuple[int, bytes]]:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        connection = client.Connection("127.0.0.1", port)
        try:
            first = await connection.request("GET", "/", {}, b"")
            second = await connection.request("POST", "/", {}, b"{}")
        finally:
            await connection.close()
            server.close()
        return first, second

    # A thread of its own: the browser tests' Playwright keeps an event loop running on the main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, scenario()).result(timeout=30) == ((200, b"abcde"), (201, b'{"id": 7}'))
