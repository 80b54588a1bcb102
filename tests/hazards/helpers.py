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
from anjian.hazards.choices import HazardLevel, HazardSource, ManagementClass, PhotoStage, RectificationMode
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
        hazard = actions.do_start_rectification(hazard, plan=PLAN, actor=qiye1)
    if status in ("awaiting_acceptance", "closed"):
        actions.do_add_hazard_photo(hazard, upload=photo(), stage=PhotoStage.AFTER, actor=qiye1)
        hazard = actions.do_submit_rectification(hazard, rectification="已更换探头", actor=qiye1)
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
