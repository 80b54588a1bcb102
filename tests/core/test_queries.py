"""Read helpers the ORM lacks: ``any_of`` (ids as one array on PostgreSQL), ``plain_rows`` (the driver's rows)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Sum
from django.db.utils import ConnectionHandler

from anjian.core.queries import plain_rows
from anjian.inspections.models import PenaltyCase
from anjian.orgs.models import Department
from tests.world import World


def test_any_of_is_one_array_on_postgresql_and_finds_what_in_finds(world: World) -> None:
    ids = {d.pk for d in world.departments.values()}
    some = set(sorted(ids)[:3])
    chosen = Department.objects.filter(pk__any_of={*some, None}).order_by("pk")
    sql, params = chosen.query.sql_with_params()
    assert "= ANY(%s::bigint[])" in sql
    assert len(params) == 1  # the ids as one parameter, whatever their number
    assert list(chosen.values_list("pk", flat=True)) == sorted(some)
    assert set(Department.objects.filter(pk__any_of=ids).values_list("pk", flat=True)) == set(
        Department.objects.filter(pk__in=ids).values_list("pk", flat=True)
    )
    assert not Department.objects.filter(pk__any_of=set()).exists()
    # a subquery on the right is the ORM's IN (subquery)
    inner = Department.objects.filter(pk__in=some).values("pk")
    assert set(Department.objects.filter(pk__any_of=inner).values_list("pk", flat=True)) == some


def test_any_of_is_in_elsewhere(world: World) -> None:
    sqlite = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})["default"]
    query = Department.objects.filter(pk__any_of={3, 1, 2}).query
    sql, params = query.get_compiler(connection=sqlite).as_sql()
    assert "IN (%s, %s, %s)" in sql
    assert list(params) == [1, 2, 3]


def test_plain_rows_are_the_orm_rows(world: World) -> None:
    """Integers, text, dates and decimals come back from the driver as the ORM gives them, in tuples."""
    any_department = next(iter(world.departments.values()))
    enterprise = next(iter(world.enterprises.values()))
    for i, fine in enumerate((Decimal("1200.50"), Decimal("300.00"))):
        PenaltyCase.objects.create(
            case_number=f"Q-{i}",
            stage="decided",
            violation_class="irregular",
            filed_on=dt.date(2026, 3, 1),
            decided_on=dt.date(2026, 3, 2 + i),
            department=any_department,
            enterprise=enterprise,
            fines_yuan=fine,
        )
    grouped = (
        PenaltyCase.objects.values("department")
        .annotate(n=Count("department"), fines=Sum("fines_yuan"))
        .order_by("department")
        .values_list("department", "n", "fines")
    )
    rows: list[tuple[Any, ...]] = plain_rows(grouped)
    assert rows == [tuple(row) for row in grouped] == [(any_department.pk, 2, Decimal("1500.50"))]
    days = PenaltyCase.objects.order_by("decided_on").values_list("decided_on", "case_number")
    assert plain_rows(days) == [(dt.date(2026, 3, 2), "Q-0"), (dt.date(2026, 3, 3), "Q-1")]
    assert plain_rows(PenaltyCase.objects.filter(pk__in=[]).values_list("pk")) == []  # nothing to ask
    assert connection.vendor == "postgresql"
