"""Each enterprise's months visited (``stats.visited``) under concurrent changes: two inspections of one enterprise
in one year, recorded at the same moment, both count (each transaction locks the row before reading the months; a
recount reading first, then writing, loses one — checked by hand against that variant, which fails the second
test)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from anjian.inspections.models import Inspection
from anjian.stats import visited
from anjian.stats.models import EnterpriseVisitYear
from tests.inspections.helpers import inspect
from tests.world import build_world

TODAY = timezone.localdate()


@pytest.mark.django_db(transaction=True)
def test_two_inspections_of_one_enterprise_at_once_lose_nothing() -> None:
    """Through the action, end to end: two officers start inspections of one enterprise in a year it had no visit,
    at the same moment; both months count (the test below holds the race open on the recount itself)."""
    world = build_world()
    year = TODAY.year - 3
    enterprise = world.enterprises["chem"]
    assert not EnterpriseVisitYear.objects.filter(enterprise=enterprise, year=year).exists()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def visit(month: int) -> None:
        try:
            barrier.wait()
            inspect(world, key="chem", fail=0, at=dt.datetime(year, month, 10, 1, tzinfo=dt.UTC))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(month,)) for month in (3, 8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert EnterpriseVisitYear.objects.get(enterprise=enterprise, year=year).months == 1 << 2 | 1 << 7
    assert visited.differences() == []


@pytest.mark.django_db(transaction=True)
def test_two_recounts_of_one_row_at_once_lose_nothing() -> None:
    """The recount itself, with nothing else serialising the two: each transaction writes an inspection (bypassing
    ``save``), recounts the row and holds its lock a moment; the second recount waits for the first's commit and
    reads both inspections (a recount reading before the lock would keep only its own month)."""
    world = build_world()
    year = TODAY.year - 3
    model = inspect(world, key="chem", fail=0, at=dt.datetime(year - 1, 6, 10, 1, tzinfo=dt.UTC))
    enterprise_id = model.enterprise_id
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def record(month: int, pause: float) -> None:
        try:
            with transaction.atomic():
                copy = Inspection.objects.get(pk=model.pk)
                copy.pk = None
                copy.started_at = dt.datetime(year, month, 10, 1, tzinfo=dt.UTC)
                Inspection.objects.bulk_create([copy])  # no save: the recount below is the only one
                barrier.wait()
                visited.recount([(enterprise_id, year)])
                time.sleep(pause)  # the first holds the row's lock while the second asks for it
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=args) for args in ((3, 0.5), (8, 0.0))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert EnterpriseVisitYear.objects.get(enterprise_id=enterprise_id, year=year).months == 1 << 2 | 1 << 7
