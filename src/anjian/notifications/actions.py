"""Sending and reading notifications. Sending is idempotent per (recipient, key); with mail configured
(ANJIAN_EMAIL_HOST) each new notification is also emailed to a recipient who has an address."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from anjian.notifications.models import Notification
from anjian.notifications.queries import notifications_for

log = logging.getLogger(__name__)


def notify(recipients: Iterable[Any], *, kind: str, key: str, title: str, body: str = "", url: str = "") -> int:
    """Notify each recipient once per ``key``; returns how many were new."""
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not people:
        return 0
    already = set(Notification.objects.filter(key=key, recipient_id__in=people).values_list("recipient_id", flat=True))
    fresh = [
        Notification(recipient_id=pk, kind=kind, key=key, title=title, body=body, url=url)
        for pk in people
        if pk not in already
    ]
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)  # a simultaneous run: the constraint decides
    if fresh and settings.EMAIL_HOST:
        addresses = [people[n.recipient_id].email for n in fresh if people[n.recipient_id].email]
        transaction.on_commit(lambda: _email(key, addresses, title, body, url))
    return len(fresh)


def _email(key: str, addresses: list[str], title: str, body: str, url: str) -> None:
    for address in addresses:
        try:
            send_mail(f"[安监] {title}", f"{body}\n\n{url}".strip(), None, [address])
        except OSError:
            log.exception("mail to %s failed", address)
            continue
        Notification.objects.filter(key=key, recipient__email=address, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )


def do_mark_read(user: Any, *, pk: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; returns how many changed."""
    mine = notifications_for(user).filter(read_at__isnull=True)
    if pk is not None:
        mine = mine.filter(pk=pk)
    return mine.update(read_at=timezone.now())
