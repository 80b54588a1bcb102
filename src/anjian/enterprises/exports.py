"""The enterprise list as an Excel export (same columns as the import template)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.core.exports import ExportSpec, register
from anjian.enterprises.filtersets import EnterpriseFilterSet
from anjian.enterprises.models import Enterprise
from anjian.enterprises.spreadsheet import export_columns


def _queryset(user: Any) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.visible_to(user)
        .with_list_related()
        .select_related("region__parent")
        .prefetch_related("tags")
    )


ENTERPRISE_EXPORT = register(
    ExportSpec(
        name="enterprises",
        title=_("Enterprise register"),
        filterset_class=EnterpriseFilterSet,
        columns=export_columns,
        queryset=_queryset,
        permission="enterprises.export_enterprise",
    )
)
