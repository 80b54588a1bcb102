"""What users may do with enterprises already in their scope."""

import rules

from anjian.orgs.predicates import (
    is_enterprise_manager,
    is_government,
    is_government_staff,
    is_system_admin,
    manages_this_enterprise,
)

rules.add_perm("enterprises.view_enterprise", rules.is_authenticated)
rules.add_perm("enterprises.add_enterprise", is_system_admin | is_government_staff)
rules.add_perm("enterprises.import_enterprise", is_system_admin | is_government_staff)
rules.add_perm("enterprises.change_enterprise", is_system_admin | is_government_staff | manages_this_enterprise)
rules.add_perm("enterprises.change_enterprise_status", is_system_admin | is_government_staff)
rules.add_perm("enterprises.add_licence", is_system_admin | is_government_staff | manages_this_enterprise)
rules.add_perm("enterprises.change_licence", is_system_admin | is_government_staff | manages_this_enterprise)
rules.add_perm("enterprises.change_licence_status", is_system_admin | is_government_staff)
# Government users and enterprise managers export lists; a worker exports nothing.
rules.add_perm("enterprises.export_enterprise", is_system_admin | is_government | is_enterprise_manager)
