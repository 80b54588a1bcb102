"""LEC, LS and MES: every method's boundaries with the shipped cut-offs, factors checked against the table, a
region's own table winning, versions kept and the unit's level its worst event's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput
from anjian.core.models import AuditEvent
from anjian.regions.models import Region
from anjian.risks import actions, methods
from anjian.risks.choices import AssessmentMethod, RiskLevel
from anjian.risks.models import AssessmentTable
from tests.risks.helpers import measure_data, register
from tests.world import World

CASES = [
    # LEC: >320 重大 (320 itself is 较大), 160–320 较大, 70–160 一般, below 低.
    ("lec", {"L": 6, "E": 6, "C": 15}, "540", RiskLevel.MAJOR, "red"),
    ("lec", {"L": 3, "E": 6, "C": 7}, "126", RiskLevel.MEDIUM, "yellow"),
    ("lec", {"L": 1, "E": 2, "C": 100}, "200", RiskLevel.HIGH, "orange"),
    ("lec", {"L": 10, "E": 2, "C": 15}, "300", RiskLevel.HIGH, "orange"),
    ("lec", {"L": 10, "E": 10, "C": 3}, "300", RiskLevel.HIGH, "orange"),
    ("lec", {"L": 0.5, "E": 6, "C": 100}, "300", RiskLevel.HIGH, "orange"),
    ("lec", {"L": 10, "E": 0.5, "C": 100}, "500", RiskLevel.MAJOR, "red"),
    ("lec", {"L": 1, "E": 2, "C": 40}, "80", RiskLevel.MEDIUM, "yellow"),
    ("lec", {"L": 0.5, "E": 2, "C": 7}, "7", RiskLevel.LOW, "blue"),
    # LS: 20–25 重大, 9–16 较大, 4–8 一般, 1–3 低.
    ("ls", {"L": 4, "S": 5}, "20", RiskLevel.MAJOR, "red"),
    ("ls", {"L": 4, "S": 4}, "16", RiskLevel.HIGH, "orange"),
    ("ls", {"L": 3, "S": 3}, "9", RiskLevel.HIGH, "orange"),
    ("ls", {"L": 2, "S": 4}, "8", RiskLevel.MEDIUM, "yellow"),
    ("ls", {"L": 2, "S": 2}, "4", RiskLevel.MEDIUM, "yellow"),
    ("ls", {"L": 3, "S": 1}, "3", RiskLevel.LOW, "blue"),
    # MES: >180 重大 (180 is 较大), 90–180 较大, 50–90 一般.
    ("mes", {"M": 5, "E": 6, "S": 8}, "240", RiskLevel.MAJOR, "red"),
    ("mes", {"M": 3, "E": 6, "S": 10}, "180", RiskLevel.HIGH, "orange"),
    ("mes", {"M": 3, "E": 3, "S": 10}, "90", RiskLevel.HIGH, "orange"),
    ("mes", {"M": 5, "E": 10, "S": 1}, "50", RiskLevel.MEDIUM, "yellow"),
    ("mes", {"M": 1, "E": 6, "S": 8}, "48", RiskLevel.LOW, "blue"),
]


@pytest.mark.parametrize(("method", "inputs", "expected", "level", "colour"), CASES)
def test_boundaries(db: Any, method: str, inputs: dict[str, float], expected: str, level: str, colour: str) -> None:
    table = methods.table_for(method, "360431101001")
    value = methods.score(method, inputs, table)
    assert value == Decimal(expected)
    assert methods.level_of(value, table) == level and methods.colour_of(level) == colour


@pytest.mark.parametrize(
    ("method", "inputs", "field"),
    [
        ("lec", {"L": 7, "E": 6, "C": 15}, "L"),  # 7 is not on the L scale
        ("lec", {"L": 6, "E": 6}, "C"),
        ("ls", {"L": 6, "S": 1}, "L"),
        ("mes", {"M": 2, "E": 6, "S": 8}, "M"),
        ("xyz", {}, "method"),
    ],
)
def test_factors_outside_the_table_are_refused(db: Any, method: str, inputs: dict[str, Any], field: str) -> None:
    table = methods.table_for("lec", "360431101001")
    with pytest.raises(InvalidInput) as error:
        methods.score(method, inputs, table if method != "ls" else methods.table_for("ls", "360431101001"))
    assert field in error.value.field_errors


def test_a_regions_own_cutoffs_win(world: World) -> None:
    default = AssessmentTable.objects.get(method=AssessmentMethod.LEC, region=None)
    city = Region.objects.get(code="360400000000")
    AssessmentTable.objects.create(
        method=AssessmentMethod.LEC,
        region=city,
        factors=default.factors,
        cutoffs=[
            {"level": "major", "min": 320, "inclusive": True},
            {"level": "high", "min": 160, "inclusive": True},
            {"level": "medium", "min": 70, "inclusive": True},
        ],
    )
    here = methods.table_for("lec", "360431101001")
    assert here.region_id == "360400000000"
    assert methods.level_of(Decimal(320), here) == RiskLevel.MAJOR  # inclusive here, 较大 by the default
    assert methods.level_of(Decimal(320), default) == RiskLevel.HIGH
    assert methods.table_for("lec", "360000000000").region_id is None  # above the city: the default


def test_assessments_are_versions_and_the_unit_takes_its_worst_event(world: World) -> None:
    reg = register(world)
    qiye1 = world.users["qiye1"]
    first = actions.do_assess_event(reg.leak, method="lec", inputs={"L": 3, "E": 6, "C": 7}, actor=qiye1)
    assert (first.version, first.level, first.colour) == (1, RiskLevel.MEDIUM, "yellow")
    second = actions.do_assess_event(reg.leak, method="lec", inputs={"L": 6, "E": 6, "C": 15}, actor=qiye1)
    assert second.version == 2 and second.level == RiskLevel.MAJOR
    residual = actions.do_assess_event(
        reg.leak, method="lec", inputs={"L": 1, "E": 6, "C": 15}, residual=True, actor=qiye1
    )
    assert residual.version == 3 and residual.level == RiskLevel.MEDIUM
    reg.leak.refresh_from_db()
    reg.tank_farm.refresh_from_db()
    assert (reg.leak.level, reg.leak.residual_level) == (RiskLevel.MAJOR, RiskLevel.MEDIUM)
    assert reg.tank_farm.level == RiskLevel.MAJOR and reg.tank_farm.colour == "red"
    assert reg.leak.assessments.count() == 3  # history kept
    assert reg.leak.reassess_by is not None
    # A second, milder event does not lower the unit.
    other = actions.do_create_risk_event(
        reg.tank_farm, data={"name": "储罐区高处坠落", "accident_type": "fall"}, actor=qiye1
    )
    actions.do_assess_event(other, method="ls", inputs={"L": 1, "S": 2}, actor=qiye1)
    reg.tank_farm.refresh_from_db()
    assert reg.tank_farm.level == RiskLevel.MAJOR
    # Re-assessed lower, the unit follows its worst event.
    actions.do_assess_event(reg.leak, method="lec", inputs={"L": 0.5, "E": 6, "C": 15}, actor=qiye1)
    reg.tank_farm.refresh_from_db()
    assert reg.tank_farm.level == RiskLevel.LOW  # 45 → 低; the fall is 低 too
    assert AuditEvent.objects.filter(event=EventCode.RISK_ASSESSED).count() == 5


@pytest.mark.parametrize("persona", ["zhigong1", "yingji", "zhujian", "neighbour_officer"])
def test_only_the_enterprise_keeps_its_register(world: World, persona: str) -> None:
    reg = register(world)
    with pytest.raises(ActionError) as error:
        actions.do_assess_event(reg.leak, method="lec", inputs={"L": 6, "E": 6, "C": 15}, actor=world.users[persona])
    assert error.value.status == 403
    assert not reg.leak.assessments.exists()


def test_measure_needs_a_member_of_the_enterprise(world: World) -> None:
    reg = register(world)
    with pytest.raises(InvalidInput):
        actions.do_add_control_measure(
            reg.leak, data=measure_data(world, assignee=world.users["yingji"]), actor=world.users["qiye1"]
        )
    with pytest.raises(InvalidInput):
        actions.do_add_control_measure(
            reg.leak,
            data=measure_data(
                world, window_start=__import__("datetime").time(18), window_end=__import__("datetime").time(8)
            ),
            actor=world.users["qiye1"],
        )


def test_administrator_sees_the_tables(world: World, client_for: Any) -> None:
    client = client_for("admin")
    listing = client.get("/admin/risks/assessmenttable/")
    assert listing.status_code == 200 and "LEC" in listing.content.decode()
    table = AssessmentTable.objects.get(method=AssessmentMethod.LEC, region=None)
    assert client.get(f"/admin/risks/assessmenttable/{table.pk}/change/").status_code == 200
    assert client_for("qiye1").get("/admin/risks/assessmenttable/").status_code == 404


def test_inputs_and_messages_read_as_people_write_them(world: World) -> None:
    reg = register(world)
    assessment = actions.do_assess_event(
        reg.leak, method="lec", inputs={"L": 10, "E": 0.5, "C": 100}, actor=world.users["qiye1"]
    )
    assert assessment.inputs == {"L": "10", "E": "0.5", "C": "100"}
    with pytest.raises(InvalidInput) as error:
        methods.score("lec", {"L": 9, "E": 6, "C": 15}, methods.table_for("lec", "360431101001"))
    assert "10、6、3、1、0.5、0.2、0.1" in str(error.value.field_errors["L"][0])
