"""The dual-prevention API end to end: a register built object → unit → event → assessment → measure; checks listed
and recorded (abnormal opens a hazard); structured errors (422 with field errors, 403 from the actions, 409), 404
outside the caller's scope, idempotent creation; and the national export's shape and codes, field by field."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.utils import timezone

from anjian.core.events import EventCode
from anjian.core.models import AuditEvent
from anjian.hazards import actions as hazard_actions
from anjian.hazards.choices import HazardSource, HazardStatus, PhotoStage
from anjian.hazards.models import Hazard
from anjian.risks import actions, national
from anjian.risks.choices import CycleUnit
from anjian.risks.models import CheckRecord, CheckTask, ControlMeasure, RiskObject
from tests.hazards.helpers import PLAN, photo
from tests.hazards.helpers import register as register_hazard
from tests.risks.helpers import Register, measure_data, register
from tests.world import World

UUID_HEX = re.compile(r"^[0-9a-f]{32}$")


def post_json(client: Any, url: str, body: Any, **headers: Any) -> Any:
    return client.post(url, json.dumps(body, default=str), content_type="application/json", **headers)


def _open_task(measure: ControlMeasure) -> CheckTask:
    return next(t for t in CheckTask.objects.filter(measure=measure) if t.is_open_now)


def _monthly(world: World, reg: Register) -> ControlMeasure:
    """A monthly measure without a work window: its task is open whatever the time of day the test runs."""
    return actions.do_add_control_measure(
        reg.leak,
        data=measure_data(
            world,
            description="储罐区应急物资配备齐全",
            check_content="清点防毒面具、空气呼吸器",
            classify1="emergency",
            classify2="个体防护",
            cycle_unit=CycleUnit.MONTH,
            window_start=None,
            window_end=None,
            assignee=world.users["qiye1"],
        ),
        actor=world.users["qiye1"],
    )


def test_building_a_register_through_the_api(world: World, client_for: Any, django_assert_max_num_queries: Any) -> None:
    chem = world.enterprises["chem"]
    client = client_for("qiye1")
    body = {"enterprise": chem.pk, "code": "HZ-01", "name": "甲醇储罐区", "major_hazard_installation": True}
    created = post_json(client, "/api/v1/risk-objects", body, HTTP_IDEMPOTENCY_KEY="object-1")
    assert created.status_code == 201, created.content
    again = post_json(client, "/api/v1/risk-objects", body, HTTP_IDEMPOTENCY_KEY="object-1")
    assert again.status_code == 201 and again.json()["id"] == created.json()["id"]  # a retry never duplicates
    assert RiskObject.objects.count() == 1
    assert created.json() == {
        "id": created.json()["id"],
        "enterprise": {"id": chem.pk, "name": chem.name},
        "code": "HZ-01",
        "name": "甲醇储罐区",
        "major_hazard_installation": True,
        "unit_count": 0,
    }
    twice = post_json(client, "/api/v1/risk-objects", {**body, "name": "另一个"})
    assert twice.status_code == 422 and twice.json()["code"] == "invalid"  # the code is the enterprise's key
    reused = post_json(client, "/api/v1/risk-objects", {**body, "code": "HZ-02"}, HTTP_IDEMPOTENCY_KEY="object-1")
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"

    unit = post_json(
        client,
        "/api/v1/risk-units",
        {
            "risk_object": created.json()["id"],
            "name": "1#甲醇储罐",
            "kind": "installation",
            "department": "储运车间",
            "responsible_person": "王建国",
            "post": "储运操作工",
        },
    )
    assert unit.status_code == 201, unit.content
    assert unit.json()["events"] == [] and unit.json()["level"] == "" and unit.json()["colour"] == ""
    unit_id = unit.json()["id"]
    bad_kind = post_json(
        client,
        "/api/v1/risk-units",
        {
            "risk_object": created.json()["id"],
            "name": "x",
            "kind": "cave",
            "department": "d",
            "responsible_person": "p",
        },
    )
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["errors"]

    bad_type = post_json(client, "/api/v1/risk-events", {"unit": unit_id, "name": "泄漏", "accident_type": "meteor"})
    assert bad_type.status_code == 422 and "accident_type" in bad_type.json()["errors"]
    event = post_json(
        client, "/api/v1/risk-events", {"unit": unit_id, "name": "储罐泄漏引发中毒", "accident_type": "poisoning"}
    )
    assert event.status_code == 201 and event.json()["assessment"] is None and event.json()["measures"] == []
    event_id = event.json()["id"]

    outside = post_json(
        client, "/api/v1/risk-assessments", {"event": event_id, "method": "lec", "inputs": {"L": 7, "E": 6, "C": 15}}
    )
    assert outside.status_code == 422 and list(outside.json()["errors"]) == ["L"]
    assert "10、6、3、1、0.5、0.2、0.1" in outside.json()["errors"]["L"][0]  # the table's values, to choose from
    missing = post_json(
        client, "/api/v1/risk-assessments", {"event": event_id, "method": "lec", "inputs": {"L": 6, "E": 6}}
    )
    assert missing.status_code == 422 and "C" in missing.json()["errors"]
    method = post_json(client, "/api/v1/risk-assessments", {"event": event_id, "method": "hazop", "inputs": {}})
    assert method.status_code == 422 and "method" in method.json()["errors"]
    future = post_json(
        client,
        "/api/v1/risk-assessments",
        {
            "event": event_id,
            "method": "ls",
            "inputs": {"L": 2, "S": 2},
            "assessed_on": timezone.localdate() + dt.timedelta(days=1),
        },
    )
    assert future.status_code == 422 and "assessed_on" in future.json()["errors"]
    assessed = post_json(
        client,
        "/api/v1/risk-assessments",
        {"event": event_id, "method": "lec", "inputs": {"L": 6, "E": 6, "C": 15}},
        HTTP_IDEMPOTENCY_KEY="assess-1",
    )
    assert assessed.status_code == 201, assessed.content
    first = assessed.json()
    assert (first["version"], first["score"], first["level"], first["colour"]) == (1, "540.00", "major", "red")
    assert first["inputs"] == {"L": "6", "E": "6", "C": "15"} and first["assessed_by"] == "qiye1"
    retried = post_json(
        client,
        "/api/v1/risk-assessments",
        {"event": event_id, "method": "lec", "inputs": {"L": 6, "E": 6, "C": 15}},
        HTTP_IDEMPOTENCY_KEY="assess-1",
    )
    assert retried.json()["id"] == first["id"]  # not a second version
    residual = post_json(
        client,
        "/api/v1/risk-assessments",
        {
            "event": event_id,
            "method": "lec",
            "inputs": {"L": 1, "E": 6, "C": 15},
            "residual": True,
            "note": "联锁投用后",
        },
    )
    assert residual.json()["version"] == 2 and residual.json()["level"] == "medium" and residual.json()["residual"]
    versions = client.get(f"/api/v1/risk-assessments?event={event_id}").json()
    assert [a["version"] for a in versions] == [2, 1]

    measure = {
        "event": event_id,
        "description": "储罐液位、温度、压力远传监控正常，高低液位报警联锁投用",
        "check_content": "检查液位计读数与DCS一致，报警联锁处于投用状态",
        "classify1": "engineering",
        "classify2": "安全仪表",
        "control_tier": "team",
        "cycle_unit": "day",
        "window_start": "08:00",
        "window_end": "18:00",
        "assignee": world.users["zhigong1"].pk,
    }
    stranger = post_json(client, "/api/v1/control-measures", {**measure, "assignee": world.users["yingji"].pk})
    assert stranger.status_code == 422 and "assignee" in stranger.json()["errors"]
    backwards = post_json(client, "/api/v1/control-measures", {**measure, "window_end": "07:00"})
    assert backwards.status_code == 422 and "window_end" in backwards.json()["errors"]
    added = post_json(client, "/api/v1/control-measures", measure, HTTP_IDEMPOTENCY_KEY="measure-1")
    assert added.status_code == 201, added.content
    assert added.json()["assignee"] == {"id": world.users["zhigong1"].pk, "name": "zhigong1"}
    assert added.json()["starts_on"] == timezone.localdate().isoformat() and added.json()["window_end"] == "18:00:00"
    post_json(client, "/api/v1/control-measures", measure, HTTP_IDEMPOTENCY_KEY="measure-1")
    assert ControlMeasure.objects.count() == 1

    with django_assert_max_num_queries(12):
        detail = client.get(f"/api/v1/risk-units/{unit_id}").json()
    assert (detail["level"], detail["colour"]) == ("major", "red")
    [shown] = detail["events"]
    assert shown["assessment"]["version"] == 1 and shown["residual_assessment"]["version"] == 2
    assert (shown["level"], shown["residual_level"], shown["colour"]) == ("major", "medium", "red")
    assert [m["id"] for m in shown["measures"]] == [added.json()["id"]]
    assert client.get("/api/v1/risk-objects").json()["items"][0]["unit_count"] == 1

    for index in range(5):  # the list's query count does not grow with its length
        actions.do_create_risk_unit(
            RiskObject.objects.get(),
            data={"name": f"泵{index}", "kind": "installation", "department": "储运车间", "responsible_person": "王"},
            actor=world.users["qiye1"],
        )
    inspector = client_for("yingji")
    with django_assert_max_num_queries(12):  # signed in, scoped, counted, one page: not one per unit
        units = inspector.get("/api/v1/risk-units").json()
    assert units["count"] == 6
    major = inspector.get("/api/v1/risk-units?level=major").json()["items"]
    assert [u["id"] for u in major] == [unit_id] and major[0]["risk_object"]["code"] == "HZ-01"
    assert client.get("/api/v1/risk-units?level=purple").status_code == 422


def test_only_the_enterprises_managers_change_the_register(world: World, client_for: Any) -> None:
    reg = register(world)
    unit_body = {
        "risk_object": reg.risk_object.pk,
        "name": "配电室",
        "kind": "area",
        "department": "设备部",
        "responsible_person": "周",
    }
    for username in ("zhigong1", "yingji", "anweiban"):  # they see the register, but it is not theirs to keep
        client = client_for(username)
        assert client.get(f"/api/v1/risk-units/{reg.tank_farm.pk}").status_code == 200
        refused = post_json(client, "/api/v1/risk-units", unit_body)
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden", username
        assessed = post_json(
            client, "/api/v1/risk-assessments", {"event": reg.leak.pk, "method": "ls", "inputs": {"L": 2, "S": 2}}
        )
        assert assessed.status_code == 403
    # A worker's 403 beats a bad assignee: the register is refused before its fields are read.
    worker = post_json(
        client_for("zhigong1"),
        "/api/v1/risk-objects",
        {"enterprise": world.enterprises["chem"].pk, "code": "HZ-09", "name": "x"},
    )
    assert worker.status_code == 403
    assert post_json(client_for("qiye1"), "/api/v1/risk-units", unit_body).status_code == 201


@pytest.mark.parametrize("persona", ["zhujian", "xiaofang", "neighbour_officer", "auditor"])
def test_out_of_scope_is_404(world: World, client_for: Any, persona: str) -> None:
    reg = register(world)
    actions.generate_tasks(timezone.now())
    task = CheckTask.objects.filter(measure=reg.weekly).first()
    assert task is not None
    client = client_for(persona)
    assert client.get(f"/api/v1/risk-units/{reg.tank_farm.pk}").status_code == 404
    assert client.get(f"/api/v1/risk-assessments?event={reg.leak.pk}").status_code == 404
    assert client.get("/api/v1/risk-units").json()["count"] == 0
    assert client.get("/api/v1/risk-objects").json()["count"] == 0
    assert client.get("/api/v1/check-tasks").json()["count"] == 0
    assert post_json(client, f"/api/v1/check-tasks/{task.pk}/record", {"result": "pass"}).status_code == 404
    assert (
        post_json(
            client, "/api/v1/risk-events", {"unit": reg.tank_farm.pk, "name": "x", "accident_type": "fire"}
        ).status_code
        == 404
    )
    measure = {**measure_data(world), "assignee": world.users["zhigong1"].pk, "event": reg.leak.pk}
    assert post_json(client, "/api/v1/control-measures", measure).status_code == 404
    chem = world.enterprises["chem"].pk
    exported = client.get(f"/api/v1/enterprises/{chem}/dual-prevention-export")
    assert exported.status_code == 404 and exported.json()["code"] == "not_found"
    assert not CheckRecord.objects.exists()


def test_checks_are_listed_and_recorded(world: World, client_for: Any, django_assert_max_num_queries: Any) -> None:
    reg = register(world)
    monthly = _monthly(world, reg)
    actions.generate_tasks(timezone.now())
    weekly_task, monthly_task = _open_task(reg.weekly), _open_task(monthly)
    worker = client_for("zhigong1")
    with django_assert_max_num_queries(8):
        mine = worker.get("/api/v1/check-tasks?assignee=mine&status=pending").json()
    assert weekly_task.pk in [t["id"] for t in mine["items"]] and monthly_task.pk not in [
        t["id"] for t in mine["items"]
    ]
    listed = next(t for t in mine["items"] if t["id"] == weekly_task.pk)
    assert listed["open_now"] and listed["may_record"] and listed["record"] is None
    assert listed["unit"] == {"id": reg.loading.pk, "name": "汽车装卸站台"}
    assert listed["measure"]["cycle_unit"] == "week" and listed["assignee"]["name"] == "zhigong1"
    starts = [t["due_start"] for t in mine["items"]]
    assert starts == sorted(starts, reverse=True)  # latest first
    assert worker.get("/api/v1/check-tasks?status=someday").status_code == 422

    url = f"/api/v1/check-tasks/{weekly_task.pk}/record"
    no_note = post_json(worker, url, {"result": "fail"})
    assert no_note.status_code == 422 and "note" in no_note.json()["errors"]
    half_place = post_json(worker, url, {"result": "pass", "latitude": "29.2"})
    assert half_place.status_code == 422 and "latitude" in half_place.json()["errors"]
    body = {
        "result": "fail",
        "note": "静电接地夹锈蚀，报警器不报警",
        "latitude": "29.210001",
        "longitude": "115.930002",
    }
    recorded = post_json(worker, url, body, HTTP_IDEMPOTENCY_KEY="check-1")
    assert recorded.status_code == 201, recorded.content
    record = recorded.json()
    assert (
        record["result"] == "fail" and record["latitude"] == "29.210001" and record["checked_by"]["name"] == "zhigong1"
    )
    hazard = Hazard.objects.get(pk=record["hazard"])
    assert hazard.source == HazardSource.CONTROL_FAILURE and hazard.description.startswith("静电接地夹锈蚀")
    assert post_json(worker, url, body, HTTP_IDEMPOTENCY_KEY="check-1").json()["id"] == record["id"]
    again = post_json(worker, url, body)
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"  # done already
    assert worker.get(f"/api/v1/hazards/{record['hazard']}").status_code == 200  # the worker follows their report

    # Someone else's check: a department inspector sees it but may not record it; the safety officer may.
    monthly_url = f"/api/v1/check-tasks/{monthly_task.pk}/record"
    inspector = client_for("yingji")
    seen = inspector.get(f"/api/v1/check-tasks?enterprise={world.enterprises['chem'].pk}&status=pending").json()
    assert not next(t for t in seen["items"] if t["id"] == monthly_task.pk)["may_record"]
    assert post_json(inspector, monthly_url, {"result": "pass"}).status_code == 403
    assert post_json(worker, monthly_url, {"result": "pass"}).status_code == 403  # not the worker's
    passed = post_json(client_for("qiye1"), monthly_url, {"result": "pass"})
    assert passed.status_code == 201 and passed.json()["hazard"] is None
    done = client_for("qiye1").get("/api/v1/check-tasks?status=done").json()["items"]
    assert {t["id"] for t in done} == {weekly_task.pk, monthly_task.pk}
    assert next(t for t in done if t["id"] == weekly_task.pk)["record"]["hazard"] == hazard.pk
    today = timezone.localdate()
    window = client_for("qiye1").get(f"/api/v1/check-tasks?start={today}&end={today}").json()["items"]
    assert all(timezone.localdate(dt.datetime.fromisoformat(t["due_start"])) == today for t in window)


def test_the_national_export_field_by_field(world: World, client_for: Any, django_assert_num_queries: Any) -> None:
    chem = world.enterprises["chem"]
    qiye1, zhigong1 = world.users["qiye1"], world.users["zhigong1"]
    reg = register(world)
    actions.do_assess_event(reg.leak, method="lec", inputs={"L": 6, "E": 6, "C": 15}, actor=qiye1)  # 540 重大
    actions.do_assess_event(reg.fire, method="lec", inputs={"L": 0.5, "E": 2, "C": 7}, actor=qiye1)  # 7 低
    unassessed = actions.do_create_risk_unit(
        reg.risk_object,
        data={"name": "配电室", "kind": "area", "department": "设备部", "responsible_person": "周"},
        actor=qiye1,
    )
    actions.generate_tasks(timezone.now())
    record = actions.do_record_check(_open_task(reg.weekly), result="fail", note="静电接地夹锈蚀", actor=zhigong1)
    assert record.hazard is not None
    from_check = record.hazard
    government = register_hazard(world, "department")
    voided = register_hazard(world, "department", description="经复核不构成隐患")
    hazard_actions.do_void_hazard(voided, reason="不构成隐患", actor=world.users["yingji"])

    with django_assert_num_queries(12):  # one per resource, the hazards' photos and steps, the authors
        body = national.export_enterprise(chem)
    assert body["companyCode"] == chem.uscc and body["companyName"] == chem.name
    ids = [row["id"] for key, rows in body.items() if isinstance(rows, list) for row in rows]
    assert all(UUID_HEX.match(i) for i in ids) and len(ids) == len(set(ids))
    assert national.export_enterprise(chem)["riskUnits"] == body["riskUnits"]  # stable ids: the receiver updates

    def nid(table: str, pk: int) -> str:
        return national.national_id(chem.uscc, table, pk)

    [obj] = body["riskObjects"]
    assert (obj["hazardCode"], obj["hazardName"], obj["isMajorHazard"]) == ("HZ-01", "甲醇储罐区", 0)
    units = {u["riskUnitName"]: u for u in body["riskUnits"]}
    tank = units["1#甲醇储罐"]
    assert tank["id"] == nid("unit", reg.tank_farm.pk) and tank["companyCode"] == chem.uscc
    assert (tank["hazardCode"], tank["hazardDep"], tank["hazardLiablePerson"]) == ("HZ-01", "储运车间", "王建国")
    assert tank["riskClass"] == 1 and units["汽车装卸站台"]["riskClass"] == 4 and units["配电室"]["riskClass"] is None
    assert units["配电室"]["id"] == nid("unit", unassessed.pk)
    assert tank["deleted"] == "0" and tank["createBy"] == "qiye1" and tank["updateBy"] == "qiye1"
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", tank["createDate"])
    events = {e["riskEventName"]: e for e in body["riskEvents"]}
    assert events["储罐泄漏引发中毒"]["riskUnitId"] == tank["id"]
    assert events["装卸静电引发火灾"]["riskUnitId"] == units["汽车装卸站台"]["id"]
    measures = {m["id"]: m for m in body["riskMeasures"]}
    daily = measures[nid("measure", reg.daily.pk)]
    assert daily["riskEventId"] == events["储罐泄漏引发中毒"]["id"]
    assert (daily["classify1"], daily["classify2"], daily["classify3"]) == ("工程技术", "安全仪表", "")
    assert daily["riskMeasureDesc"] == reg.daily.description and daily["troubleshootContent"] == reg.daily.check_content
    assert daily["deleted"] == "0" and daily["dataSrc"] == ""
    tasks = {t["riskMeasureId"]: t for t in body["checkTasks"]}
    daily_task, weekly_task = tasks[daily["id"]], tasks[nid("measure", reg.weekly.pk)]
    assert (daily_task["checkCycle"], daily_task["checkCycleUnit"]) == (1, "天")
    assert (daily_task["workStartTime"], daily_task["workEndTime"]) == ("08:00:00", "18:00:00")
    assert daily_task["taskStartTime"] == f"{reg.daily.starts_on:%Y-%m-%d} 08:00:00"
    assert daily_task["troubleshootContent"] == reg.daily.check_content
    assert (daily_task["workDayType"], daily_task["workType"], daily_task["taskNum"]) == (0, 0, 1)
    assert (weekly_task["checkCycleUnit"], weekly_task["workStartTime"], weekly_task["workEndTime"]) == (
        "周",
        "00:00:00",
        "23:59:59",
    )
    [check] = body["checkRecords"]
    assert check["id"] == nid("record", record.pk) and check["checkTaskId"] == weekly_task["id"]
    assert check["checkStatus"] == 1 and check["isDefend"] == 0 and check["mobileMe"] == ""
    assert check["createBy"] == "zhigong1" and check["checkTime"] == check["createDate"]

    hazards = {h["id"]: h for h in body["hazards"]}
    assert nid("hazard", voided.pk) not in hazards  # 不构成隐患: not exported
    failed = hazards[nid("hazard", from_check.pk)]
    assert (failed["dangerSrc"], failed["dangerState"], failed["dangerLevel"]) == (9, 0, 0)
    assert failed["riskMeasureId"] == weekly_task["riskMeasureId"] and failed["checkRecordId"] == check["id"]
    assert failed["hazardCode"] == "HZ-01" and failed["registrant"] == "zhigong1"
    assert (failed["dangerManageType"], failed["hazardDangerType"], failed["managementClassification"]) == (1, 1, 2)
    assert failed["dangerDesc"] == from_check.description and failed["dangerName"] == from_check.description[:60]
    assert failed["checkAcceptPerson"] == "" and failed["dangerImg"] == "" and failed["cost"] is None
    other = hazards[nid("hazard", government.pk)]
    assert other["dangerSrc"] == 10 and other["riskMeasureId"] == "" and other["checkRecordId"] == ""

    # dangerState follows the hazard: registered and rectifying 0, awaiting acceptance 1, accepted 9.
    deadline = timezone.localdate() + dt.timedelta(days=5)
    hazard_actions.do_start_rectification(from_check, plan={**PLAN, "deadline": deadline}, actor=qiye1)
    state = {h["id"]: h for h in national.export_enterprise(chem)["hazards"]}[failed["id"]]
    assert state["dangerState"] == 0 and state["cost"] == 3500.0 and state["liablePerson"] == "李志强"
    assert state["dangerManageDeadline"] == f"{deadline:%Y-%m-%d}"
    hazard_actions.do_add_hazard_photo(from_check, upload=photo(), stage=PhotoStage.AFTER, actor=qiye1)
    hazard_actions.do_submit_rectification(from_check, rectification="更换接地夹", actor=qiye1)
    state = {h["id"]: h for h in national.export_enterprise(chem)["hazards"]}[failed["id"]]
    assert state["dangerState"] == 1 and state["dangerAcceptImg"].startswith("/")
    hazard_actions.do_accept_rectification(from_check, note="验收合格", actor=qiye1)
    from_check.refresh_from_db()
    assert from_check.status == HazardStatus.CLOSED
    state = {h["id"]: h for h in national.export_enterprise(chem)["hazards"]}[failed["id"]]
    assert state["dangerState"] == 9
    assert (state["checkAcceptPerson"], state["checkAcceptComment"]) == ("qiye1", "验收合格")
    assert state["checkAcceptTime"] and state["updateBy"] == "qiye1"

    # Through the API: government users and the enterprise's managers; audited as an export; not the workers.
    url = f"/api/v1/enterprises/{chem.pk}/dual-prevention-export"
    answer = client_for("yingji").get(url)
    assert answer.status_code == 200 and answer.json()["riskUnits"] == body["riskUnits"]
    audit = AuditEvent.objects.filter(event=EventCode.EXPORT).latest("id")
    assert audit.actor == world.users["yingji"] and audit.new is not None
    assert audit.new["riskUnits"] == 3 and audit.new["hazards"] == 2
    assert client_for("qiye1").get(url).status_code == 200
    refused = client_for("zhigong1").get(url)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_openapi_lists_the_risk_paths_and_the_filters(world: World, client_for: Any) -> None:
    schema = client_for("anweiban").get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/risk-objects",
        "/api/v1/risk-units",
        "/api/v1/risk-units/{unit_id}",
        "/api/v1/risk-events",
        "/api/v1/risk-assessments",
        "/api/v1/control-measures",
        "/api/v1/check-tasks",
        "/api/v1/check-tasks/{task_id}/record",
        "/api/v1/enterprises/{enterprise_id}/dual-prevention-export",
    ):
        assert path in schema["paths"], path
    tasks = {p["name"] for p in schema["paths"]["/api/v1/check-tasks"]["get"]["parameters"]}
    assert {"enterprise", "status", "assignee", "start", "end", "page"} <= tasks
    units = {p["name"] for p in schema["paths"]["/api/v1/risk-units"]["get"]["parameters"]}
    assert {"enterprise", "level", "kind", "q", "page"} <= units
