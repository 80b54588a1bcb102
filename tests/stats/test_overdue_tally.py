"""Each enterprise's overdue hazards (``stats.overdue_tally``): the most overdue enterprises of a province or a city
read off the rows equal raw SQL over the ledger and the ledger path; every change of a hazard recounts its
enterprise (two at once lose nothing); a row not as of today sends the ranking back to the ledger until the nightly
compaction recounts every row."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.hazards import actions
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.stats import cube, overdue_tally, tally
from anjian.stats.cube import Narrowing
from anjian.stats.dashboard import months_back
from anjian.stats.models import EnterpriseOverdueTally
from tests.hazards.helpers import generate
from tests.world import World

TODAY = timezone.localdate()

RANKING_SQL = """
SELECT h.enterprise_id, count(*), count(*) FILTER (WHERE h.level = 'major'), min(h.deadline)
FROM hazards_hazard h JOIN enterprises_enterprise e ON e.id = h.enterprise_id
WHERE e.region_id LIKE %s AND h.status IN ('registered', 'rectifying', 'awaiting_acceptance') AND h.deadline < %s
GROUP BY 1 ORDER BY 2 DESC, 4, 1
"""


def ranking(prefix: str) -> list[tuple[Any, ...]]:
    """Raw SQL over the ledger: (enterprise, overdue, major overdue, oldest deadline), most overdue first."""
    with connection.cursor() as cursor:
        cursor.execute(RANKING_SQL, [f"{prefix}%", TODAY])
        return [tuple(row) for row in cursor.fetchall()]


def listed(rows: list[cube.EnterpriseOverdue]) -> list[tuple[Any, ...]]:
    return [(r.enterprise_id, r.overdue_open, r.major_overdue, r.oldest_deadline) for r in rows]


def via_ledger(narrowing: Narrowing, limit: int = 10) -> list[cube.EnterpriseOverdue]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(overdue_tally, "most_overdue", lambda *args, **kwargs: None)
        return cube.most_overdue_enterprises(narrowing, limit)


@pytest.fixture
def ledger(world: World) -> World:
    generate(world)
    return world


@pytest.mark.django_db
def test_the_ranking_off_the_rows_equals_raw_sql_and_the_ledger(ledger: World) -> None:
    admin = ledger.users["admin"]
    for narrowing, prefix in (
        (Narrowing(admin), ""),
        (Narrowing(admin, region=ledger.regions["province"]), "36"),
        (Narrowing(admin, region=ledger.regions["city"]), "3604"),
    ):
        expected = ranking(prefix)
        assert len(expected) >= 3 and expected[0][1] > expected[-1][1]  # several enterprises, unequal counts
        assert overdue_tally.most_overdue(narrowing, 10, TODAY) == expected[:10]
        top = cube.most_overdue_enterprises(narrowing, 10)
        assert listed(top) == expected[:10] == listed(via_ledger(narrowing))
        with cube.shared_reads(since=TODAY.replace(month=1, day=1)):  # the dashboard's shared read: the same list
            assert cube.most_overdue_enterprises(narrowing, 3) == top[:3]
            months = cube.hazard_breakdown(narrowing, months_back(TODAY, 11), TODAY, "month")
        assert months == cube.hazard_breakdown(narrowing, months_back(TODAY, 11), TODAY, "month")
    # below a city (a county's overdue hazards are few), an industry, a department's remit: the ledger answers
    for narrowing in (
        Narrowing(ledger.users["anweiban"]),
        Narrowing(admin, region=ledger.regions["county"]),
        Narrowing(admin, industry="01"),
        Narrowing(ledger.users["yingji"]),
    ):
        assert overdue_tally.most_overdue(narrowing, 10, TODAY) is None
    assert overdue_tally.most_overdue(Narrowing(admin), 10, TODAY - dt.timedelta(days=1)) is None


@pytest.mark.django_db
def test_a_row_not_as_of_today_sends_the_ranking_to_the_ledger_until_the_night(ledger: World) -> None:
    narrowing = Narrowing(ledger.users["admin"])
    row = EnterpriseOverdueTally.objects.order_by("-n").first()
    assert row is not None and row.as_of == TODAY
    EnterpriseOverdueTally.objects.filter(pk=row.pk).update(as_of=TODAY - dt.timedelta(days=1))
    assert overdue_tally.most_overdue(narrowing, 10, TODAY) is None
    assert listed(cube.most_overdue_enterprises(narrowing, 10)) == ranking("")[:10]  # the ledger's
    EnterpriseOverdueTally.objects.filter(pk=row.pk).update(as_of=row.oldest)  # as of then, nothing was overdue
    assert tally.differences() == [
        f"enterprise_overdue_tally {row.pk} as of {row.oldest}: ledger (0, 0, None), rollup "
        f"{(row.n, row.major, row.oldest)}"
    ]
    assert tally.compact()[1] == len(ranking(""))  # the night: every enterprise with an overdue hazard, as of today
    assert overdue_tally.most_overdue(narrowing, 10, TODAY) == ranking("")[:10]
    assert tally.differences() == []
    # a row as of tomorrow (written after midnight, read before it) does not answer for today either
    EnterpriseOverdueTally.objects.filter(pk=row.pk).update(as_of=TODAY + dt.timedelta(days=1))
    assert overdue_tally.most_overdue(narrowing, 10, TODAY) is None


@pytest.mark.django_db
def test_every_change_recounts_its_enterprise(ledger: World) -> None:
    officer = ledger.users["anweiban"]
    narrowing = Narrowing(ledger.users["admin"])

    def agrees() -> None:
        assert tally.differences() == []
        assert overdue_tally.most_overdue(narrowing, 10, TODAY) == ranking("")[:10]

    agrees()
    awaiting = Hazard.objects.filter(status=HazardStatus.AWAITING_ACCEPTANCE, deadline__lt=TODAY).first()
    assert awaiting is not None
    before = EnterpriseOverdueTally.objects.get(pk=awaiting.enterprise_id).n
    actions.do_accept_rectification(awaiting, actor=awaiting.found_by or officer)  # no longer open
    assert EnterpriseOverdueTally.objects.get(pk=awaiting.enterprise_id).n == before - 1
    agrees()
    registered = Hazard.objects.filter(status=HazardStatus.REGISTERED, deadline__lt=TODAY).first()
    assert registered is not None
    actions.do_void_hazard(registered, reason="重复登记", actor=officer)
    agrees()
    overdue = Hazard.objects.filter(status__in=["registered", "rectifying"], deadline__lt=TODAY).first()
    assert overdue is not None
    overdue.delete()  # recounted after the row went
    agrees()
    later = Hazard.objects.filter(status__in=["registered", "rectifying"], deadline__gte=TODAY).first()
    assert later is not None
    later.deadline = TODAY + dt.timedelta(days=10)
    with CaptureQueriesContext(connection) as queries:  # not overdue before or after: nothing to recount
        later.save()
    assert queries.captured_queries and not any(
        EnterpriseOverdueTally._meta.db_table in q["sql"] for q in queries.captured_queries
    )
    agrees()
    later.deadline = TODAY - dt.timedelta(days=3)  # a deadline moved into the past by an edit
    later.save()
    agrees()


@pytest.mark.django_db(transaction=True)
def test_two_changes_of_one_enterprise_at_once_lose_nothing() -> None:
    """Two officers close two overdue hazards of one enterprise at the same moment: each transaction recounts the
    enterprise after locking its row, so the second sees the first's commit and the row equals the ledger."""
    from tests.world import build_world

    world = build_world()
    generate(world)
    enterprise = world.enterprises["chem"]
    overdue = list(Hazard.objects.filter(enterprise=enterprise, status=HazardStatus.REGISTERED, deadline__lt=TODAY)[:2])
    if len(overdue) < 2:  # make two: the generated history decides how many are left open
        for hazard in Hazard.objects.filter(enterprise=enterprise, status=HazardStatus.CLOSED)[: 2 - len(overdue)]:
            Hazard.objects.filter(pk=hazard.pk).update(status=HazardStatus.REGISTERED, closed_at=None)
        tally.rebuild()
        overdue = list(
            Hazard.objects.filter(enterprise=enterprise, status=HazardStatus.REGISTERED, deadline__lt=TODAY)[:2]
        )
    assert len(overdue) == 2
    before = EnterpriseOverdueTally.objects.get(pk=enterprise.pk).n
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def void(hazard: Hazard) -> None:
        try:
            barrier.wait()
            actions.do_void_hazard(hazard, reason="重复登记", actor=world.users["anweiban"])
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=void, args=(hazard,)) for hazard in overdue]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert EnterpriseOverdueTally.objects.get(pk=enterprise.pk).n == before - 2
    assert tally.differences() == []
