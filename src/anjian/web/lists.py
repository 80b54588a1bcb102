"""The list-page pattern every app uses: scoped queryset → FilterSet → page of 20 → full page or htmx partial."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.core.paging import CappedPaginator

RESULTS_TARGET = "list-results"


def htmx_partial(request: HttpRequest) -> bool:
    """True when htmx asks only for the results block (filter changes, paging), not the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and htmx.target == RESULTS_TARGET and not htmx.boosted)


def list_response(
    request: HttpRequest,
    *,
    filterset: Any,
    template: str,
    partial: str,
    per_page: int = 20,
    context: dict[str, Any] | None = None,
    prepare: Callable[[list[Any]], Any] | None = None,
) -> HttpResponse:
    """``prepare`` receives the page's objects once fetched (to annotate them in one batch, say)."""
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = CappedPaginator(queryset, per_page).get_page(request.GET.get("page"))
    if prepare is not None:
        page.object_list = list(page.object_list)
        prepare(page.object_list)
    data = {
        "filter": filterset,
        "page": page,
        "object_list": page.object_list,
        "results_target": RESULTS_TARGET,
        "query": request.GET.urlencode(),
        **(context or {}),
    }
    return render(request, partial if htmx_partial(request) else template, data)
