from __future__ import annotations

import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

from tests.world import World, build_world


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def sign_in_as(client: Any, world: World) -> Any:
    """A function giving ``client`` signed in as one of ``world``'s personas (by username)."""

    def sign_in(username: str) -> Any:
        client.logout()
        client.force_login(world.users[username], backend="anjian.orgs.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def client_for(client: Any, world: World) -> Any:
    """A test client signed in as one of the world's personas."""
    return sign_in_as(client, world)
