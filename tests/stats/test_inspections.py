"""The enforcement figures and the 打非治违 tallies equal raw SQL written independently over the same records, for
several personas' scopes; through the function and through /api/v1/stats/inspections and /stats/crackdown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import asdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.core.scoping import Scope
from anjian.enterprises.models import Enterprise
from anjian.hazards import actions as hazard_actions
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.inspections import actions, enforcement
from anjian.inspections.choices import DocumentKind, InspectionKind, ItemResult, PenaltyKind, ViolationClass
from anjian.inspections.models import EnforcementDocument, Inspection, PenaltyCase
from anjian.orgs.models import Department
from anjian.stats import cube, tally, visit_tally
from anjian.stats.inspections import (
    EnforcementRecords,
    by_department,
    crackdown_figures,
    inspection_figures,
    visits_by,
    wan,
)
from anjian.stats.models import Facet, Tier, VisitTally
from anjian.stats.territory import holds_every_enterprise
from tests.conftest import sign_in_as
from tests.inspections.helpers import inspect
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=90)
END = TODAY - dt.timedelta(days=30)


Items = list[dict[str, Any]]


def local(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def day(n: int) -> dt.date:
    """The n-th day after the start of the period."""
    return START + dt.timedelta(days=n)


# --- the records ------------------------------------------------------------------------------------------------


def visit(world: World, username: str, key: str, at: dt.datetime, *, kind: str, fail: int = 1) -> Inspection:
    """An inspection that needs no certified pair: a self-inspection or an expert diagnosis."""
    actor = world.users[username]
    inspection = actions.do_start_inspection(world.enterprises[key], kind=kind, actor=actor, at=at)
    assert inspection.checklist is not None
    for n, item in enumerate(inspection.checklist.items.all()):
        result = ItemResult.FAIL if n < fail else ItemResult.PASS
        note = "现场发现问题" if result == ItemResult.FAIL else ""
        actions.do_record_result(inspection, item=item, result=result, note=note, actor=actor, at=at)
    return actions.do_complete_inspection(
        inspection,
        actor=actor,
        enterprise_signer="李四",
        deadline=timezone.localdate(at) + dt.timedelta(days=20),
        at=at,
    )


def issue(
    world: World, kind: DocumentKind, inspection: Inspection, at: dt.datetime | None, **extra: Any
) -> EnforcementDocument:
    yingji = world.users["yingji"]
    draft = enforcement.do_draft_document(
        kind, enterprise=inspection.enterprise, actor=yingji, inspection=inspection, **extra
    )
    return draft if at is None else enforcement.do_issue_document(draft, actor=yingji, at=at)


def case(
    world: World,
    key: str,
    violation: str,
    items: Items,
    *,
    filed: dt.date,
    notified: dt.date | None = None,
    decided: dt.date | None = None,
    username: str = "yingji",
) -> PenaltyCase:
    """A case filed, and if dates are given notified and decided (the decision's documents on those days)."""
    actor = world.users[username]
    penalty = enforcement.do_file_case(
        world.enterprises[key], violation_class=violation, facts="违法事实", items=items, actor=actor, filed_on=filed
    )
    if notified is not None:
        penalty = enforcement.do_notify_case(penalty, actor=actor, at=local(notified, 9))
    if decided is not None:
        penalty = enforcement.do_decide_case(penalty, actor=actor, at=local(decided, 15))
    return penalty


def build(world: World) -> None:
    """Inspections, documents and cases in and around the period [START, END]."""
    yingji = world.users["yingji"]
    chem_licence, factory_licence = world.licences["chem"].pk, world.licences["factory"].pk
    # Government inspections by yingji + yingji2; the period's edges are local days (00:05 counts, 23:55 before not).
    first = inspect(world, key="chem", fail=1, at=local(START, 0, 5))
    inspect(world, key="chem", fail=1, at=local(START - dt.timedelta(days=1), 23, 55))
    second = inspect(world, key="chem", fail=2, at=local(day(20)))
    third = inspect(world, key="factory", fail=0, at=local(day(30)))
    inspect(world, key="factory", fail=1, at=local(END, 23, 50))
    inspect(world, key="factory", fail=0, at=local(END + dt.timedelta(days=1), 0, 10))
    # Not a government visit; another department's expert diagnosis; another county's.
    visit(world, "qiye1", "chem", local(day(25)), kind=InspectionKind.SELF)
    visit(world, "xiaofang", "factory", local(day(40)), kind=InspectionKind.EXPERT)
    visit(world, "neighbour_officer", "neighbour", local(day(40)), kind=InspectionKind.EXPERT)
    # A voided finding counts nowhere.
    voided = Hazard.objects.filter(inspection=second).order_by("pk").first()
    assert voided is not None
    hazard_actions.do_void_hazard(voided, reason="不构成隐患", actor=yingji)
    # Documents: issued in the period (one then served), a draft, one issued today.
    record = issue(world, DocumentKind.SITE_RECORD, first, local(day(1)))
    enforcement.do_serve_document(record, served_on=day(2), received_by="张三", actor=yingji)
    hazards = list(Hazard.objects.filter(inspection=second).exclude(status=HazardStatus.VOIDED))
    issue(
        world,
        DocumentKind.RECTIFICATION_ORDER,
        second,
        local(day(21)),
        hazards=hazards,
        deadline=timezone.localdate() + dt.timedelta(days=20),
    )
    issue(world, DocumentKind.SITE_MEASURES, second, local(day(21)), measures="责令停产停业整顿")
    issue(world, DocumentKind.SITE_RECORD, third, None)
    issue(world, DocumentKind.SITE_RECORD, third, timezone.now())
    # Cases: fine + suspension; licence withheld, decided on the last day; referral of two persons + fine.
    fine_and_suspend: Items = [{"kind": PenaltyKind.FINE, "amount": "50000"}, {"kind": PenaltyKind.SUSPENSION}]
    decided = case(
        world, "chem", ViolationClass.ILLEGAL, fine_and_suspend, filed=day(21), notified=day(22), decided=day(25)
    )
    enforcement.do_execute_case(decided, actor=yingji)
    enforcement.do_close_case(decided, actor=yingji)  # closed since: still decided in the period
    withhold: Items = [{"kind": PenaltyKind.LICENCE_WITHHOLD, "licence": chem_licence}]
    case(world, "chem", ViolationClass.IRREGULAR, withhold, filed=day(30), notified=day(31), decided=END)
    referral: Items = [
        {"kind": PenaltyKind.JUDICIAL_REFERRAL, "persons": 2},
        {"kind": PenaltyKind.FINE, "amount": "26500"},
    ]
    case(world, "chem", ViolationClass.ILLEGAL, referral, filed=day(40), notified=day(41), decided=day(45))
    # Count nowhere: only filed; notified then withdrawn; decided before the period; decided after it.
    case(world, "chem", ViolationClass.ILLEGAL, [{"kind": PenaltyKind.FINE, "amount": "99999"}], filed=day(50))
    withdrawn = case(
        world,
        "chem",
        ViolationClass.ILLEGAL,
        [{"kind": PenaltyKind.FINE, "amount": "1000"}],
        filed=day(50),
        notified=day(50),
    )
    enforcement.do_withdraw_case(withdrawn, actor=yingji, reason="证据不足")
    before: Items = [{"kind": PenaltyKind.FINE, "amount": "7000"}, {"kind": PenaltyKind.WARNING}]
    case(
        world,
        "chem",
        ViolationClass.IRREGULAR,
        before,
        filed=START - dt.timedelta(days=20),
        notified=START - dt.timedelta(days=15),
        decided=START - dt.timedelta(days=1),
    )
    after: Items = [{"kind": PenaltyKind.FINE, "amount": "3000"}]
    case(world, "chem", ViolationClass.IRREGULAR, after, filed=END, notified=END, decided=END + dt.timedelta(days=1))
    # Another county's case (the administrator's figures only).
    neighbour: Items = [{"kind": PenaltyKind.FINE, "amount": "10000"}, {"kind": PenaltyKind.SUSPENSION}]
    case(
        world,
        "neighbour",
        ViolationClass.ILLEGAL,
        neighbour,
        filed=day(30),
        notified=day(31),
        decided=day(32),
        username="neighbour_officer",
    )
    # Last: closure with the licence revoked (closes the factory, which was inspected in the period).
    closure: Items = [{"kind": PenaltyKind.LICENCE_REVOKE, "licence": factory_licence}, {"kind": PenaltyKind.CLOSURE}]
    case(world, "factory", ViolationClass.ILLEGAL, closure, filed=day(50), notified=day(51), decided=day(55))


@pytest.fixture(scope="module")
def ledger(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world and the records, built once for the module (issuing renders each document's PDF: seconds) in a
    transaction rolled back at the end; each test runs in a savepoint inside it and changes nothing."""
    media = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = build_world()
        build(world)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def client_for(client: Client, ledger: World) -> Callable[[str], Client]:
    return sign_in_as(client, ledger)


# --- raw SQL, written from the definitions ----------------------------------------------------------------------

# Who sees what, stated independently of the application's scoping: a region prefix and an industry remit (codes
# of industries or categories, and key-sector tags), or one enterprise.
SCOPES: dict[str, dict[str, Any]] = {
    "admin": {"prefix": "", "every": True},
    "anweiban": {"prefix": "360431", "every": True},
    "zhen1": {"prefix": "360431101", "every": True},
    "yingji": {"prefix": "360431", "codes": ["01", "02", "03", "04"]},
    "zhujian": {"prefix": "360431", "codes": ["05", "06"]},
    "xiaofang": {"prefix": "360431", "codes": ["0902"], "tags": ["crowded_place"]},
}

SCOPE_CTE = """
WITH scope AS (
  SELECT e.id, e.status FROM enterprises_enterprise e
  JOIN enterprises_industry i ON i.id = e.industry_id
  LEFT JOIN enterprises_industry c ON c.id = i.parent_id
  WHERE e.region_id LIKE %(prefix)s
    AND (%(only)s::bigint IS NULL OR e.id = %(only)s)
    AND (%(every)s OR i.code = ANY(%(codes)s) OR c.code = ANY(%(codes)s) OR EXISTS (
      SELECT 1 FROM enterprises_enterprise_tags et JOIN enterprises_tag t ON t.id = et.tag_id
      WHERE et.enterprise_id = e.id AND t.code = ANY(%(tags)s)))
),
visits AS (
  SELECT v.* FROM inspections_inspection v JOIN scope s ON s.id = v.enterprise_id
  WHERE v.kind <> 'self' AND (v.started_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN %(start)s AND %(end)s
    AND (%(department)s::bigint IS NULL OR v.department_id = %(department)s)
),
decided AS (
  SELECT c.* FROM inspections_penaltycase c JOIN scope s ON s.id = c.enterprise_id
  WHERE c.stage IN ('decided', 'executed', 'closed') AND c.decided_on BETWEEN %(start)s AND %(end)s
    AND (%(department)s::bigint IS NULL OR c.department_id = %(department)s)
),
items AS (SELECT d.enterprise_id, p.* FROM decided d JOIN inspections_penaltyitem p ON p.case_id = d.id),
in_scope AS (SELECT s.id FROM scope s WHERE s.status <> 'closed' OR s.id IN (SELECT enterprise_id FROM visits))
"""


def with_scope(body: str) -> str:
    """A query over the scope (and the period's visits and decided cases) defined above; no value is spliced in."""
    return SCOPE_CTE + body


FIGURES_SQL = with_scope(
    """
SELECT
  (SELECT count(*) FROM visits),
  (SELECT count(DISTINCT enterprise_id) FROM visits),
  (SELECT count(*) FROM in_scope),
  (SELECT round((SELECT count(DISTINCT enterprise_id) FROM visits)::numeric / NULLIF(count(*), 0), 4) FROM in_scope),
  (SELECT count(*) FROM hazards_hazard h JOIN scope s ON s.id = h.enterprise_id
     JOIN inspections_inspection v ON v.id = h.inspection_id
   WHERE v.kind <> 'self' AND h.status <> 'voided' AND h.found_on BETWEEN %(start)s AND %(end)s
     AND (%(department)s::bigint IS NULL OR v.department_id = %(department)s)),
  (SELECT count(*) FROM decided),
  (SELECT count(*) FROM decided WHERE violation_class = 'illegal'),
  (SELECT count(*) FROM decided WHERE violation_class = 'irregular'),
  (SELECT count(DISTINCT enterprise_id) FROM items WHERE kind = 'suspension'),
  (SELECT count(*) FROM items WHERE kind IN ('licence_withhold', 'licence_revoke')),
  (SELECT count(DISTINCT enterprise_id) FROM items WHERE kind = 'closure'),
  (SELECT COALESCE(sum(amount), 0) FROM items WHERE kind = 'fine'),
  (SELECT round(COALESCE(sum(amount), 0) / 10000, 1) FROM items WHERE kind = 'fine'),
  (SELECT COALESCE(sum(persons), 0) FROM items WHERE kind = 'judicial_referral')
"""
)

DOCUMENTS_SQL = with_scope(
    """
SELECT d.kind, count(*) FROM inspections_enforcementdocument d JOIN scope s ON s.id = d.enterprise_id
WHERE d.status IN ('issued', 'served')
  AND (d.issued_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN %(start)s AND %(end)s
  AND (%(department)s::bigint IS NULL OR d.department_id = %(department)s)
GROUP BY d.kind
"""
)

BY_DEPARTMENT_SQL = with_scope(
    """
SELECT dep.id, (SELECT count(*) FROM visits WHERE department_id = dep.id),
       (SELECT count(*) FROM decided WHERE department_id = dep.id),
       (SELECT COALESCE(sum(p.amount), 0) FROM decided d JOIN inspections_penaltyitem p ON p.case_id = d.id
        WHERE d.department_id = dep.id AND p.kind = 'fine')
FROM orgs_department dep
WHERE dep.id IN (SELECT department_id FROM visits UNION SELECT department_id FROM decided)
"""
)

FIELDS = (
    "visits",
    "enterprises_inspected",
    "enterprises_in_scope",
    "coverage",
    "hazards_found_by_inspection",
    "cases_decided",
    "illegal_acts",
    "violations",
    "suspended_enterprises",
    "licences_withheld_or_revoked",
    "closed_enterprises",
    "fines_yuan",
    "fines_wan",
    "criminal_persons",
)


def sql_params(scope: dict[str, Any], start: dt.date, end: dt.date, department: int | None = None) -> dict[str, Any]:
    return {
        "prefix": scope["prefix"] + "%",
        "only": scope.get("only"),
        "every": scope.get("every", False),
        "codes": scope.get("codes", []),
        "tags": scope.get("tags", []),
        "start": start,
        "end": end,
        "department": department,
    }


def raw(scope: dict[str, Any], start: dt.date = START, end: dt.date = END, department: int | None = None) -> dict:
    params = sql_params(scope, start, end, department)
    with connection.cursor() as cursor:
        cursor.execute(FIGURES_SQL, params)
        row = cursor.fetchone()
        cursor.execute(DOCUMENTS_SQL, params)
        by_kind = dict(cursor.fetchall())
    assert row is not None
    figures = dict(zip(FIELDS, row, strict=True))
    figures["documents_by_kind"] = {kind.value: by_kind.get(kind.value, 0) for kind in DocumentKind}
    figures["documents_issued"] = sum(by_kind.values())
    return figures


def computed(figures: Any) -> dict[str, Any]:
    values = asdict(figures)
    del values["start"], values["end"]
    return values


# --- the figures ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", list(SCOPES))
def test_every_figure_equals_raw_sql(ledger: World, persona: str) -> None:
    figures = inspection_figures(ledger.users[persona], START, END)
    assert computed(figures) == raw(SCOPES[persona])


def test_known_figures_for_the_inspector(ledger: World) -> None:
    """The figures the scenario was built to give (so the SQL above is checked against intent, too)."""
    figures = inspection_figures(ledger.users["yingji"], START, END)
    assert (figures.visits, figures.enterprises_inspected, figures.enterprises_in_scope) == (5, 2, 2)
    assert figures.coverage == Decimal("1.0000")  # the factory is closed now, but was open when inspected
    assert figures.hazards_found_by_inspection == 4  # 1 + (2 - 1 voided) + 1 + 1 (expert); not the self-check's
    assert figures.documents_by_kind == {
        "site_record": 1,
        "rectification_order": 1,
        "reinspection_opinion": 0,
        "site_measures": 1,
        "penalty_notice": 6,  # four decided cases', the withdrawn one's, the one decided after the period
        "penalty_decision": 4,
    }
    assert figures.documents_issued == 13
    tallies = (
        figures.cases_decided,
        figures.illegal_acts,
        figures.violations,
        figures.suspended_enterprises,
        figures.licences_withheld_or_revoked,
        figures.closed_enterprises,
        figures.criminal_persons,
    )
    assert tallies == (4, 3, 1, 1, 2, 1, 2)
    assert figures.fines_yuan == Decimal("76500.00") and figures.fines_wan == Decimal("7.7")  # 7.65, half up
    county = inspection_figures(ledger.users["anweiban"], START, END)
    assert (county.enterprises_in_scope, county.coverage) == (4, Decimal("0.5000"))


def test_a_supervisor_of_other_industries_counts_nothing(ledger: World) -> None:
    figures = inspection_figures(ledger.users["zhujian"], START, END)
    values = computed(figures)
    assert values.pop("enterprises_in_scope") == 1  # the building contractor, never inspected
    assert values.pop("coverage") == Decimal("0.0000")
    assert values.pop("documents_by_kind") == dict.fromkeys(DocumentKind.values, 0)
    assert set(values.values()) == {0}


def test_the_enterprise_sees_its_own_figures(ledger: World) -> None:
    chem = {"prefix": "", "every": True, "only": ledger.enterprises["chem"].pk}
    assert computed(inspection_figures(ledger.users["qiye1"], START, END)) == raw(chem)


def test_narrowing_by_region_industry_enterprise_and_department(ledger: World) -> None:
    anweiban = ledger.users["anweiban"]
    town2 = ledger.regions["town2"]
    assert computed(inspection_figures(anweiban, START, END, region=town2)) == raw(
        {"prefix": "360431102", "every": True}
    )
    assert computed(inspection_figures(anweiban, START, END, industry="04")) == raw(
        {"prefix": "360431", "codes": ["04"]}
    )
    factory = ledger.enterprises["factory"].pk
    assert computed(inspection_figures(anweiban, START, END, enterprise=factory)) == raw(
        {"prefix": "", "every": True, "only": factory}
    )
    # A department's own work; its remit is the denominator.
    yingji = Department.objects.select_related("region").get(pk=ledger.departments["yingji"].pk)
    own = inspection_figures(anweiban, START, END, department=yingji)
    assert computed(own) == raw(SCOPES["yingji"], department=yingji.pk)
    assert own.visits == 4  # not the fire brigade's expert visit to the factory


def test_other_periods_equal_raw_sql(ledger: World) -> None:
    periods = [
        (START, START),
        (END, END),
        (START - dt.timedelta(days=1), START - dt.timedelta(days=1)),
        (START - dt.timedelta(days=60), TODAY),
        (END + dt.timedelta(days=1), TODAY),
    ]
    for start, end in periods:
        for persona in ("anweiban", "yingji"):
            figures = inspection_figures(ledger.users[persona], start, end)
            assert computed(figures) == raw(SCOPES[persona], start, end), (persona, start, end)


def test_crackdown_tallies_are_the_same_figures(ledger: World) -> None:
    user = ledger.users["yingji"]
    tallies = asdict(crackdown_figures(user, START, END))
    everything = asdict(inspection_figures(user, START, END))
    assert tallies == {name: everything[name] for name in tallies}


def test_by_department_equals_raw_sql(ledger: World) -> None:
    anweiban = ledger.users["anweiban"]
    rows = by_department(anweiban, START, END)
    with connection.cursor() as cursor:
        cursor.execute(BY_DEPARTMENT_SQL, sql_params(SCOPES["anweiban"], START, END))
        expected = {pk: (visits, cases, fines) for pk, visits, cases, fines in cursor.fetchall()}
    assert {r.department_id: (r.visits, r.cases_decided, r.fines_yuan) for r in rows} == expected
    yingji, xiaofang = ledger.departments["yingji"], ledger.departments["xiaofang"]
    assert expected == {yingji.pk: (4, 4, Decimal("76500.00")), xiaofang.pk: (1, 0, Decimal("0"))}
    # Named departments: the ones that did nothing get a row of zeros.
    county = Department.objects.filter(region=ledger.regions["county"])
    listed = {r.name: (r.visits, r.cases_decided) for r in by_department(anweiban, START, END, departments=county)}
    assert listed["安澜县住建局"] == (0, 0) and listed["安澜县应急管理局"] == (4, 4) and len(listed) == 4


VISITS_BY_SQL = with_scope(
    """
SELECT CASE WHEN %(digits)s = 0 THEN v.department_id::text ELSE substr(e.region_id, 1, %(digits)s) END, count(*)
FROM visits v JOIN enterprises_enterprise e ON e.id = v.enterprise_id
GROUP BY 1
"""
)


def raw_visits_by(scope: dict[str, Any], start: dt.date, end: dt.date, digits: int) -> dict[str, int]:
    """Visits per department (``digits`` 0) or per region-code prefix of ``digits`` digits."""
    with connection.cursor() as cursor:
        cursor.execute(VISITS_BY_SQL, {**sql_params(scope, start, end), "digits": digits})
        return {str(key): n for key, n in cursor.fetchall()}


def test_the_inspection_rollup_follows_every_change(ledger: World) -> None:
    """Inspections started (by the scenario, and one now), one moved to another month, an enterprise moved to
    the neighbouring county: the maintained rollup equals a rebuild from the inspections, at every tier."""
    assert tally.differences() == []
    assert set(VisitTally.objects.values_list("tier", flat=True)) == {Tier.PROVINCE, Tier.CITY, Tier.COUNTY}
    inspect(ledger, key="factory", fail=0, at=local(TODAY, 9))
    moved = Inspection.objects.government().filter(started_at__lt=local(START, 12)).first()
    assert moved is not None
    moved.started_at = local(START - dt.timedelta(days=40))
    moved.save()
    assert tally.differences() == []
    factory = ledger.enterprises["factory"]
    factory.region = ledger.regions["v4"]
    factory.save()
    assert tally.differences() == []
    province = VisitTally.objects.filter(tier=Tier.PROVINCE, facet="").aggregate(n=Sum("n"))["n"]
    assert province == Inspection.objects.government().count()
    by_year = VisitTally.objects.filter(facet=Facet.INSPECTION_YEAR).exclude(n=0)
    kept = sorted(by_year.values_list(*visit_tally.VISIT_KEY, "n"))
    assert sum(row[-1] for row in kept) == province and visit_tally.write_years() == len(kept)
    assert sorted(by_year.values_list(*visit_tally.VISIT_KEY, "n")) == kept


VISITED_SQL = with_scope("SELECT count(DISTINCT v.enterprise_id) FROM visits v")


def raw_visited(scope: dict[str, Any], start: dt.date, end: dt.date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(VISITED_SQL, sql_params(scope, start, end))
        return int(cursor.fetchone()[0])


def test_each_enterprises_months_visited_follow_every_change(ledger: World) -> None:
    """An inspection started now, one moved into last year, one deleted, an enterprise moved county: each
    enterprise's months visited and each county's enterprises by first month visited equal the inspections' (the
    check), and a refresh writes the same rows."""
    from anjian.stats import visited
    from anjian.stats.models import EnterpriseVisitYear, FirstVisitTally

    assert visited.differences() == [] and EnterpriseVisitYear.objects.exists()
    inspect(ledger, key="factory", fail=0, at=local(TODAY, 9))
    factory = Enterprise.objects.get(pk=ledger.enterprises["factory"].pk)  # as stored (earlier tests moved the object)
    row = EnterpriseVisitYear.objects.get(enterprise=factory, year=TODAY.year)
    assert row.months & 1 << (TODAY.month - 1) and row.county == "360431000000"
    moved = Inspection.objects.government().filter(enterprise=factory).order_by("started_at").first()
    assert moved is not None
    moved.started_at = local(dt.date(TODAY.year - 1, 3, 10))
    moved.save()
    assert EnterpriseVisitYear.objects.get(enterprise=factory, year=TODAY.year - 1).months & 1 << 2
    assert visited.differences() == []
    spare = inspect(ledger, key="chem", fail=0, at=local(dt.date(TODAY.year - 3, 7, 1)))  # its only visit then
    assert EnterpriseVisitYear.objects.get(enterprise=spare.enterprise, year=TODAY.year - 3).months == 1 << 6
    spare.delete()
    assert visited.differences() == []
    assert not EnterpriseVisitYear.objects.filter(enterprise=spare.enterprise, year=TODAY.year - 3).exclude(months=0)
    factory.region = ledger.regions["v4"]  # the neighbouring county
    factory.save()
    assert set(EnterpriseVisitYear.objects.filter(enterprise=factory).values_list("county", flat=True)) == {
        ledger.regions["v4"].code[:6] + "000000"
    }
    assert visited.differences() == []
    kept = sorted(EnterpriseVisitYear.objects.exclude(months=0).values_list("enterprise", "year", "months", "county"))
    firsts = sorted(FirstVisitTally.objects.exclude(n=0).values_list("county", "year", "first", "n"))
    assert sum(row[-1] for row in firsts) == len(kept)  # each enterprise-year once, by its first month
    assert visited.refresh() == len(kept)
    assert sorted(EnterpriseVisitYear.objects.values_list("enterprise", "year", "months", "county")) == kept
    assert sorted(FirstVisitTally.objects.values_list("county", "year", "first", "n")) == firsts


NOT_CLOSED_SQL = """
SELECT count(*) FROM enterprises_enterprise WHERE status <> 'closed' AND region_id LIKE %s
"""


def test_the_counts_of_enterprises_follow_every_change(ledger: World) -> None:
    """An enterprise registered, suspended, closed, moved county (each through its action): the counts per county
    and status equal the register's (the check), the enterprises not closed off them equal raw SQL for the
    province, the city and each county, and a refresh writes the same rows. An industry or a department's remit
    counts the enterprises instead."""
    from anjian.enterprises import actions as enterprise_actions
    from anjian.stats import enterprise_tally
    from anjian.stats.cube import Narrowing
    from anjian.stats.models import EnterpriseTally
    from tests.world import enterprise_data

    admin = ledger.users["admin"]

    def not_closed_everywhere() -> None:
        assert enterprise_tally.differences() == []
        for key in ("province", "city", "county", "neighbour_county"):
            region = ledger.regions[key]
            with connection.cursor() as cursor:
                cursor.execute(NOT_CLOSED_SQL, [f"{region.prefix}%"])
                expected = cursor.fetchone()[0]
            assert enterprise_tally.not_closed(Narrowing(admin, region)) == expected, key

    not_closed_everywhere()
    village = ledger.regions["v1"]
    added = enterprise_actions.do_create_enterprise(
        data=enterprise_data("计数测试企业", "0101", village, None), actor=admin
    )
    row = EnterpriseTally.objects.get(county=village.code[:6] + "000000", status=added.status)
    not_closed_everywhere()
    enterprise_actions.do_suspend_enterprise(added, reason="停产整顿", actor=admin)
    not_closed_everywhere()
    enterprise_actions.do_close_enterprise(Enterprise.objects.get(pk=added.pk), reason="关闭取缔", actor=admin)
    not_closed_everywhere()
    assert EnterpriseTally.objects.get(pk=row.pk).n == row.n - 1  # it left the operating count
    moved = Enterprise.objects.get(pk=ledger.enterprises["hotel"].pk)
    home = (moved.region, moved.grid)
    enterprise_actions.do_update_enterprise(moved, changes={"region": ledger.regions["v4"], "grid": None}, actor=admin)
    not_closed_everywhere()
    kept = sorted(EnterpriseTally.objects.exclude(n=0).values_list("county", "status", "n"))
    assert enterprise_tally.refresh() == len(kept)
    assert sorted(EnterpriseTally.objects.values_list("county", "status", "n")) == kept
    assert enterprise_tally.not_closed(Narrowing(admin, ledger.regions["county"], industry="01")) is None
    zhujian = ledger.departments["zhujian"]
    assert enterprise_tally.not_closed(Narrowing(admin, department=zhujian)) is None
    enterprise_actions.do_update_enterprise(moved, changes={"region": home[0], "grid": home[1]}, actor=admin)
    not_closed_everywhere()


@pytest.mark.parametrize("persona", ["admin", "anweiban"])
def test_enterprises_visited_off_each_enterprises_months_equal_raw_sql(ledger: World, persona: str) -> None:
    """Periods from the 1st of a month within a year, for the province, the city, the county: the count off the
    rows equals a distinct count over the inspections; a period across years, an industry, a visit recorded after
    the end in its last month: not off the rows (the figures take the ledger's count)."""
    from anjian.stats import visited

    user = ledger.users[persona]
    this_year = dt.date(TODAY.year, 1, 1)
    periods = [(this_year, TODAY), (START.replace(day=1), TODAY), (dt.date(TODAY.year - 1, 1, 1), END)]
    periods += [(dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31)), (TODAY.replace(day=1), TODAY)]
    regions = [None, "province", "city", "county"] if persona == "admin" else [None]
    for start, end in periods:
        for key in regions:
            region = ledger.regions[key] if key else None
            records = EnforcementRecords(user, region)
            prefix = region.prefix if region is not None else SCOPES[persona]["prefix"]
            got = visited.enterprises_visited(records, start, end)
            if start.year != end.year:
                assert got is None
                continue
            expected = raw_visited({"prefix": prefix, "every": True}, start, end)
            assert got == expected, (start, end, key)
            assert inspection_figures(user, start, end, region=region).enterprises_inspected == expected
    assert any(raw_visited({"prefix": "", "every": True}, *period) for period in periods)
    assert visited.enterprises_visited(EnforcementRecords(user, industry="01"), this_year, TODAY) is None
    if TODAY.day < 28:  # a visit recorded for tomorrow, in this month
        inspect(ledger, key="chem", fail=0, at=local(TODAY + dt.timedelta(days=1), 9))
        assert visited.enterprises_visited(EnforcementRecords(user), TODAY.replace(day=1), TODAY) is None
        assert visited.enterprises_visited(EnforcementRecords(user), TODAY.replace(day=1), TODAY.replace(day=28))


ALIGNED = [
    (START.replace(day=1), TODAY),  # to date
    (START.replace(day=1), TODAY + dt.timedelta(days=40)),  # ends in the future
    (START.replace(day=1), END),  # ends mid-month: the month's later visits taken off
    ((START - dt.timedelta(days=60)).replace(day=1), START.replace(day=1) - dt.timedelta(days=1)),  # whole months
    # from a 1st of January: the departments' rows by year (the end's year's later visits taken off)
    (dt.date(TODAY.year, 1, 1), TODAY),
    (dt.date(TODAY.year - 1, 1, 1), END),
    (dt.date(TODAY.year - 1, 1, 1), dt.date(TODAY.year - 1, 12, 31)),
]


@pytest.mark.parametrize("persona", ["admin", "anweiban"])
def test_visits_by_department_and_subregion_off_the_rollup_equal_raw_sql(ledger: World, persona: str) -> None:
    """Per department and per sub-region (the administrator's provinces, a city's counties, a province's cities, a
    county's towns), for periods from the 1st of a month — one recorded ahead of time among them."""
    inspect(ledger, key="chem", fail=0, at=local(TODAY + dt.timedelta(days=1), 9))  # recorded ahead
    user = ledger.users[persona]
    regions: list[tuple[str | None, int]] = [(None, 9)]  # the county's towns
    if persona == "admin":
        regions = [(None, 2), ("province", 4), ("city", 6), ("county", 9)]
    for start, end in ALIGNED:
        for region_key, digits in regions:
            region = ledger.regions[region_key] if region_key else None
            records = EnforcementRecords(user, region)
            prefix = region.prefix if region is not None else SCOPES[persona]["prefix"]
            scope = {"prefix": prefix, "every": True}
            expected = raw_visits_by(scope, start, end, digits)
            by_department_expected = raw_visits_by(scope, start, end, 0)
            assert visit_tally.visits_by(records, start, end, "subregion") == expected, (start, end, region)
            assert visit_tally.visits_by(records, start, end, "department") == by_department_expected
            assert visits_by(records, start, end, "department") == by_department_expected
            assert records.visits_per(start, end, "subregion") == expected  # the ledger path keys alike
    # Not off the rollup: a period from mid-month, a town's villages, a department's remit.
    assert visit_tally.visits_by(EnforcementRecords(user), START.replace(day=2), END, "department") is None
    assert (
        visit_tally.visits_by(EnforcementRecords(user, ledger.regions["town1"]), START.replace(day=1), END, "subregion")
        is None
    )
    assert (
        visit_tally.visits_by(EnforcementRecords(ledger.users["yingji"]), START.replace(day=1), END, "department")
        is None
    )


def test_visits_by_sub_region_are_read_once_within_shared_reads(ledger: World, django_assert_num_queries: Any) -> None:
    """A dashboard asks for its sub-regions' visits for the enforcement figures and again for the map: within
    ``cube.shared_reads`` the second answer is the first's, a copy (the map pops from it), and costs no query."""
    records = EnforcementRecords(ledger.users["anweiban"])
    start, end = dt.date(TODAY.year, 1, 1), TODAY
    expected = visit_tally.visits_by(records, start, end, "subregion")
    assert expected
    with cube.shared_reads():
        first = visit_tally.visits_by(records, start, end, "subregion")
        first.clear()  # type: ignore[union-attr]
        with django_assert_num_queries(0):
            assert visit_tally.visits_by(records, start, end, "subregion") == expected
        assert visit_tally.visits_by(records, start, end, "department") != expected  # another question, read
    with CaptureQueriesContext(connection) as outside:  # outside: read every time
        assert visit_tally.visits_by(records, start, end, "subregion") == expected
    assert any("stats_visittally" in q["sql"] for q in outside.captured_queries)


def test_wan_rounds_half_up() -> None:
    assert wan(Decimal("76500")) == Decimal("7.7")
    assert wan(Decimal("74999.99")) == Decimal("7.5")
    assert wan(Decimal("0")) == Decimal("0.0")


def test_figures_take_a_handful_of_queries(ledger: World, django_assert_max_num_queries: Any) -> None:
    user = ledger.users["anweiban"]
    Scope.for_user(user)  # the reader's scope is computed once per request
    holds_every_enterprise(user)  # and so is whether its territory holds every enterprise
    with django_assert_max_num_queries(6):  # from the records
        inspection_figures(user, START, END, region=ledger.regions["county"], industry="01")
    # off the rollups: the region, the visits per town and the month's visits after today, whether any visit was
    # recorded after today, the enterprises visited, then the rest as above
    with django_assert_max_num_queries(11):
        inspection_figures(user, START.replace(day=1), TODAY)
    with django_assert_max_num_queries(1):
        crackdown_figures(user, START, END)
    with django_assert_max_num_queries(3):
        by_department(user, START, END)


# --- the API ----------------------------------------------------------------------------------------------------


def as_json(figures: Any) -> dict[str, Any]:
    values = asdict(figures)
    return {k: (str(v) if isinstance(v, Decimal | dt.date) else v) for k, v in values.items()}


@pytest.mark.parametrize("persona", ["anweiban", "yingji", "zhujian", "qiye1", "admin"])
def test_api_answers_the_function(ledger: World, client_for: Any, persona: str) -> None:
    client = client_for(persona)
    user = ledger.users[persona]
    query = f"start={START}&end={END}"
    body = client.get(f"/api/v1/stats/inspections?{query}").json()
    assert body == as_json(inspection_figures(user, START, END))
    body = client.get(f"/api/v1/stats/crackdown?{query}").json()
    assert body == as_json(crackdown_figures(user, START, END))


def test_api_narrows_like_the_function(ledger: World, client_for: Any) -> None:
    client = client_for("anweiban")
    yingji = ledger.departments["yingji"].pk
    body = client.get(f"/api/v1/stats/inspections?start={START}&end={END}&region=360431102000&department={yingji}")
    assert body.status_code == 200
    expected = raw({"prefix": "360431102", "codes": ["01", "02", "03", "04"]}, department=yingji)
    assert body.json()["visits"] == expected["visits"] == 2
    assert Decimal(body.json()["fines_wan"]) == expected["fines_wan"] == Decimal("0.0")
    chem = ledger.enterprises["chem"].pk
    one = client.get(f"/api/v1/stats/crackdown?start={START}&end={END}&enterprise={chem}&industry=01").json()
    assert (one["cases_decided"], one["fines_wan"], one["criminal_persons"]) == (3, "7.7", 2)


def test_api_query_count(ledger: World, client_for: Any, django_assert_max_num_queries: Any) -> None:
    client = client_for("yingji")
    client.get(f"/api/v1/stats/crackdown?start={START}&end={END}")  # warm the session and the schema
    # 2 (session, user) + 5 (the inspector's scope: department, region, remit) + 1 (the region) + 6 figures.
    with django_assert_max_num_queries(14):
        response = client.get(f"/api/v1/stats/inspections?start={START}&end={END}&region=360431000000")
    assert response.status_code == 200
    with django_assert_max_num_queries(8):  # the same, with no region and one figures query
        assert client.get(f"/api/v1/stats/crackdown?start={START}&end={END}").status_code == 200


def test_api_refuses_bad_and_foreign_parameters(ledger: World, client_for: Any) -> None:
    client = client_for("zhujian")
    for path in ("/api/v1/stats/inspections", "/api/v1/stats/crackdown"):
        backwards = client.get(f"{path}?start={END}&end={START}")
        assert backwards.status_code == 422
        assert backwards.json()["code"] == "invalid" and "end" in backwards.json()["errors"]
        assert client.get(f"{path}?start={START}").status_code == 422
        assert client.get(f"{path}?start=2026-13-01&end={END}").status_code == 422
        for region in ("360432000000", "999999999999", "abc"):  # another county's, none, not a code
            response = client.get(f"{path}?start={START}&end={END}&region={region}")
            assert response.status_code == 404
            assert response.json()["code"] == "not_found" and response.json()["detail"]
        department = ledger.departments["neighbour"].pk
        assert client.get(f"{path}?start={START}&end={END}&department={department}").status_code == 404


@pytest.mark.parametrize("persona", ["zhigong1", "auditor"])
def test_api_refuses_who_may_not_see_penalties(ledger: World, client_for: Any, persona: str) -> None:
    client = client_for(persona)
    for path in ("/api/v1/stats/inspections", "/api/v1/stats/crackdown"):
        response = client.get(f"{path}?start={START}&end={END}")
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"


def test_api_needs_a_signed_in_caller(ledger: World, client: Any) -> None:
    assert client.get(f"/api/v1/stats/crackdown?start={START}&end={END}").status_code == 401


def test_worker_figures_are_empty(ledger: World) -> None:
    """Called directly (not through the API, which refuses), a worker's figures hold no enforcement record."""
    figures = inspection_figures(ledger.users["zhigong1"], START, END)
    values = computed(figures)
    del values["enterprises_in_scope"], values["coverage"], values["documents_by_kind"]
    assert set(values.values()) == {0}
    assert set(figures.documents_by_kind.values()) == {0}
