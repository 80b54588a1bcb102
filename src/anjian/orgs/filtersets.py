"""The FilterSet of departments."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anjian.core.filtering import StyledFilterSet
from anjian.orgs.choices import DepartmentKind
from anjian.orgs.models import Department


class DepartmentFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DepartmentKind.choices, empty_label=_("All kinds"))

    class Meta:
        model = Department
        fields: list[str] = []
