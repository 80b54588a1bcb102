"""The demo county: 安澜县 (fictional) under 江西省九江市, with 10 towns/streets, their villages and grids.

Codes follow the 12-digit 统计用区划代码 pattern (2-2-2-3-3); streets are 0xx, towns 1xx, townships 2xx;
communities 0xx and villages 2xx. 安澜县 and its subdivisions are invented: the county code 360431 is unused.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = ("360000000000", "江西省", 115.909, 28.676)
CITY = ("360400000000", "九江市", 116.001, 29.705)
COUNTY = ("360431000000", "安澜县", 115.950, 29.250)


@dataclass(frozen=True)
class TownSpec:
    suffix: str  # 3 digits
    name: str
    dx: float  # offset of its centre from the county centre, degrees
    dy: float
    villages: tuple[str, ...]  # communities (…社区) first, then villages (…村)
    industrial: float  # share weight of industrial enterprises placed here


TOWNS = [
    TownSpec("001", "安澜街道", 0.00, 0.00, ("澜湖社区", "府前社区", "文昌社区", "东门社区", "新村社区"), 0.6),
    TownSpec("002", "滨江街道", 0.08, 0.05, ("滨江社区", "望江社区", "码头社区", "江畔村"), 0.7),
    TownSpec("101", "青山镇", -0.12, 0.10, ("青山社区", "工业园社区", "枫林村", "大塘村", "洪家村", "石桥村"), 2.5),
    TownSpec("102", "白石镇", 0.15, -0.09, ("白石社区", "南岭村", "黄泥村", "上庄村", "竹山村"), 1.2),
    TownSpec("103", "桥头镇", -0.20, -0.06, ("桥头社区", "河东村", "河西村", "新屋村"), 1.0),
    TownSpec("104", "马鞍镇", 0.22, 0.16, ("马鞍社区", "鞍山村", "杨柳村", "松树村", "下湾村"), 1.0),
    TownSpec("105", "柳溪镇", -0.05, -0.20, ("柳溪社区", "溪口村", "桃源村", "长岭村"), 0.8),
    TownSpec("106", "新塘镇", 0.05, 0.24, ("新塘社区", "塘边村", "吴家村", "前进村", "红旗村"), 0.9),
    TownSpec("201", "东岭乡", 0.30, -0.02, ("东岭村", "茶园村", "坳上村"), 0.4),
    TownSpec("202", "石门乡", -0.28, 0.20, ("石门村", "龙潭村", "高坪村"), 0.4),
]


def town_code(spec: TownSpec) -> str:
    return f"360431{spec.suffix}000"


def village_codes(spec: TownSpec) -> list[tuple[str, str]]:
    """(code, name) for each village/community of a town: communities 001…, villages 201…."""
    codes = []
    community = village = 0
    for name in spec.villages:
        if name.endswith("社区"):
            community += 1
            suffix = f"{community:03d}"
        else:
            village += 1
            suffix = f"{200 + village:03d}"
        codes.append((f"360431{spec.suffix}{suffix}", name))
    return codes
