"""统一社会信用代码 (unified social credit code) validation and generation, per GB 32100-2015.

18 characters: registration authority (1), entity type (1), administrative division (6), organisation code
(9: eight body characters and the GB 11714 check character) and the GB 32100 check character.
"""

from __future__ import annotations

import random

# GB 32100 character set: digits and upper-case letters without I, O, Z, S, V.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

# GB 11714 organisation code: body of digits and letters, check digit 0-9 or X.
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

# Registration authority → allowed entity-type codes (GB 32100-2015 table 1 and later additions).
AUTHORITY_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理的群众团体, 其他
    "2": "19",  # 外交
    "3": "1239",  # 司法行政
    "4": "19",  # 文化
    "5": "12349",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商 / 市场监管: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "12349",  # 农业: 农村集体经济组织 etc.
    "Y": "1",  # 其他
}


class USCCError(ValueError):
    """Why a string is not a valid code; ``reason`` is a stable key and ``position`` is 1-based or None."""

    def __init__(self, reason: str, position: int | None = None, expected: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.position = position
        self.expected = expected


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_check_character(body8: str) -> str:
    total = 0
    for c, w in zip(body8, _ORG_WEIGHTS, strict=True):
        value = int(c) if c.isdigit() else ord(c) - ord("A") + 10
        total += value * w
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def normalise(raw: str) -> str:
    """Upper-case and strip spaces (including full-width ones) people paste around a code."""
    return raw.strip().replace(" ", "").replace("\u3000", "").upper()


def validate(raw: str) -> str:
    """The normalised code, or ``USCCError`` saying what is wrong."""
    code = normalise(raw)
    if len(code) != 18:
        raise USCCError("length")
    for i, c in enumerate(code, start=1):
        if c not in _VALUE:
            raise USCCError("character", i)
    authority, kind = code[0], code[1]
    if authority not in AUTHORITY_TYPES:
        raise USCCError("authority", 1)
    if kind not in AUTHORITY_TYPES[authority]:
        raise USCCError("type", 2)
    if not code[2:8].isdigit():
        raise USCCError("division", 3)
    if code[16] != org_check_character(code[8:16]):
        raise USCCError("org_check", 17)
    expected = check_character(code[:17])
    if code[17] != expected:
        raise USCCError("check", 18, expected)
    return code


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except USCCError:
        return False
    return True


_ORG_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def generate(rng: random.Random, division: str, *, prefix: str = "91") -> str:
    """A checksum-valid code for demo and synthetic data (never a real entity's code by intent)."""
    body = "".join(rng.choice(_ORG_BODY) for _ in range(8))
    first17 = prefix + division + body + org_check_character(body)
    return first17 + check_character(first17)
