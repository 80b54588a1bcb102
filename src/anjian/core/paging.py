"""Paging for lists and API lists that stays cheap on a province's ledger: counting stops after ``COUNT_CAP`` rows.

Counting every open hazard of a province (165 k on dataset P) costs the database hundreds of milliseconds on each
page; the rows of the page, read in index order, cost a few. Nobody pages through ten thousand rows — they narrow
the filters — so the count says "more than 10,000" beyond that, and the pages run to the 10,000th row.

A page of a big ledger (a model with ``paged_by_ids = True``: the hazards) is read in two steps (``page_rows``):
first the ids of the page, in the list's order, then those rows with everything the list shows. Read in one step, a
county department's page of open hazards fetched the whole row of each of the ~2,300 open hazards of the province
the database walked in deadline order before it had twenty in the county (28 ms on P); the ids alone come off the
index (8 ms), and the twenty rows by primary key (1.5 ms). Small registers are read in one step: there the second
query would cost more than it saves.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from ninja import Schema
from ninja.pagination import PageNumberPagination

COUNT_CAP = 10_000


def _two_steps(queryset: QuerySet) -> bool:
    """Whether the page is read ids first: a big ledger's, one row per object, no grouping, no set operation."""
    query = queryset.query
    return getattr(queryset.model, "paged_by_ids", False) and not (
        query.is_sliced
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    )


def page_rows(queryset: Any, offset: int, limit: int) -> list[Any]:
    """The rows [offset, offset + limit) of ``queryset`` in its order: the ids first, then their rows (see above).
    A row that stopped matching between the two reads (closed a moment ago, say) is left out, as a later read
    would leave it out."""
    if limit <= 0:
        return []
    if not isinstance(queryset, QuerySet) or not _two_steps(queryset):
        return list(queryset[offset : offset + limit])
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
    if not ids:
        return []
    rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    return [rows[pk] for pk in ids if pk in rows]


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

    def page(self, number: Any) -> Any:
        """Django's ``Paginator.page``, with the rows read by ``page_rows``."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(page_rows(self.object_list, bottom, top - bottom), number, self)

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
        return {self.items_attribute: page_rows(queryset, offset, page_size), "count": count, "count_exact": exact}
