from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from anjian.notifications.queries import unread_count
from anjian.web.navigation import items_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the navigation for this user, the site name, demo mode."""
    user = getattr(request, "user", None)
    return {
        "nav_items": items_for(user, request.path) if user is not None and user.is_authenticated else [],
        "site_name": settings.ANJIAN_SITE_NAME,
        "demo_mode": getattr(settings, "DEMO_MODE", False),
        "request_id": getattr(request, "request_id", ""),
        "unread_notifications": unread_count(user) if user is not None and user.is_authenticated else 0,
    }
