"""Conditions over enterprises shared by the list filters and the figures, so a figure and the list behind
it always agree."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from anjian.enterprises.choices import EXPIRY_WARNING_DAYS, EnterpriseStatus, LicenceStatus
from anjian.enterprises.models import Licence

LICENCE_EXPIRING = "expiring"
LICENCE_EXPIRED = "expired"


def licence_state_q(state: str, today: dt.date | None = None) -> Q:
    """Enterprises (not closed) holding a licence in force that has expired, or expires within the window."""
    today = today or timezone.localdate()
    licences = Licence.objects.filter(enterprise_id=OuterRef("pk"), status=LicenceStatus.VALID)
    if state == LICENCE_EXPIRED:
        licences = licences.filter(valid_until__lt=today)
    else:
        licences = licences.filter(
            valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
        )
    return Q(Exists(licences)) & ~Q(status=EnterpriseStatus.CLOSED)
