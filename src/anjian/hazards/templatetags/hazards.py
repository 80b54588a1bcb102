"""Hazard figures shown on other apps' pages (the enterprise page's hazard card)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import rules
from django import template
from django.urls import reverse

from anjian.hazards.filtersets import OPEN
from anjian.hazards.models import Hazard

register = template.Library()


@register.inclusion_tag("hazards/partials/enterprise_card.html", takes_context=True)
def enterprise_hazards(context: Any, enterprise: Any) -> dict[str, Any]:
    """Open and overdue hazards of ``enterprise`` that the user may see, linking to the ledger filtered so."""
    user = context["request"].user
    hazards = Hazard.objects.visible_to(user).filter(enterprise=enterprise)
    ledger = reverse("hazards:list")
    return {
        "enterprise": enterprise,
        "open_count": hazards.open().count(),
        "overdue_count": hazards.overdue().count(),
        "ledger_url": f"{ledger}?{urlencode({'enterprise': enterprise.pk})}",
        "open_url": f"{ledger}?{urlencode({'enterprise': enterprise.pk, 'status': OPEN})}",
        "overdue_url": f"{ledger}?{urlencode({'enterprise': enterprise.pk, 'overdue': 'true'})}",
        "can_add": rules.has_perm("hazards.add_hazard", user),
    }
