"""``anjian generate``: a small synthetic province has the counts asked for, keeps every rule of the models, is
identical for the same seed and different for another, and its well-known users sign in; ids continue after it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils.timezone import localdate

from anjian.core.numbering import next_number
from anjian.enterprises import uscc
from anjian.enterprises.catalogue import load_catalogue
from anjian.enterprises.models import Enterprise, Industry, Licence, Tag
from anjian.hazards.catalogue import load_hazard_types
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus, RectificationMode
from anjian.hazards.models import Hazard, HazardExtension, HazardType
from anjian.inspections.choices import CASE_SEQUENCE, ENFORCEMENT_KINDS, InspectionKind
from anjian.inspections.models import Inspection, PenaltyCase, PenaltyItem
from anjian.inspections.models.enforcement import ITEM_TOTALS
from anjian.orgs.models import Department, User
from anjian.regions.models import Grid, Region
from anjian.stats import tally
from anjian.stats.generate import Params, build, generate
from anjian.stats.models import HazardTally, OpenHazardTally

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
PASSWORD = "Gen-test-2026"
CHECKED = [
    ("regions_region", "code"),
    ("enterprises_enterprise", "id"),
    ("enterprises_licence", "id"),
    ("orgs_department", "id"),
    ("orgs_user", "id"),
    ("inspections_inspection", "id"),
    ("inspections_inspection_officers", "id"),
    ("hazards_hazard", "id"),
    ("hazards_hazardextension", "id"),
    ("inspections_penaltycase", "id"),
    ("inspections_penaltyitem", "id"),
]


def _params(seed: int, **options: Any) -> Params:
    return build(None, TODAY, enterprises=40, years=1, seed=seed, password=PASSWORD, **options)


def _checksum() -> dict[str, str]:
    sums = {}
    with connection.cursor() as cursor:
        for table, key in CHECKED:
            cursor.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.{key})) FROM {table} t")  # noqa: S608
            sums[table] = cursor.fetchone()[0]
    return sums


def _run_and_roll_back(seed: int) -> dict[str, str]:
    with transaction.atomic():
        generate(_params(seed), stdout=io.StringIO(), stderr=io.StringIO())
        sums = _checksum()
        transaction.set_rollback(True)
    return sums


@pytest.fixture(scope="module")
def province(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, dict[str, str]]]:
    """Seed 2 and seed 1 generated and rolled back, then seed 1 again, kept for the module's tests (each runs in a
    savepoint inside this fixture's transaction, rolled back at the end). The kept run drops and rebuilds the
    indexes and foreign keys as a large load does; the others keep them, as a small one does."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_catalogue(Industry, Tag)
        load_hazard_types(HazardType)
        other = _run_and_roll_back(2)
        first = _run_and_roll_back(1)
        kept = generate(_params(1, defer_indexes_from=0), stdout=io.StringIO(), stderr=io.StringIO())
        assert {"hazards_hazard", "inspections_inspection", "enterprises_enterprise"} <= set(kept.frozen)
        yield {"other": other, "first": first, "kept": _checksum()}
        transaction.set_rollback(True)


def test_same_seed_same_rows_other_seed_other_rows(province: dict[str, dict[str, str]]) -> None:
    assert province["kept"] == province["first"]
    assert all(province["other"][table] != province["first"][table] for table, _key in CHECKED)


def test_counts_are_those_asked_for(province: Any) -> None:
    params = _params(1)
    assert (params.hazards, params.inspections, params.penalties) == (800, 80, 8)
    assert Enterprise.objects.count() == 40
    assert Hazard.objects.count() == 800
    assert Inspection.objects.count() == 80
    assert PenaltyCase.objects.count() == 8
    assert PenaltyItem.objects.filter(kind="fine").count() == 8
    assert Region.objects.filter(code__startswith="98").count() == 4  # province, city, county, one town
    assert Grid.objects.count() == 3
    # One officer per committee office, two inspectors per regulator, a grid worker per grid: more than the
    # budget of 8 for 40 enterprises, so one enterprise account (the well-known manager) is added.
    offices, regulators = 4, 3 * 12
    assert User.objects.filter(username__startswith="g98-").count() == offices + 2 * regulators + 3 + 1


def test_rows_keep_the_models_rules(province: Any) -> None:
    for model in (Region, Grid, Department, Enterprise, Licence, Inspection, Hazard, HazardExtension, PenaltyCase):
        for row in model.objects.all()[:10]:
            row.full_clean()
    for user in User.objects.filter(username__startswith="g98-")[:10]:
        user.full_clean(exclude=["password"])
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert len(set(codes)) == len(codes) and all(uscc.is_valid(code) for code in codes)
    assert all(code[2:8] == "980102" for code in codes)  # the county's division code


def test_the_rollups_are_indexed_again_after_their_rows_are_written(province: Any) -> None:
    """The kept run writes the rollups into their tables without their indexes and builds them afterwards: every
    index and constraint of the models is there again (the unique keys the actions' upserts rely on)."""
    for model in (HazardTally, OpenHazardTally):
        with connection.cursor() as cursor:
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
        wanted = {index.name for index in model._meta.indexes} | {c.name for c in model._meta.constraints}
        assert wanted and wanted <= set(present)
        assert all(present[name]["unique"] for name in wanted if name.endswith("_key"))


def test_hazard_ledger_is_plausible(province: Any) -> None:
    hazards = list(Hazard.objects.all())
    start = TODAY - dt.timedelta(days=365)
    assert all(start <= h.found_on < TODAY for h in hazards)
    assert all((h.status == HazardStatus.CLOSED) == (h.closed_at is not None) for h in hazards)
    assert all(h.deadline is None or h.deadline >= h.found_on for h in hazards)
    assert all(not h.original_deadline or (h.deadline and h.deadline >= h.original_deadline) for h in hazards)
    immediate = [h for h in hazards if h.rectification_mode == RectificationMode.IMMEDIATE]
    assert immediate and all(h.deadline is None and h.level == HazardLevel.GENERAL for h in immediate)
    majors = sum(h.level == HazardLevel.MAJOR for h in hazards)
    assert 0 < majors < 60  # ~2 %
    statuses = {h.status for h in hazards}
    assert {HazardStatus.CLOSED, HazardStatus.RECTIFYING} <= statuses
    assert sum(h.status == HazardStatus.CLOSED for h in hazards) > 0.8 * len(hazards)
    assert any(h.status in OPEN_STATUSES and h.deadline and h.deadline < TODAY for h in hazards)  # overdue ones
    by_inspection = [h for h in hazards if h.inspection_id]
    assert by_inspection
    assert all(h.inspection and h.found_on == localdate(h.inspection.started_at) for h in by_inspection[:50])
    extended = HazardExtension.objects.select_related("hazard")
    assert all(e.hazard.deadline == e.requested_deadline for e in extended)
    assert tally.differences() == []  # the rollups were rebuilt from the loaded ledger


def test_inspections_and_cases_are_plausible(province: Any) -> None:
    government = Inspection.objects.exclude(kind=InspectionKind.SELF)
    for inspection in government.filter(kind__in=sorted(ENFORCEMENT_KINDS)).prefetch_related("officers")[:20]:
        officers = list(inspection.officers.all())
        assert len(officers) >= 2 and all(o.enforcement_certificate_no for o in officers)
        assert all(o.department_id == inspection.department_id for o in officers)
    assert not Inspection.objects.filter(kind=InspectionKind.SELF, department__isnull=False).exists()
    cases = list(PenaltyCase.objects.select_related("inspection").prefetch_related("items"))
    for case in cases:
        assert case.inspection is not None and case.filed_on >= localdate(case.inspection.started_at)
        assert case.department_id == case.inspection.department_id
    # each case's totals are what its penalties add up to, as the filing action sets them
    for case in cases:
        loaded = tuple(getattr(case, name) for name in ITEM_TOTALS)
        case.add_up(case.items.all())
        assert loaded == tuple(getattr(case, name) for name in ITEM_TOTALS), case.case_number
    assert any(case.suspends for case in cases) and all(case.fines_yuan > 0 for case in cases)


def test_well_known_users_sign_in(province: Any, client: Any) -> None:
    for username in ("sheng-anweiban", "shi-anweiban", "xian-anweiban", "xian-yingji", "zhen-anweiban", "qiye"):
        client.logout()
        response = client.post(reverse("login"), {"username": f"g98-{username}", "password": PASSWORD})
        assert response.status_code == 302, username


def test_ids_and_numbers_continue_after_the_generated_rows(province: Any) -> None:
    last = Hazard.objects.order_by("-pk").first()
    assert last is not None
    created = Hazard.objects.create(
        enterprise=last.enterprise,
        source=last.source,
        hazard_type=last.hazard_type,
        management_class=last.management_class,
        description="新登记的隐患",
        found_on=TODAY,
    )
    assert created.pk == last.pk + 1
    case = PenaltyCase.objects.order_by("-pk").first()
    assert case is not None
    year = case.filed_on.year
    filed = PenaltyCase.objects.filter(department=case.department, filed_on__year=year).count()
    with transaction.atomic():
        assert next_number(case.department, CASE_SEQUENCE, year) == filed + 1


def test_the_command_refuses_an_existing_province(province: Any) -> None:
    with pytest.raises(CommandError, match="already has regions"):
        call_command("generate", enterprises=10, years=1, today=TODAY, stdout=io.StringIO())
