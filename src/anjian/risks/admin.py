"""Assessment tables (factor values and cut-offs per method, and per region where a local standard differs) are
configuration administrators edit here; every change is audited. The register changes through its actions."""

from django.contrib import admin

from anjian.core.admin import AuditedModelAdmin
from anjian.core.events import EventCode
from anjian.risks.models import AssessmentTable
from anjian.web.admin_site import admin_site


@admin.register(AssessmentTable, site=admin_site)
class AssessmentTableAdmin(AuditedModelAdmin):
    list_display = ["method", "region", "note"]
    list_filter = ["method"]
    autocomplete_fields = ["region"]
    audit_events = (EventCode.CONFIG_CHANGED, EventCode.CONFIG_CHANGED, EventCode.CONFIG_CHANGED)
