"""Last year's figures remembered by the process (``stats.remembered``): the second dashboard reads one version
instead of the ledger; a change of a hazard found then, an enterprise moving, a rebuild each make the next answer
the ledger's again (raw SQL); a change of this year's hazards does not; inside a transaction nothing is remembered.

These tests commit (``transaction=True``): inside the test transaction the memory is never used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.hazards import actions
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.stats import cube, remembered, tally
from anjian.stats.cube import Narrowing
from anjian.stats.models import HazardYearVersion
from tests.hazards.helpers import generate
from tests.stats.test_cube import raw
from tests.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()
THIS_YEAR = (TODAY.replace(month=1, day=1), TODAY)
THEN = cube.same_period_last_year(*THIS_YEAR)


@pytest.fixture
def ledger() -> Iterator[World]:
    world = build_world()
    generate(world)
    tally.new_epoch()  # as the migration leaves it (the flush between these tests empties the table)
    remembered.forget()
    yield world
    remembered.forget()


def expected(prefix: str) -> dict[str, int]:
    row = raw(prefix, *THEN).get("", (0, 0, 0, 0, 0))
    return {"found": row[0], "rectified": row[1], "major_found": row[2]}


def asked(narrowing: Narrowing) -> tuple[dict[str, int], list[str]]:
    """The figures, and the SQL it took."""
    with CaptureQueriesContext(connection) as queries:
        figures = cube.previous_figures(narrowing, *THIS_YEAR)
    return figures, [q["sql"] for q in queries.captured_queries]


def read_ledger(sql: list[str]) -> bool:
    return any("hazards_hazard" in statement for statement in sql)


def found_then(world: World, **filters: Any) -> Hazard:
    hazard = (
        Hazard.objects.filter(found_on__range=THEN, enterprise__region__code__startswith="360431", **filters)
        .exclude(status=HazardStatus.VOIDED)
        .order_by("pk")
        .first()
    )
    assert hazard is not None, "the generated ledger holds hazards found a year before"
    return hazard


def test_remembered_until_a_hazard_found_then_changes(ledger: World) -> None:
    county = Narrowing(ledger.users["anweiban"])
    first, sql = asked(county)
    assert first == expected("360431") and read_ledger(sql)
    again, sql = asked(county)
    assert again == first
    assert not read_ledger(sql) and len(sql) == 1 and "stats_hazardyearversion" in sql[0]
    again["found"] = -1  # a copy: the memory is not the caller's to change
    assert cube.previous_figures(county, *THIS_YEAR) == first

    # voiding a hazard found this year leaves last year's version, and the memory, as they were
    this_year = Hazard.objects.filter(found_on__gte=THIS_YEAR[0], status=HazardStatus.REGISTERED).first()
    assert this_year is not None
    actions.do_void_hazard(this_year, reason="重复登记", actor=ledger.users["anweiban"])
    assert not read_ledger(asked(county)[1])

    # voiding one found a year before: the next answer is the ledger's, one fewer found
    hazard = found_then(ledger)
    actions.do_void_hazard(hazard, reason="重复登记", actor=ledger.users["anweiban"])
    after, sql = asked(county)
    assert read_ledger(sql)
    assert after == expected("360431") and after["found"] == first["found"] - 1
    county_row = HazardYearVersion.objects.get(county="360431000000", year=THEN[0].year)
    assert county_row.n >= 1

    # a city's figures are remembered apart, and follow the same versions
    city = Narrowing(ledger.users["admin"], region=ledger.regions["city"])
    assert asked(city)[0] == expected("3604")
    assert not read_ledger(asked(city)[1])


def test_an_enterprise_moving_and_a_rebuild_are_seen(ledger: World) -> None:
    county = Narrowing(ledger.users["anweiban"])
    neighbour = Narrowing(ledger.users["admin"], region=ledger.regions["neighbour_county"])
    assert asked(county)[0] == expected("360431")
    assert asked(neighbour)[0] == expected("360432")
    factory = ledger.enterprises["factory"]
    assert Hazard.objects.filter(enterprise=factory, found_on__range=THEN).exists()
    factory.region = ledger.regions["v4"]  # to the neighbouring county, with its hazards
    factory.save()
    for narrowing, prefix in ((county, "360431"), (neighbour, "360432")):
        figures, sql = asked(narrowing)
        assert read_ledger(sql) and figures == expected(prefix)

    # a hazard written behind the actions' back (a bulk load) is seen after the rebuild that must follow it
    hazard = found_then(ledger)
    Hazard.objects.filter(pk=hazard.pk).update(level="major" if hazard.level != "major" else "general")
    stale = asked(county)
    assert not read_ledger(stale[1])
    tally.rebuild(per_enterprise=False)
    figures, sql = asked(county)
    assert read_ledger(sql) and figures == expected("360431") != stale[0]


def test_nothing_is_remembered_inside_a_transaction(ledger: World) -> None:
    county = Narrowing(ledger.users["anweiban"])
    assert asked(county)[0] == expected("360431")
    with transaction.atomic():
        figures, sql = asked(county)
        assert read_ledger(sql) and figures == expected("360431")
        hazard = found_then(ledger)
        actions.do_void_hazard(hazard, reason="重复登记", actor=ledger.users["anweiban"])
        inside, sql = asked(county)  # its own uncommitted change: read, not remembered
        assert read_ledger(sql) and inside["found"] == figures["found"] - 1
        transaction.set_rollback(True)
    figures, sql = asked(county)  # the void was rolled back: the version read is the one before it
    assert figures == expected("360431") and not read_ledger(sql)


def test_a_new_epoch_after_the_database_is_emptied(ledger: World) -> None:
    """The epoch row is written by the first reader that misses it, at a random number: a database emptied and
    loaded again does not meet the versions the memory holds."""
    HazardYearVersion.objects.all().delete()
    county = Narrowing(ledger.users["anweiban"])
    assert read_ledger(asked(county)[1])  # no epoch: read and not kept, the epoch written
    epoch = HazardYearVersion.objects.get(county="", year=0).n
    assert epoch > 0
    assert read_ledger(asked(county)[1])  # the first read at the new epoch
    assert not read_ledger(asked(county)[1])
    assert remembered.version("360431", THEN[0].year, THEN[1].year) == epoch + sum(
        HazardYearVersion.objects.filter(county__startswith="360431", year=THEN[0].year).values_list("n", flat=True)
    )


def test_figures_of_then_match_after_many_changes(ledger: World) -> None:
    """Actions on hazards found a year before, each followed by the figures: always the ledger's."""
    county = Narrowing(ledger.users["anweiban"])
    officer = ledger.users["anweiban"]
    asked(county)
    then = Hazard.objects.filter(found_on__range=THEN, enterprise__region__code__startswith="360431")
    accepted = list(then.filter(status=HazardStatus.AWAITING_ACCEPTANCE)[:2])
    voided = list(then.filter(status__in=[HazardStatus.REGISTERED, HazardStatus.RECTIFYING])[:2])
    assert accepted or voided, "the generated ledger holds open hazards found a year before"
    for hazard in accepted:
        actions.do_accept_rectification(hazard, actor=hazard.found_by or officer)
        assert asked(county)[0] == expected("360431")
    for hazard in voided:
        actions.do_void_hazard(hazard, reason="重复登记", actor=officer)
        assert asked(county)[0] == expected("360431")


@pytest.mark.django_db(transaction=False)
def test_the_memory_holds_a_bounded_number_of_rows() -> None:
    """Besides its entries, the memory bounds the rows they hold (a province's departments' list is ~1,300 rows):
    the oldest go first; a value bigger than the whole budget is returned and not kept."""
    remembered.forget()
    try:
        big = remembered.ROWS // 2 + 1
        first = remembered.remembered(("rows", 1), 7, lambda: list(range(big)))
        assert remembered.remembered(("rows", 1), 7, list) == first  # kept
        remembered.remembered(("rows", 2), 7, lambda: list(range(big)))  # together over the budget: 1 goes
        assert remembered.remembered(("rows", 1), 7, lambda: ["again"]) == ["again"]
        huge = list(range(remembered.ROWS + 1))
        assert remembered.remembered(("rows", 3), 7, lambda: huge) == huge
        assert remembered.remembered(("rows", 3), 7, lambda: ["computed"]) == ["computed"]
    finally:
        remembered.forget()
