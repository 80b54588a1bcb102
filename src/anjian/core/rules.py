import rules

from anjian.orgs.predicates import is_auditor

rules.add_perm("core.view_auditevent", is_auditor)
