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


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def industry_q(code: str, path: str = "") -> Q:
    """Enterprises (at ``path``) of an industry, or of any industry of a category, by catalogue code."""
    p = _prefix(path)
    return Q(**{f"{p}industry__code": code}) | Q(**{f"{p}industry__parent__code": code})


def in_region_q(code: str, path: str = "") -> Q:
    """Enterprises (at ``path``) registered in the region with this 12-digit code or below it; nothing when the
    code names no region (so a filter on an unknown region shows an empty list, never everything)."""
    from anjian.regions.models import Region

    region = Region.objects.filter(code=code).only("code", "level").first()
    if region is None:
        return Q(pk__in=[])
    return Q(**{f"{_prefix(path)}region__code__startswith": region.prefix})
