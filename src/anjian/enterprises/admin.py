from django.contrib import admin

from anjian.core.admin import AuditedModelAdmin
from anjian.core.events import EventCode
from anjian.enterprises.models import Enterprise, Industry, Tag
from anjian.web.admin_site import admin_site

CATALOGUE = (EventCode.CATALOGUE_CHANGED, EventCode.CATALOGUE_CHANGED, EventCode.CATALOGUE_CHANGED)


@admin.register(Industry, site=admin_site)
class IndustryAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "parent", "high_risk", "sort_order"]
    list_filter = ["parent", "high_risk"]
    search_fields = ["code", "name"]
    audit_events = CATALOGUE


@admin.register(Tag, site=admin_site)
class TagAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]
    audit_events = CATALOGUE


@admin.register(Enterprise, site=admin_site)
class EnterpriseAdmin(admin.ModelAdmin):
    """Read-only here: enterprises change through the registry pages (actions with scope and audit)."""

    list_display = ["name", "uscc", "industry", "region", "status"]
    search_fields = ["name", "uscc"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
