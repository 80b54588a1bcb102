from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from anjian.core.admin import AuditedModelAdmin
from anjian.core.events import EventCode
from anjian.orgs.models import Department, SafetyCommittee, User
from anjian.web.admin_site import admin_site


@admin.register(Department, site=admin_site)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "region", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["industries", "tags"]
    audit_events = (EventCode.DEPARTMENT_CREATED, EventCode.DEPARTMENT_CHANGED, EventCode.DEPARTMENT_DELETED)


@admin.register(SafetyCommittee, site=admin_site)
class SafetyCommitteeAdmin(AuditedModelAdmin):
    list_display = ["name", "region", "office"]
    filter_horizontal = ["members"]
    audit_events = (EventCode.COMMITTEE_CHANGED, EventCode.COMMITTEE_CHANGED, EventCode.COMMITTEE_CHANGED)


@admin.register(User, site=admin_site)
class AnjianUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ["username", "name", "kind", "role", "department", "grid", "enterprise", "is_active"]
    list_filter = ["kind", "role", "is_active"]
    search_fields = ["username", "name", "phone"]
    autocomplete_fields = ["department", "grid", "enterprise"]
    readonly_fields = ["last_login", "date_joined", "is_staff", "is_superuser"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "phone", "email", "enforcement_certificate_no")}),
        (_("Membership and role"), {"fields": ("kind", "role", "department", "grid", "enterprise")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        (_("Membership and role"), {"fields": ("name", "kind", "role", "department", "grid", "enterprise")}),
    )
    audit_events = (EventCode.USER_CREATED, EventCode.USER_CHANGED, EventCode.USER_DEACTIVATED)
