"""Template helpers shared by every app: badges, masking, query strings, chart data."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def badge(label: Any, colour: str = "secondary") -> str:
    text_class = " text-dark" if colour in ("warning", "light", "info") else ""
    return format_html('<span class="badge text-bg-{}{}">{}</span>', colour, text_class, label)


@register.filter
def mask_phone(value: str | None) -> str:
    """138****5678: enough to recognise a number, not enough to call it."""
    if not value:
        return ""
    digits = str(value)
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes one); keeps filters on paging."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_link(context: Any, field: str) -> str:
    """A link that sorts by ``field``, toggling the direction when it is already the sort."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    new = f"-{field}" if current == field else field
    params: QueryDict = request.GET.copy()
    params["ordering"] = new
    params.pop("page", None)
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def sort_icon(context: Any, field: str) -> str:
    current = context["request"].GET.get("ordering", "")
    if current == field:
        return mark_safe('<i class="bi bi-sort-down-alt" aria-hidden="true"></i>')
    if current == f"-{field}":
        return mark_safe('<i class="bi bi-sort-up" aria-hidden="true"></i>')
    return ""


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def percent(value: Any, places: int = 1) -> str:
    """A decimal fraction as a percentage: "0.9845" → "98.5%" (empty stays empty)."""
    if value in (None, ""):
        return ""
    try:
        return f"{float(value) * 100:.{int(places)}f}%"
    except (TypeError, ValueError):
        return str(value)
