"""The FilterSet of the audit log (page, export)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.choices import AuditResult
from anjian.core.events import EVENT_CHOICES
from anjian.core.filtering import StyledFilterSet
from anjian.core.models import AuditEvent


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditEventFilterSet(StyledFilterSet):
    event = django_filters.ChoiceFilter(label=_("Event"), choices=EVENT_CHOICES, empty_label=_("All events"))
    result = django_filters.ChoiceFilter(label=_("Result"), choices=AuditResult.choices, empty_label=_("Any result"))
    actor = django_filters.CharFilter(label=_("Username"), field_name="actor_username", lookup_expr="iexact")
    target = django_filters.CharFilter(label=_("Object"), field_name="target_repr", lookup_expr="icontains")
    start = django_filters.DateFilter(
        label=_("From"), method="filter_start", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(label=_("To"), method="filter_end", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_start(self, queryset: QuerySet[AuditEvent], name: str, value: dt.date) -> QuerySet[AuditEvent]:
        return queryset.filter(at__gte=_day_start(value))

    def filter_end(self, queryset: QuerySet[AuditEvent], name: str, value: dt.date) -> QuerySet[AuditEvent]:
        return queryset.filter(at__lt=_day_start(value + dt.timedelta(days=1)))
