"""One FilterSet per model of the risk register: the register page (units), and the events wherever they are listed
(the API, the figures' drill-down). Check tasks have theirs beside the task pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.core.filtering import LazyChoices, StyledFilterSet
from anjian.risks.choices import AccidentType, RiskLevel, UnitKind
from anjian.risks.models import RiskEvent, RiskUnit

NOT_ASSESSED = "none"
LEVEL_CHOICES = [*RiskLevel.choices, (NOT_ASSESSED, _("Not assessed yet"))]
# A select of the departments or posts in the user's scope; a county's register could name thousands, so the list
# stops here and the text search finds the rest.
MAX_VALUE_CHOICES = 300


def _level(queryset: QuerySet[Any], field: str, value: str) -> QuerySet[Any]:
    return queryset.filter(**{field: "" if value == NOT_ASSESSED else value})


def distinct_values(queryset: QuerySet[RiskUnit], field: str) -> list[str]:
    """The non-empty values of a unit's text field (department, post) in ``queryset``, sorted."""
    rows = queryset.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct()
    return list(rows[:MAX_VALUE_CHOICES])


def _value_choices(queryset: QuerySet[RiskUnit], field: str) -> LazyChoices:
    """Read when the form is validated or drawn (once for both), not when the FilterSet is made."""
    return LazyChoices(lambda: [(v, v) for v in distinct_values(queryset, field)])


class RiskUnitFilterSet(StyledFilterSet):
    """The register (风险分析单元): search, enterprise, level, kind, responsible department, post."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    enterprise = django_filters.NumberFilter(
        label=_("Enterprise"), field_name="enterprise_id", widget=forms.HiddenInput
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=LEVEL_CHOICES, method="filter_level", empty_label=_("All levels")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices, empty_label=_("All kinds"))
    department = django_filters.ChoiceFilter(label=_("Responsible department"), empty_label=_("All departments"))
    post = django_filters.ChoiceFilter(label=_("Post"), empty_label=_("All posts"))

    placeholders = {"q": _("Unit, object, enterprise, person")}

    class Meta:
        model = RiskUnit
        fields: list[str] = []

    def __init__(
        self, data: Any = None, queryset: QuerySet[RiskUnit] | None = None, *, request: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(data, queryset, request=request, **kwargs)
        scoped = self.queryset
        enterprise = (data or {}).get("enterprise", "")
        if str(enterprise).isdigit():  # one enterprise's departments and posts, not the whole county's
            scoped = scoped.filter(enterprise_id=int(enterprise))
        for name in ("department", "post"):
            self.filters[name].extra["choices"] = _value_choices(scoped, name)

    def filter_text(self, queryset: QuerySet[RiskUnit], name: str, value: str) -> QuerySet[RiskUnit]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(risk_object__name__icontains=term)
                | Q(risk_object__code__icontains=term)
                | Q(enterprise__name__icontains=term)
                | Q(department__icontains=term)
                | Q(responsible_person__icontains=term)
                | Q(post__icontains=term)
            )
        return queryset

    def filter_level(self, queryset: QuerySet[RiskUnit], name: str, value: str) -> QuerySet[RiskUnit]:
        return _level(queryset, "level", value)


class RiskEventFilterSet(StyledFilterSet):
    """Risk events (风险事件): search, enterprise, unit, level, residual level, accident type, reassessment due."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    enterprise = django_filters.NumberFilter(
        label=_("Enterprise"), field_name="unit__enterprise_id", widget=forms.HiddenInput
    )
    unit = django_filters.NumberFilter(label=_("Risk unit"), field_name="unit_id", widget=forms.HiddenInput)
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=LEVEL_CHOICES, method="filter_level", empty_label=_("All levels")
    )
    residual_level = django_filters.ChoiceFilter(
        label=_("Residual level"),
        choices=LEVEL_CHOICES,
        method="filter_residual_level",
        empty_label=_("All levels"),
    )
    accident_type = django_filters.ChoiceFilter(
        label=_("Accident type"), choices=AccidentType.choices, empty_label=_("All types")
    )
    reassess_before = django_filters.DateFilter(
        label=_("Reassessment due by"),
        field_name="reassess_by",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    placeholders = {"q": _("Event, unit, enterprise")}

    class Meta:
        model = RiskEvent
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[RiskEvent], name: str, value: str) -> QuerySet[RiskEvent]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(unit__name__icontains=term) | Q(unit__enterprise__name__icontains=term)
            )
        return queryset

    def filter_level(self, queryset: QuerySet[RiskEvent], name: str, value: str) -> QuerySet[RiskEvent]:
        return _level(queryset, "level", value)

    def filter_residual_level(self, queryset: QuerySet[RiskEvent], name: str, value: str) -> QuerySet[RiskEvent]:
        return _level(queryset, "residual_level", value)
