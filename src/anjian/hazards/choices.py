"""Hazard levels, sources, classifications and statuses, with the rectification workflow's transition table.

National codes are those of the 危化 双重预防 digital interface (dangerLevel, dangerSrc, dangerManageType,
managementClassification, dangerState): they are what an export to that interface writes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("General hazard")
    MAJOR = "major", _("Major hazard")


LEVEL_NATIONAL_CODE = {HazardLevel.GENERAL: 0, HazardLevel.MAJOR: 1}
LEVEL_COLOURS = {HazardLevel.GENERAL: "warning", HazardLevel.MAJOR: "danger"}


class HazardSource(models.TextChoices):
    """How the hazard was found: the interface's dangerSrc 1–10 (enterprise investigation), then government ones."""

    DAILY = "daily", _("Routine investigation")
    COMPREHENSIVE = "comprehensive", _("Comprehensive investigation")
    SPECIALISED = "specialised", _("Specialised investigation")
    SEASONAL = "seasonal", _("Seasonal investigation")
    HOLIDAY = "holiday", _("Key-period and pre-holiday investigation")
    ACCIDENT_ANALOGY = "accident_analogy", _("Investigation after a similar accident")
    PRE_RESUMPTION = "pre_resumption", _("Pre-resumption investigation")
    EXPERT = "expert", _("Investigation by hired experts")
    CONTROL_FAILURE = "control_failure", _("Control measure failed")
    OTHER = "other", _("Other")
    GOVERNMENT_INSPECTION = "government_inspection", _("Government inspection")
    JOINT_INSPECTION = "joint_inspection", _("Joint inspection")
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    TIP_OFF = "tip_off", _("Tip-off")
    EXPERT_DIAGNOSIS = "expert_diagnosis", _("Expert diagnosis commissioned by the government")


SOURCE_NATIONAL_CODE: dict[HazardSource, int] = {
    HazardSource.DAILY: 1,
    HazardSource.COMPREHENSIVE: 2,
    HazardSource.SPECIALISED: 3,
    HazardSource.SEASONAL: 4,
    HazardSource.HOLIDAY: 5,
    HazardSource.ACCIDENT_ANALOGY: 6,
    HazardSource.PRE_RESUMPTION: 7,
    HazardSource.EXPERT: 8,
    HazardSource.CONTROL_FAILURE: 9,
    HazardSource.OTHER: 10,
}
# Sources an enterprise reports itself (自查自报); the others come from outside the enterprise.
SELF_SOURCES = frozenset(SOURCE_NATIONAL_CODE)
GOVERNMENT_SOURCES = frozenset(
    {HazardSource.GOVERNMENT_INSPECTION, HazardSource.JOINT_INSPECTION, HazardSource.EXPERT_DIAGNOSIS}
)


class ManagementClass(models.TextChoices):
    """管理分类: which of the three kinds of defect (16号令 Art.3)."""

    PERSON = "person", _("Unsafe act of a person")
    THING = "thing", _("Unsafe state of a thing")
    MANAGEMENT = "management", _("Management defect")


MANAGEMENT_NATIONAL_CODE = {ManagementClass.PERSON: 1, ManagementClass.THING: 2, ManagementClass.MANAGEMENT: 3}


class RectificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Rectified on the spot")
    DEADLINE = "deadline", _("Rectification by a deadline")


MODE_NATIONAL_CODE = {RectificationMode.IMMEDIATE: 0, RectificationMode.DEADLINE: 1}


class HazardStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    RECTIFYING = "rectifying", _("Rectifying")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    CLOSED = "closed", pgettext_lazy("hazard status", "Closed")
    VOIDED = "voided", _("Voided")


OPEN_STATUSES = frozenset({HazardStatus.REGISTERED, HazardStatus.RECTIFYING, HazardStatus.AWAITING_ACCEPTANCE})
STATUS_NATIONAL_CODE = {HazardStatus.RECTIFYING: 0, HazardStatus.AWAITING_ACCEPTANCE: 1, HazardStatus.CLOSED: 9}
STATUS_COLOURS = {
    HazardStatus.REGISTERED: "secondary",
    HazardStatus.RECTIFYING: "primary",
    HazardStatus.AWAITING_ACCEPTANCE: "info",
    HazardStatus.CLOSED: "success",
    HazardStatus.VOIDED: "light",
}


class HazardAction(models.TextChoices):
    START = "start", _("Start rectification")
    SUBMIT = "submit", _("Submit for acceptance")
    ACCEPT = "accept", _("Accept and close")
    REJECT = "reject", _("Reject the rectification")
    REQUEST_EXTENSION = "request_extension", _("Request an extension")
    APPROVE_EXTENSION = "approve_extension", _("Approve the extension")
    DENY_EXTENSION = "deny_extension", _("Deny the extension")
    VOID = "void", _("Void (not a hazard)")
    # Not in the table: rows of the timeline that do not move the status.
    REGISTER = "register", _("Register")
    REPORT = "report", _("Report the major hazard")
    PLAN = "plan", _("Prepare the governance plan")
    LIST = "list", _("List for supervision")
    APPLY_RESUMPTION = "apply_resumption", _("Apply for resumption")


_OPEN = frozenset({HazardStatus.REGISTERED, HazardStatus.RECTIFYING, HazardStatus.AWAITING_ACCEPTANCE})
_BEFORE_SUBMISSION = frozenset({HazardStatus.REGISTERED, HazardStatus.RECTIFYING})

# action → (statuses it may start from, status it leads to; None: the status stays)
HAZARD_TRANSITIONS: dict[HazardAction, tuple[frozenset[HazardStatus], HazardStatus | None]] = {
    HazardAction.START: (frozenset({HazardStatus.REGISTERED}), HazardStatus.RECTIFYING),
    HazardAction.SUBMIT: (frozenset({HazardStatus.RECTIFYING}), HazardStatus.AWAITING_ACCEPTANCE),
    HazardAction.ACCEPT: (frozenset({HazardStatus.AWAITING_ACCEPTANCE}), HazardStatus.CLOSED),
    HazardAction.REJECT: (frozenset({HazardStatus.AWAITING_ACCEPTANCE}), HazardStatus.RECTIFYING),
    HazardAction.REQUEST_EXTENSION: (_BEFORE_SUBMISSION, None),
    HazardAction.APPROVE_EXTENSION: (_BEFORE_SUBMISSION, None),
    HazardAction.DENY_EXTENSION: (_BEFORE_SUBMISSION, None),
    HazardAction.VOID: (_OPEN, HazardStatus.VOIDED),
}
# Actions that need a written reason (kept in the transition row and the audit log).
REASON_REQUIRED = frozenset(
    {HazardAction.REJECT, HazardAction.VOID, HazardAction.REQUEST_EXTENSION, HazardAction.DENY_EXTENSION}
)


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("Before rectification")
    AFTER = "after", _("After rectification")


class SupervisionLevel(models.TextChoices):
    """The government level that lists a major hazard for supervision (挂牌督办)."""

    PROVINCE = "province", _("Provincial listing")
    CITY = "city", _("City listing")
    COUNTY = "county", _("County listing")


class ListingStatus(models.TextChoices):
    LISTED = "listed", _("Listed")
    DELISTED = "delisted", _("Delisted")


class EvaluationKind(models.TextChoices):
    """Who evaluated the completed governance of a major hazard (16号令 Art.18)."""

    SELF = "self", _("The enterprise with its own experts")
    EVALUATOR = "evaluator", _("A safety evaluation agency")


class ReportPeriod(models.TextChoices):
    """The periodic hazard statistics report (16号令 Art.14): quarterly and annual."""

    QUARTER = "quarter", _("Quarterly")
    YEAR = "year", _("Annual")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
