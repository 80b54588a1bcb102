"""Base class of every FilterSet: Bootstrap-styled form widgets for the filter bar; choices read when first used."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.utils.choices import CallableChoiceIterator


class LazyChoices(CallableChoiceIterator):
    """Choices read on first use and kept: a filter's choices cost nothing where nobody looks at them (the API
    list validates a value only when one is given), and once where a page both validates and renders them (the
    read is cached on the function, which the copies a form makes of its fields share)."""

    def __init__(self, read: Callable[[], Any]) -> None:
        super().__init__(functools.cache(read))

    def __len__(self) -> int:
        return len(list(self))


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
