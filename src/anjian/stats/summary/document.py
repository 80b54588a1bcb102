"""A generated work summary as data: paragraphs under numbered sections, and the 附表 of exact figures. The
renderers (``summary.render``) and the page's preview read only this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from anjian.regions.models import Region
from anjian.stats.summary.findings import Finding
from anjian.stats.summary.periods import Period


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # an opening phrase printed in bold: "（一）隐患整改不够及时。"

    @property
    def full(self) -> str:
        return self.lead + self.text


@dataclass(frozen=True)
class Section:
    key: str
    heading: str  # 二、隐患排查治理
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Figure:
    """One exact figure of the 附表, with the /api/v1/stats endpoint and field that answer the same number."""

    label: str
    value: Any
    shown: str
    endpoint: str  # hazards, inspections or crackdown
    field: str  # "found"; "documents_by_kind.site_record" for a nested one
    previous: bool = False  # of the same period a year before

    @property
    def reference(self) -> str:
        suffix = "（上年同期）" if self.previous else ""
        return f"stats/{self.endpoint}{suffix} · {self.field}"


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # right-aligned columns

    @property
    def weights(self) -> list[int]:
        """Relative column widths: each column's longest text in characters, within 3 to 24."""
        return [
            min(max(len(title), *(len(row[n]) for row in self.rows), 3), 24) if self.rows else max(len(title), 3)
            for n, title in enumerate(self.columns)
        ]

    @property
    def percent_widths(self) -> list[str]:
        weights = self.weights
        return [f"{100 * w / sum(weights):.1f}%" for w in weights]

    @property
    def aligned_rows(self) -> list[list[tuple[str, bool]]]:
        """Each row's cells with whether they align right (for templates, which cannot zip)."""
        return [list(zip(row, self.numeric, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Summary:
    title: str
    subtitle: str
    region: Region
    period: Period
    intro: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    findings: tuple[Finding, ...]
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...]  # the 附表, the exact figures first
    note: str
    generated_at: dt.datetime
    next_steps_template: Any = field(default=None, compare=False)  # the SummaryTemplate used (None: default)

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)
