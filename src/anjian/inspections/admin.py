"""The criteria catalogue, checklists and the inspection frequency table are data administrators edit here
(every change audited). Inspections, documents and cases change only through their actions."""

from django.contrib import admin

from anjian.core.admin import AuditedModelAdmin
from anjian.core.events import EventCode
from anjian.inspections.models import (
    Checklist,
    ChecklistItem,
    CriteriaClause,
    CriteriaStandard,
    FrequencyRule,
)
from anjian.web.admin_site import admin_site

CATALOGUE = (EventCode.CATALOGUE_CHANGED, EventCode.CATALOGUE_CHANGED, EventCode.CATALOGUE_CHANGED)


class ClauseInline(admin.TabularInline):
    model = CriteriaClause
    extra = 1
    fields = ["number", "category", "heading", "text", "wording_unconfirmed", "sort_order"]


@admin.register(CriteriaStandard, site=admin_site)
class CriteriaStandardAdmin(AuditedModelAdmin):
    list_display = ["title", "document_no", "major_criteria", "effective_on", "active"]
    list_filter = ["major_criteria", "active"]
    search_fields = ["title", "document_no", "code"]
    filter_horizontal = ["industries"]
    inlines = [ClauseInline]
    audit_events = CATALOGUE


@admin.register(CriteriaClause, site=admin_site)
class CriteriaClauseAdmin(AuditedModelAdmin):
    list_display = ["standard", "number", "heading", "category", "wording_unconfirmed"]
    list_filter = ["standard", "category", "wording_unconfirmed"]
    search_fields = ["number", "text", "heading"]
    filter_horizontal = ["tags"]
    audit_events = CATALOGUE


class ItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    autocomplete_fields = ["clause"]
    fields = ["sort_order", "clause", "text"]


@admin.register(Checklist, site=admin_site)
class ChecklistAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "industry", "tag", "active"]
    list_filter = ["active", "industry"]
    search_fields = ["name", "code"]
    inlines = [ItemInline]
    audit_events = CATALOGUE


@admin.register(FrequencyRule, site=admin_site)
class FrequencyRuleAdmin(AuditedModelAdmin):
    list_display = ["high_risk", "standardization_grade", "visits_per_year"]
    audit_events = CATALOGUE
