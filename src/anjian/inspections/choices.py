"""Kinds, statuses and transition tables of the inspection and enforcement domain (监管执法).

Enforcement follows 安全生产执法程序规定: an inspection (≥ 2 officers with certificates) → 现场检查记录 → an order to
rectify by a deadline (责令限期整改指令书) or on-site measures (现场处理措施决定书) → reinspection → 整改复查意见书;
what is still not rectified leads to a penalty case: 立案 → 告知 → (听证) → 决定 → 执行 → 结案.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ClauseCategory(models.TextChoices):
    """Where a clause sits in its standard (工贸 令第10号: 管理类 Art.3, 行业类 Art.4–11, 专项类 Art.12–14)."""

    MANAGEMENT = "management", _("Management clause")
    INDUSTRY = "industry", _("Industry clause")
    SPECIAL = "special", _("Special-sector clause")
    GENERAL = "general", _("General item")


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("Routine inspection")
    JOINT = "joint", _("Joint inspection")
    UNANNOUNCED = "unannounced", _("Unannounced inspection (四不两直)")
    KEY_PERIOD = "key_period", _("Key-period inspection")
    RANDOM = "random", _("Random inspection (双随机)")
    EXPERT = "expert", _("Expert diagnosis")
    STANDARDIZATION = "standardization", _("Standardisation review")
    SELF = "self", _("Enterprise self-inspection")


# Law-enforcement inspections: at least two officers with enforcement certificates (安全生产法 Art.67).
ENFORCEMENT_KINDS = frozenset(
    {
        InspectionKind.ROUTINE,
        InspectionKind.JOINT,
        InspectionKind.UNANNOUNCED,
        InspectionKind.KEY_PERIOD,
        InspectionKind.RANDOM,
    }
)
MIN_OFFICERS = 2


class InspectionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", pgettext_lazy("inspection status", "Completed")


INSPECTION_STATUS_COLOURS = {InspectionStatus.IN_PROGRESS: "warning", InspectionStatus.COMPLETED: "success"}


class ItemResult(models.TextChoices):
    PASS = "pass", _("Complies")
    FAIL = "fail", _("Does not comply")
    NOT_APPLICABLE = "na", _("Not applicable")


RESULT_COLOURS = {ItemResult.PASS: "success", ItemResult.FAIL: "danger", ItemResult.NOT_APPLICABLE: "secondary"}


class CampaignKind(models.TextChoices):
    INSPECTION_DRIVE = "inspection_drive", _("Comprehensive inspection drive (大检查)")
    CRACKDOWN = "crackdown", _("Crackdown on illegal operations (打非治违)")
    KEY_PERIOD = "key_period", _("Key period / holiday drive")
    QUARTERLY = "quarterly", _("Quarterly campaign")
    SPECIAL = "special", _("Special rectification (专项整治)")
    TOUGH = "tough", _("Tackling drive (攻坚)")


class DocumentKind(models.TextChoices):
    SITE_RECORD = "site_record", _("On-site inspection record")
    RECTIFICATION_ORDER = "rectification_order", _("Order to rectify within a time limit")
    REINSPECTION_OPINION = "reinspection_opinion", _("Reinspection opinion")
    SITE_MEASURES = "site_measures", _("Decision on on-site measures")
    PENALTY_NOTICE = "penalty_notice", _("Notice of intended administrative penalty")
    PENALTY_DECISION = "penalty_decision", _("Administrative penalty decision")


# The short word a document number carries after the department's name, e.g. 安澜应急责改〔2026〕12号.
DOCUMENT_ABBREVIATIONS: dict[str, str] = {
    DocumentKind.SITE_RECORD: "检记",
    DocumentKind.RECTIFICATION_ORDER: "责改",
    DocumentKind.REINSPECTION_OPINION: "复查",
    DocumentKind.SITE_MEASURES: "现决",
    DocumentKind.PENALTY_NOTICE: "罚告",
    DocumentKind.PENALTY_DECISION: "罚决",
}
# The numbering sequence of penalty cases (立案), beside the documents' ones.
CASE_SEQUENCE = "penalty_case"
CASE_ABBREVIATION = "罚立"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    SERVED = "served", _("Served")


DOCUMENT_STATUS_COLOURS = {
    DocumentStatus.DRAFT: "secondary",
    DocumentStatus.ISSUED: "primary",
    DocumentStatus.SERVED: "success",
}


class DocumentAction(models.TextChoices):
    ISSUE = "issue", _("Issue")
    SERVE = "serve", _("Record service")


DOCUMENT_TRANSITIONS = {
    DocumentAction.ISSUE: (frozenset({DocumentStatus.DRAFT}), DocumentStatus.ISSUED),
    DocumentAction.SERVE: (frozenset({DocumentStatus.ISSUED}), DocumentStatus.SERVED),
}


class ReinspectionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("reinspection status", "Due")
    DONE = "done", _("Reinspected")


class ReinspectionResult(models.TextChoices):
    RECTIFIED = "rectified", pgettext_lazy("reinspection result", "Rectified")
    NOT_RECTIFIED = "not_rectified", pgettext_lazy("reinspection result", "Not rectified")


class ViolationClass(models.TextChoices):
    """The two columns of the 打非治违 tally a case counts in."""

    ILLEGAL = "illegal", _("Illegal operation (非法违法)")
    IRREGULAR = "irregular", _("Violation of rules (违章违规)")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    SUSPENSION = "suspension", _("Order to suspend production for rectification")
    LICENCE_WITHHOLD = "licence_withhold", _("Licence withheld")
    LICENCE_REVOKE = "licence_revoke", _("Licence revoked")
    CLOSURE = "closure", _("Closed down")
    JUDICIAL_REFERRAL = "judicial_referral", _("Referred for criminal liability")


LICENCE_KINDS = frozenset({PenaltyKind.LICENCE_WITHHOLD, PenaltyKind.LICENCE_REVOKE})


class PenaltyStage(models.TextChoices):
    FILED = "filed", _("Case filed")
    NOTIFIED = "notified", _("Notice served")
    HEARING = "hearing", _("Hearing")
    DECIDED = "decided", _("Decided")
    EXECUTED = "executed", _("Executed")
    CLOSED = "closed", pgettext_lazy("penalty case stage", "Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn (no penalty)")


STAGE_COLOURS = {
    PenaltyStage.FILED: "secondary",
    PenaltyStage.NOTIFIED: "info",
    PenaltyStage.HEARING: "warning",
    PenaltyStage.DECIDED: "primary",
    PenaltyStage.EXECUTED: "primary",
    PenaltyStage.CLOSED: "success",
    PenaltyStage.WITHDRAWN: "dark",
}
OPEN_STAGES = frozenset({PenaltyStage.FILED, PenaltyStage.NOTIFIED, PenaltyStage.HEARING})
# Decided cases count as penalties imposed (Art.113, the tallies), whatever came after the decision.
DECIDED_STAGES = frozenset({PenaltyStage.DECIDED, PenaltyStage.EXECUTED, PenaltyStage.CLOSED})


class PenaltyAction(models.TextChoices):
    NOTIFY = "notify", _("Serve the notice")
    REQUEST_HEARING = "request_hearing", _("Hearing requested")
    DECIDE = "decide", _("Decide")
    EXECUTE = "execute", _("Record execution")
    CLOSE = "close", _("Close the case")
    WITHDRAW = "withdraw", _("Withdraw")


PENALTY_TRANSITIONS = {
    PenaltyAction.NOTIFY: (frozenset({PenaltyStage.FILED}), PenaltyStage.NOTIFIED),
    PenaltyAction.REQUEST_HEARING: (frozenset({PenaltyStage.NOTIFIED}), PenaltyStage.HEARING),
    PenaltyAction.DECIDE: (frozenset({PenaltyStage.NOTIFIED, PenaltyStage.HEARING}), PenaltyStage.DECIDED),
    PenaltyAction.EXECUTE: (frozenset({PenaltyStage.DECIDED}), PenaltyStage.EXECUTED),
    PenaltyAction.CLOSE: (frozenset({PenaltyStage.EXECUTED}), PenaltyStage.CLOSED),
    PenaltyAction.WITHDRAW: (frozenset(OPEN_STAGES), PenaltyStage.WITHDRAWN),
}

# 安全生产法 Art.113: a major hazard with 3 penalties in 180 days or 4 in a year → propose closure.
ART113_WINDOWS = ((180, 3), (365, 4))
