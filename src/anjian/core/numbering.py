"""Document numbers per department, kind and year (e.g. 安澜县安委办督〔2026〕3号), without gaps or duplicates.

Call inside the transaction that creates the document: the sequence row stays locked until it commits, so a
simultaneous issue waits and takes the next number; a rolled-back issue gives its number back.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from anjian.core.models import DocumentSequence


def next_number(department: Any, kind: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that issues the document")
    try:
        with transaction.atomic():
            DocumentSequence.objects.get_or_create(department=department, kind=kind, year=year)
    except IntegrityError:
        pass  # created by a simultaneous issue: lock it below
    row = DocumentSequence.objects.select_for_update().get(department=department, kind=kind, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last


def document_number(prefix: str, year: int, number: int) -> str:
    """The usual form of a Chinese official document number: 前缀〔年份〕序号号."""
    return f"{prefix}〔{year}〕{number}号"
