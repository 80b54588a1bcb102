"""The one FilterSet of hazards: the ledger page, the API list, the 三清单 export and the figures' drill-down."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.filtering import StyledFilterSet
from anjian.enterprises.filtersets import REGION_CODE, offer_scoped_choices
from anjian.enterprises.queries import in_region_q, industry_q
from anjian.hazards.choices import (
    OPEN_STATUSES,
    HazardLevel,
    HazardSource,
    HazardStatus,
    ListingStatus,
    RectificationMode,
)
from anjian.hazards.models import Hazard, HazardType, overdue_q

OPEN = "open"
STATUS_CHOICES = [(OPEN, _("Open (not closed)")), *HazardStatus.choices]
SUPERVISION_CHOICES = [
    ("listed", _("Listed for supervision")),
    ("review_due", _("Resumption review pending")),
    ("review_overdue", _("Resumption review overdue")),
]
FINDER_CHOICES = [("self", _("Found by the enterprise")), ("government", _("Found by the government"))]


class HazardFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    region = django_filters.CharFilter(label=_("Region"), method="filter_region", validators=[REGION_CODE])
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), method="filter_industry", empty_label=_("All industries")
    )
    enterprise = django_filters.NumberFilter(
        label=_("Enterprise"), field_name="enterprise_id", widget=forms.HiddenInput
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=HazardLevel.choices, empty_label=_("All levels"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All statuses")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", _("Overdue or not")), ("true", _("Overdue")), ("false", _("Not overdue"))]),
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=HazardSource.choices, empty_label=_("All sources"))
    finder = django_filters.ChoiceFilter(
        label=_("Found by"), choices=FINDER_CHOICES, method="filter_finder", empty_label=_("Anyone")
    )
    supervision = django_filters.ChoiceFilter(
        label=_("Supervision"), choices=SUPERVISION_CHOICES, method="filter_supervision", empty_label=_("Any")
    )
    hazard_type = django_filters.ModelChoiceFilter(
        label=_("Type"), queryset=HazardType.objects.all(), to_field_name="code", empty_label=_("All types")
    )
    mode = django_filters.ChoiceFilter(
        label=_("Rectification mode"),
        field_name="rectification_mode",
        choices=RectificationMode.choices,
        empty_label=_("Any mode"),
    )
    start = django_filters.DateFilter(
        label=_("Found from"), field_name="found_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        label=_("Found until"), field_name="found_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("found_on", "found"),
            ("deadline", "deadline"),
            ("updated_at", "updated"),
            ("enterprise__name", "enterprise"),
        ),
    )

    placeholders = {"q": _("Description, location, enterprise")}

    class Meta:
        model = Hazard
        fields: list[str] = []

    def __init__(
        self, data: Any = None, queryset: QuerySet[Hazard] | None = None, *, request: Any = None, **kwargs: Any
    ):
        super().__init__(data, queryset, request=request, **kwargs)
        user = getattr(request, "user", None)
        offer_scoped_choices(self.filters, user)

    def filter_text(self, queryset: QuerySet[Hazard], name: str, value: str) -> QuerySet[Hazard]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(description__icontains=term) | Q(location__icontains=term) | Q(enterprise__name__icontains=term)
            )
        return queryset

    def filter_region(self, queryset: QuerySet[Hazard], name: str, value: str) -> QuerySet[Hazard]:
        return queryset.filter(in_region_q(value, "enterprise"))

    def filter_industry(self, queryset: QuerySet[Hazard], name: str, value: str) -> QuerySet[Hazard]:
        return queryset.filter(industry_q(value, "enterprise"))

    def filter_status(self, queryset: QuerySet[Hazard], name: str, value: str) -> QuerySet[Hazard]:
        return queryset.filter(status__in=OPEN_STATUSES) if value == OPEN else queryset.filter(status=value)

    def filter_overdue(self, queryset: QuerySet[Hazard], name: str, value: bool | None) -> QuerySet[Hazard]:
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    def filter_supervision(self, queryset: QuerySet[Hazard], name: str, value: str) -> QuerySet[Hazard]:
        if value == "listed":
            return queryset.filter(listings__status=ListingStatus.LISTED).distinct()
        pending = Q(resumptions__approved__isnull=True, status=HazardStatus.AWAITING_ACCEPTANCE)
        if value == "review_overdue":
            pending &= Q(resumptions__review_due__lt=timezone.localdate())
        return queryset.filter(pending).distinct()

    def filter_finder(self, queryset: QuerySet[Hazard], name: str, value: str) -> QuerySet[Hazard]:
        return queryset.filter(finding_department__isnull=(value == "self"))
