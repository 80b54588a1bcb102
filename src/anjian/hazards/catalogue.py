"""The shipped hazard categories: the eight of the national 双重预防 interface (hazardDangerType 1–8).

Administrators add local ones in the administration; loading again never removes them.
"""

from __future__ import annotations

from typing import Any

HAZARD_TYPES = [
    ("safety", "安全", 1),
    ("process", "工艺", 2),
    ("electrical", "电气", 3),
    ("instrument", "仪表", 4),
    ("fire", "消防", 5),
    ("layout", "总图", 6),
    ("equipment", "设备", 7),
    ("other", "其他", 8),
]


def load_hazard_types(model: Any) -> None:
    """Create or update the shipped categories (``model`` is HazardType, or its historical version)."""
    for order, (code, name, national) in enumerate(HAZARD_TYPES):
        model.objects.update_or_create(
            code=code, defaults={"name": name, "national_code": national, "sort_order": order}
        )
