"""How a user's scope is computed, and that every scoped manager applies it."""

from __future__ import annotations

from typing import Any

from anjian.core.scoping import Scope
from anjian.enterprises.models import Licence
from anjian.orgs.models import Department, User
from anjian.regions.models import Grid, Region
from tests.world import World


def test_department_scope_is_region_prefix_and_expanded_remit(world: World) -> None:
    scope = Scope.for_user(world.users["yingji"])
    assert scope.region_prefix == "360431"
    codes = set(world.departments["yingji"].industries.values_list("code", flat=True))
    assert codes == {"01", "02", "03", "04"}
    assert scope.industry_ids is not None and len(scope.industry_ids) > 4  # categories expand to industries


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
