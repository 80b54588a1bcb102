"""The enterprise registry: industries (安全监管行业分类), key-sector tags, enterprises and their licences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.models import TimeStampedModel
from anjian.core.scoping import Scope, ScopedQuerySet, enterprise_q
from anjian.enterprises import uscc
from anjian.enterprises.choices import (
    ENTERPRISE_STATUS_COLOURS,
    EXPIRY_WARNING_DAYS,
    VALIDITY_COLOURS,
    EnterpriseStatus,
    LicenceKind,
    LicenceStatus,
    MajorHazardSourceGrade,
    Ownership,
    Scale,
    StandardizationGrade,
    SupervisionLevel,
    Validity,
)
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Grid, Region


class Industry(models.Model):
    """An industry of the supervision catalogue; categories (no parent) group the industries enterprises carry."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    high_risk = models.BooleanField(_("high-risk industry"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_category(self) -> bool:
        return self.parent_id is None

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError({"parent": _("The catalogue has two levels: categories and industries.")})


class Tag(models.Model):
    """A key-sector tag (重点行业领域 / 专项标签), e.g. 涉粉尘爆炸, 有限空间, 人员密集场所."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("key-sector tag")
        verbose_name_plural = _("key-sector tags")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


def validity(valid_until: dt.date | None, today: dt.date | None = None, *, in_force: bool = True) -> Validity:
    if not in_force:
        return Validity.INACTIVE
    if valid_until is None:
        return Validity.VALID
    today = today or timezone.localdate()
    if valid_until < today:
        return Validity.EXPIRED
    if valid_until <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return Validity.EXPIRING
    return Validity.VALID


def validate_uscc(value: str) -> None:
    try:
        uscc.validate(value)
    except uscc.USCCError as error:
        raise ValidationError(uscc_message(error), code=f"uscc_{error.reason}") from None


def uscc_message(error: uscc.USCCError) -> str:
    messages = {
        "length": _("A unified social credit code has exactly 18 characters."),
        "character": _(
            "Character %(position)s is not allowed: the code uses digits and capital letters except I, O, Z, S, V."
        ),
        "authority": _("The first character (registration authority) is not a known authority code."),
        "type": _("The second character (entity type) does not exist for this registration authority."),
        "division": _("Characters 3–8 must be the 6-digit administrative division code."),
        "org_check": _("Character 17 (the organisation code check character) is wrong: please check the code."),
        "check": _("The last character (check character) is wrong: please check the code for a typo."),
    }
    return str(messages[error.reason]) % {"position": error.position}


class EnterpriseQuerySet(ScopedQuerySet["Enterprise"]):
    def with_list_related(self) -> EnterpriseQuerySet:
        return self.select_related("industry", "industry__parent", "region", "grid")


class Enterprise(TimeStampedModel):
    """A production or business unit under supervision (生产经营单位), keyed by its unified social credit code."""

    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        error_messages={"unique": _("An enterprise with this unified social credit code is already registered.")},
    )
    name = models.CharField(_("name"), max_length=100, db_index=True)
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="enterprises"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("key-sector tags"), blank=True, related_name="enterprises")
    scale = models.CharField(_("scale"), max_length=16, choices=Scale.choices)
    ownership = models.CharField(_("ownership"), max_length=24, choices=Ownership.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )
    region = models.ForeignKey(Region, verbose_name=_("town / village"), on_delete=models.PROTECT)
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    address = models.CharField(_("address"), max_length=200)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=32, blank=True)
    principal_name = models.CharField(_("principal"), max_length=32)
    principal_phone = models.CharField(_("principal's phone"), max_length=20, blank=True)
    safety_officer_name = models.CharField(_("safety officer"), max_length=32, blank=True)
    safety_officer_phone = models.CharField(_("safety officer's phone"), max_length=20, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    standardization_grade = models.CharField(
        _("standardisation grade"), max_length=16, choices=StandardizationGrade.choices, blank=True
    )
    standardization_valid_until = models.DateField(_("standardisation valid until"), null=True, blank=True)
    has_liability_insurance = models.BooleanField(_("work-safety liability insurance"), default=False)
    liability_insurance_valid_until = models.DateField(_("insurance valid until"), null=True, blank=True)
    major_hazard_source_grade = models.CharField(
        _("major hazard installation"), max_length=2, choices=MajorHazardSourceGrade.choices, blank=True
    )
    supervision_level = models.CharField(
        _("supervision level"),
        max_length=16,
        choices=SupervisionLevel.choices,
        default=SupervisionLevel.COUNTY,
    )

    objects = EnterpriseQuerySet.as_manager()
    _placement: tuple[str | None, int | None]  # region and industry as loaded (the rollups follow a move)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["region", "status"], name="enterprise_region_status_idx"),
            models.Index(fields=["industry", "region"], name="enterprise_industry_region_idx"),
            # a region's enterprises by code prefix (LIKE '36%'), read off the index alone: every figure joins
            # its records to their enterprises for the reader's territory (a province's: 100 k ids to hash), and
            # counts the region's enterprises by status (the enterprises in scope: a county's ~1 k entries, not a
            # scan of the (region, status) index, whose collation LIKE cannot use as a range)
            models.Index(
                fields=["region"],
                opclasses=["varchar_pattern_ops"],
                include=["id", "status"],
                name="enterprise_region_prefix_idx",
            ),
        ]
        permissions = [
            ("change_enterprise_status", _("Can suspend, resume or close an enterprise")),
            ("import_enterprise", _("Can import enterprises from Excel")),
        ]

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Enterprise:
        instance = super().from_db(db, field_names, values)
        instance._placement = (instance.__dict__.get("region_id"), instance.__dict__.get("industry_id"))
        return instance

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves; a change of region or industry moves the enterprise's hazards in the statistics rollups, and a new
        enterprise or a change of county or status moves it between the counts of enterprises."""
        from anjian.stats import enterprise_tally, tally

        before = getattr(self, "_placement", (None, None))
        registered: tuple[str, str] | None = None
        fields = kwargs.get("update_fields")
        counted = fields is None or bool({"region", "region_id", "status"} & set(fields))
        with transaction.atomic():
            if not self._state.adding and counted:  # as stored (an instance may be older than the row), locked
                stored = type(self).objects.select_for_update().filter(pk=self.pk).values_list("region_id", "status")
                registered = stored.first()
            super().save(*args, **kwargs)
            after = (self.region_id, self.industry_id)
            if before[0] is not None and before != after:
                tally.enterprise_moved(self.pk, (before[0], before[1]), after)
            if counted:
                enterprise_tally.record_change(registered, (self.region_id, self.status))
            self._placement = after

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return enterprise_q(scope)

    @property
    def status_colour(self) -> str:
        return ENTERPRISE_STATUS_COLOURS[EnterpriseStatus(self.status)]

    @property
    def town_code(self) -> str:
        return self.region_id[:9].ljust(12, "0")

    @property
    def standardization_validity(self) -> Validity | None:
        if not self.standardization_grade:
            return None
        return validity(self.standardization_valid_until)

    @property
    def insurance_validity(self) -> Validity | None:
        if not self.has_liability_insurance:
            return None
        return validity(self.liability_insurance_valid_until)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.uscc:
            self.uscc = uscc.normalise(self.uscc)
        if self.region_id and self.region.level not in (RegionLevel.TOWN, RegionLevel.VILLAGE):
            errors["region"] = _("Choose the town/street or village/community the enterprise lies in.")
        if self.industry_id and self.industry.is_category:
            errors["industry"] = _("Choose an industry, not a category.")
        if self.grid is not None and self.region_id and self.grid.region_id[:9] != self.region_id[:9]:
            errors["grid"] = _("The grid belongs to another town.")
        if self.standardization_grade and not self.standardization_valid_until:
            errors["standardization_valid_until"] = _(
                "A standardisation grade is valid for three years: give the date."
            )
        if (self.longitude is None) != (self.latitude is None):
            errors["latitude"] = _("Give both longitude and latitude, or neither.")
        if self.longitude is not None and not (73 <= self.longitude <= 136):
            errors["longitude"] = _("The longitude lies outside China (73–136).")
        if self.latitude is not None and not (3 <= self.latitude <= 54):
            errors["latitude"] = _("The latitude lies outside China (3–54).")
        if self.established_on and self.established_on > timezone.localdate():
            errors["established_on"] = _("The date of establishment cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class Licence(TimeStampedModel):
    """A licence or permit an enterprise holds (安全生产许可证, 危化品经营许可证 …), with its validity."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="licences"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=LicenceKind.choices)
    number = models.CharField(_("licence number"), max_length=64)
    issued_by = models.CharField(_("issued by"), max_length=64, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    scope_note = models.CharField(_("licensed scope"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["enterprise", "kind", "-valid_until"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="licence_kind_number_unique"),
        ]
        indexes = [models.Index(fields=["valid_until"], name="licence_valid_until_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return enterprise_q(scope, "enterprise")

    @property
    def validity(self) -> Validity:
        return validity(self.valid_until, in_force=self.status == LicenceStatus.VALID)

    @property
    def validity_colour(self) -> str:
        return VALIDITY_COLOURS[self.validity]

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end of validity comes before its start.")})
