"""A small risk register for the chemical plant, built through the actions as the application does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from anjian.risks import actions
from anjian.risks.choices import AccidentType, ControlTier, CycleUnit, MeasureClass, UnitKind
from anjian.risks.models import ControlMeasure, RiskEvent, RiskObject, RiskUnit
from tests.world import World


@dataclass
class Register:
    risk_object: RiskObject
    tank_farm: RiskUnit
    loading: RiskUnit
    leak: RiskEvent
    fire: RiskEvent
    daily: ControlMeasure
    weekly: ControlMeasure


def measure_data(world: World, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description": "储罐液位、温度、压力远传监控正常，高低液位报警联锁投用",
        "check_content": "检查液位计读数与DCS一致，报警联锁处于投用状态",
        "classify1": MeasureClass.ENGINEERING,
        "classify2": "安全仪表",
        "control_tier": ControlTier.TEAM,
        "cycle": 1,
        "cycle_unit": CycleUnit.DAY,
        "window_start": dt.time(8, 0),
        "window_end": dt.time(18, 0),
        "assignee": world.users["zhigong1"],
        "starts_on": timezone.localdate() - dt.timedelta(days=3),
    }
    data.update(extra)
    return data


def register(world: World) -> Register:
    qiye1 = world.users["qiye1"]
    chem = world.enterprises["chem"]
    obj = actions.do_create_risk_object(chem, data={"code": "HZ-01", "name": "甲醇储罐区"}, actor=qiye1)
    tank_farm = actions.do_create_risk_unit(
        obj,
        data={
            "name": "1#甲醇储罐",
            "kind": UnitKind.INSTALLATION,
            "department": "储运车间",
            "responsible_person": "王建国",
            "post": "储运操作工",
        },
        actor=qiye1,
    )
    loading = actions.do_create_risk_unit(
        obj,
        data={
            "name": "汽车装卸站台",
            "kind": UnitKind.ACTIVITY,
            "department": "储运车间",
            "responsible_person": "王建国",
            "post": "装卸工",
        },
        actor=qiye1,
    )
    leak = actions.do_create_risk_event(
        tank_farm, data={"name": "储罐泄漏引发中毒", "accident_type": AccidentType.POISONING}, actor=qiye1
    )
    fire = actions.do_create_risk_event(
        loading, data={"name": "装卸静电引发火灾", "accident_type": AccidentType.FIRE}, actor=qiye1
    )
    daily = actions.do_add_control_measure(leak, data=measure_data(world), actor=qiye1)
    weekly = actions.do_add_control_measure(
        fire,
        data=measure_data(
            world,
            description="装卸区静电接地报警器完好",
            check_content="检查静电接地夹及报警器",
            cycle_unit=CycleUnit.WEEK,
            window_start=None,
            window_end=None,
        ),
        actor=qiye1,
    )
    return Register(obj, tank_farm, loading, leak, fire, daily, weekly)
