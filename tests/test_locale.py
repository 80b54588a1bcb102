"""The Chinese interface is complete: every message has a translation and the compiled catalogue is current."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import anjian

PO = Path(anjian.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is installed by make test")
def test_every_message_is_translated(tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "x.mo"), str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    compiled = PO.with_suffix(".mo").read_bytes()
    assert compiled == (tmp_path / "x.mo").read_bytes(), "django.mo is stale: run msgfmt (make messages)"


def test_chinese_is_served(db: object, client: object) -> None:
    response = client.get("/login/")  # type: ignore[attr-defined]
    body = response.content.decode()
    assert 'lang="zh-CN"' in body and "登录" in body
