"""Open a generated document in LibreOffice, as a user would, and read back what it prints.

LibreOffice converts the file to PDF headless (its own import filters: a file it cannot read fails here);
``pdftotext`` then gives the text of each printed page, so a test can check what lands on which page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def printed_pages(data: bytes, suffix: str, workdir: Path) -> list[str]:
    """The text of each page LibreOffice prints for the document ``data`` (e.g. suffix ".xlsx")."""
    assert SOFFICE, "LibreOffice is missing: `make test` installs libreoffice-calc-nogui/-writer-nogui"
    source = workdir / f"document{suffix}"
    source.write_bytes(data)
    profile = workdir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = workdir / "document.pdf"
    assert pdf.is_file(), "LibreOffice did not open the document"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
