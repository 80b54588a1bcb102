import rules

from anjian.orgs.predicates import is_department_member, is_system_admin

rules.add_perm("orgs.view_department", is_system_admin | is_department_member)
