"""Row-level scoping: what a user may see, as a ``Scope``, applied by every domain model's default manager.

A department user sees its region's subtree AND its department's industry remit (the 安委办 and town
governments see every industry); a grid worker sees the enterprises of the grid; an enterprise user sees its own
enterprise; the system administrator sees everything. ``access(queryset, user, pk)`` answers 404 for an object
that is missing and for one that is out of scope alike, so nobody learns that an object exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from anjian.orgs.models import User

M = TypeVar("M", bound=models.Model)

_CACHE_ATTR = "_anjian_scope"


@dataclass(frozen=True)
class Scope:
    """What one user may see. Exactly one of the shapes below applies."""

    everything: bool = False
    region_prefix: str | None = None  # regions whose code starts with this (a subtree)
    industry_ids: frozenset[int] | None = None  # None: every industry
    tag_ids: frozenset[int] = frozenset()  # enterprises carrying these tags are in remit too
    grid_id: int | None = None
    enterprise_id: int | None = None
    reporter_id: int | None = None  # an enterprise worker: of the enterprise's records, only what they reported

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.region_prefix or self.grid_id or self.enterprise_id)

    def within(self, prefix: str) -> bool:
        """Whether ``visible_to`` already limits rows to the region of ``prefix`` by the region condition itself.
        Filters that narrow to a region leave theirs out then: the same LIKE twice makes PostgreSQL expect a
        handful of enterprises where there are a thousand, and pick a nested loop (a county dashboard: 0.6 s)."""
        if self.everything or self.enterprise_id or self.grid_id or not self.region_prefix:
            return False
        return self.region_prefix.startswith(prefix)

    @property
    def territory(self) -> str | None:
        """The region prefix of a scope that sees every record of every enterprise in a region subtree (a 安委办, a
        town government), else None: a department's remit narrows by industry too, a grid, an enterprise or a worker
        see less, and "everything" has no region to test."""
        if self.everything or self.grid_id or self.enterprise_id or self.reporter_id or self.industry_ids is not None:
            return None
        return self.region_prefix or None

    @classmethod
    def of_department(cls, department: Any) -> Scope:
        """What a department supervises: its territory and industry remit (a 安委办: every industry)."""
        industry_ids, tag_ids = department.remit()
        return cls(region_prefix=department.region.prefix, industry_ids=industry_ids, tag_ids=tag_ids)

    @classmethod
    def for_user(cls, user: Any) -> Scope:
        """The scope of ``user``, computed once per user object (i.e. once per request)."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return NOTHING
        cached = getattr(user, _CACHE_ATTR, None)
        if cached is None:
            cached = _compute(user)
            setattr(user, _CACHE_ATTR, cached)
        return cached


NOTHING = Scope()


def _compute(user: User) -> Scope:
    from anjian.orgs.choices import UserKind, UserRole

    if user.kind == UserKind.ADMIN:
        return Scope(everything=True) if user.role == UserRole.SYSTEM_ADMIN else NOTHING
    if user.kind == UserKind.DEPARTMENT and user.department_id:
        department = user.department
        return NOTHING if department is None else Scope.of_department(department)
    if user.kind == UserKind.GRID and user.grid_id:
        grid = user.grid
        if grid is None:
            return NOTHING
        return Scope(grid_id=grid.pk, region_prefix=grid.region.prefix)
    if user.kind == UserKind.ENTERPRISE and user.enterprise_id:
        worker = user.role == UserRole.WORKER
        return Scope(enterprise_id=user.enterprise_id, reporter_id=user.pk if worker else None)
    return NOTHING


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after the user's membership changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def enterprise_q(scope: Scope, path: str = "") -> Q:
    """The condition "the enterprise at ``path`` is visible" for a model linked to an enterprise.

    ``path`` is the lookup from the model to its enterprise ("" for Enterprise itself, "enterprise" for a
    hazard). Models of later domains build their ``scope_q`` from this, so scoping stays in one place.
    """
    from anjian.enterprises.models import Enterprise

    prefix = f"{path}__" if path else ""
    pk = f"{path}_id" if path else "pk"
    if scope.everything:
        return Q()
    if scope.enterprise_id:
        return Q(**{pk: scope.enterprise_id})
    if scope.grid_id:
        return Q(**{f"{prefix}grid_id": scope.grid_id})
    if scope.region_prefix:
        condition = Q(**{f"{prefix}region__code__startswith": scope.region_prefix})
        if scope.industry_ids is not None:
            remit = Q(**{f"{prefix}industry_id__in": sorted(scope.industry_ids)})
            if scope.tag_ids:
                tagged = Enterprise.tags.through.objects.filter(tag_id__in=sorted(scope.tag_ids)).values(
                    "enterprise_id"
                )
                remit |= Q(**{f"{pk}__in": tagged})
            condition &= remit
        return condition
    return Q(pk__in=[])


def in_region_q(user: Any, region: Any, path: str = "") -> Q:
    """Enterprises (at ``path``; "" for Enterprise itself) in ``region`` (None: anywhere), for rows already limited
    to what ``user`` may see: empty when the scope's own region condition implies it (see ``Scope.within``)."""
    if region is None or Scope.for_user(user).within(region.prefix):
        return Q()
    return Q(**{f"{path}__region__code__startswith" if path else "region__code__startswith": region.prefix})


def reported_q(scope: Scope, field: str) -> Q:
    """For records people report (hazards): an enterprise worker sees only their own; everyone else, all in scope."""
    return Q(**{f"{field}_id": scope.reporter_id}) if scope.reporter_id else Q()


def region_q(scope: Scope, field: str = "region") -> Q:
    """The condition "the region at ``field`` lies in the user's territory" (for regions, grids, departments)."""
    if scope.everything:
        return Q()
    if scope.region_prefix:
        return Q(**{f"{field}__code__startswith": scope.region_prefix})
    return Q(pk__in=[])


class ScopedQuerySet(models.QuerySet[M], Generic[M]):
    """A queryset that knows how to narrow itself to what a user may see (the model's ``scope_q``)."""

    def visible_to(self, user: Any) -> Self:
        scope = Scope.for_user(user)
        if scope.everything:
            return self.all()
        if scope.nothing:
            return self.none()
        scope_q = self.model.scope_q  # type: ignore[attr-defined]
        return self.filter(scope_q(scope))


def access(queryset: models.QuerySet[M] | type[M], user: Any, pk: Any, *, field: str = "pk") -> M:
    """The object ``pk`` if ``user`` may see it; 404 for missing and forbidden alike."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    visible = qs.visible_to(user)  # type: ignore[attr-defined]
    try:
        obj = visible.get(**{field: pk})
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    setattr(obj, _READ_BY, getattr(user, "pk", None))
    return obj


_READ_BY = "_anjian_read_by"  # set by ``access`` on what it returns: the user whose scope it was read through


def read_through_scope(obj: Any, user: Any) -> bool:
    """Whether ``obj`` was read by ``access`` through ``user``'s scope, so that ``visible_to(user)`` holds it without
    asking again (a rule that would re-check visibility for the object in hand skips the query)."""
    pk = getattr(user, "pk", None)
    return pk is not None and getattr(obj, _READ_BY, None) == pk
