"""The enterprise spreadsheet: one column layout for the Excel export, the import template and the import.

An exported file can be edited and imported again. Import is all or nothing: every row is validated with the
same form as the web page (same messages, same scope), errors are reported by row and column, and nothing is
written unless every row is valid.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from anjian.enterprises import uscc
from anjian.enterprises.actions import ImportRow
from anjian.enterprises.choices import (
    EnterpriseStatus,
    MajorHazardSourceGrade,
    Ownership,
    Scale,
    StandardizationGrade,
    SupervisionLevel,
)
from anjian.enterprises.forms import EnterpriseForm
from anjian.enterprises.models import Enterprise, Industry, Tag
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Grid, Region
from anjian.utilities.xlsx import Column, SheetRow, column_letter, read_sheet, write_workbook

TAG_SEPARATORS = re.compile(r"[、,，;；/\s]+")
TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", ""}


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, "")) if value else ""


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


@dataclass(frozen=True)
class SheetColumn:
    """A column: its header, the form field it fills, how to write it from an enterprise, whether required."""

    header: Any  # lazy text: resolved in the language of the file
    field: str
    export: Callable[[Enterprise], Any]
    required: bool = False
    width: int = 14


COLUMNS: list[SheetColumn] = [
    SheetColumn(gettext_lazy("Unified social credit code"), "uscc", lambda e: e.uscc, True, 22),
    SheetColumn(gettext_lazy("Enterprise name"), "name", lambda e: e.name, True, 32),
    SheetColumn(gettext_lazy("Industry"), "industry", lambda e: e.industry.name, True, 16),
    SheetColumn(gettext_lazy("Key sectors"), "tags", lambda e: "、".join(t.name for t in e.tags.all()), False, 20),
    SheetColumn(gettext_lazy("Scale"), "scale", lambda e: _label(Scale, e.scale), True, 12),
    SheetColumn(gettext_lazy("Ownership"), "ownership", lambda e: _label(Ownership, e.ownership), True, 12),
    SheetColumn(gettext_lazy("Town / village"), "region", lambda e: _region_text(e.region), True, 20),
    SheetColumn(gettext_lazy("Grid"), "grid", lambda e: e.grid.name if e.grid else "", False, 18),
    SheetColumn(gettext_lazy("Address"), "address", lambda e: e.address, True, 36),
    SheetColumn(gettext_lazy("Longitude"), "longitude", lambda e: e.longitude, False, 12),
    SheetColumn(gettext_lazy("Latitude"), "latitude", lambda e: e.latitude, False, 12),
    SheetColumn(gettext_lazy("Legal representative"), "legal_representative", lambda e: e.legal_representative),
    SheetColumn(gettext_lazy("Principal"), "principal_name", lambda e: e.principal_name, True),
    SheetColumn(gettext_lazy("Principal's phone"), "principal_phone", lambda e: e.principal_phone, False, 16),
    SheetColumn(gettext_lazy("Safety officer"), "safety_officer_name", lambda e: e.safety_officer_name),
    SheetColumn(
        gettext_lazy("Safety officer's phone"),
        "safety_officer_phone",
        lambda e: e.safety_officer_phone,
        False,
        16,
    ),
    SheetColumn(gettext_lazy("Employees"), "employee_count", lambda e: e.employee_count, False, 10),
    SheetColumn(gettext_lazy("Established on"), "established_on", lambda e: _date(e.established_on), False, 12),
    SheetColumn(gettext_lazy("Business scope"), "business_scope", lambda e: e.business_scope, False, 30),
    SheetColumn(
        gettext_lazy("Standardisation grade"),
        "standardization_grade",
        lambda e: _label(StandardizationGrade, e.standardization_grade),
        False,
        14,
    ),
    SheetColumn(
        gettext_lazy("Standardisation valid until"),
        "standardization_valid_until",
        lambda e: _date(e.standardization_valid_until),
        False,
        14,
    ),
    SheetColumn(
        gettext_lazy("Liability insurance"),
        "has_liability_insurance",
        lambda e: e.has_liability_insurance,
        False,
        10,
    ),
    SheetColumn(
        gettext_lazy("Insurance valid until"),
        "liability_insurance_valid_until",
        lambda e: _date(e.liability_insurance_valid_until),
        False,
        14,
    ),
    SheetColumn(
        gettext_lazy("Major hazard installation"),
        "major_hazard_source_grade",
        lambda e: _label(MajorHazardSourceGrade, e.major_hazard_source_grade),
        False,
        14,
    ),
    SheetColumn(
        gettext_lazy("Supervision level"),
        "supervision_level",
        lambda e: _label(SupervisionLevel, e.supervision_level),
        False,
        10,
    ),
]
# Written on export, ignored on import (status changes only through actions).
EXTRA_EXPORT = [
    SheetColumn(gettext_lazy("Status"), "status", lambda e: _label(EnterpriseStatus, e.status), False, 12),
    SheetColumn(
        gettext_lazy("Last changed"),
        "updated_at",
        lambda e: timezone.localtime(e.updated_at).strftime("%Y-%m-%d %H:%M"),
        False,
        16,
    ),
]


def _region_text(region: Region) -> str:
    """A town by name; a village as "town/village", which stays unambiguous when village names repeat."""
    if region.level == RegionLevel.VILLAGE and region.parent is not None:
        return f"{region.parent.name}/{region.name}"
    return region.name


def export_columns() -> list[Column]:
    return [Column(str(c.header), c.export, c.width) for c in [*COLUMNS, *EXTRA_EXPORT]]


def template_workbook() -> bytes:
    """An empty import file with the headers (required ones marked *) and one example row."""
    buffer = io.BytesIO()
    example = {
        "uscc": "91360431MA35XXXXXX",
        "name": _("Example Chemical Co., Ltd."),
        "scale": str(Scale.BELOW_QUOTA.label),
        "ownership": str(Ownership.PRIVATE.label),
        "address": _("No. 1 Example Road"),
        "principal_name": _("Zhang San"),
        "has_liability_insurance": "是",
    }

    def sample(field_name: str) -> Callable[[Any], Any]:
        return lambda _row: example.get(field_name, "")

    columns = [Column(f"{c.header}{'*' if c.required else ''}", sample(c.field), c.width) for c in COLUMNS]
    write_workbook(buffer, title=str(_("Enterprises")), columns=columns, objects=[None])
    return buffer.getvalue()


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # Excel column letter, "" when the problem concerns the whole row
    header: str
    value: str
    message: str


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error and bool(self.rows)


def _header_map() -> dict[str, SheetColumn]:
    """Header text (in Chinese and in English, with or without the required-mark) → column."""
    mapping: dict[str, SheetColumn] = {}
    for language in ("zh-hans", "en"):
        with override(language):
            for column in COLUMNS:
                mapping[str(column.header)] = column
    return mapping


class _Lookups:
    """Natural keys (names, codes, labels) → form values, limited to what the importing user may use."""

    def __init__(self, user: Any) -> None:
        from anjian.core.scoping import Scope

        industries = list(Industry.objects.filter(parent__isnull=False).select_related("parent"))
        self.industries: dict[str, str] = {}
        for industry in industries:
            category = industry.parent.name if industry.parent else ""
            for key in (industry.code, industry.name, f"{category}/{industry.name}"):
                self.industries[key] = str(industry.pk)
        self.remit = Scope.for_user(user).industry_ids
        self.regions: dict[str, list[str]] = {}
        for region in (
            Region.objects.visible_to(user)
            .filter(level__in=[RegionLevel.TOWN, RegionLevel.VILLAGE])
            .select_related("parent")
        ):
            for key in {region.code, region.name, _region_text(region)}:
                self.regions.setdefault(key, []).append(region.code)
        self.grids: dict[str, str] = {}
        for grid in Grid.objects.visible_to(user):
            self.grids[grid.code] = str(grid.pk)
            self.grids[grid.name] = str(grid.pk)
        self.tags = {t.name: str(t.pk) for t in Tag.objects.all()} | {t.code: str(t.pk) for t in Tag.objects.all()}
        self.choices: dict[str, dict[str, str]] = {}
        for name, enum in [
            ("scale", Scale),
            ("ownership", Ownership),
            ("standardization_grade", StandardizationGrade),
            ("major_hazard_source_grade", MajorHazardSourceGrade),
            ("supervision_level", SupervisionLevel),
        ]:
            table: dict[str, str] = {}
            for language in ("zh-hans", "en"):
                with override(language):
                    for value, label in enum.choices:
                        table[str(label)] = value
                        table[value] = value
            self.choices[name] = table


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _form_value(column: SheetColumn, raw: str, lookups: _Lookups) -> tuple[Any, str]:
    """The value the form expects for this cell, or an error message."""
    name = column.field
    if name == "industry":
        if not raw:
            return "", ""
        pk = lookups.industries.get(raw) or lookups.industries.get(raw.replace(" ", ""))
        if pk is None:
            return "", _("No industry “%(value)s” in the catalogue.") % {"value": raw}
        if lookups.remit is not None and int(pk) not in lookups.remit:
            return "", _("The industry “%(value)s” is outside your department's remit.") % {"value": raw}
        return pk, ""
    if name == "region":
        if not raw:
            return "", ""
        codes = lookups.regions.get(raw.replace(" ", "")) or []
        if not codes:
            return "", _("No town or village “%(value)s” in your territory.") % {"value": raw}
        if len(codes) > 1:
            return "", _("“%(value)s” names several villages: write “town/village” or the 12-digit code.") % {
                "value": raw
            }
        return codes[0], ""
    if name == "grid":
        if not raw:
            return "", ""
        pk = lookups.grids.get(raw)
        return (pk, "") if pk else ("", _("No grid “%(value)s” in your territory.") % {"value": raw})
    if name == "tags":
        pks = []
        for part in TAG_SEPARATORS.split(raw):
            if not part:
                continue
            pk = lookups.tags.get(part)
            if pk is None:
                return [], _("No key sector “%(value)s”.") % {"value": part}
            pks.append(pk)
        return pks, ""
    if name in lookups.choices:
        if not raw:
            return "", ""
        value = lookups.choices[name].get(raw)
        if value is None:
            allowed = "、".join(sorted({k for k in lookups.choices[name] if not k.isascii()}))
            return "", _("“%(value)s” is not one of: %(allowed)s.") % {"value": raw, "allowed": allowed}
        return value, ""
    if name == "has_liability_insurance":
        word = raw.lower()
        if word in TRUE_WORDS:
            return "on", ""
        if word in FALSE_WORDS:
            return "", ""
        return "", _("Write 是 or 否.")
    return raw, ""


def parse_import(source: IO[bytes], *, user: Any, max_rows: int) -> ImportResult:
    """Validate every row of an uploaded workbook; the result holds either rows to import or all the errors."""
    result = ImportResult()
    try:
        headers, rows = read_sheet(source, max_rows=max_rows)
    except ValueError:
        result.file_error = _("The file could not be read as an Excel workbook, or it has more than %(max)d rows.") % {
            "max": max_rows
        }
        return result
    header_map = _header_map()
    columns: dict[str, SheetColumn] = {}
    for header in headers:
        column = header_map.get(header.rstrip("*").strip())
        if column is not None:
            columns[header] = column
    present = {c.field for c in columns.values()}
    missing = [str(c.header) for c in COLUMNS if c.required and c.field not in present]
    if missing:
        result.file_error = _("Columns missing: %(columns)s. Download the template to see the layout.") % {
            "columns": "、".join(missing)
        }
        return result
    if not rows:
        result.file_error = _("The file has no data rows.")
        return result
    lookups = _Lookups(user)
    header_of = {c.field: h for h, c in columns.items()}
    seen_uscc: dict[str, int] = {}
    for row in rows:
        _validate_row(row, columns, header_of, headers, lookups, seen_uscc, user, result)
    if result.errors:
        result.rows = []
    return result


def _validate_row(
    row: SheetRow,
    columns: dict[str, SheetColumn],
    header_of: dict[str, str],
    headers: list[str],
    lookups: _Lookups,
    seen_uscc: dict[str, int],
    user: Any,
    result: ImportResult,
) -> None:
    def error(field_name: str, message: str, value: str = "") -> None:
        header = header_of.get(field_name, "")
        result.errors.append(
            CellError(row.number, column_letter(headers, header) if header else "", header, value, message)
        )

    data: dict[str, Any] = {}
    raw_values: dict[str, str] = {}
    for header, column in columns.items():
        raw = _text(row.values.get(header))
        raw_values[column.field] = raw
        value, message = _form_value(column, raw, lookups)
        if message:
            error(column.field, message, raw)
        data[column.field] = value
    code = uscc.normalise(raw_values.get("uscc", ""))
    if code and code in seen_uscc:
        error("uscc", _("The same code is on row %(row)d too.") % {"row": seen_uscc[code]}, code)
    elif code:
        seen_uscc[code] = row.number
    form = EnterpriseForm(data={k: v for k, v in data.items() if v not in ("", [])}, user=user)
    if not form.is_valid():
        reported = {e.header for e in result.errors if e.row == row.number}
        for field_name, field_messages in form.errors.items():
            if header_of.get(field_name, "") in reported and field_name in header_of:
                continue  # already explained by the lookup above
            for problem in field_messages:
                error(
                    field_name if field_name in header_of else "",
                    str(problem),
                    raw_values.get(field_name, ""),
                )
        return
    if not any(e.row == row.number for e in result.errors):
        result.rows.append(ImportRow(row.number, form.changes(), list(form.cleaned_data.get("tags") or [])))
