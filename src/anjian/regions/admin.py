from django.contrib import admin

from anjian.core.admin import AuditedModelAdmin
from anjian.core.events import EventCode
from anjian.regions.models import Grid, Region
from anjian.web.admin_site import admin_site


@admin.register(Region, site=admin_site)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    audit_events = (EventCode.REGION_CREATED, EventCode.REGION_CHANGED, EventCode.REGION_DELETED)


@admin.register(Grid, site=admin_site)
class GridAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["region"]
    audit_events = (EventCode.GRID_CREATED, EventCode.GRID_CHANGED, EventCode.GRID_DELETED)
