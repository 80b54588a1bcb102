"""The application measured in-process: Django's test ``Client`` through the whole middleware stack, signed in
with a session per persona. A round is timed from the request to the last byte of the response body."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.test import Client

from anjian.bench.context import BenchContext


class BenchFailure(Exception):
    """A request answered something other than what the row expects (the bench stops measuring that row)."""


def _host() -> str:
    """A host name the settings accept (the test client's ``testserver`` is refused outside tests)."""
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            return host
    return "127.0.0.1"


class App:
    def __init__(self, context: BenchContext) -> None:
        self.clients: dict[str, Client] = {}
        for persona, key in context.sessions.items():
            client = Client(raise_request_exception=False, HTTP_HOST=_host())
            client.cookies[settings.SESSION_COOKIE_NAME] = key
            self.clients[persona] = client

    def request(self, persona: str, method: str, path: str, payload: Any = None) -> tuple[int, bytes]:
        client = self.clients[persona]
        if method == "GET":
            response = client.get(path, secure=True)
        else:
            response = client.post(path, data=json.dumps(payload), content_type="application/json", secure=True)
        # The test client closes the response itself (for a streamed one, once it is read): closing it again would
        # send request_finished with close_old_connections connected, which may close the database connection.
        streaming = getattr(response, "streaming", False)
        body = b"".join(response.streaming_content) if streaming else response.content  # type: ignore[attr-defined]
        return response.status_code, body

    def call(self, persona: str, method: str, path: str, payload: Any = None, *, expect: int = 200) -> bytes:
        status, body = self.request(persona, method, path, payload)
        if status != expect:
            raise BenchFailure(f"{method} {path} answered {status}: {body[:300].decode('utf-8', 'replace')}")
        return body

    def get_json(self, persona: str, path: str) -> Any:
        return json.loads(self.call(persona, "GET", path))

    def answers(self, persona: str, path: str) -> bool:
        """Whether ``path`` exists and answers 200 (probing for a module another engineer is still building)."""
        return self.request(persona, "GET", path)[0] == 200
