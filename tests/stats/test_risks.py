"""The dual-prevention figures equal raw SQL written independently over the same records (registers and check tasks
built through the actions), for several personas' scopes and periods; through the functions and through
/api/v1/stats/risks. A supervisor of other industries counts nothing of the chemical plant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import asdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from anjian.core.scoping import Scope
from anjian.enterprises import actions as enterprise_actions
from anjian.enterprises.models import Enterprise
from anjian.hazards.choices import HazardSource
from anjian.orgs.choices import UserKind, UserRole
from anjian.risks import actions
from anjian.risks.choices import AccidentType, CheckResult, UnitKind
from anjian.risks.models import CheckTask, ControlMeasure, RiskEvent, RiskUnit
from anjian.stats.risks import (
    completion_by_department,
    completion_by_enterprise,
    enterprises_without_register,
    highest_levels,
    level_distribution,
    low_completion,
    overdue_reassessments,
    risk_figures,
)
from anjian.stats.territory import holds_every_enterprise
from tests.conftest import sign_in_as
from tests.risks.helpers import measure_data
from tests.world import World, build_world, user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def day(n: int) -> dt.date:
    """n days from today (negative: before)."""
    return TODAY + dt.timedelta(days=n)


def local(on: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(on, dt.time(hour)))


# --- the records ------------------------------------------------------------------------------------------------


def unit(manager: Any, enterprise: Enterprise, name: str, department: str, code: str = "HZ-01") -> RiskUnit:
    obj = actions.do_create_risk_object(
        enterprise, data={"code": f"{code}-{name}", "name": f"{name}区域"}, actor=manager
    )
    return actions.do_create_risk_unit(
        obj,
        data={
            "name": name,
            "kind": UnitKind.AREA,
            "department": department,
            "responsible_person": "王建国",
        },
        actor=manager,
    )


def event(manager: Any, risk_unit: RiskUnit, name: str, lec: tuple[float, float, float] | None) -> RiskEvent:
    created = actions.do_create_risk_event(
        risk_unit, data={"name": name, "accident_type": AccidentType.FIRE}, actor=manager
    )
    if lec is not None:
        factors = dict(zip("LEC", lec, strict=True))
        actions.do_assess_event(created, method="lec", inputs=factors, actor=manager)
    return created


def all_day(world: World, risk_event: RiskEvent, manager: Any, assignee: Any, starts: dt.date) -> ControlMeasure:
    """A daily check due any time of the day (00:00–24:00), so the scenario does not depend on the hour it runs."""
    data = measure_data(world, window_start=dt.time(0, 0), window_end=None, assignee=assignee, starts_on=starts)
    return actions.do_add_control_measure(risk_event, data=data, actor=manager)


def check(task_of: Callable[[int], CheckTask], n: int, actor: Any, *, fail: bool = False) -> None:
    result = CheckResult.FAIL if fail else CheckResult.PASS
    note = "液位计读数与DCS不一致" if fail else ""
    actions.do_record_check(task_of(n), result=result, note=note, actor=actor, at=local(day(n)))


def build(world: World) -> None:
    """Registers: the chemical plant (a major, a medium, a low and an unassessed unit; the tank farm's daily checks
    over the last 10 days: 5 done, one abnormal, 2 missed, 3 overdue, today's open; the control room's of the last 2
    days done), the factory (a high unit, no checks; its event's re-assessment overdue), the neighbouring county's
    plant (a low unit, 3 checks). Building, hotel: no register."""
    chem, factory, neighbour = (world.enterprises[k] for k in ("chem", "factory", "neighbour"))
    qiye1, zhigong1 = world.users["qiye1"], world.users["zhigong1"]
    tanks = unit(qiye1, chem, "1#甲醇储罐", "储运车间")
    leak = event(qiye1, tanks, "储罐泄漏引发中毒", (6, 6, 15))  # 540: major
    event(qiye1, unit(qiye1, chem, "汽车装卸站台", "储运车间"), "装卸静电引发火灾", (3, 6, 7))  # 126: medium
    control_room = unit(qiye1, chem, "中控室", "生产部")
    room_fire = event(qiye1, control_room, "电气火灾", (1, 6, 3))  # 18: low
    unit(qiye1, chem, "新建仓库", "储运车间")  # not assessed yet
    tank_checks = all_day(world, leak, qiye1, zhigong1, day(-10))
    room_checks = all_day(world, room_fire, qiye1, qiye1, day(-2))

    factory_officer = user("qiye_factory", UserKind.ENTERPRISE, UserRole.SAFETY_OFFICER, enterprise=factory)
    world.users["qiye_factory"] = factory_officer
    press = event(factory_officer, unit(factory_officer, factory, "冲压车间", "生产科"), "机械伤害", None)
    # 252: high; assessed 400 days ago, so its yearly re-assessment is overdue.
    actions.do_assess_event(press, method="lec", inputs={"L": 6, "E": 6, "C": 7}, actor=factory_officer, on=day(-400))

    neighbour_officer = user("qiye_neighbour", UserKind.ENTERPRISE, UserRole.SAFETY_OFFICER, enterprise=neighbour)
    world.users["qiye_neighbour"] = neighbour_officer
    far = event(neighbour_officer, unit(neighbour_officer, neighbour, "罐区", "安全科"), "泄漏", (3, 3, 3))  # low
    far_checks = all_day(world, far, neighbour_officer, neighbour_officer, day(-2))

    actions.generate_tasks()

    def task_of(measure: ControlMeasure) -> Callable[[int], CheckTask]:
        return lambda n: CheckTask.objects.get(measure=measure, due_start=local(day(n), 0))

    for n in (-10, -9, -8, -7):
        check(task_of(tank_checks), n, zhigong1)
    check(task_of(tank_checks), -6, zhigong1, fail=True)
    check(task_of(room_checks), -2, qiye1)  # the safety officer's own checks: 生产部
    check(task_of(room_checks), -1, qiye1)
    check(task_of(far_checks), -2, neighbour_officer)
    actions.flag_missed(now=local(day(-3), 0))  # the nightly job last ran three days ago: -5 and -4 missed


@pytest.fixture(scope="module")
def ledger(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world and the records, built once for the module in a transaction rolled back at the end."""
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
  SELECT e.id, e.name FROM enterprises_enterprise e
  JOIN enterprises_industry i ON i.id = e.industry_id
  LEFT JOIN enterprises_industry c ON c.id = i.parent_id
  WHERE e.region_id LIKE %(prefix)s AND e.status <> 'closed'
    AND (%(only)s::bigint IS NULL OR e.id = %(only)s)
    AND (%(industry)s::text IS NULL OR i.code = %(industry)s OR c.code = %(industry)s)
    AND (%(every)s OR i.code = ANY(%(codes)s) OR c.code = ANY(%(codes)s) OR EXISTS (
      SELECT 1 FROM enterprises_enterprise_tags et JOIN enterprises_tag t ON t.id = et.tag_id
      WHERE et.enterprise_id = e.id AND t.code = ANY(%(tags)s)))
),
units AS (SELECT u.* FROM risks_riskunit u JOIN scope s ON s.id = u.enterprise_id),
ranked AS (
  SELECT s.id,
    (SELECT min(CASE u.level WHEN 'major' THEN 1 WHEN 'high' THEN 2 WHEN 'medium' THEN 3 WHEN 'low' THEN 4 END)
     FROM risks_riskunit u WHERE u.enterprise_id = s.id) AS rank,
    EXISTS (SELECT 1 FROM risks_riskunit u WHERE u.enterprise_id = s.id) AS registered
  FROM scope s
),
tasks AS (
  SELECT t.*, s.name AS enterprise_name, u.department FROM risks_checktask t JOIN scope s ON s.id = t.enterprise_id
  JOIN risks_controlmeasure m ON m.id = t.measure_id
  JOIN risks_riskevent ev ON ev.id = m.event_id
  JOIN risks_riskunit u ON u.id = ev.unit_id
  WHERE t.due_end > (%(start)s::date::timestamp AT TIME ZONE 'Asia/Shanghai')
    AND t.due_end <= ((%(end)s::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
)
"""

COUNTS = """
  count(*),
  count(*) FILTER (WHERE status = 'done'),
  count(*) FILTER (WHERE status = 'missed'),
  count(*) FILTER (WHERE status = 'pending' AND due_end <= %(now)s),
  count(*) FILTER (WHERE status = 'pending' AND due_end > %(now)s),
  round((count(*) FILTER (WHERE status = 'done'))::numeric / NULLIF(count(*) FILTER (
    WHERE status IN ('done', 'missed') OR (status = 'pending' AND due_end <= %(now)s)), 0), 4)
"""


def with_scope(body: str) -> str:
    """A query over the scope and the period's tasks defined above, the task counts where the body says {counts}; no
    value is spliced in."""
    return SCOPE_CTE + body.replace("{counts}", COUNTS)


FIGURES_SQL = with_scope(
    """
SELECT
  (SELECT count(*) FROM scope),
  (SELECT count(*) FROM ranked WHERE registered),
  (SELECT count(*) FROM ranked WHERE rank = 1),
  (SELECT count(*) FROM ranked WHERE rank = 2),
  (SELECT count(*) FROM ranked WHERE rank = 3),
  (SELECT count(*) FROM ranked WHERE rank = 4),
  (SELECT count(*) FROM ranked WHERE rank IS NULL),
  (SELECT count(*) FROM units),
  (SELECT count(*) FROM units WHERE level = 'major'),
  (SELECT count(*) FROM units WHERE level = 'high'),
  (SELECT count(*) FROM units WHERE level = 'medium'),
  (SELECT count(*) FROM units WHERE level = 'low'),
  (SELECT count(*) FROM units WHERE level = ''),
  t.*
FROM (SELECT {counts} FROM tasks) t
"""
)
BY_ENTERPRISE_SQL = with_scope("SELECT enterprise_id, '', {counts} FROM tasks GROUP BY enterprise_id")
BY_DEPARTMENT_SQL = with_scope(
    "SELECT enterprise_id, department, {counts} FROM tasks GROUP BY enterprise_id, department"
)

LEVELS = ("major", "high", "medium", "low", "none")
TASKS = ("tasks_due", "tasks_done", "tasks_missed", "tasks_overdue", "tasks_open", "completion_rate")


def sql_params(scope: dict[str, Any], start: dt.date, end: dt.date, now: dt.datetime, **extra: Any) -> dict:
    return {
        "prefix": scope["prefix"] + "%",
        "only": scope.get("only"),
        "every": scope.get("every", False),
        "codes": scope.get("codes", []),
        "tags": scope.get("tags", []),
        "industry": extra.get("industry"),
        "start": start,
        "end": end,
        "now": now,
    }


def raw(
    scope: dict[str, Any],
    start: dt.date = TODAY - dt.timedelta(days=29),
    end: dt.date = TODAY,
    now: dt.datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(FIGURES_SQL, sql_params(scope, start, end, now or timezone.now(), **extra))
        row = cursor.fetchone()
    assert row is not None
    return {
        "start": start,
        "end": end,
        "enterprises_in_scope": row[0],
        "enterprises_with_register": row[1],
        "enterprises_by_level": dict(zip(LEVELS, row[2:7], strict=True)),
        "units": row[7],
        "units_by_level": dict(zip(LEVELS, row[8:13], strict=True)),
        **dict(zip(TASKS, row[13:], strict=True)),
    }


def raw_rows(sql: str, scope: dict[str, Any], now: dt.datetime) -> dict[tuple[int, str], tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params(scope, day(-29), TODAY, now))
        return {(row[0], row[1]): tuple(row[2:]) for row in cursor.fetchall()}


# --- the figures ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", list(SCOPES))
def test_every_figure_equals_raw_sql(ledger: World, persona: str) -> None:
    now = timezone.now()
    assert asdict(risk_figures(ledger.users[persona], now=now)) == raw(SCOPES[persona], now=now)


def test_known_figures_of_the_county(ledger: World) -> None:
    """The figures the scenario was built to give (so the SQL above is checked against intent, too)."""
    figures = risk_figures(ledger.users["anweiban"])
    assert (figures.enterprises_in_scope, figures.enterprises_with_register) == (4, 2)
    assert figures.enterprises_by_level == {"major": 1, "high": 1, "medium": 0, "low": 0, "none": 2}
    assert figures.units == 5
    assert figures.units_by_level == {"major": 1, "high": 1, "medium": 1, "low": 1, "none": 1}
    # The tank farm's 11 daily checks of the period (days -10 … today): 5 done, 2 missed, 3 overdue, today's open;
    # the control room's 3 (days -2 … today): 2 done, today's open.
    counts = (figures.tasks_due, figures.tasks_done, figures.tasks_missed, figures.tasks_overdue, figures.tasks_open)
    assert counts == (14, 7, 2, 3, 2)
    assert figures.completion_rate == Decimal("0.5833")  # 7 ÷ (7 + 2 + 3)
    assert (figures.start, figures.end) == (day(-29), TODAY)


def test_a_supervisor_of_other_industries_sees_nothing_of_the_chemical_plant(ledger: World) -> None:
    figures = risk_figures(ledger.users["zhujian"])
    assert (figures.enterprises_in_scope, figures.enterprises_with_register, figures.units) == (1, 0, 0)
    assert figures.enterprises_by_level == {"major": 0, "high": 0, "medium": 0, "low": 0, "none": 1}
    assert (figures.tasks_due, figures.completion_rate) == (0, None)
    chem = ledger.enterprises["chem"].pk
    assert risk_figures(ledger.users["zhujian"], enterprise=chem).enterprises_in_scope == 0
    assert completion_by_enterprise(ledger.users["zhujian"]) == []
    assert highest_levels(ledger.users["zhujian"], enterprise=chem) == []


def test_the_enterprise_sees_its_own_figures(ledger: World) -> None:
    now = timezone.now()
    chem = {"prefix": "", "every": True, "only": ledger.enterprises["chem"].pk}
    for persona in ("qiye1", "zhigong1"):  # workers see the register too: risks are announced
        assert asdict(risk_figures(ledger.users[persona], now=now)) == raw(chem, now=now)


def test_narrowing_and_other_periods_equal_raw_sql(ledger: World) -> None:
    anweiban, now = ledger.users["anweiban"], timezone.now()
    county = SCOPES["anweiban"]
    town2 = ledger.regions["town2"]
    assert asdict(risk_figures(anweiban, region=town2, now=now)) == raw({"prefix": "360431102", "every": True}, now=now)
    assert asdict(risk_figures(anweiban, industry="04", now=now)) == raw(county, now=now, industry="04")
    assert asdict(risk_figures(anweiban, industry="0101", now=now)) == raw(county, now=now, industry="0101")
    chem = ledger.enterprises["chem"].pk
    assert asdict(risk_figures(anweiban, enterprise=chem, now=now)) == raw({**county, "only": chem}, now=now)
    for start, end in [(day(-6), day(-6)), (day(-5), day(-3)), (day(-40), day(-11)), (day(-1), day(1))]:
        got = asdict(risk_figures(anweiban, start=start, end=end, now=now))
        assert got == raw(county, start, end, now), (start, end)


def test_a_day_is_the_checks_due_by_its_midnight(ledger: World) -> None:
    """A daily check is the day's: its window closes at the midnight after it."""
    one = risk_figures(ledger.users["qiye1"], start=day(-6), end=day(-6))
    assert (one.tasks_due, one.tasks_done, one.completion_rate) == (1, 1, Decimal("1.0000"))
    missed = risk_figures(ledger.users["qiye1"], start=day(-5), end=day(-4))
    assert (missed.tasks_due, missed.tasks_missed, missed.completion_rate) == (2, 2, Decimal("0.0000"))
    ahead = risk_figures(ledger.users["qiye1"], start=day(1), end=day(1))
    assert (ahead.tasks_due, ahead.tasks_open, ahead.completion_rate) == (2, 2, None)  # tomorrow's, generated


def test_a_closed_enterprise_counts_nowhere(ledger: World) -> None:
    enterprise_actions.do_close_enterprise(ledger.enterprises["factory"], reason="关闭", actor=ledger.users["admin"])
    figures = risk_figures(ledger.users["yingji"])
    assert (figures.enterprises_in_scope, figures.enterprises_with_register) == (1, 1)
    assert figures.enterprises_by_level["high"] == 0
    now = timezone.now()
    assert asdict(risk_figures(ledger.users["yingji"], now=now)) == raw(SCOPES["yingji"], now=now)


def test_completion_by_enterprise_and_department_equal_raw_sql(ledger: World) -> None:
    admin, now = ledger.users["admin"], timezone.now()
    by_enterprise = completion_by_enterprise(admin, now=now)
    expected = raw_rows(BY_ENTERPRISE_SQL, SCOPES["admin"], now)
    got = {
        (r.enterprise_id, r.department): (
            r.tasks_due,
            r.tasks_done,
            r.tasks_missed,
            r.tasks_overdue,
            r.tasks_open,
            r.completion_rate,
        )
        for r in by_enterprise
    }
    assert got == expected
    chem, neighbour = ledger.enterprises["chem"].pk, ledger.enterprises["neighbour"].pk
    assert [(r.enterprise_id, r.completion_rate) for r in by_enterprise] == [
        (neighbour, Decimal("0.5000")),  # the worst first: 1 done, 1 overdue
        (chem, Decimal("0.5833")),
    ]
    by_department = completion_by_department(admin, now=now)
    expected = raw_rows(BY_DEPARTMENT_SQL, SCOPES["admin"], now)
    got = {
        (r.enterprise_id, r.department): (
            r.tasks_due,
            r.tasks_done,
            r.tasks_missed,
            r.tasks_overdue,
            r.tasks_open,
            r.completion_rate,
        )
        for r in by_department
    }
    assert got == expected
    # The worst first; equal rates by the enterprise's name.
    assert [(r.enterprise_id, r.department, r.completion_rate) for r in by_department] == [
        (chem, "储运车间", Decimal("0.5000")),  # 4 normal + 1 abnormal of 10
        (neighbour, "安全科", Decimal("0.5000")),
        (chem, "生产部", Decimal("1.0000")),
    ]


def test_listings_behind_the_figures(ledger: World) -> None:
    anweiban = ledger.users["anweiban"]
    figures = risk_figures(anweiban)
    levels = highest_levels(anweiban)
    counted = {level: sum(1 for r in levels if r.level == level) for level in LEVELS}
    assert counted == figures.enterprises_by_level
    assert sum(r.registered for r in levels) == figures.enterprises_with_register
    # 危化 and 工贸 without a register: none here (the plant and the factory keep one); the building contractor and
    # the hotel are not of those categories.
    assert list(enterprises_without_register(anweiban)) == []
    overdue = [(r.enterprise_id, r.overdue, r.reassess_by) for r in overdue_reassessments(anweiban)]
    assert overdue == [(ledger.enterprises["factory"].pk, 1, day(-400) + dt.timedelta(days=365))]
    assert low_completion(anweiban)[0].enterprise_id == ledger.enterprises["chem"].pk
    categories, series = level_distribution(anweiban)
    assert categories == [("01", "危险化学品"), ("04", "工贸")]
    assert series == {"major": [1, 0], "high": [0, 1], "medium": [1, 0], "low": [1, 0], "none": [1, 0]}


def test_figures_take_three_queries(ledger: World, django_assert_max_num_queries: Any) -> None:
    user_ = ledger.users["anweiban"]
    Scope.for_user(user_)  # the reader's scope is computed once per request
    holds_every_enterprise(user_)  # and so is whether its territory holds every enterprise
    with django_assert_max_num_queries(3):
        risk_figures(user_, region=ledger.regions["county"], industry="01")
    with django_assert_max_num_queries(1):
        completion_by_enterprise(user_)
    with django_assert_max_num_queries(1):
        completion_by_department(user_)


def test_the_abnormal_check_opened_a_hazard(ledger: World) -> None:
    task = CheckTask.objects.select_related("record__hazard").get(record__result=CheckResult.FAIL)
    assert task.record.hazard is not None and task.record.hazard.source == HazardSource.CONTROL_FAILURE


# --- the API ----------------------------------------------------------------------------------------------------


def as_json(figures: Any) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal | dt.date) else v) for k, v in asdict(figures).items()}


@pytest.mark.parametrize("persona", ["anweiban", "yingji", "zhujian", "qiye1", "zhigong1", "wangge1", "admin"])
def test_api_answers_the_function(ledger: World, client_for: Any, persona: str) -> None:
    body = client_for(persona).get(f"/api/v1/stats/risks?start={day(-29)}&end={TODAY}").json()
    assert body == as_json(risk_figures(ledger.users[persona], start=day(-29), end=TODAY))


def test_api_narrows_like_the_function(ledger: World, client_for: Any) -> None:
    client = client_for("anweiban")
    chem = ledger.enterprises["chem"].pk
    query = f"start={day(-10)}&end={day(-1)}"
    body = client.get(f"/api/v1/stats/risks?{query}&region=360431101000&industry=01&enterprise={chem}").json()
    expected = risk_figures(
        ledger.users["anweiban"],
        region=ledger.regions["town1"],
        industry="01",
        enterprise=chem,
        start=day(-10),
        end=day(-1),
    )
    assert body == as_json(expected)
    assert (body["tasks_due"], body["completion_rate"]) == (12, "0.5833")  # 10 + the control room's 2; 7 of 12


def test_api_refuses_bad_and_foreign_parameters(ledger: World, client_for: Any) -> None:
    client = client_for("zhujian")
    path = "/api/v1/stats/risks"
    backwards = client.get(f"{path}?start={TODAY}&end={day(-1)}")
    assert backwards.status_code == 422
    assert backwards.json()["code"] == "invalid" and "end" in backwards.json()["errors"]
    assert client.get(f"{path}?start={TODAY}").status_code == 422
    for region in ("360432000000", "999999999999", "abc"):
        response = client.get(f"{path}?start={day(-1)}&end={TODAY}&region={region}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    chem = ledger.enterprises["chem"].pk
    assert client.get(f"{path}?start={day(-1)}&end={TODAY}&enterprise={chem}").status_code == 404


def test_api_refuses_who_sees_no_register(ledger: World, client_for: Any, client: Client) -> None:
    response = client_for("auditor").get(f"/api/v1/stats/risks?start={day(-1)}&end={TODAY}")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    client.logout()
    assert client.get(f"/api/v1/stats/risks?start={day(-1)}&end={TODAY}").status_code == 401
