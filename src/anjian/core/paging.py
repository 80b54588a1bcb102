"""Paging for lists and API lists that stays cheap on a province's ledger: counting stops after ``COUNT_CAP`` rows.

Counting every open hazard of a province (165 k on dataset P) costs the database hundreds of milliseconds on each
page; the rows of the page, read in index order, cost a few. Nobody pages through ten thousand rows — they narrow
the filters — so the count says "more than 10,000" beyond that, and the pages run to the 10,000th row.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from ninja import Schema
from ninja.pagination import PageNumberPagination

COUNT_CAP = 10_000


def capped_count(queryset: Any) -> tuple[int, bool]:
    """(rows, exact): the number of rows up to ``COUNT_CAP``, and whether it is all of them."""
    if not isinstance(queryset, QuerySet):
        return len(queryset), True
    counted = queryset.order_by()[: COUNT_CAP + 1].count()  # COUNT over a LIMITed subquery: stops early
    return min(counted, COUNT_CAP), counted <= COUNT_CAP


class CappedPaginator(Paginator):
    """Django's paginator whose count stops at ``COUNT_CAP`` (``count_exact`` tells)."""

    @cached_property
    def _capped(self) -> tuple[int, bool]:
        return capped_count(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._capped[0]

    @property
    def count_exact(self) -> bool:
        return self._capped[1]

    @property
    def count_cap(self) -> int:
        return COUNT_CAP


class Pagination(PageNumberPagination):
    """``?page=&page_size=`` with ``count`` (at most 10,000) and ``count_exact`` (false: there are more rows)."""

    class Output(Schema):
        items: list[Any]
        count: int
        count_exact: bool

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, request: Any, **params: Any) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        count, exact = capped_count(queryset)
        return {self.items_attribute: queryset[offset : offset + page_size], "count": count, "count_exact": exact}
