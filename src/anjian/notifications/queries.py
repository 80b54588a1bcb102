"""A user's own notifications: nobody reads another person's messages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from anjian.notifications.models import Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user: Any) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
