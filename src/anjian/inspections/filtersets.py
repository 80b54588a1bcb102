"""One FilterSet per model of the enforcement domain: shared by the list pages, the API and the figures' drill-down."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.core.filtering import StyledFilterSet
from anjian.enterprises.filtersets import REGION_CODE, offer_scoped_choices
from anjian.enterprises.queries import in_region_q, industry_q
from anjian.inspections.choices import (
    CampaignKind,
    DocumentKind,
    DocumentStatus,
    InspectionKind,
    InspectionStatus,
    PenaltyKind,
    PenaltyStage,
    ReinspectionStatus,
    ViolationClass,
)
from anjian.inspections.models import Campaign, EnforcementDocument, Inspection, PenaltyCase, Reinspection
from anjian.orgs.models import Department
from anjian.stats.hazards import end_of_day

DATE = {"type": "date"}
GOVERNMENT = "government"


def _date(label: Any, field: str, lookup: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label, field_name=field, lookup_expr=lookup, widget=forms.DateInput(attrs=DATE)
    )


class EnterpriseScopedFilterSet(StyledFilterSet):
    """Region, industry, enterprise and department filters shared by the records that belong to an enterprise."""

    region = django_filters.CharFilter(label=_("Region"), method="filter_region", validators=[REGION_CODE])
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), method="filter_industry", empty_label=_("All industries")
    )
    enterprise = django_filters.NumberFilter(
        label=_("Enterprise"), field_name="enterprise_id", widget=forms.HiddenInput
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.none(), empty_label=_("All departments")
    )

    def __init__(self, data: Any = None, queryset: QuerySet[Any] | None = None, *, request: Any = None, **kw: Any):
        super().__init__(data, queryset, request=request, **kw)
        user = getattr(request, "user", None)
        offer_scoped_choices(self.filters, user)
        self.filters["department"].queryset = Department.objects.visible_to(user) if user else Department.objects.none()
        if "q" in self.filters:  # the search comes first: on a phone it is the one filter shown unfolded
            self.filters.move_to_end("q", last=False)

    def filter_region(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(in_region_q(value, "enterprise"))

    def filter_industry(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(industry_q(value, "enterprise"))


class InspectionFilterSet(EnterpriseScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[(GOVERNMENT, _("Government inspections")), *InspectionKind.choices],
        method="filter_kind",
        empty_label=_("All kinds"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=InspectionStatus.choices, empty_label=_("All statuses")
    )
    campaign = django_filters.NumberFilter(label=_("Campaign"), field_name="campaign_id", widget=forms.HiddenInput)
    plan = django_filters.NumberFilter(label=_("Plan"), field_name="plan_id", widget=forms.HiddenInput)
    start = django_filters.DateFilter(label=_("From"), method="filter_start", widget=forms.DateInput(attrs=DATE))
    end = django_filters.DateFilter(label=_("Until"), method="filter_end", widget=forms.DateInput(attrs=DATE))

    placeholders = {"q": _("Enterprise, place, findings")}

    class Meta:
        model = Inspection
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Inspection], name: str, value: str) -> QuerySet[Inspection]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(enterprise__name__icontains=term) | Q(place__icontains=term) | Q(summary__icontains=term)
            )
        return queryset

    def filter_kind(self, queryset: QuerySet[Inspection], name: str, value: str) -> QuerySet[Inspection]:
        return queryset.exclude(kind=InspectionKind.SELF) if value == GOVERNMENT else queryset.filter(kind=value)

    def filter_start(self, queryset: QuerySet[Inspection], name: str, value: Any) -> QuerySet[Inspection]:
        return queryset.filter(started_at__gte=end_of_day(value - dt.timedelta(days=1)))

    def filter_end(self, queryset: QuerySet[Inspection], name: str, value: Any) -> QuerySet[Inspection]:
        return queryset.filter(started_at__lt=end_of_day(value))


class DocumentFilterSet(EnterpriseScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DocumentKind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DocumentStatus.choices, empty_label=_("All statuses")
    )
    number = django_filters.CharFilter(label=_("Document number"), lookup_expr="icontains")
    inspection = django_filters.NumberFilter(field_name="inspection_id", widget=forms.HiddenInput)
    penalty = django_filters.NumberFilter(field_name="penalty_id", widget=forms.HiddenInput)
    start = _date(_("Issued from"), "issued_at__date", "gte")
    end = _date(_("Issued until"), "issued_at__date", "lte")

    class Meta:
        model = EnforcementDocument
        fields: list[str] = []


class PenaltyFilterSet(EnterpriseScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=PenaltyStage.choices, empty_label=_("All stages"))
    violation_class = django_filters.ChoiceFilter(
        label=_("Kind of violation"), choices=ViolationClass.choices, empty_label=_("Any kind")
    )
    penalty_kind = django_filters.ChoiceFilter(
        label=_("Penalty"), choices=PenaltyKind.choices, method="filter_penalty_kind", empty_label=_("Any penalty")
    )
    on_major_hazard = django_filters.BooleanFilter(
        label=_("Concerns a major hazard"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )
    campaign = django_filters.NumberFilter(field_name="campaign_id", widget=forms.HiddenInput)
    start = _date(_("Filed from"), "filed_on", "gte")
    end = _date(_("Filed until"), "filed_on", "lte")

    placeholders = {"q": _("Case number, enterprise, facts")}

    class Meta:
        model = PenaltyCase
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[PenaltyCase], name: str, value: str) -> QuerySet[PenaltyCase]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(case_number__icontains=term) | Q(enterprise__name__icontains=term) | Q(facts__icontains=term)
            )
        return queryset

    def filter_penalty_kind(self, queryset: QuerySet[PenaltyCase], name: str, value: str) -> QuerySet[PenaltyCase]:
        return queryset.filter(items__kind=value).distinct()


class ReinspectionFilterSet(EnterpriseScopedFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReinspectionStatus.choices, empty_label=_("All statuses")
    )
    start = _date(_("Due from"), "due_on", "gte")
    end = _date(_("Due until"), "due_on", "lte")

    class Meta:
        model = Reinspection
        fields: list[str] = []


class CampaignFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CampaignKind.choices, empty_label=_("All kinds"))
    active_on = django_filters.DateFilter(
        label=_("Running on"), method="filter_active_on", widget=forms.DateInput(attrs=DATE)
    )

    class Meta:
        model = Campaign
        fields: list[str] = []

    def filter_active_on(self, queryset: QuerySet[Campaign], name: str, value: Any) -> QuerySet[Campaign]:
        return queryset.filter(start__lte=value, end__gte=value)
