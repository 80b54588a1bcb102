"""Loading the shipped industry catalogue and key-sector tags (idempotent: codes are the keys)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"


def load_catalogue(industry_model: Any, tag_model: Any) -> None:
    """Create or update every industry and tag of the shipped catalogue (models may be historical ones)."""
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    for order, category in enumerate(data["industries"], start=1):
        parent, _created = industry_model.objects.update_or_create(
            code=category["code"],
            defaults={
                "name": category["name"],
                "parent": None,
                "high_risk": category["high_risk"],
                "sort_order": order,
            },
        )
        for child_order, (code, name) in enumerate(category["children"], start=1):
            industry_model.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "parent": parent,
                    "high_risk": category["high_risk"],
                    "sort_order": child_order,
                },
            )
    for order, (code, name, description) in enumerate(data["tags"], start=1):
        tag_model.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
