"""A reader whose territory holds every enterprise counts without the territory test; any other reader keeps it, and
an enterprise outside the territory turns the shortcut off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.enterprises.models import Enterprise
from anjian.hazards.models import Hazard
from anjian.inspections.models import Inspection
from anjian.orgs.choices import DepartmentKind, UserKind, UserRole
from anjian.orgs.models import Department, User
from anjian.regions.choices import RegionLevel
from anjian.stats.cube import Narrowing, hazard_totals
from anjian.stats.inspections import EnforcementRecords, inspection_figures
from anjian.stats.territory import counted, enterprises_outside, forget_territory, holds_every_enterprise
from tests.hazards.helpers import generate
from tests.world import World, department, region, user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=400)


def province_officer(world: World) -> User:
    office = department("江西省安委办", DepartmentKind.COMMITTEE_OFFICE, world.regions["province"])
    return user("sheng", UserKind.DEPARTMENT, UserRole.OFFICER, department=office)


def move_outside(world: World, code: str = "440000000000") -> Enterprise:
    """The neighbouring county's enterprise, moved to a village of another province."""
    place = region(code, "外省", RegionLevel.PROVINCE, None)
    for level, length in ((RegionLevel.CITY, 4), (RegionLevel.COUNTY, 6), (RegionLevel.TOWN, 9)):
        place = region(place.code[: length - 1] + "1".ljust(13 - length, "0"), f"外省{level}", level, place)
    village = region(place.code[:9] + "201", "外省村", RegionLevel.VILLAGE, place)
    moved = world.enterprises["neighbour"]
    moved.region = village
    moved.save()
    return moved


def test_the_province_reader_of_the_whole_ledger_counts_without_the_territory_test(world: World) -> None:
    generate(world)
    sheng = province_officer(world)
    assert holds_every_enterprise(sheng)
    hazards = Narrowing(sheng).hazards()
    assert "enterprises_enterprise" not in str(hazards.query)  # no join for the territory
    assert sorted(hazards.values_list("pk", flat=True)) == sorted(Hazard.objects.values_list("pk", flat=True))
    visits = EnforcementRecords(sheng).visits(START, TODAY)
    assert "enterprises_enterprise" not in str(visits.query)
    # the same figures as the administrator's for the province (whose scope has no condition at all)
    admin, province = world.users["admin"], world.regions["province"]
    assert hazard_totals(Narrowing(sheng), START, TODAY) == hazard_totals(Narrowing(admin, province), START, TODAY)
    assert inspection_figures(sheng, START, TODAY) == inspection_figures(admin, START, TODAY, region=province)
    assert hazard_totals(Narrowing(sheng), START, TODAY).found > 20


def test_an_enterprise_outside_the_territory_turns_the_shortcut_off(world: World) -> None:
    generate(world)
    sheng = province_officer(world)
    moved = move_outside(world)
    theirs = Hazard.objects.filter(enterprise=moved).count()
    assert theirs > 0
    assert not holds_every_enterprise(sheng)
    hazards = Narrowing(sheng).hazards()
    assert hazards.count() == Hazard.objects.filter(enterprise__region__code__startswith="36").count()
    assert hazards.count() == Hazard.objects.count() - theirs
    assert not counted(Enterprise.objects.all(), sheng).filter(pk=moved.pk).exists()
    assert counted(Inspection.objects.all(), sheng).count() == Inspection.objects.exclude(enterprise=moved).count()
    admin, province = world.users["admin"], world.regions["province"]
    assert hazard_totals(Narrowing(sheng), START, TODAY) == hazard_totals(Narrowing(admin, province), START, TODAY)


OTHER_READERS = ["anweiban", "zhen1", "yingji", "zhujian", "wangge1", "qiye1", "zhigong1", "admin"]


@pytest.mark.parametrize("username", OTHER_READERS)
def test_every_other_reader_keeps_the_scope_condition(world: World, username: str) -> None:
    """A county's or a town's territory leaves enterprises outside; a remit, a grid or an enterprise is not a plain
    territory; the administrator's scope has no condition to leave out."""
    reader = world.users[username]
    assert not holds_every_enterprise(reader)
    assert str(counted(Hazard.objects.all(), reader).query) == str(Hazard.objects.visible_to(reader).query)


def test_a_department_with_a_remit_keeps_it_even_at_province_level(world: World) -> None:
    regulator = department("江西省应急管理厅", DepartmentKind.REGULATOR, world.regions["province"], ("01",))
    reader = user("shengyingji", UserKind.DEPARTMENT, UserRole.INSPECTOR, department=regulator)
    assert not holds_every_enterprise(reader)


def test_enterprises_outside_looks_on_both_sides_of_the_prefix(world: World) -> None:
    assert not enterprises_outside("36")
    assert not enterprises_outside("3604")
    assert enterprises_outside("360431")  # the neighbouring county's 360432… sorts above
    assert enterprises_outside("360432")  # the county's 360431… sort below
    move_outside(world, "390000000000")  # a prefix ending in 9: its upper bound is "3:"
    assert enterprises_outside("36")
    assert enterprises_outside("39")


def test_the_probe_runs_once_per_reader_object(world: World) -> None:
    sheng = province_officer(world)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert holds_every_enterprise(sheng)
    assert sum("~<~" in q["sql"] for q in queries.captured_queries) == 1
    move_outside(world)
    assert holds_every_enterprise(sheng)  # the same request's reader: asked once
    forget_territory(sheng)
    assert not holds_every_enterprise(sheng)


def test_counted_refuses_records_not_linked_to_an_enterprise(world: World) -> None:
    with pytest.raises(TypeError):
        counted(Department.objects.all(), world.users["anweiban"])
