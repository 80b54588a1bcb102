"""Departments with their industry remit, safety committees, users with their membership and role, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.scoping import Scope, ScopedQuerySet, region_q
from anjian.enterprises.models import Enterprise, Industry, Tag
from anjian.orgs.choices import ALL_INDUSTRY_KINDS, ROLES_BY_KIND, DepartmentKind, UserKind, UserRole
from anjian.regions.models import Grid, Region


class Department(models.Model):
    """A government body with safety duties in a region: the 安委办, a town government, or a supervising
    department whose remit is a set of industries (管行业必须管安全) and, for cross-cutting duties, tags."""

    name = models.CharField(_("name"), max_length=64)
    short_name = models.CharField(_("short name"), max_length=16, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments")
    industries = models.ManyToManyField(
        Industry, verbose_name=_("industries supervised"), blank=True, related_name="departments"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("key sectors supervised"), blank=True, related_name="departments")
    phone = models.CharField(_("duty phone"), max_length=20, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["region", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="department_region_name_unique")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return region_q(scope)

    @property
    def covers_all_industries(self) -> bool:
        return self.kind in ALL_INDUSTRY_KINDS

    def remit(self) -> tuple[frozenset[int] | None, frozenset[int]]:
        """The industries this department supervises (a category means all its industries; None: every one) and
        the tags of its cross-cutting duties, read in one query."""
        if self.covers_all_industries:
            return None, frozenset()
        chosen = Department.industries.through.objects.filter(department_id=self.pk).values("industry_id")
        industries = (
            Industry.objects.order_by()
            .filter(Q(pk__in=chosen) | Q(parent_id__in=chosen))
            .values_list(Value(_INDUSTRY), "pk")
        )
        tags = (
            Department.tags.through.objects.order_by().filter(department_id=self.pk).values_list(Value(_TAG), "tag_id")
        )
        rows = list(industries.union(tags, all=True))
        return (
            frozenset(pk for kind, pk in rows if kind == _INDUSTRY),
            frozenset(pk for kind, pk in rows if kind == _TAG),
        )


_INDUSTRY, _TAG = 1, 2  # the kinds of rows of ``Department.remit``'s one query


class SafetyCommittee(models.Model):
    """The safety committee (安委会) of a region: its standing office and its member departments."""

    region = models.OneToOneField(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=64)
    office = models.ForeignKey(
        Department, verbose_name=_("committee office"), on_delete=models.PROTECT, related_name="offices"
    )
    members = models.ManyToManyField(Department, verbose_name=_("member departments"), related_name="committees")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety committee")
        verbose_name_plural = _("safety committees")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return region_q(scope)


class AnjianUserManager(UserManager["User"]):
    def create_superuser(self, username: str, email: str | None = None, password: str | None = None, **extra: Any):
        extra.setdefault("kind", UserKind.ADMIN)
        extra.setdefault("role", UserRole.SYSTEM_ADMIN)
        return super().create_superuser(username, email, password, **extra)


class UserQuerySet(ScopedQuerySet["User"]):
    pass


class ScopedUserManager(AnjianUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """The user manager, with ``visible_to`` like every domain model."""

    use_in_migrations = True


class User(AbstractUser):
    """A person who signs in: a member of a department, a grid or an enterprise, or an administrator."""

    name = models.CharField(_("full name"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    kind = models.CharField(_("membership"), max_length=16, choices=UserKind.choices, default=UserKind.ADMIN)
    role = models.CharField(_("role"), max_length=20, choices=UserRole.choices, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    enforcement_certificate_no = models.CharField(_("law-enforcement certificate number"), max_length=32, blank=True)

    objects = ScopedUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_membership_matches_kind",
                condition=(
                    Q(
                        kind=UserKind.ADMIN,
                        department__isnull=True,
                        grid__isnull=True,
                        enterprise__isnull=True,
                    )
                    | Q(
                        kind=UserKind.DEPARTMENT,
                        department__isnull=False,
                        grid__isnull=True,
                        enterprise__isnull=True,
                    )
                    | Q(
                        kind=UserKind.GRID,
                        department__isnull=True,
                        grid__isnull=False,
                        enterprise__isnull=True,
                    )
                    | Q(
                        kind=UserKind.ENTERPRISE,
                        department__isnull=True,
                        grid__isnull=True,
                        enterprise__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        # Colleagues: department users see the staff of departments and grids in their territory.
        if scope.region_prefix and not scope.grid_id:
            return Q(department__region__code__startswith=scope.region_prefix) | Q(
                grid__region__code__startswith=scope.region_prefix
            )
        return Q(pk__in=[])

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def organisation(self) -> Department | Grid | Enterprise | None:
        return self.department or self.grid or self.enterprise

    @property
    def is_government(self) -> bool:
        return self.kind in (UserKind.DEPARTMENT, UserKind.GRID)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.role and self.role not in ROLES_BY_KIND[UserKind(self.kind)]:
            errors["role"] = _("This role does not exist for this membership.")
        needed = {UserKind.DEPARTMENT: "department", UserKind.GRID: "grid", UserKind.ENTERPRISE: "enterprise"}
        for kind, field in needed.items():
            present = getattr(self, f"{field}_id") is not None
            if self.kind == kind and not present:
                errors[field] = _("Choose the %(field)s this user belongs to.") % {"field": LABELS[field]}
            if self.kind != kind and present:
                errors[field] = _("Only a member of a %(field)s has one.") % {"field": LABELS[field]}
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only system administrators enter the administration site; the role, not a flag, decides.
        self.is_staff = self.kind == UserKind.ADMIN and self.role in (
            UserRole.SYSTEM_ADMIN,
            UserRole.SECURITY_ADMIN,
        )
        self.is_superuser = self.kind == UserKind.ADMIN and self.role == UserRole.SYSTEM_ADMIN
        super().save(*args, **kwargs)


LABELS = {"department": _("department"), "grid": _("grid"), "enterprise": _("enterprise")}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for programs (``POST /api/v1/auth/token``); only its hash is stored."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @staticmethod
    def new_raw() -> str:
        return "ajt_" + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.user.is_active
