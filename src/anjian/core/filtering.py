"""Base class of every FilterSet: Bootstrap-styled form widgets for the filter bar."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms


class StyledFilterSet(django_filters.FilterSet):
    placeholders: dict[str, Any] = {}

    @property
    def form(self) -> forms.Form:
        form = super().form
        for name, field in form.fields.items():
            small = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", small)
            if name in self.placeholders:
                field.widget.attrs.setdefault("placeholder", self.placeholders[name])
        return form
