"""The checks as the enterprise meets them — today's list on a phone, each check recorded on its own over htmx
(normal; abnormal with a note, which registers a hazard; refused outside its window) — and the government's view of
dual prevention (who keeps no register, whose re-assessments are overdue, whose checks lag; the four-colour map).
Every page answers 404 out of scope and 403 to a role it is not for; lists run a flat number of queries."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from anjian.hazards.choices import HazardSource
from anjian.hazards.models import Hazard
from anjian.orgs.choices import UserKind, UserRole
from anjian.risks import actions
from anjian.risks.choices import AccidentType, CheckResult, TaskStatus, UnitKind
from anjian.risks.models import CheckRecord, CheckTask, ControlMeasure
from anjian.risks.views_tasks import todays_checks, window_label
from tests.hazards.helpers import photo
from tests.risks.helpers import Register, measure_data, register
from tests.world import World, user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOTE = "1#储罐液位计读数与DCS不一致"


def midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def today(n: int = 0) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@dataclass
class Checks:
    register: Register
    mine: ControlMeasure  # zhigong1's check of the tank farm, due all day, from 3 days ago
    officer: ControlMeasure  # qiye1's own check of the loading bay, due all day

    def task(self, measure: ControlMeasure, n: int = 0) -> CheckTask:
        """The measure's task of the day n days from today."""
        return CheckTask.objects.get(measure=measure, due_start=midnight(today(n)))


def _all_day(world: World, **extra: Any) -> dict[str, Any]:
    return measure_data(world, window_start=dt.time(0, 0), window_end=None, **extra)


@pytest.fixture
def checks(world: World) -> Checks:
    """The plant's register (tests/risks/helpers.py: a daily 08:00–18:00 and a weekly check) with two checks due all
    day — so what is due now does not depend on the hour the tests run — and the tasks generated."""
    qiye1 = world.users["qiye1"]
    reg = register(world)
    actions.do_assess_event(reg.leak, method="lec", inputs={"L": 6, "E": 6, "C": 15}, actor=qiye1)
    mine = actions.do_add_control_measure(reg.leak, data=_all_day(world), actor=qiye1)
    officer = actions.do_add_control_measure(
        reg.fire,
        data=_all_day(world, description="装卸区静电接地完好", check_content="检查接地夹", assignee=qiye1),
        actor=qiye1,
    )
    actions.generate_tasks()
    return Checks(reg, mine, officer)


def neighbour_task(world: World) -> CheckTask:
    """A check of the neighbouring county's plant (kept by its own safety officer)."""
    enterprise = world.enterprises["neighbour"]
    officer = user("qiye_neighbour", UserKind.ENTERPRISE, UserRole.SAFETY_OFFICER, enterprise=enterprise)
    obj = actions.do_create_risk_object(enterprise, data={"code": "N-1", "name": "罐区"}, actor=officer)
    unit = actions.do_create_risk_unit(
        obj,
        data={"name": "2#罐", "kind": UnitKind.AREA, "department": "安全科", "responsible_person": "李四"},
        actor=officer,
    )
    event = actions.do_create_risk_event(unit, data={"name": "泄漏", "accident_type": AccidentType.FIRE}, actor=officer)
    measure = actions.do_add_control_measure(event, data=_all_day(world, assignee=officer), actor=officer)
    actions.generate_tasks()
    return CheckTask.objects.get(measure=measure, due_start=midnight(today()))


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _record_url(task: CheckTask) -> str:
    return reverse("risks:task_record", args=[task.pk])


# --- today's checks ---------------------------------------------------------------------------------------------


def test_the_worker_sees_their_checks_of_today(world: World, checks: Checks, client_for: Any) -> None:
    response = client_for("zhigong1").get(reverse("risks:task_list"))
    assert response.status_code == 200
    assert response.templates[0].name == "risks/task_today.html"
    due_now = [entry["task"] for entry in response.context["due_now"]]
    assert checks.task(checks.mine) in due_now
    assert checks.task(checks.officer) not in due_now  # the safety officer's own check: not the worker's
    assert all(t.assignee_id == world.users["zhigong1"].pk for t in due_now)
    overdue = [entry["task"] for entry in response.context["overdue"]]
    assert [t for t in overdue if t.measure_id == checks.mine.pk] == [
        checks.task(checks.mine, -1),
        checks.task(checks.mine, -2),
        checks.task(checks.mine, -3),
    ]  # read-only and red, the latest first
    body = response.content.decode()
    assert f'data-testid="task-{checks.task(checks.mine).pk}-pass-button"' in body
    assert 'capture="environment"' in body and 'name="latitude"' in body
    assert f'data-testid="task-{checks.task(checks.mine, -1).pk}-overdue"' in body
    assert f'data-testid="task-{checks.task(checks.mine, -1).pk}-pass"' not in body  # no buttons on a closed one
    assert "risks/tasks.js" not in body and "inspections/field.js" in body  # the field script fills the position
    # Today's: the all-day check, the 08:00–18:00 one and this week's — whatever the hour, none done yet.
    assert (response.context["checked"], response.context["total"]) == (0, 3)


def test_the_safety_officer_sees_the_whole_enterprise(checks: Checks, client_for: Any) -> None:
    response = client_for("qiye1").get(reverse("risks:task_list"))
    due_now = {entry["task"] for entry in response.context["due_now"]}
    assert {checks.task(checks.mine), checks.task(checks.officer)} <= due_now
    assert response.context["total"] == 4


def test_a_normal_check_over_htmx(world: World, checks: Checks, client_for: Any) -> None:
    task = checks.task(checks.mine)
    data = {"result": CheckResult.PASS, "latitude": "29.2049", "longitude": "115.9921"}
    response = client_for("zhigong1").post(_record_url(task), data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="task-{task.pk}"' in body and f'data-testid="task-{task.pk}-saved"' in body
    assert 'id="task-progress"' in body and 'hx-swap-oob="true"' in body  # the day's progress, out of band
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    record = CheckRecord.objects.get(task=task)
    assert (record.result, record.hazard_id, record.checked_by) == (CheckResult.PASS, None, world.users["zhigong1"])
    assert float(record.latitude or 0) == pytest.approx(29.2049)
    page = client_for("zhigong1").get(reverse("risks:task_list"))
    assert task in [entry["task"] for entry in page.context["done"]]
    assert (page.context["checked"], page.context["total"]) == (1, 3)


def test_an_abnormal_check_needs_a_note_and_saves_nothing_without_one(checks: Checks, client_for: Any) -> None:
    task = checks.task(checks.mine)
    hazards = Hazard.objects.count()
    response = client_for("zhigong1").post(_record_url(task), {"result": CheckResult.FAIL, "note": "  "}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="task-{task.pk}-note-error"' in body  # the card with its error, abnormal still chosen
    assert 'value="fail" autocomplete="off" checked' in body
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING
    assert not CheckRecord.objects.filter(task=task).exists() and Hazard.objects.count() == hazards


def test_an_abnormal_check_registers_a_hazard(world: World, checks: Checks, client_for: Any) -> None:
    task = checks.task(checks.mine)
    data = {"result": CheckResult.FAIL, "note": NOTE, "photo": photo("gauge.jpg")}
    response = client_for("zhigong1").post(_record_url(task), data, **HTMX)
    assert response.status_code == 200
    record = CheckRecord.objects.select_related("hazard").get(task=task)
    hazard = record.hazard
    assert hazard is not None and hazard.source == HazardSource.CONTROL_FAILURE
    assert hazard.enterprise_id == world.enterprises["chem"].pk and hazard.description.startswith(NOTE)
    assert not record.photo and hazard.photos.count() == 1 and record.note == NOTE  # the photo is the hazard's
    body = response.content.decode()
    assert f'data-testid="task-{task.pk}-hazard"' in body
    assert reverse("hazards:detail", args=[hazard.pk]) in body and hazard.code in body
    # The worker who found it can open it.
    assert client_for("zhigong1").get(reverse("hazards:detail", args=[hazard.pk])).status_code == 200


def test_without_javascript_the_page_comes_back_with_a_message(checks: Checks, client_for: Any) -> None:
    task = checks.task(checks.officer)
    response = client_for("qiye1").post(_record_url(task), {"result": CheckResult.PASS})
    assert response.status_code == 302 and response["Location"].endswith(f"{reverse('risks:task_list')}#task-{task.pk}")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE  # the safety officer records their own


def test_a_manager_records_the_workers_check(world: World, checks: Checks, client_for: Any) -> None:
    task = checks.task(checks.mine)
    assert client_for("qiye1").post(_record_url(task), {"result": CheckResult.PASS}, **HTMX).status_code == 200
    assert CheckRecord.objects.get(task=task).checked_by == world.users["qiye1"]


def test_outside_its_window_a_check_is_refused_with_a_message(checks: Checks, client_for: Any) -> None:
    client = client_for("zhigong1")
    tomorrow = checks.task(checks.mine, 1)
    response = client.post(_record_url(tomorrow), {"result": CheckResult.PASS}, **HTMX)
    assert response.status_code == 200
    assert f'data-testid="task-{tomorrow.pk}-refused"' in response.content.decode()
    yesterday = checks.task(checks.mine, -1)
    response = client.post(_record_url(yesterday), {"result": CheckResult.PASS})
    assert response.status_code == 302
    assert len(_messages(response)) == 1
    for task in (tomorrow, yesterday):
        task.refresh_from_db()
        assert task.status == TaskStatus.PENDING and not CheckRecord.objects.filter(task=task).exists()
    assert not CheckRecord.objects.exists()


def test_a_check_of_another_enterprise_is_not_found(world: World, checks: Checks, client_for: Any) -> None:
    foreign = neighbour_task(world)
    for persona in ("zhigong1", "qiye1", "zhujian"):
        response = client_for(persona).post(_record_url(foreign), {"result": CheckResult.PASS}, **HTMX)
        assert response.status_code == 404, persona
    assert client_for("zhujian").post(_record_url(checks.task(checks.mine)), {"result": "pass"}).status_code == 404
    assert not CheckRecord.objects.exists()


@pytest.mark.parametrize("persona", ["yingji", "anweiban"])
def test_government_users_read_but_do_not_record(checks: Checks, client_for: Any, persona: str) -> None:
    response = client_for(persona).post(_record_url(checks.task(checks.mine)), {"result": CheckResult.PASS}, **HTMX)
    assert response.status_code == 403
    assert not CheckRecord.objects.exists()


def test_the_sections_follow_the_hour(world: World, checks: Checks) -> None:
    """The 08:00–18:00 check of today: later at 07:00, due at noon, overdue at 19:00."""
    at = {hour: timezone.make_aware(dt.datetime.combine(today(), dt.time(hour))) for hour in (7, 8, 12, 19)}
    daily = CheckTask.objects.get(measure=checks.register.daily, due_start=at[8])
    zhigong1 = world.users["zhigong1"]
    assert daily in todays_checks(zhigong1, at[7]).later
    assert daily in todays_checks(zhigong1, at[12]).due_now
    assert daily in todays_checks(zhigong1, at[19]).overdue
    assert window_label(daily) == "08:00–18:00"
    assert window_label(checks.task(checks.mine)) == "00:00–24:00"
    weekly = CheckTask.objects.filter(measure=checks.register.weekly).latest("due_start")
    assert "–" in window_label(weekly) and "-" in window_label(weekly)  # a week: dates and times


def test_the_checks_page_takes_a_flat_number_of_queries(
    world: World, checks: Checks, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("qiye1")
    client.get(reverse("risks:task_list"))
    with django_assert_max_num_queries(7):
        assert client.get(reverse("risks:task_list")).status_code == 200
    actions.generate_tasks(timezone.now() + dt.timedelta(days=3))  # more tasks: the same number of queries
    with django_assert_max_num_queries(7):
        assert client.get(reverse("risks:task_list")).status_code == 200


# --- the list of tasks ------------------------------------------------------------------------------------------


def test_government_users_list_the_tasks_in_scope(world: World, checks: Checks, client_for: Any) -> None:
    client = client_for("yingji")
    response = client.get(reverse("risks:task_list"))
    assert response.status_code == 200
    assert response.templates[0].name == "risks/task_list.html"
    chem = world.enterprises["chem"]
    assert {t.enterprise_id for t in response.context["object_list"]} == {chem.pk}
    overdue = client.get(reverse("risks:task_list") + f"?status=overdue&enterprise={chem.pk}")
    listed = list(overdue.context["filter"].qs)
    assert listed and all(t.status == TaskStatus.PENDING and t.due_end <= timezone.now() for t in listed)
    assert checks.task(checks.mine, -1) in listed and checks.task(checks.mine) not in listed
    assert 'data-testid="enterprise-filter"' in overdue.content.decode()
    partial = client.get(
        reverse("risks:task_list") + "?status=pending", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results"
    )
    assert partial.templates[0].name == "risks/partials/task_results.html"
    # Out of scope: nothing of the plant.
    assert not client_for("zhujian").get(reverse("risks:task_list")).context["object_list"]
    assert not client_for("neighbour_officer").get(reverse("risks:task_list")).context["object_list"]


def test_the_enterprise_finds_its_history_with_filters(world: World, checks: Checks, client_for: Any) -> None:
    response = client_for("zhigong1").get(reverse("risks:task_list") + "?assignee=mine&status=overdue")
    assert response.templates[0].name == "risks/task_list.html"
    listed = list(response.context["filter"].qs)
    assert listed and {t.assignee_id for t in listed} == {world.users["zhigong1"].pk}
    assert "region" not in response.context["filter"].form.fields


def test_the_task_list_takes_a_flat_number_of_queries(
    checks: Checks, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("yingji")
    client.get(reverse("risks:task_list"))
    with django_assert_max_num_queries(13):
        assert client.get(reverse("risks:task_list")).status_code == 200
    actions.generate_tasks(timezone.now() + dt.timedelta(days=3))  # more tasks: the same number of queries
    with django_assert_max_num_queries(13):
        assert client.get(reverse("risks:task_list")).status_code == 200


@pytest.mark.parametrize("persona", ["auditor"])
def test_who_sees_no_checks_is_refused(checks: Checks, client_for: Any, persona: str) -> None:
    assert client_for(persona).get(reverse("risks:task_list")).status_code == 403


# --- the government view ----------------------------------------------------------------------------------------


def test_the_government_view_lists_who_lags(world: World, checks: Checks, client_for: Any) -> None:
    actions.flag_missed()
    response = client_for("anweiban").get(reverse("risks:government"))
    assert response.status_code == 200
    chem, factory = world.enterprises["chem"], world.enterprises["factory"]
    body = response.content.decode()
    # The machinery factory (工贸) keeps no register; the hotel and the builder need none here.
    assert [e["row"].pk for e in response.context["without_register"]] == [factory.pk]
    assert f'data-testid="without-register-{factory.pk}"' in body
    assert f"{reverse('risks:unit_list')}?enterprise={factory.pk}" in body
    assert reverse("enterprises:detail", args=[factory.pk]) in body
    # Three days of checks missed, none done: the plant is below 80 %.
    low = response.context["low_completion"]
    assert [e["row"].enterprise_id for e in low] == [chem.pk]
    assert low[0]["row"].completion_rate < 1
    assert f'data-testid="low-completion-{chem.pk}"' in body
    figures = response.context["figures"]
    assert (figures.enterprises_in_scope, figures.enterprises_with_register) == (4, 1)
    chart = json.loads(body.split('id="risk-distribution" type="application/json">')[1].split("</script>")[0])
    assert chart["labels"] == ["危险化学品"] and chart["stacked"]
    assert 'data-risk-chart="stacked-bar"' in body and "risks/tasks.js" in body


def test_an_overdue_reassessment_is_listed(world: World, checks: Checks, client_for: Any) -> None:
    qiye1 = world.users["qiye1"]
    long_ago = today(-400)
    actions.do_assess_event(
        checks.register.fire, method="lec", inputs={"L": 3, "E": 6, "C": 7}, actor=qiye1, on=long_ago
    )
    response = client_for("yingji").get(reverse("risks:government"))
    overdue = response.context["overdue"]
    assert [(e["row"].enterprise_id, e["row"].overdue) for e in overdue] == [(world.enterprises["chem"].pk, 1)]
    assert f'data-testid="overdue-{world.enterprises["chem"].pk}"' in response.content.decode()


def test_the_government_view_narrows_by_region_and_industry(world: World, checks: Checks, client_for: Any) -> None:
    client = client_for("anweiban")
    town1 = client.get(reverse("risks:government") + f"?region={world.regions['town1'].code}")
    assert town1.context["figures"].enterprises_in_scope == 2  # the plant and the builder
    assert town1.context["without_register"] == []
    by_industry = client.get(reverse("risks:government") + "?industry=04")
    assert by_industry.context["figures"].enterprises_in_scope == 1


def test_the_four_colour_map(world: World, checks: Checks, client_for: Any) -> None:
    response = client_for("anweiban").get(reverse("risks:government_map"))
    assert response.status_code == 200
    legend = {entry["level"]: entry["count"] for entry in response.context["legend"]}
    assert legend == {"major": 1, "high": 0, "medium": 0, "low": 0, "none": 3}
    series = {s["name"]: s for s in response.context["map_data"]["series"]}
    red = next(s for s in series.values() if s["colour"] == "#d7191c")
    assert red["points"][0][2] == world.enterprises["chem"].name
    assert red["points"][0][3] == reverse("enterprises:detail", args=[world.enterprises["chem"].pk])
    body = response.content.decode()
    assert 'data-risk-chart="map"' in body and 'id="risk-map"' in body


def test_the_map_and_view_of_another_supervisor(world: World, checks: Checks, client_for: Any) -> None:
    """住建 supervises no chemical plant: neither page shows it."""
    client = client_for("zhujian")
    chem = world.enterprises["chem"]
    for name in ("risks:government", "risks:government_map"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert chem.name not in response.content.decode(), name
    assert client.get(reverse("risks:government_map")).context["total"] == 1


@pytest.mark.parametrize(
    ("persona", "query"),
    [
        ("zhujian", "?region=360432000000"),  # another county
        ("neighbour_officer", "?region=360431101001"),  # the plant's village, in another county
        ("anweiban", "?region=999999999999"),  # no such region
    ],
)
def test_a_region_outside_the_scope_is_not_found(checks: Checks, client_for: Any, persona: str, query: str) -> None:
    client = client_for(persona)
    for name in ("risks:government", "risks:government_map"):
        assert client.get(reverse(name) + query).status_code == 404, name


@pytest.mark.parametrize("persona", ["qiye1", "zhigong1", "wangge1", "auditor"])
def test_the_government_pages_are_for_departments(checks: Checks, client_for: Any, persona: str) -> None:
    client = client_for(persona)
    for name in ("risks:government", "risks:government_map"):
        assert client.get(reverse(name)).status_code == 403, (persona, name)


def test_the_administrator_sees_every_county(world: World, checks: Checks, client_for: Any) -> None:
    neighbour_task(world)
    response = client_for("admin").get(reverse("risks:government"))
    assert response.status_code == 200
    assert response.context["figures"].enterprises_in_scope == 5


def test_the_government_view_takes_a_flat_number_of_queries(
    world: World, checks: Checks, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("anweiban")
    client.get(reverse("risks:government"))
    with django_assert_max_num_queries(15):  # the figures' reader asks whether its territory holds every enterprise
        assert client.get(reverse("risks:government")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("risks:government_map")).status_code == 200
