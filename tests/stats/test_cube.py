"""The rollups stay equal to the ledger through every action, and the figures read off them equal raw SQL over the
ledger and the ledger path — totals, breakdowns, year on year — for several personas, regions and periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from anjian.hazards import actions
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.stats import cube, tally
from anjian.stats.cube import Narrowing, hazard_breakdown, hazard_totals
from anjian.stats.hazards import end_of_day, hazard_figures
from anjian.stats.models import PAST_DEADLINE, HazardTally, OpenHazardTally
from tests.hazards.helpers import generate
from tests.world import World

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def month_start(months_back: int) -> dt.date:
    day = TODAY.replace(day=1)
    for _ in range(months_back):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day


def month_end(months_back: int) -> dt.date:
    return (month_start(months_back) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


ALIGNED = [
    (dt.date(TODAY.year, 1, 1), TODAY),  # this year to date
    (month_start(13), month_end(1)),  # thirteen whole months up to last month
    (month_start(9), month_end(4)),  # a past half-year
    (month_start(2), TODAY + dt.timedelta(days=20)),  # ends in the future
]
UNALIGNED = [(TODAY - dt.timedelta(days=200), TODAY - dt.timedelta(days=45))]

SQL = """
WITH h AS (
  SELECT h.*, e.region_id, i.code AS industry_code, c.code AS category_code, COALESCE(
    (SELECT x.requested_deadline FROM hazards_hazardextension x
      WHERE x.hazard_id = h.id AND x.status = 'approved' AND x.decided_at < %(boundary)s
      ORDER BY x.decided_at DESC, x.id DESC LIMIT 1),
    h.original_deadline) AS deadline_then,
    (h.status = 'closed' AND h.closed_at < %(boundary)s) AS closed_then
  FROM hazards_hazard h
  JOIN enterprises_enterprise e ON e.id = h.enterprise_id
  JOIN enterprises_industry i ON i.id = e.industry_id
  LEFT JOIN enterprises_industry c ON c.id = i.parent_id
  WHERE h.status <> 'voided' AND e.region_id LIKE %(prefix)s AND h.found_on <= %(end)s
    AND (%(category)s = '' OR c.code = %(category)s)
)
SELECT {key},
  count(*) FILTER (WHERE found_on >= %(start)s),
  count(*) FILTER (WHERE found_on >= %(start)s AND closed_then),
  count(*) FILTER (WHERE found_on >= %(start)s AND level = 'major'),
  count(*) FILTER (WHERE found_on >= %(start)s AND level = 'major' AND closed_then),
  count(*) FILTER (WHERE NOT closed_then AND deadline_then < %(end)s)
FROM h GROUP BY 1
"""


def raw(prefix: str, start: dt.date, end: dt.date, key: str = "''", category: str = "") -> dict[str, tuple[int, ...]]:
    """Raw SQL over the ledger: (found, rectified, major found, major rectified, overdue) per bucket."""
    params: dict[str, Any] = {"boundary": end_of_day(end), "prefix": prefix + "%", "start": start, "end": end}
    params["category"] = category
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(key=key), params)
        return {str(row[0]): tuple(row[1:]) for row in cursor.fetchall()}


def figures_of(row: Any) -> tuple[int, ...]:
    return (row.found, row.rectified, row.major_found, row.major_rectified, row.overdue_open)


@pytest.fixture
def ledger(world: World) -> World:
    generate(world)
    return world


def test_rollups_follow_every_action(ledger: World) -> None:
    """Registering, starting, extending, submitting, accepting, rejecting and voiding (done by ``generate``), then
    more of each now, and an enterprise moving county: the maintained rollups equal a rebuild from the ledger."""
    assert HazardTally.objects.exists()
    assert tally.differences() == []
    officer = ledger.users["anweiban"]
    awaiting = Hazard.objects.filter(status=HazardStatus.AWAITING_ACCEPTANCE, finding_department__isnull=False)
    for hazard in awaiting[:3]:
        actions.do_accept_rectification(hazard, actor=hazard.found_by or officer)
    for hazard in Hazard.objects.filter(status=HazardStatus.REGISTERED)[:2]:
        actions.do_void_hazard(hazard, reason="重复登记", actor=officer)
    assert tally.differences() == []
    factory = ledger.enterprises["factory"]
    factory.region = ledger.regions["v4"]  # to the neighbouring county
    factory.save()
    assert tally.differences() == []
    assert Hazard.objects.filter(enterprise=factory).exists()


def test_rebuild_gives_the_maintained_rows_and_the_check_names_a_tampered_one(ledger: World) -> None:
    before = sorted(HazardTally.objects.exclude(n=0).values_list(*tally.TALLY_KEY, "n"))
    call_command("rebuild_tallies")
    assert sorted(HazardTally.objects.values_list(*tally.TALLY_KEY, "n")) == before
    call_command("rebuild_tallies", "--check")
    row = HazardTally.objects.filter(n__gt=0).first()
    assert row is not None
    HazardTally.objects.filter(pk=row.pk).update(n=row.n + 1)
    found = tally.differences()
    assert len(found) == 1 and str(row.county) in found[0]
    with pytest.raises(CommandError):
        call_command("rebuild_tallies", "--check")


def test_past_deadlines_are_folded_and_the_overdue_figures_stay_exact(ledger: World) -> None:
    """The rebuild folds the open-hazard rows of past deadlines into PAST_DEADLINE rows. An overdue hazard closed
    afterwards leaves −1 rows at its own deadline, which sum with the folded ones (the check and the figures agree
    with the ledger) until the nightly compaction folds them too."""
    county, city = Narrowing(ledger.users["anweiban"]), Narrowing(ledger.users["admin"], region=ledger.regions["city"])
    start, end = ALIGNED[0]

    def overdue_equals_raw_sql() -> None:
        for narrowing, prefix in ((county, "360431"), (city, "3604")):
            assert hazard_totals(narrowing, start, end).overdue_open == raw(prefix, start, end)[""][4]
            rows = hazard_breakdown(narrowing, start, end, "source")
            expected = {k: v[4] for k, v in raw(prefix, start, end, key="source").items() if v[4]}
            assert {r.key: r.overdue_open for r in rows if r.overdue_open} == expected

    call_command("rebuild_tallies")
    past = OpenHazardTally.objects.filter(deadline__lt=TODAY)
    assert past.exists() and not past.exclude(deadline=PAST_DEADLINE).exists()
    assert OpenHazardTally.objects.filter(deadline__gte=TODAY).exists()  # today's and later deadlines: their own rows
    overdue_equals_raw_sql()

    officer = ledger.users["anweiban"]
    hazard = Hazard.objects.filter(
        status=HazardStatus.AWAITING_ACCEPTANCE, deadline__lt=TODAY, enterprise__region__code__startswith="360431"
    ).first()
    assert hazard is not None
    actions.do_accept_rectification(hazard, actor=hazard.found_by or officer)
    strays = past.exclude(deadline=PAST_DEADLINE)
    assert set(strays.values_list("deadline", flat=True)) == {hazard.deadline}
    assert set(strays.values_list("n", flat=True)) == {-1} and strays.filter(tier=2).exists()  # every tier's
    assert tally.differences() == []
    overdue_equals_raw_sql()

    n = strays.count()
    assert tally.compact()[0] == n > 0
    assert not strays.exists()
    assert tally.differences() == []
    overdue_equals_raw_sql()
    assert tally.compact()[0] == 0
    call_command("rebuild_tallies", "--compact")  # the scheduler's job
    assert tally.differences() == []


def test_totals_equal_raw_sql(ledger: World) -> None:
    admin = ledger.users["admin"]
    for narrowing, prefix, via_rollups in (
        (Narrowing(ledger.users["anweiban"]), "360431", True),  # a county: its tier's rows
        (Narrowing(admin), "", True),  # everything: the provinces' rows
        (Narrowing(admin, region=ledger.regions["province"]), "36", True),  # a province's own rows
        (Narrowing(admin, region=ledger.regions["city"]), "3604", True),  # a city's
        (Narrowing(ledger.users["zhen1"]), "360431101", False),
    ):
        persona = prefix
        checked = 0
        for start, end in ALIGNED + UNALIGNED:
            expected = raw(prefix, start, end).get("", (0, 0, 0, 0, 0))
            assert figures_of(hazard_totals(narrowing, start, end)) == expected, (persona, start, end)
            assert tally.answers(narrowing, start, end) is (via_rollups and (start, end) in ALIGNED)
            checked += expected[0]
        assert checked > 20, persona


def test_narrowed_totals_equal_raw_sql(ledger: World) -> None:
    admin = ledger.users["admin"]
    city, county = ledger.regions["city"], ledger.regions["neighbour_county"]
    for start, end in ALIGNED:
        for narrowing, prefix, category in (
            (Narrowing(admin, region=city), "3604", ""),
            (Narrowing(admin, region=county), "360432", ""),
            (Narrowing(admin, industry="01"), "", "01"),
        ):
            assert tally.answers(narrowing, start, end)
            expected = raw(prefix, start, end, category=category).get("", (0, 0, 0, 0, 0))
            assert figures_of(hazard_totals(narrowing, start, end)) == expected
    # a department's remit, or a scale, is answered from the ledger
    yingji = ledger.users["yingji"]
    start, end = ALIGNED[0]
    narrowing = Narrowing(yingji)
    assert not tally.answers(narrowing, start, end)
    assert hazard_totals(narrowing, start, end) == hazard_figures(Hazard.objects.visible_to(yingji), start, end)
    by_scale = Narrowing(ledger.users["admin"], scale="below_quota")
    assert not tally.answers(by_scale, start, end)


BREAKDOWN_SQL_KEYS = {
    "subregion": "",  # by the region's children
    "category": "category_code",
    "source": "source",
    "type": "hazard_type_id",
    "management": "management_class",
    "level": "level",
}


@pytest.mark.parametrize(("region", "prefix"), [("city", "3604"), ("province", "36")])
def test_breakdowns_equal_raw_sql_and_add_up(ledger: World, region: str, prefix: str) -> None:
    """A city's counties (the county tier's rows), a province's cities (the city tier's) and the other dimensions
    (the region's own tier) equal the ledger's answer."""
    admin = ledger.users["admin"]
    narrowing = Narrowing(admin, region=ledger.regions[region])
    for dimension, key in BREAKDOWN_SQL_KEYS.items():
        if dimension == "subregion":
            key = f"substr(region_id, 1, {len(prefix) + 2})"
        for start, end in ALIGNED:
            assert tally.answers(narrowing, start, end, dimension)  # type: ignore[arg-type]
            rows = hazard_breakdown(narrowing, start, end, dimension)  # type: ignore[arg-type]
            expected = raw(prefix, start, end, key=key)
            got = {row.key: figures_of(row) for row in rows if any(figures_of(row))}
            assert got == {k: v for k, v in expected.items() if any(v)}, (dimension, start, end)
            total = hazard_totals(narrowing, start, end)
            assert sum(row.found for row in rows) == total.found
            assert sum(row.overdue_open for row in rows) == total.overdue_open


def test_both_paths_give_the_same_breakdowns(ledger: World) -> None:
    admin = ledger.users["admin"]
    narrowing = Narrowing(admin, region=ledger.regions["city"])
    for start, end in (ALIGNED[0], ALIGNED[1]):  # to today, and a past period
        via_rollups = cube.hazard_breakdowns(narrowing, start, end, cube.DIMENSIONS)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tally, "answers", lambda *args, **kwargs: False)
            via_ledger = cube.hazard_breakdowns(narrowing, start, end, cube.DIMENSIONS)
        assert via_rollups == via_ledger
        assert all(any(row.found for row in rows) for rows in via_rollups.values())


def test_months_year_on_year_and_top_lists(ledger: World) -> None:
    narrowing = Narrowing(ledger.users["anweiban"])
    start, end = month_start(11), TODAY
    months = hazard_breakdown(narrowing, start, end, "month")
    assert months[0].key == start.strftime("%Y-%m") and len(months) == 12
    total = hazard_totals(narrowing, start, end)
    assert sum(row.found for row in months) == total.found
    assert sum(row.rectified for row in months) == total.rectified
    expected = raw("360431", start, end, key="to_char(found_on, 'YYYY-MM')")
    for row in months:
        found = expected.get(row.key, (0, 0, 0, 0, 0))
        assert (row.found, row.rectified, row.major_found) == found[:3]
    overdue = {k: v[4] for k, v in expected.items() if v[4] and k >= months[0].key}  # of the period's finds
    assert {r.key: r.overdue_open for r in months if r.overdue_open} == overdue
    with cube.shared_reads():  # today's overdue hazards, read once: the same months and top list
        assert hazard_breakdown(narrowing, start, end, "month") == months
        shared_worst = cube.most_overdue_enterprises(narrowing, limit=3)
    assert shared_worst == cube.most_overdue_enterprises(narrowing, limit=3) and shared_worst

    # year on year
    start, end = month_start(2), month_end(1)
    change = cube.hazard_change(narrowing, start, end)
    last = cube.same_period_last_year(start, end)
    assert change["found"].current == raw("360431", start, end)[""][0]
    assert change["found"].previous == raw("360431", *last).get("", (0,))[0]

    # this year to date against the same dates a year before, for a city and a county: found, rectified and major
    # found, exactly (whole months from the rollups, the partial month and the closures in it from the ledger); a
    # town (the ledger): every figure, the overdue one at that past day too
    this_year = (TODAY.replace(month=1, day=1), TODAY)
    then = cube.same_period_last_year(*this_year)
    for region_narrowing, prefix in (
        (Narrowing(ledger.users["admin"], region=ledger.regions["city"]), "3604"),
        (narrowing, "360431"),
    ):
        before = raw(prefix, *then).get("", (0, 0, 0, 0, 0))
        previous = {"found": before[0], "rectified": before[1], "major_found": before[2]}
        assert cube.previous_figures(region_narrowing, *this_year) == previous, prefix
    for start, end in ALIGNED[1:3]:  # whole months a year before: the rollups alone
        before = raw("360431", *cube.same_period_last_year(start, end)).get("", (0, 0, 0, 0, 0))
        previous = {"found": before[0], "rectified": before[1], "major_found": before[2]}
        assert cube.previous_figures(narrowing, start, end) == previous
    town = cube.previous_figures(Narrowing(ledger.users["zhen1"]), *this_year)
    assert tuple(town.values()) == tuple(raw("360431101", *then).get("", (0, 0, 0, 0, 0))[i] for i in (0, 1, 2, 4))
    # top lists
    worst = cube.most_overdue_enterprises(narrowing, limit=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT h.enterprise_id, count(*) FROM hazards_hazard h JOIN enterprises_enterprise e ON e.id = "
            "h.enterprise_id WHERE e.region_id LIKE '360431%%' AND h.status IN ('registered', 'rectifying', "
            "'awaiting_acceptance') AND h.deadline < %s GROUP BY 1 ORDER BY 2 DESC",
            [TODAY],
        )
        expected = cursor.fetchall()
    assert [(e.enterprise_id, e.overdue_open) for e in worst][: len(expected)] == [tuple(r) for r in expected][:3]
    lagging = cube.lagging_departments(narrowing, *ALIGNED[1])
    assert lagging and all(d.found >= d.rectified for d in lagging)
    rates = [d.rectification_rate for d in lagging]
    assert rates == sorted(rates, key=lambda r: r or 0)


def test_county_towns_departments_and_inspection_finds_off_the_rollups(ledger: World) -> None:
    """The town, finding-department and inspection facets answer what the ledger answers: a county's towns, the
    departments' rectification (this year to today, from the rollups; a past period, from the ledger) and the
    hazards government inspections found."""
    from anjian.inspections.choices import InspectionKind
    from anjian.stats.inspections import inspection_figures
    from tests.inspections.helpers import inspect
    from tests.stats.test_inspections import visit

    now = timezone.now()
    inspect(ledger, key="chem", fail=2, at=now)  # two finds of a government inspection
    inspect(ledger, key="factory", fail=1, at=now)
    visit(ledger, "qiye1", "chem", now, kind=InspectionKind.SELF)  # the enterprise's own: not counted
    assert tally.differences() == []
    narrowing = Narrowing(ledger.users["anweiban"])
    start, end = ALIGNED[0]
    assert tally.answers(narrowing, start, end, "subregion")
    towns = hazard_breakdown(narrowing, start, end, "subregion")
    expected = raw("360431", start, end, key="substr(region_id, 1, 9)")
    assert {r.key: figures_of(r) for r in towns if any(figures_of(r))} == {k: v for k, v in expected.items() if any(v)}
    assert len([r for r in towns if r.found]) >= 2
    assert not tally.answers(Narrowing(ledger.users["anweiban"], industry="01"), start, end, "subregion")

    past = ALIGNED[1]  # a past period: overdue at its end with the deadlines then, from the shared facts
    with cube.shared_reads():
        via_rollups = cube.lagging_departments(narrowing, start, end, limit=50)
        past_via_rollups = cube.lagging_departments(narrowing, *past, limit=50)
        worst_then = cube.overdue_by_enterprise(cube.overdue_facts(narrowing, past[1]), 5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tally, "answers", lambda *args, **kwargs: False)
        via_ledger = cube.lagging_departments(narrowing, start, end, limit=50)
        past_via_ledger = cube.lagging_departments(narrowing, *past, limit=50)
        by_ledger = inspection_figures(ledger.users["anweiban"], start, end).hazards_found_by_inspection
    assert via_rollups == via_ledger and via_rollups
    with cube.shared_reads(since=start):  # today's overdue finds per department, read with the top list
        shared = cube.overdue_today(narrowing, end)
        assert shared is not None and shared.since == start.strftime("%Y-%m")
        assert cube.lagging_departments(narrowing, start, end, limit=50) == via_ledger
    assert shared.by_department is not None  # a county's: read with its top list
    assert any(d.overdue_open for d in via_ledger) and sum(shared.by_department.values()) >= max(
        d.overdue_open for d in via_ledger
    )
    assert past_via_rollups == past_via_ledger and any(d.overdue_open for d in past_via_ledger)

    # The whole province: the top list and the months come off the rollups, so today's read is not run for the
    # departments alone; the few ranked departments' overdue finds come from the ledger, the same ranking.
    everything = Narrowing(ledger.users["admin"])
    for limit in (1, 2, 3, 5, 50):
        with cube.shared_reads(since=start):
            shared = cube.overdue_today(everything, end)
            assert shared is not None and shared.by_department is None
            few = cube.lagging_departments(everything, start, end, limit=limit)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tally, "answers", lambda *args, **kwargs: False)
            assert few == cube.lagging_departments(everything, start, end, limit=limit), limit
    assert any(d.overdue_open for d in few)
    assert sum(e.overdue_open for e in worst_then) <= raw("360431", *past)[""][4]
    assert worst_then and worst_then[0].overdue_open == max(e.overdue_open for e in worst_then)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM hazards_hazard h JOIN enterprises_enterprise e ON e.id = h.enterprise_id "
            "JOIN inspections_inspection s ON s.id = h.inspection_id WHERE e.region_id LIKE '360431%%' "
            "AND s.kind <> 'self' AND h.status <> 'voided' AND h.found_on BETWEEN %s AND %s",
            [start, end],
        )
        (found_by_inspections,) = cursor.fetchone()
    assert inspection_figures(ledger.users["anweiban"], start, end).hazards_found_by_inspection == by_ledger
    assert by_ledger == found_by_inspections >= 3


DEPARTMENTS_SQL = """
SELECT {column}::text, count(*), count(*) FILTER (WHERE h.status = 'closed' AND h.closed_at < %(boundary)s),
       count(*) FILTER (WHERE h.level = 'major')
FROM hazards_hazard h JOIN enterprises_enterprise e ON e.id = h.enterprise_id
LEFT JOIN inspections_inspection s ON s.id = h.inspection_id
WHERE h.status <> 'voided' AND e.region_id LIKE '360431%%' AND h.found_on BETWEEN %(start)s AND %(end)s
  AND {condition}
GROUP BY 1
"""


def test_the_department_facets_by_year_answer_whole_years(ledger: World) -> None:
    """A period of whole years (this year to today, last year, both) reads the department and inspection facets'
    rows by year: the same figures as their month rows and as raw SQL; other periods read the month rows; the rows
    the actions kept are the ones ``write_years`` writes."""
    from anjian.stats.models import Facet
    from tests.inspections.helpers import inspect

    inspect(ledger, key="chem", fail=2, at=timezone.now())
    inspect(ledger, key="factory", fail=1, at=dt.datetime(TODAY.year - 1, 6, 15, 2, tzinfo=dt.UTC))
    assert tally.differences() == []
    narrowing = Narrowing(ledger.users["anweiban"])
    this_year, last_year = dt.date(TODAY.year, 1, 1), dt.date(TODAY.year - 1, 1, 1)
    conditions = {
        Facet.DEPARTMENT: ("h.finding_department_id", "h.finding_department_id IS NOT NULL"),
        Facet.INSPECTION: ("COALESCE(s.department_id::text, '')", "s.id IS NOT NULL AND s.kind <> 'self'"),
    }
    for start, end in ((this_year, TODAY), (last_year, this_year - dt.timedelta(days=1)), (last_year, TODAY)):
        assert tally.whole_years(start, end)
        for facet, (column, condition) in conditions.items():
            by_year = tally.by_facet(narrowing, start, end, facet, overdue=False)
            by_month = tally._cells(narrowing, start, end, facet, "value", overdue=False)
            assert by_year == by_month and by_year, (facet, start, end)
            with connection.cursor() as cursor:
                params = {"boundary": end_of_day(end), "start": start, "end": end}
                cursor.execute(DEPARTMENTS_SQL.format(column=column, condition=condition), params)
                expected = {key: (found, rectified, major) for key, found, rectified, major in cursor.fetchall()}
            got = {key: (c["found"], c["rectified"], c["major_found"]) for key, c in by_year.items() if c["found"]}
            assert got == expected
    assert not tally.whole_years(month_start(2), TODAY)  # a quarter: the month rows
    assert not tally.whole_years(last_year, dt.date(TODAY.year - 1, 11, 30))
    assert not tally.whole_years(dt.date(TODAY.year, 1, 2), TODAY)
    year_rows = HazardTally.objects.filter(facet__in=tally.YEAR_FACETS.values()).exclude(n=0)
    kept = sorted(year_rows.values_list(*tally.TALLY_KEY, "n"))
    assert kept and {row[3].month for row in kept} == {1} and tally.write_years() == len(kept)
    assert sorted(year_rows.values_list(*tally.TALLY_KEY, "n")) == kept


def test_the_overdue_per_month_found_comes_off_the_open_rollup(ledger: World) -> None:
    """Today's overdue hazards per month found (the trend's overdue column) are read off the open-hazard rows by
    month found, for a county and a city, before and after the nightly folding; the shared read of today's overdue
    hazards then leaves them out; the rows the actions kept are the ones ``write_found_months`` writes."""
    from anjian.stats.models import Facet

    county, city = Narrowing(ledger.users["anweiban"]), Narrowing(ledger.users["admin"], region=ledger.regions["city"])
    start = month_start(13)
    for hazard in Hazard.objects.filter(status=HazardStatus.REGISTERED, deadline__lt=TODAY)[:2]:
        actions.do_void_hazard(hazard, reason="重复登记", actor=ledger.users["anweiban"])  # two overdue fewer

    def equal_raw_sql() -> None:
        for narrowing, prefix in ((county, "360431"), (city, "3604")):
            assert tally.knows_found_months(narrowing)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT to_char(h.found_on, 'YYYY-MM'), count(*) FROM hazards_hazard h "
                    "JOIN enterprises_enterprise e ON e.id = h.enterprise_id WHERE e.region_id LIKE %s "
                    "AND h.status IN ('registered', 'rectifying', 'awaiting_acceptance') AND h.deadline < %s "
                    "AND h.found_on >= %s GROUP BY 1",
                    [prefix + "%", TODAY, start],
                )
                expected = dict(cursor.fetchall())
            assert tally._month_overdue(narrowing, start, TODAY) == expected and expected
            rows = hazard_breakdown(narrowing, start, TODAY, "month")
            assert {r.key: r.overdue_open for r in rows if r.overdue_open} == expected

    equal_raw_sql()
    tally.compact()
    equal_raw_sql()
    with cube.shared_reads():
        shared = cube.overdue_today(county, TODAY)
        assert shared is not None and shared.by_month == {}
    assert not tally.knows_found_months(Narrowing(ledger.users["anweiban"], industry="01"))
    found_rows = OpenHazardTally.objects.filter(facet=Facet.FOUND).exclude(n=0)
    kept = sorted(found_rows.values_list(*tally.OPEN_KEY, "n"))
    assert {row[0] for row in kept} == {2, 4, 6} and tally.write_found_months() == len(kept)
    assert sorted(found_rows.values_list(*tally.OPEN_KEY, "n")) == kept


def test_api_breakdown_adds_up_to_the_totals(ledger: World, client_for: Any) -> None:
    client = client_for("anweiban")
    start, end = ALIGNED[0]
    query = f"start={start}&end={end}"
    totals = client.get(f"/api/v1/stats/hazards?{query}").json()
    for dimension in cube.DIMENSIONS:
        response = client.get(f"/api/v1/stats/hazards/breakdown?{query}&by={dimension}")
        assert response.status_code == 200, response.content
        rows = response.json()
        assert sum(row["found"] for row in rows) == totals["found"], dimension
        assert sum(row["rectified"] for row in rows) == totals["rectified"], dimension
    assert client.get(f"/api/v1/stats/hazards/breakdown?{query}&by=colour").status_code == 422
    small = client.get(f"/api/v1/stats/hazards?{query}&scale=below_quota").json()
    expected = hazard_figures(
        Hazard.objects.filter(enterprise__scale="below_quota", enterprise__region__code__startswith="360431"),
        start,
        end,
    )
    assert small["found"] == expected.found and small["overdue_open"] == expected.overdue_open
    assert client.get(f"/api/v1/stats/hazards?{query}&scale=huge").status_code == 422
    foreign = ledger.enterprises["neighbour"].pk
    assert client.get(f"/api/v1/stats/hazards?{query}&enterprise={foreign}").status_code == 404


def test_the_lagging_departments_rank_by_the_rate_as_it_is_rounded() -> None:
    """The integer key the ranking sorts by is the rate as ``rate`` rounds it (half up, 4 places), ×10,000: the
    exact halves included (1/8 → 0.1250, 1/32 → 0.0313, 1/160 → 0.0063)."""
    from anjian.stats.hazards import rate

    pairs = [
        (part, whole) for whole in (1, 3, 7, 8, 32, 160, 3200, 99991) for part in range(0, whole + 1, 1 + whole // 500)
    ]
    assert all(cube._rate_key(part, whole) == rate(part, whole) * 10000 for part, whole in pairs)  # type: ignore[operator]
