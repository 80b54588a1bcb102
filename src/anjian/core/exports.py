"""Excel export of any list: each app registers its lists (FilterSet, scoped queryset, columns); one view and
one background job serve them all. Small exports download at once; big ones run in the worker with progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import IO, Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from anjian.core.exceptions import InvalidInput
from anjian.utilities.xlsx import Column, write_sheets, write_workbook


@dataclass(frozen=True)
class ExportSpec:
    name: str
    title: str | Promise
    filterset_class: Any
    columns: Callable[[], Sequence[Column]]
    queryset: Callable[[Any], QuerySet[Any]]  # the user's scoped queryset, with what the columns need joined
    permission: str
    # Several sheets over the same rows (e.g. the 三清单): (sheet title, columns); ``columns`` is then unused.
    sheets: Callable[[], Sequence[tuple[str, Sequence[Column]]]] | None = None

    def filename(self) -> str:
        return f"{self.title}-{timezone.localdate():%Y%m%d}.xlsx"


REGISTRY: dict[str, ExportSpec] = {}


def register(spec: ExportSpec) -> ExportSpec:
    REGISTRY[spec.name] = spec
    return spec


def filtered(spec: ExportSpec, user: Any, params: QueryDict) -> QuerySet[Any]:
    """The rows the user would see on the list page with these filters (never more)."""
    filterset = spec.filterset_class(params, queryset=spec.queryset(user), request=SimpleNamespace(user=user))
    if not filterset.is_valid():
        raise InvalidInput(_("The filters are not valid."), field_errors=dict(filterset.errors))
    return filterset.qs


def write(
    spec: ExportSpec,
    queryset: QuerySet[Any],
    target: str | IO[bytes],
    progress: Callable[[int], None] | None = None,
) -> int:
    if spec.sheets is not None:
        return write_sheets(target, sheets=spec.sheets(), objects=queryset.iterator(chunk_size=2000), progress=progress)
    return write_workbook(
        target,
        title=str(spec.title),
        columns=spec.columns(),
        objects=queryset.iterator(chunk_size=2000),
        progress=progress,
    )
