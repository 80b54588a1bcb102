"""The forms of the summaries page: which region and period, and the 下步工作 text of a region."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.regions.models import Region
from anjian.stats.summary import periods
from anjian.stats.summary.periods import PeriodKind
from anjian.web.forms import BootstrapFormMixin

MAX_DAYS = 3 * 366 + 1  # a summary covers at most three years

PICKS = [
    ("last_year", _("Last year")),
    ("this_year", _("This year to date")),
    ("last_quarter", _("Last quarter")),
    ("custom", _("Custom period")),
]
QUICK = {"last_year": periods.last_year, "this_year": periods.this_year, "last_quarter": periods.last_quarter}


def region_choices(regions: list[Region]) -> list[tuple[str, str]]:
    """Regions indented by their depth below the shallowest one offered."""
    top = min((r.level for r in regions), default=0)
    return [(r.code, "　" * (r.level - top) + r.name) for r in regions]


class SummaryForm(BootstrapFormMixin, forms.Form):
    region = forms.ChoiceField(label=_("Region"))
    period = forms.ChoiceField(label=_("Period"), choices=PICKS, widget=forms.RadioSelect)
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args: Any, regions: list[Region], today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        region = self.fields["region"]
        if isinstance(region, forms.ChoiceField):
            region.choices = region_choices(regions)
        self.apply_bootstrap()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pick = data.get("period")
        if pick in QUICK:
            data["start"], data["end"] = QUICK[pick](self.today)
        elif pick == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None:
                self.add_error("start", _("Give the first day of the period."))
            if end is None:
                self.add_error("end", _("Give the last day of the period."))
            if start and end:
                if end < start:
                    self.add_error("end", _("The end comes before the start."))
                elif (end - start).days > MAX_DAYS:
                    self.add_error("end", _("A summary covers at most three years."))
        return data

    def query(self) -> dict[str, str]:
        """The cleaned choice as query parameters (for the download links)."""
        data = self.cleaned_data
        return {
            "region": data["region"],
            "period": data["period"],
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
        }


class NextStepsForm(BootstrapFormMixin, forms.Form):
    period_kind = forms.ChoiceField(
        label=_("For summaries of"),
        choices=[("", _("Any period")), *PeriodKind.choices],
        required=False,
    )
    body = forms.CharField(
        label=_("Next steps"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "One paragraph a line. A line opening with （一）… prints its first sentence in bold. Placeholders: "
            "{region} the region's name, {whole} 全县/全镇…, {year} the year the period ends in, {next_year}, "
            "{period} the period's name."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()
