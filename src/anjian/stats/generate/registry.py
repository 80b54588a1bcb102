"""The province's enterprises (with tags and licences) and users (one precomputed password hash for all of them).

Industries, their mix, company-name templates, tags and licences come from the demo county's tables
(``anjian.demo.registry``) with the demo's place names replaced, so a generated county reads like the demo one.
"""

from __future__ import annotations

import functools
import hashlib
import random
from bisect import bisect
from itertools import accumulate
from typing import Any

from django.contrib.auth.hashers import make_password

from anjian.demo import names
from anjian.demo.registry import ISSUERS, PLANS, REGULATORS, VALID_YEARS, IndustryPlan
from anjian.enterprises import uscc
from anjian.enterprises.choices import (
    EnterpriseStatus,
    MajorHazardSourceGrade,
    Scale,
    StandardizationGrade,
    SupervisionLevel,
)
from anjian.enterprises.models import Enterprise, Industry, Licence, Tag
from anjian.orgs.choices import UserKind, UserRole
from anjian.orgs.models import User
from anjian.stats.generate import words
from anjian.stats.generate.loader import NULL, Calendar, Loader, escape
from anjian.stats.generate.params import Params
from anjian.stats.generate.world import Area, Registry, allocate, d6, links, person, phone, rng_for, weighted


def _place_names(template: str, params: Params, city: Area, county: Area) -> str:
    """A demo template with the demo's places (江西, 九江, 安澜) replaced by the generated ones."""
    return (
        template.replace("江西省", params.province_name)
        .replace("江西", params.province_name.removesuffix("省"))
        .replace("九江市", city.name)
        .replace("九江", city.stem)
        .replace("安澜县", county.name)
        .replace("安澜", county.stem)
    )


_USCC_SPACE = 31**8
_USCC_STEP = 527_115_649_796  # about 0.618 of the space and prime to 31: neighbours differ in every character


def _uscc_body(ordinal: int, offset: int) -> str:
    """Eight organisation-code characters, distinct for distinct ordinals (a bijection of the code space)."""
    value = (ordinal * _USCC_STEP + offset) % _USCC_SPACE
    chars = []
    for _ in range(8):
        value, digit = divmod(value, 31)
        chars.append(uscc.CHARSET[digit])
    return "".join(chars)


def _trade_name(rng: random.Random) -> str:
    """A company's 字号: one of the demo's, or two syllables (a province needs more than the demo's fifty)."""
    if rng.random() < 0.3:
        return rng.choice(names.TRADE_NAMES)
    return rng.choice(words.TRADE_FIRST) + rng.choice(words.TRADE_SECOND)


def _enterprise_name(
    rng: random.Random, plan: IndustryPlan, params: Params, city: Area, county: Area, town: Area, used: set[str]
) -> str:
    """A company name from the industry's templates, distinct within the county."""
    name = ""
    for _attempt in range(20):
        name = _place_names(rng.choice(plan.templates), params, city, county).format(
            t=_trade_name(rng), v=town.stem, p=rng.choice(names.PROJECTS), n=rng.choice(words.CHINESE_NUMERALS)
        )
        if name not in used:
            used.add(name)
            return name
    for k in range(1, 1000):  # a name without a variable part (e.g. the county's bus station): one per town
        candidate = f"{name}（{town.name}）" if k == 1 else f"{name}（{town.name}{k}）"
        if candidate not in used:
            used.add(candidate)
            return candidate
    return name


@functools.cache
def _remit(industry: str, tags: tuple[str, ...]) -> tuple[str, ...]:
    """The short names of the regulators whose remit covers an enterprise of this industry with these tags."""
    return tuple(
        short
        for _name, short, codes, tag_codes in REGULATORS
        if any(industry.startswith(c) for c in codes) or any(t in tag_codes for t in tags)
    )


def build_enterprises(params: Params, loader: Loader, registry: Registry) -> None:
    """Enterprises spread over the towns (some towns busier than others), with the demo county's industry mix."""
    rng = rng_for(params, "enterprises")
    calendar = loader.calendar
    today = calendar.today
    industries = dict(Industry.objects.values_list("code", "pk"))
    high_risk = set(Industry.objects.filter(high_risk=True).values_list("code", flat=True))
    tag_ids = dict(Tag.objects.values_list("code", "pk"))
    plans = [p for p in PLANS if p.code in industries]
    cumulative = list(accumulate(p.count for p in plans))
    town_weights = list(accumulate(rng.lognormvariate(0, 0.5) for _ in registry.towns))
    per_town = allocate(params.enterprises, town_weights)
    first = loader.start_id(Enterprise)
    licence_first = loader.start_id(Licence)
    offset = rng.randrange(_USCC_SPACE)
    scale_weight = {Scale.ABOVE_QUOTA: 1.6, Scale.BELOW_QUOTA: 1.0, Scale.MICRO: 0.6}
    tagged: list[tuple[int, int]] = []
    licence_rows: list[str] = []
    serials: dict[str, int] = {}
    registered = calendar.stamp(today - params.days - 30, 9 * 60)
    used_names: dict[int, set[str]] = {}
    iso, base, rnd = calendar.iso, calendar.base, rng.random
    true, blank = calendar.true, f"\t{NULL}"
    no_insurance = f"{calendar.false}\t{NULL}"

    def rows() -> Any:
        ordinal = 0
        for t, count in enumerate(per_town):
            town = registry.towns[t]
            county = registry.counties[town.parent]
            city = registry.cities[county.parent]
            used = used_names.setdefault(town.parent, set())
            for _ in range(count):
                plan = plans[bisect(cumulative, rng.random() * cumulative[-1])]
                chosen = [tag for tag, p in plan.tags if rng.random() < p]
                scale = weighted(rng, plan.scale)
                roll = rnd()
                status = (
                    EnterpriseStatus.OPERATING
                    if roll < 0.98
                    else EnterpriseStatus.SUSPENDED
                    if roll < 0.995
                    else EnterpriseStatus.CLOSED
                )
                lon, lat = d6(town.lon + rng.uniform(-0.03, 0.03)), d6(town.lat + rng.uniform(-0.025, 0.025))
                address = (
                    f"{params.province_name}{city.name}{county.name}{town.name}"
                    f"{rng.choice(words.ROADS)}{rng.randint(1, 388)}号"
                )
                principal, officer = person(rng), person(rng)
                officer_phone = phone(rng)
                risky = plan.code in high_risk
                insured = risky or rng.random() < 0.4
                graded = rng.random() < plan.standardization
                enterprise_id = first + ordinal
                registry.enterprise_ids.append(enterprise_id)
                registry.town.append(t)
                registry.category.append(plan.code[:2])
                registry.industry.append(plan.code)
                weight = (2.0 if risky else 1.0) * scale_weight[scale] * rng.lognormvariate(0, 0.5)
                registry.weight.append(weight * (0.05 if status == EnterpriseStatus.CLOSED else 1.0))
                registry.grid.append(rng.choice(town.grids))
                registry.officer.append(officer)
                registry.responsible.append(f"{officer}\t{officer_phone}")
                registry.principal.append(principal)
                registry.place.append(f"{address}\t{lat}\t{lon}")
                registry.names.append(_enterprise_name(rng, plan, params, city, county, town, used))
                registry.remit.append(_remit(plan.code, tuple(chosen)))
                tagged.extend((enterprise_id, tag_ids[tag]) for tag in chosen if tag in tag_ids)
                for kind in plan.licences:
                    licence_id = licence_first + len(licence_rows)
                    registry.licences.setdefault(ordinal, {})[kind] = licence_id
                    serials[kind] = serials.get(kind, 0) + 1
                    licence_rows.append(
                        _licence(rng, calendar, params, (city, county), licence_id, enterprise_id, kind, serials[kind])
                    )
                code = uscc_code(plan.uscc_prefix, county.code[:6], _uscc_body(ordinal, offset))
                established = iso[today - base - 400 - int(rnd() * 8600)]
                grade = f"{_GRADES[int(rnd() * 4)]}\t{iso[today - base - 60 + int(rnd() * 1060)]}" if graded else blank
                insurance = f"{true}\t{iso[today - base - 20 + int(rnd() * 380)]}" if insured else no_insurance
                source_grade = _SOURCE_GRADES[int(rnd() * 3)] if "major_hazard" in chosen else ""
                supervision = SupervisionLevel.CITY if risky and scale == Scale.ABOVE_QUOTA else SupervisionLevel.COUNTY
                ordinal += 1
                yield (
                    f"{enterprise_id}\t{code}\t{escape(registry.names[-1])}\t{industries[plan.code]}\t{scale}\t"
                    f"{weighted(rng, plan.ownership)}\t{status}\t{town.code}\t{registry.grid[-1]}\t{escape(address)}\t"
                    f"{lon}\t{lat}\t{principal}\t{principal}\t{phone(rng)}\t{officer}\t{officer_phone}\t"
                    f"{plan.employees[0] + int(rnd() * (plan.employees[1] - plan.employees[0] + 1))}\t{established}\t\t"
                    f"{grade}\t{insurance}\t{source_grade}\t{supervision}\t{registered}\t{registered}"
                )

    loader.load(Enterprise, ENTERPRISE_COLUMNS, rows(), total=params.enterprises)
    links(loader, Enterprise.tags.through, ["enterprise_id", "tag_id"], tagged)
    loader.load(Licence, LICENCE_COLUMNS, iter(licence_rows), total=len(licence_rows))


ENTERPRISE_COLUMNS = [
    "id",
    "uscc",
    "name",
    "industry_id",
    "scale",
    "ownership",
    "status",
    "region_id",
    "grid_id",
    "address",
    "longitude",
    "latitude",
    "legal_representative",
    "principal_name",
    "principal_phone",
    "safety_officer_name",
    "safety_officer_phone",
    "employee_count",
    "established_on",
    "business_scope",
    "standardization_grade",
    "standardization_valid_until",
    "has_liability_insurance",
    "liability_insurance_valid_until",
    "major_hazard_source_grade",
    "supervision_level",
    "created_at",
    "updated_at",
]
LICENCE_COLUMNS = ["id", "enterprise_id", "kind", "number", "issued_by", "valid_from", "valid_until", "status"]
_GRADES = (
    StandardizationGrade.GRADE_2,
    StandardizationGrade.GRADE_3,
    StandardizationGrade.GRADE_3,
    StandardizationGrade.SMALL_MICRO,
)
_SOURCE_GRADES = (MajorHazardSourceGrade.GRADE_2, MajorHazardSourceGrade.GRADE_3, MajorHazardSourceGrade.GRADE_4)


def uscc_code(prefix: str, division: str, body: str) -> str:
    """A unified social credit code with both check characters computed (GB 32100, GB 11714)."""
    first17 = prefix + division + body + uscc.org_check_character(body)
    return first17 + uscc.check_character(first17)


def _licence(
    rng: random.Random,
    calendar: Calendar,
    params: Params,
    places: tuple[Area, Area],
    licence_id: int,
    enterprise_id: int,
    kind: str,
    serial: int,
) -> str:
    years = VALID_YEARS.get(kind, 3)  # type: ignore[call-overload]
    roll = rng.random()  # mostly mid-term; about one in eight expiring within 90 days, one in twenty expired
    if roll < 0.05:
        remaining = rng.randint(-120, -5)
    elif roll < 0.18:
        remaining = rng.randint(3, 85)
    else:
        remaining = rng.randint(100, years * 365 - 30)
    until = calendar.today + remaining
    since = until - (years * 365 - 1)
    number = words.LICENCE_NUMBERS.get(kind, "示证〔{year}〕{p}{n:06d}")  # type: ignore[call-overload]
    issuer = _place_names(ISSUERS.get(kind, ""), params, *places)  # type: ignore[call-overload]
    return calendar.row(
        (
            licence_id,
            enterprise_id,
            kind,
            number.format(year=calendar.year[since - calendar.base], p=params.province, n=serial),
            issuer,
            calendar.date(since),
            calendar.date(until),
            "valid",
        )
    )


def build_users(params: Params, loader: Loader, registry: Registry) -> None:
    """Officers of every department, a worker per grid, and enterprise accounts with the rest of the budget; the
    well-known logins of the benchmarks among them. One password hash for all: hashing 20 000 passwords would
    take minutes, and a fixed salt from the seed keeps the rows identical from run to run."""
    rng = rng_for(params, "users")
    calendar = loader.calendar
    salt = hashlib.sha256(f"anjian-generate-{params.seed}".encode()).hexdigest()[:22]
    password = make_password(params.password, salt=salt)
    joined = calendar.stamp(calendar.today - params.days - 30, 9 * 60)
    prefix = f"g{params.province}-"
    next_id = loader.start_id(User)
    rows: list[str] = []

    def add(
        username: str,
        kind: str,
        role: str,
        *,
        department: int | None = None,
        grid: int | None = None,
        enterprise: int | None = None,
        name: str = "",
        certificate: str = "",
    ) -> int:
        nonlocal next_id
        user_id = next_id
        next_id += 1
        name = name or person(rng)
        registry.user_names[user_id] = name
        username = username or f"{prefix}{user_id:07d}"
        values = (
            *(user_id, password, None, False, username, "", "", "", False, True, joined),
            *(name, phone(rng), kind, role, department, grid, enterprise, certificate),
        )
        rows.append(calendar.row(values))
        return user_id

    def staff(area: Area, well_known: str) -> None:
        office = add(well_known, UserKind.DEPARTMENT, UserRole.OFFICER, department=area.office)
        registry.staff[area.office] = [office]
        if well_known:
            registry.logins[well_known] = f"{area.name}安委办 officer"
        for short, dept in area.regulators.items():
            ids = []
            for k in range(2):
                login = f"{prefix}xian-yingji" if area is county_one and short == "应急局" and k == 0 else ""
                number = f"示执{area.code[:6]}{dept % 100000:05d}{k}"
                ids.append(add(login, UserKind.DEPARTMENT, UserRole.INSPECTOR, department=dept, certificate=number))
                if login:
                    registry.logins[login] = f"{area.name}应急管理局 inspector"
            registry.staff[dept] = ids

    county_one = registry.counties[0]
    staff(registry.province, f"{prefix}sheng-anweiban")
    for i, city in enumerate(registry.cities):
        staff(city, f"{prefix}shi-anweiban" if i == 0 else "")
    for i, county in enumerate(registry.counties):
        staff(county, f"{prefix}xian-anweiban" if i == 0 else "")
    for i, town in enumerate(registry.towns):
        login = f"{prefix}zhen-anweiban" if i == 0 else ""
        registry.staff[town.office] = [add(login, UserKind.DEPARTMENT, UserRole.OFFICER, department=town.office)]
        if login:
            registry.logins[login] = f"{town.name}安委办 officer"
        for grid in town.grids:
            registry.grid_worker[grid] = add("", UserKind.GRID, UserRole.GRID_WORKER, grid=grid)
    budget = min(max(1, params.users - len(rows)), len(registry.enterprise_ids))
    manager = _featured(registry)
    chosen = [manager, *rng.sample([e for e in range(len(registry.enterprise_ids)) if e != manager], budget - 1)]
    for k, e in enumerate(chosen):
        login = f"{prefix}qiye" if k == 0 else ""
        role = UserRole.PRINCIPAL if k == 0 or rng.random() < 0.3 else UserRole.SAFETY_OFFICER
        name = registry.principal[e] if role == UserRole.PRINCIPAL else registry.officer[e]
        registry.account[e] = add(login, UserKind.ENTERPRISE, role, enterprise=registry.enterprise_ids[e], name=name)
        if login:
            registry.logins[login] = f"{registry.names[e]} principal ({name})"
    loader.load(User, USER_COLUMNS, iter(rows), total=len(rows))


def _featured(registry: Registry) -> int:
    """The well-known enterprise manager's enterprise: a 危化 enterprise of the first town if there is one."""
    in_town = [e for e, t in enumerate(registry.town) if t == 0] or list(range(len(registry.enterprise_ids)))
    return next((e for e in in_town if registry.category[e] == "01"), in_town[0])


USER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "name",
    "phone",
    "kind",
    "role",
    "department_id",
    "grid_id",
    "enterprise_id",
    "enforcement_certificate_no",
]
