"""Stable audit event codes: one IntEnum, a numbered range per app.

Codes are stored in the audit log and never renumbered; add new codes inside the owning app's range.
"""

from __future__ import annotations

from enum import IntEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class EventCode(IntEnum):
    # 100–149 authentication and sessions
    LOGIN = 100
    LOGOUT = 101
    LOGIN_FAILED = 102
    LOCKED_OUT = 103
    SESSION_EXPIRED = 104
    TOKEN_ISSUED = 110
    TOKEN_REVOKED = 111
    PASSWORD_CHANGED = 120
    # 150–199 data leaving or entering the system
    EXPORT = 150
    IMPORT = 151
    # 200–299 users, roles, departments, committees (orgs)
    USER_CREATED = 200
    USER_CHANGED = 201
    USER_DEACTIVATED = 202
    ROLE_CHANGED = 203
    DEPARTMENT_CREATED = 210
    DEPARTMENT_CHANGED = 211
    DEPARTMENT_DELETED = 212
    COMMITTEE_CHANGED = 220
    # 300–399 regions and grids
    REGION_CREATED = 300
    REGION_CHANGED = 301
    REGION_DELETED = 302
    GRID_CREATED = 310
    GRID_CHANGED = 311
    GRID_DELETED = 312
    # 400–499 enterprise registry
    ENTERPRISE_CREATED = 400
    ENTERPRISE_CHANGED = 401
    ENTERPRISE_SUSPENDED = 402
    ENTERPRISE_RESUMED = 403
    ENTERPRISE_CLOSED = 404
    LICENCE_ADDED = 410
    LICENCE_CHANGED = 411
    LICENCE_STATUS_CHANGED = 412
    # 500–599 catalogues (industries, tags) and configuration
    CATALOGUE_CHANGED = 500
    CONFIG_CHANGED = 501
    # 600–699 hazards
    HAZARD_REGISTERED = 600
    HAZARD_STARTED = 601
    HAZARD_SUBMITTED = 602
    HAZARD_ACCEPTED = 603
    HAZARD_REJECTED = 604
    HAZARD_EXTENSION_REQUESTED = 605
    HAZARD_EXTENSION_APPROVED = 606
    HAZARD_EXTENSION_DENIED = 607
    HAZARD_VOIDED = 608
    HAZARD_PHOTO_ADDED = 610
    HAZARD_REPORTED = 620
    HAZARD_PLAN_PREPARED = 621
    HAZARD_LISTED = 622
    HAZARD_DELISTED = 623
    HAZARD_RESUMPTION_APPLIED = 624
    HAZARD_REPORT_PREPARED = 630
    HAZARD_REPORT_SUBMITTED = 631
    # 700–799 inspections and enforcement
    INSPECTION_STARTED = 700
    INSPECTION_RESULT_RECORDED = 701
    INSPECTION_COMPLETED = 702
    CAMPAIGN_CREATED = 710
    CAMPAIGN_GROUP_ADDED = 711
    PLAN_CREATED = 715
    DOCUMENT_DRAFTED = 720
    DOCUMENT_ISSUED = 721
    DOCUMENT_SERVED = 722
    REINSPECTION_SCHEDULED = 730
    REINSPECTION_RECORDED = 731
    PENALTY_FILED = 740
    PENALTY_NOTIFIED = 741
    PENALTY_HEARING = 742
    PENALTY_DECIDED = 743
    PENALTY_EXECUTED = 744
    PENALTY_CLOSED = 745
    PENALTY_WITHDRAWN = 746
    CLOSURE_PROPOSED = 750
    # 800–899 dual prevention
    RISK_REGISTER_CHANGED = 800
    RISK_ASSESSED = 801
    CHECK_RECORDED = 810
    CHECKS_MISSED = 811
    # 900–999 the system itself
    AUDIT_VERIFIED = 900
    DEMO_SEEDED = 901
    ADMIN_CHANGE = 910

    @property
    def label(self) -> str | Promise:
        return EVENT_LABELS.get(self, self.name)


EVENT_LABELS: dict[EventCode, str | Promise] = {
    EventCode.LOGIN: _("Login"),
    EventCode.LOGOUT: _("Logout"),
    EventCode.LOGIN_FAILED: _("Failed login"),
    EventCode.LOCKED_OUT: _("Account locked out"),
    EventCode.SESSION_EXPIRED: _("Session expired"),
    EventCode.TOKEN_ISSUED: _("API token issued"),
    EventCode.TOKEN_REVOKED: _("API token revoked"),
    EventCode.PASSWORD_CHANGED: _("Password changed"),
    EventCode.EXPORT: _("Data exported"),
    EventCode.IMPORT: _("Data imported"),
    EventCode.HAZARD_REGISTERED: _("Hazard registered"),
    EventCode.HAZARD_STARTED: _("Hazard rectification started"),
    EventCode.HAZARD_SUBMITTED: _("Hazard rectification submitted"),
    EventCode.HAZARD_ACCEPTED: _("Hazard accepted and closed"),
    EventCode.HAZARD_REJECTED: _("Hazard rectification rejected"),
    EventCode.HAZARD_EXTENSION_REQUESTED: _("Hazard extension requested"),
    EventCode.HAZARD_EXTENSION_APPROVED: _("Hazard extension approved"),
    EventCode.HAZARD_EXTENSION_DENIED: _("Hazard extension denied"),
    EventCode.HAZARD_VOIDED: _("Hazard voided"),
    EventCode.HAZARD_PHOTO_ADDED: _("Hazard photo added"),
    EventCode.HAZARD_REPORTED: _("Major hazard reported"),
    EventCode.HAZARD_PLAN_PREPARED: _("Governance plan prepared"),
    EventCode.HAZARD_LISTED: _("Major hazard listed for supervision"),
    EventCode.HAZARD_DELISTED: _("Major hazard delisted"),
    EventCode.HAZARD_RESUMPTION_APPLIED: _("Resumption applied for"),
    EventCode.HAZARD_REPORT_PREPARED: _("Hazard statistics report prepared"),
    EventCode.HAZARD_REPORT_SUBMITTED: _("Hazard statistics report submitted"),
    EventCode.INSPECTION_STARTED: _("Inspection started"),
    EventCode.INSPECTION_RESULT_RECORDED: _("Inspection result recorded"),
    EventCode.INSPECTION_COMPLETED: _("Inspection completed"),
    EventCode.CAMPAIGN_CREATED: _("Campaign created"),
    EventCode.CAMPAIGN_GROUP_ADDED: _("Inspection group added"),
    EventCode.PLAN_CREATED: _("Inspection plan drawn up"),
    EventCode.DOCUMENT_DRAFTED: _("Enforcement document drafted"),
    EventCode.DOCUMENT_ISSUED: _("Enforcement document issued"),
    EventCode.DOCUMENT_SERVED: _("Enforcement document served"),
    EventCode.REINSPECTION_SCHEDULED: _("Reinspection scheduled"),
    EventCode.REINSPECTION_RECORDED: _("Reinspection recorded"),
    EventCode.PENALTY_FILED: _("Penalty case filed"),
    EventCode.PENALTY_NOTIFIED: _("Penalty notice served"),
    EventCode.PENALTY_HEARING: _("Penalty hearing requested"),
    EventCode.PENALTY_DECIDED: _("Penalty decided"),
    EventCode.PENALTY_EXECUTED: _("Penalty executed"),
    EventCode.PENALTY_CLOSED: _("Penalty case closed"),
    EventCode.PENALTY_WITHDRAWN: _("Penalty case withdrawn"),
    EventCode.CLOSURE_PROPOSED: _("Closure proposed (安全生产法 Art.113)"),
    EventCode.RISK_REGISTER_CHANGED: _("Risk register changed"),
    EventCode.RISK_ASSESSED: _("Risk assessed"),
    EventCode.CHECK_RECORDED: _("Check recorded"),
    EventCode.CHECKS_MISSED: _("Checks missed"),
    EventCode.USER_CREATED: _("User created"),
    EventCode.USER_CHANGED: _("User changed"),
    EventCode.USER_DEACTIVATED: _("User deactivated"),
    EventCode.ROLE_CHANGED: _("Role changed"),
    EventCode.DEPARTMENT_CREATED: _("Department created"),
    EventCode.DEPARTMENT_CHANGED: _("Department changed"),
    EventCode.DEPARTMENT_DELETED: _("Department deleted"),
    EventCode.COMMITTEE_CHANGED: _("Safety committee changed"),
    EventCode.REGION_CREATED: _("Region created"),
    EventCode.REGION_CHANGED: _("Region changed"),
    EventCode.REGION_DELETED: _("Region deleted"),
    EventCode.GRID_CREATED: _("Grid created"),
    EventCode.GRID_CHANGED: _("Grid changed"),
    EventCode.GRID_DELETED: _("Grid deleted"),
    EventCode.ENTERPRISE_CREATED: _("Enterprise registered"),
    EventCode.ENTERPRISE_CHANGED: _("Enterprise changed"),
    EventCode.ENTERPRISE_SUSPENDED: _("Enterprise suspended"),
    EventCode.ENTERPRISE_RESUMED: _("Enterprise resumed"),
    EventCode.ENTERPRISE_CLOSED: _("Enterprise closed"),
    EventCode.LICENCE_ADDED: _("Licence added"),
    EventCode.LICENCE_CHANGED: _("Licence changed"),
    EventCode.LICENCE_STATUS_CHANGED: _("Licence status changed"),
    EventCode.CATALOGUE_CHANGED: _("Catalogue changed"),
    EventCode.CONFIG_CHANGED: _("Configuration changed"),
    EventCode.AUDIT_VERIFIED: _("Audit chain verified"),
    EventCode.DEMO_SEEDED: _("Demo data loaded"),
    EventCode.ADMIN_CHANGE: _("Changed in administration"),
}

EVENT_CHOICES = [(code.value, EVENT_LABELS[code]) for code in EventCode]
