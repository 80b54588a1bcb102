"""A small world mirroring the demo personas, plus what they must not see: a neighbouring county, a
department with a tag remit, an auditor. Built through the registry's actions, as the application does."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from anjian.enterprises import actions, uscc
from anjian.enterprises.catalogue import load_catalogue
from anjian.enterprises.choices import LicenceKind, Ownership, Scale
from anjian.enterprises.models import Enterprise, Industry, Licence, Tag
from anjian.hazards.catalogue import load_hazard_types
from anjian.hazards.models import HazardType
from anjian.inspections.catalogue import load_criteria
from anjian.orgs.choices import DepartmentKind, UserKind, UserRole
from anjian.orgs.models import Department, User
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Grid, Region
from anjian.risks.methods import load_tables

PASSWORD = "Test-pass-2026"
_rng = random.Random(7)


def region(code: str, name: str, level: RegionLevel, parent: Region | None) -> Region:
    return Region.objects.create(code=code, name=name, level=level, parent=parent)


def department(
    name: str, kind: DepartmentKind, where: Region, industries: tuple[str, ...] = (), tags: tuple[str, ...] = ()
) -> Department:
    dept = Department.objects.create(name=name, kind=kind, region=where)
    dept.industries.set(Industry.objects.filter(code__in=industries))
    dept.tags.set(Tag.objects.filter(code__in=tags))
    return dept


def user(username: str, kind: UserKind, role: UserRole, **membership: Any) -> User:
    person = User(username=username, name=username, kind=kind, role=role, **membership)
    person.set_password(PASSWORD)
    person.full_clean(exclude=["password"])
    person.save()
    return person


def enterprise_data(name: str, industry: str, village: Region, grid: Grid | None, **extra: Any) -> dict[str, Any]:
    data = {
        "uscc": uscc.generate(_rng, village.code[:6]),
        "name": name,
        "industry": Industry.objects.get(code=industry),
        "scale": Scale.BELOW_QUOTA,
        "ownership": Ownership.PRIVATE,
        "region": village,
        "grid": grid,
        "address": f"{village.name}1号",
        "principal_name": "张三",
        "principal_phone": "13800001111",
        "longitude": Decimal("115.900000"),
        "latitude": Decimal("29.200000"),
    }
    data.update(extra)
    return data


@dataclass
class World:
    regions: dict[str, Region] = field(default_factory=dict)
    grids: dict[str, Grid] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    licences: dict[str, Licence] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    # Which enterprises each persona must see (all others must be invisible).
    VISIBLE = {
        "admin": {"chem", "build", "hotel", "factory", "neighbour"},
        "anweiban": {"chem", "build", "hotel", "factory"},
        "yingji": {"chem", "factory"},
        "zhujian": {"build"},
        "xiaofang": {"hotel", "factory"},
        "zhen1": {"chem", "build"},
        "wangge1": {"chem"},
        "qiye1": {"chem"},
        "zhigong1": {"chem"},
        "neighbour_officer": {"neighbour"},
        "auditor": set(),
    }


def build_world() -> World:
    load_catalogue(Industry, Tag)  # a transactional test before this one may have flushed the shipped data
    load_hazard_types(HazardType)
    load_criteria(django_apps)
    load_tables(django_apps)
    w = World()
    r = w.regions
    r["province"] = region("360000000000", "江西省", RegionLevel.PROVINCE, None)
    r["city"] = region("360400000000", "九江市", RegionLevel.CITY, r["province"])
    r["county"] = region("360431000000", "安澜县", RegionLevel.COUNTY, r["city"])
    r["town1"] = region("360431101000", "青山镇", RegionLevel.TOWN, r["county"])
    r["v1"] = region("360431101001", "工业园社区", RegionLevel.VILLAGE, r["town1"])
    r["v2"] = region("360431101201", "枫林村", RegionLevel.VILLAGE, r["town1"])
    r["town2"] = region("360431102000", "白石镇", RegionLevel.TOWN, r["county"])
    r["v3"] = region("360431102001", "白石社区", RegionLevel.VILLAGE, r["town2"])
    r["neighbour_county"] = region("360432000000", "邻县", RegionLevel.COUNTY, r["city"])
    r["neighbour_town"] = region("360432101000", "河口镇", RegionLevel.TOWN, r["neighbour_county"])
    r["v4"] = region("360432101201", "河口村", RegionLevel.VILLAGE, r["neighbour_town"])
    g = w.grids
    g["g1"] = Grid.objects.create(code="360431101001-G1", name="青山镇第1网格", region=r["v1"])
    g["g2"] = Grid.objects.create(code="360431101201-G1", name="青山镇第2网格", region=r["v2"])
    g["g3"] = Grid.objects.create(code="360431102001-G1", name="白石镇第1网格", region=r["v3"])
    g["g4"] = Grid.objects.create(code="360432101201-G1", name="河口镇第1网格", region=r["v4"])
    d = w.departments
    d["anweiban"] = department("安澜县安委办", DepartmentKind.COMMITTEE_OFFICE, r["county"])
    d["yingji"] = department("安澜县应急管理局", DepartmentKind.REGULATOR, r["county"], ("01", "02", "03", "04"))
    d["yingji"].short_name = "应急"
    d["yingji"].save(update_fields=["short_name"])
    d["zhujian"] = department("安澜县住建局", DepartmentKind.REGULATOR, r["county"], ("05", "06"))
    d["xiaofang"] = department(
        "安澜县消防救援大队", DepartmentKind.REGULATOR, r["county"], ("0902",), ("crowded_place",)
    )
    d["zhen1"] = department("青山镇安委办", DepartmentKind.COMMITTEE_OFFICE, r["town1"])
    d["neighbour"] = department("邻县安委办", DepartmentKind.COMMITTEE_OFFICE, r["neighbour_county"])

    admin = user("admin", UserKind.ADMIN, UserRole.SYSTEM_ADMIN)
    w.users["admin"] = admin
    e = w.enterprises
    crowded = list(Tag.objects.filter(code="crowded_place"))
    e["chem"] = actions.do_create_enterprise(
        data=enterprise_data("江西鑫源化工有限公司", "0101", r["v1"], g["g1"]), actor=admin
    )
    e["build"] = actions.do_create_enterprise(
        data=enterprise_data("九江宏达建设工程有限公司", "0501", r["v2"], g["g2"]), actor=admin
    )
    e["hotel"] = actions.do_create_enterprise(
        data=enterprise_data("安澜白石大酒店有限公司", "0902", r["v3"], g["g3"]), tags=crowded, actor=admin
    )
    e["factory"] = actions.do_create_enterprise(
        data=enterprise_data("白石机械制造有限公司", "0404", r["v3"], g["g3"]), tags=crowded, actor=admin
    )
    e["neighbour"] = actions.do_create_enterprise(
        data=enterprise_data("邻县化工有限公司", "0101", r["v4"], g["g4"]), actor=admin
    )
    today = timezone.localdate()
    for key, ent in e.items():
        w.licences[key] = actions.do_add_licence(
            ent,
            data={
                "kind": LicenceKind.SAFETY_PRODUCTION,
                "number": f"TEST-{key}",
                "valid_from": today - dt.timedelta(days=300),
                "valid_until": today + dt.timedelta(days=400),
            },
            actor=admin,
        )
    u = w.users
    u["anweiban"] = user("anweiban", UserKind.DEPARTMENT, UserRole.OFFICER, department=d["anweiban"])
    u["yingji"] = user(
        "yingji",
        UserKind.DEPARTMENT,
        UserRole.INSPECTOR,
        department=d["yingji"],
        enforcement_certificate_no="36040001",
    )
    # A second enforcement officer: law-enforcement inspections need two (安全生产法 Art.67).
    u["yingji2"] = user(
        "yingji2",
        UserKind.DEPARTMENT,
        UserRole.INSPECTOR,
        department=d["yingji"],
        enforcement_certificate_no="36040002",
    )
    u["zhujian"] = user("zhujian", UserKind.DEPARTMENT, UserRole.INSPECTOR, department=d["zhujian"])
    u["xiaofang"] = user("xiaofang", UserKind.DEPARTMENT, UserRole.INSPECTOR, department=d["xiaofang"])
    u["zhen1"] = user("zhen1", UserKind.DEPARTMENT, UserRole.OFFICER, department=d["zhen1"])
    u["wangge1"] = user("wangge1", UserKind.GRID, UserRole.GRID_WORKER, grid=g["g1"])
    u["qiye1"] = user("qiye1", UserKind.ENTERPRISE, UserRole.SAFETY_OFFICER, enterprise=e["chem"])
    u["zhigong1"] = user("zhigong1", UserKind.ENTERPRISE, UserRole.WORKER, enterprise=e["chem"])
    u["neighbour_officer"] = user("neighbour_officer", UserKind.DEPARTMENT, UserRole.OFFICER, department=d["neighbour"])
    u["auditor"] = user("auditor", UserKind.ADMIN, UserRole.AUDITOR)
    return w


def sheet_of(book: Workbook) -> Worksheet:
    """The active worksheet of a workbook (typed: openpyxl's ``active`` may be a chart sheet or None)."""
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    return sheet
