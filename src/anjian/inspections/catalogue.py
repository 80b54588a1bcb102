"""Loading the shipped criteria catalogue: standards and clauses (判定标准), checklists and the inspection frequency
table (idempotent: codes are the keys; an administrator's later edits of other rows stay)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

CRITERIA_FILE = Path(__file__).resolve().parent / "data" / "criteria.json"


def load_criteria(apps: Any) -> None:
    """Create or update every shipped standard, clause, checklist and frequency (``apps``: a migration's
    historical registry or ``django.apps.apps``)."""
    standard_model = apps.get_model("inspections", "CriteriaStandard")
    clause_model = apps.get_model("inspections", "CriteriaClause")
    checklist_model = apps.get_model("inspections", "Checklist")
    item_model = apps.get_model("inspections", "ChecklistItem")
    frequency_model = apps.get_model("inspections", "FrequencyRule")
    industry_model = apps.get_model("enterprises", "Industry")
    tag_model = apps.get_model("enterprises", "Tag")
    tags = {tag.code: tag for tag in tag_model.objects.all()}
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    clauses: dict[tuple[str, str], Any] = {}
    for order, entry in enumerate(data["standards"], start=1):
        standard, _created = standard_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "title": entry["title"],
                "document_no": entry["document_no"],
                "issued_by": entry["issued_by"],
                "effective_on": dt.date.fromisoformat(entry["effective_on"]) if entry["effective_on"] else None,
                "major_criteria": entry["major_criteria"],
                "note": entry["note"],
                "sort_order": order,
            },
        )
        standard.industries.set(industry_model.objects.filter(code__in=entry["industries"]))
        for clause_order, (number, category, heading, text, unconfirmed, tag_codes) in enumerate(
            entry["clauses"], start=1
        ):
            clause, _created = clause_model.objects.update_or_create(
                standard=standard,
                number=number,
                defaults={
                    "category": category,
                    "heading": heading,
                    "text": text,
                    "wording_unconfirmed": unconfirmed,
                    "sort_order": clause_order,
                },
            )
            clause.tags.set([tags[code] for code in tag_codes if code in tags])
            clauses[(entry["code"], number)] = clause
    for entry in data["checklists"]:
        checklist, _created = checklist_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "industry": industry_model.objects.filter(code=entry["industry"]).first()
                if entry["industry"]
                else None,
                "tag": tags.get(entry["tag"]) if entry["tag"] else None,
            },
        )
        if checklist.items.exists():
            continue  # an administrator's edited list stays as it is
        for item_order, (standard_code, reference) in enumerate(entry["items"], start=1):
            clause = clauses.get((standard_code, reference)) if standard_code else None
            item_model.objects.create(
                checklist=checklist,
                clause=clause,
                text=clause.text if clause is not None else reference,
                sort_order=item_order,
            )
    for high_risk, grade, visits in data["frequencies"]:
        frequency_model.objects.get_or_create(
            high_risk=high_risk, standardization_grade=grade, defaults={"visits_per_year": visits}
        )
