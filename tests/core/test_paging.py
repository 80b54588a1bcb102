"""Counting stops at the cap: the API says ``count_exact: false`` and the list page says "more than", while the rows
of every page up to the cap are the right ones; below the cap the count is exact."""

from __future__ import annotations

from typing import Any

import pytest

from anjian.core import paging
from anjian.hazards.models import Hazard
from tests.hazards.helpers import generate
from tests.world import World

pytestmark = pytest.mark.django_db


def test_counts_stop_at_the_cap(world: World, client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(world, count=30)
    client = client_for("anweiban")
    total = Hazard.objects.visible_to(world.users["anweiban"]).count()
    assert total > 12
    exact = client.get("/api/v1/hazards?page_size=5").json()
    assert exact["count"] == total and exact["count_exact"] is True

    monkeypatch.setattr(paging, "COUNT_CAP", 12)
    capped = client.get("/api/v1/hazards?page_size=5&ordering=deadline").json()
    assert capped["count"] == 12 and capped["count_exact"] is False
    ids = [
        item["id"] for n in (1, 2, 3) for item in client.get(f"/api/v1/hazards?page_size=5&page={n}").json()["items"]
    ]
    assert len(set(ids)) == 15  # the pages past the cap's count still hold the next rows
    assert set(ids) <= set(Hazard.objects.visible_to(world.users["anweiban"]).values_list("pk", flat=True))

    page = client.get("/hazards/").content.decode()
    assert "超过 12 条" in page
    monkeypatch.setattr(paging, "COUNT_CAP", 10_000)
    assert f"{total} 条" in client.get("/hazards/").content.decode()
