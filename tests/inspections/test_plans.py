"""Annual plans: key enterprises at the frequency table's rate, the others drawn at random with a recorded seed
(the same seed draws the same enterprises), progress counted from the department's inspections; campaigns' scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput
from anjian.core.models import AuditEvent
from anjian.enterprises import actions as enterprise_actions
from anjian.enterprises.choices import StandardizationGrade
from anjian.enterprises.models import Enterprise
from anjian.inspections import actions
from anjian.inspections.choices import CampaignKind
from anjian.inspections.models import FrequencyRule, InspectionPlan
from anjian.inspections.queries import plan_progress
from anjian.regions.models import Region
from tests.inspections.helpers import inspect
from tests.world import World, enterprise_data

YEAR = timezone.localdate().year


def test_draw_is_reproducible_and_auditable() -> None:
    candidates = list(range(1, 101))
    first = actions.draw(candidates, Decimal("0.2"), seed=2026)
    assert len(first) == 20 and first == actions.draw(list(reversed(candidates)), Decimal("0.2"), seed=2026)
    assert first != actions.draw(candidates, Decimal("0.2"), seed=2027)
    assert actions.draw(candidates, 1, seed=1) == candidates and actions.draw([], Decimal("0.5"), seed=1) == []


def test_plan_targets_frequencies_and_progress(world: World) -> None:
    yingji = world.users["yingji"]
    factory = world.enterprises["factory"]
    # Ten ordinary 工贸 enterprises to draw from, and a graded chemical plant.
    village = world.regions["v3"]
    for n in range(10):
        enterprise_actions.do_create_enterprise(
            data=enterprise_data(f"白石{n}号五金厂", "0405", village, world.grids["g3"]), actor=world.users["admin"]
        )
    chem = world.enterprises["chem"]
    chem.standardization_grade = StandardizationGrade.GRADE_2
    chem.standardization_valid_until = timezone.localdate() + dt.timedelta(days=400)
    chem.save()
    plan = actions.do_create_plan(year=YEAR, title="", random_share=Decimal("0.3"), seed=7, actor=yingji)
    targets = {t.enterprise.name: t for t in plan.targets.select_related("enterprise")}
    expected = FrequencyRule.objects.get(high_risk=True, standardization_grade=StandardizationGrade.GRADE_2)
    assert targets[chem.name].planned == expected.visits_per_year == 4 and not targets[chem.name].drawn
    drawn = [t for t in targets.values() if t.drawn]
    assert len(drawn) == 4  # ceil(11 ordinary × 0.3)
    event = AuditEvent.objects.get(event=EventCode.PLAN_CREATED)
    assert event.new is not None and event.new["seed"] == 7
    assert sorted(event.new["drawn"]) == sorted(t.enterprise_id for t in drawn)
    # Anyone can repeat the draw from the recorded seed over the same enterprises.
    ordinary = [e.pk for e in Enterprise.objects.visible_to(yingji) if not actions.is_key_enterprise(e)]
    assert actions.draw(ordinary, plan.random_share, plan.seed) == sorted(t.enterprise_id for t in drawn)
    with pytest.raises(InvalidInput):  # one plan per department and year
        actions.do_create_plan(year=YEAR, title="again", actor=yingji)
    with pytest.raises(ActionError):
        actions.do_create_plan(year=YEAR, title="x", actor=world.users["qiye1"])
    # Progress: the department's government inspections of each target in the year.
    inspect(world, fail=0)
    inspect(world, fail=0)
    progress = {t.enterprise_id: t.done for t in plan_progress(plan)}  # type: ignore[attr-defined]
    assert progress[chem.pk] == 2 and progress.get(factory.pk, 0) == 0
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM inspections_inspection
               WHERE enterprise_id = %s AND department_id = %s AND kind <> 'self'
                 AND extract(year FROM started_at AT TIME ZONE 'Asia/Shanghai') = %s""",
            [chem.pk, plan.department_id, YEAR],
        )
        assert cursor.fetchone()[0] == 2
    assert InspectionPlan.objects.visible_to(world.users["zhujian"]).count() == 1  # same county: sees the plan
    assert InspectionPlan.objects.visible_to(world.users["neighbour_officer"]).count() == 0
    assert InspectionPlan.objects.visible_to(world.users["qiye1"]).count() == 0


def test_campaign_scope_and_visibility(world: World) -> None:
    today = timezone.localdate()
    county = Region.objects.get(code="360431000000")
    campaign = actions.do_create_campaign(
        data={"kind": CampaignKind.CRACKDOWN, "title": "打非治违", "region": county, "start": today, "end": today},
        actor=world.users["anweiban"],
        member_departments=[world.departments["yingji"], world.departments["zhujian"]],
    )
    in_scope = set(actions.campaign_enterprises(campaign).values_list("name", flat=True))
    assert in_scope == {e.name for k, e in world.enterprises.items() if k != "neighbour"}
    assert (
        actions.do_add_inspection_group(
            campaign,
            name="第一督查组",
            leader=world.users["yingji"],
            members=[world.users["zhujian"]],
            actor=world.users["anweiban"],
        ).members.count()
        == 1
    )
    with pytest.raises(ActionError):  # only the lead department forms groups
        actions.do_add_inspection_group(
            campaign, name="第二组", leader=world.users["yingji"], actor=world.users["yingji"]
        )
    with pytest.raises(InvalidInput):  # a town cannot run a drive over the county
        actions.do_create_campaign(
            data={"kind": CampaignKind.SPECIAL, "title": "x", "region": county, "start": today, "end": today},
            actor=world.users["zhen1"],
        )
    visible = lambda user: set(campaign.__class__.objects.visible_to(world.users[user]).values_list("pk", flat=True))  # noqa: E731
    assert visible("zhen1") == {campaign.pk}  # the county's drive reaches the town
    assert visible("neighbour_officer") == set() and visible("qiye1") == set() and visible("wangge1") == set()
    with pytest.raises(InvalidInput):  # an inspection outside the campaign's period
        inspect(world, campaign=campaign, at=timezone.now() - dt.timedelta(days=3))
