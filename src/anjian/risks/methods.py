"""Scoring an assessment by its method's table: every factor must be one of the table's values; the score is their
product; the level is the first cut-off the score reaches (worst first), else low. Tables are data per method and,
where a local standard differs, per region."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from anjian.core.exceptions import InvalidInput, refuse
from anjian.risks.choices import LEVEL_COLOURS, AssessmentMethod, RiskLevel

METHODS_FILE = Path(__file__).resolve().parent / "data" / "methods.json"
FACTORS = {
    AssessmentMethod.LEC: ("L", "E", "C"),
    AssessmentMethod.LS: ("L", "S"),
    AssessmentMethod.MES: ("M", "E", "S"),
}


def load_tables(apps: Any) -> None:
    """Create or update the shipped default tables (``apps``: a migration's registry or django.apps.apps)."""
    model = apps.get_model("risks", "AssessmentTable")
    for entry in json.loads(METHODS_FILE.read_text(encoding="utf-8"))["tables"]:
        model.objects.update_or_create(
            method=entry["method"],
            region=None,
            defaults={"factors": entry["factors"], "cutoffs": entry["cutoffs"], "note": entry["note"]},
        )


def table_for(method: str, region_code: str) -> Any:
    """The table that applies in a region: the most specific region's own, else the shipped default."""
    from anjian.risks.models import AssessmentTable

    ancestors = [region_code[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12)]
    tables = {t.region_id: t for t in AssessmentTable.objects.filter(method=method)}  # scoped: configuration data
    for code in reversed(ancestors):
        if code in tables:
            return tables[code]
    if None not in tables:
        raise InvalidInput(_("No table for this method."), field_errors={"method": [_("No table for this method.")]})
    return tables[None]


def score(method: str, inputs: dict[str, Any], table: Any) -> Decimal:
    """The product of the factors, each checked against the table's allowed values."""
    if method not in FACTORS:
        raise refuse(_("Choose LEC, LS or MES."), "method")
    product = Decimal(1)
    for name in FACTORS[AssessmentMethod(method)]:
        allowed = {Decimal(str(value)) for value, _meaning in table.factors.get(name, [])}
        try:
            value = Decimal(str(inputs.get(name)))
        except (InvalidOperation, ValueError):
            raise refuse(_("Give %(factor)s.") % {"factor": name}, name) from None
        if value not in allowed:
            allowed_text = "、".join(plain(v) for v in sorted(allowed, reverse=True))
            raise refuse(_("%(factor)s must be one of %(values)s.") % {"factor": name, "values": allowed_text}, name)
        product *= value
    return product.quantize(Decimal("0.01"))


def level_of(value: Decimal, table: Any) -> RiskLevel:
    """The first cut-off (worst first) the score reaches; below them all: low."""
    for cutoff in table.cutoffs:
        bound = Decimal(str(cutoff["min"]))
        if value > bound or (cutoff.get("inclusive", True) and value == bound):
            return RiskLevel(cutoff["level"])
    return RiskLevel.LOW


def plain(value: Decimal) -> str:
    """A factor as people write it: 10, 0.5 (not 1E+1)."""
    return format(value.normalize(), "f")


def colour_of(level: str) -> str:
    return LEVEL_COLOURS[RiskLevel(level)]
