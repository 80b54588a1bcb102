"""How a user's scope is computed, and that every scoped manager applies it."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from anjian.core.scoping import Scope
from anjian.enterprises.models import Industry, Licence, Tag
from anjian.orgs.backends import ModelBackend
from anjian.orgs.models import Department, User
from anjian.regions.models import Grid, Region
from tests.world import World


def test_department_scope_is_region_prefix_and_expanded_remit(world: World) -> None:
    scope = Scope.for_user(world.users["yingji"])
    assert scope.region_prefix == "360431"
    codes = set(world.departments["yingji"].industries.values_list("code", flat=True))
    assert codes == {"01", "02", "03", "04"}
    assert scope.industry_ids is not None and len(scope.industry_ids) > 4  # categories expand to industries


def test_a_remit_is_its_industries_their_children_and_its_tags(world: World) -> None:
    for key in ("yingji", "xiaofang", "zhujian"):
        chosen = list(world.departments[key].industries.values_list("pk", flat=True))
        expected = set(Industry.objects.filter(Q(pk__in=chosen) | Q(parent_id__in=chosen)).values_list("pk", flat=True))
        scope = Scope.for_user(world.users[key])
        assert scope.industry_ids == expected
        assert scope.tag_ids == set(world.departments[key].tags.values_list("pk", flat=True))
    assert Scope.for_user(world.users["xiaofang"]).tag_ids == {Tag.objects.get(code="crowded_place").pk}


def test_a_request_reads_the_scope_of_a_department_user_in_two_queries(world: World) -> None:
    """The signed-in user comes with department and region (the backend's one query); the remit is one more."""
    backend = ModelBackend()
    with CaptureQueriesContext(connection) as queries:
        user = backend.get_user(world.users["xiaofang"].pk)
        scope = Scope.for_user(user)
    assert scope.region_prefix == "360431" and scope.tag_ids and scope.industry_ids
    assert len(queries) == 2, [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        office = Scope.for_user(backend.get_user(world.users["anweiban"].pk))
    assert office.region_prefix == "360431" and office.industry_ids is None
    assert len(queries) == 1, [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        grid = Scope.for_user(backend.get_user(world.users["wangge1"].pk))
    assert grid.grid_id == world.grids["g1"].pk and grid.region_prefix
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_committee_office_and_town_see_every_industry(world: World) -> None:
    assert Scope.for_user(world.users["anweiban"]).industry_ids is None
    zhen = Scope.for_user(world.users["zhen1"])
    assert zhen.industry_ids is None and zhen.region_prefix == "360431101"


def test_other_shapes(world: World) -> None:
    assert Scope.for_user(world.users["admin"]).everything
    assert Scope.for_user(world.users["wangge1"]).grid_id == world.grids["g1"].pk
    assert Scope.for_user(world.users["qiye1"]).enterprise_id == world.enterprises["chem"].pk
    assert Scope.for_user(world.users["auditor"]).nothing


def test_inactive_user_sees_nothing(world: World) -> None:
    user = world.users["anweiban"]
    user.is_active = False
    assert Scope.for_user(user).nothing


def test_scoped_managers(world: World) -> None:
    def names(qs: Any) -> set[str]:
        return {str(o) for o in qs}

    zhen1 = world.users["zhen1"]
    assert names(Region.objects.visible_to(zhen1)) == {"青山镇", "工业园社区", "枫林村"}
    assert names(Grid.objects.visible_to(zhen1)) == {"青山镇第1网格", "青山镇第2网格"}
    assert names(Department.objects.visible_to(zhen1)) == {"青山镇安委办"}
    assert Licence.objects.visible_to(world.users["zhujian"]).get().enterprise == world.enterprises["build"]
    assert set(User.objects.visible_to(world.users["anweiban"]).values_list("username", flat=True)) == {
        "anweiban",
        "yingji",
        "yingji2",
        "zhujian",
        "xiaofang",
        "zhen1",
        "wangge1",
    }
    assert not User.objects.visible_to(world.users["qiye1"]).exists()
