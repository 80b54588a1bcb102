"""API: the region tree and grids in the caller's territory, and the catalogues."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from anjian.core.scoping import access
from anjian.enterprises.models import Industry, Tag
from anjian.regions.models import Grid, Region

router = Router(tags=["registry"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent_id


class GridOut(Schema):
    id: int
    code: str
    name: str
    region: str

    @staticmethod
    def resolve_region(obj: Grid) -> str:
        return obj.region_id


class IndustryOut(Schema):
    code: str
    name: str
    category: str | None
    high_risk: bool

    @staticmethod
    def resolve_category(obj: Industry) -> str | None:
        return obj.parent.code if obj.parent else None


class TagOut(Schema):
    code: str
    name: str


@router.get("/regions", response=list[RegionOut])
def list_regions(request: HttpRequest, parent: str | None = None) -> Any:
    """Regions in the caller's territory; with ``parent``, only that region's children."""
    regions = Region.objects.visible_to(request.user)
    if parent:
        access(Region, request.user, parent)
        regions = regions.filter(parent_id=parent)
    return regions.order_by("code")[:2000]


@router.get("/regions/{code}", response=RegionOut)
def get_region(request: HttpRequest, code: str) -> Any:
    return access(Region, request.user, code)


@router.get("/grids", response=list[GridOut])
def list_grids(request: HttpRequest) -> Any:
    return Grid.objects.visible_to(request.user).order_by("code")


@router.get("/industries", response=list[IndustryOut])
def list_industries(request: HttpRequest) -> Any:
    """The supervision industry catalogue (categories have no category)."""
    return Industry.objects.select_related("parent").order_by("sort_order", "code")  # scoped: a public catalogue


@router.get("/tags", response=list[TagOut])
def list_tags(request: HttpRequest) -> Any:
    return Tag.objects.order_by("sort_order", "code")  # scoped: a public catalogue
