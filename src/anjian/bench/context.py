"""Who and what the bench measures with: a user of each kind, the county and province, the periods, and the
sessions those users browse with (opened directly, like the test client's ``force_login``, so no password is
needed and no login is audited)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import CommandError
from django.db.models import Max
from django.utils import timezone

from anjian.core.middleware import SessionLifetimeMiddleware
from anjian.hazards.models import Hazard
from anjian.orgs.choices import DepartmentKind, UserKind, UserRole
from anjian.orgs.models import Department, User
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel
from anjian.regions.models import Region

# The kinds of user the rows are measured as (``--users KIND=USERNAME`` overrides the automatic choice).
PERSONAS = {
    "county_department": "a county supervising department's inspector (industry remit): lists, details, writes",
    "county_office": "the county 安委办 officer: county dashboard, work summary, the big export",
    "province_office": "the province 安委办 officer (else the highest 安委办 above the county): province rows",
}
_ROLE_PREFERENCE = (UserRole.INSPECTOR, UserRole.OFFICER, UserRole.LEADER)
SESSION_BACKEND = "anjian.orgs.backends.ModelBackend"


@dataclass
class BenchContext:
    county: Region
    province: Region
    users: dict[str, User]
    start: dt.date  # the dashboards' period: the year to date (or the latest year with hazards)
    end: dt.date
    summary_start: dt.date  # the work summary's county-year
    summary_end: dt.date
    notes: list[str] = field(default_factory=list)
    sessions: dict[str, str] = field(default_factory=dict)  # persona -> session key

    def describe(self) -> dict[str, Any]:
        return {
            "county": f"{self.county.code} {self.county.name}",
            "province": f"{self.province.code} {self.province.name}",
            "users": {kind: user.username for kind, user in self.users.items()},
            "period": [self.start.isoformat(), self.end.isoformat()],
            "summary_period": [self.summary_start.isoformat(), self.summary_end.isoformat()],
        }


def _active_member(departments: Any) -> User | None:
    """The first active user of the first of ``departments`` that has one, preferring inspectors."""
    for department in departments:
        members = User.objects.filter(department=department, is_active=True, kind=UserKind.DEPARTMENT)
        for role in _ROLE_PREFERENCE:
            found = members.filter(role=role).order_by("username").first()
            if found is not None:
                return found
    return None


def _user(username: str) -> User:
    found = User.objects.filter(username=username).select_related("department__region").first()
    if found is None:
        raise CommandError(f"no user {username!r}")
    return found


def _region_of(user: User) -> Region | None:
    return user.department.region if user.department is not None else None


def _county_of(user: User) -> Region | None:
    region = _region_of(user)
    if region is None or region.level < RegionLevel.COUNTY:
        return None
    code = region.code[: PREFIX_LENGTH[RegionLevel.COUNTY]].ljust(12, "0")
    return Region.objects.filter(code=code).first()


def _county_department(county: Region | None) -> User | None:
    departments = Department.objects.filter(kind=DepartmentKind.REGULATOR, region__level=RegionLevel.COUNTY)
    if county is not None:
        departments = departments.filter(region=county)
    departments = departments.filter(industries__isnull=False).distinct().order_by("region", "sort_order", "name")
    return _active_member(departments)


def _office(region: Region) -> User | None:
    return _active_member(Department.objects.filter(kind=DepartmentKind.COMMITTEE_OFFICE, region=region))


def _highest_office_above(county: Region) -> User | None:
    codes = [county.code[:n].ljust(12, "0") for level, n in sorted(PREFIX_LENGTH.items()) if level <= county.level]
    offices = Department.objects.filter(kind=DepartmentKind.COMMITTEE_OFFICE, region__code__in=codes)
    return _active_member(offices.order_by("region__level", "sort_order"))


def _periods(county: Region, start: dt.date | None, end: dt.date | None, year: int | None) -> tuple[dt.date, ...]:
    today = timezone.localdate()
    latest = Hazard.objects.filter(enterprise__region__code__startswith=county.prefix).aggregate(
        latest=Max("found_on")
    )["latest"]
    latest = min(latest or today, today)
    # This year up to today, as a dashboard opens; a ledger ending in an earlier year: that whole year. (Both end
    # where the rollups can answer: today, or the last day of a month.)
    end = end or (today if latest.year == today.year else dt.date(latest.year, 12, 31))
    start = start or dt.date(end.year, 1, 1)
    if year is None:
        year = latest.year - 1 if latest.year == today.year else latest.year
    return start, end, dt.date(year, 1, 1), dt.date(year, 12, 31)


def resolve(
    usernames: dict[str, str],
    *,
    county_code: str | None = None,
    province_code: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    summary_year: int | None = None,
) -> BenchContext:
    """Pick the regions and users: those named, else the first county with a supervising department that has an
    industry remit, its 安委办, and the 安委办 of its province (or the highest one above the county)."""
    unknown = set(usernames) - set(PERSONAS)
    if unknown:
        raise CommandError(f"unknown user kind {sorted(unknown)[0]!r}: expected one of {', '.join(PERSONAS)}")
    notes: list[str] = []
    county = None
    if county_code:
        county = Region.objects.filter(code=county_code, level=RegionLevel.COUNTY).first()
        if county is None:
            raise CommandError(f"no county with the code {county_code!r}")
    department_user = (
        _user(usernames["county_department"]) if "county_department" in usernames else _county_department(county)
    )
    if department_user is None:
        raise CommandError("no county supervising department with an active user: name one with --users")
    county = county or _county_of(department_user)
    if county is None:
        raise CommandError(f"{department_user.username} belongs to no county: give --county")
    office = _user(usernames["county_office"]) if "county_office" in usernames else _office(county)
    if office is None:
        office = department_user
        notes.append(f"no 安委办 user in {county.name}: the county rows use {office.username}")
    province = None
    if province_code:
        province = Region.objects.filter(code=province_code, level=RegionLevel.PROVINCE).first()
        if province is None:
            raise CommandError(f"no province with the code {province_code!r}")
    province = province or Region.objects.filter(code=county.code[:2].ljust(12, "0")).first()
    if "province_office" in usernames:
        top = _user(usernames["province_office"])
    else:
        top = (_office(province) if province is not None else None) or _highest_office_above(county) or office
        top_region = _region_of(top)
        if province is None or top_region is None or top_region.code != province.code:
            # The province rows then ask for the largest region that user sees (a province would be out of scope).
            notes.append(f"no province 安委办 user: the province rows use {top.username} over {top_region}")
            province = top_region or county
    if province is None:
        province = _region_of(top) or county
    first, last, summary_start, summary_end = _periods(county, start, end, summary_year)
    return BenchContext(
        county=county,
        province=province,
        users={"county_department": department_user, "county_office": office, "province_office": top},
        start=first,
        end=last,
        summary_start=summary_start,
        summary_end=summary_end,
        notes=notes,
    )


def open_session(user: User) -> str:
    """A signed-in session for ``user`` in the session store, as ``force_login`` makes one; its key is the cookie."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    now = time.time()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = SESSION_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SessionLifetimeMiddleware.LOGIN_KEY] = now
    session[SessionLifetimeMiddleware.TOUCH_KEY] = now
    session.save()
    return str(session.session_key)


def open_sessions(context: BenchContext) -> dict[str, str]:
    context.sessions = {kind: open_session(user) for kind, user in context.users.items()}
    return context.sessions


def close_sessions(context: BenchContext) -> None:
    engine = import_module(settings.SESSION_ENGINE)
    for key in context.sessions.values():
        engine.SessionStore(session_key=key).delete()
    context.sessions = {}
