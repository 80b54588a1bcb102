"""The one FilterSet of check tasks (排查任务): the task list of government users and the enterprise's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.filtering import StyledFilterSet
from anjian.enterprises.filtersets import REGION_CODE, offer_scoped_choices
from anjian.enterprises.queries import in_region_q, industry_q
from anjian.orgs.choices import UserKind
from anjian.risks.choices import TaskStatus
from anjian.risks.models import CheckTask
from anjian.stats.hazards import end_of_day
from anjian.stats.inspections import start_of_day

OVERDUE = "overdue"
MINE = "mine"
STATUS_CHOICES = [*TaskStatus.choices, (OVERDUE, _("Overdue (window closed, not checked)"))]


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Pending although the window has closed (the nightly job has not flagged the task missed yet)."""
    return Q(status=TaskStatus.PENDING, due_end__lte=now or timezone.now())


class CheckTaskFilterSet(StyledFilterSet):
    region = django_filters.CharFilter(label=_("Region"), method="filter_region", validators=[REGION_CODE])
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), method="filter_industry", empty_label=_("All industries")
    )
    enterprise = django_filters.NumberFilter(
        label=_("Enterprise"), field_name="enterprise_id", widget=forms.HiddenInput
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All statuses")
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Assignee"), choices=[(MINE, _("Mine"))], method="filter_assignee", empty_label=_("Anyone")
    )
    start = django_filters.DateFilter(
        label=_("From"), method="filter_start", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(label=_("To"), method="filter_end", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = CheckTask
        fields: list[str] = []

    def __init__(
        self, data: Any = None, queryset: QuerySet[CheckTask] | None = None, *, request: Any = None, **kwargs: Any
    ):
        super().__init__(data, queryset, request=request, **kwargs)
        user = getattr(request, "user", None)
        if getattr(user, "kind", None) == UserKind.ENTERPRISE:
            # One enterprise: no territory or industry to choose; "mine" is what matters.
            for name in ("region", "industry", "enterprise"):
                del self.filters[name]
            return
        del self.filters["assignee"]  # government users are assigned no checks
        offer_scoped_choices(self.filters, user)

    def filter_region(self, queryset: QuerySet[CheckTask], name: str, value: str) -> QuerySet[CheckTask]:
        return queryset.filter(in_region_q(value, "enterprise"))

    def filter_industry(self, queryset: QuerySet[CheckTask], name: str, value: str) -> QuerySet[CheckTask]:
        return queryset.filter(industry_q(value, "enterprise"))

    def filter_status(self, queryset: QuerySet[CheckTask], name: str, value: str) -> QuerySet[CheckTask]:
        return queryset.filter(overdue_q()) if value == OVERDUE else queryset.filter(status=value)

    def filter_assignee(self, queryset: QuerySet[CheckTask], name: str, value: str) -> QuerySet[CheckTask]:
        user = getattr(self.request, "user", None)
        return queryset.filter(assignee_id=getattr(user, "pk", None)) if value == MINE else queryset

    def filter_start(self, queryset: QuerySet[CheckTask], name: str, value: dt.date) -> QuerySet[CheckTask]:
        return queryset.filter(due_start__gte=start_of_day(value))

    def filter_end(self, queryset: QuerySet[CheckTask], name: str, value: dt.date) -> QuerySet[CheckTask]:
        return queryset.filter(due_start__lt=end_of_day(value))
