"""Risk levels and colours, assessment methods, unit kinds, control tiers, the national interface's measure classes,
check cycles and task statuses of the dual-prevention mechanism (双重预防)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RiskLevel(models.TextChoices):
    """Four levels and their colours (重大/较大/一般/低 = 红/橙/黄/蓝). Ordered from the worst."""

    MAJOR = "major", _("Major risk")
    HIGH = "high", _("Higher risk")
    MEDIUM = "medium", _("General risk")
    LOW = "low", _("Low risk")


LEVEL_ORDER = [RiskLevel.MAJOR, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW]
LEVEL_COLOURS = {RiskLevel.MAJOR: "red", RiskLevel.HIGH: "orange", RiskLevel.MEDIUM: "yellow", RiskLevel.LOW: "blue"}
COLOUR_NAMES = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}
COLOUR_HEX = {"red": "#d7191c", "orange": "#f28e2b", "yellow": "#f2c500", "blue": "#2c7bb6"}
# Bootstrap classes for badges.
LEVEL_BADGES = {
    RiskLevel.MAJOR: "danger",
    RiskLevel.HIGH: "warning",
    RiskLevel.MEDIUM: "yellow",
    RiskLevel.LOW: "primary",
}


def worst(levels: list[str]) -> str:
    """The worst of some levels ("" when there is none)."""
    ranked = [level for level in LEVEL_ORDER if level in levels]
    return str(ranked[0]) if ranked else ""


class AssessmentMethod(models.TextChoices):
    LEC = "lec", _("LEC (D = L × E × C)")
    LS = "ls", _("Risk matrix (R = L × S)")
    MES = "mes", _("MES (R = M × E × S)")


class UnitKind(models.TextChoices):
    AREA = "area", _("Area")
    INSTALLATION = "installation", _("Installation or facility")
    POST = "post", _("Post")
    ACTIVITY = "activity", _("Work activity")


class ControlTier(models.TextChoices):
    """管控层级: who owns the control, down to the post (一岗位一清单)."""

    COMPANY = "company", _("Company")
    WORKSHOP = "workshop", _("Workshop / department")
    TEAM = "team", _("Team")
    POST = "post", pgettext_lazy("control tier", "Post")


# The usual tier for a level (local standards such as DB37/T 2882; not a national rule): a default, changeable.
DEFAULT_TIER = {
    RiskLevel.MAJOR: ControlTier.COMPANY,
    RiskLevel.HIGH: ControlTier.WORKSHOP,
    RiskLevel.MEDIUM: ControlTier.TEAM,
    RiskLevel.LOW: ControlTier.POST,
}


class AccidentType(models.TextChoices):
    """GB 6441 — the 20 types of accident."""

    STRUCK_BY_OBJECT = "struck_by_object", "物体打击"
    VEHICLE = "vehicle", "车辆伤害"
    MACHINERY = "machinery", "机械伤害"
    LIFTING = "lifting", "起重伤害"
    ELECTRIC_SHOCK = "electric_shock", "触电"
    DROWNING = "drowning", "淹溺"
    BURN = "burn", "灼烫"
    FIRE = "fire", "火灾"
    FALL = "fall", "高处坠落"
    COLLAPSE = "collapse", "坍塌"
    ROOF_FALL = "roof_fall", "冒顶片帮"
    WATER_INRUSH = "water_inrush", "透水"
    BLASTING = "blasting", "放炮"
    EXPLOSIVE = "explosive", "火药爆炸"
    GAS_EXPLOSION = "gas_explosion", "瓦斯爆炸"
    BOILER = "boiler", "锅炉爆炸"
    VESSEL = "vessel", "容器爆炸"
    OTHER_EXPLOSION = "other_explosion", "其它爆炸"
    POISONING = "poisoning", "中毒和窒息"
    OTHER = "other", "其它伤害"


class MeasureClass(models.TextChoices):
    """classify1 of the national interface."""

    ENGINEERING = "engineering", "工程技术"
    MAINTENANCE = "maintenance", "维护保养"
    OPERATION = "operation", "操作行为"
    EMERGENCY = "emergency", "应急措施"


# classify2 as the interface lists it under each classify1 (only 工程技术's list is known; others are free text).
MEASURE_SUBCLASSES: dict[str, list[str]] = {
    MeasureClass.ENGINEERING: ["工艺控制", "关键设备/部件", "安全附件", "安全仪表", "其他"],
    MeasureClass.MAINTENANCE: ["动设备", "静设备", "电气", "仪表", "其他"],
    MeasureClass.OPERATION: ["人员资质", "操作记录", "交接班", "其他"],
    MeasureClass.EMERGENCY: ["应急设施", "个体防护", "消防设施", "应急预案", "其他"],
}


class CycleUnit(models.TextChoices):
    HOUR = "hour", _("hour")
    DAY = "day", _("day")
    WEEK = "week", _("week")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


# The national interface's checkCycleUnit words.
CYCLE_UNIT_NATIONAL = {
    CycleUnit.HOUR: "小时",
    CycleUnit.DAY: "天",
    CycleUnit.WEEK: "周",
    CycleUnit.MONTH: "月",
    CycleUnit.QUARTER: "季",
    CycleUnit.YEAR: "年",
}


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("To check")
    DONE = "done", _("Checked")
    MISSED = "missed", _("Missed")


TASK_STATUS_COLOURS = {TaskStatus.PENDING: "secondary", TaskStatus.DONE: "success", TaskStatus.MISSED: "danger"}


class CheckResult(models.TextChoices):
    PASS = "pass", _("Normal")
    FAIL = "fail", _("Abnormal")


# Industry categories whose enterprises must keep a risk register (危险化学品 01, 工贸 04 — source 004's order);
# the government view lists those without one.
REGISTER_CATEGORIES = ("01", "04")
