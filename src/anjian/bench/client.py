"""The load client: many HTTP/1.1 keep-alive connections from one asyncio loop, stdlib only, in its own process.

Run as ``python -m anjian.bench.client`` with the plan as JSON on standard input; it prints the results as JSON
on standard output. It imports nothing of Django, so it stays light and its CPU time (reported) is its own.

The plan: ``{"host", "port", "seconds", "concurrency", "seed", "ops": [op, …]}``; an op is
``{"name", "group", "weight", "kind", "method", "paths" | "path", "headers", "bodies" | "body"}`` where ``kind`` is
``request`` (a path drawn from ``paths``, a body from ``bodies``), ``create`` (a POST whose answer's ``id`` is
kept) or ``transition`` (a POST to ``path`` formatted with the id of a hazard this connection created; a create
when it has none left).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any

REQUEST_TIMEOUT = 60.0


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    transitioned: list[int] = field(default_factory=list)

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 20:
            self.error_samples.append(text[:300])


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        answer = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                answer[name.strip().lower()] = value.strip()
        if answer.get("transfer-encoding", "").lower() == "chunked":
            content = await self._chunked(self.reader)
        else:
            content = await self.reader.readexactly(int(answer.get("content-length", "0")))
        if answer.get("connection", "").lower() == "close":
            await self.close()
        return status, content

    @staticmethod
    async def _chunked(reader: asyncio.StreamReader) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return b"".join(parts)
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)


def _pick(ops: list[dict[str, Any]], rng: random.Random) -> dict[str, Any]:
    return rng.choices(ops, weights=[op["weight"] for op in ops])[0]


async def _user(number: int, plan: dict[str, Any], deadline: float, tally: Tally) -> None:
    rng = random.Random(plan.get("seed", 1) * 1000 + number)  # noqa: S311 - a workload mix, not a secret
    ops = [op for op in plan["ops"] if op["weight"] > 0]
    creator = next((op for op in ops if op["kind"] == "create"), None)
    mine: list[int] = []  # hazards this connection created and has not moved yet
    connection = Connection(plan["host"], plan["port"])
    try:
        while time.monotonic() < deadline:
            op = _pick(ops, rng)
            if op["kind"] == "transition" and not mine and creator is not None:
                op = creator
            if op["kind"] == "transition":
                hazard = mine.pop(0)
                path, body = op["path"].format(id=hazard), op["body"]
            else:
                path = rng.choice(op["paths"]) if "paths" in op else op["path"]
                body = rng.choice(op["bodies"]) if "bodies" in op else op.get("body")
            payload = json.dumps(body).encode() if body is not None else b""
            started = time.perf_counter()
            try:
                status, content = await asyncio.wait_for(
                    connection.request(op.get("method", "GET"), path, op.get("headers", {}), payload),
                    REQUEST_TIMEOUT,
                )
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as error:
                tally.error(f"{op['name']} {path}: {type(error).__name__} {error}")
                await connection.close()
                continue
            elapsed = (time.perf_counter() - started) * 1000
            tally.latencies.setdefault(op["name"], []).append(elapsed)
            key = f"{op['name']} {status}"
            tally.statuses[key] = tally.statuses.get(key, 0) + 1
            if not 200 <= status < 400:
                tally.error(f"{op['name']} {path}: {status} {content[:200].decode('utf-8', 'replace')}")
            elif op["kind"] == "create":
                created = int(json.loads(content)["id"])
                mine.append(created)
                tally.created.append(created)
            elif op["kind"] == "transition":
                tally.transitioned.append(hazard)
    finally:
        await connection.close()


async def run(plan: dict[str, Any]) -> dict[str, Any]:
    tally = Tally()
    started = time.monotonic()
    deadline = started + float(plan["seconds"])
    users = [_user(n, plan, deadline, tally) for n in range(int(plan["concurrency"]))]
    await asyncio.wait_for(asyncio.gather(*users), float(plan["seconds"]) + REQUEST_TIMEOUT + 10)
    elapsed = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "elapsed": elapsed,
        "requests": sum(len(v) for v in tally.latencies.values()),
        "errors": tally.errors,
        "error_samples": tally.error_samples,
        "statuses": tally.statuses,
        "latencies": tally.latencies,
        "created": tally.created,
        "transitioned": tally.transitioned,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


def main() -> int:
    plan = json.load(sys.stdin)
    result = asyncio.run(run(plan))
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
