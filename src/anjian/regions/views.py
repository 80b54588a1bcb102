"""The region tree and the grids, as far as the user's territory reaches."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from anjian.core.scoping import Scope, access
from anjian.enterprises.models import Enterprise
from anjian.orgs.models import Department, User
from anjian.orgs.predicates import is_government, is_system_admin
from anjian.regions.models import Grid, Region
from anjian.stats.registry import by_child_region


def _require_government(request: HttpRequest) -> None:
    if not (is_government(request.user) or is_system_admin(request.user)):
        raise Http404


@login_required
def region_root(request: HttpRequest) -> HttpResponse:
    """Start at the top of the user's territory."""
    _require_government(request)
    user: Any = request.user
    scope = Scope.for_user(user)
    regions = Region.objects.visible_to(user)
    if scope.grid_id:
        return redirect("regions:grid_detail", pk=scope.grid_id)
    top = regions.order_by("level", "code").first()
    if top is None:
        raise Http404
    return redirect("regions:detail", code=top.code)


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    _require_government(request)
    user: Any = request.user
    region = access(Region, user, code)
    enterprises = Enterprise.objects.visible_to(user)
    counts = by_child_region(enterprises, region)
    grids_in_scope = Grid.objects.visible_to(user)
    grid_counts = by_child_region(grids_in_scope, region)  # a town's grids lie in its villages: count the subtree
    children = list(region.children.order_by("code"))
    for child in children:
        child.enterprise_count = counts.get(child.code, 0)  # type: ignore[attr-defined]
        child.grid_count = grid_counts.get(child.code, 0)  # type: ignore[attr-defined]
    own = counts.get(region.code, 0)  # registered directly at this level (e.g. a town without village)
    grids = (
        grids_in_scope.filter(region__code__startswith=region.prefix)
        .select_related("region")
        .annotate(enterprise_count=Count("enterprises", distinct=True), staff_count=Count("staff", distinct=True))
        .order_by("code")
    )
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "ancestors": Region.objects.visible_to(user).filter(code__in=[r.code for r in region.ancestors()]),
            "children": children,
            "own_count": own,
            "total": enterprises.filter(region__code__startswith=region.prefix).count(),
            "grids": grids,
            "departments": Department.objects.visible_to(user).filter(region=region).order_by("sort_order"),
        },
    )


@login_required
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_government(request)
    user: Any = request.user
    grid = access(Grid.objects.select_related("region", "region__parent"), user, pk)
    return render(
        request,
        "regions/grid_detail.html",
        {
            "grid": grid,
            "staff": User.objects.filter(grid=grid, is_active=True).order_by("role", "name"),  # scoped: grid in scope
            "enterprises": Enterprise.objects.visible_to(user).filter(grid=grid).with_list_related().order_by("name"),
        },
    )
