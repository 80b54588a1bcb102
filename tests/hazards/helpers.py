"""Building hazards in a given state through the actions, as the application does."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anjian.hazards import actions
from anjian.hazards.choices import (
    EvaluationKind,
    HazardLevel,
    HazardSource,
    ManagementClass,
    PhotoStage,
    RectificationMode,
)
from anjian.hazards.models import Hazard, HazardType
from tests.world import World

# Who registers the hazard decides who accepts it: the enterprise itself, a department, or a grid worker.
FINDERS = {
    "self": ("qiye1", HazardLevel.GENERAL, HazardSource.DAILY),
    "department": ("yingji", HazardLevel.GENERAL, HazardSource.GOVERNMENT_INSPECTION),
    "grid": ("wangge1", HazardLevel.GENERAL, HazardSource.GRID_PATROL),
    "major": ("yingji", HazardLevel.MAJOR, HazardSource.GOVERNMENT_INSPECTION),
}
# (status, with a pending extension request)
STATES = [
    ("registered", False),
    ("registered", True),
    ("rectifying", False),
    ("rectifying", True),
    ("awaiting_acceptance", False),
    ("closed", False),
    ("voided", False),
]


def photo(name: str = "p.jpg", colour: str = "red", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def hazard_data(level: str = HazardLevel.GENERAL, source: str = HazardSource.DAILY, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "level": level,
        "source": source,
        "hazard_type": HazardType.objects.get(code="safety"),
        "management_class": ManagementClass.THING,
        "rectification_mode": RectificationMode.DEADLINE,
        "description": "储罐区可燃气体报警器失效",
        "location": "储罐区",
        "found_on": today - dt.timedelta(days=3),
        "deadline": today + dt.timedelta(days=10),
    }
    data.update(extra)
    return data


PLAN = {
    "measures": "更换报警探头并校验",
    "responsible_person": "李志强",
    "funds": Decimal("3500.00"),
    "contingency_plan": "整改期间加密巡检，配备便携式报警仪",
}


def register(world: World, finder: str = "self", **extra: Any) -> Hazard:
    username, level, source = FINDERS[finder]
    return actions.do_register_hazard(
        world.enterprises["chem"], data=hazard_data(level, source, **extra), actor=world.users[username]
    )


def acceptor_of(finder: str) -> str:
    return {"self": "qiye1", "department": "yingji", "grid": "zhen1", "major": "anweiban"}[finder]


def in_state(world: World, finder: str, status: str, pending: bool = False) -> Hazard:
    """A hazard of the featured enterprise, found by ``finder``, brought to ``status`` through the actions."""
    qiye1 = world.users["qiye1"]
    hazard = register(world, finder)
    if status == "voided":
        return actions.do_void_hazard(hazard, reason="经核实不构成隐患", actor=world.users["anweiban"])
    if status != "registered":
        if finder == "major":
            prepare_major(hazard, qiye1)
        hazard = actions.do_start_rectification(hazard, plan=PLAN, actor=qiye1)
    if status in ("awaiting_acceptance", "closed"):
        actions.do_add_hazard_photo(hazard, upload=photo(), stage=PhotoStage.AFTER, actor=qiye1)
        hazard = submit(hazard, qiye1, "已更换探头")
    if status == "closed":
        hazard = actions.do_accept_rectification(hazard, note="验收合格", actor=world.users[acceptor_of(finder)])
    if pending:
        assert hazard.deadline is not None
        hazard = actions.do_request_extension(
            hazard, deadline=hazard.deadline + dt.timedelta(days=15), reason="备件到货延迟", actor=qiye1
        )
    hazard.refresh_from_db()
    assert hazard.status == status
    return hazard


def generate(world: World, seed: int = 11, count: int = 120) -> list[Hazard]:
    """A year and more of hazards over the world's enterprises, moved through the workflow at past times:
    some closed, some rejected once, some extended, some overdue, some voided. Deterministic by ``seed``."""
    import random

    from anjian.hazards.choices import HazardAction
    from anjian.orgs.choices import UserKind, UserRole
    from tests.world import user

    rng = random.Random(seed)
    today = timezone.localdate()
    managers = {"chem": world.users["qiye1"]}
    for key in ("build", "hotel", "factory", "neighbour"):
        username = f"safety_{key}"
        managers[key] = world.users.get(username) or user(
            username, UserKind.ENTERPRISE, UserRole.SAFETY_OFFICER, enterprise=world.enterprises[key]
        )
        world.users[username] = managers[key]
    officer = dict.fromkeys(("chem", "build", "hotel", "factory"), world.users["anweiban"])
    officer["neighbour"] = world.users["neighbour_officer"]
    types = list(HazardType.objects.all())
    made = []

    def moment(day: dt.date, hour: int = 10) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randrange(60))))

    for _ in range(count):
        key = rng.choice(list(managers))
        enterprise = world.enterprises[key]
        found = today - dt.timedelta(days=rng.randrange(5, 420))
        major = rng.random() < 0.12
        by_government = major or rng.random() < 0.4
        finder = officer[key] if by_government else managers[key]
        data = {
            "level": HazardLevel.MAJOR if major else HazardLevel.GENERAL,
            "source": HazardSource.GOVERNMENT_INSPECTION
            if by_government
            else rng.choice([HazardSource.DAILY, HazardSource.SEASONAL, HazardSource.SPECIALISED]),
            "hazard_type": rng.choice(types),
            "management_class": rng.choice(list(ManagementClass)),
            "rectification_mode": RectificationMode.DEADLINE,
            "description": f"隐患{rng.randrange(10_000)}",
            "found_on": found,
            "deadline": found + dt.timedelta(days=rng.choice([7, 15, 30, 60])),
        }
        hazard = actions.do_register_hazard(enterprise, data=data, actor=finder, at=moment(found, 9))
        acceptor = finder if by_government else managers[key]
        fate = rng.random()
        day = found
        if fate < 0.05:
            actions.do_void_hazard(hazard, reason="不构成隐患", actor=officer[key], at=moment(day, 15))
            made.append(hazard)
            continue
        if fate < 0.12:
            made.append(hazard)  # still registered
            continue
        if major:
            prepare_major(hazard, managers[key])
        hazard = actions.do_start_rectification(hazard, plan=PLAN, actor=managers[key], at=moment(day, 11))
        if rng.random() < 0.25:
            assert hazard.deadline is not None
            asked = moment(day + dt.timedelta(days=2))
            actions.do_request_extension(
                hazard, deadline=hazard.deadline + dt.timedelta(days=30), reason="备件", actor=managers[key], at=asked
            )
            decide = HazardAction.APPROVE_EXTENSION if rng.random() < 0.7 else HazardAction.DENY_EXTENSION
            decided_on = day + dt.timedelta(days=rng.randrange(3, 40))
            if decided_on < today:
                actions.perform(hazard, decide, actor=acceptor, note="审批", at=moment(decided_on))
        if fate < 0.35:
            made.append(hazard)  # still rectifying (some overdue)
            continue
        done = min(day + dt.timedelta(days=rng.randrange(1, 80)), today - dt.timedelta(days=1))
        actions.do_add_hazard_photo(hazard, upload=photo(), stage=PhotoStage.AFTER, actor=managers[key])
        hazard = submit(hazard, managers[key], "已整改", at=moment(done, 14))
        if fate < 0.45:
            made.append(hazard)  # awaiting acceptance
            continue
        if rng.random() < 0.15:
            hazard = actions.do_reject_rectification(hazard, reason="不彻底", actor=acceptor, at=moment(done, 16))
            hazard = submit(hazard, managers[key], "再整改", at=moment(done, 17))
        hazard = actions.do_accept_rectification(hazard, note="合格", actor=acceptor, at=moment(done, 18))
        made.append(hazard)
    return made


REPORT = {
    "state_and_cause": "氯化工段未实现自动化控制",
    "harm_and_difficulty": "一旦失控可能爆炸，改造需停产",
    "approach": "实施自动化改造",
}
GOVERNANCE = {
    "objectives": "完成自动化控制改造",
    "methods": "增设 DCS 和紧急切断",
    "funding": "投入 120 万元",
    "organisation": "总经理牵头，设备部实施",
    "schedule": "90 天内完成",
    "safety_measures": "改造期间停产，编制专项应急预案",
}


def prepare_major(hazard: Hazard, manager: Any) -> None:
    """The report and the governance plan a major hazard needs before rectification starts."""
    from anjian.hazards import major

    major.do_report_major_hazard(hazard, data=REPORT, actor=manager)
    major.do_prepare_governance_plan(hazard, data=GOVERNANCE, actor=manager)


def submit(hazard: Hazard, manager: Any, text: str = "已整改", at: Any = None) -> Hazard:
    """Submit for acceptance: a major hazard with its evaluation (a resumption application)."""
    from anjian.hazards import major

    if hazard.level == HazardLevel.MAJOR:
        major.do_apply_resumption(
            hazard,
            evaluation_kind=EvaluationKind.SELF,
            evaluation="组织专家评估，治理效果符合要求",
            rectification=text,
            actor=manager,
            at=at,
        )
        hazard.refresh_from_db()
        return hazard
    return actions.do_submit_rectification(hazard, rectification=text, actor=manager, at=at)
