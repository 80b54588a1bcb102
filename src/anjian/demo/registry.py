"""Demo registry: regions, grids, departments with their remits, ~210 enterprises with licences, and users.

Deterministic for a given seed and day; dates are relative to the day of seeding so that some licences are
always about to expire. Enterprises, licences and status changes go through the registry's actions (audited).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password

from anjian.demo import names
from anjian.demo.county import CITY, COUNTY, PROVINCE, TOWNS, TownSpec, town_code, village_codes
from anjian.enterprises import actions, uscc
from anjian.enterprises.choices import (
    LicenceKind,
    MajorHazardSourceGrade,
    Ownership,
    Scale,
    StandardizationGrade,
    SupervisionLevel,
)
from anjian.enterprises.models import Enterprise, Industry, Tag
from anjian.orgs.choices import DepartmentKind, UserKind, UserRole
from anjian.orgs.models import Department, SafetyCommittee, User
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Grid, Region

DIVISION = COUNTY[0][:6]

# (name, short name, industry codes, tag codes): the county's supervising departments (管行业必须管安全).
REGULATORS = [
    ("安澜县应急管理局", "应急局", ["01", "02", "03", "04"], []),
    ("安澜县住房和城乡建设局", "住建局", ["05", "06"], []),
    ("安澜县市场监督管理局", "市场监管局", ["11", "0903", "0905"], ["special_equipment"]),
    ("安澜县教育体育局", "教体局", ["08"], []),
    ("安澜县商务局", "商务局", ["0105", "0901"], []),
    ("安澜县民政局", "民政局", ["10"], []),
    ("安澜县交通运输局", "交通局", ["07"], []),
    ("安澜县消防救援大队", "消防大队", ["0901", "0902", "0904"], ["crowded_place"]),
    ("九江市公安局安澜分局", "公安分局", ["13", "0703", "0904"], []),
    ("安澜县农业农村局", "农业农村局", ["12"], []),
    ("安澜县工业和信息化局", "工信局", ["04"], []),
    ("安澜县文化广电新闻出版旅游局", "文广旅局", ["0904"], []),
]


@dataclass(frozen=True)
class IndustryPlan:
    """How many enterprises of one industry, how they are named, tagged and licensed."""

    code: str
    count: int
    templates: tuple[str, ...]
    tags: tuple[tuple[str, float], ...] = ()  # (tag, probability)
    licences: tuple[LicenceKind, ...] = ()
    ownership: tuple[tuple[Ownership, float], ...] = ((Ownership.PRIVATE, 1.0),)
    scale: tuple[tuple[Scale, float], ...] = (
        (Scale.ABOVE_QUOTA, 0.3),
        (Scale.BELOW_QUOTA, 0.4),
        (Scale.MICRO, 0.3),
    )
    industrial: bool = True
    employees: tuple[int, int] = (8, 300)
    standardization: float = 0.0  # share with a standardisation grade
    uscc_prefix: str = "91"


P = Ownership
S = Scale
PLANS = [
    IndustryPlan(
        "0101",
        5,
        ("江西{t}化工有限公司", "九江{t}化学有限公司"),
        (("major_hazard", 0.6), ("key_process", 0.6), ("confined_space", 0.8), ("special_equipment", 1.0)),
        (LicenceKind.SAFETY_PRODUCTION,),
        scale=((S.ABOVE_QUOTA, 0.8), (S.BELOW_QUOTA, 0.2)),
        employees=(60, 600),
        standardization=0.8,
    ),
    IndustryPlan(
        "0102",
        6,
        ("安澜县{t}化工贸易有限公司", "九江{t}化学品储运有限公司"),
        (("major_hazard", 0.3), ("special_equipment", 0.5)),
        (LicenceKind.HAZCHEM_OPERATION,),
        employees=(8, 60),
        standardization=0.5,
    ),
    IndustryPlan(
        "0103",
        9,
        ("安澜县{t}化工经营部", "安澜县{t}化学试剂经营部"),
        (),
        (LicenceKind.HAZCHEM_OPERATION,),
        scale=((S.MICRO, 1.0),),
        employees=(2, 10),
        uscc_prefix="92",
    ),
    IndustryPlan(
        "0104",
        5,
        ("江西{t}新材料有限公司", "安澜县{t}涂料有限公司"),
        (("spray_painting", 0.4), ("confined_space", 0.5), ("special_equipment", 0.8)),
        (LicenceKind.HAZCHEM_USE,),
        employees=(30, 300),
        standardization=0.6,
    ),
    IndustryPlan(
        "0105",
        12,
        (
            "中国石化销售股份有限公司江西九江安澜{v}加油站",
            "中国石油天然气股份有限公司江西九江安澜{v}加油站",
            "安澜县{t}加油站",
        ),
        (("special_equipment", 0.3),),
        (LicenceKind.HAZCHEM_OPERATION, LicenceKind.REFINED_OIL_RETAIL),
        ownership=((P.STATE, 0.6), (P.PRIVATE, 0.4)),
        scale=((S.BELOW_QUOTA, 0.6), (S.MICRO, 0.4)),
        industrial=False,
        employees=(6, 20),
        standardization=0.7,
    ),
    IndustryPlan(
        "0201",
        2,
        ("安澜县{t}烟花爆竹批发有限公司",),
        (),
        (LicenceKind.FIREWORKS_WHOLESALE,),
        employees=(10, 40),
        standardization=0.5,
    ),
    IndustryPlan(
        "0202",
        10,
        ("{v}{t}烟花爆竹零售点",),
        (),
        (LicenceKind.FIREWORKS_RETAIL,),
        scale=((S.MICRO, 1.0),),
        industrial=False,
        employees=(1, 3),
        uscc_prefix="92",
    ),
    IndustryPlan(
        "0301",
        2,
        ("安澜县{t}矿业有限公司",),
        (("special_equipment", 1.0), ("confined_space", 0.5)),
        (LicenceKind.SAFETY_PRODUCTION,),
        employees=(50, 200),
        standardization=1.0,
    ),
    IndustryPlan(
        "0302",
        5,
        ("安澜县{t}石料有限公司", "安澜县{t}砂石有限公司"),
        (("special_equipment", 0.6),),
        (LicenceKind.SAFETY_PRODUCTION,),
        employees=(15, 80),
        standardization=0.6,
    ),
    IndustryPlan("0303", 1, ("安澜县{t}矿业有限公司尾矿库",), (), (LicenceKind.SAFETY_PRODUCTION,), employees=(5, 15)),
    IndustryPlan(
        "0401",
        3,
        ("江西{t}钢铁有限公司", "安澜县{t}铸造有限公司"),
        (("metal_smelting", 1.0), ("special_equipment", 1.0), ("confined_space", 0.7)),
        employees=(80, 900),
        scale=((S.ABOVE_QUOTA, 1.0),),
        standardization=0.9,
    ),
    IndustryPlan(
        "0402",
        3,
        ("江西{t}铜业有限公司", "安澜县{t}铝业有限公司"),
        (("metal_smelting", 0.7), ("dust_explosion", 0.6), ("special_equipment", 1.0)),
        employees=(50, 500),
        standardization=0.7,
    ),
    IndustryPlan(
        "0403",
        10,
        (
            "安澜县{t}水泥有限公司",
            "安澜县{t}混凝土有限公司",
            "江西{t}新型建材有限公司",
            "安澜县{t}玻璃制品有限公司",
        ),
        (("confined_space", 0.6), ("special_equipment", 0.8), ("dust_explosion", 0.2)),
        employees=(20, 300),
        standardization=0.4,
    ),
    IndustryPlan(
        "0404",
        12,
        ("江西{t}机械制造有限公司", "安澜县{t}汽车零部件有限公司", "安澜县{t}五金制品有限公司"),
        (("spray_painting", 0.5), ("special_equipment", 0.9), ("dust_explosion", 0.2)),
        employees=(20, 400),
        standardization=0.4,
    ),
    IndustryPlan(
        "0405",
        10,
        ("安澜县{t}木业有限公司", "江西{t}食品有限公司", "安澜县{t}包装有限公司", "安澜县{t}家具有限公司"),
        (("dust_explosion", 0.4), ("ammonia", 0.2), ("confined_space", 0.4), ("spray_painting", 0.3)),
        employees=(15, 300),
        standardization=0.3,
    ),
    IndustryPlan(
        "0406",
        6,
        ("安澜县{t}纺织有限公司", "江西{t}服饰有限公司"),
        (("confined_space", 0.3), ("dust_explosion", 0.2)),
        employees=(40, 600),
        standardization=0.3,
    ),
    IndustryPlan(
        "0407",
        1,
        ("江西省烟草公司九江市公司安澜县分公司",),
        (("special_equipment", 1.0),),
        ownership=((P.STATE, 1.0),),
        scale=((S.ABOVE_QUOTA, 1.0),),
        employees=(40, 60),
        standardization=1.0,
    ),
    IndustryPlan(
        "0408",
        5,
        ("安澜县{t}冷链物流有限公司", "安澜县{t}仓储有限公司"),
        (("ammonia", 0.6), ("special_equipment", 0.8)),
        employees=(10, 120),
    ),
    IndustryPlan(
        "0501",
        12,
        ("江西{t}建设集团有限公司安澜{p}项目部", "九江{t}建筑工程有限公司安澜{p}项目部"),
        (("special_equipment", 1.0),),
        (LicenceKind.CONSTRUCTION_SAFETY,),
        industrial=False,
        employees=(40, 300),
        standardization=0.3,
    ),
    IndustryPlan(
        "0502",
        6,
        ("江西{t}路桥工程有限公司安澜{p}项目部", "九江{t}市政工程有限公司安澜{p}项目部"),
        (("special_equipment", 1.0), ("confined_space", 0.5)),
        (LicenceKind.CONSTRUCTION_SAFETY,),
        industrial=False,
        employees=(30, 200),
    ),
    IndustryPlan(
        "0601",
        5,
        ("安澜县{t}液化气供应站",),
        (("special_equipment", 1.0),),
        (LicenceKind.GAS_OPERATION,),
        scale=((S.MICRO, 0.7), (S.BELOW_QUOTA, 0.3)),
        industrial=False,
        employees=(3, 12),
    ),
    IndustryPlan(
        "0602",
        1,
        ("安澜县华润燃气有限公司",),
        (("special_equipment", 1.0), ("confined_space", 1.0)),
        (LicenceKind.GAS_OPERATION,),
        ownership=((P.STATE, 1.0),),
        industrial=False,
        employees=(60, 90),
        standardization=1.0,
    ),
    IndustryPlan(
        "0701",
        2,
        ("安澜县{t}客运有限公司",),
        (),
        (LicenceKind.ROAD_TRANSPORT,),
        industrial=False,
        employees=(30, 120),
    ),
    IndustryPlan(
        "0702",
        6,
        ("安澜县{t}物流运输有限公司",),
        (),
        (LicenceKind.ROAD_TRANSPORT,),
        industrial=False,
        employees=(5, 60),
    ),
    IndustryPlan(
        "0703",
        3,
        ("九江{t}危险货物运输有限公司",),
        (("special_equipment", 1.0),),
        (LicenceKind.ROAD_TRANSPORT,),
        industrial=False,
        employees=(20, 80),
        standardization=0.7,
    ),
    IndustryPlan(
        "0704",
        1,
        ("安澜县汽车客运站",),
        (("crowded_place", 1.0),),
        (LicenceKind.ROAD_TRANSPORT,),
        ownership=((P.STATE, 1.0),),
        industrial=False,
        employees=(40, 60),
    ),
    IndustryPlan(
        "0801",
        12,
        ("安澜县{v}中心小学", "安澜县第{n}中学"),
        (("crowded_place", 1.0), ("special_equipment", 0.3)),
        ownership=((P.PUBLIC_INSTITUTION, 1.0),),
        scale=((S.BELOW_QUOTA, 1.0),),
        industrial=False,
        employees=(30, 200),
        uscc_prefix="12",
    ),
    IndustryPlan(
        "0802",
        8,
        ("安澜县{v}中心幼儿园", "安澜县{t}幼儿园"),
        (("crowded_place", 1.0),),
        (LicenceKind.SCHOOL_RUNNING,),
        ownership=((P.PUBLIC_INSTITUTION, 0.5), (P.PRIVATE, 0.5)),
        scale=((S.MICRO, 1.0),),
        industrial=False,
        employees=(8, 40),
        uscc_prefix="52",
    ),
    IndustryPlan(
        "0803",
        3,
        ("安澜县{t}培训学校",),
        (("crowded_place", 1.0),),
        (LicenceKind.SCHOOL_RUNNING,),
        scale=((S.MICRO, 1.0),),
        industrial=False,
        employees=(4, 20),
        uscc_prefix="52",
    ),
    IndustryPlan(
        "0901",
        6,
        ("安澜{t}购物广场有限公司", "安澜县{t}超市有限公司"),
        (("crowded_place", 1.0), ("special_equipment", 0.7)),
        (LicenceKind.FIRE_SAFETY,),
        industrial=False,
        employees=(20, 200),
    ),
    IndustryPlan(
        "0902",
        6,
        ("安澜{t}大酒店有限公司", "安澜县{t}宾馆"),
        (("crowded_place", 1.0), ("special_equipment", 0.8)),
        (LicenceKind.FIRE_SAFETY,),
        industrial=False,
        employees=(10, 120),
    ),
    IndustryPlan(
        "0903",
        8,
        ("{v}{t}酒家", "安澜县{t}餐饮管理有限公司"),
        (("crowded_place", 0.3),),
        (LicenceKind.FOOD_BUSINESS,),
        scale=((S.MICRO, 1.0),),
        industrial=False,
        employees=(3, 30),
        uscc_prefix="92",
    ),
    IndustryPlan(
        "0904",
        5,
        ("安澜县{t}网咖", "安澜{t}量贩式KTV"),
        (("crowded_place", 1.0),),
        (LicenceKind.FIRE_SAFETY,),
        scale=((S.MICRO, 1.0),),
        industrial=False,
        employees=(4, 25),
    ),
    IndustryPlan(
        "0905",
        3,
        ("安澜县{v}农贸市场",),
        (("crowded_place", 1.0),),
        (),
        ownership=((P.COLLECTIVE, 1.0),),
        scale=((S.BELOW_QUOTA, 1.0),),
        industrial=False,
        employees=(5, 20),
    ),
    IndustryPlan(
        "1001",
        5,
        ("安澜县{v}敬老院", "安澜县{t}养老服务中心"),
        (("crowded_place", 1.0),),
        ownership=((P.PUBLIC_INSTITUTION, 0.6), (P.PRIVATE, 0.4)),
        scale=((S.MICRO, 1.0),),
        industrial=False,
        employees=(5, 30),
        uscc_prefix="12",
    ),
    IndustryPlan(
        "1101",
        2,
        ("安澜县{t}锅炉安装有限公司",),
        (("special_equipment", 1.0),),
        (LicenceKind.SPECIAL_EQUIPMENT,),
        employees=(10, 50),
    ),
    IndustryPlan(
        "1102",
        2,
        ("安澜县{t}气体有限公司",),
        (("special_equipment", 1.0),),
        (LicenceKind.SPECIAL_EQUIPMENT,),
        employees=(6, 30),
    ),
    IndustryPlan(
        "1201",
        2,
        ("安澜县{t}农机专业合作社",),
        (),
        ownership=((P.COLLECTIVE, 1.0),),
        scale=((S.MICRO, 1.0),),
        industrial=False,
        employees=(5, 20),
        uscc_prefix="93",
    ),
    IndustryPlan(
        "1202",
        3,
        ("安澜县{t}生态养殖有限公司",),
        (("confined_space", 0.5),),
        industrial=False,
        employees=(5, 40),
    ),
    IndustryPlan(
        "1203",
        1,
        ("安澜县{t}渔业专业合作社",),
        (),
        ownership=((P.COLLECTIVE, 1.0),),
        scale=((S.MICRO, 1.0),),
        industrial=False,
        employees=(5, 15),
        uscc_prefix="93",
    ),
    IndustryPlan(
        "1301",
        1,
        ("安澜县民用爆破器材有限公司",),
        (),
        (LicenceKind.SAFETY_PRODUCTION,),
        ownership=((P.STATE, 1.0),),
        employees=(10, 25),
    ),
]

ISSUERS = {
    LicenceKind.SAFETY_PRODUCTION: "江西省应急管理厅",
    LicenceKind.HAZCHEM_OPERATION: "九江市应急管理局",
    LicenceKind.HAZCHEM_USE: "九江市应急管理局",
    LicenceKind.FIREWORKS_WHOLESALE: "九江市应急管理局",
    LicenceKind.FIREWORKS_RETAIL: "安澜县应急管理局",
    LicenceKind.CONSTRUCTION_SAFETY: "江西省住房和城乡建设厅",
    LicenceKind.GAS_OPERATION: "安澜县住房和城乡建设局",
    LicenceKind.REFINED_OIL_RETAIL: "九江市商务局",
    LicenceKind.ROAD_TRANSPORT: "安澜县交通运输局",
    LicenceKind.SPECIAL_EQUIPMENT: "江西省市场监督管理局",
    LicenceKind.FIRE_SAFETY: "安澜县消防救援大队",
    LicenceKind.SCHOOL_RUNNING: "安澜县教育体育局",
    LicenceKind.FOOD_BUSINESS: "安澜县市场监督管理局",
}
VALID_YEARS = {LicenceKind.FIREWORKS_RETAIL: 1, LicenceKind.FOOD_BUSINESS: 5, LicenceKind.SCHOOL_RUNNING: 5}


def licence_number(kind: LicenceKind, rng: random.Random, year: int) -> str:
    n = rng.randint(1, 9999)
    return {
        LicenceKind.SAFETY_PRODUCTION: f"（赣）FM安许证字〔{year}〕{n:04d}号",
        LicenceKind.HAZCHEM_OPERATION: f"赣九安经（乙）字〔{year}〕{n:06d}",
        LicenceKind.HAZCHEM_USE: f"赣九危化使字〔{year}〕{n:04d}",
        LicenceKind.FIREWORKS_WHOLESALE: f"赣九烟批〔{year}〕{n:04d}",
        LicenceKind.FIREWORKS_RETAIL: f"赣安烟零〔{year}〕{n:04d}",
        LicenceKind.CONSTRUCTION_SAFETY: f"（赣）JZ安许证字〔{year}〕{n:06d}",
        LicenceKind.GAS_OPERATION: f"赣{year}0431{n:04d}G",
        LicenceKind.REFINED_OIL_RETAIL: f"油零售证书第36{n:06d}号",
        LicenceKind.ROAD_TRANSPORT: f"赣交运管许可九字360431{n:06d}号",
        LicenceKind.SPECIAL_EQUIPMENT: f"TS{year}36{n:05d}",
        LicenceKind.FIRE_SAFETY: f"安消安检字〔{year}〕第{n:04d}号",
        LicenceKind.SCHOOL_RUNNING: f"教民136043170{n:05d}号",
        LicenceKind.FOOD_BUSINESS: f"JY2360431{n:07d}",
    }.get(kind, f"{year}-{n:05d}")


def person(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + rng.choice(names.GIVEN)


def phone(rng: random.Random) -> str:
    return (
        rng.choice(["138", "139", "135", "136", "150", "151", "158", "177", "180", "189"])
        + f"{rng.randint(0, 99999999):08d}"
    )


def _weighted(rng: random.Random, options: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


@dataclass
class Territory:
    county: Region
    towns: list[Region] = field(default_factory=list)
    villages: dict[str, list[Region]] = field(default_factory=dict)  # town code → villages
    grids: dict[str, Grid] = field(default_factory=dict)  # village code → grid
    specs: dict[str, TownSpec] = field(default_factory=dict)


def _d(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def seed_regions(rng: random.Random) -> Territory:
    province, _ = Region.objects.update_or_create(
        code=PROVINCE[0],
        defaults={
            "name": PROVINCE[1],
            "level": RegionLevel.PROVINCE,
            "longitude": _d(PROVINCE[2]),
            "latitude": _d(PROVINCE[3]),
        },
    )
    city, _ = Region.objects.update_or_create(
        code=CITY[0],
        defaults={
            "name": CITY[1],
            "level": RegionLevel.CITY,
            "parent": province,
            "longitude": _d(CITY[2]),
            "latitude": _d(CITY[3]),
        },
    )
    county, _ = Region.objects.update_or_create(
        code=COUNTY[0],
        defaults={
            "name": COUNTY[1],
            "level": RegionLevel.COUNTY,
            "parent": city,
            "longitude": _d(COUNTY[2]),
            "latitude": _d(COUNTY[3]),
        },
    )
    territory = Territory(county=county)
    for spec in TOWNS:
        lon, lat = COUNTY[2] + spec.dx, COUNTY[3] + spec.dy
        town = Region.objects.create(
            code=town_code(spec),
            name=spec.name,
            level=RegionLevel.TOWN,
            parent=county,
            longitude=_d(lon),
            latitude=_d(lat),
        )
        territory.towns.append(town)
        territory.specs[town.code] = spec
        territory.villages[town.code] = []
        for number, (code, name) in enumerate(village_codes(spec), start=1):
            village = Region.objects.create(
                code=code,
                name=name,
                level=RegionLevel.VILLAGE,
                parent=town,
                longitude=_d(lon + rng.uniform(-0.04, 0.04)),
                latitude=_d(lat + rng.uniform(-0.035, 0.035)),
            )
            territory.villages[town.code].append(village)
            territory.grids[code] = Grid.objects.create(
                code=f"{code}-G1",
                name=f"{spec.name}第{number}网格",
                region=village,
                description=f"{name}全域",
            )
    return territory


def seed_departments(territory: Territory) -> dict[str, Department]:
    industries = {i.code: i for i in Industry.objects.all()}
    tags = {t.code: t for t in Tag.objects.all()}
    departments: dict[str, Department] = {}
    office = Department.objects.create(
        name="安澜县安全生产委员会办公室",
        short_name="县安委办",
        kind=DepartmentKind.COMMITTEE_OFFICE,
        region=territory.county,
        phone="0792-6321110",
        sort_order=0,
    )
    departments["anweiban"] = office
    for order, (name, short, codes, tag_codes) in enumerate(REGULATORS, start=1):
        department = Department.objects.create(
            name=name,
            short_name=short,
            kind=DepartmentKind.REGULATOR,
            region=territory.county,
            phone=f"0792-63{21110 + order * 7:05d}",
            sort_order=order,
        )
        department.industries.set([industries[c] for c in codes])
        department.tags.set([tags[t] for t in tag_codes])
        departments[short] = department
    committee = SafetyCommittee.objects.create(region=territory.county, name="安澜县安全生产委员会", office=office)
    committee.members.set([d for key, d in departments.items() if key != "anweiban"])
    for order, town in enumerate(territory.towns, start=1):
        departments[town.code] = Department.objects.create(
            name=f"{town.name}安全生产委员会办公室",
            short_name=f"{town.name}安委办",
            kind=DepartmentKind.COMMITTEE_OFFICE,
            region=town,
            sort_order=100 + order,
        )
    return departments


def _place(rng: random.Random, territory: Territory, plan: IndustryPlan) -> tuple[Region, Region]:
    weights = [territory.specs[t.code].industrial if plan.industrial else 1.0 for t in territory.towns]
    town = rng.choices(territory.towns, weights=weights)[0]
    return town, rng.choice(territory.villages[town.code])


def _name(rng: random.Random, plan: IndustryPlan, village: Region, town: Region, used: set[str]) -> str:
    for _attempt in range(50):
        template = rng.choice(plan.templates)
        name = template.format(
            t=rng.choice(names.TRADE_NAMES),
            v=village.name.removesuffix("社区").removesuffix("村"),
            p=rng.choice(names.PROJECTS),
            n=rng.choice("一二三四五六七八"),
        )
        if name not in used:
            used.add(name)
            return name
    return f"{name}（{town.name}）"


def _enterprise_data(
    rng: random.Random,
    plan: IndustryPlan,
    industry: Industry,
    town: Region,
    village: Region,
    grid: Grid,
    name: str,
    code: str,
    today: dt.date,
) -> dict[str, Any]:
    lon = float(village.longitude or 0) + rng.uniform(-0.008, 0.008)
    lat = float(village.latitude or 0) + rng.uniform(-0.008, 0.008)
    principal = person(rng)
    data: dict[str, Any] = {
        "uscc": code,
        "name": name,
        "industry": industry,
        "scale": _weighted(rng, plan.scale),
        "ownership": _weighted(rng, plan.ownership),
        "region": village,
        "grid": grid,
        "address": f"江西省九江市安澜县{town.name}{village.name}{rng.choice(names.ROADS)}{rng.randint(1, 388)}号",
        "longitude": _d(lon),
        "latitude": _d(lat),
        "legal_representative": principal,
        "principal_name": principal,
        "principal_phone": phone(rng),
        "safety_officer_name": person(rng),
        "safety_officer_phone": phone(rng),
        "employee_count": rng.randint(*plan.employees),
        "established_on": today - dt.timedelta(days=rng.randint(400, 9000)),
        "has_liability_insurance": industry.high_risk or rng.random() < 0.4,
        "supervision_level": SupervisionLevel.COUNTY,
    }
    if data["has_liability_insurance"]:
        data["liability_insurance_valid_until"] = today + dt.timedelta(days=rng.randint(-20, 360))
    if rng.random() < plan.standardization:
        data["standardization_grade"] = rng.choice(
            [
                StandardizationGrade.GRADE_2,
                StandardizationGrade.GRADE_3,
                StandardizationGrade.GRADE_3,
                StandardizationGrade.SMALL_MICRO,
            ]
        )
        data["standardization_valid_until"] = today + dt.timedelta(days=rng.randint(-60, 1000))
    return data


def _add_licences(
    rng: random.Random, enterprise: Enterprise, kinds: tuple[LicenceKind, ...], today: dt.date, actor: Any
) -> None:
    for kind in kinds:
        years = VALID_YEARS.get(kind, 3)
        # Mostly mid-term; about one in eight expiring within 90 days, one in twenty already expired.
        roll = rng.random()
        if roll < 0.05:
            remaining = rng.randint(-120, -5)
        elif roll < 0.18:
            remaining = rng.randint(3, 85)
        else:
            remaining = rng.randint(100, years * 365 - 30)
        valid_until = today + dt.timedelta(days=remaining)
        valid_from = valid_until - dt.timedelta(days=years * 365 - 1)
        actions.do_add_licence(
            enterprise,
            data={
                "kind": kind,
                "number": licence_number(kind, rng, valid_from.year),
                "issued_by": ISSUERS.get(kind, ""),
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
            actor=actor,
        )


@dataclass
class FeaturedEnterprise:
    enterprise: Enterprise
    grid: Grid


def seed_featured(territory: Territory, actor: Any, today: dt.date) -> FeaturedEnterprise:
    """The chemicals enterprise of the demo personas qiye1 and zhigong1, in 青山镇工业园社区."""
    town = next(t for t in territory.towns if t.name == "青山镇")
    village = next(v for v in territory.villages[town.code] if v.name == "工业园社区")
    grid = territory.grids[village.code]
    industry = Industry.objects.get(code="0101")
    tags = list(Tag.objects.filter(code__in=["major_hazard", "key_process", "confined_space", "special_equipment"]))
    enterprise = actions.do_create_enterprise(
        data={
            "uscc": uscc.generate(random.Random("featured"), DIVISION),
            "name": "江西鑫源化工有限公司",
            "industry": industry,
            "scale": Scale.ABOVE_QUOTA,
            "ownership": Ownership.PRIVATE,
            "region": village,
            "grid": grid,
            "address": "江西省九江市安澜县青山镇工业园区园区一路18号",
            "longitude": _d(float(village.longitude or 0) + 0.002),
            "latitude": _d(float(village.latitude or 0) - 0.001),
            "legal_representative": "张德明",
            "principal_name": "张德明",
            "principal_phone": "13907921818",
            "safety_officer_name": "李志强",
            "safety_officer_phone": "13879261234",
            "employee_count": 236,
            "established_on": dt.date(2009, 4, 16),
            "business_scope": "盐酸、硫酸、液碱、次氯酸钠生产、储存和销售（凭有效许可证经营）",
            "standardization_grade": StandardizationGrade.GRADE_2,
            "standardization_valid_until": today + dt.timedelta(days=420),
            "has_liability_insurance": True,
            "liability_insurance_valid_until": today + dt.timedelta(days=200),
            "major_hazard_source_grade": MajorHazardSourceGrade.GRADE_3,
            "supervision_level": SupervisionLevel.COUNTY,
        },
        tags=tags,
        actor=actor,
    )
    for kind, number, days in [
        (LicenceKind.SAFETY_PRODUCTION, "（赣）WH安许证字〔2024〕0031号", 520),
        (LicenceKind.HAZCHEM_OPERATION, "赣九安经（甲）字〔2024〕000217", 60),
    ]:
        actions.do_add_licence(
            enterprise,
            data={
                "kind": kind,
                "number": number,
                "issued_by": ISSUERS[kind],
                "valid_from": today + dt.timedelta(days=days - 3 * 365 + 1),
                "valid_until": today + dt.timedelta(days=days),
            },
            actor=actor,
        )
    return FeaturedEnterprise(enterprise, grid)


SUSPEND_REASONS = [
    "重大事故隐患未按期整改，依法责令停产停业整顿",
    "未取得安全生产许可证擅自生产，责令停产整顿",
    "粉尘爆炸危险场所除尘系统不符合要求，责令停产整改",
]
CLOSE_REASONS = ["无证无照经营，依法关闭取缔", "企业申请注销，已停止生产经营"]


def seed_enterprises(
    rng: random.Random, territory: Territory, actor: Any, today: dt.date, tick: Callable[[int], None]
) -> list[Enterprise]:
    industries = {i.code: i for i in Industry.objects.all()}
    tags = {t.code: t for t in Tag.objects.all()}
    used_names = set(Enterprise.objects.values_list("name", flat=True))
    used_codes = set(Enterprise.objects.values_list("uscc", flat=True))
    created: list[Enterprise] = []
    for plan in PLANS:
        industry = industries[plan.code]
        for _i in range(plan.count):
            town, village = _place(rng, territory, plan)
            code = uscc.generate(rng, DIVISION, prefix=plan.uscc_prefix)
            while code in used_codes:
                code = uscc.generate(rng, DIVISION, prefix=plan.uscc_prefix)
            used_codes.add(code)
            data = _enterprise_data(
                rng,
                plan,
                industry,
                town,
                village,
                territory.grids[village.code],
                _name(rng, plan, village, town, used_names),
                code,
                today,
            )
            chosen = [tags[t] for t, p in plan.tags if rng.random() < p]
            enterprise = actions.do_create_enterprise(data=data, tags=chosen, actor=actor)
            _add_licences(rng, enterprise, plan.licences, today, actor)
            created.append(enterprise)
            tick(1)
    for enterprise in rng.sample(created, 7):
        actions.do_suspend_enterprise(enterprise, reason=rng.choice(SUSPEND_REASONS), actor=actor)
    for enterprise in rng.sample([e for e in created if e.status == "operating"], 3):
        actions.do_close_enterprise(enterprise, reason=rng.choice(CLOSE_REASONS), actor=actor)
    return created


# username → (name, kind, role, department key / "featured" / "grid")
PERSONAS = {
    "anweiban": ("王建国", UserRole.OFFICER, "anweiban"),
    "yingji": ("刘海涛", UserRole.INSPECTOR, "应急局"),
    "zhujian": ("陈志刚", UserRole.INSPECTOR, "住建局"),
}


def seed_users(
    rng: random.Random,
    territory: Territory,
    departments: dict[str, Department],
    featured: FeaturedEnterprise,
    password: str,
) -> dict[str, User]:
    users: dict[str, User] = {}
    # one hash for every persona: they share the demo password (0.3 s of PBKDF2 each otherwise)
    hashed = make_password(password) if password else None

    def make(username: str, **fields: Any) -> User:
        user = User(username=username, **fields)
        if hashed:
            user.password = hashed
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        users[username] = user
        return user

    admin = User.objects.get(username="admin")
    users["admin"] = admin
    for username, (name, role, key) in PERSONAS.items():
        make(
            username,
            name=name,
            phone=phone(rng),
            kind=UserKind.DEPARTMENT,
            role=role,
            department=departments[key],
            enforcement_certificate_no=f"赣应执0431{rng.randint(1000, 9999)}" if role == UserRole.INSPECTOR else "",
        )
    town1 = territory.towns[2]  # 青山镇, the first town (镇) of the county
    make(
        "zhen1",
        name="周晓燕",
        phone=phone(rng),
        kind=UserKind.DEPARTMENT,
        role=UserRole.OFFICER,
        department=departments[town1.code],
    )
    make(
        "wangge1",
        name="吴春生",
        phone=phone(rng),
        kind=UserKind.GRID,
        role=UserRole.GRID_WORKER,
        grid=featured.grid,
    )
    make(
        "qiye1",
        name="李志强",
        phone="13879261234",
        kind=UserKind.ENTERPRISE,
        role=UserRole.SAFETY_OFFICER,
        enterprise=featured.enterprise,
    )
    make(
        "zhigong1",
        name="赵小军",
        phone=phone(rng),
        kind=UserKind.ENTERPRISE,
        role=UserRole.WORKER,
        enterprise=featured.enterprise,
    )
    # Colleagues who cannot sign in (no password): they make the department and grid pages realistic.
    for department in departments.values():
        if department.kind != DepartmentKind.REGULATOR:
            continue
        for index, role in enumerate([UserRole.LEADER, UserRole.INSPECTOR]):
            _staff(
                rng,
                f"staff-{department.pk}-{index}",
                department=department,
                kind=UserKind.DEPARTMENT,
                role=role,
            )
    for grid in territory.grids.values():
        if grid.pk != featured.grid.pk:
            _staff(rng, f"grid-{grid.pk}", grid=grid, kind=UserKind.GRID, role=UserRole.GRID_WORKER)
    return users


def _staff(rng: random.Random, username: str, **fields: Any) -> User:
    user = User(username=username, name=person(rng), phone=phone(rng), **fields)
    user.set_unusable_password()
    user.save()
    return user
