"""The 下步工作 texts of the work summaries: the default one (no region) and regions' own, edited here by the
administrator (every change audited); a region's 安委办 edits its own from the summaries page."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from anjian.core.admin import AuditedModelAdmin
from anjian.core.events import EventCode
from anjian.stats.models import SummaryTemplate
from anjian.web.admin_site import admin_site


@admin.register(SummaryTemplate, site=admin_site)
class SummaryTemplateAdmin(AuditedModelAdmin):
    list_display = ["__str__", "region", "period_kind", "updated_at", "updated_by"]
    list_filter = ["period_kind"]
    search_fields = ["region__name", "region__code", "body"]
    autocomplete_fields = ["region"]
    fields = ["region", "period_kind", "body"]
    audit_events = (EventCode.CONFIG_CHANGED, EventCode.CONFIG_CHANGED, EventCode.CONFIG_CHANGED)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
