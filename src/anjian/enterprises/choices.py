"""Enterprise classes, statuses and licence kinds, with their transition tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Scale(models.TextChoices):
    ABOVE_QUOTA = "above_quota", _("Above designated size")
    BELOW_QUOTA = "below_quota", _("Below designated size")
    MICRO = "micro", _("Small and micro")


class Ownership(models.TextChoices):
    STATE = "state", _("State-owned")
    COLLECTIVE = "collective", _("Collective")
    PRIVATE = "private", _("Private")
    FOREIGN = "foreign", _("Foreign-invested")
    HMT = "hmt", _("Hong Kong, Macao or Taiwan invested")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    INDIVIDUAL = "individual", _("Individual business")
    OTHER = "other", _("Other")


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended for rectification")
    CLOSED = "closed", _("Closed")


ENTERPRISE_STATUS_COLOURS = {
    EnterpriseStatus.OPERATING: "success",
    EnterpriseStatus.SUSPENDED: "warning",
    EnterpriseStatus.CLOSED: "secondary",
}


class EnterpriseAction(models.TextChoices):
    SUSPEND = "suspend", _("Order suspension")
    RESUME = "resume", _("Allow resumption")
    CLOSE = "close", _("Close down")


# action → (statuses it may start from, status it leads to). The actions in actions.py check this table.
ENTERPRISE_TRANSITIONS: dict[EnterpriseAction, tuple[frozenset[EnterpriseStatus], EnterpriseStatus]] = {
    EnterpriseAction.SUSPEND: (frozenset({EnterpriseStatus.OPERATING}), EnterpriseStatus.SUSPENDED),
    EnterpriseAction.RESUME: (frozenset({EnterpriseStatus.SUSPENDED}), EnterpriseStatus.OPERATING),
    EnterpriseAction.CLOSE: (
        frozenset({EnterpriseStatus.OPERATING, EnterpriseStatus.SUSPENDED}),
        EnterpriseStatus.CLOSED,
    ),
}


class StandardizationGrade(models.TextChoices):
    NONE = "", _("Not graded")
    GRADE_1 = "grade_1", _("Grade 1")
    GRADE_2 = "grade_2", _("Grade 2")
    GRADE_3 = "grade_3", _("Grade 3")
    SMALL_MICRO = "small_micro", _("Small and micro compliant")


class MajorHazardSourceGrade(models.TextChoices):
    NONE = "", _("None")
    GRADE_1 = "1", _("Grade 1 major hazard installation")
    GRADE_2 = "2", _("Grade 2 major hazard installation")
    GRADE_3 = "3", _("Grade 3 major hazard installation")
    GRADE_4 = "4", _("Grade 4 major hazard installation")


class SupervisionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")


class LicenceKind(models.TextChoices):
    SAFETY_PRODUCTION = "safety_production", _("Safety production licence")
    HAZCHEM_OPERATION = "hazchem_operation", _("Hazardous chemicals operation licence")
    HAZCHEM_USE = "hazchem_use", _("Hazardous chemicals use licence")
    FIREWORKS_WHOLESALE = "fireworks_wholesale", _("Fireworks wholesale licence")
    FIREWORKS_RETAIL = "fireworks_retail", _("Fireworks retail licence")
    CONSTRUCTION_SAFETY = "construction_safety", _("Construction enterprise safety production licence")
    GAS_OPERATION = "gas_operation", _("Gas operation licence")
    REFINED_OIL_RETAIL = "refined_oil_retail", _("Refined oil retail licence")
    ROAD_TRANSPORT = "road_transport", _("Road transport operation licence")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment licence")
    FIRE_SAFETY = "fire_safety", _("Fire safety inspection approval")
    SCHOOL_RUNNING = "school_running", _("School running licence")
    FOOD_BUSINESS = "food_business", _("Food business licence")
    OTHER = "other", _("Other licence")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Temporarily withheld")
    REVOKED = "revoked", _("Revoked")
    CANCELLED = "cancelled", _("Cancelled")


class LicenceAction(models.TextChoices):
    WITHHOLD = "withhold", _("Withhold temporarily")
    RETURN = "return", pgettext_lazy("licence action", "Return")
    REVOKE = "revoke", _("Revoke")
    CANCEL = "cancel", pgettext_lazy("licence action", "Cancel")


LICENCE_TRANSITIONS: dict[LicenceAction, tuple[frozenset[LicenceStatus], LicenceStatus]] = {
    LicenceAction.WITHHOLD: (frozenset({LicenceStatus.VALID}), LicenceStatus.SUSPENDED),
    LicenceAction.RETURN: (frozenset({LicenceStatus.SUSPENDED}), LicenceStatus.VALID),
    LicenceAction.REVOKE: (frozenset({LicenceStatus.VALID, LicenceStatus.SUSPENDED}), LicenceStatus.REVOKED),
    LicenceAction.CANCEL: (
        frozenset({LicenceStatus.VALID, LicenceStatus.SUSPENDED}),
        LicenceStatus.CANCELLED,
    ),
}


class Validity(models.TextChoices):
    """Derived from dates and status, never stored: what a reader needs to know about a licence or grade now."""

    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    INACTIVE = "inactive", _("Not in force")


VALIDITY_COLOURS = {
    Validity.VALID: "success",
    Validity.EXPIRING: "warning",
    Validity.EXPIRED: "danger",
    Validity.INACTIVE: "secondary",
}

EXPIRY_WARNING_DAYS = 90
