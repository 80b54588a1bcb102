"""统一社会信用代码 (GB 32100-2015): checksum, character set, authority/type table, organisation-code check."""

from __future__ import annotations

import random

import pytest

from anjian.enterprises import uscc

REAL_CODES = [
    "914403001922038216",  # a Shenzhen company
    "9144030071526726XG",
    "91330100716105852F",
    "91110000802100433B",
    "91350100M000100Y43",
    "12100000400000624D",  # a public institution (机构编制 / 事业单位)
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert uscc.validate(code) == code


def test_lower_case_and_spaces_are_normalised() -> None:
    assert uscc.validate(" 9144030071526726xg\u3000") == "9144030071526726XG"


@pytest.mark.parametrize(
    ("code", "reason", "position"),
    [
        ("91440300192203821", "length", None),
        ("9144030019220382160", "length", None),
        ("91440300I922038216", "character", 9),  # I is not in the character set
        ("91440300S922038216", "character", 9),
        ("Z14403001922038216", "character", 1),
        ("C14403001922038216", "authority", 1),
        ("94440300192203821X", "type", 2),  # authority 9 has types 1-3 only
        ("9144A3001922038216", "division", 3),
        ("914403001922038226", "org_check", 17),
        ("914403001922038217", "check", 18),
    ],
)
def test_invalid_codes_say_why(code: str, reason: str, position: int | None) -> None:
    with pytest.raises(uscc.USCCError) as caught:
        uscc.validate(code)
    assert caught.value.reason == reason
    assert caught.value.position == position


def test_check_character_expected_value() -> None:
    with pytest.raises(uscc.USCCError) as caught:
        uscc.validate("914403001922038210")
    assert caught.value.expected == "6"


def test_every_single_character_typo_is_caught() -> None:
    """A one-character change of a valid code never yields another valid code (the point of the check)."""
    code = REAL_CODES[0]
    for position in range(18):
        for replacement in uscc.CHARSET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            assert not uscc.is_valid(typo), typo


def test_generated_codes_are_valid() -> None:
    rng = random.Random(1)
    for prefix in ("91", "92", "93", "12", "52"):
        for _ in range(50):
            code = uscc.generate(rng, "360431", prefix=prefix)
            assert uscc.is_valid(code), code
            assert code[2:8] == "360431"
