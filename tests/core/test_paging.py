"""Counting stops at the cap: the API says ``count_exact: false`` and the list page says "more than", while the rows
of every page up to the cap are the right ones; below the cap the count is exact."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count

from anjian.core import paging
from anjian.enterprises.models import Enterprise
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


def test_a_ledger_page_is_read_ids_first_in_the_lists_order(world: World, django_assert_num_queries: Any) -> None:
    generate(world, count=30)
    user = world.users["anweiban"]
    listed = Hazard.objects.visible_to(user).with_list_related()
    for ordering in (("deadline", "pk"), ("-found_on", "-pk"), ("enterprise__name", "-pk")):
        queryset = listed.order_by(*ordering)
        expected = list(queryset.values_list("pk", flat=True))
        for offset in (0, 7, 28, 40):
            with django_assert_num_queries(2 if offset < len(expected) else 1):  # the ids, then their rows
                rows = paging.page_rows(queryset, offset, 7)
            assert [row.pk for row in rows] == expected[offset : offset + 7]
            with django_assert_num_queries(0):  # the rows come with what the list shows
                assert all(row.enterprise.region.name and row.hazard_type.name for row in rows)


def test_registers_and_grouped_lists_are_read_in_one_step(world: World, django_assert_num_queries: Any) -> None:
    generate(world, count=5)
    enterprises = Enterprise.objects.order_by("name", "pk")
    expected = list(enterprises.values_list("pk", flat=True))[1:4]
    with django_assert_num_queries(1):
        assert [e.pk for e in paging.page_rows(enterprises, 1, 3)] == expected
    grouped = Hazard.objects.values("enterprise_id").annotate(n=Count("pk")).order_by("enterprise_id")
    counts = [row["n"] for row in grouped]
    with django_assert_num_queries(1):
        assert [row["n"] for row in paging.page_rows(grouped.all(), 0, 50)] == counts
    assert paging.page_rows(Hazard.objects.order_by("pk"), 0, 0) == []
