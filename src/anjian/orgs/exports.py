"""The department list as an Excel export."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.core.exports import ExportSpec, register
from anjian.orgs.filtersets import DepartmentFilterSet
from anjian.orgs.models import Department
from anjian.utilities.xlsx import Column


def _remit(department: Department) -> str:
    if department.covers_all_industries:
        return str(_("All industries"))
    names = [i.name for i in department.industries.all()] + [f"#{t.name}" for t in department.tags.all()]
    return "、".join(names)


def _columns() -> list[Column]:
    return [
        Column(str(_("Department")), lambda d: d.name, 30),
        Column(str(_("Kind")), lambda d: d.get_kind_display(), 14),
        Column(str(_("Region")), lambda d: d.region.name, 14),
        Column(str(_("Remit")), _remit, 50),
        Column(str(_("Staff")), lambda d: d.staff_count, 8),
        Column(str(_("Duty phone")), lambda d: d.phone, 16),
    ]


def department_list_queryset(user: Any) -> QuerySet[Department]:
    """Departments in the user's territory with what the list page and the export show."""
    return (
        Department.objects.visible_to(user)
        .select_related("region")
        .prefetch_related("industries", "tags")
        .annotate(staff_count=Count("staff", distinct=True))
        .order_by("region_id", "sort_order", "name")
    )


register(
    ExportSpec(
        name="departments",
        title=_("Departments"),
        filterset_class=DepartmentFilterSet,
        columns=_columns,
        queryset=department_list_queryset,
        permission="orgs.view_department",
    )
)
