"""The one FilterSet of enterprises: used by the list page, the API and the Excel export alike."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.core.filtering import LazyChoices, StyledFilterSet
from anjian.enterprises.choices import (
    EnterpriseStatus,
    Ownership,
    Scale,
    StandardizationGrade,
)
from anjian.enterprises.models import Enterprise, Industry, Tag
from anjian.enterprises.queries import LICENCE_EXPIRED, LICENCE_EXPIRING, in_region_q, industry_q, licence_state_q
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Grid, Region

REGION_CODE = RegexValidator(r"^\d{12}$", _("A region code has 12 digits."))
LICENCE_STATES = [(LICENCE_EXPIRING, _("Expiring within 90 days")), (LICENCE_EXPIRED, _("Expired"))]
STANDARDIZATION_CHOICES = [
    *[(c.value, c.label) for c in StandardizationGrade if c.value],
    ("none", _("Not graded")),
]


def region_choices(user: Any) -> list[tuple[str, Any]]:
    """Towns in the user's territory, each followed by its villages (indented), for a filter or a form."""
    regions = Region.objects.visible_to(user).filter(level__in=[RegionLevel.TOWN, RegionLevel.VILLAGE])
    return [(r.code, r.name if r.level == RegionLevel.TOWN else f"\u3000{r.name}") for r in regions.order_by("code")]


def grid_choices(user: Any) -> list[tuple[int, str]]:
    return [(g.pk, g.name) for g in Grid.objects.visible_to(user).order_by("code")]


def industry_choices(user: Any, *, leaves_only: bool = False) -> list[tuple[str, Any]]:
    """Industries grouped under their categories; limited to the user's remit when the user has one."""
    from anjian.core.scoping import Scope

    remit = Scope.for_user(user).industry_ids
    industries = Industry.objects.select_related("parent").order_by("sort_order", "code")
    if remit is not None:  # the remit's industries and their categories (no join of the children, no DISTINCT)
        categories = Industry.objects.filter(pk__in=remit, parent__isnull=False).values("parent_id")
        industries = industries.filter(Q(pk__in=remit) | Q(pk__in=categories))
    groups: dict[Industry, list[tuple[str, str]]] = {}
    for industry in industries:
        if industry.parent is None:
            groups.setdefault(industry, [])
        else:
            groups.setdefault(industry.parent, []).append((industry.code, industry.name))
    if leaves_only:
        return [(str(category.name), children) for category, children in groups.items() if children]
    choices: list[tuple[str, Any]] = []
    for category, children in groups.items():
        choices.append((category.code, category.name))
        choices.extend((code, f"\u3000{name}") for code, name in children)
    return choices


def offer_scoped_choices(filters: Any, user: Any) -> None:
    """The region and industry filters of a FilterSet offer only the user's own towns, villages and industries
    (nobody learns the names of regions outside their scope), read when the form is first validated or drawn."""
    filters["region"].extra["widget"] = forms.Select(
        choices=LazyChoices(lambda: [("", _("All regions")), *region_choices(user)])
    )
    filters["industry"].extra["choices"] = LazyChoices(lambda: industry_choices(user))


class EnterpriseFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    # Region and grid are validated by shape, not against a list: at province scale the lists are long, and only
    # the HTML form needs them (built lazily, when the select is rendered).
    region = django_filters.CharFilter(label=_("Region"), method="filter_region", validators=[REGION_CODE])
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), method="filter_industry", empty_label=_("All industries")
    )
    tag = django_filters.ChoiceFilter(label=_("Key sector"), method="filter_tag", empty_label=_("All key sectors"))
    scale = django_filters.ChoiceFilter(label=_("Scale"), choices=Scale.choices, empty_label=_("All scales"))
    ownership = django_filters.ChoiceFilter(
        label=_("Ownership"), choices=Ownership.choices, empty_label=_("All ownerships")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=EnterpriseStatus.choices, empty_label=_("All statuses")
    )
    grid = django_filters.NumberFilter(label=_("Grid"), method="filter_grid")
    licence = django_filters.ChoiceFilter(
        label=_("Licences"),
        choices=LICENCE_STATES,
        method="filter_licence",
        empty_label=_("Any licence state"),
    )
    standardization = django_filters.ChoiceFilter(
        label=_("Standardisation"),
        choices=STANDARDIZATION_CHOICES,
        method="filter_standardization",
        empty_label=_("Any grade"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("uscc", "uscc"),
            ("region", "region"),
            ("industry__code", "industry"),
            ("employee_count", "employees"),
            ("created_at", "created"),
            ("updated_at", "updated"),
        ),
    )

    placeholders = {"q": _("Name, code, address, principal")}

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Enterprise] | None = None,
        *,
        request: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, queryset, request=request, **kwargs)
        user = getattr(request, "user", None)
        # Choices are the user's own: nobody learns the names of regions or grids outside their scope.
        offer_scoped_choices(self.filters, user)
        self.filters["grid"].extra["widget"] = forms.Select(
            choices=LazyChoices(lambda: [("", _("All grids")), *grid_choices(user)])
        )
        self.filters["tag"].extra["choices"] = list(Tag.objects.values_list("code", "name"))

    def filter_text(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(name__icontains=term)
                | Q(uscc__icontains=term)
                | Q(address__icontains=term)
                | Q(principal_name__icontains=term)
            )
        return queryset

    def filter_region(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(in_region_q(value))

    def filter_industry(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(industry_q(value))

    def filter_tag(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        tagged = Enterprise.tags.through.objects.filter(enterprise_id=OuterRef("pk"), tag__code=value)
        return queryset.filter(Exists(tagged))

    def filter_grid(self, queryset: QuerySet[Enterprise], name: str, value: Any) -> QuerySet[Enterprise]:
        return queryset.filter(grid_id=value)

    def filter_licence(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(licence_state_q(value))

    def filter_standardization(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        return queryset.filter(standardization_grade="" if value == "none" else value)
